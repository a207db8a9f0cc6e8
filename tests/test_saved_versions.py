"""Links, exported files and stored states written by the page before format version 2 still
load, as sigmoid networks with mean squared error. The samples in tests/fixtures/ were made by
the page of that time (see the README there)."""

from __future__ import annotations

import json

import pytest

import oracle
from pyodide_app.state import StateError, from_fragment, parse, serialise, to_data, to_fragment
from pyodide_app.trace import trace

FILES = sorted(oracle.FIXTURES.glob("v1-*.json"))
LINKS = sorted(oracle.FIXTURES.glob("v1-*-link.txt"))
PAGE_SIZES = [3, 4, 3, 2, 2]


def v1(path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1 and set(data) == {"version", "inputs", "targets", "learning_rate", "weights",
                                                   "biases", "epoch", "settings"}
    return data


def test_the_samples_are_there():
    assert len(FILES) == 5 and len(LINKS) == 3
    assert {p.name for p in FILES} >= {"v1-seed-export.json", "v1-edited-stored.json", "v1-trained-export.json",
                                       "v1-trained-stored.json", "v1-mazur-2-2-2-export.json"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_file_of_version_1_loads_as_sigmoid_and_mean_squared_error(path):
    data = v1(path)
    state = parse(path.read_text(encoding="utf-8"))
    assert (state.inputs, state.targets, state.learning_rate) == (data["inputs"], data["targets"],
                                                                  data["learning_rate"])
    assert (state.network.weights, state.network.biases) == (data["weights"], data["biases"])
    assert (state.epoch, state.settings) == (data["epoch"], data["settings"])
    assert state.network.activations == ["sigmoid"] * len(data["biases"]) and state.network.loss == "mse"
    assert (state.preset, state.random_seed, state.worksheet_seed) == (None, 0, 1)
    # saved again, it is the newest version with the same values, and reads back the same
    again = to_data(state)
    assert again["version"] == 4 and again["sizes"] == state.network.sizes
    assert {key: again[key] for key in data if key != "version"} == {k: v for k, v in data.items() if k != "version"}
    assert parse(serialise(state)) == state
    if "mazur" not in path.name:  # what the page made, it still takes with its own sizes
        assert parse(path.read_text(encoding="utf-8"), PAGE_SIZES) == state


@pytest.mark.parametrize("link", LINKS, ids=lambda p: p.name)
def test_a_link_of_version_1_loads_as_its_exported_file(link):
    fragment = link.read_text(encoding="utf-8").strip()
    assert fragment.startswith("#state=")
    exported = oracle.FIXTURES / link.name.replace("-link.txt", "-export.json")
    assert from_fragment(fragment) == parse(exported.read_text(encoding="utf-8"))


def test_storage_and_export_of_one_state_agree():
    stored = (oracle.FIXTURES / "v1-trained-stored.json").read_text(encoding="utf-8")
    exported = (oracle.FIXTURES / "v1-trained-export.json").read_text(encoding="utf-8")
    assert parse(stored) == parse(exported)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_number_of_a_version_1_state_matches_the_oracle(path):
    data = v1(path)
    t = trace(parse(path.read_text(encoding="utf-8")))
    oracle.assert_trace_matches(t, oracle.Net.from_lists(data["weights"], data["biases"]), data["inputs"],
                                data["targets"], data["learning_rate"])
    assert t["epoch"] == data["epoch"]


def test_the_worksheet_seed_is_optional_and_written_only_once_it_is_not_the_default():
    seed = oracle.seed_data()
    assert "worksheet_seed" not in seed
    state = parse(json.dumps(seed))
    assert state.worksheet_seed == 1 and "worksheet_seed" not in to_data(state)
    state.worksheet_seed = 4711
    assert to_data(state)["worksheet_seed"] == 4711
    assert parse(serialise(state)).worksheet_seed == 4711
    assert from_fragment(to_fragment(state)) == state
    assert parse(json.dumps({**seed, "worksheet_seed": 0})).worksheet_seed == 0


def test_version_1_knows_no_worksheet_seed():
    data = v1(FILES[0]) | {"worksheet_seed": 5}
    with pytest.raises(StateError) as error:
        parse(json.dumps(data))
    assert error.value.field == "worksheet_seed" and "version 1" in str(error.value)
