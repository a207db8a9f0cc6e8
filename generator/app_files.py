"""The app's Python sources for the browser: `app-files.js`, a classic script that works over
http and from file://, holding `globalThis.appFiles = {path: text}`."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

from .pyodide_bundle import BundleError, script_json, write_atomically

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


# Characters a template literal cannot hold as themselves: ` (it would end the literal), $
# (${ starts a substitution) and \ (an escape), written with a backslash before them; and,
# as \uXXXX, `<` (so the single file's inline copy has no `</script` and no `<!--`), the
# control characters except tab and newline (a CR would be read as LF, a NUL is replaced by
# HTML) and U+2028/2029 (line breaks to some tools).
_TEMPLATE_ESCAPED = re.compile(r"[\\`$<\u2028\u2029\x00-\x08\x0b-\x1f]")


def _template_escape(match: re.Match) -> str:
    character = match.group()
    return "\\" + character if character in "\\`$" else f"\\u{ord(character):04x}"


def _template_literal(text: str) -> str:
    """A JavaScript template literal whose value is text. Unlike a JSON string it holds
    newlines and quotes as themselves (JSON spends two bytes on each), and every other
    character as itself in UTF-8, the page's encoding, which its classic scripts share."""
    return "`" + _TEMPLATE_ESCAPED.sub(_template_escape, text) + "`"


def write_app_files(out_dir: Path, package_dir: Path) -> None:
    """Write out_dir/app-files.js: `globalThis.appFiles = {path: `text`, ...};`, each file's
    text a template literal, one path a line."""
    entries = ",".join(f"\n{script_json(path)}: {_template_literal(text)}"
                       for path, text in app_files(package_dir).items())
    text = f"globalThis.appFiles = {{{entries}\n}};\n"
    write_atomically(Path(out_dir) / APP_FILES_SCRIPT, text.encode("utf-8"))


