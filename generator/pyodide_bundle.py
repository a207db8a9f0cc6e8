"""Pyodide for the page: vendoring, the file:// payloads, the app's sources, CSP, single file.

The page runs the same `pyodide_app/` package in the browser through Pyodide, and has to
work both served over http and opened from disk (file://, e.g. from a USB stick).

Over http `boot.js` loads `pyodide/pyodide.js` and lets Pyodide fetch its files the usual
way (streaming wasm compilation, nothing re-encoded).

On file:// browsers refuse fetch() and ES-module imports, so every file Pyodide would
fetch or import also travels inside a classic script in `pyodide/offline/`:

    lock.js    the lock file's `info` (with an empty package map), the Pyodide version,
               and the original size of every payload
    asm.js     pyodide.asm.mjs          gzip, then base64
    wasm.js    pyodide.asm.wasm         gzip, then base64
    stdlib.js  python_stdlib.zip        gzip, then base64

Each one is a single statement adding one entry to `globalThis.pyodideOffline`. Bytes are
never edited: boot.js decodes them, imports pyodide.asm.mjs from a Blob URL and answers
Pyodide's own fetch() of the wasm and the stdlib from them.

The Pyodide version is written nowhere in the repository except package.json (which pins
it); here it is read from node_modules/pyodide/package.json.
"""

from __future__ import annotations

import ast
import base64
import gzip
import hashlib
import html
import io
import json
import re
import shutil
import tokenize
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"

