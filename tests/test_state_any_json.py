"""pyodide_app.state against anything at all: any JSON value, any mutation of the seed,
any depth of nesting gives a valid State or a StateError, nothing else."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import oracle
from pyodide_app.state import State, StateError, from_data, load_seed, parse, serialise
from state_cases import SEED, SEED_SIZES, V1_SEED, seed_dict, with_change


# --- anything at all: a valid State or a StateError, nothing else ---------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(-(10 ** 400), 10 ** 400)
    | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=25,
)


def check_valid(state: State):
    """What a State from parse must be: consistent shapes, finite numbers in their limits."""
    sizes = state.network.sizes
    assert len(state.inputs) == sizes[0] and len(state.targets) == sizes[-1]
    for l, layer in enumerate(state.network.weights):
        assert len(layer) == sizes[l + 1] and all(len(row) == sizes[l] for row in layer)
    numbers = (state.inputs + state.targets + [state.learning_rate]
               + [w for layer in state.network.weights for row in layer for w in row]
               + [b for layer in state.network.biases for b in layer])
    assert all(type(x) is float and math.isfinite(x) for x in numbers)
    low, high = oracle.OUTPUT_RANGE[state.network.activations[-1]]
    assert all(-1e6 <= x <= 1e6 for x in state.inputs) and all(low <= t <= high for t in state.targets)
    assert 2 <= len(sizes) <= 6 and all(1 <= n <= 8 for n in sizes)
    assert 0 < state.learning_rate <= 100
    assert type(state.epoch) is int and 0 <= state.epoch <= 10 ** 15
    assert state.settings in ({"speed": "fast"}, {"speed": "normal"}, {"speed": "slow"})
    assert parse(serialise(state)) == state


def parse_or_refuse(value):
    """from_data and parse of the JSON text: each gives a valid State or a StateError."""
    results = []
    for call in (lambda: from_data(value), lambda: parse(json.dumps(value)),
                 lambda: parse(json.dumps(value), SEED_SIZES)):
        try:
            state = call()
        except StateError as error:
            assert isinstance(error.field, str)
            assert "\n" not in str(error)
            results.append(None)
        else:
            check_valid(state)
            results.append(state)
    return results


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_any_json_value_parses_or_is_refused(value):
    parse_or_refuse(value)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(list(SEED) + ["extra"]), json_values, max_size=14))
def test_any_object_with_state_keys_parses_or_is_refused(value):
    parse_or_refuse(value)


def paths(value, prefix=()):
    """Every path into a JSON value, the root included."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, prefix + (key,))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from paths(child, prefix + (i,))


SEED_PATHS = list(paths(SEED))[1:]
V1_PATHS = list(paths(V1_SEED))[1:]


@st.composite
def mutated_seeds(draw):
    version = draw(st.sampled_from([1, 2]))
    data = seed_dict(version)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(SEED_PATHS if version == 2 else V1_PATHS))
        parent = data
        try:
            for key in path[:-1]:
                parent = parent[key]
            if not isinstance(parent, (dict, list)):
                continue
            parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced this place
        action = draw(st.sampled_from(["replace", "delete", "insert", "number"]))
        key = path[-1]
        if action == "replace":
            parent[key] = draw(json_values)
        elif action == "number":
            parent[key] = draw(st.floats() | st.integers(-(10 ** 20), 10 ** 20))
        elif action == "delete":
            del parent[key]
        elif isinstance(parent, list):
            parent.insert(key, draw(json_values))
        else:
            parent[draw(st.text(max_size=8))] = draw(json_values)
    return data


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_seeds())
def test_any_mutation_of_the_seed_parses_or_is_refused(value):
    parse_or_refuse(value)


def test_mutations_do_reach_valid_states():
    """Guard for the property above: it sees accepted states as well as refusals."""
    accepted = from_data(with_change(["weights", 1, 2, 0], 0.25))
    check_valid(accepted)
    assert accepted.network.weights[1][2][0] == 0.25
    assert parse_or_refuse(with_change(["epoch"], 3)) [0].epoch == 3
    assert parse_or_refuse(with_change(["epoch"], -3)) == [None, None, None]


@pytest.mark.parametrize("text", ["[" * 20000, "[" * 17 + "]" * 17, '{"a":' * 40 + "1" + "}" * 40])
def test_deep_nesting_is_refused_before_it_can_overflow_the_stack(text):
    with pytest.raises(StateError) as info:
        parse(text)
    assert info.value.field == "state" and "nested" in str(info.value)


def test_brackets_inside_strings_do_not_count_as_nesting():
    data = json.loads(serialise(load_seed()))
    data["settings"]["speed"] = "[" * 100
    with pytest.raises(StateError) as info:
        parse(json.dumps(data))
    assert info.value.field == "settings.speed"
