"""pyodide_app.network against the independent numpy oracle in tests/oracle.py."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import oracle
from pyodide_app import network as core
from pyodide_app.activations import sigmoid
from pyodide_app.presets import PRESETS
from pyodide_app.state import from_preset as load
from pyodide_app.state import load_seed
from pyodide_app.trace import trace
from strategies import finite, losses_for, problems


def to_core(net: oracle.Net) -> core.Network:
    weights, biases = net.to_lists()
    return core.Network(weights, biases, net.activations[:], net.loss)


def core_loss(net: oracle.Net, inputs, targets) -> float:
    return core.total_loss(to_core(net), [float(x) for x in inputs], [float(t) for t in targets])


def core_pass(c: core.Network, inputs, targets):
    sums, activations = core.forward(c, inputs)
    return sums, activations, core.backward(c, sums, activations, targets)


SEED = oracle.seed_data()
SEED_INPUTS, SEED_TARGETS, SEED_RATE = SEED["inputs"], SEED["targets"], SEED["learning_rate"]


def assert_layers_close(actual, expected, what, skip_first=True, **tol):
    assert len(actual) == len(expected), what
    for l, (a, e) in enumerate(zip(actual, expected)):
        if skip_first and l == 0:
            continue
        oracle.assert_close(a, e, f"{what}[{l}]", **tol)


def within_output_ranges(net: oracle.Net, activations) -> bool:
    return all(oracle.OUTPUT_RANGE[kind][0] <= a <= oracle.OUTPUT_RANGE[kind][1]
               for kind, layer in zip(net.activations, activations[1:]) for a in layer)


def comparable(expected: oracle.Pass) -> bool:
    """The oracle's chain rule stayed finite: for cross-entropy it divides by the outputs,
    which may underflow to 0 (the core's δ = o − t divides by nothing)."""
    return all(np.all(np.isfinite(x)) for x in expected.deltas + expected.errors) and math.isfinite(expected.loss)


# --- agreement with the oracle --------------------------------------------------------------

@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(problems())
def test_forward_backward_step_agree_with_oracle(problem):
    """Any architecture the page allows, any activations, any loss that suits the outputs."""
    net, inputs, targets, rate = problem
    expected = oracle.full_pass(net, inputs, targets)
    assume(comparable(expected))
    c = to_core(net)

    sums, activations, deltas = core_pass(c, inputs, targets)
    assert sums[0] == [] and activations[0] == inputs
    assert_layers_close(sums, expected.sums, "sums")
    assert_layers_close(activations, expected.activations, "activations")
    assert within_output_ranges(net, activations)
    assert oracle.close(core.loss(c, sums, activations, targets), expected.loss), "loss"
    assert deltas[0] == []
    assert_layers_close(deltas, expected.deltas, "deltas", abs_tol=1e-11)

    core.step(c, activations, deltas, rate)
    stepped = oracle.step(net, inputs, targets, rate)
    assert_layers_close(c.weights, stepped.weights, "weights after step", skip_first=False, abs_tol=1e-10)
    assert_layers_close(c.biases, stepped.biases, "biases after step", skip_first=False, abs_tol=1e-10)


def test_oracle_sigmoid_agrees_with_the_core_sigmoid():
    """The oracle's sigmoid is a different formula; it must still match the core's closely."""
    zs = np.linspace(-40, 40, 2001)
    ours = oracle.sigmoid(zs)
    theirs = np.array([sigmoid(float(z)) for z in zs])
    oracle.assert_close(theirs, ours, "sigmoid", abs_tol=1e-15, rel_tol=1e-13)
    assert oracle.close(oracle.sigmoid(0.84), 0.6985, abs_tol=5e-5)


def test_seed_forward_matches_oracle_and_sanity_values():
    net = oracle.seed_net()
    expected = oracle.full_pass(net, SEED_INPUTS, SEED_TARGETS)
    c = to_core(net)
    sums, activations = core.forward(c, SEED_INPUTS)
    assert_layers_close(sums, expected.sums, "sums")
    assert_layers_close(activations, expected.activations, "activations")
    assert round(sums[1][0], 12) == 0.84  # 0.5·0.4 + 0.3·0.2 + 0.8·0.6 + 0.1
    assert round(activations[1][0], 4) == 0.6985
    assert round(expected.loss, 4) == 0.0575
    assert oracle.close(core.loss(c, sums, activations, SEED_TARGETS), expected.loss)


def test_mazur_preset_gives_his_published_values():
    """Matt Mazur, "A Step by Step Backpropagation Example": E_total = 0.298371109, and after
    one step w5 = 0.35891648 (H1-1 → Out-1) and w1 = 0.149780716 (In-1 → H1-1)."""
    state = load("mazur")
    assert state.network.sizes == [2, 2, 2] and state.learning_rate == 0.5
    assert round(core.total_loss(state.network, state.inputs, state.targets), 9) == 0.298371109
    core.train(state.network, state.inputs, state.targets, state.learning_rate, 1)
    assert round(state.network.weights[1][0][0], 8) == 0.35891648
    assert round(state.network.weights[0][0][0], 9) == 0.149780716
    # his other published updates of the same step
    assert [round(w, 8) for w in state.network.weights[1][0] + state.network.weights[1][1]] == \
        [0.35891648, 0.40866619, 0.51130127, 0.56137012]
    assert [round(w, 8) for w in state.network.weights[0][0] + state.network.weights[0][1]] == \
        [0.14978072, 0.19956143, 0.24975114, 0.29950229]


# --- gradients against finite differences ---------------------------------------------------

def core_gradients(net: oracle.Net, inputs, targets):
    c = to_core(net)
    _, activations, deltas = core_pass(c, inputs, targets)
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


def away_from_kinks(net: oracle.Net, inputs, margin: float = 1e-3) -> bool:
    """No ReLU-like sum within `margin` of 0, where a central difference straddles the kink."""
    sums, _ = oracle.forward(net, inputs)
    return all(np.all(np.abs(z) > margin) for z, kind in zip(sums[1:], net.activations)
               if kind in ("relu", "leaky_relu"))


def test_seed_gradients_match_central_differences_for_every_parameter():
    count, numeric_w, numeric_b = check_gradients(oracle.seed_net(), SEED_INPUTS, SEED_TARGETS)
    assert count == 12 + 4 + 12 + 3 + 6 + 2 + 4 + 2  # every weight and bias of 3→4→3→2→2
    # the check is not vacuous: the gradients are not all (near) zero
    assert max(np.abs(g).max() for g in numeric_w + numeric_b) > 1e-3


PAIRS = [(hidden, output, loss) for hidden, output in itertools.product(oracle.ELEMENTWISE, oracle.ACTIVATIONS)
         for loss in losses_for(output)]


def random_problem(rng, sizes, activations, loss):
    while True:
        net = oracle.Net([rng.uniform(-1.5, 1.5, (sizes[l + 1], sizes[l])) for l in range(len(sizes) - 1)],
                         [rng.uniform(-1, 1, n) for n in sizes[1:]], activations, loss)
        inputs = rng.uniform(-2, 2, sizes[0]).tolist()
        if away_from_kinks(net, inputs):
            break
    if activations[-1] == "softmax" and loss == "cross_entropy":
        targets = rng.dirichlet(np.ones(sizes[-1])).tolist()
    else:
        low, high = oracle.OUTPUT_RANGE[activations[-1]]
        targets = rng.uniform(max(low, -2), min(high, 2), sizes[-1]).tolist()
    return net, inputs, targets


@pytest.mark.parametrize("hidden, output, loss", PAIRS)
def test_every_activation_and_loss_pair_matches_central_differences(hidden, output, loss):
    """Every allowed pairing: 5 hidden activations × (6 outputs with MSE + 2 with cross-entropy)."""
    rng = np.random.default_rng(len(PAIRS) * 7 + PAIRS.index((hidden, output, loss)))
    sizes = [3, 4, 3, 3]
    net, inputs, targets = random_problem(rng, sizes, [hidden, hidden, output], loss)
    count, numeric_w, numeric_b = check_gradients(net, inputs, targets)
    assert count == sum(sizes[l] * sizes[l + 1] + sizes[l + 1] for l in range(len(sizes) - 1))
    assert max(np.abs(g).max() for g in numeric_w + numeric_b) > 1e-4


@pytest.mark.parametrize("seed", range(5))
def test_random_net_gradients_match_central_differences(seed):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 9, size=rng.integers(2, 7)).tolist()
    hidden = rng.choice(oracle.ELEMENTWISE, size=len(sizes) - 2).tolist()
    output = rng.choice([f for f in oracle.ACTIVATIONS if f != "softmax" or sizes[-1] > 1])
    loss = rng.choice(losses_for(output))
    net, inputs, targets = random_problem(rng, sizes, hidden + [str(output)], str(loss))
    count, _, _ = check_gradients(net, inputs, targets)
    assert count == sum(sizes[l] * sizes[l + 1] + sizes[l + 1] for l in range(len(sizes) - 1))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(problems(max_width=4, input_bound=2.0, weight_bound=1.5))
