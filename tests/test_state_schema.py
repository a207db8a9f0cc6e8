"""The state's fields are one table (pyodide_app.state.FIELDS): reading, writing, copying and
reading older versions follow from it, so adding a field is adding one entry. Shown here by
adding one, and checked for any state hypothesis can draw."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given, settings

import oracle
from pyodide_app.network import Network
from pyodide_app.schema import Field, Schema, Type
from pyodide_app.state import (FIELDS, FORMAT_VERSION, SCHEMA, State, StateError, StateMethods, from_data,
                               load_seed, parse, serialise, to_data)
from pyodide_app.state_values import copy_list
from state_cases import SEED, refuse
from strategies import designs, saved_states

V1_FILES = sorted(oracle.FIXTURES.glob("v1-*.json"))
SAVED = [json.loads(path.read_text(encoding="utf-8")) for path in V1_FILES] + [SEED]


def read_marks(value, key, reading):
    if not isinstance(value, list) or not all(isinstance(mark, str) and len(mark) <= 10 for mark in value):
        raise StateError(key, "must be a list of short texts")
    return value[:]


MARKS = Type(read_marks, copy_list)


def with_field(new: Field, versions=(1, 2, 3, FORMAT_VERSION)) -> Schema:
    """The state's schema with one more entry, as a page with that field would have it."""
    return Schema("State", FIELDS + (new,), versions=versions, parts={"network": Network}, base=StateMethods)


def without(data: dict, key: str) -> dict:
    return {k: v for k, v in data.items() if k != key}


# --- adding a field is one entry -------------------------------------------------------------

def test_an_optional_field_added_as_one_entry_is_read_written_and_copied():
    schema = with_field(Field("marks", MARKS, since=2, default=[], optional=True))
    fresh = schema.cls([0.5], [0.5], 0.1, Network([[[1.0]]], [[0.0]]))
    assert fresh.marks == [] and fresh.epoch == 0
    assert schema.cls([0.5], [0.5], 0.1, Network([[[1.0]]], [[0.0]])).marks is not fresh.marks
    # every state saved before loads without it, as it does today, and is written as today
    for data in SAVED:
        state = schema.from_data(data)
        assert state.marks == []
        assert schema.to_data(state) == to_data(from_data(data))
    # with it: written, read back, copied without sharing
    state = schema.from_data(SEED)
    state.marks = ["check", "this"]
    data = schema.to_data(state)
    assert data["marks"] == ["check", "this"] and without(data, "marks") == SEED | {"version": FORMAT_VERSION}
    assert schema.from_data(json.loads(json.dumps(data))) == state
    copied = state.copy()
    assert copied == state and copied.marks is not state.marks
    copied.marks.append("more")
    assert state.marks == ["check", "this"]
    # refused with its field, when bad or in a version before it
    refuse(lambda: schema.from_data({**SEED, "marks": [1]}), "marks")
    error = refuse(lambda: schema.from_data({**SAVED[0], "marks": []}), "marks")
    assert str(error) == "is not part of a saved state of version 1"
    # and today's page, without the entry, refuses a state that holds it
    assert str(refuse(lambda: from_data(data), "marks")) == "is not part of a saved state"


def test_a_field_of_a_new_version_is_worked_out_for_older_ones():
    older = lambda reading: [f"epoch {reading.values['epoch']}"]  # noqa: E731 (from a field read before it)
    schema = with_field(Field("marks", MARKS, since=5, older=older), versions=(1, 2, 3, 4, 5))
    for data in SAVED:
        state = schema.from_data(data)
        assert state.marks == [f"epoch {data['epoch']}"]
        written = schema.to_data(state)
        assert written["version"] == 5 and written["marks"] == state.marks
        assert without(written, "marks") | {"version": 4} == to_data(from_data(data))
        assert schema.from_data(written) == state
    refuse(lambda: schema.from_data({**SEED, "version": 5}), "marks")  # required from version 5 on


