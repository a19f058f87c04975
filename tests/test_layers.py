"""The house's layout, checked: imports run one way (README 项目结构) and no module imports itself back.

Every ``import`` in scoring/ counts, also one inside a function (a lazy import is still a dependency).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from helpers import parsed

ROOT = Path(__file__).resolve().parent.parent

# A package or top-level module of scoring/ → its layer: a module imports only from its own layer or lower.
LAYERS = {
    "cli": 7,
    "pipeline": 6, "monitor": 6,                     # the runs
    "reports": 5, "review": 5,                       # what reads a run's results
    "results": 4.5, "problems": 4.5,                 # a run's results and the problems it reports
    "rubric": 4, "checks": 4, "precheck": 4,
    "actuals": 3, "targets": 3, "importer": 3, "criteria": 3,
    "language": 2,
    **dict.fromkeys(("scoring", "vocab", "workspace", "findings", "yaml_input", "files", "publish", "processes",
                     "xlsx", "xlsx_cells", "ooxml", "csvcells", "frames", "rounding", "printable"), 1),
}


def modules() -> dict[str, Path]:
    out = {}
    for p in (ROOT / "scoring").rglob("*.py"):
        name = ".".join(p.relative_to(ROOT).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = p
    return out


def imports(mods: dict[str, Path]) -> dict[str, set[str]]:
    """Module → the modules of scoring it imports."""
    edges: dict[str, set[str]] = defaultdict(set)
    for name, path in mods.items():
        pkg = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(parsed(path)):
            if isinstance(node, ast.Import):
                wanted = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = pkg.split(".")[: len(pkg.split(".")) - node.level + 1] if node.level else []
                mod = ".".join([*base, *([node.module] if node.module else [])])
                wanted = [mod, *(f"{mod}.{a.name}" for a in node.names)]
            else:
                continue
            for w in wanted:
                while w and w not in mods:
                    w = w.rpartition(".")[0]
                if w and w != name:
                    edges[name].add(w)
    return edges


def part(module: str) -> str:
    """``scoring.rubric.engine`` → ``rubric``; ``scoring`` → ``scoring``."""
    return module.split(".")[1] if "." in module else module


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_the_checks_see_the_imports():
    """The graph is read (a check over no edges would pass whatever the code did)."""
    edges = imports(modules())
    assert "scoring.rubric.engine" in edges["scoring.pipeline"]
    assert "scoring.results" in edges["scoring.reports.year_report"]
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]


def test_every_part_of_scoring_has_a_layer():
    assert {part(m) for m in modules()} - set(LAYERS) == set()


def test_no_import_circles():
    assert cycles(imports(modules())) == []


def test_imports_run_down_the_layers():
    up = sorted(f"{a} → {b}" for a, bs in imports(modules()).items() for b in bs
                if LAYERS[part(a)] < LAYERS[part(b)])
    assert up == [], "an import from a lower layer to a higher one (README 项目结构)"


def test_reports_read_results_not_the_runs():
    edges = imports(modules())
    runs = {m for m in modules() if part(m) in ("pipeline", "monitor", "cli")}
    assert sorted(f"{a} → {b}" for a, bs in edges.items() if part(a) == "reports" for b in bs & runs) == []


MAX_LINES = 450   # a module longer than this holds more than one thing: split it by what its parts do


def test_modules_stay_short():
    long = {str(p.relative_to(ROOT)): n for p in [*modules().values(), ROOT / "cli.py"]
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, "split these modules by what their parts do"
