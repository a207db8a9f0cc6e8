"""Jinja2 and MarkupSafe for the live page, which re-draws its structure with the build's
templates: `pyodide/jinja.js`, a classic script (it works over http and from file://)
holding the gzip + base64 of their pure-Python sources as `globalThis.templateLibrary`.

Both are taken from the environment that runs the build (pinned in requirements.txt).
MarkupSafe's compiled `_speedups` is left out: without it MarkupSafe uses its pure-Python
`_native`. The script sits under pyodide/: it is part of the Python runtime the page ships,
not of the page's own files.
"""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import markupsafe

from .pyodide_bundle import gzip_b64, script_json, write_atomically

SCRIPT = "pyodide/jinja.js"
GLOBAL = "templateLibrary"


def library_files() -> dict[str, str]:
    """{path: text} of every .py file of jinja2 and markupsafe, relative to site-packages."""
    files = {}
    for package in (jinja2, markupsafe):
        root = Path(package.__file__).parent
        for path in sorted(root.rglob("*.py")):
            files[path.relative_to(root.parent).as_posix()] = path.read_text(encoding="utf-8")
    return files


def write(out_dir: Path) -> None:
    packed = gzip_b64(json.dumps(library_files(), ensure_ascii=False).encode("utf-8"))
    text = f"globalThis.{GLOBAL} = {script_json({'gzip': packed})};\n"
    path = Path(out_dir) / SCRIPT
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, text.encode("ascii"))
