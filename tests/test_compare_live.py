"""Compare and Lessons on the live page, in real Chromium: Compare shows a second plot and the
chart's second pair of curves; Train trains both on the same batches (the saved state's epochs
and weights); Swap exchanges the networks; the second network survives a reload and the link;
a lesson sets up both networks and shows its instruction; axe-core finds nothing with Compare
on, at 1280×800 and 390×844. What the page must show comes from the state and lessons.py."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

import axe
from live_page import LIVE_TIMEOUT, open_live
from pyodide_app.equal_size import equal_size, parameter_count
from pyodide_app.lessons import LESSONS

SETTLE = "async () => { await pageEvents.settled(); }"
STORED_JS = """() => { for (let i = 0; i < localStorage.length; i++) {
  const key = localStorage.key(i); if (key.startsWith('neural-network-demonstration/state')) return localStorage.getItem(key); }
  return null; }"""
# how many cells of a heat canvas are painted (not transparent)
PAINTED_JS = """(id) => { const c = document.getElementById(id), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0; for (let k = 3; k < d.length; k += 4) if (d[k] > 0) n++; return n; }"""
POINTS_JS = """(selector) => { const line = document.querySelector(selector);
  return line ? line.getAttribute('points').trim().split(/\\s+/).filter(Boolean).length : 0; }"""


def opened(browser, base_url, width=1280, height=800, url=""):
    context = browser.new_context(viewport={"width": width, "height": height})
    page, w = open_live(context, base_url + url)
    return context, page, w


def settle(page):
    page.evaluate(SETTLE)


def saved(page) -> dict:
    return json.loads(page.evaluate(STORED_JS))


def second_group(page):
    return page.get_by_role("group", name="Second network")


def compare_on_spiral(page, sizes="2-4-4-1"):
    page.get_by_label("Dataset", exact=True).select_option(label="Spiral")
    settle(page)
    page.locator("#field-sizes").fill(sizes)
    page.locator("#field-sizes").press("Enter")
    settle(page)
    page.get_by_role("button", name="Compare").click()
    settle(page)
    expect(second_group(page)).to_be_visible()


def train_for(page, milliseconds=2500):
    page.get_by_role("button", name="Train").click()
    page.wait_for_timeout(milliseconds)
    page.get_by_role("button", name="Pause").click()
    settle(page)


@pytest.fixture
def live(browser, base_url):
    context, page, w = opened(browser, base_url)
    yield page
    assert w.errors == [], "console or page errors"
    context.close()


def test_compare_shows_two_plots_and_two_curves_and_both_train(live):
    page = live
    compare_on_spiral(page)
    expect(page.get_by_role("button", name="Compare")).to_have_attribute("aria-pressed", "true")
    proposed = "-".join(map(str, equal_size([2, 4, 4, 1])))
    expect(second_group(page).get_by_label("Layer sizes")).to_have_value(proposed)
    expect(page.locator("#data-plot")).to_be_visible()
    expect(page.locator("#second-plot")).to_be_visible()
    assert page.evaluate(PAINTED_JS, "plot-heat") > 0 and page.evaluate(PAINTED_JS, "second-heat") > 0
    before = saved(page)
    train_for(page)
    after = saved(page)
    assert after["epoch"] >= 1 and after["second"]["epoch"] == after["epoch"]
    assert after["weights"] != before["weights"] and after["second"]["weights"] != before["second"]["weights"]
    for line in ("first", "first.test", "second", "second.test"):
        assert page.evaluate(POINTS_JS, f"#compare-chart .curve.{line}") >= 2, line
    rows = page.locator("#compare-rows tr")
    expect(rows).to_have_count(2)
    count = str(parameter_count([2, 4, 4, 1]))
    expect(rows.nth(0).locator("td").nth(1)).to_have_text(count)
    expect(rows.nth(1).locator("td").nth(1)).to_have_text(count)
    expect(rows.nth(1).locator("td").nth(2)).to_have_text(f"{after['epoch']:,}")


def test_bad_sizes_say_why_and_swap_exchanges_the_networks(live):
    page = live
    compare_on_spiral(page)
    sizes = second_group(page).get_by_label("Layer sizes")
    sizes.fill("2-x-1")
    sizes.press("Enter")
    settle(page)
    expect(page.locator("#msg-second-sizes")).to_contain_text("must be numbers")
    expect(sizes).to_have_attribute("aria-invalid", "true")
    sizes.fill("2-3-3-1")
    sizes.press("Enter")
    settle(page)
    expect(page.locator("#msg-second-sizes")).to_have_text("")
    before = saved(page)
    page.get_by_role("button", name="Swap").click()
    settle(page)
    after = saved(page)
    assert after["sizes"] == [2, 3, 3, 1] and after["second"]["sizes"] == [2, 4, 4, 1]
    assert after["weights"] == before["second"]["weights"] and after["second"]["weights"] == before["weights"]
    expect(page.locator("#field-sizes")).to_have_value("2-3-3-1")
    expect(sizes).to_have_value("2-4-4-1")


def test_the_second_network_survives_reload_and_the_link(browser, base_url):
    context, page, w = opened(browser, base_url)
    compare_on_spiral(page)
    second_group(page).get_by_label("Layer sizes").fill("2-6-1")
    second_group(page).get_by_label("Layer sizes").press("Enter")
    settle(page)
    page.get_by_role("button", name="Step").click()
    settle(page)
    state = saved(page)
    assert state["second"]["sizes"] == [2, 6, 1]
    page.reload()
    page.wait_for_selector("body[data-state=live]", timeout=LIVE_TIMEOUT)
    settle(page)
    expect(second_group(page).get_by_label("Layer sizes")).to_have_value("2-6-1")
    expect(page.locator("#second-plot")).to_be_visible()
    assert saved(page)["second"] == state["second"]
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy link").click()
    page.wait_for_function("() => location.hash.startsWith('#state=')")
    link = page.url
    assert w.errors == []
    context.close()
    other = browser.new_context(viewport={"width": 1280, "height": 800})
    page, w = open_live(other, link)
    settle(page)
    expect(second_group(page).get_by_label("Layer sizes")).to_have_value("2-6-1")
    assert saved(page)["second"] == state["second"]
    assert w.errors == []
    other.close()


def test_a_lesson_sets_up_both_networks_and_says_what_to_look_at(live):
    page = live
    lesson = LESSONS["deep-or-wide"]
    page.get_by_label("Lesson", exact=True).select_option(label=lesson.name)
    settle(page)
    expect(page.locator("#lesson-instruction")).to_have_text(lesson.instruction)
    expect(page.locator("#field-sizes")).to_have_value("2-8-8-1")
    expect(second_group(page).get_by_label("Layer sizes")).to_have_value("2-26-1")
    instruction, plot = page.locator("#lesson-instruction").bounding_box(), page.locator("#data-plot").bounding_box()
    assert instruction["y"] + instruction["height"] <= plot["y"]  # above the plot


@pytest.mark.parametrize("width,height", [(1280, 800), (390, 844)])
def test_axe_finds_nothing_with_compare_on(browser, base_url, width, height):
    context, page, w = opened(browser, base_url, width, height)
    page.get_by_label("Lesson", exact=True).select_option(label=LESSONS["xor-needs-a-hidden-layer"].name)
    settle(page)
    page.get_by_role("button", name="Step").click()
    settle(page)
    expect(page.locator("#second-plot")).to_be_visible()
    assert axe.violations(page) == []
    if width < 500:  # the plots above each other, nothing wider than the screen
        first, second = page.locator("#data-plot").bounding_box(), page.locator("#second-plot").bounding_box()
        assert second["y"] >= first["y"] + first["height"] - 1
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert w.errors == []
    context.close()
