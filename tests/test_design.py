"""Layer sizes typed by a person, presets, random networks from a seed, resizing and redesigning."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyodide_app import design
from pyodide_app.activations import ACTIVATIONS
from pyodide_app.architecture import parse_sizes
from pyodide_app.presets import PRESETS
from pyodide_app.state import from_preset as load
from pyodide_app.state import StateError, from_data, load_seed, parse, serialise, to_data
from pyodide_app.notation.names import field_label
from strategies import designs


def refused(call, field="sizes") -> str:
    with pytest.raises(StateError) as info:
        call()
    assert info.value.field == field, (info.value.field, str(info.value))
    message = str(info.value)
    assert message and "\n" not in message and len(message) < 160, message
    return message


# --- layer sizes as typed -------------------------------------------------------------------

@pytest.mark.parametrize("text, sizes", [
    ("3-4-3-2-2", [3, 4, 3, 2, 2]), ("3,4,3,2,2", [3, 4, 3, 2, 2]), ("3 4 3 2 2", [3, 4, 3, 2, 2]),
    (" 3 - 4 - 2 ", [3, 4, 2]), ("3, 4, 2", [3, 4, 2]), ("3\t4  2", [3, 4, 2]), ("2-2", [2, 2]), ("1-1", [1, 1]),
    ("8-8-8-8-8-8", [8] * 6), ("1,8", [1, 8]), ("03-4", [3, 4]),
])
def test_layer_sizes_are_read_with_dashes_commas_or_spaces(text, sizes):
    assert parse_sizes(text) == sizes


@pytest.mark.parametrize("text, says", [
    ("0-2", "1 to 8"), ("3-9-2", "1 to 8"), ("3-4-0", "1 to 8"), ("9-2", "Input Layer"),
    ("3-9-2", "Hidden Layer 1"), ("3-4-12", "Output Layer"),
    ("3--2", "empty layer"), ("3,,2", "empty layer"), ("-3-2", "empty layer"), ("3-2-", "empty layer"),
    ("abc", "must be numbers"), ("3.5-2", "must be numbers"), ("3-²", "must be numbers"), ("٣-2", "must be numbers"),
    ("1e1-2", "must be numbers"), ("3;4;2", "must be numbers"), ("3-4-2 x", "must be numbers"),
    ("-".join(["2"] * 20), "at most 6"), ("2-2-2-2-2-2-2", "at most 6"),
    ("3", "an input layer and an output layer"),
    ("7" * 10_000, "too long"), ("3-" * 5000 + "2", "too long"),
    ("", "missing"), ("   ", "missing"),
])
def test_bad_layer_sizes_are_refused_naming_the_limit(text, says):
    assert says in refused(lambda: parse_sizes(text))


@pytest.mark.parametrize("value", [None, 342, ["3", "4"], b"3-4"])
def test_layer_sizes_must_be_text(value):
    refused(lambda: parse_sizes(value))


@given(st.text(max_size=80))
def test_any_text_gives_sizes_the_page_can_draw_or_a_reason(text):
    try:
        sizes = parse_sizes(text)
    except StateError as error:
        assert error.field == "sizes" and "\n" not in str(error)
    else:
        assert 2 <= len(sizes) <= 6 and all(1 <= n <= 8 for n in sizes)


@given(st.lists(st.integers(1, 8), min_size=2, max_size=6), st.sampled_from(["-", ",", " ", ", ", " - "]))
def test_every_drawable_network_can_be_typed(sizes, separator):
    assert parse_sizes(separator.join(map(str, sizes))) == sizes


# --- presets --------------------------------------------------------------------------------

def test_presets_have_names_and_one_sentence_each():
    assert list(PRESETS)[:2] == ["seed", "mazur"] and len(PRESETS) >= 4
    assert PRESETS["seed"].name == "Seed network (3-4-3-2-2)"
    assert PRESETS["mazur"].name == "Mazur's worked example (2-2-2)"
    assert len({p.name for p in PRESETS.values()}) == len(PRESETS)
    for preset in PRESETS.values():
        assert preset.look_at.endswith(".") and preset.look_at.count(". ") == 0, preset.key


@pytest.mark.parametrize("key", list(PRESETS))
def test_every_preset_is_a_valid_state_that_says_which_it_is(key):
    state = load(key)
    assert state.preset == key and state.epoch == 0
    assert parse(serialise(state)) == state


def test_preset_names_give_their_sizes():
    assert load("seed").network.sizes == parse_sizes("3-4-3-2-2")
    assert load("mazur").network.sizes == parse_sizes("2-2-2")


def test_the_seed_preset_is_the_seed_file():
    assert load("seed") == load_seed()


def test_mazur_preset_is_his_network():
    state = load("mazur")
    assert (state.inputs, state.targets, state.learning_rate) == ([0.05, 0.10], [0.01, 0.99], 0.5)
    w = state.network.weights
    # w1…w4 into the hidden layer (w1: i1 → h1, w2: i2 → h1, w3: i1 → h2, w4: i2 → h2),
    # w5…w8 into the outputs (w5: h1 → o1, w6: h2 → o1, w7: h1 → o2, w8: h2 → o2)
    assert [w[0][0][0], w[0][0][1], w[0][1][0], w[0][1][1]] == [0.15, 0.20, 0.25, 0.30]
    assert [w[1][0][0], w[1][0][1], w[1][1][0], w[1][1][1]] == [0.40, 0.45, 0.50, 0.55]
    assert state.network.biases == [[0.35, 0.35], [0.60, 0.60]]
    assert state.network.activations == ["sigmoid", "sigmoid"] and state.network.loss == "mse"


def test_softmax_preset_pairs_softmax_with_cross_entropy():
    state = load("softmax")
    assert state.network.activations[-1] == "softmax" and state.network.loss == "cross_entropy"
    assert math.fsum(state.targets) == 1.0


# --- random networks ------------------------------------------------------------------------

def expected_parameters(sizes, activations, seed):
    """The documented draw: U(−bound, bound) = −bound + 2·bound·random(), in row order, two decimals."""
    rng = random.Random(seed)
    weights = []
    for l in range(1, len(sizes)):
        he = activations[l - 1] in ("relu", "leaky_relu")
        bound = math.sqrt(6 / (sizes[l - 1] if he else sizes[l - 1] + sizes[l]))
        weights.append([[round(-bound + 2 * bound * rng.random(), 2) for _ in range(sizes[l - 1])]
                        for _ in range(sizes[l])])
    return weights


@given(designs(), st.integers(0, 10 ** 6))
def test_random_parameters_are_xavier_or_he_from_the_seed(shape, seed):
    sizes, activations, _ = shape
    weights, biases = design.random_parameters(sizes, activations, seed)
    assert weights == expected_parameters(sizes, activations, seed)
    assert biases == [[0.0] * n for n in sizes[1:]]
    assert design.random_parameters(sizes, activations, seed) == (weights, biases)  # the seed names the network
    for l, layer in enumerate(weights, start=1):
        fan = sizes[l - 1] if ACTIVATIONS[activations[l - 1]].init == "he" else sizes[l - 1] + sizes[l]
        assert all(abs(w) <= round(math.sqrt(6 / fan), 2) and round(w, 2) == w for row in layer for w in row)
        assert all(str(w) != "-0.0" for row in layer for w in row)


def test_different_seeds_give_different_networks():
    state = load_seed()
    nets = {serialise(design.randomised(state, seed)) for seed in range(20)}
    assert len(nets) == 20


def test_randomised_keeps_the_design_and_shows_its_seed():
    state = load("softmax")
    state.epoch = 17
    r = design.randomised(state, 4242)
    assert r.random_seed == 4242 and r.preset is None and r.epoch == 0
    assert (r.network.sizes, r.network.activations, r.network.loss) == \
        (state.network.sizes, state.network.activations, state.network.loss)
    assert (r.inputs, r.targets, r.learning_rate) == (state.inputs, state.targets, state.learning_rate)
    assert r.network.weights == expected_parameters(r.network.sizes, r.network.activations, 4242)
    assert parse(serialise(r)) == r
    assert load("softmax").network == state.network  # the state given is left alone
    refused(lambda: design.randomised(state, -1), "random_seed")


# --- resizing -------------------------------------------------------------------------------

def old_layer(l, count, old_count):
    """The identity of a layer: the input, hidden layer l, or the output."""
    if l in (0, count - 1):
        return 0 if l == 0 else old_count - 1
    return l if l < old_count - 1 else None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(list(PRESETS)), st.lists(st.integers(1, 8), min_size=2, max_size=6), st.integers(0, 999))
def test_resizing_keeps_every_weight_that_still_exists(key, sizes, seed):
    state = load(key)
    state.random_seed = seed
    if state.network.activations[-1] == "softmax" and sizes[-1] == 1:
        refused(lambda: design.resized(state, sizes), "activations[%d]" % (len(sizes) - 2))
        return
    new = design.resized(state, sizes)
    old, net = state.network, new.network
    assert net.sizes == sizes and new.preset is None and new.random_seed == seed
    fresh_w, fresh_b = design.random_parameters(sizes, net.activations, seed)
    kept = 0
    for l in range(1, len(sizes)):
        m, below = old_layer(l, len(sizes), len(old.sizes)), old_layer(l - 1, len(sizes), len(old.sizes))
        for j in range(sizes[l]):
            exists = m is not None and j < old.sizes[m]
            assert net.biases[l - 1][j] == (old.biases[m - 1][j] if exists else fresh_b[l - 1][j])
            for i in range(sizes[l - 1]):
                if exists and below == m - 1 and i < old.sizes[m - 1]:
                    assert net.weights[l - 1][j][i] == old.weights[m - 1][j][i]
                    kept += 1
                else:
                    assert net.weights[l - 1][j][i] == fresh_w[l - 1][j][i]
    assert net.activations[-1] == old.activations[-1] and net.loss == old.loss
    assert new.inputs == (state.inputs + [0.5] * 8)[:sizes[0]]
    assert parse(serialise(new)) == new
    if sizes == old.sizes:
        assert kept == sum(a * b for a, b in zip(sizes, sizes[1:])) and net == old


def test_growing_the_seed_by_one_hidden_neuron_keeps_all_its_weights():
    seed = load_seed()
    grown = design.resized(seed, [3, 5, 3, 2, 2])
    assert grown.network.weights[0][:4] == seed.network.weights[0]
    assert [row[:4] for row in grown.network.weights[1]] == seed.network.weights[1]
    assert grown.network.weights[2:] == seed.network.weights[2:]
    assert grown.network.activations == ["sigmoid"] * 4


def test_a_new_hidden_layer_takes_the_last_hidden_activation():
    state = load("dead-relu")
    grown = design.resized(state, [2, 3, 4, 1])
    assert grown.network.activations == ["relu", "relu", "sigmoid"]
    assert grown.network.weights[0] == state.network.weights[0]
    shrunk = design.resized(state, [2, 1])
    assert shrunk.network.activations == ["sigmoid"] and shrunk.network.biases == [[0.0]]


def test_softmax_targets_stay_a_distribution_when_the_outputs_change():
    state = load("softmax")
    assert design.resized(state, [3, 4, 4]).targets == [0.0, 1.0, 0.0, 0.0]
    assert design.resized(state, [3, 4, 2]).targets == [0.0, 1.0]
    state.targets = [0.0, 0.0, 1.0]
    assert design.resized(state, [3, 4, 2]).targets == [1.0, 0.0]


@pytest.mark.parametrize("sizes", [[3, 9, 2], [0, 2], [3], [2] * 7, "3-4-2"])
def test_resizing_to_a_network_the_page_cannot_draw_is_refused(sizes):
    refused(lambda: design.resized(load_seed(), sizes))


# --- other activations or another loss --------------------------------------------------------

def test_redesign_moves_targets_into_the_new_output_range():
    state = load_seed()
    linear = design.redesigned(state, activations=["tanh", "relu", "leaky_relu", "linear"])
    assert linear.network.weights == state.network.weights and linear.targets == state.targets
    linear.targets = [3.0, -2.0]
    back = design.redesigned(linear, activations=["sigmoid"] * 4)
    assert back.targets == [1.0, 0.0]
    tanh = design.redesigned(linear, activations=["sigmoid"] * 3 + ["tanh"])
    assert tanh.targets == [1.0, -1.0]


def test_redesign_refuses_what_makes_no_sense_and_explains_it():
    state = load_seed()
    assert "Tanh" in refused(lambda: design.redesigned(state, ["sigmoid"] * 3 + ["tanh"], "cross_entropy"), "loss")
    assert "output layer only" in refused(lambda: design.redesigned(state, ["softmax"] + ["sigmoid"] * 3),
                                          "activations[0]")
    refused(lambda: design.redesigned(state, ["sigmoid"] * 3), "activations")
    refused(lambda: design.redesigned(state, loss="hinge"), "loss")
    cross = design.redesigned(state, loss="cross_entropy")
    assert cross.network.loss == "cross_entropy" and cross.preset is None
    assert design.redesigned(cross, activations=["sigmoid"] * 3 + ["softmax"]).targets == [0.8, 0.2]
    cross.targets = [0.3, 0.6]
    softmax = design.redesigned(cross, activations=["sigmoid"] * 3 + ["softmax"])
    assert softmax.targets == [0.0, 1.0]  # a distribution now: the larger target's class


def test_state_limits_follow_the_output_activation():
    for key, f in ACTIVATIONS.items():
        if f.output_only or key == "sigmoid":
            continue
        state = design.redesigned(load_seed(), activations=["sigmoid"] * 3 + [key])
        limit = state.limits()["targets"]
        assert (limit.low, limit.high) == (max(f.low, -1e6), min(f.high, 1e6))
        assert state.limits()["inputs"] == load_seed().limits()["inputs"]
    assert to_data(load_seed())["version"] == 4
    assert from_data(to_data(load_seed())) == load_seed()


@pytest.mark.parametrize("field, label", [
    ("sizes", "Layer sizes"), ("activations[0]", "Activation, Hidden Layer 1"),
    ("activations[3]", "Activation, Output Layer"), ("loss", "Loss"), ("random_seed", "Random seed"),
    ("preset", "Preset"), ("targets", "Targets"), ("targets[1]", "Target 2"),
])
def test_refusals_name_the_field_as_the_page_labels_it(field, label):
    assert field_label(field, 5) == label
