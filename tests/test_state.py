"""pyodide_app.state: the seed and round trips, and every refusal with its field. One field's
text: tests/test_state_numbers.py; any JSON at all: tests/test_state_any_json.py."""

from __future__ import annotations

import base64
import copy
import json

import pytest
from hypothesis import given, settings

import oracle
from pyodide_app.state import (MAX_TEXT_LENGTH, State, StateError, from_data, from_fragment, load_seed, parse,
                               serialise, to_data, to_fragment)
from state_cases import SEED, SEED_SIZES, V1_SEED, refuse, refuse_data, seed_dict, with_change, without
from strategies import saved_states


# --- the seed and round trips ---------------------------------------------------------------

def test_seed_parses_to_the_seed_file():
    state = load_seed()
    assert state.inputs == SEED["inputs"] and state.targets == SEED["targets"]
    assert state.learning_rate == SEED["learning_rate"] and state.epoch == 0
    assert state.network.weights == SEED["weights"] and state.network.biases == SEED["biases"]
    assert state.network.sizes == SEED_SIZES
    assert state.settings == {"speed": "normal"}
    assert state.network.activations == ["sigmoid"] * 4 and state.network.loss == "mse"
    assert (state.preset, state.random_seed) == ("seed", 0)
    assert all(type(x) is float for x in state.inputs + state.targets)
    assert all(type(w) is float for layer in state.network.weights for row in layer for w in row)
    assert type(state.epoch) is int


def test_seed_round_trips():
    state = load_seed()
    text = serialise(state)
    assert parse(text) == state
    assert serialise(parse(text)) == text
    assert from_fragment(to_fragment(state)) == state
    assert from_fragment("#" + to_fragment(state)) == state
    assert to_data(state)["version"] == 4
    assert to_data(state) == SEED | {"version": 4}  # the seed file (version 2) is what serialise writes, as version 4
    assert parse(text, SEED_SIZES) == state



def same_bits(a: State, b: State) -> bool:
    """Equal to the last bit, the sign of zero included."""
    return json.dumps(to_data(a)) == json.dumps(to_data(b)) and a == b


@settings(max_examples=150, deadline=None)
@given(saved_states())
def test_any_valid_state_round_trips_exactly(state):
    text = serialise(state)
    back = parse(text)
    assert same_bits(back, state)
    assert same_bits(parse(text, state.network.sizes), state)
    assert same_bits(from_fragment(to_fragment(state)), state)
    fragment = to_fragment(state)
    assert fragment.startswith("state=")
    assert all(c.isalnum() or c in "-_=" for c in fragment)  # safe in a URL, no '+' or '/'


# --- refusals, each with its field ----------------------------------------------------------

@pytest.mark.parametrize("text", ["", "{", "{'version': 1}", "[1, 2", "nul", "{\"a\": }", "\x00",
                                  "{} {}", "[" * 100_000])
def test_malformed_json_is_refused(text):
    refuse(lambda: parse(text), "state")


@pytest.mark.parametrize("value", [[], "state", 1, None, True, [SEED]])
def test_json_that_is_not_an_object_is_refused(value):
    refuse_data(value, "state")


@pytest.mark.parametrize("saved", [1, 2])
@pytest.mark.parametrize("version", [5, 0, -1, "1", "2", True, None, [1], {"v": 1}, 1.5])
def test_wrong_version_is_refused(version, saved):
    refuse_data(with_change(["version"], version, saved), "version")


@pytest.mark.parametrize("key", ["version", "sizes", "activations", "loss", "preset", "random_seed", "inputs",
                                 "targets", "learning_rate", "weights", "biases", "epoch", "settings"])
def test_missing_keys_are_refused(key):
    refuse_data(without(key), key)


@pytest.mark.parametrize("key", ["version", "inputs", "targets", "learning_rate", "weights",
                                 "biases", "epoch", "settings"])
