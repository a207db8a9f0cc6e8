"""Each neuron's map on the live page, in real Chromium: focusing a neuron shows its map large in
the plot, with its name, and its colours at 10 sampled cells are the activation the numpy oracle
gives at those cells' centres for the network the page saved; every circle holds its map; an
input neuron's map is its feature. Expected values never come from the page."""

from __future__ import annotations

import numpy as np
import pytest

import batch_oracle
from test_data_live import choose_spiral, page, saved, settle  # noqa: F401  (the page fixture)
from pyodide_app.data import inputs
from pyodide_app.features.data import TRAINING_CELLS

CELLS = 20
LOW, HIGH = np.array([250, 210, 160]), np.array([165, 200, 245])  # plot.js: the colours at a map's two ends
# the large map's canvas, its name, and the colour of every cell
LARGE_JS = """() => { const canvas = document.getElementById('plot-map');
  return { hidden: canvas.hidden, neuron: canvas.dataset.neuron, name: document.getElementById('plot-map-name').textContent,
           n: canvas.width, pixels: Array.from(canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data) }; }"""


def centres() -> list[tuple[float, float]]:
    """The 20 × 20 cells' centres, row by row from the top (x₂ = 6) down, computed here."""
    along = [-6 + 12 * (k + 0.5) / CELLS for k in range(CELLS)]
    return [(x1, x2) for x2 in reversed(along) for x1 in along]


def shares(pixels: list[int]) -> np.ndarray:
    """Each cell's place between the map's two colours, 0 … 1, from its red and blue."""
    rgb = np.array(pixels, dtype=float).reshape(-1, 4)[:, :3]
    return ((rgb[:, 0] - LOW[0]) / (HIGH[0] - LOW[0]) + (rgb[:, 2] - LOW[2]) / (HIGH[2] - LOW[2])) / 2


def large(page, node: str) -> dict:
    page.mouse.move(0, 0)  # the pointer off the diagram: focus alone says which neuron
    page.locator(f"#{node}").focus()
    return page.evaluate(LARGE_JS)


def test_a_focused_neurons_map_in_the_plot_is_its_activation_at_sampled_cells(page):
    choose_spiral(page)
    page.get_by_label("Activation, Hidden Layer 1").select_option(value="tanh")
    settle(page)
    for _ in range(3):  # weights moved off the seed's
        page.get_by_role("button", name="Step").click()
        settle(page)
    state = saved(page)
    net = batch_oracle.Net.from_lists(state["weights"], state["biases"], state["activations"], state["loss"])
    X = [inputs.features_of(state["data"]["inputs"], x1, x2) for x1, x2 in centres()]
    activations = batch_oracle.forward(net, X)[1]
    assert page.locator(".node-map").count() == sum(state["sizes"])  # every circle holds its map

    shown = large(page, "node-1-2")
    assert not shown["hidden"] and shown["neuron"] == "node-1-2" and shown["n"] == CELLS
    assert shown["name"].startswith("H1-3")
    expected = activations[1][:, 2]  # tanh: its map runs from −1 to 1
    found = -1 + 2 * shares(shown["pixels"])
    rng = np.random.default_rng(7)
    cells = rng.choice(CELLS * CELLS, 10, replace=False)
    assert np.abs(found[cells] - expected[cells]).max() < 0.03, (found[cells], expected[cells])
    assert np.ptp(expected[cells]) > 0.1  # the cells differ: a flat or flipped map would fail

    x2 = large(page, "node-0-1")  # the input neuron x₂: its feature, lowest at the bottom row
    assert x2["name"].startswith("x₂")
    values = shares(x2["pixels"]).reshape(CELLS, CELLS)
    assert np.allclose(values[:, 0], np.linspace(1, 0, CELLS), atol=0.02)

    page.locator("#plot-points").focus()  # nothing pointed at or selected: the boundary again
    assert page.evaluate(LARGE_JS)["hidden"]


def test_while_training_the_drawing_worker_draws_the_plot_and_pause_draws_the_finer_one(page):
    """The second worker connects once the plot is on; while training its pictures (boundary and
    maps) reach the page; after Pause the page's worker's 100 × 100 plot stays (no stale picture
    comes after it)."""
    choose_spiral(page)
    page.wait_for_function("() => pageDrawing.connected", timeout=120_000)
    page.get_by_label("Speed", exact=True).select_option(label="Fast")
    settle(page)
    before = page.evaluate("() => document.querySelector('#node-1-0 .node-map').getAttribute('href')")
    page.get_by_role("button", name="Train").click()
    page.wait_for_function("() => pageDrawing.pictures >= 3", timeout=120_000)
    assert page.evaluate("() => pagePlot.state.heat.n") == TRAINING_CELLS
    page.get_by_role("button", name="Pause").click()
    settle(page)
    page.wait_for_timeout(800)  # a picture still on its way would have come
    assert page.evaluate("() => pagePlot.state.heat.n") == 100
    after = page.evaluate("() => document.querySelector('#node-1-0 .node-map').getAttribute('href')")
    assert after != before  # the circles' maps were painted anew
