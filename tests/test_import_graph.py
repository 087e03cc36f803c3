"""The import graph of the shipped code flows one way: configuration → pages → domains → base (DESIGN §7).

`python tests/test_import_graph.py` prints the app-level graph with each app's layer, then every upward import,
circle and function-local import left. The tests fail when shipped code (tests, migrations and tools aside)
- has a module-level import circle anywhere,
- imports a module of a higher layer (at module level or inside a function), or a tool,
- imports a project module inside a function: each one was dodging a circle. The one exception is
  ``AppConfig.ready()`` in an app's ``apps.py``, Django's own place for wiring signals and jobs once the models
  are loaded; its imports still obey the layers.
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

BASE, PAGES, CONFIGURATION, TOOLS = 0, 20, 30, 40
# Module (or package) → layer; the longest matching name wins. The domains are ordered: each may import base and
# the domains before it, never one after it. `closeout` is a page app over the pages' dashboards.
LAYERS = {
    "chuxiong_portal": BASE,
    "parks": 11,
    "tasks": 12,
    "indicators": 13,
    "assessments": 14,
    "projects": 15,
    "supervision": 16,
    "evaluations": 17,
    "pages": PAGES,
    "closeout": PAGES + 1,
    # Configuration: settings, the root URL modules, the Celery app, WSGI/ASGI.
    "chuxiong_portal.settings": CONFIGURATION,
    "chuxiong_portal.urls": CONFIGURATION,
    "chuxiong_portal.api": CONFIGURATION,  # the API's root URL module: the router over every domain's API
    "chuxiong_portal.celery": CONFIGURATION,
    "chuxiong_portal.wsgi": CONFIGURATION,
    "chuxiong_portal.asgi": CONFIGURATION,
}
# A package whose own __init__ is in another layer than its modules: chuxiong_portal's loads the Celery app.
PACKAGE_INITS = {"chuxiong_portal": CONFIGURATION}
# Tools sit beside the shipped code, on top: their own imports are not checked, and nothing shipped imports them.
TOOL_PACKAGES = ("tools",)
LAYER_NAMES = {BASE: "base", PAGES: "pages", PAGES + 1: "pages", CONFIGURATION: "configuration", TOOLS: "tools"}

PACKAGES = sorted({name.split(".")[0] for name in LAYERS} | set(TOOL_PACKAGES))


def is_tool(module: str) -> bool:
    return module.split(".")[0] in TOOL_PACKAGES


def layer_of(module: str) -> int:
    if is_tool(module):
        return TOOLS
    if module in PACKAGE_INITS:
        return PACKAGE_INITS[module]
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in LAYERS:
            return LAYERS[".".join(parts[:end])]
    raise KeyError(f"{module} is in no layer: add it to LAYERS")


def layer_name(layer: int) -> str:
    return LAYER_NAMES.get(layer, f"domain {layer - 10}")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _project_files():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


class _Imports(ast.NodeVisitor):
    """Each import with where it stands: at module level, inside a function, or inside an AppConfig.ready()."""

    def __init__(self):
        self.found: list[tuple[ast.AST, str]] = []
        self.scope: list[str] = []

    def _function(self, node):
        self.scope.append("ready" if node.name == "ready" and self.scope == ["class"] else "function")
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def visit_Lambda(self, node):
        self.scope.append("function")
        self.generic_visit(node)
        self.scope.pop()

    def visit_ClassDef(self, node):
        self.scope.append("class" if not self.scope else "function")
        self.generic_visit(node)
        self.scope.pop()

    def _import(self, node):
        where = "module"
        if "function" in self.scope:
            where = "function"
        elif "ready" in self.scope:
            where = "ready"
        self.found.append((node, where))

    visit_Import = visit_ImportFrom = _import


def imports() -> dict[str, list[tuple[str, str]]]:
    """module → [(imported project module, "module" | "function" | "ready")] for every project module."""
    graph: dict[str, list[tuple[str, str]]] = {}
    known = {_module_name(p) for p in _project_files()}
    for path in _project_files():
        module = _module_name(path)
        visitor = _Imports()
        visitor.visit(ast.parse(path.read_text(), str(path)))
        edges = []
        for node, where in visitor.found:
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = _resolve(module, node, path.name == "__init__.py")
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
            for target in targets:
                while target and target not in known:
                    target = target.rpartition(".")[0]
                if target and target != module:
                    edges.append((target, where))
        graph[module] = edges
    return graph


def shipped(graph) -> dict[str, list[tuple[str, str]]]:
    """The graph without the tools' own imports (an import of a tool from shipped code stays in)."""
    return {module: edges for module, edges in graph.items() if not is_tool(module)}


