"""Pyodide's memory snapshot for the worker: made at build time, so the page starts Python
with the app's modules already imported (restored in well under half the time of an
ordinary start).

Node (generator/make_snapshot.mjs) starts Pyodide from node_modules, installs the app's
sources and Jinja under /home/pyodide as the page does, imports SNAPSHOT_MODULES, compiles
the templates (PREPARE) and saves the wasm memory. The file the page gets
(site/pyodide/snapshot.gz, and for file:// the same bytes as gzip + base64 in
pyodide/offline/snapshot.js) is gzip of

    8 bytes     MAGIC
    4 bytes     n, little-endian
    n bytes     JSON metadata: the Pyodide version and BUILD_ID, the digest of the app's
                sources, the module list, the size of what follows
    zero bytes  up to a multiple of 16 (Pyodide reads its header as 32-bit words)
    the rest    Pyodide's own snapshot, unchanged

The worker (site_src/static/snapshot.js) checks the metadata before it hands the rest to
Pyodide, so a stale snapshot (an older Pyodide, other sources) is never restored, whatever
a cache kept.

The same snapshot serves every browser engine: make_snapshot.mjs says how (`portable`).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

from .app_files import sources_digest
from .pyodide_bundle import (OFFLINE_SNAPSHOT, PYODIDE_DIR, SNAPSHOT_FILE, BundleError, payload_script, pyodide_version,
                             require_pyodide, write_atomically)

NODE_SCRIPT = Path(__file__).with_name("make_snapshot.mjs")

OFFLINE_KEY = "snapshot"  # of globalThis.pyodideOffline, in pyodide/offline/snapshot.js

MAGIC = b"PYSNAP01"
FORMAT = 1

HOME = "/home/pyodide"  # Pyodide's home and working directory, where the page installs the app
# The whole environment Python sees, besides Emscripten's constants (USER, PATH, PWD):
# nothing from the build machine. `_` is what a browser sets.
ENV = {"HOME": HOME, "LANG": "C.UTF-8", "_": "./this.program"}
# What the worker needs before its first answer: its entry module imports all the rest. It
# imports no `js`, whose objects would belong to Node, not to the page that restores. Jinja,
# with every template compiled, is ready too: otherwise the first structure change, worksheet
# or gradient check waits a second or more for it.
SNAPSHOT_MODULES = ("pyodide_app.worker", "jinja2")
PREPARE = "from pyodide_app.view import render\nrender.prepare()\n"

PYODIDE_MAGIC = 0x706E7300  # the first word of Pyodide's snapshot
BUILD_ID_WORDS = slice(4, 12)  # of its header's 32-bit words


def build(out_dir: Path, files: dict[str, str], library: dict[str, str], node: str = "node") -> dict:
    """Write out/pyodide/snapshot.gz and out/pyodide/offline/snapshot.js for these app
    files (as app_files() gives them) and template library (Jinja, as the page installs it
    beside them), unless both already hold a snapshot of the same inputs. Returns the metadata.
    The page checks "sources", the digest of its own app files; the library is pinned."""
    wanted = {"format": FORMAT, "pyodide": pyodide_version(), "sources": sources_digest(files),
              "library": sources_digest(library), "portable": True, "modules": list(SNAPSHOT_MODULES),
              "prepare": PREPARE, "env": ENV, "maker": hashlib.sha256(NODE_SCRIPT.read_bytes()).hexdigest()}
    target = Path(out_dir) / "pyodide"
    current = read_metadata(target / SNAPSHOT_FILE)
    if (current and {key: current.get(key) for key in wanted} == wanted
            and current.get("buildId") == pyodide_build_id()
            and (target / "offline" / OFFLINE_SNAPSHOT).is_file()):
        return current
    pyodide_snapshot = make(files | library, node)
    metadata = {**wanted, "buildId": build_id_of(pyodide_snapshot), "size": len(pyodide_snapshot)}
    data = gzip.compress(pack(metadata, pyodide_snapshot), compresslevel=6, mtime=0)
    (target / "offline").mkdir(parents=True, exist_ok=True)
    write_atomically(target / "offline" / OFFLINE_SNAPSHOT,
                      payload_script(OFFLINE_KEY, base64.b64encode(data).decode("ascii")).encode("ascii"))
    write_atomically(target / SNAPSHOT_FILE, data)
    return metadata


def make(files: dict[str, str], node: str = "node") -> bytes:
    """Pyodide's own snapshot after installing `files` under HOME, importing SNAPSHOT_MODULES
    and running PREPARE, made by Node with the npm package in node_modules."""
    require_pyodide()
    if shutil.which(node) is None:
        raise BundleError(f"`{node}` (Node.js) is needed to make Pyodide's snapshot: install Node 20")
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "snapshot"
        request = {"pyodide": str(PYODIDE_DIR), "out": str(out), "home": HOME, "env": ENV,
                   "files": files, "modules": list(SNAPSHOT_MODULES), "prepare": PREPARE}
        try:
            result = subprocess.run([node, str(NODE_SCRIPT)], input=json.dumps(request).encode(),
                                    capture_output=True, cwd=scratch, check=False, timeout=300)
        except subprocess.TimeoutExpired:
            raise BundleError("making Pyodide's snapshot took over 5 minutes: stopped") from None
        if result.returncode != 0 or not out.is_file():
            lines = result.stderr.decode(errors="replace").strip().splitlines() or ["no output"]
            raise BundleError(f"making Pyodide's snapshot failed: {lines[-1]}")
        return out.read_bytes()


def pack(metadata: dict, pyodide_snapshot: bytes) -> bytes:
    """MAGIC, the metadata's length and JSON, zero padding to 16 bytes, the snapshot."""
    header = json.dumps(metadata, sort_keys=True, separators=(",", ":")).encode()
    start = len(MAGIC) + 4 + len(header)
    padding = -start % 16
    return MAGIC + struct.pack("<I", len(header)) + header + bytes(padding) + pyodide_snapshot


