"""The walk-through keeps the diagram and its formula in view together. At every step of the
seed and of Mazur's 2-2-2, the lit neurons' circles and the step's card (an update step: its
rows of the table, the row its caption names among them) are inside the window at 1280×800
and at 390×844, uncovered, with the page scrolled by the walk alone. Previous and Next at both
ends; Previous from the step that applied the update gives back the epoch, the weights and the
loss curve; Walk through refused while practising says so beside the button, until practice
ends. The "in view" check runs in Firefox and WebKit too (tests/engines.py): WebKit scrolls to
no element inside a block that skips rendering (content-visibility: auto)."""

from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import expect

import engines
import oracle
from live_page import open_live
from test_engines import engine_params, new_page, started_engines  # noqa: F401 (a fixture)
from test_panel_live import STORED_JS, choose, settle, state_of
from test_walk import expected_walk
from test_walk_live import LIT

MAZUR = "Mazur's worked example (2-2-2)"
SIZES = {"wide": (1280, 800), "phone": (390, 844)}

# Where the lit circles and the step's element are, against the part of the window the walk's
# panel leaves free (all of it beside a panel standing at the side, above one along the bottom):
# an element as far as its boxes that scroll sideways show it (a table row on a phone); for each,
# whether the element found at the middle of what shows is its own (nothing covers it).
PLACES_JS = """((ids) => {
  const rect = (el) => el.getBoundingClientRect();
  const panel = rect(document.getElementById("walk"));
  const beside = panel.top <= 0;
  const window_ = {top: 0, left: 0, bottom: innerHeight, right: innerWidth};
  const free = {top: 0, left: 0, bottom: beside ? innerHeight : panel.top, right: beside ? panel.left : innerWidth};
  const shows = (el) => {
    const r = rect(el), box = {top: r.top, bottom: r.bottom, left: r.left, right: r.right};
    for (let up = el.parentElement; up; up = up.parentElement) {
      if (getComputedStyle(up).overflowX === "visible") continue;
      const clip = rect(up);
      box.left = Math.max(box.left, clip.left);
      box.right = Math.min(box.right, clip.right);
    }
    return box;
  };
  const place = (el, area) => {
    const r = shows(el), x = (Math.max(r.left, area.left) + Math.min(r.right, area.right)) / 2;
    const y = (Math.max(r.top, area.top) + Math.min(r.bottom, area.bottom)) / 2, hit = document.elementFromPoint(x, y);
    return {id: el.id || el.parentNode.id, height: r.bottom - r.top, room: area.bottom - area.top,
            inside: r.top >= area.top - 0.5 && r.bottom <= area.bottom + 0.5 && r.left >= area.left - 0.5 &&
                    r.right <= area.right + 0.5, atTop: Math.abs(r.top - area.top) < 12,
            seen: r.top < area.bottom && r.bottom > area.top,
            uncovered: !!hit && (el.contains(hit) || el.parentNode.contains(hit))};
  };
  return {circles: [...document.querySelectorAll(".node.lit circle")].map((c) => place(c, window_)),
          elements: ids.map((id) => place(document.getElementById(id), free)),
          counter: document.getElementById("walk-counter").textContent};
})"""


def places(evaluate, ids: list[str]) -> dict:
    return evaluate(f"{PLACES_JS}({json.dumps(ids)})")


def in_view(found: dict, strict: bool) -> list[str]:
    """What is not in view: every lit circle inside the window, uncovered; the step's element
    inside the free part, uncovered, or, if taller than that part, filling it from its top; an
    update step's group of rows inside it too when it fits, else seen. `strict`: each of them
    inside, whatever its height."""
    wrong = [f"circle of {c['id']}" for c in found["circles"] if not (c["inside"] and c["uncovered"])]
    if not found["circles"]:
        wrong.append("no lit circle")
    for k, e in enumerate(found["elements"]):
        tall = e["height"] > e["room"] and not strict
        shown = e["inside"] or (tall and (e["seen"] if k else e["atTop"]))
        if not (shown and e["uncovered"]):
            wrong.append(f"#{e['id']} ({e})")
    return wrong


def step_elements(step, lit: list[str], caption: str) -> list[str]:
    """The step's card, the loss curve, or an update step's row with its group of rows."""
    brought = step.brought(lit, caption)
    return [brought] + ([g for g in lit if g.startswith("updates-")] if step.rows else [])


def data_of(page) -> dict:
    return state_of(page) if page.evaluate(STORED_JS) else oracle.seed_data()


def walk_region(page):
    return page.get_by_role("region", name="Walk-through")


@pytest.fixture(params=list(SIZES))
def sized(request, browser, base_url):
    """A page at one of SIZES, and that size's name."""
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, reduced_motion="reduce")
    page, w = open_live(context, base_url)
    yield page, request.param
    assert w.errors == [] and w.foreign == []
    context.close()


@pytest.mark.parametrize("preset", ["", MAZUR])
def test_every_step_keeps_the_lit_neurons_and_the_steps_card_in_view(sized, preset):
    """On the wide screen an update step's rows all show; a phone shows the row its caption names
    and as many of the others as fit."""
    page, size = sized
    if preset:
        choose(page, "Preset", preset)
    data = data_of(page)
    steps = expected_walk(oracle.Net.from_data(data), data["inputs"], data["targets"], data["learning_rate"])
    page.get_by_role("button", name="Walk through", exact=True).click()
    settle(page)
    for k, step in enumerate(steps, start=1):
        if k > 1:
            walk_region(page).get_by_role("button", name="Next", exact=True).click()
            settle(page)
        caption = walk_region(page).locator("#walk-caption").text_content()
        found = places(page.evaluate, step_elements(step, page.evaluate(LIT), caption))
        assert found["counter"] == f"Step {k} of {len(steps)}"
        assert in_view(found, strict=size == "wide") == [], f"step {k} ({step.kind})"


