"""The page in other languages, live in Chromium: German numbers on the page and in practice,
Arabic right to left on a phone with its diagram still flowing inputs → outputs, a network that
keeps an edited weight across the Language select, and axe-core in every language."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import oracle
from axe import violations
from live_page import Model, open_live
from test_languages import LANGUAGES, speaking
from pyodide_app.notation.numbers import number

SEED = Model.from_data(oracle.seed_data())
PASS = oracle.full_pass(SEED.net, SEED.inputs, SEED.targets)


def url(base_url: str, code: str) -> str:
    return base_url + ("" if code == "en" else f"{code}/index.html")


def settle(page):
    page.evaluate("() => pageEvents.settled()")


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context
    context.close()


def open_page(context, base_url, code):
    page, watched = open_live(context, url(base_url, code))
    return page, watched


def test_the_german_page_writes_a_decimal_comma_and_practice_reads_both(context, base_url):
    page, watched = open_page(context, base_url, "de")
    with speaking("de"):  # the oracle's numbers, written as German writes them
        loss, activation = number(PASS.loss, "precise"), number(PASS.activations[1][0])
    assert (loss, activation) == ("0,057526", "0,6985")
    expect(page.locator("#sample-readout [data-v='loss']")).to_have_text(loss)
    expect(page.locator("#node-1-0 [data-v='a-1-0']")).to_have_text(activation)
    page.locator("#practice").click()
    box = page.locator("#pi-a-1-0")
    expect(box).to_be_visible()
    for typed, verdict in (("0,6985", "right"), ("0,7012", "wrong"), ("0.6985", "right")):
        box.fill(typed)
        box.press("Enter")
        expect(page.locator("#pv-a-1-0")).to_have_class(f"verdict {verdict}")
    assert watched.errors == [] and watched.foreign == []


def test_the_arabic_page_reads_right_to_left_and_its_diagram_left_to_right(browser, base_url):
    for width, height in ((390, 844), (1280, 800)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page, watched = open_page(context, base_url, "ar")
        html = page.locator("html")
        expect(html).to_have_attribute("dir", "rtl")
        expect(html).to_have_attribute("lang", "ar")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{width} px: {overflow} px wider than the screen"
        centres = page.evaluate("""() => [...document.querySelectorAll('#diagram .node')].map(node => {
            const box = node.querySelector('circle').getBoundingClientRect();
            return [node.id, box.x + box.width / 2, box.y + box.height / 2]; })""")
        at = {name: (x, y) for name, x, y in centres}
        inputs = [at[f"node-0-{j}"] for j in range(3)]
        outputs = [at[f"node-4-{j}"] for j in range(2)]
        if width < 600:  # a phone's diagram runs top to bottom, each row left to right
            assert max(y for _, y in inputs) < min(y for _, y in outputs)
            assert [x for x, _ in inputs] == sorted(x for x, _ in inputs)
        else:
            assert max(x for x, _ in inputs) < min(x for x, _ in outputs)
        assert page.evaluate("() => getComputedStyle(document.querySelector('#diagram')).direction") == "ltr"
        assert watched.errors == []
        context.close()


def test_switching_language_keeps_an_edited_weight(context, base_url):
    page, watched = open_page(context, base_url, "en")
    page.locator("details#parameters > summary").click()
    field = page.locator("#field-w-1-0-0")
    expect(field).to_be_attached()
    field.fill("0.1234")
    field.press("Enter")
    settle(page)
    page.wait_for_function("() => (localStorage.getItem('neural-network-demonstration/state') || '').includes('0.1234')")
    page.locator("#language").select_option("de/index.html")
    page.wait_for_url("**/de/index.html#state=*")
    page.wait_for_selector("body[data-state=live]", timeout=90_000)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    with speaking("de"):
        edited = number(0.1234)
    assert edited == "0,1234"
    expect(page.locator("[data-v='(w-1-0-0']").first).to_have_text(edited)  # H1-1's sum
    # the other numbers follow from it, as the oracle computes them
    model = SEED.copy()
    model.set("weights[0][0][0]", 0.1234)
    after = oracle.full_pass(model.net, model.inputs, model.targets)
    with speaking("de"):
        expect(page.locator("#sample-readout [data-v='loss']")).to_have_text(number(after.loss, "precise"))
    assert watched.errors == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_axe_finds_no_violation(context, base_url, code):
    page, watched = open_page(context, base_url, code)
    assert violations(page) == []
    assert watched.errors == []


def test_the_german_page_and_its_single_file_go_live_from_disk(context, site, tmp_path):
    from generator.single_file import build_single

    single = tmp_path / "neural-network-de.html"
    build_single(site, single, page="de/index.html")
    for address in ((site / "de" / "index.html").as_uri(), single.as_uri()):
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(address)
        page.wait_for_selector("body[data-state=live]", timeout=90_000)
        expect(page.locator("html")).to_have_attribute("lang", "de")
        page.locator("#field-inputs-0").fill("0,25")  # a decimal comma, read as 0.25
        settle(page)
        model = SEED.copy()
        model.set("inputs[0]", 0.25)
        with speaking("de"):
            expect(page.locator("#sample-readout [data-v='loss']")).to_have_text(
                number(oracle.full_pass(model.net, model.inputs, model.targets).loss, "precise"))
        assert errors == []
        page.close()
