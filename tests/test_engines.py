"""The page's core in every engine a classroom has: Chromium, Firefox and WebKit (Safari's).

For each engine and each way the page is opened (over http, site/index.html from disk, the
single file from disk) one page carries the tests in file order: it goes live, Input 1 = 0.9
gives the oracle's numbers, Step applies the oracle's update, Reset brings back the seed,
and the engine saw no page error. A damaged wasm must end in the error notice, not a hang.
The expected numbers come from tests/oracle.py, formatted by pyodide_app.notation.numbers, as in
test_live.py; only tests/engines.py knows how each browser is driven.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass

import pytest

import engines
from conftest import SINGLE, serve
from pyodide_app.notation.numbers import number
from live_page import TEXTS_JS, Model, assert_texts, expected_texts, numbers_only, seed_model, static_page
from test_offline import damage_wasm_payload

PATHS = ("http", "file-site", "file-single")
SETTLE = 30  # s for the page to show what an action computed


def engine_params(paths):
    return [pytest.param((engine, path), id=f"{engine}-{path}", marks=pytest.mark.engine(engine))
            for engine in engines.ENGINES for path in paths]


@pytest.fixture(scope="session")
def started_engines():
    started = {}
    yield started
    for engine in started.values():
        engine.close()


def new_page(request, engine: str) -> engines.Page:
    started = request.getfixturevalue("started_engines")
    if engine not in started:
        chromium = request.getfixturevalue("browser") if engine == "chromium" else None
        try:
            started[engine] = engines.launch(engine, chromium)
        except engines.EngineMissing as error:
            pytest.fail(str(error))
    return started[engine].new_page()


def url_of(request, path: str, site) -> str:
    if path == "http":
        return request.getfixturevalue("base_url")
    if path == "file-site":
        return (site / "index.html").as_uri()
    if not SINGLE.exists():
        pytest.fail("dist/neural-network.html is not built: run `make single`")
    return SINGLE.as_uri()


def texts(page: engines.Page) -> dict[str, list[str]]:
    return page.evaluate(f"({TEXTS_JS})()")


def assert_shows(page: engines.Page, expected: dict[str, str]) -> None:
    """The page shows `expected` once it has settled (an engine may apply input a frame later)."""
    deadline = time.monotonic() + SETTLE
    while True:
        try:
            return assert_texts(texts(page), expected)
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(engines.POLL)


def load_error(page: engines.Page) -> str | None:
    """The error notice's text, or None while it is hidden."""
    return page.evaluate("(e => e.hidden ? null : e.textContent)(document.getElementById('load-error'))")


@dataclass
class Opened:
    page: engines.Page
    state: str
    path: str
    model: Model | None = None


@pytest.fixture(scope="module", params=engine_params(PATHS))
def opened(request, site):
    engine, path = request.param
    page = new_page(request, engine)
    try:
        page.open(url_of(request, path, site))
        yield Opened(page, page.wait_state(), path)
    finally:
        page.close()


@pytest.fixture
def live(opened):
    """The page the first test found live; after each test the engine must have seen no page error."""
    yield opened
    assert opened.page.errors() == [], "page errors"


def test_goes_live_showing_the_seed(live, site):
    assert live.state == "live", f"the page did not go live: {load_error(live.page)!r}"
    assert load_error(live.page) is None
    # Python in a worker, from the build's snapshot (the single file carries none by default)
    started = "plain" if live.path == "file-single" else "snapshot"
    assert live.page.evaluate("document.body.dataset.python") == started
    assert live.page.evaluate("document.getElementById('step').disabled") is False
    assert_shows(live.page, expected_texts(seed_model()))
    assert numbers_only(texts(live.page)) == numbers_only(static_page(site).texts)
    live.model = seed_model()


def test_input_1_gives_the_oracles_numbers(live):
    m = live.model.copy()
    m.set("inputs[0]", 0.9)
    live.page.fill("Input 1", "0.9")
    assert_shows(live.page, expected_texts(m))
    assert live.page.evaluate("document.querySelector('#main [data-v=a-0-0]').textContent") == number(0.9)
    live.model = m


def test_step_applies_the_oracles_update(live):
    before = live.model
    live.page.click("Step")
    after = before.step()
    assert_shows(live.page, expected_texts(after, shown=before))
    live.model = after


def test_reset_restores_the_seed(live, site):
    assert numbers_only(texts(live.page)) != numbers_only(static_page(site).texts)
    live.page.click("Reset")
    assert_shows(live.page, expected_texts(seed_model()))
    assert numbers_only(texts(live.page)) == numbers_only(static_page(site).texts)
    live.model = seed_model()


# ---- a damaged Python ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def damaged_site(site, tmp_path_factory):
    """The wasm damaged in a copy of site/, as fetched over http and as carried for file://,
    and in a single file built from that copy: {path: url}."""
    from generator import single_file

    copy = tmp_path_factory.mktemp("damaged") / "site"
    shutil.copytree(site, copy)
    wasm = copy / "pyodide" / "pyodide.asm.wasm"
    data = wasm.read_bytes()
    wasm.write_bytes(data[:len(data) // 2])  # cut short in the middle of its code
    damage_wasm_payload(copy)
    single = copy.parent / "neural-network.html"
    single_file.build_single(copy, single)
    server = serve(copy)
    yield {"http": f"http://127.0.0.1:{server.server_address[1]}/",
           "file-site": (copy / "index.html").as_uri(), "file-single": single.as_uri()}
    server.shutdown()


@pytest.mark.parametrize("engine_path", engine_params(PATHS))
def test_damaged_wasm_gives_the_error_notice(request, engine_path, damaged_site):
    engine, path = engine_path
    page = new_page(request, engine)
    try:
        page.open(damaged_site[path])
        assert page.wait_state() == "error"
        notice = load_error(page)
        assert notice and "could not start" in notice and "pyodide.asm.wasm" in notice, notice
        assert page.evaluate("document.getElementById('step').disabled") is True
    finally:
        page.close()


# ---- the driver sees what goes wrong ------------------------------------------------------------

@pytest.mark.parametrize("engine", [pytest.param(e, marks=pytest.mark.engine(e)) for e in engines.ENGINES])
def test_the_driver_sees_page_errors(request, engine, base_url):
    """Errors after the page loaded, as the tests above would meet them: uncaught and logged."""
    page = new_page(request, engine)
    try:
        page.open(base_url)
        assert page.errors() == []
        page.evaluate("setTimeout(() => { throw new Error('thrown on purpose'); }), "
                      "console.error('logged on purpose')")
        deadline = time.monotonic() + SETTLE
        while len(page.errors()) < 2 and time.monotonic() < deadline:
            time.sleep(engines.POLL)
        seen = " | ".join(page.errors())
        assert "thrown on purpose" in seen and "logged on purpose" in seen, seen
    finally:
        page.close()