def test_previous_and_next_at_both_ends_and_previous_takes_the_applied_step_back(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
    page, w = open_live(context, base_url)
    page.get_by_role("button", name="Step", exact=True).click()  # a curve of two points before the walk
    settle(page)
    before, curve = data_of(page), page.locator("#curve-line").get_attribute("points")
    walk = walk_region(page)
    page.get_by_role("button", name="Walk through", exact=True).click()
    settle(page)
    previous, next_ = walk.get_by_role("button", name="Previous", exact=True), walk.get_by_role("button", name="Next", exact=True)
    expect(previous).to_be_disabled()
    expect(next_).to_be_enabled()
    expect(next_).to_be_focused()
    page.keyboard.press("ArrowLeft")  # nothing before the first step
    settle(page)
    expect(walk.locator("#walk-counter")).to_have_text("Step 1 of 28")
    next_.click()
    settle(page)
    expect(previous).to_be_enabled()
    previous.click()  # back to the first: Previous goes, focus goes on to Next
    settle(page)
    expect(previous).to_be_disabled()
    expect(next_).to_be_focused()
    for _ in range(27):
        page.keyboard.press("ArrowRight")
        settle(page)
    expect(walk.locator("#walk-counter")).to_have_text("Step 28 of 28")
    again = walk.get_by_role("button", name="Next training step", exact=True)
    expect(again).to_be_enabled()
    expect(previous).to_be_enabled()
    applied = data_of(page)
    assert applied["epoch"] == before["epoch"] + 1 and applied["weights"] != before["weights"]
    assert page.locator("#curve-line").get_attribute("points") != curve
    previous.click()
    settle(page)
    expect(walk.locator("#walk-counter")).to_have_text("Step 27 of 28")
    back = data_of(page)
    assert (back["epoch"], back["weights"], back["biases"]) == (before["epoch"], before["weights"], before["biases"])
    assert page.locator("#curve-line").get_attribute("points") == curve
    expect(page.locator(".statusbar .readout").first).to_contain_text(f"Epoch {before['epoch']} ")
    walk.get_by_role("button", name="Next", exact=True).click()  # applied again, once
    settle(page)
    assert data_of(page)["epoch"] == before["epoch"] + 1
    again.click()  # a new walk, on the network the update made
    settle(page)
    expect(walk.locator("#walk-counter")).to_have_text("Step 1 of 28")
    expect(previous).to_be_disabled()
    expect(walk.get_by_role("button", name="Next", exact=True)).to_be_enabled()
    assert data_of(page)["epoch"] == before["epoch"] + 1
    assert w.errors == []
    context.close()


def test_walk_through_while_practising_says_why_beside_the_button_until_practice_ends(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, reduced_motion="reduce")
    page, w = open_live(context, base_url)
    page.get_by_role("button", name="Practice", exact=True).click()
    settle(page)
    button = page.get_by_role("button", name="Walk through", exact=True)
    button.click()
    settle(page)
    said = page.locator("#walk-refused")
    expect(said).to_contain_text("stop Practice to walk through a step")
    expect(page.locator("#notice")).to_be_hidden()
    expect(walk_region(page)).to_be_hidden()
    where, near = said.bounding_box(), button.bounding_box()
    assert 0 <= where["y"] and where["y"] + where["height"] <= 844, "the message is out of view"
    assert abs(where["y"] - (near["y"] + near["height"])) < 120, (where, near)
    page.get_by_role("button", name="Worksheet", exact=True).click()
    expect(page.get_by_role("button", name="Close worksheet", exact=True)).to_be_visible()
    expect(said).to_be_hidden()  # the worksheet's view: nothing of the page behind it shows
    page.get_by_role("button", name="Close worksheet", exact=True).click()
    settle(page)
    page.get_by_role("button", name="Practice", exact=True).click()  # practice ends
    settle(page)
    expect(said).to_be_empty()
    expect(said).to_be_hidden()
    button.click()
    settle(page)
    expect(walk_region(page)).to_be_visible()
    assert w.errors == []
    context.close()


# ---- every engine ---------------------------------------------------------------------------------

WALKED = 20  # s for an engine to show a step, smooth scrolling included


@pytest.mark.parametrize("engine_path", engine_params(["http"]))
def test_every_engine_brings_each_step_into_view_with_the_lit_neurons(request, engine_path):
    engine, _ = engine_path
    page = new_page(request, engine)
    try:
        page.open(request.getfixturevalue("base_url"))
        assert page.wait_state() == "live"
        data = oracle.seed_data()
        steps = expected_walk(oracle.Net.from_data(data), data["inputs"], data["targets"], data["learning_rate"])
        page.click("Walk through")
        for k, step in enumerate(steps, start=1):
            if k > 1:
                page.click("Next")
            deadline = time.monotonic() + WALKED
            while True:
                lit = page.evaluate(f"({LIT})()")
                caption = page.evaluate("document.getElementById('walk-caption').textContent")
                try:
                    found = places(page.evaluate, step_elements(step, lit, caption))
                    assert found["counter"] == f"Step {k} of {len(steps)}"
                    assert in_view(found, strict=False) == [], f"{engine}, step {k} ({step.kind})"
                    break
                except (AssertionError, ValueError, engines.BidiError):
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(engines.POLL)
        assert page.errors() == []
    finally:
        page.close()