def upward(graph) -> list[tuple[str, str, str]]:
    """(module, imported module, where) for every import of a higher layer, or of a tool."""
    return sorted(
        {
            (module, target, where)
            for module, edges in graph.items()
            for target, where in edges
            if layer_of(target) > layer_of(module)
        }
    )


def hidden(graph) -> list[tuple[str, str]]:
    """(module, imported module) for every project import inside a function."""
    return sorted(
        {(module, target) for module, edges in graph.items() for target, where in edges if where == "function"}
    )


def group_of(module: str) -> str:
    """The app a module belongs to, or "configuration" / "tools" for those modules of chuxiong_portal."""
    layer = layer_of(module)
    if module.split(".")[0] == "chuxiong_portal" and layer in (CONFIGURATION, TOOLS):
        return layer_name(layer)
    return module.split(".")[0]


def app_graph(graph) -> dict[str, set[str]]:
    """app (or group) → the apps (or groups) it imports."""
    arrows = defaultdict(set)
    for module, edges in graph.items():
        for target, _where in edges:
            if group_of(target) != group_of(module):
                arrows[group_of(module)].add(group_of(target))
    return arrows


def circles(graph) -> list[list[str]]:
    """Strongly connected module groups of more than one module (Tarjan), over the module-level imports."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target, where in graph.get(node, ()):
            if where != "module":
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_walk_sees_the_code_and_places_every_module_in_a_layer():
    graph = shipped(imports())
    assert {
        "pages.views",
        "pages.jobs",
        "indicators.models",
        "chuxiong_portal.access",
        "chuxiong_portal.settings",
    } <= set(graph)
    assert ("pages.jobs", "assessments.services") in {(m, t) for m, edges in graph.items() for t, _w in edges}
    for module in graph:
        layer_of(module)  # raises for a module of no layer


def test_every_app_of_the_project_is_in_a_layer():
    ours = {name.split(".")[0] for name in settings.INSTALLED_APPS if (ROOT / name.split(".")[0]).is_dir()}
    assert "pages" in ours and ours <= set(PACKAGES)  # a new app needs its place in LAYERS


def test_it_has_no_import_circle():
    assert circles(shipped(imports())) == []


def test_no_module_imports_a_higher_layer_or_a_tool():
    assert upward(shipped(imports())) == []


def test_no_project_module_is_imported_inside_a_function():
    assert hidden(shipped(imports())) == []


def test_it_sees_a_circle_when_there_is_one():
    graph = {"a.x": [("b.y", "module")], "b.y": [("a.x", "module")], "c.z": [("a.x", "module")]}
    assert circles(graph) == [["a.x", "b.y"]]


def test_it_sees_an_import_from_a_lower_layer_to_a_higher_one():
    graph = {
        "tasks.services": [("indicators.models", "function"), ("parks.models", "module")],
        "indicators.models": [("tasks.models", "module")],
        "chuxiong_portal.access": [("pages.views", "module")],
        "chuxiong_portal.urls": [("pages.urls", "module")],  # configuration may import everything
        "pages.views": [("tools.demo", "module")],  # a tool
    }
    assert upward(graph) == [
        ("chuxiong_portal.access", "pages.views", "module"),
        ("pages.views", "tools.demo", "module"),
        ("tasks.services", "indicators.models", "function"),
    ]
    assert hidden(graph) == [("tasks.services", "indicators.models")]


def test_it_places_modules_by_their_longest_listed_name():
    assert layer_of("chuxiong_portal") == CONFIGURATION  # its __init__ loads the Celery app
    assert layer_of("chuxiong_portal.api_support") == BASE and layer_of("chuxiong_portal.api") == CONFIGURATION
    assert layer_of("tools.benchmark_views") == TOOLS == layer_of("tools.demo")
    assert layer_of("chuxiong_portal.management.commands.export_data") == BASE
    assert layer_of("parks.models") < layer_of("tasks.models") < layer_of("indicators.models") < PAGES


def main() -> None:
    graph = imports()
    ship = shipped(graph)
    arrows = app_graph(ship)
    layers = {group_of(module): layer_of(module) for module in ship}
    for app in sorted(layers, key=lambda app: (layers[app], app)):
        print(f"[{layer_name(layers[app])}] {app} -> {', '.join(sorted(arrows[app])) or '(nothing of the project)'}")
    print()
    for module, target, where in upward(ship):
        print(
            f"upward ({where}): {module} [{layer_name(layer_of(module))}] -> {target} [{layer_name(layer_of(target))}]"
        )
    for module, target in hidden(ship):
        print(f"inside a function: {module} -> {target}")
    for group in circles(ship):
        print("circle:", " ".join(group))


if __name__ == "__main__":
    main()
