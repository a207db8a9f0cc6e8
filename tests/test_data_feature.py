"""The Data feature in CPython: messages in, replies out. The losses, the share classified
right, a batch's mean gradients and a step are checked against the numpy batch oracle; state
version 3 round-trips, and versions 1 and 2 still load as one sample."""

from __future__ import annotations

import numpy as np
import pytest

import batch_oracle
from state_cases import seed_dict
from pyodide_app import training
from pyodide_app.features.data import TRAINING_CELLS
from pyodide_app.data import dataset, settings
from pyodide_app.limits import StateError
from pyodide_app.session import Session
from pyodide_app.state import from_data, load_seed, parse, serialise, to_data
from pyodide_app.trace import trace


def started() -> Session:
    session = Session()
    session.start("", None)
    return session


def on_spiral(sizes: str = "2-5-1") -> Session:
    session = started()
    session.handle("dataset", "spiral")
    session.handle("sizes", sizes)
    return session


def oracle_net(state):
    net = state.network
    return batch_oracle.Net.from_lists(net.weights, net.biases, net.activations, net.loss)


def samples(state):
    return settings.samples_of(state.data, state.network.activations[-1]), settings.dataset_of(state.data)


def test_choosing_a_dataset_sets_the_input_and_output_layers_and_shows_a_point():
    session = started()
    hidden = session.state.network.sizes[1:-1]
    reply = session.handle("dataset", "circle")
    state = session.state
    assert state.network.sizes == [2, *hidden, 1] and reply["dataPanel"]["on"]
    made, d = samples(state)
    assert state.inputs == made.inputs[0] and state.targets == made.targets[0]
    assert set(map(tuple, made.targets)) == {(0.0,), (1.0,)}  # σ outputs: classes at 0 and 1
    assert len(reply["plot"]["points"]["x"]) == 500 and reply["plot"]["heat"]["n"] == 100
    session.handle("dataInputs", ["x1_squared", "x2_squared"])
    assert session.state.network.sizes[0] == 4 and session.state.data["inputs"] == ["x1", "x2", "x1_squared",
                                                                                   "x2_squared"]
    session.handle("dataset", "bumps")  # a regression: one linear output
    assert session.state.network.activations[-1] == "linear"
    reply = session.handle("dataset", "")
    assert session.state == load_seed() and reply["plot"] == {"on": False}


def test_the_readout_gives_the_oracles_losses_and_shares_right():
    session = on_spiral()
    state = session.state
    made, d = samples(state)
    net = oracle_net(state)
    plot = session.handle("shown", "3")["plot"]
    assert plot["shown"] == 2 and session.state.inputs == made.inputs[2]
    reply = session.handle("step")["plot"]  # a new network: evaluated again
    state = session.state
    net = oracle_net(state)
    X, T = np.array(made.inputs), np.array(made.targets)
    train, test = d.training_indices, d.test_indices
    for indices, name in ((train, "Training"), (test, "Test")):
        expected = batch_oracle.batch_loss(net, X[indices], T[indices])
        assert f"{name} loss {expected:.6f}" in reply["readout"]
        right = batch_oracle.accuracy(net, X[indices], T[indices])
        assert f"{100 * right:.1f} %" in reply["readout"]


def test_a_step_is_one_batch_with_the_oracles_mean_gradient():
    session = on_spiral()
    before = session.state.copy()
    made, _ = samples(before)
    batch = training.current_batch(before)
    t = trace(before)
    gw, gb = batch_oracle.mean_gradients(oracle_net(before), np.array(made.inputs)[batch],
                                         np.array(made.targets)[batch])
    for l, layer in enumerate(t["layers"][1:]):
        for j, neuron in enumerate(layer["neurons"]):
            assert np.allclose([u["gradient"] for u in neuron["weight_updates"]], gw[l][j], atol=1e-12)
            assert neuron["bias_update"]["gradient"] == pytest.approx(gb[l][j], abs=1e-12)
    shares = batch_oracle.contributions(oracle_net(before), np.array(made.inputs)[batch],
                                        np.array(made.targets)[batch])[-1][:, 0, 0]
    assert np.allclose(t["batch"]["shares"], shares[:10]) and t["batch"]["sum"] == pytest.approx(shares.sum())
    session.handle("step")
    after = oracle_net(before)
    expected = batch_oracle.train(after, made.inputs, made.targets, [batch], before.learning_rate)
    for w, e in zip(session.state.network.weights, expected.weights):
        assert np.allclose(w, e, atol=1e-12)
    assert session.state.data["position"] == 1 and session.state.epoch == 0


