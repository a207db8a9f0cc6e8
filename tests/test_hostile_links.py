"""Hostile links never break the page: each is refused with a notice and leaves the seed
untouched, on opening and arriving later by hashchange; a valid link's network survives a
reload. Real Chromium; expected numbers from tests/oracle.py. Every link opened at the
start gets a fresh context (the loads overlap).
"""

from __future__ import annotations

import base64
import json

import pytest
from playwright.sync_api import expect

import oracle
from live_page import (FIELDS_JS, LIVE_TIMEOUT, Model, compare, epoch_of, expected_texts, numbers_only,
                       page_texts, static_page, stored, watch)


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def seed_with(**changes) -> str:
    data = oracle.seed_data()
    data.update(changes)
    return json.dumps(data)


def _non_finite() -> str:
    text = json.dumps(oracle.seed_data())
    assert '"weights": [[[0.4, ' in text
    return text.replace('"weights": [[[0.4, ', '"weights": [[[1e999, ', 1)


XSS = "<img src=x onerror=alert(1)>"
BATCH_TIMEOUT = 2 * LIVE_TIMEOUT  # nine pages load Pyodide at the same time
HOSTILE_LINKS = {
    "malformed-base64": "!!not~base64**",
    "malformed-json": b64('{"version": 1, "inputs": [0.5,'),
    "wrong-version": b64(seed_with(version=99)),
    "wrong-shape": b64(seed_with(inputs=[0.5, 0.3])),
    "non-finite": b64(_non_finite()),
    "unknown-key-html": b64(json.dumps({**oracle.seed_data(), XSS: 1})),
    "javascript-url": b64(seed_with(settings={"speed": "javascript:alert(1)"})),
}

def _valid_link() -> tuple[str, Model]:
    data = oracle.seed_data()
    data.update(inputs=[0.1, 0.2, 0.3], learning_rate=0.25, epoch=7, settings={"speed": "slow"})
    data["weights"][1][2][3] = -2.5
    return b64(json.dumps(data)), Model.from_data(data)


VALID_LINK, VALID_MODEL = _valid_link()

# JSON nested 20,000 deep: 27 KB of link, far below the length limit.
DEEPLY_NESTED = b64("[" * 20_000)

# Arriving by hashchange on a live page (cheap: no new load each).
LATER_LINKS = [
    "javascript:alert(1)", "", "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    b64(json.dumps(oracle.seed_data()).replace("0.1,", "NaN,", 1)),
    b64(seed_with(weights=XSS)), b64(seed_with(settings={"speed": XSS})), b64(seed_with(settings={XSS: "x"})),
    b64(seed_with(epoch=-1)), b64(seed_with(epoch=1.5)), b64(seed_with(learning_rate=0)),
    b64(seed_with(targets=[1.5, 0.2])), b64(seed_with(version=True)), b64(seed_with(inputs=None)),
    b64(seed_with(inputs=[XSS, 0.3, 0.8])), b64(seed_with(biases=[[0.1]])),
    b64("[" * 2000), b64("[]"), b64("null"), b64('"' + XSS + '"'), "A" * 400_000,
    b64(seed_with(weights=oracle.seed_data()["weights"] + [[[1.0, 1.0]]])),
]


def assert_untouched_seed(page, w, site) -> None:
    expect(page.locator("#notice")).to_be_visible()
    assert numbers_only(page_texts(page)) == numbers_only(static_page(site).texts)
    assert page.evaluate(FIELDS_JS) == static_page(site).fields
    assert page.locator("img").count() == 0
    assert not any(u.split("?")[0].endswith("/x") for u in w.requests), "the <img> payload was loaded"
    assert w.dialogs == [] and w.errors == [] and w.foreign == []


@pytest.fixture(scope="module")
def hostile(browser, base_url):
    """Every hostile link opened at once, each in a fresh context (loads overlap: faster)."""
    opened = {}
    for name, fragment in {**HOSTILE_LINKS, "deeply-nested": DEEPLY_NESTED, "valid": VALID_LINK}.items():
        context = browser.new_context()
        page = context.new_page()
        w = watch(context, page)
        page.goto(base_url + "#state=" + fragment, wait_until="commit")
        opened[name] = (page, w)
    yield opened
    for page, _ in opened.values():
        page.context.close()


@pytest.mark.parametrize("name", list(HOSTILE_LINKS))
def test_hostile_link_is_refused(hostile, site, name):
    """Each in a fresh context: live, a notice, the seed's numbers, no dialog, no error."""
    page, w = hostile[name]
    page.wait_for_selector("body[data-state=live]", timeout=BATCH_TIMEOUT)
    expect(page.locator("#notice")).to_contain_text("could not be used")
    assert_untouched_seed(page, w, site)
    assert stored(page) is None
    if name == "unknown-key-html":
        assert XSS in page.text_content("#notice")  # shown as text, never as markup


def test_hostile_links_arriving_later_are_refused(hostile, site):
    page, w = hostile["malformed-base64"]  # a fresh context, live, showing the seed
    page.wait_for_selector("body[data-state=live]", timeout=BATCH_TIMEOUT)
    for fragment in LATER_LINKS:
        page.evaluate("document.getElementById('notice').textContent = ''")
        page.evaluate("f => { location.hash = f; }", "#state=" + fragment)
        expect(page.locator("#notice")).to_contain_text("could not be used")
        assert_untouched_seed(page, w, site)
    assert stored(page) is None
    # and the page still works
    page.get_by_role("button", name="Step", exact=True).click()
    expect(page.locator("#main [data-v=epoch]").first).to_have_text("1")


def test_training_stops_at_the_last_epoch_counted(hostile):
    page, w = hostile["malformed-base64"]
    page.wait_for_selector("body[data-state=live]", timeout=BATCH_TIMEOUT)
    last = 10 ** 15
    page.evaluate("f => { location.hash = f; }", "#state=" + b64(seed_with(epoch=last - 3)))
    expect(page.locator("#notice")).to_contain_text("Loaded the network from the link")
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.locator("#training-message")).to_contain_text("last epoch")
    expect(page.locator("#train")).to_have_text("Train")
    assert epoch_of(page) == last and stored(page)["epoch"] == last
    assert w.errors == [] and w.dialogs == []


def test_state_opened_from_a_link_survives_a_reload(hostile):
    """Opening a link removes #state=… from the address bar, so the page must keep the
    network it opened: a reload must show the same network, not another one."""
    page, w = hostile["valid"]
    page.wait_for_selector("body[data-state=live]", timeout=BATCH_TIMEOUT)
    expect(page.locator("#notice")).to_contain_text("Loaded the network from the link")
    assert "#state=" not in page.url
    compare(page, expected_texts(VALID_MODEL))
    page.reload()
    page.wait_for_selector("body[data-state=live]", timeout=LIVE_TIMEOUT)
    shown = page_texts(page)
    assert shown["epoch"] == ["7"] * len(shown["epoch"]), "the reload lost the network the link opened"
    compare(page, expected_texts(VALID_MODEL))
    assert w.errors == [] and w.dialogs == [] and w.foreign == []


def test_deeply_nested_json_link_is_refused_not_fatal(hostile, site):
    """A link holding JSON nested 20,000 deep must be refused like any other bad link."""
    page, w = hostile["deeply-nested"]
    page.wait_for_selector("body[data-state=live], body[data-state=error]", timeout=BATCH_TIMEOUT)
    assert page.get_attribute("body", "data-state") == "live", page.text_content("#load-error")
    expect(page.locator("#notice")).to_contain_text("could not be used")
    assert_untouched_seed(page, w, site)
