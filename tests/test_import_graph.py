"""The import graph of the shipped code: printed by app, and free of circles where they were broken.

`python tests/test_import_graph.py` prints the app-level graph (an arrow for each app that imports another,
counting imports inside functions too) and the module-level circles left. The test fails when a circle
comes back among the modules listed in GUARDED, or when one of them hides a project import inside a function.
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("chuxiong_portal", "tasks", "parks", "indicators", "assessments", "evaluations", "supervision",
        "projects", "closeout")
# Modules whose circle (services → jobs → indicators.jobs → services) and borrowed import plumbing were broken.
GUARDED = ("assessments.services", "assessments.jobs", "indicators.jobs", "indicators.reporting.services",
           "indicators.progress.services", "chuxiong_portal.bulk_import", "chuxiong_portal.queue",
           "chuxiong_portal.access", "projects.investment_import", "evaluations.services")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _shipped_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT).parts
            if "migrations" in rel or "management" in rel or "benchmark" in rel:
                continue
            yield path


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


def imports() -> dict[str, list[tuple[str, bool]]]:
    """module → [(imported module, inside a function?)] for the project's own modules."""
    graph: dict[str, list[tuple[str, bool]]] = {}
    known = {_module_name(p) for p in _shipped_files()}
    for path in _shipped_files():
        module = _module_name(path)
        tree = ast.parse(path.read_text(), str(path))
        edges = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(module, node, path.name == "__init__.py")
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                           for alias in node.names]
            else:
                continue
            nested = node.col_offset > 0
            for target in targets:
                while target and target not in known:
                    target = target.rpartition(".")[0]
                if target and target.split(".")[0] in APPS and target != module:
                    edges.append((target, nested))
        graph[module] = edges
    return graph


def app_graph(graph) -> dict[str, set[str]]:
    arrows = defaultdict(set)
    for module, edges in graph.items():
        for target, _nested in edges:
            if target.split(".")[0] != module.split(".")[0]:
                arrows[module.split(".")[0]].add(target.split(".")[0])
    return arrows


def circles(graph) -> list[list[str]]:
    """Strongly connected module groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target, _nested in graph.get(node, ()):
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


def _guarded(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in GUARDED)


def test_it_has_no_circle_through_the_guarded_modules():
    graph = imports()
    assert "assessments.services" in graph and "indicators.jobs" in graph  # the walk found the code
    bad = [group for group in circles(graph) if any(_guarded(m) for m in group)]
    assert bad == []


def test_it_finds_no_import_hidden_in_a_function_of_the_guarded_modules():
    hidden = sorted((module, target) for module, edges in imports().items() if _guarded(module)
                    for target, nested in edges if nested)
    assert hidden == []


def test_it_sees_a_circle_when_there_is_one():
    graph = {"a.x": [("b.y", False)], "b.y": [("a.x", True)], "c.z": [("a.x", False)]}
    assert circles(graph) == [["a.x", "b.y"]]


if __name__ == "__main__":
    graph = imports()
    for app, targets in sorted(app_graph(graph).items()):
        print(f"{app} -> {', '.join(sorted(targets))}")
    print()
    for group in circles(graph):
        print("circle:", " ".join(group))