def test_random_designs_match_central_differences(problem):
    net, inputs, targets, _ = problem
    assume(away_from_kinks(net, inputs, margin=1e-2))
    check_gradients(net, inputs, targets, tolerance=1e-6)


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
        _, activations, deltas = core_pass(net, inputs, targets)
        losses.append(core.total_loss(net, inputs, targets))
        core.step(net, activations, deltas, rate)
    losses.append(core.total_loss(net, inputs, targets))

    # one example, small rate: gradient descent must go down at every step
    assert all(b <= a for a, b in zip(losses, losses[1:])), "loss went up during training"
    checkpoints = [losses[i] for i in (0, 10, 100, 250, 500, 1000)]
    assert all(b < a for a, b in zip(checkpoints, checkpoints[1:])), checkpoints
    assert losses[-1] < 0.5 * losses[0]
    # and the loss the core reports is the oracle's for the trained weights
    expected = oracle.train(oracle.seed_net(), inputs, targets, rate, 1000)
    assert oracle.close(losses[-1], oracle.loss_at(expected, inputs, targets))


@pytest.mark.parametrize("steps", [0, 1, 2, 7, 50])
@pytest.mark.parametrize("key", list(PRESETS))
def test_train_matches_oracle_training(key, steps):
    state = load(key)
    start = oracle.Net.from_lists(state.network.weights, state.network.biases, state.network.activations,
                                  state.network.loss)
    core.train(state.network, state.inputs, state.targets, state.learning_rate, steps)
    expected = oracle.train(start, state.inputs, state.targets, state.learning_rate, steps)
    assert_layers_close(state.network.weights, expected.weights, "weights", skip_first=False)
    assert_layers_close(state.network.biases, expected.biases, "biases", skip_first=False)
    if steps == 0:
        assert state.network == load(key).network


