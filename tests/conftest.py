"""Shared fixtures: the built site, an http server for it, and real Chromium; $BROWSERS."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
SINGLE = ROOT / "dist" / "neural-network.html"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None  # Playwright's own Chromium


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail("site/ is not built: run `make site` (make test does it first)")
    return SITE


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path):
    handler = functools.partial(QuietHandler, directory=str(directory))
    handler.extensions_map = {**QuietHandler.extensions_map, ".wasm": "application/wasm",
                              ".mjs": "text/javascript", ".js": "text/javascript"}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def base_url(site):
    server = serve(site)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site_copy(site, tmp_path) -> Path:
    """A private copy of site/ that a test may damage."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    return copy


def selected_engines() -> list[str]:
    """$BROWSERS: the engines the cross-browser tests run in (all three unless it says)."""
    from engines import ENGINES

    chosen = os.environ.get("BROWSERS", " ".join(ENGINES)).split()
    unknown = sorted(set(chosen) - set(ENGINES))
    if unknown:
        raise pytest.UsageError(f"BROWSERS names {unknown}; the engines are {list(ENGINES)}")
    return chosen


def pytest_collection_modifyitems(config, items):
    """Tests for engines left out of $BROWSERS are deselected, and reported as such."""
    chosen = selected_engines()
    kept, dropped = [], []
    for item in items:
        marker = item.get_closest_marker("engine")
        (kept if marker is None or marker.args[0] in chosen else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