def test_an_epoch_is_every_training_point_once():
    session = on_spiral()
    session.handle("dataSetting", "batch_size", "all")
    assert session.state.data["batch_size"] == 250 and len(training.current_batch(session.state)) == 250
    session.handle("step")
    assert session.state.epoch == 1 and session.state.data["position"] == 0


@pytest.mark.parametrize("name, text", [("points", "5"), ("noise", "51"), ("test_share", "x"), ("batch_size", "0")])
def test_a_bad_setting_is_refused_next_to_its_control_and_changes_nothing(name, text):
    session = on_spiral()
    before = serialise(session.state)
    reply = session.handle("dataSetting", name, text)
    assert reply["dataPanel"]["errors"][name] and serialise(session.state) == before


def test_state_version_3_round_trips_and_older_versions_load_as_one_sample():
    state = on_spiral().state
    text = serialise(state)
    assert '"version":4' in text and parse(text) == state
    for version in (1, 2):
        assert from_data(seed_dict(version)).data is None
    assert "data" not in to_data(load_seed())  # one sample writes no data


@pytest.mark.parametrize("change, field", [
    ({"dataset": "nonsense"}, "data.dataset"), ({"points": 5}, "data.points"), ({"noise": 60}, "data.noise"),
    ({"inputs": ["x2", "x1"]}, "data.inputs"), ({"inputs": ["x1", "x2", "x1_squared"]}, "data.inputs"),
    ({"batch_size": 251}, "data.batch_size"), ({"shown": 500}, "data.shown"), ({"position": 25}, "data.position"),
    ({"colour": 1}, "data.colour"),
])
def test_a_saved_data_value_is_checked_key_by_key(change, field):
    data = to_data(on_spiral().state)
    data["data"] = {**data["data"], **change}
    with pytest.raises(StateError) as refused:
        from_data(data)
    assert refused.value.field == field


def test_saved_inputs_and_targets_are_made_again_from_the_shown_point():
    data = to_data(on_spiral().state)
    data["inputs"], data["data"]["shown"] = [5.0, 5.0], 7
    state = from_data(data)
    made = dataset.samples(dataset.generated("spiral", 500, 0.0, 0.5, 1), ["x1", "x2"], "sigmoid")
    assert state.inputs == made.inputs[7] and state.targets == made.targets[7]


def test_training_on_data_sends_heatmaps_between_the_pages_numbers_and_never_waits_on_nothing(monkeypatch):
    """While training on data, a tick between two of the page's answers sends the heatmap alone;
    one with nothing to send (the heatmap not due) must not leave the run waiting for the page
    to say it drew it."""
    from pyodide_app.features.data import Data
    from pyodide_app.features.training import Training
    session = on_spiral()
    run = next(f for f in session.features if isinstance(f, Training))
    data = next(f for f in session.features if isinstance(f, Data))
    session.handle("train")
    data.evaluated = None  # the heatmap due, however soon after Train this tick comes
    first = session.tick()  # the page's numbers, the losses and the heatmap
    assert "batch" in first and "readout" in first["plot"]
    session.handle("drawn")
    run.heat_due = 0.0  # a heatmap due, the page's numbers not
    with monkeypatch.context() as m:
        m.setattr(data, "between", lambda: {})  # nothing to send this time
        assert session.tick() == {}
    run.heat_due = 0.0
    data.evaluated = None
    between = session.tick()
    assert set(between) == {"plot"} and between["plot"]["heat"]["n"] == TRAINING_CELLS and "readout" not in between["plot"]