@pytest.mark.parametrize("steps", [1, 3, 20])
@pytest.mark.parametrize("key", list(PRESETS))
def test_train_equals_repeated_steps_through_the_trace(key, steps):
    trained = load(key)
    core.train(trained.network, trained.inputs, trained.targets, trained.learning_rate, steps)

    stepped = load(key)
    for _ in range(steps):
        t = trace(stepped)
        layers = t["layers"][1:]
        stepped.network = core.Network(
            [[[u["new"] for u in n["weight_updates"]] for n in layer["neurons"]] for layer in layers],
            [[n["bias_update"]["new"] for n in layer["neurons"]] for layer in layers],
            t["activations"], t["loss"]["function"])

    # the trace writes each update as α·(δ·a), as step() and train() compute it: to the bit
    assert stepped.network == trained.network


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(weight_bound=5.0, input_bound=5.0), st.integers(1, 4))
def test_fused_train_is_forward_backward_step_to_the_last_bit(problem, steps):
    """train() is a fused fast path: it must compute exactly what the readable functions do,
    for every activation and loss."""
    net, inputs, targets, rate = problem
    inputs, targets = [float(x) for x in inputs], [float(t) for t in targets]
    trained, stepped = to_core(net), to_core(net)
    core.train(trained, inputs, targets, rate, steps)
    for _ in range(steps):
        _, activations, deltas = core_pass(stepped, inputs, targets)
        core.step(stepped, activations, deltas, rate)
    assume(all(math.isfinite(w) for layer in trained.weights for row in layer for w in row))
    assert trained == stepped


