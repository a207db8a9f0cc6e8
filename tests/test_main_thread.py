"""Python runs beside the page, never on it: from navigation to live, and while training, no
script on the page's main thread runs for 50 ms (the threshold of a long task), on every
path. With no Worker at all, the page says so and stays whole.

The browser's own work for a frame (style, layout, paint of the page's 2,000 elements) is
not a script's: on a loaded machine the first render alone can pass 50 ms. Long Animation
Frame entries tell the two apart; `make bench` reports the long tasks themselves."""

from __future__ import annotations

import base64
import gzip
import struct

import pytest

import oracle
from conftest import SINGLE, serve
from generator import snapshot
from pyodide_app.notation.numbers import number
from test_offline import LOCAL, assert_error_notice, watched  # noqa: F401 (a fixture)

FRAMES = """
window.__longTasks = [];
window.__scripts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push(Math.round(entry.duration));
}).observe({ type: "longtask", buffered: true });
new PerformanceObserver((list) => {
  for (const frame of list.getEntries()) {
    for (const script of frame.scripts) {
      window.__scripts.push([Math.round(script.duration), script.invoker, script.sourceURL.slice(-40)]);
    }
  }
}).observe({ type: "long-animation-frame", buffered: true });
"""
LONGEST_SCRIPT_MS = 50


def long_scripts(page) -> list:
    """Scripts that ran 50 ms or more at a time, with the long tasks seen, to say what happened."""
    scripts = page.evaluate("window.__scripts")
    return [s for s in scripts if s[0] >= LONGEST_SCRIPT_MS], page.evaluate("window.__longTasks")
TRAIN_MS = 3000


def url_of(path: str, site, base_url) -> str:
    return {"http": base_url, "file-site": (site / "index.html").as_uri(), "file-single": SINGLE.as_uri()}[path]


@pytest.mark.parametrize("path", ["http", "file-site", "file-single"])
def test_no_long_task_from_navigation_to_live_nor_while_training(path, site, base_url, watched):
    page = watched(LOCAL + (base_url,))
    page.page.add_init_script(FRAMES)
    assert page.open(url_of(path, site, base_url)) == "live"
    scripts, tasks = long_scripts(page.page)
    assert scripts == [], f"long scripts while Python started (long tasks {tasks})"
    page.page.get_by_label("Speed", exact=True).select_option(label="Fast")  # the most the page draws
    page.page.evaluate("window.__scripts = []; window.__longTasks = []")
    page.page.get_by_role("button", name="Train").click()
    page.page.wait_for_timeout(TRAIN_MS)
    page.page.get_by_role("button", name="Pause").click()
    scripts, tasks = long_scripts(page.page)
    assert scripts == [], f"long scripts while training (long tasks {tasks})"
    epochs = int(page.page.text_content("#main [data-v=epoch]").replace(",", ""))
    assert epochs > 100, "training ran in the worker"
    assert page.page_errors == [] and page.console_errors == []


@pytest.mark.parametrize("path", ["http", "file-site"])
def test_without_workers_the_page_says_so_and_stays_whole(path, site, base_url, watched):
    page = watched(LOCAL + (base_url,))
    page.page.add_init_script("delete window.Worker;")
    assert page.open(url_of(path, site, base_url)) == "error"
    assert_error_notice(page, "Web Workers")


def test_the_page_answers_while_python_starts(base_url, watched):
    """Before Python is ready, the page already reacts: its main thread is free."""
    page = watched((base_url,))
    page.page.goto(base_url)
    page.page.wait_for_selector("#load-status")
    assert page.page.evaluate("document.body.dataset.state") == "loading"
    # a click on a summary opens it at once, with Python still starting
    page.page.locator("#parameters summary").click()
    assert page.page.evaluate("document.getElementById('parameters').open")
    assert page.page.evaluate("document.body.dataset.state") == "loading"


# ---- the memory snapshot ---------------------------------------------------------------------

def input_1_gives_the_oracles_loss(page) -> None:
    field = page.get_by_label("Input 1", exact=True)
    field.fill("0.9")
    field.press("Enter")
    page.evaluate("() => pageEvents.settled()")
    data = oracle.seed_data()
    expected = oracle.full_pass(oracle.seed_net(), [0.9] + data["inputs"][1:], data["targets"]).loss
    assert page.text_content("#main [data-v=loss]") == number(expected, "precise")


@pytest.mark.parametrize("path", ["http", "file-site"])
def test_the_site_starts_python_from_the_snapshot(path, site, base_url, watched):
    page = watched(LOCAL + (base_url,))
    page.assert_clean_live(page.open(url_of(path, site, base_url)), LOCAL + (base_url,))
    assert page.page.evaluate("document.body.dataset.python") == "snapshot"
    input_1_gives_the_oracles_loss(page.page)


def test_the_single_file_starts_python_the_ordinary_way(site, base_url, watched):
    page = watched(LOCAL)
    page.assert_clean_live(page.open(SINGLE.as_uri()), LOCAL)
    assert page.page.evaluate("document.body.dataset.python") == "plain"


def damaged(data: bytes) -> bytes:
    """The snapshot with its memory image zeroed: the header still says it is one."""
    metadata, body = snapshot.unpack(gzip.decompress(data))
    start = struct.unpack_from("<I", body, 4)[0]
    return gzip.compress(snapshot.pack(metadata, body[:start] + bytes(len(body) - start)), compresslevel=1)


def stale(data: bytes) -> bytes:
    """A snapshot of other sources, as a cache might keep from an older build."""
    metadata, body = snapshot.unpack(gzip.decompress(data))
    return gzip.compress(snapshot.pack({**metadata, "sources": "0" * 64}, body), compresslevel=1)


def missing(data: bytes) -> None:
    """No snapshot at all: a copy of the site without it (over http a 404)."""
    return None


@pytest.mark.parametrize("spoil", [damaged, stale, missing])
@pytest.mark.parametrize("path", ["http", "file-site"])
def test_a_snapshot_that_does_not_fit_starts_python_the_ordinary_way(path, spoil, site_copy, watched):
    from generator import pyodide_bundle

    target = site_copy / "pyodide" / pyodide_bundle.SNAPSHOT_FILE
    payload = site_copy / "pyodide" / "offline" / pyodide_bundle.OFFLINE_SNAPSHOT
    spoiled = spoil(target.read_bytes())
    if spoiled is None:
        target.unlink()
        payload.unlink()
    else:
        target.write_bytes(spoiled)
        payload.write_text(pyodide_bundle.payload_script("snapshot", base64.b64encode(spoiled).decode()),
                           encoding="ascii")
    server = serve(site_copy)
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        page = watched(LOCAL + (base,))
        assert page.open(url_of(path, site_copy, base)) == "live"
        assert page.page.evaluate("document.body.dataset.python") == "plain"
        assert page.page.is_hidden("#load-error") and page.page_errors == []
        input_1_gives_the_oracles_loss(page.page)
    finally:
        server.shutdown()
