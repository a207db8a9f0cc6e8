"""Data's core flow in Firefox and WebKit (Chromium has it, and more, in test_data_live.py):
choosing Spiral draws its 500 points and the network's output behind them, whose colour at 20
points is the class the saved network gives there through the numpy oracle; training lowers the
test loss the oracle computes from the saved weights; typing a point's number makes it the shown
sample, whose inputs the forward pass then shows. Only tests/engines.py knows how each browser
is driven."""

from __future__ import annotations

import time

import numpy as np
import pytest

import batch_oracle
import engines
from pyodide_app.data import dataset
from pyodide_app.notation.numbers import number
from test_data_live import HEAT_AT_JS, BLUE_HEAT, STORED_JS
from test_engines import engine_params, new_page, started_engines  # noqa: F401 (a fixture)

SHOWN = 60  # s for an engine to show what a choice computed, on a busy machine
SAVED = f"JSON.parse(({STORED_JS})() || 'null')"


def state_of(page: engines.Page) -> dict:
    return page.evaluate(SAVED)


def eventually(page: engines.Page, check, timeout: float = SHOWN):
    """check()'s value once it raises no AssertionError (the engine may show a change frames later)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return check()
        except (AssertionError, KeyError, TypeError, engines.BidiError):
            if time.monotonic() > deadline:
                raise
            time.sleep(engines.POLL)


def network_of(state: dict) -> batch_oracle.Net:
    return batch_oracle.Net.from_lists(state["weights"], state["biases"], state["activations"], state["loss"])


def loss_on_test_points(state: dict, made) -> float:
    samples = dataset.samples(made, state["data"]["inputs"], state["activations"][-1])
    test = np.array(made.test, dtype=bool)
    return batch_oracle.batch_loss(network_of(state), np.asarray(samples.inputs)[test], np.asarray(samples.targets)[test])


@pytest.mark.parametrize("engine_path", engine_params(["http"])[1:])  # Firefox and WebKit
def test_spiral_in_every_engine(request, engine_path):
    engine, _ = engine_path
    page = new_page(request, engine)
    try:
        page.open(request.getfixturevalue("base_url"))
        assert page.wait_state() == "live"
        page.choose("Dataset", "Spiral")

        def spiral_drawn():
            state = state_of(page)
            assert state["data"]["dataset"] == "spiral"
            assert page.evaluate("pagePlot.state && pagePlot.state.points.x.length") == 500
            return state
        state = eventually(page, spiral_drawn)
        made = dataset.generated("spiral", 500, 0.0, 0.5, state["data"]["seed"])
        samples = dataset.samples(made, state["data"]["inputs"], state["activations"][-1])
        outputs = batch_oracle.forward(network_of(state), samples.inputs)[1][-1][:, -1]
        low, high = dataset.class_levels(state["activations"][-1])
        middle = (low + high) / 2
        clear = [k for k in np.argsort(-abs(outputs - middle)) if abs(outputs[k] - middle) > 0.002 * (high - low)][:20]
        assert len(clear) == 20
        for k in clear:
            x1, x2 = made.points[k]
            colour = page.evaluate(f"({HEAT_AT_JS})([{x1}, {x2}])")
            assert (abs(colour[0] - BLUE_HEAT[0]) < abs(colour[0] - 250)) == (outputs[k] > middle), (engine, k, colour)

        page.choose("Activation, Hidden Layer 1", "Tanh")

        def tanh_chosen():
            state = state_of(page)
            assert state["activations"][0] == "tanh"
            return state
        state = eventually(page, tanh_chosen)
        before = loss_on_test_points(state, made)
        page.click("Train")

        def trained():
            assert int(page.evaluate("document.querySelector('[data-v=\"epoch\"]').textContent")) >= 3
        eventually(page, trained)
        page.click("Pause")

        def lowered():  # once the paused network is saved
            after = loss_on_test_points(state_of(page), made)
            assert after < before, (engine, before, after)
        eventually(page, lowered)

        k = next(k for k in range(120, 500) if not made.test[k])
        page.fill("Shown sample", str(k + 1))

        def shown():
            assert state_of(page)["data"]["shown"] == k
            for i, x in enumerate(made.points[k]):
                assert page.evaluate(f"document.querySelector('[data-v=\"a-0-{i}\"]').textContent") == number(x)
        eventually(page, shown)
        assert page.errors() == []
    finally:
        page.close()
