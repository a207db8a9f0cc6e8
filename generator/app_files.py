"""The app's Python sources for the browser: `app-files.js`, a classic script that works over
http and from file://, holding the gzip + base64 of `{path: text}` as `globalThis.appFiles`."""

from __future__ import annotations

import ast
import hashlib
import io
import json
import re
import tokenize
from pathlib import Path

from .pyodide_bundle import BundleError, gzip_b64, script_json, write_atomically

APP_FILES_SCRIPT = "app-files.js"
APP_FILE_SUFFIXES = (".py", ".json")
# Modules of the command line only: the browser never imports them.
COMMAND_LINE_ONLY = ("pyodide_app/__main__.py", "pyodide_app/view/explain.py")



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
    """The source without its comments and docstrings, line for line.

    The browser needs the code, not its explanation (a sixth of the bytes; the repository
    keeps it). Nothing else changes: the same statements on the same lines, so a traceback
    from the page points at the right line of the repository's file.
    """
    lines = source.splitlines(keepends=True)
    cuts = [(token.start, token.end, "") for token in tokenize.generate_tokens(io.StringIO(source).readline)
            if token.type == tokenize.COMMENT]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) \
                and ast.get_docstring(node, clean=False) is not None:
            doc = node.body[0]  # ast counts columns in UTF-8 bytes; lines are indexed by character
            start = len(lines[doc.lineno - 1].encode()[:doc.col_offset].decode())
            end = len(lines[doc.end_lineno - 1].encode()[:doc.end_col_offset].decode())
            cuts.append(((doc.lineno, start), (doc.end_lineno, end), '""'))  # a body may be just this
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


# Templates only the build renders: the live page re-draws the parts inside them.
BUILD_ONLY_TEMPLATES = ("base.html", "architecture.html")
_INDENTATION = re.compile(r"^[ \t]+", re.MULTILINE)
_JINJA_COMMENT = re.compile(r"\{#(-?).*?(-?)#\}", re.S)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)  # none of the templates' styles has one in a string


def template_files(templates_dir: Path, root: Path) -> dict[str, str]:
    """The templates the worker renders (the page's structure, the worksheet and its styles),
    keyed by path relative to `root` (the worker keeps the repository's layout). Indentation
    shrinks to one space: the rendered page collapses every run of whitespace anyway
    (render.collapse_whitespace), and CSS does not care."""
    paths = sorted([*Path(templates_dir).glob("*.html"), *Path(templates_dir).glob("*.css")])
    return {path.relative_to(root).as_posix(): _INDENTATION.sub(" ", without_template_comments(path))
            for path in paths if path.name not in BUILD_ONLY_TEMPLATES}


def without_template_comments(path: Path) -> str:
    """A template without its comments: Jinja's {# … #} (its whitespace control kept) and CSS's."""
    text = _JINJA_COMMENT.sub(r"{#\1\2#}", path.read_text(encoding="utf-8"))
    return _CSS_COMMENT.sub("", text) if path.suffix == ".css" else text


def shipped_files(package_dir: Path) -> dict[str, str]:
    """What the worker installs: the package and the page's templates."""
    package_dir = Path(package_dir)
    return app_files(package_dir) | template_files(package_dir.parent / "site_src" / "templates", package_dir.parent)


def write_app_files(out_dir: Path, package_dir: Path) -> dict[str, str]:
    """Write out_dir/app-files.js: `globalThis.appFiles = {"gzip": base64, "digest": …};`,
    the JSON of {path: text} compressed (a quarter of the bytes), which the worker unpacks:
    the shipped files, and their sources_digest. Returns the files."""
    files = shipped_files(package_dir)
    packed = gzip_b64(json.dumps(files, ensure_ascii=False).encode("utf-8"))
    text = f"globalThis.appFiles = {script_json({'gzip': packed, 'digest': sources_digest(files)})};\n"
    write_atomically(Path(out_dir) / APP_FILES_SCRIPT, text.encode("ascii"))
    return files
