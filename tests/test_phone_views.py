"""Every view on a phone (390×844, touch) and a laptop, in real Chromium: nothing is cut off
without a sign (an element wider than the window sits in a block that scrolls sideways and says
so above its start); the selection's panel leaves the chosen line's midpoint in view above it;
the walk-through's panel leaves its step's card in view above it, and the lit neuron in view in
its map; axe-core finds no violation in any view at 390×844.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import axe
from live_page import LIVE_TIMEOUT

PHONE, LAPTOP = (390, 844), (1280, 800)
SETTLE = "async () => { await pageEvents.settled(); }"

# Elements that stick out of the window on the right, and blocks that scroll sideways with more
# than their width to show: each of those must show its cue (its ::before), each of these must
# sit in one of those. Blocks that skip rendering are rendered for the count (and a frame drawn:
# a block's scroll timeline, which shows its cue, starts with the frame).
CUT_JS = """async () => {
  document.querySelectorAll('.layer-block, #formulas > section, #understanding').forEach(b => b.classList.add('rendered'));
  for (let k = 0; k < 2; k++) await new Promise(requestAnimationFrame);
  const scrolls = (e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1;
  const drawn = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const cue = (e) => { const s = getComputedStyle(e, '::before');
    return s.display !== 'none' && s.content !== 'none' && s.visibility === 'visible' && parseFloat(s.height) > 0; };
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined && e.className ? '.' + e.className.split(' ').join('.') : '');
  const out = [];
  for (const e of document.querySelectorAll('body *:not(svg *, script, .skip)')) {
    if (!drawn(e)) continue;
    if (e.getBoundingClientRect().right > innerWidth + 1) {
      let box = e.parentElement;
      while (box && !scrolls(box)) box = box.parentElement;
      if (!box) out.push(name(e) + ' is cut at the window\\'s edge');
      else if (box.getBoundingClientRect().right > innerWidth + 1) out.push(name(box) + ' scrolls, but is wider than the window');
    }
    if (scrolls(e) && !cue(e) && getComputedStyle(e).overflowY !== 'scroll') out.push(name(e) + ' scrolls sideways with no sign');
  }
  document.querySelectorAll('.rendered').forEach(b => b.classList.remove('rendered'));
  return [...new Set(out), ...(document.documentElement.scrollWidth > innerWidth ? ['the page scrolls sideways'] : [])];
}"""

# A line's midpoint or a circle's centre, the status bar's bottom and the selection panel's top
PLACES_JS = """(id) => {
  const e = document.getElementById(id), panel = document.getElementById('selection').getBoundingClientRect();
  let y;
  if (e.getTotalLength) { const m = e.getScreenCTM(), p = e.getPointAtLength(e.getTotalLength() / 2); y = m.b * p.x + m.d * p.y + m.f; }
  else { const r = e.getBoundingClientRect(); y = r.top + r.height / 2; }
  return {y, top: document.querySelector('.statusbar').getBoundingClientRect().bottom, panel: panel.top, height: innerHeight};
}"""

# The walk's lit card (the first lit element outside the diagram), the lit circles of its map,
# the panel's box and the status bar's bottom
WALK_JS = """() => {
  const panel = document.getElementById('walk').getBoundingClientRect();
  const card = [...document.querySelectorAll('.lit')].find(e => !e.closest('svg, #walk'));
  const box = (e) => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  return {panel: box(document.getElementById('walk')), card: card ? {...box(card), id: card.id} : null,
          nodes: [...document.querySelectorAll('#walk-map .node.lit circle')].map(box),
          top: document.querySelector('.statusbar').getBoundingClientRect().bottom};
}"""


def open_page(browser, base_url, size, **options):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, **options)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base_url)
    page.wait_for_selector("body[data-state=live]", state="attached", timeout=LIVE_TIMEOUT)
    return context, page, errors


@pytest.fixture(scope="module")
def phone(browser, base_url):
    context, page, errors = open_page(browser, base_url, PHONE, has_touch=True, is_mobile=True,
                                      reduced_motion="reduce")
    yield page
    context.close()
    assert errors == []


@pytest.fixture(scope="module")
def laptop(browser, base_url):
    context, page, errors = open_page(browser, base_url, LAPTOP)
    yield page
    context.close()
    assert errors == []


def settle(page):
    page.evaluate(SETTLE)


def build(page, sizes: str):
    field = page.get_by_role("textbox", name="Layer sizes", exact=True)
    field.fill(sizes)
    field.press("Enter")
    settle(page)


# ---- nothing cut without a sign ---------------------------------------------------------------

@pytest.mark.parametrize("sizes", ["3-4-3-2-2", "8-8-8-8-8-8"])
@pytest.mark.parametrize("device", ["phone", "laptop"])
def test_nothing_is_wider_than_the_window_without_a_sign(request, device, sizes):
    page = request.getfixturevalue(device)
    build(page, sizes)
    assert page.evaluate(CUT_JS) == []


def test_a_long_formula_wraps_on_a_phone_instead_of_scrolling(phone):
    build(phone, "8-8-8-8-8-8")
    card = phone.locator("#forward-2-0")
    card.scroll_into_view_if_needed()
    math = card.locator("math").first
    box, width = math.bounding_box(), card.evaluate("e => e.clientWidth")
    assert box["width"] <= width and box["height"] > 3 * 20  # eight products and a bias: lines of them


def test_a_wide_table_says_it_scrolls_on_a_phone(phone):
    build(phone, "3-4-3-2-2")
    table = phone.locator("#updates .table-scroll").first
    assert table.evaluate("e => e.scrollWidth > e.clientWidth")
    cue = table.evaluate("e => { const s = getComputedStyle(e, '::before'); return [s.content, s.visibility]; }")
    assert "Scroll sideways" in cue[0] and cue[1] == "visible"


# ---- panels that leave their subject in view ----------------------------------------------------

@pytest.mark.parametrize("chosen", ["edge-3-1-2", "edge-4-1-1", "edge-1-0-0", "edge-2-2-3", "node-4-1"])
def test_the_chosen_line_stays_in_view_above_the_selections_panel(phone, chosen):
    build(phone, "3-4-3-2-2")
    if phone.locator("#selection").is_visible():
        phone.get_by_role("button", name="Clear selection", exact=True).tap()
        expect(phone.locator("#selection")).to_be_hidden()
    # as a reader meets it: the diagram's top at the top of the window, its lower lines far down
    phone.evaluate("() => document.getElementById('diagram').scrollIntoView({block: 'start'})")
    phone.locator(f"#{chosen}").dispatch_event("click")
    expect(phone.locator("#selection h3")).to_be_visible()
    settle(phone)
    places = phone.evaluate(PLACES_JS, chosen)
    assert places["panel"] < places["height"], "the panel is not over the window"
    assert places["top"] <= places["y"] <= places["panel"], places


def test_the_walk_through_leaves_its_card_above_its_panel_and_the_lit_neuron_in_its_map(phone):
    build(phone, "3-4-3-2-2")
    if phone.locator("#selection").is_visible():
        phone.get_by_role("button", name="Clear selection", exact=True).tap()
    phone.get_by_role("button", name="Walk through", exact=True).tap()
    walk = phone.get_by_role("region", name="Walk-through")
    expect(walk).to_be_visible()
    seen = 0
    for step in range(14):
        settle(phone)
        at = phone.evaluate(WALK_JS)
        if at["card"]:
            seen += 1
            card, panel = at["card"], at["panel"]
            assert card["top"] >= at["top"] - 1 and card["top"] < panel["top"], (step, at)
            assert min(card["bottom"], panel["top"]) - card["top"] >= min(card["bottom"] - card["top"], 60), (step, at)
        for node in at["nodes"]:
            assert panel["top"] <= node["top"] and node["bottom"] <= panel["bottom"], (step, at)
        walk.get_by_role("button", name="Next", exact=True).tap()
    assert seen >= 10
    walk.get_by_role("button", name="Exit", exact=True).tap()
    expect(walk).to_be_hidden()


# ---- axe in every view at 390×844 ---------------------------------------------------------------

def no_violations(page, view: str):
    found = axe.violations(page)
    assert found == [], f"{view}: {found}"


def test_axe_finds_nothing_in_any_view_on_a_phone(phone):
    build(phone, "3-4-3-2-2")
    no_violations(phone, "the page")
    phone.locator("#edge-3-1-2").dispatch_event("click")
    expect(phone.locator("#selection h3")).to_be_visible()
    no_violations(phone, "a line selected")
    phone.get_by_role("button", name="Clear selection", exact=True).tap()
    phone.get_by_role("button", name="Walk through", exact=True).tap()
    settle(phone)
    no_violations(phone, "the walk-through")
    phone.get_by_role("button", name="Exit", exact=True).tap()
    build(phone, "8-8-8-8-8-8")
    no_violations(phone, "8-8-8-8-8-8")
    phone.get_by_label("Dataset", exact=True).select_option(label="Spiral")
    settle(phone)
    expect(phone.locator("#data-plot")).to_be_visible()
    no_violations(phone, "data")
    phone.get_by_role("button", name="Worksheet", exact=True).tap()
    settle(phone)
    expect(phone.locator("#worksheet-view")).to_be_visible()
    no_violations(phone, "the worksheet")
