"""Each neuron's map (data/maps.py): its activation at the centres of a 20 × 20 grid of the
plane, read from the boundary's own pass over a finer grid. Checked against the numpy oracle's
forward pass run on the 20 × 20 centres themselves, so a map taken from the wrong cells (offset,
flipped, transposed) or shaded over the wrong range fails."""

from __future__ import annotations

import base64

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import batch_oracle
from oracle import OUTPUT_RANGE
from strategies import problems
from pyodide_app.data import evaluation, grid, inputs, maps
from pyodide_app.data import settings as data_settings
from pyodide_app.network import Network


def decoded(found: dict) -> list[np.ndarray]:
    """Each map's bytes, back to the values they shade (to within one step of 255)."""
    raw = np.frombuffer(base64.b64decode(found["bytes"]), dtype=np.uint8).astype(float)
    cells = found["n"] ** 2
    return [low + raw[k * cells:(k + 1) * cells] / 255 * (high - low) for k, (low, high) in enumerate(found["ranges"])]


def oracle_layers(net, features: list[str]) -> list[np.ndarray]:
    """The oracle's activations at the 20 × 20 centres, row by row from the top: [layer] (cells, neurons)."""
    x1s, x2s = grid.centres(maps.MAP_CELLS)
    return batch_oracle.forward(net, [inputs.features_of(features, a, b) for a, b in zip(x1s, x2s)])[1]


@pytest.mark.parametrize("n", [60, 100])
def test_the_map_cells_are_the_centres_of_the_twenty_by_twenty_grid(n):
    fine, coarse = grid.centres(n), grid.centres(maps.MAP_CELLS)
    picked = maps.map_cells(n)
    assert np.allclose([fine[0][k] for k in picked], coarse[0]) and np.allclose([fine[1][k] for k in picked], coarse[1])


@pytest.mark.parametrize("n", [50, 40, 21])
def test_a_grid_without_a_cell_at_each_centre_is_refused(n):
    with pytest.raises(ValueError):
        maps.map_cells(n)


@settings(max_examples=40, deadline=None)
@given(problems(max_hidden=3, max_width=6, weight_bound=2.0), st.sampled_from([60, 100]), st.integers(0, 5))
def test_every_neurons_map_is_its_activation_at_the_cell_centres(problem, n, extra):
    net, _, _, _ = problem
    width = len(net.weights[0][0])
    if width > len(inputs.FEATURES):
        return
    features = list(inputs.FEATURES)[:width]
    weights, biases = net.to_lists()
    ours = Network(weights, biases, net.activations[:], net.loss)
    found = maps.neuron_maps(grid.grid(ours, features, n), n, ours.activations)
    expected = oracle_layers(net, features)
    assert found["sizes"] == [layer.shape[1] for layer in expected]
    shaded = iter(decoded(found))
    for l, layer in enumerate(expected):
        for j in range(layer.shape[1]):
            values, (low, high) = next(shaded), found["ranges"][sum(found["sizes"][:l]) + j]
            truth = np.clip(layer[:, j], low, high)
            assert np.abs(values - truth).max() <= (high - low) / 255 * 0.51 + 1e-9, f"neuron {l}-{j}"
            # the activation's range where it is bounded, else the values' own
            bound_low, bound_high = OUTPUT_RANGE[net.activations[l - 1]] if l else (-np.inf, np.inf)
            want = (bound_low if np.isfinite(bound_low) else layer[:, j].min(),
                    bound_high if np.isfinite(bound_high) else layer[:, j].max())
            if want[1] - want[0] <= 1e-12:  # one value everywhere (or too near it to shade): a span of 2 around it
                want = (want[0] - 1, want[0] + 1)
            assert np.allclose((low, high), want), f"neuron {l}-{j}"


def test_the_picture_draws_the_boundary_and_the_maps_from_one_pass(monkeypatch):
    """picture(): the heatmap as heatmap() makes it, and the maps, with one forward pass."""
    from pyodide_app import redesign
    from pyodide_app.state import load_seed
    state = redesign.with_data(load_seed(), data_settings.new("spiral"))
    passes = []
    real = evaluation.layers_over
    monkeypatch.setattr(evaluation, "layers_over", lambda *a: passes.append(1) or real(*a))
    found = evaluation.picture(state.network, state.data, 60)
    assert len(passes) == 1
    assert found["heat"]["bytes"] == evaluation.heatmap(state.network, state.data, 60)
    assert found["maps"]["sizes"] == state.network.sizes
    x1 = decoded(found["maps"])[0].reshape(20, 20)  # the first input neuron is x₁: across, left to right
    assert np.allclose(x1[0], grid.centres(20)[0][:20], atol=12 / 255)


def test_the_drawing_worker_draws_what_the_page_worker_would_from_the_weights_it_is_sent():
    """While training with a drawing worker, the run asks for pictures (at most one per
    DRAW_INTERVAL, the data only when it changed) and draws none itself; the drawer's pictures
    of the networks sent are evaluation.picture's, a second network's (Compare) included."""
    import json

    from pyodide_app.drawing import Drawer
    from pyodide_app.features.data import TRAINING_CELLS, Data
    from pyodide_app.session import Session
    session = Session()
    session.handle("dataset", "spiral")
    session.drawing_elsewhere = True
    assert session.drawing() is None  # not training: the page's worker draws
    session.handle("train")
    data = next(f for f in session.features if isinstance(f, Data))
    first = session.drawing()
    assert first["cells"] == TRAINING_CELLS and "data" in first and len(first["networks"]) == 1
    assert session.drawing() is None  # asked again at once: not yet
    data.draw_asked = 0.0
    again = session.drawing()
    assert "data" not in again  # the drawer has it
    for _ in range(30):
        tick = session.tick()
        assert "heat" not in tick.get("plot", {}) and "maps" not in tick.get("plot", {})
    state = session.state
    second = state.copy().network
    second.weights[0][0][0] += 1.0
    drawer = Drawer()
    request = {**first, "networks": first["networks"] + [{"weights": second.weights, "biases": second.biases,
                                                          "activations": second.activations, "loss": second.loss}]}
    drawn = json.loads(drawer.draw(json.dumps(request)))
    net = state.network.__class__(first["networks"][0]["weights"], first["networks"][0]["biases"],
                                  first["networks"][0]["activations"], first["networks"][0]["loss"])
    assert drawn["plot"] == {"on": True} | evaluation.picture(net, state.data, TRAINING_CELLS)
    assert drawn["otherPlots"] == [{"on": True} | evaluation.picture(second, state.data, TRAINING_CELLS)]
    assert drawn["otherPlots"][0]["heat"] != drawn["plot"]["heat"]