# What the page needs from the npm package, nothing more (no source maps, no consoles,
# no .mjs loader: pyodide.js is the classic-script build that also works from file://).
RUNTIME_FILES = ("pyodide.js", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json")

# payload script name -> the Pyodide file it carries (gzip + base64)
OFFLINE_PAYLOADS = {
    "asm.js": "pyodide.asm.mjs",
    "wasm.js": "pyodide.asm.wasm",
    "stdlib.js": "python_stdlib.zip",
}
OFFLINE_LOCK = "lock.js"
OFFLINE_GLOBAL = "pyodideOffline"  # boot.js reads globalThis.pyodideOffline
# Only in the single file: pyodide.js itself, run from a Blob URL as a classic script.
SINGLE_ONLY_PAYLOAD = "pyodide.js"

APP_FILES_SCRIPT = "app-files.js"
APP_FILE_SUFFIXES = (".py", ".json")
# Modules of the command line only: the browser never imports them.
COMMAND_LINE_ONLY = ("pyodide_app/__main__.py", "pyodide_app/view/explain.py")

# The Content-Security-Policy of site/index.html (a <meta http-equiv>, so `frame-ancestors`,
# `report-uri` and `sandbox` are not available: browsers ignore them in meta and log an
# error).
#
#   default-src 'none'      anything not listed below is refused (frames, workers, media,
#                           manifests, ...)
#   script-src 'self'       the page's own scripts only: app-files.js, boot.js,
#                           pyodide/pyodide.js, pyodide/pyodide.asm.mjs, pyodide/offline/*.js.
#                           On a file:// page (an opaque origin) Chromium's 'self' matches
#                           every file: URL, in any folder (tested, Chromium 156); without it
#                           not even boot.js runs from disk. It never matches blob: or data:
#                           (web-platform-tests blob-urls-do-not-match-self).
#               blob:       RELAXATION, needed by the file:// path only: there ES-module
#                           imports of files are refused, so boot.js imports the unchanged
#                           text of pyodide.asm.mjs through a Blob URL (and, in the single
#                           file, runs pyodide.js from one). 'self' does not cover blob:
#                           so without it the import is blocked (a script-src-elem violation).
#                           A blob: URL can only be minted by script already running in the
#                           page, so this gives injected markup nothing to load.
#               'wasm-unsafe-eval'  WebAssembly compilation (and nothing else: eval() and
#                           new Function stay forbidden)
#   style-src 'self'        style.css only; no inline <style>, no style="" attributes
#   img-src 'self'          the page's own images (icon.svg)
#   font-src 'self'         fonts only from the page's own files
#   connect-src 'self'      fetch() over http: the wasm, the stdlib, the lock file. On file://
#                           nothing is fetched (boot.js answers Pyodide's fetch itself).
#   object-src 'none'; base-uri 'none'; form-action 'none'   (base-uri and form-action do
#                           not fall back to default-src, so they are spelt out)
# No 'unsafe-inline', no 'unsafe-eval'.
CSP = ("default-src 'none'; "
       "script-src 'self' blob: 'wasm-unsafe-eval'; "
       "style-src 'self'; "
       "img-src 'self'; "
       "font-src 'self'; "
       "connect-src 'self'; "
       "object-src 'none'; "
       "base-uri 'none'; "
       "form-action 'none'")


class BundleError(Exception):
    """Pyodide or a page file is missing or unusable; the message is one line."""


# ---------------------------------------------------------------------------- Pyodide

def _require_pyodide() -> None:
    missing = [name for name in (*RUNTIME_FILES, "package.json")
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
    _require_pyodide()
    try:
        return json.loads((PYODIDE_DIR / name).read_text(encoding="utf-8"))[key]
    except (ValueError, KeyError) as error:
        raise BundleError(f"cannot read `{key}` from {PYODIDE_DIR / name}: {error}; run `npm ci`") from None


def _script_json(value) -> str:
    """JSON that is also safe inside an inline <script>: no `<` at all (so no `</script`,
    no `<!--`), no U+2028/2029. `<` can only occur inside JSON strings, where \\u003c means
    the same character."""
    return json.dumps(value, ensure_ascii=True, sort_keys=True).replace("<", "\\u003c")


def _gzip_b64(data: bytes) -> str:
    return base64.b64encode(gzip.compress(data, compresslevel=9, mtime=0)).decode("ascii")


def _payload_script(key: str, value) -> str:
    """One classic-script statement adding `key` to globalThis.pyodideOffline."""
    return (f"(globalThis.{OFFLINE_GLOBAL} = globalThis.{OFFLINE_GLOBAL} || {{}})"
            f"[{_script_json(key)}] = {_script_json(value)};\n")


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace path in one step, so a browser or test reading it meanwhile (other builds run
    in parallel) sees the old or the new file, never half of one."""
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def vendor(out_dir: Path) -> None:
    """Copy Pyodide into out_dir/pyodide/ and write the file:// payloads to
    out_dir/pyodide/offline/. Unchanged files are left alone (the payloads are only
    re-encoded when a source file changed) and stray files are removed."""
    _require_pyodide()
    version = pyodide_version()
    target = Path(out_dir) / "pyodide"
    offline = target / "offline"
    offline.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_FILES:
        _write_atomically(target / name, (PYODIDE_DIR / name).read_bytes())

    sources = {name: (PYODIDE_DIR / name).read_bytes() for name in OFFLINE_PAYLOADS.values()}
    lock = {"version": version,
            "lock": {"info": lock_info(), "packages": {}},
            "sizes": {name: len(data) for name, data in sources.items()},
            "sha256": {name: hashlib.sha256(data).hexdigest() for name, data in sources.items()}}
    lock_text = _payload_script("lock", lock).encode("ascii")
    current = (offline / OFFLINE_LOCK).is_file() and (offline / OFFLINE_LOCK).read_bytes() == lock_text
    if not (current and all((offline / script).is_file() for script in OFFLINE_PAYLOADS)):
        for script, name in OFFLINE_PAYLOADS.items():
            _write_atomically(offline / script,
                              _payload_script(name, _gzip_b64(sources[name])).encode("ascii"))
        _write_atomically(offline / OFFLINE_LOCK, lock_text)  # last: it marks them complete

    for folder, keep in ((target, {*RUNTIME_FILES, "offline"}),
                         (offline, {OFFLINE_LOCK, *OFFLINE_PAYLOADS})):
        for stray in folder.iterdir():
            if stray.name not in keep:
                shutil.rmtree(stray) if stray.is_dir() else stray.unlink()


# ---------------------------------------------------------------------------- app files

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
    entries = ",".join(f"\n{_script_json(path)}: {_template_literal(text)}"
                       for path, text in app_files(package_dir).items())
    text = f"globalThis.appFiles = {{{entries}\n}};\n"
    _write_atomically(Path(out_dir) / APP_FILES_SCRIPT, text.encode("utf-8"))


# ---------------------------------------------------------------------------- single file

_MIME = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
         ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
         ".ico": "image/x-icon", ".woff2": "font/woff2", ".woff": "font/woff",
         ".ttf": "font/ttf", ".otf": "font/otf", ".css": "text/css"}


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _safe_inline_js(text: str, name: str) -> str:
    """Hand-written (not minified) JS as an inline script: `</script` becomes `<\\/script`,
    which means the same in a string, template, regex or comment (the only places it can
    occur). `<!--` could switch the HTML parser into its script-escape states: refused."""
    if "<!--" in text:
        raise BundleError(f"{name} contains `<!--`, which cannot be inlined safely")
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


class _Tags(HTMLParser):
    """Start tags of interest, with their exact spans in the source."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.lines = [0]
        for line in source.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.tags = []  # (tag, attrs dict, start, end)
        self.feed(source)
        self.close()

    def _record(self, tag, attrs):
        line, column = self.getpos()
        start = self.lines[line - 1] + column
        self.tags.append((tag, {k: (v or "") for k, v in attrs}, start,
                          start + len(self.get_starttag_text())))

    handle_starttag = handle_startendtag = _record


def _local_file(site_dir: Path, reference: str) -> Path:
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", reference):
        raise BundleError(f"the single file cannot include the external reference {reference!r}")
    path = (site_dir / reference.split("#")[0].split("?")[0]).resolve()
    if not path.is_file() or site_dir.resolve() not in path.parents:
        raise BundleError(f"{reference!r} referenced by index.html is not a file in {site_dir}")
    return path


def _data_uri(path: Path) -> str:
    mime = _MIME.get(path.suffix.lower())
    if mime is None:
        raise BundleError(f"no known media type for {path.name}, cannot inline it")
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _inline_css(site_dir: Path, css_path: Path) -> str:
    css = css_path.read_text(encoding="utf-8")

    def replace(match):
        reference = match.group(2)
        if reference.startswith(("data:", "#")):
            return match.group(0)
        local = _local_file(css_path.parent, reference) if not reference.startswith("/") \
            else _local_file(site_dir, reference.lstrip("/"))
        return f'url("{_data_uri(local)}")'

    css = re.sub(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""", replace, css)
    if re.search(r"</style", css, re.IGNORECASE):
        raise BundleError(f"{css_path.name} contains `</style`, which cannot be inlined")
    return css


def _start_tag(tag: str, attrs: dict) -> str:
    parts = [tag] + [name if value == "" and name in ("defer", "async", "hidden") else
                     f'{name}="{html.escape(value, quote=True)}"' for name, value in attrs.items()]
    return "<" + " ".join(parts) + ">"


def single_csp(script_hashes: list[str], style_hashes: list[str]) -> str:
    """The single file's policy: the same as CSP, but its own scripts and styles are inline,
    so they are allowed one by one by their SHA-256 (CSP3 hash sources) instead of 'self';
    still no 'unsafe-inline', no 'unsafe-eval', and no file at all may be loaded."""
    return ("default-src 'none'; "
            f"script-src {' '.join(script_hashes)} blob: 'wasm-unsafe-eval'; "
            f"style-src {' '.join(style_hashes) or chr(39) + 'none' + chr(39)}; "
            "img-src data:; "
            "font-src data:; "
            "connect-src 'none'; "
            "object-src 'none'; "
            "base-uri 'none'; "
            "form-action 'none'")


def build_single(site_dir: Path, out_file: Path) -> None:
    """One self-contained HTML file from site_dir/index.html that works from disk alone.

    Every <script src> becomes an inline script (moved, in order, to the end of <body>, which
    is what `defer` meant), every stylesheet an inline <style>, every image a data: URI.
    Pyodide travels as the offline payloads plus pyodide.js as one more payload, which
    boot.js runs from a Blob URL: minified code is never edited, only base64-encoded.
    Inline code needs CSP permission: the page's CSP meta is replaced by `single_csp` with
    the SHA-256 of each inline script and style.
    """
    site_dir = Path(site_dir)
    index = site_dir / "index.html"
    if not index.is_file():
        raise BundleError(f"{index} does not exist: build the site first")
    source = index.read_text(encoding="utf-8")
    offline = site_dir / "pyodide" / "offline"
    for script in (OFFLINE_LOCK, *OFFLINE_PAYLOADS):
        if not (offline / script).is_file():
            raise BundleError(f"{offline / script} is missing: build the site first")

    edits = []  # (start, end, replacement)
    scripts = []  # inline script texts, in document order
    styles = []
    csp_meta = None
    body_end = None
    for tag, attrs, start, end in _Tags(source).tags:
        rel = attrs.get("rel", "").lower().split()
        if tag == "script" and "src" in attrs:
            close = re.compile(r"</script\s*>", re.IGNORECASE).search(source, end)
            if close is None or source[end:close.start()].strip():
                raise BundleError(f"<script src={attrs['src']!r}> is not followed by </script>")
            edits.append((start, close.end(), ""))
            src = attrs["src"]
            if src.startswith("pyodide/"):
                continue  # Pyodide comes from the payloads below
            if src == "boot.js":
                # Pyodide's payloads first, so boot.js finds everything already there.
                for script in (OFFLINE_LOCK, *OFFLINE_PAYLOADS):
                    scripts.append((offline / script).read_text(encoding="ascii"))
                pyodide_js = (site_dir / "pyodide" / SINGLE_ONLY_PAYLOAD).read_bytes()
                scripts.append(_payload_script(SINGLE_ONLY_PAYLOAD, _gzip_b64(pyodide_js)))
            path = _local_file(site_dir, src)
            scripts.append(_safe_inline_js(path.read_text(encoding="utf-8"), path.name))
        elif tag == "link" and "stylesheet" in rel:
            css = _inline_css(site_dir, _local_file(site_dir, attrs["href"]))
            styles.append(css)
            edits.append((start, end, f"<style>{css}</style>"))
        elif tag == "link" and {"preload", "modulepreload", "prefetch"} & set(rel):
            edits.append((start, end, ""))
        elif tag == "link" and "icon" in rel and "href" in attrs:
            edits.append((start, end, _start_tag(tag, {**attrs, "href": _data_uri(
                _local_file(site_dir, attrs["href"]))})))
        elif tag in ("img", "source") and attrs.get("src", "").strip() and \
                not attrs["src"].startswith("data:"):
            edits.append((start, end, _start_tag(tag, {**attrs, "src": _data_uri(
                _local_file(site_dir, attrs["src"]))})))
        elif tag == "meta" and attrs.get("http-equiv", "").lower() == "content-security-policy":
            csp_meta = (start, end, attrs)
    match = None
    for match in re.finditer(r"</body\s*>", source, re.IGNORECASE):
        pass
    if match is None:
        raise BundleError("index.html has no </body>")
    body_end = match.start()
    if csp_meta is None:
        raise BundleError("index.html has no Content-Security-Policy meta tag")

    csp = single_csp([_csp_hash(text) for text in scripts], [_csp_hash(text) for text in styles])
    start, end, attrs = csp_meta
    edits.append((start, end, _start_tag("meta", {**attrs, "content": csp})))
    edits.append((body_end, body_end, "".join(f"<script>{text}</script>\n" for text in scripts)))

    out = []
    position = 0
    for start, end, replacement in sorted(edits, key=lambda edit: (edit[0], edit[1])):
        if start < position:
            raise BundleError("overlapping tags in index.html")
        out.append(source[position:start])
        out.append(replacement)
        position = end
    out.append(source[position:])
    out_file = Path(out_file)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(out_file, "".join(out).encode("utf-8"))
