"""trace(state): every number the page shows, against the numpy oracle."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings

import oracle
from pyodide_app.activations import ACTIVATIONS, RULES
from pyodide_app.presets import PRESETS
from pyodide_app.state import from_preset as load
from pyodide_app.state import load_seed
from pyodide_app.trace import trace
from strategies import problems, state_of

SEED = oracle.seed_data()
SIZES = [3, 4, 3, 2, 2]


@pytest.fixture(scope="module")
def seed_trace():
    return trace(load_seed())


@pytest.fixture(scope="module")
def expected():
    return oracle.full_pass(oracle.seed_net(), SEED["inputs"], SEED["targets"])


@pytest.fixture(scope="module")
def stepped():
    return oracle.step(oracle.seed_net(), SEED["inputs"], SEED["targets"], SEED["learning_rate"])


def neurons(t):
    """(l, j, neuron) for every non-input neuron."""
    for l, layer in enumerate(t["layers"][1:], start=1):
        for j, n in enumerate(layer["neurons"]):
            yield l, j, n


def close(actual, expected, what):
    assert oracle.close(actual, expected), f"{what}: {actual!r} != {float(expected)!r}"


# --- shape ----------------------------------------------------------------------------------

def test_shape_of_the_seed_trace(seed_trace):
    t = seed_trace
    assert t["sizes"] == SIZES
    assert t["learning_rate"] == SEED["learning_rate"]
    assert t["epoch"] == 0
    assert [len(layer["neurons"]) for layer in t["layers"]] == SIZES
    assert [n["activation"] for n in t["layers"][0]["neurons"]] == SEED["inputs"]
    keys = {"terms", "weighted_sum", "bias", "sum", "activation", "error_terms", "error", "derivative",
            "derivative_rule", "delta_rule", "jacobian_terms", "delta", "weight_updates", "bias_update"}
    for l, j, n in neurons(t):
        assert set(n) == keys, (l, j)
        assert len(n["terms"]) == SIZES[l - 1]
        assert len(n["weight_updates"]) == SIZES[l - 1]
        assert len(n["error_terms"]) == (SIZES[l + 1] if l < len(SIZES) - 1 else 0)
    assert len(t["loss"]["terms"]) == SIZES[-1]


def test_trace_is_plain_json(seed_trace):
    text = json.dumps(seed_trace, allow_nan=False)
    assert json.loads(text) == seed_trace


def test_trace_does_not_change_the_state():
    state = load_seed()
    before = state.copy()
    trace(state)
    assert state == before


# --- every number against the oracle --------------------------------------------------------

def test_forward_numbers_match_oracle(seed_trace, expected):
    count = 0
    for l, j, n in neurons(seed_trace):
        close(n["sum"], expected.sums[l][j], f"sum[{l}][{j}]")
        close(n["activation"], expected.activations[l][j], f"activation[{l}][{j}]")
        close(n["bias"], SEED["biases"][l - 1][j], f"bias[{l}][{j}]")
        a = expected.activations[l]
        close(n["derivative"], a[j] * (1 - a[j]), f"σ'[{l}][{j}]")
        for i, term in enumerate(n["terms"]):
            w = SEED["weights"][l - 1][j][i]
            a_prev = expected.activations[l - 1][i]
            close(term["weight"], w, f"w[{l}][{j}][{i}]")
            close(term["activation"], a_prev, f"a[{l - 1}][{i}]")
            close(term["product"], a_prev * w, f"product[{l}][{j}][{i}]")
        count += 1
    assert count == sum(SIZES[1:])


def test_backward_numbers_match_oracle(seed_trace, expected):
    for l, j, n in neurons(seed_trace):
        close(n["error"], expected.errors[l][j], f"error[{l}][{j}]")
        close(n["delta"], expected.deltas[l][j], f"δ[{l}][{j}]")
        for i, u in enumerate(n["weight_updates"]):
            close(u["gradient"], expected.weight_gradients[l - 1][j, i], f"dL/dw[{l}][{j}][{i}]")
        close(n["bias_update"]["gradient"], expected.bias_gradients[l - 1][j], f"dL/db[{l}][{j}]")


def test_updates_match_oracle_step(seed_trace, stepped):
    for l, j, n in neurons(seed_trace):
        for i, u in enumerate(n["weight_updates"]):
            close(u["old"], SEED["weights"][l - 1][j][i], f"old w[{l}][{j}][{i}]")
            close(u["new"], stepped.weights[l - 1][j, i], f"new w[{l}][{j}][{i}]")
        close(n["bias_update"]["old"], SEED["biases"][l - 1][j], f"old b[{l}][{j}]")
        close(n["bias_update"]["new"], stepped.biases[l - 1][j], f"new b[{l}][{j}]")


def test_loss_matches_oracle(seed_trace, expected):
    loss = seed_trace["loss"]
    close(loss["total"], expected.loss, "loss")
    close(loss["sum_squared"], 2 * expected.loss, "Σ squared")
    for k, term in enumerate(loss["terms"]):
        predicted = expected.activations[-1][k]
        close(term["predicted"], predicted, f"predicted[{k}]")
        assert term["target"] == SEED["targets"][k]
        close(term["difference"], predicted - SEED["targets"][k], f"difference[{k}]")
        close(term["squared"], (predicted - SEED["targets"][k]) ** 2, f"squared[{k}]")


def test_sanity_values(seed_trace, expected):
    first = seed_trace["layers"][1]["neurons"][0]
    assert round(first["sum"], 10) == 0.84
    assert round(first["activation"], 4) == 0.6985  # σ(0.84)
    # the oracle's own loss is ≈ 0.0575, and that is what the trace holds
    assert round(expected.loss, 4) == 0.0575
    assert round(seed_trace["loss"]["total"], 4) == 0.0575
    close(seed_trace["loss"]["total"], expected.loss, "loss")


# --- internal consistency -------------------------------------------------------------------

def test_terms_and_sums_are_consistent(seed_trace):
    for l, j, n in neurons(seed_trace):
        assert n["terms"], (l, j)
        for term in n["terms"]:
            assert set(term) == {"activation", "weight", "product"}
            assert term["product"] == term["activation"] * term["weight"]
        assert math.isclose(n["weighted_sum"], sum(t["product"] for t in n["terms"]),
                            rel_tol=1e-12, abs_tol=1e-15)
        assert math.isclose(n["weighted_sum"] + n["bias"], n["sum"], rel_tol=1e-12, abs_tol=1e-15)
        a = n["activation"]
        assert 0 < a < 1
        assert n["derivative"] == a * (1 - a)
        assert n["delta"] == n["error"] * n["derivative"]
        assert (n["derivative_rule"], n["delta_rule"], n["jacobian_terms"]) == ("sigmoid", "chain", [])


def test_inputs_feed_the_first_layer(seed_trace):
    inputs = [n["activation"] for n in seed_trace["layers"][0]["neurons"]]
    for _, _, n in neurons({"layers": seed_trace["layers"][:2]}):
        assert [t["activation"] for t in n["terms"]] == inputs


def test_each_layer_feeds_the_next(seed_trace):
    layers = seed_trace["layers"]
    for l in range(2, len(layers)):
        previous = [n["activation"] for n in layers[l - 1]["neurons"]]
        for n in layers[l]["neurons"]:
            assert [t["activation"] for t in n["terms"]] == previous
            assert [u["old"] for u in n["weight_updates"]] == [t["weight"] for t in n["terms"]]


def test_error_terms_are_the_next_layers_deltas_and_weights(seed_trace):
    layers = seed_trace["layers"]
    last = len(layers) - 1
    for l in range(1, last):
        following = layers[l + 1]["neurons"]
        for j, n in enumerate(layers[l]["neurons"]):
            assert [(e["delta"], e["weight"]) for e in n["error_terms"]] == \
                [(k["delta"], k["terms"][j]["weight"]) for k in following]
            for e in n["error_terms"]:
                assert e["product"] == e["delta"] * e["weight"]
            assert math.isclose(n["error"], sum(e["product"] for e in n["error_terms"]),
                                rel_tol=1e-12, abs_tol=1e-15)
    for k, n in enumerate(layers[last]["neurons"]):
        assert n["error_terms"] == []
        assert n["error"] == n["activation"] - SEED["targets"][k]


def test_updates_are_old_minus_rate_times_gradient(seed_trace):
    rate = seed_trace["learning_rate"]
    for l, j, n in neurons(seed_trace):
        updates = [(u, n["delta"] * t["activation"]) for u, t in zip(n["weight_updates"], n["terms"])]
        updates.append((n["bias_update"], n["delta"]))
        for u, gradient in updates:
            assert set(u) == {"old", "gradient", "update", "new"}
            assert u["gradient"] == gradient
            assert u["update"] == rate * u["gradient"]
            assert u["new"] == u["old"] - u["update"]
        assert n["bias_update"]["old"] == n["bias"]


def test_loss_terms_are_consistent(seed_trace):
    loss = seed_trace["loss"]
    outputs = seed_trace["layers"][-1]["neurons"]
    for term, n in zip(loss["terms"], outputs):
        assert term["predicted"] == n["activation"]
        assert term["difference"] == term["predicted"] - term["target"]
        assert term["squared"] == term["difference"] ** 2
    assert math.isclose(loss["sum_squared"], sum(t["squared"] for t in loss["terms"]), rel_tol=1e-14)
    assert loss["total"] == loss["sum_squared"] / 2


# --- other states ---------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(4))
def test_trace_of_other_states_matches_oracle(seed):
    rng = np.random.default_rng(seed)
    state = load_seed()
    state.inputs = rng.uniform(-3, 3, 3).tolist()
    state.targets = rng.uniform(0, 1, 2).tolist()
    state.learning_rate = float(rng.uniform(0.01, 5))
    state.epoch = int(rng.integers(0, 1000))
    net = oracle.Net([rng.uniform(-4, 4, w.shape) for w in oracle.seed_net().weights],
                     [rng.uniform(-4, 4, b.shape) for b in oracle.seed_net().biases])
    state.network.weights, state.network.biases = net.to_lists()

    t = trace(state)
    expected = oracle.full_pass(net, state.inputs, state.targets)
    stepped = oracle.step(net, state.inputs, state.targets, state.learning_rate)
    assert t["epoch"] == state.epoch and t["learning_rate"] == state.learning_rate
    oracle.assert_trace_matches(t, net, state.inputs, state.targets, state.learning_rate)
    close(t["loss"]["total"], expected.loss, "loss")
    for l, j, n in neurons(t):
        close(n["sum"], expected.sums[l][j], "sum")
        close(n["activation"], expected.activations[l][j], "activation")
        close(n["delta"], expected.deltas[l][j], "δ")
        close(n["bias_update"]["new"], stepped.biases[l - 1][j], "new bias")
        for i, u in enumerate(n["weight_updates"]):
            close(u["gradient"], expected.weight_gradients[l - 1][j, i], "gradient")
            close(u["new"], stepped.weights[l - 1][j, i], "new weight")


# --- any design -----------------------------------------------------------------------------

@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(problems())
def test_trace_of_any_design_matches_oracle(problem):
    net, inputs, targets, rate = problem
    expected = oracle.full_pass(net, inputs, targets)
    assume(all(np.all(np.isfinite(x)) for x in expected.deltas + expected.errors))
    t = trace(state_of(net, inputs, targets, rate))
    oracle.assert_trace_matches(t, net, inputs, targets, rate, abs_tol=1e-10)
    assert json.loads(json.dumps(t, allow_nan=False)) == t
    for l, j, n in neurons(t):
        f = ACTIVATIONS[t["layers"][l]["activation"]]
        rule = RULES[n["derivative_rule"]]
        assert rule in f.rules
        if f.key in ("relu", "leaky_relu"):  # the case that applies at this sum
            assert rule.key.endswith("-positive" if n["sum"] > 0 else "-not-positive")
        if n["delta_rule"] == "chain":
            assert n["delta"] == n["error"] * n["derivative"]
        elif n["delta_rule"] == "combined":
            assert n["delta"] == n["activation"] - targets[j]
        else:
            assert (f.key, net.loss) == ("softmax", "mse") and len(n["jacobian_terms"]) == len(targets)


@pytest.mark.parametrize("key", list(PRESETS))
def test_trace_of_every_preset_matches_oracle(key):
    state = load(key)
    net = oracle.Net.from_lists(state.network.weights, state.network.biases, state.network.activations,
                                state.network.loss)
    t = trace(state)
    oracle.assert_trace_matches(t, net, state.inputs, state.targets, state.learning_rate)
    assert json.loads(json.dumps(t, allow_nan=False)) == t


def test_delta_rules_follow_the_pairing():
    rules = {key: [n["delta_rule"] for n in trace(load(key))["layers"][-1]["neurons"]] for key in PRESETS}
    assert rules["softmax"] == ["combined"] * 3  # softmax with cross-entropy: δ = o − t
    assert rules["mazur"] == ["chain"] * 2
    state = load("softmax")
    state.network.loss = "mse"
    outputs = trace(state)["layers"][-1]["neurons"]
    assert [n["delta_rule"] for n in outputs] == ["jacobian"] * 3
    assert all(n["error"] is not None for n in outputs)


def test_dead_relu_preset_has_a_dead_neuron_whose_gradients_are_exactly_zero():
    t = trace(load("dead-relu"))
    dead = t["layers"][1]["neurons"][1]
    assert dead["sum"] < 0 and dead["activation"] == 0.0
    assert (dead["derivative"], dead["derivative_rule"]) == (0.0, "relu-not-positive")
    assert dead["delta"] == 0.0 and all(u["gradient"] == 0.0 for u in dead["weight_updates"])
    alive = [n for n in t["layers"][1]["neurons"] if n is not dead]
    assert all(n["derivative_rule"] == "relu-positive" and n["delta"] != 0.0 for n in alive)


def test_vanishing_gradient_preset_shrinks_the_updates_towards_the_input():
    t = trace(load("vanishing-gradient"))
    largest = [max(abs(u["gradient"]) for n in layer["neurons"] for u in n["weight_updates"])
               for layer in t["layers"][1:]]
    assert largest[0] < 1e-6 * largest[-1]
    assert all(n["derivative"] < 1e-3 for layer in t["layers"][1:-1] for n in layer["neurons"])


def test_cross_entropy_terms_match_oracle():
    for key, output in (("softmax", "softmax"), ("mazur", "sigmoid")):
        state = load(key)
        state.network.loss = "cross_entropy"
        t = trace(state)
        z = np.array([n["sum"] for n in t["layers"][-1]["neurons"]])
        targets = np.array(state.targets)
        if output == "softmax":
            logs = z - np.logaddexp.reduce(z)
            expected_terms = -targets * logs
        else:
            logs = -np.logaddexp(0, -z)
            oracle.assert_close([term["log_complement"] for term in t["loss"]["terms"]], -np.logaddexp(0, z))
            expected_terms = -(targets * logs + (1 - targets) * -np.logaddexp(0, z))
        oracle.assert_close([term["log_predicted"] for term in t["loss"]["terms"]], logs)
        oracle.assert_close([term["term"] for term in t["loss"]["terms"]], expected_terms)
        assert t["loss"]["total"] == math.fsum(term["term"] for term in t["loss"]["terms"])
        assert t["loss"]["function"] == "cross_entropy" and "sum_squared" not in t["loss"]


FORWARD_KEYS = {"terms", "weighted_sum", "bias", "sum", "activation", "derivative_rule", "delta_rule"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_a_trace_without_gradients_is_the_forward_half_of_the_whole(problem):
    """What an edit's answer computes first is the same numbers as the whole trace, no more."""
    state = state_of(*problem)
    whole, first = trace(state), trace(state, gradients=False)
    assert (whole["gradients"], first["gradients"]) == (True, False)
    assert {k: v for k, v in first.items() if k not in ("layers", "gradients")} == \
        {k: v for k, v in whole.items() if k not in ("layers", "gradients")}  # the loss too
    for forward_layer, whole_layer in zip(first["layers"], whole["layers"]):
        assert {k: v for k, v in forward_layer.items() if k != "neurons"} == \
            {k: v for k, v in whole_layer.items() if k != "neurons"}
        for n, full in zip(forward_layer["neurons"], whole_layer["neurons"]):
            assert set(n) == (FORWARD_KEYS if "terms" in full else {"activation"})
            assert n == {k: full[k] for k in n}
