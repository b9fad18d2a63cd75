"""The portal's modules import each other without cycles (issue 8): a cycle hides behind imports
moved into functions, and makes the order of imports matter. Every import counts, at module level and
inside functions. A package's own __init__.py importing its parts (the blueprint importing its routes,
create_app importing the features) is composition, not a dependency, and is left out."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "portal"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def resolve(name: str, known: set[str]) -> str | None:
    """The longest known module that `name` starts with (an imported name may be a function)."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    is_package = path.name == "__init__.py"
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[:len(base) - node.level + (1 if is_package else 0)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            candidates = [f"{origin}.{alias.name}" for alias in node.names] + [origin]
        else:
            continue
        for candidate in candidates:
            target = resolve(candidate, known)
            if target is None or target == name:
                continue
            if is_package and target.startswith(name + "."):
                continue  # a package importing its own parts
            targets.add(target)
            if isinstance(node, ast.ImportFrom):
                break  # `from a.b import c`: c if it is a module, else a.b
    return targets


def import_graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports_of(name, path, known) for name, path in found.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle for each strongly connected component with more than one module (Tarjan)."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph.get(node, ())):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_a_cycle(graph, component) for component in components]


def _a_cycle(graph, component) -> list[str]:
    """The shortest cycle through the component's first module, found breadth-first."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for succ in sorted(graph[node] & component):
            if succ == start:
                return paths[node] + [start]
            if succ not in paths:
                paths[succ] = paths[node] + [succ]
                queue.append(succ)
    return sorted(component)


def test_the_graph_sees_imports_inside_functions_and_from_packages():
    graph = import_graph()
    assert "portal.jobs" in graph["portal.cli"] or "portal.jobs" in graph["portal.tasks"]
    assert "portal.extensions" in graph["portal.web.actions"]


def test_the_cycle_finder_finds_a_cycle_and_leaves_a_chain_alone():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycles_inside_portal():
    found = cycles(import_graph())
    assert not found, "import cycles inside portal/:\n" + "\n".join(" -> ".join(cycle) for cycle in found)
