"""The shape of pyodide_app/: imports point one way, down the layers; no file is long; no
class mixes others in."""

from __future__ import annotations

import ast
from pathlib import Path

import oracle

PACKAGE = oracle.ROOT / "pyodide_app"
# from the bottom up; a module may import its own layer and those below it
LAYERS = [
    ["notation", "translation"],
    ["activations", "losses", "network", "batch", "practice", "presets", "gradient_check", "equal_size"],  # the maths and its records
    ["limits", "data", "architecture", "schema", "state_values", "state", "design", "redesign", "fields", "saved",
     "training", "lessons", "second"],  # the model
    ["trace", "masking"],
    ["view", "protocol"],  # what the page is written and sent
    ["features"],
    ["page_writer", "session"],
    ["worker", "drawing", "__main__"],
]
LAYER = {name: k for k, names in enumerate(LAYERS) for name in names}


def modules() -> list[Path]:
    return [path for path in sorted(PACKAGE.rglob("*.py")) if path.name != "__init__.py" or path.parent != PACKAGE]


def top_name(path: Path) -> str:
    """The layer's name of a module: its package below pyodide_app, or its own name."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def imported(path: Path) -> set[str]:
    """The names, below pyodide_app, of what a module imports."""
    here = path.relative_to(PACKAGE).parent.parts
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = here[:len(here) - (node.level - 1)]
            if node.module:
                out.add((*base, *node.module.split("."))[0])
            else:
                out |= {(*base, alias.name)[0] for alias in node.names}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            name = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
            assert not name.startswith("pyodide_app"), f"{path}: import pyodide_app's modules relatively"
    return out


def test_every_module_has_a_layer():
    assert {top_name(path) for path in modules()} <= set(LAYER)


def test_imports_point_down_the_layers():
    upward = [f"{path.relative_to(PACKAGE)} imports {name}" for path in modules() for name in imported(path)
              if LAYER[name] > LAYER[top_name(path)]]
    assert not upward, upward


def test_no_file_is_over_300_lines():
    long = {str(path.relative_to(PACKAGE)): n for path in modules()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 300}
    assert not long, long


def test_no_class_mixes_others_in():
    mixed = [f"{path.relative_to(PACKAGE)}: {node.name}" for path in modules()
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.ClassDef) and len(node.bases) > 1]
    assert not mixed, mixed


def test_a_feature_names_no_other_feature():
    """Features meet only through the session: none imports another (base.py is what they share)."""
    features = PACKAGE / "features"
    own = {path.stem for path in features.glob("*.py")} - {"__init__", "base"}
    for path in features.glob("*.py"):
        if path.stem in own:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            named = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 1}
            assert named <= {"base"}, f"{path.name} imports {named - {'base'}}"