def test_missing_keys_of_version_1_are_refused(key):
    refuse_data(without(key, version=1), key)


@pytest.mark.parametrize("key", ["sizes", "activations", "loss", "preset", "random_seed"])
def test_keys_of_version_2_are_refused_in_version_1(key):
    error = refuse_data({**seed_dict(1), key: SEED[key]}, key)
    assert "version 1" in str(error)


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("key", ["colour", "Inputs", "", "weights ", "v" * 100])
def test_unknown_keys_are_refused(key, version):
    named = '""' if not key else key if len(key) <= 40 else key[:39] + "…"
    error = refuse_data(with_change([key], 1, version), named)
    assert "not part of a saved state" in str(error)


@pytest.mark.parametrize("path, value, field", [
    # shapes
    (["inputs"], [0.5, 0.3], "weights[0][0]"),
    (["inputs"], [], "inputs"),
    (["inputs"], 0.5, "inputs"),
    (["targets"], [0.8], "targets"),
    (["targets"], [0.8, 0.2, 0.1], "targets"),
    (["targets"], {"0": 0.8}, "targets"),
    (["biases"], [], "biases"),
    (["biases"], {"0": [0.1]}, "biases"),
    (["biases", 0], [], "biases[0]"),
    (["biases", 0], 0.1, "biases[0]"),
    (["weights"], [], "weights"),
    (["weights"], SEED["weights"][:3], "weights"),
    (["weights"], SEED["weights"] + [[[0.1, 0.2]]], "weights"),
    (["weights"], "weights", "weights"),
    (["weights", 1], SEED["weights"][1][:2], "weights[1]"),
    (["weights", 1], 0.5, "weights[1]"),
    (["weights", 2, 1], [0.1, 0.2, 0.3, 0.4], "weights[2][1]"),
    (["weights", 2, 1], [], "weights[2][1]"),
    (["weights", 3, 0], 0.6, "weights[3][0]"),
    (["biases", 1], [0.2, -0.1], "weights[1]"),  # three neurons' weights for two biases
    # not numbers
    (["inputs", 1], "0.3", "inputs[1]"),
    (["inputs", 1], None, "inputs[1]"),
    (["inputs", 1], [0.3], "inputs[1]"),
    (["targets", 0], {}, "targets[0]"),
    (["weights", 0, 1, 2], None, "weights[0][1][2]"),
    (["weights", 0, 1, 2], "0.1", "weights[0][1][2]"),
    (["biases", 3, 1], "x", "biases[3][1]"),
    (["learning_rate"], "0.1", "learning_rate"),
    (["learning_rate"], None, "learning_rate"),
    (["learning_rate"], [0.1], "learning_rate"),
    (["epoch"], "0", "epoch"),
    (["epoch"], [], "epoch"),
    # booleans are not numbers, although Python says bool is an int
    (["inputs", 0], True, "inputs[0]"),
    (["targets", 1], False, "targets[1]"),
    (["weights", 2, 0, 1], True, "weights[2][0][1]"),
    (["biases", 3, 1], True, "biases[3][1]"),
    (["learning_rate"], True, "learning_rate"),
    (["epoch"], False, "epoch"),
    # too large for a double
    (["inputs", 0], 10 ** 400, "inputs[0]"),
    (["weights", 1, 2, 3], -(10 ** 400), "weights[1][2][3]"),
    # outside the limits
    (["inputs", 2], 1e6 + 1, "inputs[2]"),
    (["inputs", 2], -1000001, "inputs[2]"),
    (["targets", 0], 1.5, "targets[0]"),
    (["targets", 1], -0.001, "targets[1]"),
    (["learning_rate"], 0, "learning_rate"),
    (["learning_rate"], -0.1, "learning_rate"),
    (["learning_rate"], 100.5, "learning_rate"),
    (["weights", 0, 0, 0], 2e9, "weights[0][0][0]"),
    (["biases", 0, 3], -1.5e9, "biases[0][3]"),
    (["epoch"], -1, "epoch"),
    (["epoch"], 1.5, "epoch"),
    (["epoch"], 1e15 + 2, "epoch"),
    # settings
    (["settings"], [], "settings"),
    (["settings"], "fast", "settings"),
    (["settings"], None, "settings"),
    (["settings"], {"speed": "medium"}, "settings.speed"),
    (["settings"], {"speed": None}, "settings.speed"),
    (["settings"], {"speed": ["fast"]}, "settings.speed"),
    (["settings"], {"speed": "fast", "colour": "red"}, "settings.colour"),
])
def test_bad_values_are_refused_with_their_field(path, value, field):
    """Version 1, as links and files have been refused all along."""
    refuse_data(with_change(path, value, version=1), field)


