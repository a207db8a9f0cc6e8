"""Python runs beside the page, never on it: from navigation to live, and while training, no
script on the page's main thread runs for 50 ms (the threshold of a long task), on every
path. With no Worker at all, the page says so and stays whole.

The browser's own work for a frame (style, layout, paint of the page's 2,000 elements) is
not a script's: on a loaded machine the first render alone can pass 50 ms. Long Animation
Frame entries tell the two apart; `make bench` reports the long tasks themselves."""

from __future__ import annotations

import pytest

from conftest import SINGLE
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
