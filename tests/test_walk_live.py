"""The walk-through in real Chromium: walked with the keyboard alone from start to end, each
caption and highlight against the numpy oracle (tests/test_walk.py says what each step must
hold), for the seed and for a network built in the Network panel; axe-core in every kind of
step; an edit on the way; Play and Pause; training ends a walk."""

from __future__ import annotations

import numpy as np
import pytest
from playwright.sync_api import expect

import oracle
from axe import violations
from live_page import open_live
from test_panel_live import STORED_JS, build_sizes, choose, settle, state_of
from test_walk import expected_walk

LIT = "() => [...document.querySelectorAll('.lit')].map(e => e.id)"
IN_VIEW = """(id) => { const r = document.getElementById(id).getBoundingClientRect();
  return r.top >= 0 && r.top < innerHeight && r.bottom > 0; }"""


@pytest.fixture
def fresh(browser, base_url):
    """A page of its own, with no smooth scrolling: a card is in view as soon as it is lit."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
    page, w = open_live(context, base_url)
    yield page
    assert w.errors == [] and w.foreign == []
    context.close()


def region(page):
    return page.get_by_role("region", name="Walk-through")


def no_violations(page, when: str):
    found = violations(page)
    assert found == [], f"{when}: {found}"


def saved(page) -> dict:
    """The network the page saved (the seed until something changes): the oracle's input."""
    return state_of(page) if page.evaluate(STORED_JS) else oracle.seed_data()


def oracle_walk(page):
    data = saved(page)
    net = oracle.Net.from_data(data)
    return expected_walk(net, data["inputs"], data["targets"], data["learning_rate"]), net, data


def check_step(page, step, k: int, total: int):
    """The caption, the counter, what is lit and that its card came into view."""
    walk = region(page)
    expect(walk).to_be_visible()
    assert walk.locator("#walk-counter").text_content() == f"Step {k} of {total}"
    caption = walk.locator("#walk-caption").text_content()
    step.check(caption, k)
    brought = step.brought(page.evaluate(LIT), caption)
    assert page.evaluate("() => document.getElementById('diagram').classList.contains('dimmed')")
    assert page.evaluate(IN_VIEW, brought), f"step {k}: #{brought} is not in view"


def check_applied(page, net, data):
    after = oracle.step(net, data["inputs"], data["targets"], data["learning_rate"])
    now = state_of(page)
    assert now["epoch"] == data["epoch"] + 1
    flat = lambda arrays: np.concatenate([np.ravel(a) for a in arrays])
    oracle.assert_close(flat(now["weights"]), flat(after.weights), "weights")
    oracle.assert_close(flat(now["biases"]), flat(after.biases), "biases")


def test_a_keyboard_walks_the_seed_from_start_to_end_as_the_oracle_says(fresh):
    page = fresh
    expect(region(page)).to_be_hidden()
    steps, net, data = oracle_walk(page)
    for _ in range(400):  # Tab from the top of the page to the button
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "walk-start":
            break
    expect(page.get_by_role("button", name="Walk through", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    settle(page)
    expect(region(page).get_by_role("button", name="Next", exact=True)).to_be_focused()
    check_step(page, steps[0], 1, len(steps))
    no_violations(page, "start")
    audited = {5: "middle of the forward pass", 12: "loss", 16: "backward pass", 25: "updates"}
    for k in range(2, len(steps) + 1):
        page.keyboard.press("ArrowRight")
        settle(page)
        check_step(page, steps[k - 1], k, len(steps))
        if k in audited:
            no_violations(page, audited[k])
    assert [s.kind for s in steps[11:13]] == ["loss", "backward"] and steps[24].kind == "update"
    check_applied(page, net, data)
    no_violations(page, "last step")
    expect(region(page).get_by_role("button", name="Next training step", exact=True)).to_be_focused()
    page.keyboard.press("ArrowLeft")  # the update taken back
    settle(page)
    assert region(page).locator("#walk-counter").text_content() == f"Step {len(steps) - 1} of {len(steps)}"
    assert state_of(page)["epoch"] == data["epoch"]
    for _ in range(3):  # Next → Play → Walk speed → Exit
        page.keyboard.press("Tab")
    expect(region(page).get_by_role("button", name="Exit", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    settle(page)
    expect(region(page)).to_be_hidden()
    expect(page.get_by_role("button", name="Walk through", exact=True)).to_be_focused()
    assert page.evaluate(LIT) == []
    assert not page.evaluate("() => document.getElementById('diagram').classList.contains('dimmed')")
    no_violations(page, "after the walk")


def test_a_network_built_in_the_panel_walks_as_the_oracle_says(fresh):
    page = fresh
    build_sizes(page, "2-3-2")
    choose(page, "Activation, Hidden Layer 1", "Tanh")
    choose(page, "Activation, Output Layer", "Softmax")
    choose(page, "Loss", "Cross-entropy")
    steps, net, data = oracle_walk(page)
    assert (data["activations"], data["loss"]) == (["tanh", "softmax"], "cross_entropy")
    page.get_by_role("button", name="Walk through", exact=True).click()
    settle(page)
    check_step(page, steps[0], 1, len(steps))
    for k in range(2, len(steps) + 1):
        region(page).get_by_role("button", name="Next", exact=True).click()
        settle(page)
        check_step(page, steps[k - 1], k, len(steps))
    check_applied(page, net, data)
    no_violations(page, "last step of a softmax network")


def test_an_edit_during_the_walk_keeps_the_step_and_rewords_it_where_the_reader_is(fresh):
    page = fresh
    page.get_by_role("button", name="Walk through", exact=True).click()
    settle(page)
    for _ in range(4):
        page.keyboard.press("ArrowRight")
        settle(page)
    field = page.get_by_label("Input 1", exact=True)
    field.focus()  # brings the field into view; typing there must keep it in view
    scrolled = page.evaluate("() => scrollY")
    field.fill("0.9")
    settle(page)
    steps, _, _ = oracle_walk(page)
    assert oracle_walk(page)[2]["inputs"][0] == 0.9
    check_step_text = region(page).locator("#walk-caption").text_content()
    assert region(page).locator("#walk-counter").text_content() == "Step 5 of 28"
    steps[4].check(check_step_text, 5)
    assert set(page.evaluate(LIT)) == steps[4].ids
    assert page.evaluate("() => scrollY") == scrolled
    page.keyboard.press("ArrowRight")  # in a text field the arrow keys are the field's
    settle(page)
    assert region(page).locator("#walk-counter").text_content() == "Step 5 of 28"


def test_play_advances_pause_stops_and_training_ends_the_walk(fresh):
    page = fresh
    page.get_by_role("button", name="Walk through", exact=True).click()
    settle(page)
    walk = region(page)
    walk.get_by_label("Walk speed", exact=True).select_option(label="Fast")
    walk.get_by_role("button", name="Play", exact=True).click()
    expect(walk.locator("#walk-counter")).to_have_text("Step 3 of 28", timeout=10_000)
    walk.get_by_role("button", name="Pause", exact=True).click()
    expect(walk.get_by_role("button", name="Play", exact=True)).to_be_visible()
    settle(page)
    stopped = walk.locator("#walk-counter").text_content()
    page.wait_for_timeout(2000)
    assert walk.locator("#walk-counter").text_content() == stopped
    page.get_by_role("button", name="Train", exact=True).click()
    expect(walk).to_be_hidden()
    assert page.evaluate(LIT) == []
    page.get_by_role("button", name="Pause", exact=True).click()  # the one Pause: training's
    expect(page.locator("#train")).to_have_text("Train")
