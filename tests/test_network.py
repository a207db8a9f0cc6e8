"""pyodide_app.network against the independent numpy oracle in tests/oracle.py."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import oracle
from pyodide_app import network as core
from pyodide_app.state import load_seed
from pyodide_app.trace import trace


def to_core(net: oracle.Net) -> core.Network:
    weights, biases = net.to_lists()
    return core.Network(weights, biases)


def to_oracle(net: core.Network) -> oracle.Net:
    return oracle.Net.from_lists(net.weights, net.biases)


def core_loss(net: oracle.Net, inputs, targets) -> float:
    _, activations = core.forward(to_core(net), [float(x) for x in inputs])
    return core.loss(activations[-1], [float(t) for t in targets])


SEED = oracle.seed_data()
SEED_INPUTS, SEED_TARGETS, SEED_RATE = SEED["inputs"], SEED["targets"], SEED["learning_rate"]


# --- random networks ----------------------------------------------------------------------

finite = dict(allow_nan=False, allow_infinity=False)
values = st.floats(-5, 5, **finite)


@st.composite
def problems(draw, max_layers: int = 6, max_width: int = 8, input_bound: float = 5.0):
    """(oracle.Net, inputs, targets, learning rate) for a random architecture."""
    layers = draw(st.integers(1, max_layers))
    sizes = draw(st.lists(st.integers(1, max_width), min_size=layers + 1, max_size=layers + 1))
    weights = [draw(st.lists(st.lists(values, min_size=sizes[l], max_size=sizes[l]),
                             min_size=sizes[l + 1], max_size=sizes[l + 1])) for l in range(layers)]
    biases = [draw(st.lists(values, min_size=n, max_size=n)) for n in sizes[1:]]
    inputs = draw(st.lists(st.floats(-input_bound, input_bound, **finite), min_size=sizes[0], max_size=sizes[0]))
    targets = draw(st.lists(st.floats(0, 1, **finite), min_size=sizes[-1], max_size=sizes[-1]))
    rate = draw(st.floats(1e-3, 10, **finite))
    return oracle.Net.from_lists(weights, biases), inputs, targets, rate


def assert_layers_close(actual, expected, what, skip_first=True, **tol):
    assert len(actual) == len(expected), what
    for l, (a, e) in enumerate(zip(actual, expected)):
        if skip_first and l == 0:
            continue
        oracle.assert_close(a, e, f"{what}[{l}]", **tol)


# --- agreement with the oracle --------------------------------------------------------------

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_forward_backward_step_agree_with_oracle(problem):
    net, inputs, targets, rate = problem
    expected = oracle.full_pass(net, inputs, targets)
    c = to_core(net)

    sums, activations = core.forward(c, inputs)
    assert sums[0] == [] and activations[0] == inputs
    assert_layers_close(sums, expected.sums, "sums")
    assert_layers_close(activations, expected.activations, "activations")
    assert all(0.0 <= a <= 1.0 for layer in activations[1:] for a in layer)

    assert oracle.close(core.loss(activations[-1], targets), expected.loss), "loss"

    deltas = core.backward(c, activations, targets)
    assert deltas[0] == []
    assert_layers_close(deltas, expected.deltas, "deltas")

    core.step(c, activations, deltas, rate)
    stepped = oracle.step(net, inputs, targets, rate)
    assert_layers_close(c.weights, stepped.weights, "weights after step", skip_first=False)
    assert_layers_close(c.biases, stepped.biases, "biases after step", skip_first=False)


def test_oracle_sigmoid_agrees_with_the_core_sigmoid():
    """The oracle's sigmoid is a different formula; it must still match the core's closely."""
    zs = np.linspace(-40, 40, 2001)
    ours = oracle.sigmoid(zs)
    theirs = np.array([core.sigmoid(float(z)) for z in zs])
    oracle.assert_close(theirs, ours, "sigmoid", abs_tol=1e-15, rel_tol=1e-13)
    assert oracle.close(oracle.sigmoid(0.84), 0.6985, abs_tol=5e-5)


def test_seed_forward_matches_oracle_and_sanity_values():
    net = oracle.seed_net()
    expected = oracle.full_pass(net, SEED_INPUTS, SEED_TARGETS)
    sums, activations = core.forward(to_core(net), SEED_INPUTS)
    assert_layers_close(sums, expected.sums, "sums")
    assert_layers_close(activations, expected.activations, "activations")
    assert round(sums[1][0], 12) == 0.84  # 0.5·0.4 + 0.3·0.2 + 0.8·0.6 + 0.1
    assert round(activations[1][0], 4) == 0.6985
    assert round(expected.loss, 4) == 0.0575
    assert oracle.close(core.loss(activations[-1], SEED_TARGETS), expected.loss)


# --- gradients against finite differences ---------------------------------------------------

def core_gradients(net: oracle.Net, inputs, targets):
    c = to_core(net)
    _, activations = core.forward(c, inputs)
    deltas = core.backward(c, activations, targets)
    weight_grads = [[[d * a for a in activations[l - 1]] for d in deltas[l]] for l in range(1, len(c.weights) + 1)]
    bias_grads = [deltas[l] for l in range(1, len(c.weights) + 1)]
    return weight_grads, bias_grads


def check_gradients(net, inputs, targets, tolerance=1e-7):
    loss_of = lambda n: core_loss(n, inputs, targets)  # noqa: E731
    numeric_w, numeric_b = oracle.numeric_gradients(net, loss_of, h=1e-6)
    analytic_w, analytic_b = core_gradients(net, inputs, targets)
    count = 0
    for l in range(len(net.weights)):
        oracle.assert_close(analytic_w[l], numeric_w[l], f"dL/dW[{l}]", abs_tol=tolerance, rel_tol=1e-6)
        oracle.assert_close(analytic_b[l], numeric_b[l], f"dL/db[{l}]", abs_tol=tolerance, rel_tol=1e-6)
        count += numeric_w[l].size + numeric_b[l].size
    return count, numeric_w, numeric_b


def test_seed_gradients_match_central_differences_for_every_parameter():
    count, numeric_w, numeric_b = check_gradients(oracle.seed_net(), SEED_INPUTS, SEED_TARGETS)
    assert count == 12 + 4 + 12 + 3 + 6 + 2 + 4 + 2  # every weight and bias of 3→4→3→2→2
    # the check is not vacuous: the gradients are not all (near) zero
    assert max(np.abs(g).max() for g in numeric_w + numeric_b) > 1e-3


@pytest.mark.parametrize("seed", range(5))
def test_random_net_gradients_match_central_differences(seed):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 6, size=rng.integers(2, 6)).tolist()
    net = oracle.Net([rng.uniform(-2, 2, (sizes[l + 1], sizes[l])) for l in range(len(sizes) - 1)],
                     [rng.uniform(-2, 2, n) for n in sizes[1:]])
    inputs = rng.uniform(-2, 2, sizes[0]).tolist()
    targets = rng.uniform(0, 1, sizes[-1]).tolist()
    count, _, _ = check_gradients(net, inputs, targets)
    assert count == sum(sizes[l] * sizes[l + 1] + sizes[l + 1] for l in range(len(sizes) - 1))


def test_finite_difference_check_detects_a_wrong_gradient():
    """Guard for the gradient check itself: a gradient off by 1e-5 is caught."""
    net = oracle.seed_net()
    numeric_w, _ = oracle.numeric_gradients(net, lambda n: core_loss(n, SEED_INPUTS, SEED_TARGETS))
    analytic_w, _ = core_gradients(net, SEED_INPUTS, SEED_TARGETS)
    wrong = np.array(analytic_w[0]) + 1e-5
    with pytest.raises(AssertionError):
        oracle.assert_close(wrong, numeric_w[0], abs_tol=1e-7, rel_tol=1e-6)


# --- training -------------------------------------------------------------------------------

def test_loss_decreases_over_training_on_the_seed():
    state = load_seed()
    net, inputs, targets, rate = state.network, state.inputs, state.targets, state.learning_rate
    losses = []
    for _ in range(1000):
        _, activations = core.forward(net, inputs)
        losses.append(core.loss(activations[-1], targets))
        core.step(net, activations, core.backward(net, activations, targets), rate)
    _, activations = core.forward(net, inputs)
    losses.append(core.loss(activations[-1], targets))

    # one example, small rate: gradient descent must go down at every step
    assert all(b <= a for a, b in zip(losses, losses[1:])), "loss went up during training"
    checkpoints = [losses[i] for i in (0, 10, 100, 250, 500, 1000)]
    assert all(b < a for a, b in zip(checkpoints, checkpoints[1:])), checkpoints
    assert losses[-1] < 0.5 * losses[0]
    # and the loss the core reports is the oracle's for the trained weights
    expected = oracle.train(oracle.seed_net(), inputs, targets, rate, 1000)
    assert oracle.close(losses[-1], oracle.loss_at(expected, inputs, targets))


@pytest.mark.parametrize("steps", [0, 1, 2, 7, 50])
def test_train_matches_oracle_training(steps):
    state = load_seed()
    core.train(state.network, state.inputs, state.targets, state.learning_rate, steps)
    expected = oracle.train(oracle.seed_net(), SEED_INPUTS, SEED_TARGETS, SEED_RATE, steps)
    assert_layers_close(state.network.weights, expected.weights, "weights", skip_first=False)
    assert_layers_close(state.network.biases, expected.biases, "biases", skip_first=False)
    if steps == 0:
        assert state.network == load_seed().network


@pytest.mark.parametrize("steps", [1, 3, 20])
def test_train_equals_repeated_steps_through_the_trace(steps):
    trained = load_seed()
    core.train(trained.network, trained.inputs, trained.targets, trained.learning_rate, steps)

    stepped = load_seed()
    for _ in range(steps):
        t = trace(stepped)
        layers = t["layers"][1:]
        stepped.network = core.Network(
            [[[u["new"] for u in n["weight_updates"]] for n in layer["neurons"]] for layer in layers],
            [[n["bias_update"]["new"] for n in layer["neurons"]] for layer in layers])

    # the trace writes each update as α·(δ·a), as step() and train() compute it: to the bit
    assert stepped.network == trained.network


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.integers(1, 4))
def test_fused_train_is_forward_backward_step_to_the_last_bit(problem, steps):
    """train() is a fused fast path: it must compute exactly what the readable functions do."""
    net, inputs, targets, rate = problem
    inputs, targets = [float(x) for x in inputs], [float(t) for t in targets]
    trained, stepped = to_core(net), to_core(net)
    core.train(trained, inputs, targets, rate, steps)
    for _ in range(steps):
        _, activations = core.forward(stepped, inputs)
        core.step(stepped, activations, core.backward(stepped, activations, targets), rate)
    assert trained == stepped


def test_train_leaves_inputs_and_targets_alone():
    state = load_seed()
    inputs, targets = state.inputs[:], state.targets[:]
    core.train(state.network, state.inputs, state.targets, state.learning_rate, 5)
    assert state.inputs == inputs and state.targets == targets
    assert state.network != load_seed().network


def sequential_step(net: oracle.Net, inputs, targets, rate) -> oracle.Net:
    """The wrong update: each layer's δ computed from the already-updated layer above."""
    net = net.copy()
    _, activations = oracle.forward(net, inputs)
    L = len(net.weights)
    delta = (activations[L] - np.array(targets)) * activations[L] * (1 - activations[L])
    for l in range(L, 0, -1):
        net.weights[l - 1] -= rate * np.outer(delta, activations[l - 1])
        net.biases[l - 1] -= rate * delta
        if l > 1:
            delta = (net.weights[l - 1].T @ delta) * activations[l - 1] * (1 - activations[l - 1])
    return net


