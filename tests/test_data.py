"""Datasets: the same settings give the same points; counts, balance, bounds and noise as
specified; features; the grid's forward pass against the numpy oracle; learnability."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import batch_oracle
import oracle
from strategies import problems
from pyodide_app.data import dataset, generators, grid, inputs
from pyodide_app.network import Network

KEYS = list(generators.GENERATORS)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(KEYS), st.integers(10, 1000), st.floats(0, 0.5), st.floats(0.1, 0.9), st.integers(0, 2**31))
def test_a_dataset_is_its_settings(key, count, noise, share, seed):
    data = dataset.generated(key, count, noise, share, seed)
    assert data == dataset.generated(key, count, noise, share, seed)
    assert len(data.points) == len(data.labels) == len(data.test) == count
    assert all(-6 <= x <= 6 for point in data.points for x in point)
    assert sum(data.test) == min(count - 1, round(count * share))
    if generators.GENERATORS[key].regression:
        assert data.classes == 0 and all(-1 <= y <= 1 for y in data.labels)
    else:
        assert data.classes == 2 and set(data.labels) <= {0, 1}
        assert abs(sum(data.labels) - count / 2) <= 1  # balanced


def test_noise_moves_points_off_their_shape():
    """Without noise every circle point lies in its band; with 50 % some leave it."""
    def off_band(noise):
        data = dataset.generated("circle", 400, noise, 0.5, 3)
        return sum((math.hypot(*p) < 2.5) != (label == 1) for p, label in zip(data.points, data.labels))
    assert off_band(0.0) == 0 and off_band(0.5) > 20


def test_the_plane_datasets_labels_follow_their_shapes():
    xor = dataset.generated("xor", 200, 0.0, 0.5, 1)
    assert all((x1 * x2 >= 0) == (label == 1) for (x1, x2), label in zip(xor.points, xor.labels))
    plane = dataset.generated("plane", 200, 0.0, 0.5, 1)
    assert all(abs((x1 + x2) / 12 - y) < 1e-12 for (x1, x2), y in zip(plane.points, plane.labels))


def test_targets_follow_the_output_layer():
    assert dataset.targets_of(1, 2, "sigmoid") == [1.0] and dataset.targets_of(0, 2, "sigmoid") == [0.0]
    assert dataset.targets_of(0, 2, "tanh") == [-1.0]
    assert dataset.targets_of(1, 3, "softmax") == [0.0, 1.0, 0.0]
    assert dataset.targets_of(0.25, 0, "linear") == [0.25]
    assert dataset.outputs_needed(3, "softmax") == 3 and dataset.outputs_needed(2, "tanh") == 1


def test_features_are_their_formulas():
    x1, x2 = 1.5, -2.0
    expected = {"x1": x1, "x2": x2, "x1_squared": x1 ** 2, "x2_squared": x2 ** 2, "x1_times_x2": x1 * x2,
                "sin_x1": np.sin(x1), "sin_x2": np.sin(x2)}
    assert inputs.features_of(list(expected), x1, x2) == list(expected.values())


@settings(max_examples=60, deadline=None)
@given(problems(max_hidden=3, max_width=6, weight_bound=2.0), st.integers(1, 12))
def test_the_grid_pass_is_the_oracles_forward_pass(problem, n):
    net, _, _, _ = problem
    weights, biases = net.to_lists()
    keys = list(inputs.FEATURES)[:len(weights[0][0])] if len(weights[0][0]) <= len(inputs.FEATURES) else None
    if keys is None:
        return
    layers = grid.grid(Network(weights, biases, net.activations[:], net.loss), keys, n)
    x1s, x2s = grid.centres(n)
    X = [inputs.features_of(keys, a, b) for a, b in zip(x1s, x2s)]
    _, expected = batch_oracle.forward(net, X)
    for l, columns in enumerate(layers):
        oracle.assert_close(np.array(columns).T, expected[l], f"layer {l}", abs_tol=1e-12, rel_tol=1e-12)


def test_cells_run_from_the_top_left_corner_row_by_row():
    x1s, x2s = grid.centres(4)
    assert (x1s[0], x2s[0]) == (-4.5, 4.5) and (x1s[3], x2s[3]) == (4.5, 4.5) and (x1s[-1], x2s[-1]) == (4.5, -4.5)
    assert grid.shades([-1.0, 0.0, 1.0, 2.0], -1.0, 1.0) == bytes([0, 128, 255, 255])
