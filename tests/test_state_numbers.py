"""pyodide_app.state.parse_number and pyodide_app.fields: one field's text, read within
its limits, and every field of a state by name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pyodide_app.state import MAX_NUMBER_LENGTH, load_seed, parse, parse_number, serialise
from state_cases import SEED, SEED_SIZES, refuse
from strategies import finite


# --- parse_number ---------------------------------------------------------------------------

FIELDS = ["inputs[0]", "targets[1]", "learning_rate", "weights[0][1][2]", "biases[2][0]", "epoch"]
ALL = set(FIELDS)
# text → the fields that accept it (with the value they read), per the limits in state.py
TABLE = {
    "": {},
    "  ": {},
    "abc": {},
    "0,5": {f: 0.5 for f in ALL - {"epoch"}},
    " 0,5 ": {f: 0.5 for f in ALL - {"epoch"}},
    "0.5": {f: 0.5 for f in ALL - {"epoch"}},
    "1e309": {},
    "-1e309": {},
    "Infinity": {},
    "-Infinity": {},
    "inf": {},
    "+inf": {},
    "NaN": {},
    "nan": {},
    "1e6": {"inputs[0]": 1e6, "weights[0][1][2]": 1e6, "biases[2][0]": 1e6, "epoch": 1e6},
    "-1e6": {"inputs[0]": -1e6, "weights[0][1][2]": -1e6, "biases[2][0]": -1e6},
    "1000001": {"weights[0][1][2]": 1000001.0, "biases[2][0]": 1000001.0, "epoch": 1000001.0},
    "0": {"inputs[0]": 0.0, "targets[1]": 0.0, "weights[0][1][2]": 0.0, "biases[2][0]": 0.0, "epoch": 0.0},
    "1": {f: 1.0 for f in ALL},
    "100": {f: 100.0 for f in ALL - {"targets[1]"}},
    "-1": {"inputs[0]": -1.0, "weights[0][1][2]": -1.0, "biases[2][0]": -1.0},
    "1e9": {"weights[0][1][2]": 1e9, "biases[2][0]": 1e9, "epoch": 1e9},
    "1.5e9": {"epoch": 1.5e9},
    "1e15": {"epoch": 1e15},
    "1e16": {},
    "2.5": {"inputs[0]": 2.5, "learning_rate": 2.5, "weights[0][1][2]": 2.5, "biases[2][0]": 2.5},
    "1,5,": {},
    "1.0,5": {},
    "0x10": {},
    "1 2": {},
    "--1": {},
    "x" * 10_000: {},
    "1" + "0" * 10_000: {},
}


@pytest.mark.parametrize("text", list(TABLE), ids=lambda t: repr(t) if len(t) < 20 else f"{len(t)} chars")
@pytest.mark.parametrize("field", FIELDS)
def test_parse_number(text, field):
    accepted = TABLE[text]
    if field in accepted:
        value = parse_number(text, field)
        assert value == accepted[field] and type(value) is float
    else:
        refuse(lambda: parse_number(text, field), field)


@pytest.mark.parametrize("value", [None, 0.5, 1, b"1", ["1"]])
def test_parse_number_wants_text(value):
    refuse(lambda: parse_number(value, "inputs[0]"), "inputs[0]")


def test_parse_number_length_limit():
    ok = "0." + "1" * (MAX_NUMBER_LENGTH - 2)
    assert parse_number(ok, "targets[0]") == float(ok)
    assert parse_number("  " + ok + "  ", "targets[0]") == float(ok)
    error = refuse(lambda: parse_number(ok + "1", "targets[0]"), "targets[0]")
    assert "too long" in str(error)


@pytest.mark.parametrize("text", ["Infinity", "1e309", "abc", "", "x" * 10_000])
def test_parse_number_messages_are_short_single_lines(text):
    error = refuse(lambda: parse_number(text, "inputs[0]"), "inputs[0]")
    assert len(str(error)) < 100


@given(st.floats(-1e6, 1e6, **finite))
def test_parse_number_reads_back_any_input_exactly(x):
    assert parse_number(repr(x), "inputs[0]") == x
    assert parse_number(f" {x!r} ", "inputs[0]") == x


# --- get_field / set_field ------------------------------------------------------------------

def field_names(sizes):
    yield from (f"inputs[{i}]" for i in range(sizes[0]))
    yield from (f"targets[{k}]" for k in range(sizes[-1]))
    yield "learning_rate"
    for l in range(len(sizes) - 1):
        for j in range(sizes[l + 1]):
            yield f"biases[{l}][{j}]"
            yield from (f"weights[{l}][{j}][{i}]" for i in range(sizes[l]))


def test_get_and_set_every_field():
    from pyodide_app.fields import get_field, set_field
    state = load_seed()
    names = list(field_names(SEED_SIZES))
    assert len(names) == 3 + 2 + 1 + 11 + 34
    for name in names:
        key, *indices = name.replace("]", "").split("[")
        expected = SEED[key]
        for i in indices:
            expected = expected[int(i)]
        assert get_field(state, name) == expected, name
    for n, name in enumerate(names):
        set_field(state, name, n / 100)
    assert [get_field(state, name) for name in names] == [n / 100 for n in range(len(names))]
    assert state.learning_rate == names.index("learning_rate") / 100
    assert state.network.weights[1][2][0] == names.index("weights[1][2][0]") / 100
    assert parse(serialise(state)) == state


@pytest.mark.parametrize("name", ["inputs[3]", "inputs", "inputs[-1]", "inputs[0][0]", "targets[ 1]",
                                  "weights[0][0]", "weights[4][0][0]", "biases[0][4]", "foo",
                                  "learning_rate[0]", "", "inputs[²]", "weights[0][0][³]"])
def test_get_and_set_refuse_names_that_are_not_fields(name):
    from pyodide_app.fields import get_field, set_field
    state = load_seed()
    refuse(lambda: get_field(state, name), name)
    refuse(lambda: set_field(state, name, 0.5), name)
    assert state == load_seed()


def test_index_of_an_input_or_a_target_is_the_place_its_value_is_written():
    from pyodide_app.fields import index_of, set_field
    for name in ("inputs", "targets"):
        for field in (f for f in field_names(SEED_SIZES) if f.startswith(name + "[")):
            state = load_seed()
            set_field(state, field, 0.123)
            assert [k for k, value in enumerate(getattr(state, name)) if value == 0.123] == [index_of(field)], field
    assert index_of("targets[12]") == 12


@pytest.mark.parametrize("name", ["learning_rate", "weights[0][1][2]", "biases[0][1]", "targets", "targets[-1]"])
def test_index_of_refuses_other_fields(name):
    from pyodide_app.fields import index_of
    refuse(lambda: index_of(name), name)
