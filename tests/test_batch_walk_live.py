"""The walk-through over a batch in real Chromium: on Spiral it walks the shown point forward
and back, then reaches the table of every sample's share of the largest gradient, then their
mean; each number against the numpy batch oracle, from the state the page saved."""

from __future__ import annotations

import numpy as np
import pytest
from playwright.sync_api import expect

import batch_oracle
import oracle
from axe import violations
from shown import shows
from test_data_live import choose_spiral, saved, settle
from live_page import open_live
from pyodide_app.data import settings as data_settings
from pyodide_app.state import from_data
from pyodide_app.training import current_batch

LIT_EDGES = "() => [...document.querySelectorAll('.lit')].map(e => e.id).filter(id => id.startsWith('edge-'))"
ROWS = "() => [...document.querySelectorAll('#walk-table tbody tr')].map(r => [...r.cells].map(c => c.textContent))"


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
    page, w = open_live(context, base_url)
    yield page
    assert w.errors == [], "console or page errors"
    context.close()


def test_walking_a_spiral_batch_reaches_the_table_and_its_mean_is_the_oracles(page):
    choose_spiral(page)
    state = from_data(saved(page))
    net = oracle.Net.from_lists(state.network.weights, state.network.biases, state.network.activations,
                                state.network.loss)
    made = data_settings.samples_of(state.data, state.network.activations[-1])
    batch = current_batch(state)
    xs, ts = [made.inputs[k] for k in batch], [made.targets[k] for k in batch]
    shares = batch_oracle.contributions(net, xs, ts)
    mean_w, _ = batch_oracle.mean_gradients(net, xs, ts)

    page.locator("#walk-start").click()
    settle(page)
    table = page.locator("#walk-table")
    for _ in range(40):
        if table.is_visible():
            break
        expect(table).to_be_hidden()
        page.locator("#walk-next").click()
        settle(page)
    expect(table).to_be_visible()
    assert page.locator("#walk-caption").text_content().startswith("The other samples of the batch")
    (edge,) = page.evaluate(LIT_EDGES)
    l, j, i = (int(x) for x in edge.split("-")[1:])
    rows = page.evaluate(ROWS)
    assert [row[0] for row in rows] == [f"{k + 1:,}" for k in batch]
    for s, row in enumerate(rows):
        assert shows(row[3], shares[l - 1][s, j, i], "precise"), row
    assert violations(page) == []

    page.locator("#walk-next").click()
    settle(page)
    expect(table).to_be_hidden()
    caption = page.locator("#walk-caption").text_content()
    assert caption.startswith("The batch's gradient for the weight ") and "is the mean of the shares" in caption
    assert shows(caption, mean_w[l - 1][j, i], "precise")
    assert float(np.max(np.abs(mean_w[l - 1]))) == pytest.approx(abs(mean_w[l - 1][j, i]))
