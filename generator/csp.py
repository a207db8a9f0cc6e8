"""The Content-Security-Policy of the page: one table, from which the site's policy and the
single file's are both built.

It travels in a <meta http-equiv>, so `frame-ancestors`, `report-uri` and `sandbox` are not
available (browsers ignore them in meta and log an error). No 'unsafe-inline', no
'unsafe-eval'.

    default-src 'none'      anything not listed is refused (frames, media, manifests, ...)
    script-src  'self'      the page's own scripts (app-files.js, events.js, boot.js, …,
                            pyodide/offline/*.js). On a file:// page (an opaque
                            origin) Chromium's 'self' matches every file: URL; without it not
                            even boot.js runs from disk. It never matches blob: or data:.
                blob:       the file:// path: the page starts the worker from a Blob URL and
                            hands it Blob URLs of pyodide.js and pyodide.asm.js to import (a
                            Blob worker inherits this policy). A blob: URL can only be minted
                            by script already running, so injected markup gains nothing.
                'wasm-unsafe-eval'  WebAssembly compilation, and nothing else: eval() and
                            new Function stay forbidden. Without it, in a Blob worker, Pyodide
                            would wait forever; worker.js watches for that and says so.
    worker-src  'self' blob:  worker.js over http; the Blob worker on file://
    style-src   'self'      style.css only; no inline <style>, no style="" attributes. (The
                            worksheet view's rules, from the worker's templates, are adopted
                            through the CSSOM, `new CSSStyleSheet()`, which CSP leaves alone,
                            as it does element.style.)
    img-src, font-src 'self'  the page's own images and fonts
                blob:       (img-src) each neuron's map in its circle, painted by maps.js
                            into a canvas and shown as an image of its Blob URL
    connect-src 'self'      the worker's fetch() over http: the wasm, the stdlib, the lock
                            file, the snapshot. On file:// nothing is fetched.
    object-src, base-uri, form-action 'none'  (the last two do not fall back to default-src)

The single file loads no file at all: its scripts and styles are inline, each allowed by its
SHA-256 (a CSP3 hash source) in place of 'self', and its images and fonts are data: URIs.
"""

from __future__ import annotations

import base64
import hashlib

SELF = "'self'"
# directive → sources; SELF stands for "the page's own files"
DIRECTIVES = {
    "default-src": ["'none'"],
    "script-src": [SELF, "blob:", "'wasm-unsafe-eval'"],
    "worker-src": [SELF, "blob:"],
    "style-src": [SELF],
    "img-src": [SELF, "blob:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
}


def policy(replacements: dict[str, list[str]] | None = None) -> str:
    """The policy, with SELF replaced per directive where `replacements` says."""
    replacements = replacements or {}
    parts = []
    for directive, sources in DIRECTIVES.items():
        listed = [item for source in sources
                  for item in (replacements.get(directive, [source]) if source == SELF else [source])]
        parts.append(f"{directive} {' '.join(listed or [chr(39) + 'none' + chr(39)])}")
    return "; ".join(parts)


SITE = policy()


def single_file(script_hashes: list[str], style_hashes: list[str]) -> str:
    """The single file's policy: its own inline scripts and styles by hash, nothing loaded."""
    return policy({"script-src": script_hashes, "worker-src": [], "style-src": style_hashes,
                   "img-src": ["data:"], "font-src": ["data:"], "connect-src": []})


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
