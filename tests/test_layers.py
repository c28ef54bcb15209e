"""The packages import each other in one direction only (docs/architecture.md, "Layers").

Read from the source, as text: a module that imports a package above its own fails here
even if that import would run only on some path.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parent.parent
# what each top-level package may import of ours; piisweep (the command line) sits on top
ALLOWED = {
    "contract": set(),
    "detectors": set(),
    "agents": {"contract"},
    "scanner": {"contract", "agents", "detectors"},
    "reports": {"contract", "detectors"},
    "piisweep": {"contract", "agents", "detectors", "scanner", "reports"},
}


def _imports(package: str) -> dict[str, set[str]]:
    """{our package it imports: the modules that import it}, for every module of ``package``."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in ALLOWED and top != package:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_package_of_ours_is_in_the_layer_table():
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists() and p.name not in ("tests", "bench")}
    assert packages == set(ALLOWED)


def test_each_package_imports_only_the_layers_below_it():
    wrong = {}
    for package, allowed in ALLOWED.items():
        for imported, modules in _imports(package).items():
            if imported not in allowed:
                wrong[f"{package} -> {imported}"] = sorted(modules)
    assert not wrong, wrong


def test_the_import_graph_has_no_cycle():
    edges = {package: set(_imports(package)) for package in ALLOWED}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in edges[start] - seen:
            if nxt == goal or reaches(nxt, goal, seen | {nxt}):
                return True
        return False

    cycles = sorted(p for p in ALLOWED if reaches(p, p, set()))
    assert not cycles, cycles