def unpack(data: bytes) -> tuple[dict, bytes]:
    """(metadata, Pyodide's snapshot) from what pack() made; ValueError if it is not one."""
    if data[:len(MAGIC)] != MAGIC or len(data) < len(MAGIC) + 4:
        raise ValueError("not a snapshot of this page (wrong magic)")
    (length,) = struct.unpack_from("<I", data, len(MAGIC))
    start = len(MAGIC) + 4
    metadata = json.loads(data[start:start + length])
    body = start + length + (-(start + length) % 16)
    return metadata, data[body:]


def read_metadata(path: Path) -> dict | None:
    """The metadata of a snapshot file, reading only its beginning; None if there is none."""
    try:
        with gzip.open(path, "rb") as stream:
            head = stream.read(len(MAGIC) + 4)
            if head[:len(MAGIC)] != MAGIC or len(head) < len(MAGIC) + 4:
                return None
            (length,) = struct.unpack_from("<I", head, len(MAGIC))
            return json.loads(stream.read(length))
    except (OSError, EOFError, ValueError):
        return None


def build_id_of(pyodide_snapshot: bytes) -> str:
    """The BUILD_ID Pyodide wrote into its snapshot header (it refuses any other build)."""
    words = struct.unpack_from("<12I", pyodide_snapshot)
    if words[0] != PYODIDE_MAGIC:
        raise BundleError("Node did not return a Pyodide snapshot (wrong magic number)")
    return "".join(f"{word:08x}" for word in words[BUILD_ID_WORDS])


def pyodide_build_id() -> str:
    """BUILD_ID of the Pyodide in node_modules, as pyodide.js carries it."""
    require_pyodide()
    text = (PYODIDE_DIR / "pyodide.js").read_text(encoding="utf-8")
    start = text.find('BUILD_ID:"')
    if start < 0:
        raise BundleError("node_modules/pyodide/pyodide.js has no BUILD_ID: has Pyodide changed?")
    return text[start + len('BUILD_ID:"'):text.index('"', start + len('BUILD_ID:"'))]