def test_step_is_simultaneous():
    rate = 5.0  # large, so the wrong (sequential) update differs visibly
    net = oracle.seed_net()
    c = to_core(net)
    _, activations = core.forward(c, SEED_INPUTS)
    core.step(c, activations, core.backward(c, activations, SEED_TARGETS), rate)

    simultaneous = oracle.step(net, SEED_INPUTS, SEED_TARGETS, rate)
    sequential = sequential_step(net, SEED_INPUTS, SEED_TARGETS, rate)
    assert_layers_close(c.weights, simultaneous.weights, "weights", skip_first=False)
    assert_layers_close(c.biases, simultaneous.biases, "biases", skip_first=False)
    # the two candidate updates really do differ in the hidden layers, so the check above bites
    assert np.abs(simultaneous.weights[0] - sequential.weights[0]).max() > 1e-6
    # the output layer is updated identically either way
    oracle.assert_close(simultaneous.weights[-1], sequential.weights[-1])


def test_step_uses_only_the_given_pre_step_deltas():
    """step() must not recompute anything from weights it has already changed."""
    c = load_seed().network
    _, activations = core.forward(c, SEED_INPUTS)
    deltas = core.backward(c, activations, SEED_TARGETS)
    frozen = [d[:] for d in deltas]
    core.step(c, activations, deltas, 0.1)
    assert deltas == frozen
    expected = oracle.step(oracle.seed_net(), SEED_INPUTS, SEED_TARGETS, 0.1)
    assert_layers_close(c.weights, expected.weights, "weights", skip_first=False)


