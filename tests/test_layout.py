"""The package layout is the pipeline (format → reading → corpus → analysis → render; synth and cli
beside): no module imports one that imports it back, directly or through others, and no stage
imports a later one at module level."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "govstats"
# Stages in pipeline order; a module may import its own stage or an earlier one at module level.
STAGES = ("format", "reading", "corpus", "analysis", "render")


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str], *, top_level_only: bool) -> set[str]:
    """The govstats modules a file imports (`from pkg import submodule` imports the submodule)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    out = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("govstats"):
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                out.add(sub if sub in modules else node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("govstats"))
    return out


def _graph(top_level_only: bool) -> dict[str, set[str]]:
    files = {_module(p): p for p in PACKAGE.rglob("*.py")}
    return {m: {i for i in _imports(p, set(files), top_level_only=top_level_only) if i in files and i != m}
            for m, p in files.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state and (found := visit(n)):
                return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return None


@pytest.mark.parametrize("top_level_only", [True, False], ids=["module-level", "including-lazy"])
def test_no_import_cycles(top_level_only):
    assert _cycle(_graph(top_level_only)) is None


def test_stages_import_only_earlier_stages():
    graph = _graph(top_level_only=True)
    late = []
    for m, deps in graph.items():
        stage = m.split(".")[1] if m.count(".") else ""
        if stage not in STAGES:
            continue
        for d in deps:
            other = d.split(".")[1]
            if other in STAGES and STAGES.index(other) > STAGES.index(stage):
                late.append(f"{m} imports {d}")
    assert late == []
