"""Pyodide loading: the page goes live from disk (file://), as one mailed file, and over http,
loading nothing from anywhere else, under its CSP, with a clean console; a missing or
damaged file gives a plain notice over the intact pre-rendered page. The bundle that makes
the file:// path work: tests/test_bundle.py."""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SINGLE, serve

LIVE_TIMEOUT = 60_000  # ms; a cold start takes a few seconds

# Records CSP violations, and the pre-rendered <main> as parsed, before any script touches it.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
}, true);
document.addEventListener("readystatechange", () => {  // parsed; deferred scripts not yet run
  if (document.readyState === "interactive" && !("__main" in window)) {
    window.__main = document.querySelector("main") && document.querySelector("main").innerHTML;
  }
});
"""


class Watched:
    """A page with every request, console message, page error and CSP violation recorded;
    requests to anything but `allowed` prefixes are aborted (there is no internet anyway)."""

    def __init__(self, browser, allowed: tuple[str, ...]):
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.requests, self.foreign, self.console_errors, self.page_errors = [], [], [], []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: message.type == "error"
                     and self.console_errors.append(message.text))
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.add_init_script(WATCH)

        def route(route):
            url = route.request.url
            if url.startswith(allowed):
                route.continue_()
            else:
                self.foreign.append(url)
                route.abort()

        self.page.route("**/*", route)

    def open(self, url: str) -> str:
        self.page.goto(url)
        self.page.wait_for_selector("body[data-state=live], body[data-state=error]",
                                    state="attached", timeout=LIVE_TIMEOUT)
        return self.page.evaluate("document.body.dataset.state")

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__csp")

    def assert_clean_live(self, state: str, allowed: tuple[str, ...]):
        notice = self.page.text_content("#load-error")
        assert state == "live", f"page did not go live: {notice!r}; console: {self.console_errors}"
        assert self.violations() == [], "CSP violations"
        assert self.console_errors == [], "console errors"
        assert self.page_errors == [], "page errors"
        assert self.foreign == [], "requests outside the page's own files"
        assert all(url.startswith(allowed) for url in self.requests), self.requests
        assert self.page.is_hidden("#load-error")
        assert "Live" in self.page.text_content("#load-status")

    def close(self):
        self.context.close()


@pytest.fixture
def watched(browser):
    pages = []

    def make(allowed):
        pages.append(Watched(browser, allowed))
        return pages[-1]

    yield make
    for page in pages:
        page.close()


LOCAL = ("file:", "blob:", "data:")


def test_site_goes_live_from_disk(site, watched):
    page = watched(LOCAL)
    page.assert_clean_live(page.open((site / "index.html").as_uri()), LOCAL)
    # The offline path was taken: the payload scripts, never a fetch of the wasm.
    assert any(url.endswith("/pyodide/offline/wasm.js") for url in page.requests)


def test_single_file_goes_live_alone(site, watched):
    if not SINGLE.exists():
        pytest.fail(f"{SINGLE.relative_to(ROOT)} is not built: run `make single`")
    page = watched(LOCAL)
    page.assert_clean_live(page.open(SINGLE.as_uri()), LOCAL)
    files = {url for url in page.requests if url.startswith("file:")}
    assert files == {SINGLE.as_uri()}, f"the single file loaded other files: {files}"


def test_site_goes_live_over_http(base_url, watched):
    allowed = (base_url,)
    page = watched(allowed)
    page.assert_clean_live(page.open(base_url), allowed)
    assert not any("/offline/" in url for url in page.requests), "http must not load the payloads"


def test_moving_input_1_updates_the_formulas(base_url, watched):
    page = watched((base_url,))
    assert page.open(base_url) == "live"
    field = page.page.get_by_label("Input 1", exact=True)
    if field.count() == 0:
        pytest.skip("the page has no field labelled Input 1")
    before = page.page.text_content("#forward")
    field.fill("0.9")
    field.press("Enter")
    page.page.wait_for_function(
        "(before) => document.querySelector('#forward').textContent !== before", arg=before,
        timeout=10_000)
    assert page.console_errors == [] and page.page_errors == [] and page.violations() == []


# ------------------------------------------------------------------------------ failures

def assert_error_notice(page: Watched, *words: str):
    assert page.page.evaluate("document.body.dataset.state") == "error"
    assert page.page.is_visible("#load-error")
    notice = page.page.text_content("#load-error")
    assert "could not start" in notice and "pre-computed" in notice, notice
    for word in words:
        assert word in notice, notice
    # The pre-rendered page is intact: <main> is exactly as parsed.
    assert page.page.evaluate("document.querySelector('main').innerHTML === window.__main")
    assert page.violations() == [] and page.page_errors == []


def test_missing_wasm_over_http_leaves_the_page_with_a_notice(site_copy, watched):
    (site_copy / "pyodide" / "pyodide.asm.wasm").unlink()
    server = serve(site_copy)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        page = watched((url,))
        assert page.open(url) == "error"
        assert_error_notice(page, "pyodide.asm.wasm")
    finally:
        server.shutdown()


def test_missing_payload_from_disk_leaves_the_page_with_a_notice(site_copy, watched):
    (site_copy / "pyodide" / "offline" / "stdlib.js").unlink()
    page = watched(LOCAL)
    assert page.open((site_copy / "index.html").as_uri()) == "error"
    assert_error_notice(page, "stdlib.js")


def damage_wasm_payload(site: Path) -> None:
    """Valid base64, valid gzip header, damaged body in the file:// path's copy of the wasm."""
    wasm_js = site / "pyodide" / "offline" / "wasm.js"
    text = wasm_js.read_text(encoding="ascii")
    middle = len(text) // 2
    wasm_js.write_text(text[:middle] + ("A" if text[middle] != "A" else "B") * 4000
                       + text[middle + 4000:], encoding="ascii")


