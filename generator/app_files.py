"""The app's Python sources for the browser: `app-files.js`, a classic script that works over
http and from file://, holding `{path: text}` packed as `globalThis.appFiles`."""

from __future__ import annotations

import ast
import base64
import bz2
import hashlib
import io
import json
import re
import tokenize
from pathlib import Path

from .pyodide_bundle import BundleError, script_json, write_atomically

APP_FILES_SCRIPT = "app-files.js"
APP_FILE_SUFFIXES = (".py", ".json")
# Modules of the command line only: the browser never imports them.
COMMAND_LINE_ONLY = ("pyodide_app/__main__.py", "pyodide_app/view/explain.py", "pyodide_app/view/latex_document.py")



def app_files(package_dir: Path) -> dict[str, str]:
    """Every *.py and *.json of the package, keyed by path relative to its parent."""
    package_dir = Path(package_dir)
    if not (package_dir / "__init__.py").is_file():
        raise BundleError(f"{package_dir} is not a Python package (no __init__.py)")
    files = {}
    for path in sorted(package_dir.rglob("*")):
        relative = path.relative_to(package_dir.parent)
        if (not path.is_file() or path.suffix not in APP_FILE_SUFFIXES
                or relative.as_posix() in COMMAND_LINE_ONLY
                or any(part == "__pycache__" or part.startswith(".") for part in relative.parts)):
            continue
        text = path.read_text(encoding="utf-8")
        files[relative.as_posix()] = without_documentation(text) if path.suffix == ".py" else text
    return files


def without_documentation(source: str) -> str:
    """The source without its comments, docstrings and the annotations of its functions'
    arguments and results, line for line.

    The browser needs the code, not its explanation (a sixth of the bytes; the repository
    keeps it). Every module has `from __future__ import annotations`, so those annotations
    are never evaluated; a class's annotated fields stay (dataclasses read them). Nothing
    else changes: the same statements on the same lines, so a traceback from the page points
    at the right line of the repository's file.
    """
    lines = source.splitlines(keepends=True)

    def position(line: int, utf8_column: int) -> tuple[int, int]:
        # ast counts columns in UTF-8 bytes; lines are indexed by character
        return line, len(lines[line - 1].encode()[:utf8_column].decode())

    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    arrows = [token.start for token in tokens if token.type == tokenize.OP and token.string == "->"]
    cuts = [(token.start, token.end, "") for token in tokens if token.type == tokenize.COMMENT]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) \
                and ast.get_docstring(node, clean=False) is not None:
            doc = node.body[0]
            cuts.append((position(doc.lineno, doc.col_offset), position(doc.end_lineno, doc.end_col_offset),
                         '""'))  # a body may be just this
        if isinstance(node, ast.arg) and node.annotation is not None:
            cuts.append((position(node.lineno, node.col_offset + len(node.arg.encode())),
                         position(node.annotation.end_lineno, node.annotation.end_col_offset), ""))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
            result = position(node.returns.lineno, node.returns.col_offset)
            cuts.append((max(arrow for arrow in arrows if arrow < result),
                         position(node.returns.end_lineno, node.returns.end_col_offset), ""))
    for (row, col), (end_row, end_col), replacement in sorted(cuts, reverse=True):
        before, after = lines[row - 1][:col], lines[end_row - 1][end_col:]
        if not replacement:
            before = before.rstrip()
        lines[row - 1:end_row] = [before + replacement + "\n" * (end_row - row) + after]
    return "".join(lines)


def sources_digest(files: dict[str, str]) -> str:
    """SHA-256 of the app files as installed in the browser. The memory snapshot records the
    digest of the sources it imported, the page the digest of the sources it installs: the
    worker restores the snapshot only if the two are equal."""
    return hashlib.sha256(json.dumps(files, sort_keys=True).encode("utf-8")).hexdigest()


# Templates the worker never renders: the build's (the live page re-draws the parts inside
# them) and the command line's LaTeX of every card.
BUILD_ONLY_TEMPLATES = ("base.html", "architecture.html", "cards.tex.j2")
_INDENTATION = re.compile(r"^[ \t]+", re.MULTILINE)
_JINJA_COMMENT = re.compile(r"\{#(-?).*?(-?)#\}", re.S)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)  # none of the templates' styles has one in a string


