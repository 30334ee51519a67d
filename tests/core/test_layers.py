"""Dependencies point down: every import from one mamori package to another goes to a lower
layer of ``mamori.layers.LAYERS``, and no two apps import each other, however indirectly."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

import mamori
from mamori.layers import LAYERS, NOT_PACKAGES, layer_of

SOURCE = Path(mamori.__file__).resolve().parent


def _package_of(path: Path) -> str:
    parts = path.relative_to(SOURCE).parts
    return parts[0] if len(parts) > 1 else path.stem


def _imported(path: Path) -> set[tuple[str, int]]:
    """Return the mamori packages ``path`` imports (at any depth, type-only ones too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "mamori":
                names = [f"mamori.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "mamori" and len(parts) > 1:
                found.add((parts[1], node.lineno))
    return found


def _sources() -> list[Path]:
    return [path for path in SOURCE.rglob("*.py") if "migrations" not in path.parts]


def _imports() -> dict[str, set[tuple[str, str]]]:
    """Return, for each package, the other packages it imports and where."""
    edges: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for path in _sources():
        package = _package_of(path)
        for target, line in _imported(path):
            if target != package:
                edges[package].add((target, f"{path.relative_to(SOURCE)}:{line}"))
    return edges


IMPORTS = _imports()


def test_every_package_has_a_layer():
    packages = {_package_of(path) for path in SOURCE.iterdir() if path.name not in NOT_PACKAGES} - {
        "py.typed"
    }
    declared = {package for layer in LAYERS for package in layer}
    assert packages - declared == set(), "add the new package to mamori.layers.LAYERS"


def test_imports_point_down():
    upward = [
        f"{where}: {package} imports {target}"
        for package, targets in IMPORTS.items()
        for target, where in targets
        if layer_of(target) >= layer_of(package)
    ]
    assert upward == []


def test_no_cycle_between_packages():
    graph = {package: {target for target, _ in targets} for package, targets in IMPORTS.items()}
    cycles = []
    for start in graph:
        stack, seen = [(start, (start,))], set()
        while stack:
            node, path = stack.pop()
            for target in graph.get(node, ()):
                if target == start:
                    cycles.append(" -> ".join((*path, start)))
                elif target not in seen:
                    seen.add(target)
                    stack.append((target, (*path, target)))
    assert cycles == []


@pytest.mark.parametrize(
    "engine",
    sorted(
        p.name for p in (SOURCE / "engines").iterdir() if p.is_dir() and p.name != "__pycache__"
    ),
)
def test_an_engine_imports_only_itself(engine):
    outside = set()
    for path in (SOURCE / "engines" / engine).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            module = node.module if isinstance(node, ast.ImportFrom) and node.level == 0 else None
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [module]
            for name in filter(None, names):
                if name.startswith("mamori") and not name.startswith(f"mamori.engines.{engine}"):
                    outside.add(f"{path.relative_to(SOURCE)}: {name}")
    assert outside == set()


def test_the_checks_see_an_upward_import(tmp_path):
    """The walk over the sources finds imports inside functions and type-only blocks."""
    module = tmp_path / "example.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from mamori.demo import builder\n"
        "def f():\n    from mamori.core import views\n    import mamori.watch.models\n",
        encoding="utf-8",
    )
    assert {target for target, _ in _imported(module)} == {"demo", "core", "watch"}


def test_the_readme_layout_names_every_package():
    readme = (SOURCE.parents[1] / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## For developers") :]
    missing = [
        package
        for layer in LAYERS
        for package in layer
        if not any(f"`{form}" in layout for form in (f"{package}`", f"{package}/", f"{package}.py"))
        and f"/{package}.py`" not in layout
    ]
    assert missing == [], "name the package in the README's layout section"
