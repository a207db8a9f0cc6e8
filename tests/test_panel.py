"""The Network panel's messages in CPython: refusals keep the network, accepted changes
re-draw the page's structure from the build's templates, any architecture opens."""

from __future__ import annotations

import json

import pytest

import oracle
from panel_oracle import expected_texts
from shown import wrong_texts
from pyodide_app import presets
from pyodide_app.state import from_preset
from pyodide_app.design import random_parameters
from pyodide_app.fields import field_names
from pyodide_app.session import Session
from pyodide_app.state import load_seed, parse, serialise, to_data, to_fragment
from pyodide_app.view import render
from pyodide_app.worker import Worker

BAD_SIZES = ["0-2", "3-9-2", "3--2", "abc", "-".join(["2"] * 20), "7" * 10_000, ""]


def started(starting: str | None = None) -> Session:
    session = Session()
    session.start("", None, starting)
    return session


@pytest.mark.parametrize("text", BAD_SIZES)
def test_bad_layer_sizes_are_refused_next_to_the_field_and_the_network_stays(text):
    session = started()
    before = serialise(session.state)
    reply = session.handle("sizes", text)
    assert set(reply) == {"fieldErrors"}
    assert reply["fieldErrors"]["sizes"].startswith(("Layer sizes ", "Input Layer ", "Hidden Layer ", "Output Layer "))
    assert serialise(session.state) == before


def test_new_sizes_keep_every_weight_that_still_exists_and_redraw_every_part():
    session = started()
    session.on_visible([], editor_open=True)  # the editor is drawn: its fields are re-drawn too
    old = session.state.network
    reply = session.handle("sizes", "3, 4, 2")
    net = session.state.network
    assert net.sizes == [3, 4, 2]
    assert net.weights[0] == old.weights[0] and net.biases[0] == old.biases[0]
    assert set(reply["structure"]) == set(render.PARTS)
    assert set(reply["batch"]["fields"]) == set(field_names([3, 4, 2]))
    page = render.render_page(render.context(session.state, csp="", scripts=[], editor=True))
    assert all(html in page for html in reply["structure"].values())  # the build's own HTML
    assert "Hidden Layer 2" not in reply["structure"]["formulas"]
    assert reply["design"] == {"sizes": "3-4-2", "random_seed": "0"}
    assert session.handle("sizes", "3-4-2") == {"fieldErrors": {"sizes": ""}}  # the same network: nothing to do


def test_values_alone_send_no_html():
    session = started()
    reply = session.handle("field", "inputs[0]", "0.25")
    assert "structure" not in reply and reply["batch"]["text"]


@pytest.mark.parametrize("key", presets.PRESETS)
def test_every_preset_shows_the_oracles_numbers(key):
    session = started()
    session.handle("preset", key)
    data = to_data(session.state)
    expected = expected_texts(data)
    shown = session.writer.shown.text  # what the batches sent so far have written
    assert wrong_texts({key: [text] for key, text in shown.items()}, expected) == ([], [], {})


def test_mazur_numbers():
    session = started()
    session.handle("preset", "mazur")
    session.on_visible([], editor_open=True)
    assert session.handle("step")["batch"]["fields"]["weights[1][0][0]"].startswith("0.3589164")
    net = oracle.Net.from_data(to_data(from_preset("mazur")))
    assert oracle.close(oracle.full_pass(net, [0.05, 0.10], [0.01, 0.99]).loss, 0.298371109, abs_tol=1e-9)


def test_softmax_on_one_output_and_cross_entropy_on_tanh_are_refused():
    session = started()
    session.handle("sizes", "2-2-1")
    reply = session.handle("activation", 1, "softmax")
    assert reply["fieldErrors"]["activations[1]"].startswith("Softmax needs two output neurons or more")
    assert session.state.network.activations == ["sigmoid", "sigmoid"]
    session.handle("activation", 1, "tanh")
    reply = session.handle("loss", "cross_entropy")
    assert "between 0 and 1" in reply["fieldErrors"]["loss"]
    assert session.state.network.loss == "mse"


def test_softmax_targets_stay_probabilities_when_one_is_typed():
    session = started()
    session.handle("preset", "softmax")
    session.handle("field", "targets[0]", "0.4")
    targets = session.state.targets
    assert targets[0] == 0.4 and abs(sum(targets) - 1) < 1e-12 and min(targets) >= 0
    reply = session.handle("field", "targets[1]", "1.5")
    assert "between 0 and 1" in reply["fieldErrors"]["targets[1]"]


def test_tanh_targets_and_sliders_follow_the_output_range():
    session = started()
    session.handle("activation", 3, "tanh")
    reply = session.handle("field", "targets[0]", "-0.5")
    assert session.state.targets[0] == -0.5 and reply["ranges"]["targets[0]"] == "-0.5"
    assert 'min="-1.0"' in render.render_parts(render.context(session.state))["target-fields"]


def test_randomise_draws_from_the_seed_shown_and_the_link_keeps_it():
    session = started()
    assert session.handle("seed", "x")["fieldErrors"]["random_seed"].startswith("Random seed ")
    session.handle("seed", "7")
    session.handle("randomise")
    state = session.state
    assert (state.network.weights, state.network.biases) == random_parameters(state.network.sizes,
                                                                              state.network.activations, 7)
    assert parse(serialise(state)).random_seed == 7 and to_fragment(state) == session.handle("copyLink")["link"]


def test_a_lesson_page_starts_and_resets_to_its_own_network():
    lesson = from_preset("softmax")
    session = started(serialise(lesson))
    assert serialise(session.state) == serialise(lesson)
    session.handle("sizes", "2-2")
    reply = session.handle("reset")
    assert serialise(session.state) == serialise(lesson) and "structure" in reply


def test_any_architecture_opens_from_a_link_storage_or_a_file():
    mazur = from_preset("mazur")
    assert Session().start("#" + to_fragment(mazur), None)["forgetLink"]
    session = Session()
    session.start("", serialise(mazur))
    assert session.state.network.sizes == [2, 2, 2]
    assert started().handle("import", "m.json", serialise(mazur))["notice"]["text"] == "Loaded m.json."


def test_an_unreadable_stored_state_is_reported_and_left_in_storage():
    reply = Session().start("", '{"version": 2, "sizes": "nonsense"}')
    assert reply["notice"]["error"] and "stays in storage" in reply["notice"]["text"]
    assert "save" not in reply


def test_the_worker_answers_panel_messages_as_json():
    worker = Worker()
    worker.handle(json.dumps({"kind": "start", "fragment": "", "stored": None}))
    reply = json.loads(worker.handle(json.dumps({"kind": "sizes", "text": "2-2"})))
    assert list(reply)[0] == "structure" and parse(reply["save"]).network.sizes == [2, 2]
    assert load_seed().network.sizes == [3, 4, 3, 2, 2]