def template_files(templates_dir: Path, root: Path) -> dict[str, str]:
    """The templates the worker renders (the page's structure, the worksheet and its styles, the
    network as code), keyed by path relative to `root` (the worker keeps the repository's layout).
    In HTML and CSS, indentation shrinks to one space: the rendered page collapses every run of
    whitespace anyway (render.collapse_whitespace), and CSS does not care. The code's templates
    (export/) keep theirs: it is Python's syntax."""
    templates_dir = Path(templates_dir)
    paths = sorted([*templates_dir.glob("*.html"), *templates_dir.glob("*.css"), *templates_dir.glob("export/*.j2")])
    return {path.relative_to(root).as_posix(): _shrunk(path, without_template_comments(path))
            for path in paths if path.name not in BUILD_ONLY_TEMPLATES}


def _shrunk(path: Path, text: str) -> str:
    return text if path.suffix == ".j2" else _INDENTATION.sub(" ", text)


def without_template_comments(path: Path) -> str:
    """A template without its comments: Jinja's {# … #} (its whitespace control kept) and CSS's."""
    text = _JINJA_COMMENT.sub(r"{#\1\2#}", path.read_text(encoding="utf-8"))
    return _CSS_COMMENT.sub("", text) if path.suffix == ".css" else text


def shipped_files(package_dir: Path) -> dict[str, str]:
    """What the worker installs: the package and the page's templates."""
    package_dir = Path(package_dir)
    return app_files(package_dir) | template_files(package_dir.parent / "site_src" / "templates", package_dir.parent)


def write_app_files(out_dir: Path, package_dir: Path) -> dict[str, str]:
    """Write out_dir/app-files.js: `globalThis.appFiles = {"bz2": packed, "install": INSTALLER,
    "digest": …};`, the shipped files, the Python that installs them, and their
    sources_digest. Returns the files."""
    files = shipped_files(package_dir)
    packed = {"bz2": pack(files), "install": INSTALLER, "digest": sources_digest(files)}
    write_atomically(Path(out_dir) / APP_FILES_SCRIPT, f"globalThis.appFiles = {script_json(packed)};\n".encode("ascii"))
    return files


def pack(files: dict[str, str]) -> str:
    """The JSON of `files`, bzip2 + base85, which INSTALLER unpacks in the worker.

    A script carries only text. bzip2 packs the sources a sixth smaller than gzip, and base85
    spends a quarter on text where base64 spends a third: 13 KB less than gzip + base64.
    base85's alphabet has "<", which an inline script must not hold (`script_json` would
    write six bytes for it): it is written ".", which the alphabet lacks."""
    packed = base64.b85encode(bz2.compress(json.dumps(files, ensure_ascii=False).encode("utf-8"), 9))
    return packed.decode("ascii").replace("<", ".")


# The worker's first Python, run before the app exists (python.js): `install(packed, home,
# module)` unpacks `pack`'s text and writes the files under home. It travels in app-files.js,
# so the page, the benchmark's bare page and `unpack` below run the same code.
INSTALLER = """\
def unpacked(packed):
    import base64, bz2, json
    return json.loads(bz2.decompress(base64.b85decode(packed.replace(".", "<"))))

def install(packed, home, module):
    import importlib, os, sys
    files = unpacked(packed)
    if module not in files:
        raise ValueError("incomplete: no " + module)
    for path, text in files.items():
        full = os.path.normpath(os.path.join(home, path))
        if not full.startswith(home + "/"):
            raise ValueError("unsafe path: " + path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as file:
            file.write(text)
    if home not in sys.path:
        sys.path.insert(0, home)
    importlib.invalidate_caches()

install
"""


def unpack(text: str) -> dict[str, str]:
    """`pack`'s text unpacked by INSTALLER's own code."""
    namespace: dict = {}
    exec(INSTALLER, namespace)
    return namespace["unpacked"](text)
