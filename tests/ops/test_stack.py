"""The production stack itself (deploy/stack): fault drills and the pg_dump backup, end to end.

Marked `ops`: they start PostgreSQL, Redis, gunicorn, a Celery worker and beat on 127.0.0.1 (a minute or
two) and run only with PORTAL_OPS_TESTS=1. A stack that is already running is used and left running.
"""

import gzip
import os
import subprocess
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.ops
ROOT = Path(__file__).resolve().parents[2]
STACK = str(ROOT / "deploy" / "stack")
# The stack brings its own settings (.stack/env); none of the test run's may leak into it.
# (PORTAL_STACK_DIR and the stack's port variables do pass: CI may put the stack under /tmp.)
CLEAN_ENV = {
    k: v
    for k, v in os.environ.items()
    if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "REDIS_")) and k != "SECRET_KEY"
}


def run(*args, env=None, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env or CLEAN_ENV, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def stack():
    started = run(STACK, "status").returncode != 0
    if started:
        result = run(STACK, "start", "--demo")
        assert result.returncode == 0, result.stdout + result.stderr
    env = dict(CLEAN_ENV)
    for line in run(STACK, "env").stdout.splitlines():
        name, _, value = line.partition("=")
        if name:
            env[name] = value
    yield env
    if started:
        run(STACK, "stop")


def test_it_passes_the_fault_drills(stack):
    result = run(str(ROOT / "deploy" / "faults.sh"), timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "all drills passed" in result.stdout


def _backup_and_compare(stack, folder: Path) -> list[str]:
    """Back up, restore into a scratch database, and return the lines where the two exports differ."""
    folder.mkdir()
    result = run(str(ROOT / "deploy" / "backup.sh"), str(folder), env=stack)
    assert result.returncode == 0, result.stdout + result.stderr
    dump = next(folder.glob("portal-*.dump"))
    assert next(folder.glob("portal-*.json.gz")).stat().st_mode & 0o077 == 0
    checksums = next(folder.glob("portal-*.sha256")).name
    assert subprocess.run(["sha256sum", "--check", "--quiet", checksums], cwd=folder).returncode == 0

    scratch = "portal_restore_check"
    run(STACK, "pg", "dropdb", "--if-exists", scratch)
    assert run(STACK, "pg", "createdb", "-O", "portal", scratch).returncode == 0
    try:
        restored_url = stack["DATABASE_URL"].rsplit("/", 1)[0] + "/" + scratch
        pg_restore = Path(run("bash", "-c", "ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1").stdout.strip())
        result = run(
            str(pg_restore / "pg_restore"),
            "--no-owner",
            "--role=portal",
            "--single-transaction",
            "--exit-on-error",
            "-d",
            restored_url,
            str(dump),
            env=stack,
        )
        assert result.returncode == 0, result.stderr
        exports = {}
        for name, url in (("live", stack["DATABASE_URL"]), ("restored", restored_url)):
            path = folder / f"{name}.json.gz"
            result = run(
                str(ROOT / ".venv" / "bin" / "python"),
                "manage.py",
                "export_data",
                str(path),
                "--include-credentials",
                env={**stack, "DATABASE_URL": url},
            )
            assert result.returncode == 0, result.stderr
            body = gzip.open(path, "rt", encoding="utf-8").read().split("\n", 1)[1]  # after the header
            # The outbox of queued jobs is transient: the running worker and beat add and remove its rows
            # between the dump and this export, so it is left out of the comparison.
            exports[name] = [line for line in body.splitlines() if '"model": "chuxiong_portal.pendingjob"' not in line]
        live, restored = set(exports["live"]), set(exports["restored"])
        if exports["live"] == exports["restored"]:
            return []
        return sorted(live ^ restored) or ["the same lines in a different order"]
    finally:
        run(STACK, "pg", "dropdb", "--if-exists", scratch)


def test_it_restores_a_backup_into_an_identical_database(stack, tmp_path):
    # The stack is live: a job the drills queued may still be writing between the dump and the export of the
    # live database. A sound backup matches once the stack is quiet; a broken one never does.
    differences = []
    for attempt in range(3):
        differences = _backup_and_compare(stack, tmp_path / f"attempt-{attempt}")
        if not differences:
            break
        time.sleep(20)
    assert differences == [], [line[:300] for line in differences[:10]]
