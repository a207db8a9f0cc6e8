"""Linked highlighting, the selection beside the diagram and the phone layout, in real Chromium.

Pointing at, focusing and tapping a neuron light its cards and rows; pointing at a formula's
term lights its line; a selected line's chain rule shows the numpy oracle's numbers and
stays, live, through training (checked against the state the page saved); axe-core finds
nothing with a line selected. On a 390×844 touch screen the whole diagram fits the width,
runs top to bottom, and no text of it renders below 11 CSS px or overlaps another.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

import oracle
from conftest import ROOT
from pyodide_app.features.selection import lit
from live_page import open_editor
from test_selection import assert_numbers_match, chain_numbers

STORAGE_KEY = "neural-network-demonstration/state"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SEED_SIZES = [3, 4, 3, 2, 2]

LIT = "() => [...document.querySelectorAll('.lit')].map(e => e.id).sort()"
PANEL_NUMBERS = "() => [...document.querySelectorAll('#selection mn')].map(e => e.textContent)"
# Every text of the diagram as drawn: its rendered font size (CSS px, through every transform),
# its box, and the page's width; hidden texts (the layer titles on a phone) left out.
DIAGRAM = """() => {
  const shown = [...document.querySelectorAll('#diagram text')].filter(t => getComputedStyle(t).display !== 'none');
  const texts = shown.map(t => { const m = t.getScreenCTM(), r = t.getBoundingClientRect();
    return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.c, m.d),
            left: r.left, right: r.right, top: r.top, bottom: r.bottom}; });
  const centre = id => { const r = document.getElementById(id).querySelector('circle').getBoundingClientRect();
    return [r.left + r.width / 2, r.top + r.height / 2]; };
  return {texts, width: document.scrollingElement.scrollWidth, centre: Object.fromEntries(
    [...document.querySelectorAll('#diagram .node')].map(n => [n.id, centre(n.id)]))};
}"""


def open_page(browser, base_url, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type in ("error", "warning") else None)
    page.goto(base_url)
    page.wait_for_selector("body[data-state=live]", state="attached", timeout=90_000)
    return context, page, errors


@pytest.fixture(scope="module")
def desktop(browser, base_url):
    context, page, errors = open_page(browser, base_url, viewport={"width": 1280, "height": 800})
    yield page
    context.close()
    assert errors == []


@pytest.fixture(scope="module")
def phone(browser, base_url):
    context, page, errors = open_page(browser, base_url, viewport={"width": 390, "height": 844}, has_touch=True,
                                      is_mobile=True, device_scale_factor=2)
    yield page
    context.close()
    assert errors == []


def settled(page):
    page.evaluate("() => pageEvents.settled()")


def lit_now(page) -> list[str]:
    settled(page)
    return page.evaluate(LIT)


def neuron_ids(l: int, j: int, sizes=SEED_SIZES) -> list[str]:
    return sorted(lit(("node", l, j), sizes))


def stored(page) -> dict:
    """The state the page saved; the seed until it saves one."""
    text = page.evaluate(f"localStorage.getItem({json.dumps(STORAGE_KEY)})")
    return json.loads(text) if text else oracle.seed_data()


def no_violations(page):
    page.route("**/axe-under-test.js", lambda route: route.fulfill(
        body=AXE.read_text(encoding="utf-8"), content_type="text/javascript"))
    page.add_script_tag(url="axe-under-test.js")
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == []


def overlapping(texts: list[dict]) -> list[tuple[str, str]]:
    found = []
    for k, a in enumerate(texts):
        for b in texts[k + 1:]:
            if (a["left"] < b["right"] - .5 and b["left"] < a["right"] - .5
                    and a["top"] < b["bottom"] - .5 and b["top"] < a["bottom"] - .5):
                found.append((a["text"], b["text"]))
    return found


# ---- pointing, focusing, selecting (a laptop) ------------------------------------------------------

def test_once_live_every_line_and_circle_is_a_named_button_and_fields_ask_for_decimals(desktop):
    parts = desktop.evaluate("""() => [...document.querySelectorAll('#diagram .edge, #diagram .node')]
        .map(e => [e.id, e.getAttribute('role'), e.tabIndex, e.getAttribute('aria-label') || ''])""")
    assert len(parts) == sum(SEED_SIZES) + sum(a * b for a, b in zip(SEED_SIZES, SEED_SIZES[1:]))
    for element, role, tab_index, name in parts:
        assert role == "button" and tab_index == 0, element
        assert name.startswith("Weight " if element.startswith("edge") else "0."), (element, name)
    assert desktop.get_by_role("button", name="Weight H1-2 → H2-1 = 0.8000", exact=True).count() == 1
    # and number fields ask for a decimal keypad (51 of them: inputs, targets, rate, and the
    # weights and biases, whose fields Python draws when the editor is first opened)
    open_editor(desktop)
    desktop.evaluate("document.getElementById('parameters').open = false")
    modes = desktop.evaluate("() => [...document.querySelectorAll('[data-field]')].map(e => e.inputMode)")
    assert len(modes) == 51 and set(modes) == {"decimal"}


def test_pointing_at_a_neuron_lights_its_cards_rows_and_lines(desktop):
    desktop.hover("#node-2-1")
    assert lit_now(desktop) == neuron_ids(2, 1)
    assert {"forward-2-1", "backprop-2-1", "row-w-2-1-0", "row-w-2-1-3", "row-b-2-1"} <= set(lit_now(desktop))
    assert desktop.evaluate("document.getElementById('diagram').classList.contains('dimmed')")
    desktop.hover("h1")  # the pointer leaves: nothing is selected, so nothing stays lit
    assert lit_now(desktop) == []
    assert not desktop.evaluate("document.getElementById('diagram').classList.contains('dimmed')")


def test_focusing_a_neuron_lights_it_too(desktop):
    desktop.focus("#node-4-1")
    assert lit_now(desktop) == neuron_ids(4, 1)
    desktop.focus("#node-0-2")  # an input: the lines leaving it
    assert lit_now(desktop) == sorted(["node-0-2"] + [f"edge-1-{k}-2" for k in range(4)])
    desktop.focus("#step")
    assert lit_now(desktop) == []


def test_pointing_at_a_formulas_term_lights_its_line(desktop):
    # the weight of a forward term, the activation before its ×, and a δ term of a hidden neuron's error
    for term, edge in [('#forward-2-1 mn[data-v$="w-2-1-3"]', "edge-2-1-3"),
                       ('#forward-3-0 mn[data-v*="a-2-2@"]', "edge-3-0-2"),  # a-2-2 as its card writes it
                       ('#backprop-3-1 mn[data-v*="d-4-0@"]', "edge-4-0-1")]:
        desktop.locator(term).hover()
        settled(desktop)
        shown = lit_now(desktop)
        assert edge in shown and desktop.locator(f"#{edge}").evaluate("e => e.classList.contains('lit')"), term
        expect(desktop.locator("#edge-readout")).to_contain_text("Weight ")
    desktop.hover("h1")
    assert lit_now(desktop) == []


def test_a_selected_line_shows_its_chain_rule_with_the_oracles_numbers(desktop):
    desktop.evaluate("window.scrollTo(0, 0)")
    desktop.locator("#edge-3-0-0").click()
    settled(desktop)
    panel = desktop.locator("#selection")
    expect(panel).to_be_visible()
    expect(panel.locator("h3")).to_have_text("Weight H2-1 → H3-1")
    assert_numbers_match(desktop.evaluate(PANEL_NUMBERS), chain_numbers(stored(desktop), "edge", 3, 0, 0))
    assert lit_now(desktop) == sorted(["edge-3-0-0", "node-2-0", "node-3-0", "row-w-3-0-0"])
    # beside the diagram, on screen with it
    box, diagram = panel.bounding_box(), desktop.locator("#diagram").bounding_box()
    assert box["x"] >= diagram["x"] + diagram["width"] - 1 and box["y"] < 800
    # pointing elsewhere lights that; leaving comes back to the selection
    desktop.hover("#node-1-0")
    assert "forward-1-0" in lit_now(desktop)
    desktop.hover("h1")
    assert lit_now(desktop) == sorted(["edge-3-0-0", "node-2-0", "node-3-0", "row-w-3-0-0"])


def test_no_accessibility_violations_with_a_line_selected(desktop):
    assert desktop.locator("#selection").is_visible()
    no_violations(desktop)


def test_the_selection_stays_and_follows_training(desktop):
    before = desktop.evaluate(PANEL_NUMBERS)
    train = desktop.locator("#train")
    train.click()
    desktop.wait_for_function("() => +document.querySelector('#main [data-v=epoch]').textContent"
                              ".replace(/,/g, '') > 400", timeout=30_000)
    during = desktop.evaluate(PANEL_NUMBERS)
    assert during != before  # the numbers move with training
    assert desktop.locator("#selection").is_visible() and "edge-3-0-0" in desktop.evaluate(LIT)
    desktop.get_by_role("button", name="Pause", exact=True).click()
    expect(train).to_have_text("Train")
    settled(desktop)
    data = stored(desktop)
    assert data["epoch"] > 400
    assert_numbers_match(desktop.evaluate(PANEL_NUMBERS), chain_numbers(data, "edge", 3, 0, 0))
    # a Step: the update that step applied, from the state before it
    desktop.get_by_role("button", name="Step", exact=True).click()
    expect(desktop.locator("#selection")).to_contain_text("The update the last step applied")
    assert_numbers_match(desktop.evaluate(PANEL_NUMBERS), chain_numbers(data, "edge", 3, 0, 0))


def test_keyboard_space_selects_enter_edits_escape_and_clear_end_it(desktop):
    desktop.get_by_role("button", name="Reset", exact=True).click()  # no step just taken: the panel shows the next
    settled(desktop)
    desktop.focus("#node-2-0")
    desktop.keyboard.press(" ")
    settled(desktop)
    expect(desktop.locator("#selection h3")).to_have_text("Neuron H2-1")
    assert_numbers_match(desktop.evaluate(PANEL_NUMBERS), chain_numbers(stored(desktop), "node", 2, 0))
    assert lit_now(desktop) == neuron_ids(2, 0)
    desktop.keyboard.press("Escape")
    settled(desktop)
    expect(desktop.locator("#selection")).to_be_hidden()
    assert lit_now(desktop) == []
    # Clear selection hands the focus back to what was selected
    desktop.focus("#edge-1-2-0")
    desktop.keyboard.press(" ")
    desktop.get_by_role("button", name="Clear selection", exact=True).click()
    expect(desktop.locator("#selection")).to_be_hidden()
    assert desktop.evaluate("document.activeElement.id") == "edge-1-2-0"
    # Enter still edits
    desktop.keyboard.press("Enter")
    expect(desktop.locator("#field-w-1-2-0")).to_be_focused()
    desktop.evaluate("document.getElementById('parameters').open = false")


def test_the_laptop_diagram_runs_left_to_right_readably(desktop):
    drawn = desktop.evaluate(DIAGRAM)
    centre = drawn["centre"]
    assert centre["node-0-0"][0] < centre["node-1-0"][0] < centre["node-4-0"][0]
    assert abs(centre["node-1-0"][0] - centre["node-1-3"][0]) < 1
    assert min(t["px"] for t in drawn["texts"]) >= 11
    assert overlapping(drawn["texts"]) == []


# ---- a phone, by touch -------------------------------------------------------------------------

def phone_layout_is_readable(phone, sizes: list[int]):
    drawn = phone.evaluate(DIAGRAM)
    assert drawn["width"] <= 390, "the page scrolls sideways"
    small = [(t["text"], round(t["px"], 2)) for t in drawn["texts"] if t["px"] < 11]
    assert small == [], "diagram text under 11 CSS px"
    outside = [t["text"] for t in drawn["texts"] if t["left"] < 0 or t["right"] > 390]
    assert outside == [], "diagram text off the screen's width"
    assert overlapping(drawn["texts"]) == []
    centre = drawn["centre"]  # top to bottom: a layer is a row
    for l in range(1, len(sizes)):
        assert centre[f"node-{l - 1}-0"][1] < centre[f"node-{l}-0"][1]
        assert all(abs(centre[f"node-{l}-{j}"][1] - centre[f"node-{l}-0"][1]) < 1 for j in range(sizes[l]))
    for l, size in enumerate(sizes):
        assert all(0 <= centre[f"node-{l}-{j}"][0] <= 390 for j in range(size))


def test_on_a_phone_the_whole_diagram_fits_runs_top_to_bottom_and_reads(phone):
    phone_layout_is_readable(phone, SEED_SIZES)


def test_a_tap_on_a_neuron_lights_and_selects_it_without_jumping_away(phone):
    phone.tap("#node-3-0")
    assert lit_now(phone) == neuron_ids(3, 0)
    expect(phone.locator("#selection h3")).to_have_text("Neuron H3-1")
    assert not phone.evaluate("document.getElementById('parameters').open")
    assert phone.evaluate("document.activeElement.id") == "node-3-0"


def test_a_tapped_line_shows_its_chain_rule_in_view(phone):
    phone.tap("#edge-2-2-3")
    expect(phone.locator("#selection h3")).to_have_text("Weight H1-4 → H2-3")
    assert_numbers_match(phone.evaluate(PANEL_NUMBERS), chain_numbers(stored(phone), "edge", 2, 2, 3))
    box = phone.locator("#selection").bounding_box()
    assert box["y"] + box["height"] <= 844 + 1 and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 390
    no_violations(phone)


def test_a_tap_on_a_formulas_term_lights_its_line(phone):
    phone.tap('#forward-1-2 mn[data-v$="w-1-2-0"]')
    assert "edge-1-2-0" in lit_now(phone)
    phone.get_by_role("button", name="Clear selection", exact=True).tap()
    expect(phone.locator("#selection")).to_be_hidden()


@pytest.mark.parametrize("sizes", ["8-8-8-8-8-8", "2-8-2", "7-5-6-3"])
def test_wide_networks_fit_a_phone_too(phone, sizes):
    field = phone.get_by_role("textbox", name="Layer sizes", exact=True)
    field.fill(sizes)
    field.press("Enter")
    settled(phone)  # the first new structure imports Jinja in the worker: it may take seconds
    expect(phone.locator("#lede")).to_contain_text(f"with {sizes.count('-') + 1} Layers")
    settled(phone)
    phone_layout_is_readable(phone, [int(n) for n in sizes.split("-")])