@pytest.mark.parametrize("path, value, field", [
    # the declared sizes and the shapes
    (["sizes"], [3, 4, 3, 2], "activations"),  # one list of activations too few
    (["sizes"], [2, 4, 3, 2, 2], "inputs"),
    (["sizes"], [3, 4, 3, 3, 2], "biases[2]"),
    (["sizes"], [3, 4, 3, 2, 2, 2], "activations"),
    (["sizes"], [3, 9, 3, 2, 2], "sizes"),
    (["sizes"], [3, 0, 3, 2, 2], "sizes"),
    (["sizes"], [3], "sizes"),
    (["sizes"], [2, 2, 2, 2, 2, 2, 2], "sizes"),
    (["sizes"], "3-4-3-2-2", "sizes"),
    (["sizes"], [3, 4.0, 3, 2, 2], "sizes"),
    (["sizes"], [3, True, 3, 2, 2], "sizes"),
    (["sizes"], None, "sizes"),
    (["inputs"], [0.5, 0.3], "inputs"),
    (["biases", 1], [0.2, -0.1], "biases[1]"),
    (["weights", 1], SEED["weights"][1][:2], "weights[1]"),
    # activations
    (["activations"], ["sigmoid"] * 3, "activations"),
    (["activations"], "sigmoid", "activations"),
    (["activations", 1], "swish", "activations[1]"),
    (["activations", 1], ["sigmoid"], "activations[1]"),
    (["activations", 1], None, "activations[1]"),
    (["activations", 1], "Sigmoid", "activations[1]"),
    (["activations", 0], "softmax", "activations[0]"),  # softmax in a hidden layer
    # loss
    (["loss"], "hinge", "loss"),
    (["loss"], None, "loss"),
    (["loss"], ["mse"], "loss"),
    (["loss"], "MSE", "loss"),
    # preset and random seed
    (["preset"], "my network", "preset"),
    (["preset"], 1, "preset"),
    (["preset"], ["seed"], "preset"),
    (["random_seed"], -1, "random_seed"),
    (["random_seed"], 1.5, "random_seed"),
    (["random_seed"], 1e6 + 1, "random_seed"),
    (["random_seed"], "7", "random_seed"),
    (["random_seed"], None, "random_seed"),
    (["worksheet_seed"], -1, "worksheet_seed"),  # optional, but checked when there
    (["worksheet_seed"], 2.5, "worksheet_seed"),
    (["worksheet_seed"], 1e6 + 1, "worksheet_seed"),
    (["worksheet_seed"], "7", "worksheet_seed"),
    (["worksheet_seed"], None, "worksheet_seed"),
    # targets follow the output range: sigmoid outputs lie in 0 … 1
    (["targets", 0], 1.5, "targets[0]"),
    (["targets", 1], -0.5, "targets[1]"),
])
def test_bad_values_of_version_2_are_refused_with_their_field(path, value, field):
    refuse_data(with_change(path, value), field)