# --- extreme values -------------------------------------------------------------------------

@pytest.mark.parametrize("z, expected", [
    (0.0, 0.5), (-0.0, 0.5), (1000.0, 1.0), (-1000.0, 0.0), (1e308, 1.0), (-1e308, 0.0),
    (math.inf, 1.0), (-math.inf, 0.0), (710.0, 1.0), (-745.2, 0.0),
])
def test_sigmoid_extremes(z, expected):
    value = core.sigmoid(z)
    assert math.isfinite(value) and 0.0 <= value <= 1.0
    assert value == expected


def test_sigmoid_of_zero_is_exactly_one_half():
    assert core.sigmoid(0.0) == 0.5
    assert core.sigmoid(0) == 0.5


@given(st.floats(-1e308, 1e308, **finite))
def test_sigmoid_is_finite_bounded_and_symmetric(z):
    value = core.sigmoid(z)
    assert 0.0 <= value <= 1.0
    assert abs(value + core.sigmoid(-z) - 1.0) <= 4.5e-16  # a couple of ulps of 1
    assert oracle.close(value, float(oracle.sigmoid(z)), abs_tol=1e-300, rel_tol=1e-12)


@pytest.mark.parametrize("scale", [1e6, -1e6])
def test_forward_backward_step_with_huge_weights_stay_finite(scale):
    rng = np.random.default_rng(1)
    net = oracle.seed_net()
    big = oracle.Net([np.sign(rng.uniform(-1, 1, w.shape)) * scale for w in net.weights],
                     [np.full(b.shape, scale) for b in net.biases])
    c = to_core(big)
    sums, activations = core.forward(c, [1e6, -1e6, 0.5])
    assert all(math.isfinite(x) for layer in sums + activations for x in layer)
    assert all(0.0 <= a <= 1.0 for layer in activations[1:] for a in layer)
    deltas = core.backward(c, activations, SEED_TARGETS)
    assert all(math.isfinite(d) for layer in deltas for d in layer)
    core.step(c, activations, deltas, 100.0)
    assert all(math.isfinite(w) for layer in c.weights for row in layer for w in row)
    expected = oracle.full_pass(big, [1e6, -1e6, 0.5], SEED_TARGETS)
    assert_layers_close(activations, expected.activations, "activations")
    assert oracle.close(core.loss(activations[-1], SEED_TARGETS), expected.loss)


@settings(max_examples=60, deadline=None)
@given(problems(max_layers=3, max_width=4, input_bound=1e6))
def test_core_agrees_with_oracle_for_inputs_up_to_the_page_limit(problem):
    net, inputs, targets, rate = problem
    c = to_core(net)
    sums, activations = core.forward(c, inputs)
    expected = oracle.full_pass(net, inputs, targets)
    # sums of terms up to 5e6 carry an absolute rounding error of a few ulps of their size
    scale = max(1.0, max(abs(x) for x in inputs)) * 5 * len(inputs)
    assert_layers_close(sums[1:2], expected.sums[1:2], "first sums", skip_first=False,
                        abs_tol=scale * 1e-15, rel_tol=1e-12)
    # σ' ≤ ¼, so the activations (and everything after them) differ by less still
    assert_layers_close(activations, expected.activations, "activations", abs_tol=scale * 1e-15)
    assert all(0.0 <= a <= 1.0 for layer in activations[1:] for a in layer)
    assert oracle.close(core.loss(activations[-1], targets), expected.loss, abs_tol=scale * 1e-15)
