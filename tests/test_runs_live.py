"""The Runs table in real Chromium: train, Reset, the row is there with the oracle's loss; after a
reload it is still there (local storage, under its own key, not the link); Export runs (CSV)
downloads it, the csv module reads it back; Clear runs empties it for good; axe-core finds no
violation with the table shown, at 1280×800 and on a 390×844 phone."""

from __future__ import annotations

import csv
import io

from playwright.sync_api import expect

import oracle
from axe import violations
from live_page import LIVE_TIMEOUT, open_live

RUNS_KEY = "neural-network-demonstration/runs"
STEPS = 5


def settle(page) -> None:
    page.evaluate("() => pageEvents.settled()")


def test_a_run_is_kept_across_a_reload_exported_and_cleared(browser, base_url, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page, w = open_live(context, base_url)
    settle(page)
    table = page.locator("#runs-table")
    expect(table).to_be_hidden()
    page.get_by_role("button", name="Reset", exact=True).click()  # nothing trained: no row
    settle(page)
    expect(table).to_be_hidden()

    for _ in range(STEPS):
        page.get_by_role("button", name="Step", exact=True).click()
        settle(page)
    page.get_by_role("button", name="Reset", exact=True).click()
    settle(page)
    expect(table).to_be_visible()
    seed = oracle.seed_data()
    trained = oracle.train(oracle.seed_net(), seed["inputs"], seed["targets"], seed["learning_rate"], STEPS)
    loss = oracle.loss_at(trained, seed["inputs"], seed["targets"])
    row = ["1", "One sample", "3-4-3-2-2", "Sigmoid ×4", "Mean squared error",
           f"{seed['learning_rate']:g}", "–", str(STEPS), f"{loss:.6f}", "–", "–", "–"]
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(1)
    assert rows.first.locator("th, td").all_text_contents() == row
    expect(page.locator("#runs-message")).to_have_text("Run 1 added to the Runs table.")
    assert "runs" not in page.evaluate("() => location.hash")
    table.scroll_into_view_if_needed()
    assert violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the table scrolls in its box, the page does not
    table.scroll_into_view_if_needed()
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 390
    assert violations(page) == []

    page.reload()
    page.wait_for_selector("body[data-state=live]", timeout=LIVE_TIMEOUT)
    expect(rows).to_have_count(1)
    assert rows.first.locator("th, td").all_text_contents() == row

    with page.expect_download() as info:
        page.get_by_role("button", name="Export runs (CSV)", exact=True).click()
    download = info.value
    assert download.suggested_filename == "neural-network-runs.csv"
    download.save_as(tmp_path / "runs.csv")
    [exported] = list(csv.DictReader(io.StringIO((tmp_path / "runs.csv").read_text(encoding="utf-8"), newline="")))
    assert (exported["Data"], exported["Epochs"], exported["Test loss"]) == ("One sample", str(STEPS), "")
    oracle.assert_close(float(exported["Training loss"]), loss)

    page.get_by_role("button", name="Clear runs", exact=True).click()
    settle(page)
    expect(table).to_be_hidden()
    page.reload()
    page.wait_for_selector("body[data-state=live]", timeout=LIVE_TIMEOUT)
    settle(page)
    expect(table).to_be_hidden()
    assert page.evaluate(f"() => JSON.parse(localStorage.getItem('{RUNS_KEY}')).runs") == []
    assert w.errors == [] and w.dialogs == []
    context.close()


def test_damaged_stored_runs_are_said_so_and_the_network_still_opens(browser, base_url):
    context = browser.new_context()
    context.add_init_script(f"localStorage.setItem('{RUNS_KEY}', '{{\"version\": 1, \"runs\": [')")
    page, w = open_live(context, base_url)
    settle(page)
    expect(page.locator("#runs-message")).to_contain_text("could not be read (they are not JSON)")
    expect(page.locator("#runs-table")).to_be_hidden()
    page.get_by_role("button", name="Step", exact=True).click()
    settle(page)
    expect(page.locator("#main [data-v=epoch]").first).to_have_text("1")
    assert w.errors == []
    context.close()
