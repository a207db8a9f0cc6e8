"""The Runs table in CPython: when a row is added and when not, what it holds (the losses against
tests/oracle.py and tests/batch_oracle.py, never against our own numbers), the CSV read back
with the csv module, and stored runs read back, however they were damaged."""

from __future__ import annotations

import csv
import io
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import batch_oracle
import oracle
from pyodide_app.data import settings as data_settings
from pyodide_app.features import runs
from pyodide_app.session import Session
from pyodide_app.view import runs as runs_view


def live(stored: str | None = None) -> tuple[Session, dict]:
    """A session started as the page starts it: the network, then the stored runs once live."""
    session = Session()
    session.start("", None)
    return session, session.handle("runsStored", stored)


def rows(session: Session) -> list[dict]:
    return runs_view_rows(session.handle("runsExport"))


def runs_view_rows(reply: dict) -> list[dict]:
    """The exported CSV, read back as the csv module reads it."""
    if "download" not in reply:
        return []
    assert reply["download"]["name"].endswith(".csv") and reply["download"]["type"] == "text/csv"
    return list(csv.DictReader(io.StringIO(reply["download"]["text"], newline="")))


def on_spiral(session: Session, sizes: str = "2-5-1") -> None:
    session.handle("dataset", "spiral")
    session.handle("sizes", sizes)


def steps(session: Session, count: int) -> None:
    for _ in range(count):
        session.handle("step")


def oracle_losses(state) -> dict:
    """The training and test losses and accuracies (%) of `state`'s network on its data, by the oracle."""
    net = state.network
    made = data_settings.samples_of(state.data, net.activations[-1])
    d = data_settings.dataset_of(state.data)
    X, T = np.array(made.inputs), np.array(made.targets)
    model = batch_oracle.Net.from_lists(net.weights, net.biases, net.activations, net.loss)
    train, test = d.training_indices, d.test_indices
    return {"Training loss": batch_oracle.batch_loss(model, X[train], T[train]),
            "Test loss": batch_oracle.batch_loss(model, X[test], T[test]),
            "Training accuracy (%)": 100 * batch_oracle.accuracy(model, X[train], T[train]),
            "Test accuracy (%)": 100 * batch_oracle.accuracy(model, X[test], T[test])}


# ---- when a row is added ---------------------------------------------------------------------

def test_reset_without_training_adds_no_row_and_nothing_is_stored():
    session, reply = live()
    assert reply["runs"]["rows"] == [] and "store" not in reply["runs"]
    for _ in range(2):
        assert "runs" not in session.handle("reset")
    assert rows(session) == []
    assert "no runs" in session.handle("runsExport")["runs"]["message"]


def test_a_one_sample_run_holds_the_oracles_loss_after_its_steps():
    session, _ = live()
    seed = oracle.seed_data()
    steps(session, 7)
    reply = session.handle("reset")
    assert reply["runs"]["message"] == "Run 1 added to the Runs table."
    [row] = rows(session)
    trained = oracle.train(oracle.seed_net(), seed["inputs"], seed["targets"], seed["learning_rate"], 7)
    assert row["Data"] == "One sample" and row["Epochs"] == "7" and row["Layer sizes"] == "3-4-3-2-2"
    oracle.assert_close(float(row["Training loss"]), oracle.loss_at(trained, seed["inputs"], seed["targets"]))
    assert row["Test loss"] == row["Batch size"] == row["Training accuracy (%)"] == ""
    assert float(row["Learning rate"]) == seed["learning_rate"]
    assert "runs" not in session.handle("reset")  # back at the start: nothing trained since


def test_a_row_is_the_network_as_it_was_when_left_even_while_training():
    session, _ = live()
    on_spiral(session)
    session.handle("train")
    for _ in range(5):
        session.tick()
    left = session.state.copy()
    assert left.epoch > 0 or left.data["position"] > 0
    session.handle("reset")  # during training: the training stops, the row is the state it stopped at
    [row] = rows(session)
    batches = data_settings.batch_count(left.data)
    assert float(row["Epochs"]) == left.epoch + left.data["position"] / batches
    for column, expected in oracle_losses(left).items():
        oracle.assert_close(float(row[column]), expected, what=column)


@pytest.mark.parametrize("message", [("sizes", "2-3-1"), ("activation", 0, "tanh"), ("randomise",), ("reset",),
                                     ("preset", "mazur"), ("dataset", "circle"), ("dataset", ""),
                                     ("dataInputs", ["x1", "x2", "x1_squared"]), ("dataSetting", "noise", "10"),
                                     ("dataSetting", "points", "200"), ("dataSetting", "batch_size", "25")])
def test_each_change_of_network_or_data_after_training_adds_the_row_of_the_network_left(message):
    session, _ = live()
    on_spiral(session)
    steps(session, 30)
    left = session.state.copy()
    reply = session.handle(*message)
    assert not any({**reply.get("fieldErrors", {}), **reply.get("dataPanel", {}).get("errors", {})}.values())
    [row] = rows(session)
    assert row["Data"] == "Spiral: 500 points, noise 0\u00a0%, test 50\u00a0%, seed 1; inputs x₁, x₂"
    assert (row["Layer sizes"], row["Batch size"], row["Epochs"]) == ("2-5-1", "10", str(30 / 25))
    for column, expected in oracle_losses(left).items():
        oracle.assert_close(float(row[column]), expected, what=column)


