"""The package's layout holds: stages import only down the pipeline, no cycles, small rooms.

docs/architecture.md reads the tree top to bottom; these checks keep the code true to it, so a
later change cannot quietly import a higher stage or grow a module past what a newcomer reads.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers import REPO

PACKAGE = REPO / "generator"
# The pipeline, bottom to top: a module may import its own stage or any stage before it.
STAGES = ("errors", "project", "language", "inputs", "profile", "content", "plans", "check", "i18n", "render",
          "output", "compose", "workers", "build", "quality", "studio", "cli", "__init__", "__main__")
MAX_ROOT_MODULES = 8
MAX_LINES = 450


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stage(module: str) -> str:
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def _imports(path: Path) -> set[str]:
    """Every generator module `path` imports, lazy imports inside functions included."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names
                         if (PACKAGE.parent / f"{node.module}.{alias.name}".replace(".", "/")).with_suffix(".py").exists())
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("generator"))
    return found


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py")) if "_bundled" not in path.parts}
GRAPH = {name: {m for m in _imports(path) if m in MODULES and m != name} for name, path in MODULES.items()}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_only_down_the_stages(module: str) -> None:
    rank = STAGES.index(_stage(module))
    upward = sorted(m for m in GRAPH[module] if STAGES.index(_stage(m)) > rank and m != "generator")
    assert not upward, f"{module} ({_stage(module)}) imports a later stage: {upward}"


def test_there_is_no_import_cycle() -> None:
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, f"import cycle: {' -> '.join((*trail[trail.index(name):], name))}"
        if name in done:
            return
        for imported in sorted(GRAPH[name]):
            visit(imported, (*trail, name))
        done.add(name)

    for name in sorted(GRAPH):
        visit(name, ())


def test_every_stage_is_known_and_the_ground_floor_is_small() -> None:
    unknown = sorted({_stage(m) for m in MODULES} - set(STAGES))
    assert not unknown, f"add new stages to STAGES (and docs/architecture.md) in pipeline order: {unknown}"
    root = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(root) <= MAX_ROOT_MODULES, root


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_too_long_to_read(module: str) -> None:
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines: split it by role"


def test_the_checks_see_a_real_upward_import(tmp_path: Path) -> None:
    """The walker finds lazy imports inside functions, so the stage check cannot pass by not looking."""
    source = tmp_path / "x.py"
    source.write_text("def f():\n    from generator.cli.main import main\n    import generator.build\n")
    assert _imports(source) >= {"generator.cli.main", "generator.build"}