def test_damaged_wasm_payload_leaves_the_page_with_a_notice(site_copy, watched):
    # Must end in the notice, not hang.
    damage_wasm_payload(site_copy)
    page = watched(LOCAL)
    assert page.open((site_copy / "index.html").as_uri()) == "error"
    assert_error_notice(page, "pyodide.asm.wasm")


def test_python_error_in_start_leaves_the_page_with_a_notice(site_copy, watched, tmp_path):
    from generator import app_files

    package = tmp_path / "pkg" / "pyodide_app"
    shutil.copytree(ROOT / "pyodide_app", package, ignore=shutil.ignore_patterns("__pycache__"))
    (package / "worker.py").write_text("class Worker:\n    def __init__(self):\n"
                                       "        raise ValueError('no network today')\n")
    app_files.write_app_files(site_copy, package)
    page = watched(LOCAL)
    assert page.open((site_copy / "index.html").as_uri()) == "error"
    assert_error_notice(page, "ValueError", "no network today")


# ------------------------------------------------------------------------------ CSP

def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        if part.strip():
            name, *values = part.split()
            parsed[name] = values
    return parsed


def meta_csp(html_text: str) -> str:
    import html as html_module
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', html_text)
    assert match, "no CSP meta tag"
    return html_module.unescape(match.group(1))


def assert_strict(policy: dict[str, list[str]]):
    everything = " ".join(value for values in policy.values() for value in values)
    for word in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "http:", "https:",
                 "'strict-dynamic'"):
        assert word not in everything.split(), word
    assert "frame-ancestors" not in policy, "ignored in <meta>, and logs a console error"
    assert policy["default-src"] == ["'none'"]
    for name in ("object-src", "base-uri", "form-action"):
        assert policy[name] == ["'none'"], name
    assert "'wasm-unsafe-eval'" in policy["script-src"]


def test_site_csp_is_strict(site):
    from generator import csp

    policy = directives(csp.SITE)
    assert_strict(policy)
    assert set(policy["script-src"]) == {"'self'", "blob:", "'wasm-unsafe-eval'"}
    assert set(policy["worker-src"]) == {"'self'", "blob:"}
    assert meta_csp((site / "index.html").read_text(encoding="utf-8")) == csp.SITE


def test_single_file_csp_allows_exactly_its_inline_code(site):
    import hashlib as hashes

    if not SINGLE.exists():
        pytest.fail(f"{SINGLE.relative_to(ROOT)} is not built: run `make single`")
    text = SINGLE.read_text(encoding="utf-8")
    policy = directives(meta_csp(text))
    assert_strict(policy)
    assert "'self'" not in " ".join(sum(policy.values(), [])), "the single file loads no files"
    assert policy["worker-src"] == ["blob:"] and policy["connect-src"] == ["'none'"]

    def digest(code):
        return "'sha256-" + base64.b64encode(hashes.sha256(code.encode()).digest()).decode() + "'"

    scripts = re.findall(r"<script>(.*?)</script>", text, re.S)
    assert not re.search(r"<script[^>]*\bsrc=", text), "a <script src> was left"
    assert sorted(digest(code) for code in scripts) == \
        sorted(value for value in policy["script-src"] if value.startswith("'sha256-"))
    styles = re.findall(r"<style>(.*?)</style>", text, re.S)
    assert not re.search(r'<link[^>]*rel="stylesheet"', text), "a stylesheet link was left"
    assert sorted(digest(code) for code in styles) == \
        sorted(value for value in policy["style-src"] if value.startswith("'sha256-"))
