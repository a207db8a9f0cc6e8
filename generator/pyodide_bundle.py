"""Pyodide for the page: vendoring, and the payloads that carry it to a page on file://.

The page runs the same `pyodide_app/` package in the browser through Pyodide, in a classic
Web Worker, and has to work served over http and opened from disk (file://).

Pyodide's loader imports `pyodide.asm.mjs` as an ES module. A classic worker cannot import a
module on every path (WebKit's Blob worker on file:// cannot), so the build writes
`pyodide.asm.js`: the same code as a classic script, with its two module-only pieces
replaced (`import.meta.url`, which it reads only in Node or without `locateFile`, and
`export default`, which becomes a global). `classic_script` fails the build loudly if either
is no longer where it was.

Over http the worker loads `pyodide/pyodide.js` and `pyodide/pyodide.asm.js` and lets Pyodide
fetch the rest (streaming wasm compilation). On file:// browsers refuse fetch() and workers
from files, so every file the worker would load also travels inside a classic script in
`pyodide/offline/`, loaded by the page and posted to the worker:

    loader.js  pyodide.js               gzip, then base64
    lock.js    the lock file's `info` (with an empty package map), the Pyodide version,
               and the original size and SHA-256 of every payload
    asm.js     pyodide.asm.js           gzip, then base64
    wasm.js    pyodide.asm.wasm         gzip, then base64
    stdlib.js  python_stdlib.zip        gzip, then base64

Each one is a single statement adding one entry to `globalThis.pyodideOffline`.

The Pyodide version is written nowhere in the repository except package.json (which pins
it); here it is read from node_modules/pyodide/package.json.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"

# What the page needs from the npm package, nothing more (no consoles, no .mjs loader:
# pyodide.js is the classic-script build). The source map spares browsers' tools a 404.
COPIED_FILES = ("pyodide.js", "pyodide.js.map", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
MODULE, CLASSIC = "pyodide.asm.mjs", "pyodide.asm.js"  # Pyodide's module, and the build's classic script
RUNTIME_FILES = (*COPIED_FILES, CLASSIC)
# The module-only pieces of pyodide.asm.mjs, and what the classic script has instead.
CLASSIC_EDITS = {
    "import.meta.url": "globalThis.location.href",
    "export default _createPyodideModule;": "globalThis._createPyodideModule = _createPyodideModule;",
}

# An export or a static import at the start of a statement: module syntax left over.
MODULE_STATEMENT = re.compile(r"(?:^|[;}])\s*(?:export\s+(?:default\b|[{*]|const\b|let\b|var\b|function\b|class\b)"
                              r"|import\s*[{*\"'])")

# payload script name -> the file it carries (gzip + base64)
OFFLINE_PAYLOADS = {
    "loader.js": "pyodide.js",
    "asm.js": CLASSIC,
    "wasm.js": "pyodide.asm.wasm",
    "stdlib.js": "python_stdlib.zip",
}
OFFLINE_LOCK = "lock.js"
# Written by generator/snapshot.py; vendor() leaves them alone.
SNAPSHOT_FILE = "snapshot.gz"  # in pyodide/
OFFLINE_SNAPSHOT = "snapshot.js"  # in pyodide/offline/
OFFLINE_GLOBAL = "pyodideOffline"  # boot.js reads globalThis.pyodideOffline


class BundleError(Exception):
    """Pyodide or a page file is missing or unusable; the message is one line."""


# ---------------------------------------------------------------------------- Pyodide

def require_pyodide() -> None:
    missing = [name for name in (*COPIED_FILES, MODULE, "package.json")
               if not (PYODIDE_DIR / name).is_file()]
    if missing:
        raise BundleError(f"{PYODIDE_DIR.relative_to(ROOT)} is missing or incomplete "
                          f"(no {', '.join(missing)}): run `npm ci` (or `make site`)")


def pyodide_version() -> str:
    """The Pyodide version in use, from node_modules/pyodide/package.json."""
    return _pyodide_json("package.json", "version")


def lock_info() -> dict:
    """The `info` of Pyodide's lock file (ABI, platform, Python version)."""
    return _pyodide_json("pyodide-lock.json", "info")


def _pyodide_json(name: str, key: str):
    require_pyodide()
    try:
        return json.loads((PYODIDE_DIR / name).read_text(encoding="utf-8"))[key]
    except (ValueError, KeyError) as error:
        raise BundleError(f"cannot read `{key}` from {PYODIDE_DIR / name}: {error}; run `npm ci`") from None