@pytest.mark.parametrize("output, loss, targets, field", [
    ("tanh", "cross_entropy", [0.8, 0.2], "loss"),
    ("relu", "cross_entropy", [0.8, 0.2], "loss"),
    ("linear", "cross_entropy", [0.8, 0.2], "loss"),
    ("leaky_relu", "cross_entropy", [0.8, 0.2], "loss"),
    ("softmax", "cross_entropy", [0.8, 0.3], "targets"),  # do not add up to 1
    ("softmax", "cross_entropy", [0.5, 0.49], "targets"),
    ("tanh", "mse", [1.5, 0.0], "targets[0]"),
    ("tanh", "mse", [0.0, -1.01], "targets[1]"),
    ("relu", "mse", [-0.1, 0.0], "targets[0]"),
    ("relu", "mse", [2e6, 0.0], "targets[0]"),
    ("linear", "mse", [0.0, -2e6], "targets[1]"),
    ("softmax", "mse", [1.2, 0.0], "targets[0]"),
])
def test_pairings_that_make_no_sense_are_refused(output, loss, targets, field):
    data = {**seed_dict(), "loss": loss, "targets": targets}
    data["activations"] = data["activations"][:-1] + [output]
    error = refuse_data(data, field)
    assert len(str(error)) > 20


def test_softmax_needs_two_outputs_and_the_output_layer():
    data = copy.deepcopy(oracle.seed_data())
    data.update(sizes=[3, 4, 3, 2, 1], targets=[0.5], activations=["sigmoid"] * 3 + ["softmax"])
    data["weights"][3], data["biases"][3] = [[0.6, 0.2]], [0.2]
    error = refuse_data(data, "activations[3]")
    assert "one output" in str(error)
    data["activations"][3] = "sigmoid"
    assert from_data(data).network.sizes == [3, 4, 3, 2, 1]
    error = refuse_data(with_change(["activations", 2], "softmax"), "activations[2]")
    assert "output layer only" in str(error)


@pytest.mark.parametrize("output, loss, targets", [
    ("tanh", "mse", [-1.0, 1.0]), ("relu", "mse", [0.0, 1e6]), ("linear", "mse", [-1e6, 1e6]),
    ("leaky_relu", "mse", [-3.5, 250.0]), ("softmax", "mse", [0.3, 0.3]), ("softmax", "cross_entropy", [0.25, 0.75]),
    ("softmax", "cross_entropy", [0.1 + 0.2, 0.7]),  # adds up to 1 but for rounding
    ("sigmoid", "cross_entropy", [0.0, 1.0]),
])
def test_pairings_that_make_sense_are_accepted(output, loss, targets):
    data = {**seed_dict(), "loss": loss, "targets": targets}
    data["activations"] = data["activations"][:-1] + [output]
    state = from_data(data)
    assert (state.network.activations[-1], state.network.loss, state.targets) == (output, loss, targets)
    assert parse(serialise(state)) == state
    low, high = oracle.OUTPUT_RANGE[output]
    limit = state.limits()["targets"]
    assert (limit.low, limit.high) == (max(low, -1e6), min(high, 1e6))


@pytest.mark.parametrize("path, value", [
    (["inputs", 0], 1e6), (["inputs", 0], -1e6), (["targets", 0], 0), (["targets", 1], 1),
    (["learning_rate"], 100), (["learning_rate"], 5e-324), (["weights", 0, 0, 0], 1e9),
    (["biases", 0, 0], -1e9), (["epoch"], 10 ** 15), (["epoch"], 7.0), (["settings"], {}),
    (["settings"], {"speed": "slow"}),
])
def test_values_at_the_limits_are_accepted(path, value):
    state = from_data(with_change(path, value))
    assert parse(serialise(state)) == state
    if path == ["settings"]:
        assert state.settings == {"speed": value.get("speed", "normal")}
    if path == ["epoch"]:
        assert state.epoch == value and type(state.epoch) is int


