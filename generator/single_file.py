"""The single file: site/index.html with everything it needs inside, to mail to students.

Every <script src> becomes an inline script, every stylesheet an inline <style>, every image
a data: URI. Pyodide travels as the file:// payloads.
Its policy allows each inline script and style by hash (generator/csp.py).
"""

from __future__ import annotations

import base64
import html
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

from . import csp
from .pyodide_bundle import (OFFLINE_LOCK, OFFLINE_PAYLOADS, OFFLINE_SNAPSHOT, BundleError, read_payload,
                             write_atomically)
from .template_library import SCRIPT as TEMPLATE_LIBRARY


PIECE = 256 * 1024  # characters of a payload in one data block

_MIME = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
         ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
         ".ico": "image/x-icon", ".woff2": "font/woff2", ".woff": "font/woff",
         ".ttf": "font/ttf", ".otf": "font/otf", ".css": "text/css"}


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


def _local_file(site_dir: Path, reference: str, within: Path | None = None) -> Path:
    """The file a reference of a page in `site_dir` names, inside `within` (the site) alone."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", reference):
        raise BundleError(f"the single file cannot include the external reference {reference!r}")
    path = (site_dir / reference.split("#")[0].split("?")[0]).resolve()
    if not path.is_file() or (within or site_dir).resolve() not in path.parents:
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



def build_single(site_dir: Path, out_file: Path, with_snapshot: bool = False, page: str = "index.html") -> None:
    """One self-contained HTML file from site_dir/index.html (or a language's page, `page`
    = "de/index.html") that works from disk alone. It has no other languages' pages: their
    alternates go and the Language select is hidden.

    Every <script src> becomes an inline script (moved, in order, to the end of <body>, which
    is what `defer` meant), every stylesheet an inline <style>, every image a data: URI.
    Pyodide travels as the offline payloads: minified code is only base64-encoded. The memory
    snapshot doubles the file's size, so it comes only `with_snapshot`: a file to mail stays
    under most mail limits, and starts Python the ordinary way.
    Inline code needs CSP permission: the page's CSP meta is replaced by `csp.single_file`
    with the SHA-256 of each inline script and style.
    """
    site_dir = Path(site_dir)
    index = site_dir / page
    page_dir = index.parent
    if not index.is_file():
        raise BundleError(f"{index} does not exist: build the site first")
    source = index.read_text(encoding="utf-8")
    offline = site_dir / "pyodide" / "offline"
    for script in (OFFLINE_LOCK, *OFFLINE_PAYLOADS):
        if not (offline / script).is_file():
            raise BundleError(f"{offline / script} is missing: build the site first")

    edits = []  # (start, end, replacement)
    scripts = []  # inline script texts, in document order
    blocks = []  # Pyodide's payloads, as data
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
            src = posixpath.normpath(posixpath.join(page_dir.relative_to(site_dir).as_posix(), attrs["src"]))
            if src.startswith("pyodide/") and src != TEMPLATE_LIBRARY:
                continue  # Pyodide comes from the payloads below
            if src == "boot.js":
                # Pyodide's payloads first, so boot.js finds everything already there: as
                # data blocks, which the browser never compiles (an inline script of
                # megabytes holds up the page for a long task while parsed), in pieces
                # small enough for the HTML parser to yield between them.
                for script in (OFFLINE_LOCK, *OFFLINE_PAYLOADS, *[OFFLINE_SNAPSHOT] * with_snapshot):
                    key, value = read_payload(offline / script)
                    blocks += [f'<script type="application/json" data-payload="{key}">{value[at:at + PIECE]}</script>\n'
                               for at in range(0, len(value), PIECE)]
            path = _local_file(site_dir, src)
            scripts.append(_safe_inline_js(path.read_text(encoding="utf-8"), path.name))
        elif tag == "link" and "stylesheet" in rel:
            css = _inline_css(site_dir, _local_file(page_dir, attrs["href"], site_dir))
            styles.append(css)
            edits.append((start, end, f"<style>{css}</style>"))
        elif tag == "link" and {"preload", "modulepreload", "prefetch", "alternate"} & set(rel):
            edits.append((start, end, ""))
        elif tag == "link" and "icon" in rel and "href" in attrs:
            edits.append((start, end, _start_tag(tag, {**attrs, "href": _data_uri(
                _local_file(page_dir, attrs["href"], site_dir))})))
        elif tag in ("img", "source") and attrs.get("src", "").strip() and \
                not attrs["src"].startswith("data:"):
            edits.append((start, end, _start_tag(tag, {**attrs, "src": _data_uri(
                _local_file(page_dir, attrs["src"], site_dir))})))
        elif attrs.get("id") == "language-choice":  # the other languages are pages of the site
            edits.append((start, end, _start_tag(tag, {**attrs, "hidden": ""})))
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

    policy = csp.single_file([csp.sha256_source(text) for text in scripts], [csp.sha256_source(text) for text in styles])
    start, end, attrs = csp_meta
    edits.append((start, end, _start_tag("meta", {**attrs, "content": policy})))
    edits.append((body_end, body_end, "".join(blocks) + "".join(f"<script>{text}</script>\n" for text in scripts)))

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
    write_atomically(out_file, "".join(out).encode("utf-8"))
