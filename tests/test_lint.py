"""`ruff check` and `ruff format --check` are clean over the whole project (the rules are in pyproject.toml); the
suite runs both in CI."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--no-cache", "."], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_it_finds_nothing_for_ruff_check():
    result = ruff("check", "--output-format", "concise")
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_finds_nothing_to_reformat():
    result = ruff("format", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
