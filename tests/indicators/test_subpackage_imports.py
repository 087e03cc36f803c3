"""Inside `indicators`, progress stands on the models alone: it never imports the reporting side, and its engine
imports neither Django nor the portal (pure functions over plain values)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = {path.name for path in ROOT.iterdir() if (path / "__init__.py").exists()}


def _imports(path: Path) -> set[str]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    module = parts[:-1] if is_package else parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                stem = (parts if is_package else module)[: len(parts) - node.level]
                base = ".".join(stem + ([node.module] if node.module else []))
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _offending(folder: str, allowed) -> dict[str, list[str]]:
    found = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        bad = sorted(name for name in _imports(path) if not allowed(name))
        if bad:
            found[str(path.relative_to(ROOT))] = bad
    return found


def _progress_may_import(name: str) -> bool:
    if not name.startswith("indicators."):
        return True
    return name.startswith(("indicators.models.", "indicators.progress."))


def _engine_may_import(name: str) -> bool:
    top = name.split(".")[0]
    return top != "django" and (top not in PROJECT or name.startswith("indicators.progress.engine."))


def test_progress_imports_only_the_models_of_its_app():
    assert list((ROOT / "indicators/progress").rglob("services.py"))  # the walk finds the recompute
    assert _offending("indicators/progress", _progress_may_import) == {}


def test_the_engine_is_pure():
    assert _offending("indicators/progress/engine", _engine_may_import) == {}


def test_it_sees_a_forbidden_import():
    assert not _progress_may_import("indicators.reporting.periods.period_label")
    assert not _progress_may_import("indicators.selectors.report_slots")
    assert _progress_may_import("indicators.models.Target") and _progress_may_import("parks.models.Zone")
    assert not _engine_may_import("django.utils.timezone") and not _engine_may_import("indicators.models.Target")
