"""The folders show the architecture: portal → clauses → contracts, never the reverse; the
core imports no feature; and no module imports itself back through others."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]

#: Packages that must hold no import circle. ``clauses`` joins once its rewrite lands (it has
#: none today either).
CYCLE_FREE_PACKAGES = ("portal", "clauses", "contracts")


def test_import_contracts_hold():
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is part of the dev dependencies"
    result = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_safe_filter_on_templates():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if "|safe" in path.read_text(encoding="utf-8").replace(" ", "")
    ]
    assert not offenders, f"|safe in templates: {offenders}"


def import_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        # Tarjan's algorithm, iteratively: the graph is deep enough to hit the recursion limit.
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in graph.get(node, ()):
                    cycles.append(sorted(group))
    return cycles


def test_the_cycle_finder_finds_circles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}, "f": set()}
    assert sorted(import_cycles(graph)) == [["a", "b", "c"], ["e"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle():
    # grimp reads every import statement, those inside functions (and under TYPE_CHECKING)
    # included: an import moved into a function still closes a circle here.
    graph = grimp.build_graph(*CYCLE_FREE_PACKAGES, cache_dir=None)
    modules = {m for m in graph.modules if m.split(".")[0] in CYCLE_FREE_PACKAGES}
    edges = {m: graph.find_modules_directly_imported_by(m) & modules for m in modules}
    cycles = import_cycles(edges)
    assert not cycles, "import circles:\n" + "\n".join(" ↔ ".join(c) for c in cycles)
