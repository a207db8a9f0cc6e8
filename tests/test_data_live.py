"""Data on the live page, in real Chromium: choosing Spiral draws its points and the network's
output behind them; the heatmap's colour where a point lies is the class the worker's own
output gives that point; training lowers the test loss; a click on a point makes it the shown
sample, whose inputs the forward pass then shows. Every expected number comes from the
dataset's generator and the numpy batch oracle, never from the page."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from playwright.sync_api import expect

import axe
import batch_oracle
from live_page import open_live
from pyodide_app.data import dataset, settings
from pyodide_app.features.data import TRAINING_CELLS
from pyodide_app.notation.numbers import number

SETTLE = "async () => { await pageEvents.settled(); }"
STORED_JS = """() => { for (let i = 0; i < localStorage.length; i++) {
  const key = localStorage.key(i); if (key.startsWith('neural-network-demonstration/state')) return localStorage.getItem(key); }
  return null; }"""
# the plot's canvas of the network's output: the colour (r, g, b) at a point of the plane
HEAT_AT_JS = """([x, y]) => { const canvas = document.getElementById('plot-heat'), n = canvas.width;
  const col = Math.min(n - 1, Math.floor((x + 6) / 12 * n)), row = Math.min(n - 1, Math.floor((6 - y) / 12 * n));
  return Array.from(canvas.getContext('2d').getImageData(col, row, 1, 1).data.slice(0, 3)); }"""
BLUE_HEAT = (165, 200, 245)  # plot.js: the light colour of class 1; class 0's is orange (250, 210, 160)


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page, w = open_live(context, base_url)
    yield page
    assert w.errors == [], "console or page errors"
    context.close()


def settle(page):
    page.evaluate(SETTLE)


def saved(page) -> dict:
    return json.loads(page.evaluate(STORED_JS))


def losses(page) -> tuple[float, float]:
    text = page.locator("#data-readout").text_content()
    found = re.search(r"Training loss ([0-9.]+) · Test loss ([0-9.]+)", text)
    return float(found[1]), float(found[2])


def choose_spiral(page):
    page.get_by_label("Dataset", exact=True).select_option(label="Spiral")
    settle(page)
    expect(page.locator("#data-plot")).to_be_visible()


def test_spiral_draws_its_points_and_the_heatmap_agrees_with_the_network(page):
    choose_spiral(page)
    state = saved(page)
    data = state["data"]
    assert data["dataset"] == "spiral" and data["points"] == 500 and state["sizes"][0] == 2
    plot = page.evaluate("() => pagePlot.state")
    made = dataset.generated("spiral", 500, 0.0, 0.5, data["seed"])
    assert len(plot["points"]["x"]) == 500 and plot["points"]["test"].count(1) == 250
    assert np.allclose(plot["points"]["x"], [x for x, _ in made.points], atol=1e-4)
    assert plot["heat"]["n"] == 100
    # the network as saved, through the oracle, at 20 points: the colour behind each is its class
    net = batch_oracle.Net.from_lists(state["weights"], state["biases"], state["activations"], state["loss"])
    samples = dataset.samples(made, data["inputs"], state["activations"][-1])
    outputs = batch_oracle.forward(net, samples.inputs)[1][-1][:, -1]
    low, high = dataset.class_levels(state["activations"][-1])
    middle = (low + high) / 2
    # points far enough from the boundary that the cell's centre is on the same side
    clear = [k for k in np.argsort(-abs(outputs - middle)) if abs(outputs[k] - middle) > 0.002 * (high - low)][:20]
    assert len(clear) == 20
    classes_seen = set()
    for k in clear:
        colour = page.evaluate(HEAT_AT_JS, list(made.points[k]))
        blue = abs(colour[0] - BLUE_HEAT[0]) < abs(colour[0] - 250)
        assert blue == (outputs[k] > middle), (k, colour, outputs[k])
        classes_seen.add(blue)
    summary = page.locator("#plot-summary").text_content()
    assert "500 points, 250 for training" in summary


def test_training_lowers_the_test_loss(page):
    choose_spiral(page)
    page.get_by_label("Activation, Hidden Layer 1").select_option(value="tanh")
    settle(page)
    before = losses(page)[1]
    page.get_by_role("button", name="Train").click()
    page.wait_for_function("() => /Epoch [1-9]/.test(document.getElementById('data-readout').textContent)",
                           timeout=60_000)
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="Pause").click()
    settle(page)
    after = losses(page)[1]
    assert after < before
    assert page.evaluate("() => pagePlot.state.heat.n") == 100  # paused: the finer grid


def test_a_click_on_a_point_makes_it_the_shown_sample(page):
    choose_spiral(page)
    data = saved(page)["data"]
    made = dataset.generated("spiral", 500, 0.0, 0.5, data["seed"])
    k = next(k for k in range(120, 500) if not made.test[k])  # a training point, away from the centre
    page.locator("#plot-points").scroll_into_view_if_needed()
    box = page.locator("#plot-points").bounding_box()
    x1, x2 = made.points[k]
    page.mouse.click(box["x"] + (x1 + 6) / 12 * box["width"], box["y"] + (6 - x2) / 12 * box["height"])
    settle(page)
    state = saved(page)
    assert state["data"]["shown"] == k
    assert page.get_by_label("Shown sample").input_value() == str(k + 1)
    for i, x in enumerate((x1, x2)):  # the forward pass's inputs are the point's
        assert page.locator(f'[data-v="a-0-{i}"]').first.text_content() == number(x)
    # ← and → step through the batch
    page.locator("#plot-points").focus()
    page.keyboard.press("ArrowRight")
    settle(page)
    assert saved(page)["data"]["shown"] in settings_batch(saved(page))


def settings_batch(state: dict) -> list[int]:
    from pyodide_app.state import from_data
    from pyodide_app.training import current_batch
    return current_batch(from_data(state))


def test_no_accessibility_violations_with_data_on(page):
    choose_spiral(page)
    page.get_by_text("Every point as a table").click()  # its table judged too
    expect(page.locator("#plot-rows tr")).to_have_count(500)
    assert axe.violations(page) == []


# While training: each new heatmap the canvas shows, and the epoch the readout gives then
WATCH_TRAINING_JS = """() => { window.__heats = []; const plot = pagePlot.state; let last = plot.heatPaints;
  const canvas = document.getElementById('plot-heat');
  const watch = () => { if (plot.heatPaints !== last) { last = plot.heatPaints;
      const epoch = Number(document.getElementById('data-readout').textContent.match(/Epoch ([0-9,]+)/)[1].replace(/,/g, ''));
      window.__heats.push({ n: plot.heat.n, epoch, pixels: canvas.toDataURL() }); }
    requestAnimationFrame(watch); };
  requestAnimationFrame(watch); }"""


def test_training_spiral_refreshes_the_boundary_while_many_batches_run(page):
    """The worker trains between heatmaps: the canvas shows new boundaries while training, on the
    60 × 60 grid, and epochs of 25 batches pass with far fewer heatmaps than batches."""
    choose_spiral(page)
    page.get_by_label("Activation, Hidden Layer 1").select_option(value="tanh")
    page.get_by_label("Speed", exact=True).select_option(label="Fast")
    settle(page)
    page.evaluate(WATCH_TRAINING_JS)
    page.get_by_role("button", name="Train").click()
    page.wait_for_function("() => window.__heats.length >= 4 && window.__heats.at(-1).epoch >= 4", timeout=120_000)
    page.get_by_role("button", name="Pause").click()
    settle(page)
    heats = page.evaluate("() => window.__heats")
    training = [h for h in heats if h["n"] == TRAINING_CELLS]
    assert len(training) >= 3
    assert len({h["pixels"] for h in training}) >= 3  # the boundary moved on the canvas
    batches = 25 * (heats[-1]["epoch"] - training[0]["epoch"])  # 250 training points in batches of 10
    assert batches > len(heats)  # many batches to a heatmap, not one heatmap a batch