def test_train_refuses_softmax_in_a_hidden_layer():
    """A state never holds one (it is refused when read); a Network made by hand must not train
    with the wrong slope either."""
    net = core.Network([[[0.5, 0.5], [0.2, 0.1]], [[0.3, 0.3]]], [[0.0, 0.0], [0.0]], ["softmax", "sigmoid"])
    with pytest.raises(ValueError):
        core.train(net, [1.0, 0.5], [0.5], 0.1, 1)


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
    _, activations, deltas = core_pass(c, SEED_INPUTS, SEED_TARGETS)
    core.step(c, activations, deltas, rate)

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
    _, activations, deltas = core_pass(c, SEED_INPUTS, SEED_TARGETS)
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
    value = sigmoid(z)
    assert math.isfinite(value) and 0.0 <= value <= 1.0
    assert value == expected


def test_sigmoid_of_zero_is_exactly_one_half():
    assert sigmoid(0.0) == 0.5
    assert sigmoid(0) == 0.5


@given(st.floats(-1e308, 1e308, **finite))
def test_sigmoid_is_finite_bounded_and_symmetric(z):
    value = sigmoid(z)
    assert 0.0 <= value <= 1.0
    assert abs(value + sigmoid(-z) - 1.0) <= 4.5e-16  # a couple of ulps of 1
    assert oracle.close(value, float(oracle.sigmoid(z)), abs_tol=1e-300, rel_tol=1e-12)


@pytest.mark.parametrize("hidden, output, loss", PAIRS)
@pytest.mark.parametrize("scale", [1e6, -1e6])
def test_forward_backward_step_with_huge_weights_stay_finite(hidden, output, loss, scale):
    rng = np.random.default_rng(1)
    net = oracle.seed_net()
    big = oracle.Net([np.sign(rng.uniform(-1, 1, w.shape)) * scale for w in net.weights],
                     [np.full(b.shape, scale) for b in net.biases], [hidden] * 3 + [output], loss)
    c = to_core(big)
    inputs = [1e6, -1e6, 0.5]
    targets = [0.5, 0.5] if (output, loss) == ("softmax", "cross_entropy") else SEED_TARGETS
    sums, activations, deltas = core_pass(c, inputs, targets)
    assert all(math.isfinite(x) for layer in sums + activations for x in layer)
    assert within_output_ranges(big, activations)
    assert all(math.isfinite(d) for layer in deltas for d in layer)
    assert math.isfinite(core.loss(c, sums, activations, targets))
    core.step(c, activations, deltas, 100.0)
    assert all(math.isfinite(w) for layer in c.weights for row in layer for w in row)
    expected = oracle.full_pass(big, inputs, targets)
    assert_layers_close(activations, expected.activations, "activations", rel_tol=1e-9)
    assert oracle.close(core.loss(c, sums, activations, targets), expected.loss, rel_tol=1e-9)


@settings(max_examples=60, deadline=None)
@given(problems(max_hidden=2, max_width=4, input_bound=1e6, weight_bound=5.0, hidden=("sigmoid",),
                outputs=("sigmoid",)))
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
    assert oracle.close(core.loss(c, sums, activations, targets), expected.loss, abs_tol=scale * 1e-15)