@pytest.mark.parametrize("message", [("shown", "7"), ("shownStep", 1), ("field", "learning_rate", "0.5"),
                                     ("field", "weights[0][0][0]", "0.25"), ("speed", "fast"), ("step",)])
def test_what_keeps_the_network_and_its_data_adds_no_row(message):
    session, _ = live()
    on_spiral(session)
    steps(session, 3)
    session.handle(*message)
    assert rows(session) == []


def test_nothing_is_added_before_the_stored_runs_have_come():
    session = Session()
    session.start("", None)
    steps(session, 3)
    session.handle("reset")  # the page is not live yet: a row now would overwrite what is stored
    assert session.handle("runsStored", None)["runs"]["rows"] == []


def test_the_csv_has_a_row_for_each_run_in_order_under_the_columns_headings():
    session, _ = live()
    steps(session, 2)
    session.handle("reset")
    on_spiral(session, "2-4-1")
    steps(session, 50)
    left = session.state.copy()
    session.handle("activation", 0, "relu")
    text = session.handle("runsExport")["download"]["text"]
    lines = list(csv.reader(io.StringIO(text, newline="")))
    assert lines[0] == list(runs_view.COLUMNS.values()) and len(lines) == 3
    first, second = rows(session)
    assert (first["Data"], first["Epochs"], second["Epochs"]) == ("One sample", "2", "2")
    assert (second["Activations"], second["Loss function"]) == ("Sigmoid ×2", "Mean squared error")
    for column, expected in oracle_losses(left).items():
        oracle.assert_close(float(second[column]), expected, what=column)


def test_clear_runs_empties_the_table_and_storage():
    session, _ = live()
    steps(session, 1)
    session.handle("reset")
    reply = session.handle("runsClear")["runs"]
    assert reply["rows"] == [] and json.loads(reply["store"]) == {"version": 1, "runs": []}
    assert rows(session) == []


def test_the_oldest_runs_go_once_there_are_too_many(monkeypatch):
    monkeypatch.setattr(runs, "MOST", 3)
    session, _ = live()
    for k in range(runs.MOST + 2):
        session.handle("step")
        session.handle("reset")
    assert [row["Epochs"] for row in rows(session)] == ["1"] * runs.MOST


# ---- stored runs, read back ------------------------------------------------------------------

def stored_after_two_runs() -> str:
    session, _ = live()
    for count in (1, 2):
        steps(session, count)
        reply = session.handle("reset")
    return reply["runs"]["store"]


def test_stored_runs_come_back_as_they_were():
    text = stored_after_two_runs()
    session, reply = live(text)
    assert [row[0] for row in reply["runs"]["rows"]] == ["1", "2"] and "message" not in reply["runs"]
    assert [row["Epochs"] for row in rows(session)] == ["1", "2"]
    assert session.handle("runsExport")["runs"]["message"] == "Exported neural-network-runs.csv: 2 runs."
    steps(session, 3)
    assert json.loads(session.handle("reset")["runs"]["store"])["runs"][2]["epochs"] == 3


@pytest.mark.parametrize("text, why", [("{not json", "they are not JSON"), ('{"version": 2, "runs": []}', "version 1"),
                                       ("[]", "version 1"), ("[" * 100_000, "nested too deeply"),
                                       (" " * (runs.MAX_STORED + 1), "characters")])
def test_unreadable_stored_runs_are_said_so_and_left_in_storage(text, why):
    session, reply = live(text)
    assert reply["runs"]["error"] and why in reply["runs"]["message"] and "store" not in reply["runs"]
    assert reply["runs"]["rows"] == [] and session.state == Session().state  # the network is untouched


def test_runs_that_cannot_be_read_are_left_out_and_counted():
    saved = json.loads(stored_after_two_runs())
    good = saved["runs"][1]
    saved["runs"] = [{**good, "epochs": -1}, {**good, "training_loss": "0.1"}, {**good, "extra": 1}, good,
                     {**good, "data": True}, "a row", {**good, "test_loss": math.inf}]
    session, reply = live(json.dumps(saved))
    assert reply["runs"]["message"] == "5 saved runs could not be read and are left out."
    assert len(reply["runs"]["rows"]) == 2 and reply["runs"]["error"]
    kept, problem = runs.read(json.dumps({"version": 1, "runs": [good, None]}))
    assert kept == [good] and problem == "1 saved run could not be read and is left out."


ANY_JSON = st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=8),
                        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                     max_size=4))
A_RUN = json.loads(stored_after_two_runs())["runs"][0]


@settings(max_examples=200, deadline=None)
@given(ANY_JSON, st.sampled_from(list(runs_view.COLUMNS)))
def test_any_stored_json_is_read_or_refused_in_words(value, key):
    for text in (json.dumps(value), json.dumps({"version": 1, "runs": [value, {**A_RUN, key: value}]})):
        kept, problem = runs.read(text)
        assert isinstance(kept, list) and (problem is None or problem.endswith("."))
        assert all(runs.readable(row) for row in kept)
        runs_view.table(kept), runs_view.csv_text(kept)  # whatever is kept can be shown and exported


def test_a_runs_activations_count_a_layer_repeated():
    assert runs.activations(["relu", "relu", "tanh", "relu", "sigmoid"]) == "ReLU ×2, Tanh, ReLU, Sigmoid"
