"""Compare in CPython: the second network takes the first's batches in the same order (their
indices compared as they are trained, and its weights against the numpy batch oracle trained on
them); it survives the link, storage, Export/Import and the command line's --state; states
of older versions still load, and a bad second network is refused naming its field; Swap,
Equal size, Reset and the lessons do what they say."""

from __future__ import annotations

import json

import numpy as np
import pytest

import batch_oracle
from pyodide_app import batch, second, training
from pyodide_app.data import settings
from pyodide_app.equal_size import parameter_count
from pyodide_app.lessons import LESSONS
from pyodide_app.limits import StateError
from pyodide_app.session import Session
from pyodide_app.state import from_data, from_fragment, load_seed, parse, serialise, to_data, to_fragment
from state_cases import seed_dict


def comparing(sizes: str = "2-8-8-1") -> Session:
    session = Session()
    session.start("", None)
    session.handle("dataset", "spiral")
    session.handle("sizes", sizes)
    reply = session.handle("compare")
    assert reply["compare"]["on"] is True and session.state.second is not None
    return session


def test_compare_proposes_another_depth_of_the_same_size_and_turns_off():
    session = comparing()
    other = session.state.second
    assert other["sizes"] == [2, 26, 1] and parameter_count(other["sizes"]) == parameter_count([2, 8, 8, 1]) == 105
    assert other["epoch"] == 0 and other["random_seed"] != session.state.random_seed
    assert session.handle("compare")["compare"]["on"] is False and session.state.second is None


def test_compare_without_data_says_what_it_needs():
    session = Session()
    session.start("", None)
    reply = session.handle("compare")
    assert "choose a dataset" in reply["compare"]["errors"]["compare"] and session.state.second is None


def test_both_networks_take_the_same_batches_in_the_same_order(monkeypatch):
    session = comparing("2-5-1")
    session.handle("dataSetting", "batch_size", "7")  # 250 training points: the last batch of an epoch is smaller
    session.handle("secondSizes", "2-3-3-1")
    start = session.state.copy()
    taken = []  # (which network, the batches) of every call, in order
    real = training.train_batches

    def recording(net, inputs, targets, batches, rate):
        taken.append(("first" if len(net.weights) == len(start.network.weights) else "second",
                      [list(b) for b in batches]))
        real(net, inputs, targets, batches, rate)
    monkeypatch.setattr(training, "train_batches", recording)
    for _ in range(5):
        session.handle("step")
    state = session.state
    result = training.run(state, 0.3, training.StepTimer())  # slices cross epochs
    assert result.state.epoch >= 1
    firsts = [b for who, b in taken if who == "first"]
    seconds = [b for who, b in taken if who == "second"]
    assert [who for who, _ in taken] == ["first", "second"] * len(firsts)
    assert firsts == seconds and sum(map(len, firsts)) > settings.batch_count(state.data)
    # the batches are the epochs' shuffles of the training points, from the data's seed
    made = settings.dataset_of(state.data)
    expected = [b for epoch in range(result.state.epoch + 1) for b in
                batch.batches_of([made.training_indices[k] for k in
                                  batch.epoch_order(len(made.training_indices), 1, epoch)], 7)]
    flat = [b for calls in firsts for b in calls]
    assert flat == expected[:len(flat)]
    assert result.state.second["epoch"] == result.state.epoch
    # the second's weights: the numpy oracle trained on those batches
    other = start.second
    samples = settings.samples_of(second.data_of(other, start.data), other["activations"][-1])
    net = batch_oracle.Net.from_lists(other["weights"], other["biases"], other["activations"], other["loss"])
    net = batch_oracle.train(net, samples.inputs, samples.targets, flat, start.learning_rate)
    for got, want in zip(result.state.second["weights"], net.weights):
        np.testing.assert_allclose(np.array(got), want, rtol=1e-9, atol=1e-12)


def test_the_second_network_survives_link_storage_files_and_the_command_line(tmp_path):
    session = comparing()
    session.handle("step")
    state = session.state
    text = serialise(state)
    assert json.loads(text)["version"] == 4 and "second" in json.loads(text)
    assert parse(text) == state and from_fragment(to_fragment(state)) == state
    opened = Session()
    opened.start("#" + to_fragment(state), None)
    assert opened.state == state  # the link
    stored = Session()
    stored.start("", text)
    assert stored.state == state  # local storage
    exported = session.handle("export")["download"]["text"]
    imported = Session()
    imported.start("", None)
    imported.handle("import", "net.json", exported)
    assert imported.state == state  # Export, Import
    path = tmp_path / "state.json"
    path.write_text(text, encoding="utf-8")
    from pyodide_app.__main__ import main
    assert main(["explain", "--state", str(path)]) == 0  # the command line reads it as the page does


def test_older_versions_still_load_and_a_bad_second_network_is_refused():
    assert from_data(to_data(load_seed())).second is None
    for version in (1, 2, 3):  # written before: no second network
        data = seed_dict() if version > 1 else None
        if data:
            assert from_data({**data, "version": version}).second is None
    state = comparing().state
    good = to_data(state)
    with pytest.raises(StateError, match="version 3"):
        from_data({**good, "version": 3})
    bad = {"second.sizes": {**good["second"], "sizes": [3, 26, 1]},
           "second.weights": {**good["second"], "weights": good["second"]["weights"][:1]},
           "second.colour": {**good["second"], "colour": 1},
           "second.epoch": {k: v for k, v in good["second"].items() if k != "epoch"},
           "second.learning_rate": {**good["second"], "learning_rate": -1}}
    for field, value in bad.items():
        with pytest.raises(StateError) as error:
            from_data({**good, "second": value})
        assert error.value.field.startswith(field), (field, error.value.field)
    with pytest.raises(StateError, match="dataset"):
        from_data({**good, "data": None})


