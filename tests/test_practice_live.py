"""Practice mode in real Chromium, by keyboard alone: the Practice button, the kinds chosen
with Space, answers computed by the numpy oracle typed into the boxes, verdicts heard from
the live region, Show how, the score, and the progress kept over a reload. One page for the
module: the tests run in file order, each on what the one before left."""

from __future__ import annotations

import re

from decimal import Decimal

import pytest
from playwright.sync_api import expect

import axe
import oracle
from shown import base
from live_page import Model, compare, expected_texts, open_live, page, page_texts  # noqa: F401 (page: a fixture)
from pyodide_app.notation.numbers import number

SEED = Model.from_data(oracle.seed_data())
PASS = oracle.full_pass(SEED.net, SEED.inputs, SEED.targets)
ACTIVATIONS = {f"a-{l}-{j}": a for l in range(1, len(PASS.activations)) for j, a in enumerate(PASS.activations[l])}
CHECKBOX = "() => (document.activeElement.closest('#practice-panel label') || {textContent: ''}).textContent.trim()"
FOCUSED = "() => document.activeElement.id || document.activeElement.getAttribute('aria-label') || ''"


@pytest.fixture(scope="module")
def live(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page, w = open_live(context, base_url)
    yield page, w
    context.close()


def settle(page):
    page.evaluate("() => pageEvents.settled()")


def tab_to(page, element_id: str, limit: int = 400):
    """Tab (only Tab) until `element_id` has the focus."""
    for _ in range(limit):
        if page.evaluate(FOCUSED) == element_id:
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached #{element_id}")


def said(page) -> str:
    return page.get_by_role("region", name="Practice").get_by_role("status").text_content()


def score(page) -> str:
    return page.locator("#practice-score").text_content()


def within_one_unit(typed: str, value: float, precision: str = "value") -> bool:
    """The rule, independently: the typed text within one unit of the last decimal of the value as shown."""
    decimals = {"value": 4, "precise": 6}[precision]
    shown = Decimal(number(value, precision).replace("\u2212", "-"))
    return abs(Decimal(typed.replace(",", ".").replace("\u2212", "-")) - shown) <= Decimal(1).scaleb(-decimals)


def test_a_keyboard_only_practice_session(page):
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    tab_to(page, "practice")
    page.keyboard.press("Enter")
    settle(page)
    expect(page.get_by_role("button", name="Practice")).to_have_attribute("aria-pressed", "true")
    panel = page.get_by_role("region", name="Practice")
    expect(panel.get_by_role("checkbox", name="Activations (σ)")).to_be_checked()
    for kind in ("Loss", "δs"):
        box = panel.get_by_role("checkbox", name=kind, exact=True)
        for _ in range(20):
            if page.evaluate(CHECKBOX) == kind:
                break
            page.keyboard.press("Tab")
        page.keyboard.press(" ")
        settle(page)
        expect(box).to_be_checked()
    assert score(page) == "Score: 0 of 23"  # 11 activations, the loss, 11 δs
    for n, (key, a) in enumerate(ACTIVATIONS.items()):
        tab_to(page, "pi-" + key)
        text = number(a).replace(".", ",") if n % 2 else number(a + 1e-4)  # a comma; one unit up
        assert within_one_unit(text, a)
        page.keyboard.type(text)
        page.keyboard.press("Enter" if n % 3 else "Tab")  # Tab leaves the box: that answers too
        settle(page)
        label = page.locator(f"#pl-{key}").text_content()
        assert said(page) == f"{label}: Right. Score: {n + 1} of 23."
        assert page.locator(f"#pv-{key}").text_content() == "Right"
    tab_to(page, "pi-loss")
    page.keyboard.type(number(PASS.loss, "precise"))
    page.keyboard.press("Enter")
    settle(page)
    assert said(page) == "L: Right. Score: 12 of 23."
    tab_to(page, "pi-d-4-0")
    page.keyboard.type(number(PASS.deltas[4][0], "precise"))  # with the page's own "−"
    page.keyboard.press("Enter")
    settle(page)
    assert said(page) == "δ of Out-1: Right. Score: 13 of 23."
    expect(page.get_by_role("textbox", name="δ of Out-1")).to_have_accessible_description("Right")


def test_wrong_answers_and_text_are_told_apart(page):
    box = page.get_by_role("textbox", name="δ of Out-2", exact=True)
    box.focus()
    page.keyboard.type(number(PASS.deltas[4][1] + 3e-6, "precise"))
    page.keyboard.press("Enter")
    settle(page)
    assert said(page) == "δ of Out-2: Not quite. Score: 13 of 23."
    expect(box).to_have_accessible_description("Not quite")
    for text in ("abc", "", "1e309"):
        box.fill(text)
        page.keyboard.press("Enter")
        settle(page)
        assert said(page) == "δ of Out-2: Not a number. Score: 13 of 23."
        expect(box).to_have_accessible_description("Not a number")


def test_show_how_reveals_the_formula_with_its_numbers(page):
    group = page.get_by_role("group", name="a of H2-1")
    how = group.get_by_role("button", name="Show how")
    expect(how).to_have_attribute("aria-expanded", "false")
    how.focus()
    page.keyboard.press("Enter")
    expect(how).to_have_attribute("aria-expanded", "true")
    z = PASS.sums[2][0]
    expect(page.locator("#ph-a-2-0")).to_be_visible()
    assert page.locator("#ph-a-2-0").text_content() == f"σ(z) = 1 / (1 + e^(−z))\na of H2-1 = σ({number(z)})"
    delta = page.locator("#ph-d-1-0").text_content()  # hidden until asked for; names the δs it needs
    assert "δ of H2-1 × " + number(SEED.net.weights[1][0, 0]) in delta
    assert number(PASS.deltas[1][0], "precise") not in delta


def test_no_hidden_number_is_on_the_page(page):
    texts = page_texts(page)
    for key in ACTIVATIONS:
        assert set(texts[key]) == {"?"}, key
    copies = [key for key in texts if key.startswith(("sa-", "sd-")) and not key.startswith("sa-0-")]
    assert copies and all(set(texts[key]) == {"?"} for key in copies)  # the worked example's
    assert set(texts["loss"]) == {"?"} and set(texts["d-1-0@b"]) == {"?"} and set(texts["curve-yt-0"]) == {"?"}
    hidden = [key for key in texts if re.fullmatch(r"(s?a-[1-9]-\d|s?d-\d-\d|loss)", base(key))]
    assert len(hidden) > 60 and all(set(texts[key]) == {"?"} for key in hidden)  # every card's copy too
    labels = page.evaluate("() => [...document.querySelectorAll('.node')].map(n => n.getAttribute('aria-label'))")
    assert "? H2-1 b 0.2000" in labels
    assert not any(number(a) in label for a in ACTIVATIONS.values() for label in labels)


def test_axe_finds_no_violation_in_practice_mode(page):
    assert axe.violations(page) == []


def test_a_reload_keeps_the_progress(page):
    before = {key: page.locator(f"#pv-{key}").text_content() for key in ("a-1-0", "loss", "d-4-1", "d-1-0")}
    page.reload()
    page.wait_for_selector("body[data-state=live]", timeout=90_000)
    settle(page)
    assert score(page) == "Score: 13 of 23"
    expect(page.get_by_role("button", name="Practice")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("checkbox", name="δs")).to_be_checked()
    assert {key: page.locator(f"#pv-{key}").text_content() for key in before} == before
    assert page.get_by_role("textbox", name="L", exact=True).input_value() == number(PASS.loss, "precise")
    assert page_texts(page)["a-2-0"] == ["?"] * len(page_texts(page)["a-2-0"])


def test_new_weights_are_asked_in_their_table_cells(page):
    page.get_by_role("checkbox", name="New weights and biases").check()
    settle(page)
    assert score(page) == "Score: 13 of 68"
    after = oracle.step(SEED.net, SEED.inputs, SEED.targets, SEED.learning_rate)
    cell = page.locator("td:has(#pr-nw-2-0-1)")
    assert cell.locator("label").text_content() == "new w H1-2 → H2-1"
    box = page.get_by_role("textbox", name="new w H1-2 → H2-1")
    box.fill(number(after.weights[1][0, 1], "precise"))
    box.press("Enter")
    settle(page)
    assert said(page) == "new w H1-2 → H2-1: Right. Score: 14 of 68."


def test_a_step_judges_every_answer_again(page):
    typed = {key: page.locator(f"#pi-{key}").input_value() for key in ACTIVATIONS}
    page.get_by_role("button", name="Step").click()
    settle(page)
    moved = Model(SEED.inputs, SEED.targets, SEED.learning_rate,
                  oracle.step(SEED.net, SEED.inputs, SEED.targets, SEED.learning_rate))
    acts = oracle.full_pass(moved.net, moved.inputs, moved.targets).activations
    still = sum(within_one_unit(typed[f"a-{l}-{j}"], acts[l][j])
                for l in range(1, len(acts)) for j in range(len(acts[l])))
    assert still < 11  # the step moved some activations by more than a unit
    # the loss and δ of Out-1 changed with the step too; the new weight did not: the table now
    # shows the step just taken, whose new values are the weights now
    assert score(page) == f"Score: {still + 1} of 68"
    assert page.locator("#pv-nw-2-0-1").text_content() == "Right"
    assert page.locator("#pi-a-4-0").input_value() == typed["a-4-0"]  # the answers typed stay


def test_practice_stops_and_every_number_comes_back(page):
    page.get_by_role("button", name="Practice").click()
    settle(page)
    expect(page.get_by_role("button", name="Practice")).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_role("region", name="Practice")).to_have_count(0)
    expect(page.locator(".answer")).to_have_count(0)
    before = SEED
    compare(page, expected_texts(before.step(), shown=before))
    assert "?" not in page_texts(page)["curve-yt-0"][0]


def test_boxes_fit_a_phone_and_follow_a_new_structure(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page, w = open_live(context, base_url)
    page.get_by_role("button", name="Practice").click()
    settle(page)
    for kind in ("Loss", "δs"):
        page.get_by_role("checkbox", name=kind, exact=True).check()
        settle(page)
    edges = page.evaluate("""() => [...document.querySelectorAll('.neuron .answer, #loss .answer, #practice-panel')]
        .map(e => e.getBoundingClientRect().right)""")
    assert len(edges) == 24 and max(edges) <= 390
    sizes = page.get_by_role("textbox", name="Layer sizes", exact=True)
    sizes.fill("3-4-2")
    sizes.press("Enter")
    settle(page)
    assert score(page) == "Score: 0 of 13"  # 6 activations, the loss, 6 δs
    expect(page.locator(".answer")).to_have_count(13)
    texts = page_texts(page)
    assert texts["a-2-1"] == ["?"] * len(texts["a-2-1"]) and "a-4-0" not in texts
    assert w.errors == []
    context.close()