def script_json(value) -> str:
    """JSON that is also safe inside an inline <script>: no `<` at all (so no `</script`,
    no `<!--`), no U+2028/2029. `<` can only occur inside JSON strings, where \\u003c means
    the same character."""
    return json.dumps(value, ensure_ascii=True, sort_keys=True).replace("<", "\\u003c")


def gzip_b64(data: bytes) -> str:
    return base64.b64encode(gzip.compress(data, compresslevel=9, mtime=0)).decode("ascii")


def payload_script(key: str, value) -> str:
    """One classic-script statement adding `key` to globalThis.pyodideOffline."""
    return (f"(globalThis.{OFFLINE_GLOBAL} = globalThis.{OFFLINE_GLOBAL} || {{}})"
            f"[{script_json(key)}] = {script_json(value)};\n")


PAYLOAD_STATEMENT = re.compile(r"\(globalThis\.(\w+) = globalThis\.\1 \|\| \{\}\)\[(\"[^\"]+\")\] = (.*);\n", re.S)


def read_payload(path: Path) -> tuple[str, str]:
    """A payload script → (its key, its value as JSON text)."""
    match = PAYLOAD_STATEMENT.fullmatch(Path(path).read_text(encoding="ascii"))
    if match is None or match.group(1) != OFFLINE_GLOBAL:
        raise BundleError(f"{path} is not a payload script: rebuild with `make site`")
    return json.loads(match.group(2)), match.group(3)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace path in one step, so a browser or test reading it meanwhile (other builds run
    in parallel) sees the old or the new file, never half of one."""
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def classic_script(module: str) -> str:
    """pyodide.asm.mjs as a classic script; refuses a module it does not know how to change."""
    if module.count("export default _createPyodideModule;") != 1 or "import.meta.url" not in module:
        raise BundleError(f"{MODULE} of this Pyodide no longer has the form the build turns into a classic "
                          "script (one `export default _createPyodideModule;`, `import.meta.url`): "
                          "update CLASSIC_EDITS in generator/pyodide_bundle.py")
    for old, new in CLASSIC_EDITS.items():
        module = module.replace(old, new)
    if "import.meta" in module or MODULE_STATEMENT.search(module):
        raise BundleError(f"{MODULE} uses module syntax the build does not replace")
    return module


def runtime(name: str) -> bytes:
    """A file of the page's Pyodide, as the page gets it."""
    if name == CLASSIC:
        return classic_script((PYODIDE_DIR / MODULE).read_text(encoding="utf-8")).encode("utf-8")
    return (PYODIDE_DIR / name).read_bytes()


def vendor(out_dir: Path) -> None:
    """Copy Pyodide into out_dir/pyodide/ and write the file:// payloads to
    out_dir/pyodide/offline/. Unchanged files are left alone (the payloads are only
    re-encoded when a source file changed) and stray files are removed."""
    require_pyodide()
    version = pyodide_version()
    target = Path(out_dir) / "pyodide"
    offline = target / "offline"
    offline.mkdir(parents=True, exist_ok=True)
    files = {name: runtime(name) for name in RUNTIME_FILES}
    for name, data in files.items():
        write_atomically(target / name, data)

    sources = {name: files[name] for name in OFFLINE_PAYLOADS.values()}
    lock = {"version": version,
            "lock": {"info": lock_info(), "packages": {}},
            "sizes": {name: len(data) for name, data in sources.items()},
            "sha256": {name: hashlib.sha256(data).hexdigest() for name, data in sources.items()}}
    lock_text = payload_script("lock", lock).encode("ascii")
    current = (offline / OFFLINE_LOCK).is_file() and (offline / OFFLINE_LOCK).read_bytes() == lock_text
    if not (current and all((offline / script).is_file() for script in OFFLINE_PAYLOADS)):
        for script, name in OFFLINE_PAYLOADS.items():
            write_atomically(offline / script,
                             payload_script(name, gzip_b64(sources[name])).encode("ascii"))
        write_atomically(offline / OFFLINE_LOCK, lock_text)  # last: it marks them complete

    for folder, keep in ((target, {*RUNTIME_FILES, "offline", SNAPSHOT_FILE}),
                         (offline, {OFFLINE_LOCK, *OFFLINE_PAYLOADS, OFFLINE_SNAPSHOT})):
        for stray in folder.iterdir():
            if stray.name not in keep:
                shutil.rmtree(stray) if stray.is_dir() else stray.unlink()