def test_bad_layer_sizes_give_a_clear_message_and_change_nothing():
    session = comparing()
    before = session.state.copy()
    for text, words in (("2-x-1", "must be numbers"), ("3-8-1", "must keep 2 inputs and 1 outputs"),
                        ("2-65-1", "a hidden layer has 1 to 64")):
        message = session.handle("secondSizes", text)["compare"]["errors"]["sizes"]
        assert words in message and message.endswith("."), message
    assert session.state == before


def test_swap_exchanges_the_networks_and_twice_is_as_before():
    session = comparing("2-5-1")
    session.handle("secondSizes", "2-3-3-1")
    session.handle("secondActivation", 0, "relu")
    session.handle("step")
    before = session.state.copy()
    session.handle("swap")
    after = session.state
    assert after.network.sizes == [2, 3, 3, 1] and after.network.activations[0] == "relu"
    assert after.network.weights == before.second["weights"] and after.second["weights"] == before.network.weights
    assert after.second["sizes"] == [2, 5, 1] and after.epoch == before.second["epoch"]
    session.handle("swap")
    assert to_data(session.state) == to_data(before)


def test_swap_refuses_a_second_network_too_wide_for_the_formulas():
    session = comparing()  # 2-26-1
    message = session.handle("swap")["compare"]["errors"]["swap"]
    assert "at most 8 neurons" in message and session.state.second["sizes"] == [2, 26, 1]


def test_equal_size_and_reset():
    session = comparing("2-4-4-1")
    session.handle("secondSizes", "2-3-1")
    session.handle("equalSize")
    assert parameter_count(session.state.second["sizes"]) == parameter_count([2, 4, 4, 1])
    drawn = second.record(session.state.second["sizes"], session.state.second["activations"], "mse",
                          session.state.second["random_seed"])
    for _ in range(3):
        session.handle("step")
    assert session.state.second["weights"] != drawn["weights"]
    restarted = second.restarted(session.state.second, session.state)
    assert restarted["weights"] == drawn["weights"] and restarted["epoch"] == 0


def test_the_table_counts_epochs_and_finds_the_target_loss():
    session = comparing("2-5-1")
    reply = session.handle("targetLoss", "10")  # every loss is below it: reached at the first point
    table = reply["compare"]["table"]
    assert "<td>2-5-1</td>" in table and "<td>21</td>" in table and table.count("<td>0</td>") >= 2
    assert "not a number" in session.handle("targetLoss", "ten")["compare"]["errors"]["target"]


@pytest.mark.parametrize("key", LESSONS)
def test_each_lesson_sets_up_its_data_and_both_networks(key):
    lesson = LESSONS[key]
    session = Session()
    session.start("", None)
    reply = session.handle("lesson", key)
    state = session.state
    assert reply["lesson"]["instruction"] == lesson.instruction
    assert state.data["dataset"] == lesson.dataset and state.data["seed"] == lesson.data_seed
    assert state.network.sizes == list(lesson.first.sizes) and state.second["sizes"] == list(lesson.second.sizes)
    assert state.network.activations == list(lesson.first.activations)
    assert state.second["activations"] == list(lesson.second.activations)
    assert state.data["inputs"] == list(lesson.first.inputs)
    assert second.data_of(state.second, state.data)["inputs"] == list(lesson.second.inputs)
    assert second.learning_rate(state) == lesson.second.learning_rate and state.learning_rate == lesson.first.learning_rate
    assert parse(serialise(state)) == state


def test_the_chart_draws_four_lines_on_one_scale_and_the_table_one_row_a_network():
    from pyodide_app.view import compare as view
    histories = {"first": [(0, 0.5, 0.6), (10, 0.1, 0.2), (100, 0.01, 0.05)],
                 "second": [(0, 0.4, 0.5), (10, 0.3, 0.35)]}
    svg = view.chart(histories)
    for kind, count in (("first", 3), ("first test", 3), ("second", 2), ("second test", 2)):
        found = svg.split(f'<polyline class="curve {kind}" points="')[1].split('"')[0].split()
        assert len(found) == count, kind
    # the last first-network point is at the right end, the second's 10 epochs half-way on log(1 + e)
    first_x = float(svg.split('<polyline class="curve first" points="')[1].split('"')[0].split()[-1].split(",")[0])
    second_x = float(svg.split('<polyline class="curve second" points="')[1].split('"')[0].split()[-1].split(",")[0])
    from pyodide_app.view.curve import LEFT, RIGHT
    assert first_x == pytest.approx(RIGHT, abs=0.1)
    assert second_x == pytest.approx(LEFT + (RIGHT - LEFT) * np.log10(11) / np.log10(101), abs=0.1)
    from pyodide_app.features.compare import reached
    assert reached(histories["first"], 0.1) == 10 and reached(histories["second"], 0.1) is None