def test_architecture_other_than_the_page_is_refused_when_sizes_are_given():
    for text in (serialise(load_seed()), json.dumps(V1_SEED)):
        refuse(lambda: parse(text, [3, 4, 3, 2]), "sizes")
        refuse(lambda: parse(text, [3, 4, 4, 2, 2]), "sizes")
    refuse(lambda: parse(json.dumps(V1_SEED), [2, 4, 3, 2, 2]), "inputs")
    refuse(lambda: parse(serialise(load_seed()), [2, 4, 3, 2, 2]), "sizes")
    # without `sizes` another architecture is fine
    small = from_data({"version": 1, "inputs": [0.5], "targets": [0.5], "learning_rate": 1,
                       "weights": [[[2]]], "biases": [[0]], "epoch": 0, "settings": {}})
    assert small.network.sizes == [1, 1] and small.network.weights == [[[2.0]]]
    # but never one the page cannot draw, in either version
    wide = {"version": 1, "inputs": [0.5] * 9, "targets": [0.5], "learning_rate": 1,
            "weights": [[[2] * 9]], "biases": [[0]], "epoch": 0, "settings": {}}
    refuse(lambda: from_data(wide), "sizes")


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize("where", ['"inputs": [0.5', '"learning_rate": 0.1', '"epoch": 0', '[[0.4'])
def test_nan_and_infinity_tokens_are_refused(token, where):
    text = json.dumps(SEED)
    assert where in text
    replaced = where.rstrip("0123456789.") + token
    text = text.replace(where, replaced, 1)
    error = refuse(lambda: parse(text), "state")
    assert token in str(error)


@pytest.mark.parametrize("literal, field", [("1e400", "inputs[0]"), ("-1e400", "inputs[0]"),
                                            ("1" * 400, "inputs[0]"), ("1" * 5000, "state")])
def test_numbers_beyond_a_double_are_refused(literal, field):
    text = json.dumps(SEED).replace('"inputs": [0.5', f'"inputs": [{literal}', 1)
    assert literal in text
    refuse(lambda: parse(text), field)


def test_text_size_limit():
    text = serialise(load_seed())
    padded = text[:-1] + " " * (MAX_TEXT_LENGTH - len(text)) + "}"
    assert len(padded) == MAX_TEXT_LENGTH
    assert parse(padded) == load_seed()
    error = refuse(lambda: parse(padded + " "), "state")
    assert "too large" in str(error)
    refuse(lambda: parse("x" * (10 * MAX_TEXT_LENGTH)), "state")


@pytest.mark.parametrize("value", [None, b"{}", 1, ["{}"]])
def test_parse_wants_text(value):
    refuse(lambda: parse(value), "state")


@pytest.mark.parametrize("fragment", ["", "#", "state", "#stat=e30", "foo=bar&state=e30", "STATE=e30"])
def test_fragment_without_a_state_is_refused(fragment):
    refuse(lambda: from_fragment(fragment), "link")


@pytest.mark.parametrize("encoded", ["a", "_w", "gA", "é", "e30!", "A" * 5])
def test_damaged_fragment_is_refused(encoded):
    refuse(lambda: from_fragment("state=" + encoded), "link")


@pytest.mark.parametrize("encoded", ["!!!!", "e30=e30", "....", ""])
def test_fragment_of_junk_is_refused(encoded):
    # the decoder skips characters outside the alphabet, so the refusal may come from the
    # JSON it decodes to rather than from the link; either way it is a StateError
    with pytest.raises(StateError) as info:
        from_fragment("state=" + encoded)
    assert info.value.field in ("link", "state", "version")


def test_fragment_length_limit_and_bad_content():
    refuse(lambda: from_fragment("state=" + "A" * (MAX_TEXT_LENGTH * 2)), "link")
    as_fragment = lambda text: "state=" + base64.urlsafe_b64encode(text.encode()).decode()  # noqa: E731
    refuse(lambda: from_fragment(as_fragment("{")), "state")
    refuse(lambda: from_fragment(as_fragment(json.dumps(without("epoch")))), "epoch")
