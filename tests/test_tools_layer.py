"""The tools (benchmark, demo data, synthetic province) sit beside the portal: no shipped module imports them.

The shipped packages are those `pyproject.toml` declares; every module of theirs is read (management commands
included, migrations aside), imports inside functions too. The commands stay where `manage.py` finds them.
"""

import ast
import tomllib
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
TOOLS = "tools"


def _packages() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["packages"]["find"]["include"]
    return sorted({pattern.rstrip("*") for pattern in patterns} - {TOOLS})


def imported_modules(source: str, module: str, is_package: bool) -> set[str]:
    """Every module an import statement of `source` names (relative imports resolved against `module`)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".")
                parts = parts[: len(parts) - node.level + (1 if is_package else 0)]
                base = ".".join(parts + ([node.module] if node.module else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _imports_tools(names: set[str]) -> bool:
    return any(name == TOOLS or name.startswith(TOOLS + ".") for name in names)


def test_no_shipped_module_imports_the_tools():
    offenders, read = [], 0
    for package in _packages():
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if "migrations" in rel.parts:
                continue
            parts = list(rel.with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            module = ".".join(parts[:-1] if is_package else parts)
            read += 1
            if _imports_tools(imported_modules(path.read_text(encoding="utf-8"), module, is_package)):
                offenders.append(str(rel))
    assert "chuxiong_portal" in _packages() and "indicators" in _packages()
    assert read > 100  # the walk found the code
    assert offenders == []


def test_it_sees_an_import_of_the_tools():
    assert _imports_tools(imported_modules("from tools.demo import demo_load", "tasks.views", False))
    assert _imports_tools(imported_modules("def f():\n    import tools.benchmark\n", "tasks.views", False))
    assert _imports_tools(imported_modules("from .. import demo", "tools.benchmark.core", False))
    assert not _imports_tools(imported_modules("from .tools import x\nimport toolsy", "tasks.views", False))


def test_the_tool_commands_come_from_the_tools_app():
    commands = get_commands()
    assert {name: commands.get(name) for name in ("benchmark", "bootstrap", "load_demo")} == dict.fromkeys(
        ("benchmark", "bootstrap", "load_demo"), TOOLS
    )
