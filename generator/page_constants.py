"""What the page's scripts share with Python (pyodide_app/protocol.py, `shared_with_page`),
written by the build into `protocol.js`: a classic script setting `globalThis.pageProtocol`,
read alike over http, from file:// and inlined in the single file. So no script copies a
message kind, a part's name or the link's prefix by hand, and none can drift from Python's.
"""

from __future__ import annotations

from pathlib import Path

from pyodide_app import protocol

from .pyodide_bundle import script_json, write_atomically

SCRIPT = "protocol.js"
GLOBAL = "pageProtocol"


def script_text() -> str:
    return f"globalThis.{GLOBAL} = {script_json(protocol.shared_with_page())};\n"


def write(out_dir: Path) -> None:
    write_atomically(Path(out_dir) / SCRIPT, script_text().encode("ascii"))