# --- the table and the classes agree ----------------------------------------------------------

def test_the_table_holds_every_field_of_the_state_and_its_network():
    own = [f.key for f in FIELDS if f.part is None]
    assert sorted(f.name for f in dataclasses.fields(State)) == sorted(own + ["network"])
    held = [f.key for f in FIELDS if f.part == "network" and not f.derived]
    assert sorted(f.name for f in dataclasses.fields(Network)) == sorted(held)
    assert list(to_data(load_seed())) == ["version"] + [f.key for f in FIELDS if not f.optional]


def test_a_state_is_whole_with_inputs_targets_rate_and_network():
    state = State([0.5], [0.25], 0.1, Network([[[2.0]]], [[0.0]]))
    assert (state.epoch, state.settings, state.preset, state.random_seed, state.practice, state.worksheet_seed) \
        == (0, {"speed": "normal"}, None, 0, None, 1)
    assert parse(serialise(state)) == state


# --- any state --------------------------------------------------------------------------------

def shares_nothing(a, b) -> bool:
    """No list or dict of `a` is one of `b`'s."""
    def containers(value, found):
        if isinstance(value, (list, dict)):
            found.add(id(value))
            for child in (value.values() if isinstance(value, dict) else value):
                containers(child, found)
        return found
    def of(state):
        found = set()
        for f in FIELDS:
            if not f.derived:  # worked out afresh each time
                containers(getattr(state.network if f.part else state, f.key), found)
        return found
    return not of(a) & of(b)


@settings(max_examples=100, deadline=None)
@given(saved_states())
def test_any_state_round_trips_and_its_copy_shares_nothing(state):
    text = serialise(state)
    assert parse(text) == state and serialise(parse(text)) == text
    copied = state.copy()
    assert copied == state and type(copied) is State and shares_nothing(copied, state)
    copied.network.weights[0][0][0] += 1.0
    copied.inputs[0] += 1.0
    copied.settings["speed"] = "?"
    assert serialise(state) == text, "changing the copy changed the state"
    data = to_data(state)
    assert data["version"] == FORMAT_VERSION and json.loads(text) == data
    for f in FIELDS:  # an optional field is written only when it is not its default
        held = getattr(state.network if f.part else state, f.key)
        assert (f.key in data) == (not f.optional or held != f.default), f.key
    data["inputs"][0] += 1.0
    assert serialise(state) == text, "changing what to_data gave changed the state"


sigmoid_mse = designs(hidden=["sigmoid"], outputs=["sigmoid"]).filter(lambda design: design[2] == "mse")


@settings(max_examples=60, deadline=None)
@given(saved_states(design=sigmoid_mse))
def test_any_sigmoid_state_written_as_version_1_reads_as_it_was(state):
    """Version 1 knew only sigmoid and mean squared error, and none of the newer fields."""
    data = {key: value for key, value in to_data(state).items()
            if key in SCHEMA.required[1]} | {"version": 1}
    back = from_data(json.loads(json.dumps(data)))
    newer = {f.key: f.default for f in FIELDS if f.since > 1 and f.older is None and f.part is None}
    assert back == dataclasses.replace(state, **newer)
    assert back.network.sizes == state.network.sizes
    assert from_data(data, state.network.sizes) == back


@pytest.mark.parametrize("key", [f.key for f in FIELDS if f.since > 1])
def test_each_newer_field_is_refused_in_version_1(key):
    data = {**json.loads(json.dumps(SAVED[0])), key: to_data(load_seed()).get(key, 1)}
    assert str(refuse(lambda: from_data(data), key)) == "is not part of a saved state of version 1"


@pytest.mark.parametrize("f", [f for f in FIELDS if f.optional], ids=lambda f: f.key)
def test_an_optional_field_left_out_is_its_default(f):
    data = without(SEED, f.key)
    held = from_data(data)
    assert getattr(held.network if f.part else held, f.key) == f.default
