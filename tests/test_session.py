"""The live page's logic without a browser: the session, training slices, where the opening
network comes from, the batches, and the message protocol that joins them to the page."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import numpy as np
import pytest

import oracle
from shown import is_written
from replies import saved
from pyodide_app import protocol, training
from pyodide_app.fields import field_names, get_field
from pyodide_app.session import Session
from pyodide_app.state import LIMITS, load_seed, parse, serialise, to_fragment
from pyodide_app.view.changes import Shown, changed
from pyodide_app.notation.numbers import number
from pyodide_app.worker import Worker

STATIC = Path(__file__).resolve().parent.parent / "site_src" / "static"


def test_the_weight_editor_is_drawn_when_first_opened_with_the_values_of_that_moment():
    session = started()
    session.handle("field", "weights[1][0][2]", "1.25")
    reply = session.on_visible([], editor_open=True)
    fields = re.findall(r'<input id="field-([wb]-[0-9-]+)" value="([^"]*)" data-field="([^"]+)"',
                        reply["structure"]["parameter-fields"])
    net = session.state.network
    assert len(fields) == sum(len(row) + 1 for layer in net.weights for row in layer)
    for key, value, field in fields:
        assert float(value.replace("−", "-")) == get_field(session.state, field), field
    assert ("w-2-0-2", "1.25", "weights[1][0][2]") in fields
    assert session.on_visible([], editor_open=True) == {}  # drawn once; then its fields follow as batches
    assert session.handle("field", "biases[0][1]", "0.5")["batch"]["fields"] == {"biases[0][1]": "0.5"}


def test_a_closed_editor_gets_no_fields_and_its_errors_wait_for_it():
    session = started()
    reply = session.handle("field", "inputs[0]", "0.25")
    assert reply["batch"]["fields"] == {"inputs[0]": "0.25"}
    assert session.handle("step")["batch"]["fields"] == {}  # a step changes weights only: none drawn
    assert all(not name.startswith(("weights", "biases")) for name in session.handle("reset")["fieldErrors"])


def started() -> Session:
    session = Session()
    session.start("", None)
    return session


def test_start_opens_the_seed_and_sends_every_value_and_field():
    session = Session()
    reply = session.start("", None)
    batch = reply["batch"]
    assert batch["force"] is True
    seed = load_seed()
    # the weight editor is drawn when first opened: until then the page has no fields for it
    assert set(batch["fields"]) == {f"inputs[{i}]" for i in range(3)} | {"targets[0]", "targets[1]", "learning_rate"}
    assert set(batch["fields"]) | {f"weights[{l}][{j}][{i}]" for l, layer in enumerate(seed.network.weights)
                                   for j, row in enumerate(layer) for i in range(len(row))} | \
        {f"biases[{l}][{j}]" for l, layer in enumerate(seed.network.biases) for j in range(len(layer))} \
        == set(field_names(seed.network.sizes))
    expected = oracle.full_pass(oracle.Net.from_lists(load_seed().network.weights, load_seed().network.biases),
                                load_seed().inputs, load_seed().targets)
    assert batch["text"]["loss"] == number(expected.loss, "precise")
    assert "save" not in reply  # opening the seed changes nothing worth saving
    assert reply["speed"] == "normal"


def test_a_link_wins_over_storage_and_is_saved_then_forgotten():
    seed = load_seed()
    edited = seed.copy()
    edited.inputs[0] = 0.9
    stored = seed.copy()
    stored.inputs[0] = 0.1
    reply = Session().start("#" + to_fragment(edited), serialise(stored))
    assert parse(reply["save"]).inputs[0] == 0.9
    assert reply["forgetLink"] is True
    assert reply["notice"] == {"text": "Loaded the network from the link.", "error": False}


def test_a_bad_link_falls_back_to_storage_with_a_notice():
    stored = load_seed()
    stored.inputs[0] = 0.1
    session = Session()
    reply = session.start("#state=%%%", serialise(stored))
    assert session.state.inputs[0] == 0.1
    assert reply["notice"]["error"] and "could not be used" in reply["notice"]["text"]
    assert "save" not in reply and "forgetLink" not in reply


def test_unreadable_storage_opens_the_seed():
    session = Session()
    session.start("", "{not json")
    assert serialise(session.state) == serialise(load_seed())


@pytest.mark.parametrize("text", ["", "abc", "1e309", "NaN", "7" * 10_000])
def test_a_bad_number_is_refused_next_to_its_field_and_changes_nothing(text):
    session = started()
    before = serialise(session.state)
    reply = session.handle("field", "inputs[0]", text)
    assert set(reply) == {"fieldErrors"}
    assert reply["fieldErrors"]["inputs[0]"].startswith("Input 1 ")
    assert serialise(session.state) == before


def test_a_good_number_changes_the_numbers_saves_and_moves_its_slider():
    session = started()
    reply = session.handle("field", "inputs[0]", "0,9")
    assert reply["fieldErrors"] == {"inputs[0]": ""}
    assert reply["ranges"] == {"inputs[0]": "0.9"}
    assert parse(saved(session, reply)).inputs[0] == 0.9
    net = oracle.Net.from_lists(load_seed().network.weights, load_seed().network.biases)
    expected = oracle.full_pass(net, [0.9] + load_seed().inputs[1:], load_seed().targets)
    assert reply["batch"]["text"]["loss"] == number(expected.loss, "precise")
    # only what changed: the targets' texts did not
    assert "t-0" not in reply["batch"]["text"]


def test_unknown_fields_and_speeds_are_ignored():
    session = started()
    assert session.handle("field", "weights[9][9][9]", "1") == {}
    assert session.handle("speed", "warp") == {}


def test_step_applies_the_oracle_update_and_shows_the_step_taken():
    session = started()
    seed = load_seed()
    reply = session.handle("step")
    expected = oracle.step(oracle.Net.from_lists(seed.network.weights, seed.network.biases),
                           seed.inputs, seed.targets, seed.learning_rate)
    for l, w in enumerate(expected.weights):
        np.testing.assert_allclose(session.state.network.weights[l], w, rtol=1e-12)
    assert reply["batch"]["text"]["epoch"] == "1"
    assert session.shown_step is not None


def test_training_sends_a_frame_only_once_the_page_drew_the_last_one():
    session = started()
    assert session.handle("train")["trainButton"] == "Pause"
    first = session.tick()
    assert "batch" in first and session.state.epoch > 0
    epoch = session.state.epoch
    assert "batch" not in session.tick()  # not drawn yet: train on, send nothing
    assert session.state.epoch > epoch
    session.handle("drawn")
    assert "batch" in session.tick()
    paused = session.handle("train")
    assert paused["trainButton"] == "Train" and "save" in paused
    assert paused["training"]["text"] == f"Paused at epoch {session.state.epoch:,}."
    assert session.tick() == {}


def test_pause_before_the_page_drew_puts_the_last_epoch_on_the_curve():
    session = started()
    session.handle("train")
    session.tick()
    session.tick()  # the page has not drawn the first frame: this slice sends nothing
    text = session.handle("train")["batch"]["text"]
    assert text["curve-x_max"] == f"{session.state.epoch:,}"
    assert text["epoch"] == f"{session.state.epoch:,}"


def test_while_training_only_the_parts_on_screen_are_sent():
    session = started()
    session.on_visible(["loss"], editor_open=False)
    session.handle("train")
    text = session.tick()["batch"]["text"]
    assert "loss" in text and not any(key.startswith(("gw-", "d-")) for key in text)
    session.handle("drawn")
    assert not session.tick()["batch"]["fields"]  # the editor is closed
    revealed = session.handle("reveal")["batch"]["text"]
    assert any(key.startswith("gw-") for key in revealed)


def test_slow_training_takes_one_step_per_interval():
    session = started()
    session.handle("speed", "slow")
    session.handle("train")
    session.tick()
    assert session.state.epoch == 1
    assert 0 < session.next_tick() <= 0.4


def test_a_diverging_run_stops_and_keeps_the_last_good_network(monkeypatch):
    def diverge(net, inputs, targets, rate, steps):
        net.weights[0][0][0] = 2e9  # past the ±1e9 a state may hold

    monkeypatch.setattr(training.network, "train", diverge)
    state = load_seed()
    result = training.run(state, 0.001, training.StepTimer())
    assert result.state is None and result.stop and result.warning and result.message == training.DIVERGED
    assert state.network.weights[0][0][0] == load_seed().network.weights[0][0][0]  # untouched


def test_a_run_stops_at_the_last_epoch_the_page_counts():
    state = load_seed()
    state.epoch = int(LIMITS["epoch"].high) - 5
    result = training.run(state, 0.01, training.StepTimer())
    assert result.stop and result.state.epoch == int(LIMITS["epoch"].high)
    assert result.message == training.last_epoch_message(result.state.epoch)


def test_saturated_sigmoids_are_reported_as_stalled():
    session = started()
    session.handle("field", "inputs[0]", "1000000")
    for l, layer in enumerate(session.state.network.weights):
        for row in layer:
            row[:] = [1e6] * len(row)
    from pyodide_app.trace import trace
    assert training.stalled(trace(session.state))
    assert not training.stalled(trace(load_seed()))


def test_nudging_a_line_changes_its_weight_and_says_it():
    session = started()
    before = session.state.network.weights[1][1][0]
    reply = session.handle("nudge", "edge-2-1-0", 0.1)
    assert session.state.network.weights[1][1][0] == pytest.approx(before + 0.1)
    assert "readout" in reply and "H1-1" in reply["readout"]


def test_export_and_import_round_trip():
    session = started()
    session.handle("field", "weights[0][0][0]", "0.123")
    exported = session.handle("export")["download"]
    other = started()
    reply = other.handle("import", exported["name"], exported["text"])
    assert serialise(other.state) == serialise(session.state)
    assert reply["notice"]["text"] == f"Loaded {exported['name']}."
    refused = other.handle("import", "x.json", '{"version": 99}')
    assert refused["notice"]["error"] and "Nothing was changed" in refused["notice"]["text"]


def test_the_changes_are_only_what_differs():
    shown = {"a": "1"}
    assert changed(shown, {"a": "1", "b": "2"}) == {"b": "2"}
    assert shown == {"a": "1", "b": "2"}
    batches = Shown()
    first = batches.batch({"x": "1"}, {"e": {"k": "v"}}, {"f": "0.5"}, {"f": "0.5"})
    assert first["ranges"] == {"f": "0.5"}
    again = batches.batch({"x": "1"}, {"e": {"k": "v"}}, {"f": "0.5"}, {"f": "0.5"})
    assert again == {"text": {}, "attrs": {}, "fields": {}, "ranges": {}, "force": False}
    forced = batches.batch({"x": "1"}, {}, {"f": "0.5"}, {"f": "0.5"}, force=True)
    assert forced["fields"] == {"f": "0.5"}


# ---- the worker's entry and the protocol ----------------------------------------------------

def test_the_worker_answers_json_and_survives_a_bad_message():
    worker = Worker()
    reply = json.loads(worker.handle(json.dumps({"kind": "start", "fragment": "", "stored": None})))
    assert "batch" in reply
    broken = json.loads(worker.handle(json.dumps({"kind": "nudge", "edge": "edge-x", "amount": 1})))
    assert broken["notice"]["error"] and broken["warning"].startswith("ValueError")
    unknown = json.loads(worker.handle(json.dumps({"kind": "no such thing"})))
    assert unknown["notice"]["error"]


def test_warming_up_in_idle_time_changes_nothing_and_ends():
    def edited(worker):
        worker.handle(json.dumps({"kind": "start", "fragment": "", "stored": None}))
        worker.handle(json.dumps({"kind": "sizes", "text": "3-5-2"}))
        return worker

    warmed, cold = edited(Worker()), edited(Worker())
    rounds = 0
    while warmed.warm():
        rounds += 1
    assert 0 < rounds < 100 and not warmed.warm()
    edit = json.dumps({"kind": "field", "field": "weights[0][1][2]", "text": "0.75"})
    answer = warmed.handle(edit)
    assert answer == cold.handle(edit) and "notice" not in json.loads(answer) and "0.75" in answer
    assert warmed.rest() == cold.rest()


def test_every_message_the_page_sends_is_in_the_protocol_and_every_reply_is_applied():
    events = (STATIC / "events.js").read_text(encoding="utf-8")
    scripts = "".join(path.read_text(encoding="utf-8") for path in STATIC.glob("*.js"))
    sent = set(re.findall(r'send\("(\w+)"', scripts))
    assert sent == set(protocol.MESSAGES), "the page's scripts and protocol.py disagree on the messages"
    applied = set(re.findall(r"^    (\w+): ", events[events.index("var apply = {"):], re.M))
    applied |= set(re.findall(r'onReply\("(\w+)"', scripts))
    assert set(protocol.REPLY_KEYS) <= applied, set(protocol.REPLY_KEYS) - applied
    session = Session()
    declared = [kind for feature in session.features for kind in feature.messages] + ["start", "visible"]
    assert sorted(declared) == sorted(protocol.MESSAGES), "each kind is handled once: by a feature or the session"
    for kind, fields in protocol.MESSAGES.items():  # each handler takes the message's fields
        inspect.signature(session.handlers[kind][0]).bind(*fields)


def test_field_values_follow_the_field_names():
    session = started()
    session.handle("sizes", "2-3-1")
    from pyodide_app.fields import field_values, get_field
    assert list(session.writer.fields) == list(field_names(session.state.network.sizes))
    assert field_values(session.state) == [get_field(session.state, name) for name in session.writer.fields]


def test_an_edit_answers_with_the_parts_on_screen_and_the_rest_follows():
    session = started()
    session.on_visible(["loss"], editor_open=False)
    answer = worker_reply(session, "inputs[0]", "0.7")
    text = answer["batch"]["text"]
    assert answer["later"] and "loss" in text and not any(key.startswith(("gw-", "d-")) for key in text)
    rest = session.on_rest()["batch"]["text"]
    assert any(key.startswith("gw-") for key in rest) and any(key.startswith("d-") for key in rest)
    assert not set(rest) & set(text)  # nothing is sent twice
    assert session.on_rest() == {}  # the rest is sent once


def test_after_the_rest_the_page_shows_the_same_whatever_was_on_screen():
    whole = started()  # everything on screen
    whole.handle("field", "inputs[1]", "0.05")
    whole.on_rest()  # the diagram's names
    parted = started()
    parted.on_visible([], editor_open=False)
    worker_reply(parted, "inputs[1]", "0.05")
    parted.on_rest()
    assert parted.writer.shown.text == whole.writer.shown.text
    assert parted.writer.shown.attrs == whole.writer.shown.attrs


def test_of_a_part_on_screen_the_answer_holds_the_layer_blocks_on_screen():
    session = started()
    session.on_visible(["forward", "forward-2", "backprop", "backprop-3"], editor_open=False)
    answer = worker_reply(session, "inputs[0]", "0.7")["batch"]["text"]
    # numbers are keyed by the card they are in (view/cards.py): f2-0 is H2-1's forward card, f a neuron's own
    assert {"z-2-0@f", "s-2-2@f", "(a-1-1@f2-0", "d-3-0@b", "e-3-1@b", "(d-4-1@b3-0"} <= set(answer)
    later = {"z-1-0@f", "z-3-0@f", "d-2-0@b", "d-4-0@b"}
    assert not later & set(answer)  # those wait for the rest
    rest = session.on_rest()["batch"]["text"]
    assert later <= set(rest) and not set(rest) & set(answer)
    whole = started()
    whole.handle("field", "inputs[0]", "0.7")
    whole.on_rest()
    assert session.writer.shown.text == whole.writer.shown.text


def test_an_answer_computes_the_backward_pass_only_when_it_shows_its_numbers():
    session = started()
    session.on_visible(["forward", "loss"], editor_open=False)
    answer = worker_reply(session, "inputs[0]", "0.7")["batch"]["text"]
    assert "z-1-0@f" in answer and not session.writer.last_trace["gradients"]  # δs and updates wait for the rest
    session.on_rest()
    assert session.writer.last_trace["gradients"]
    session.on_visible(["backprop"], editor_open=False)
    answer = worker_reply(session, "inputs[0]", "0.6")["batch"]["text"]
    net = oracle.Net.from_lists(session.state.network.weights, session.state.network.biases)
    expected = oracle.full_pass(net, session.state.inputs, session.state.targets)
    assert is_written(answer["d-1-0@b"], expected.deltas[1][0], "precise")
    session.on_rest()
    session.on_visible([], editor_open=False)  # a line selected: its chain rule follows every edit
    session.handle("select", "edge-4-0-0")
    chain = worker_reply(session, "inputs[0]", "0.5")["chain"]
    assert session.writer.last_trace["gradients"] and chain


def worker_reply(session, field, text):
    from pyodide_app.worker import Worker
    worker = Worker.__new__(Worker)
    worker.session = session
    return json.loads(worker.handle(json.dumps({"kind": "field", "field": field, "text": text})))
