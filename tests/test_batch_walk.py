"""A batch step told with its numbers, in CPython: the walk-through over a batch (the shown
sample forward and back, the batch's shares of the largest gradient as a table, their mean, the
update) and `explain` on data, each number against the numpy batch oracle and each worked line
on its shown digits; the input neurons named by their features."""

from __future__ import annotations

import re

import numpy as np
import pytest

import batch_oracle
import line_check
import oracle
from replies import feature
from shown import shows
from pyodide_app import design, redesign, training
from pyodide_app.data import settings as data_settings
from pyodide_app.features.walk import PRACTISING, Walk
from pyodide_app.session import Session
from pyodide_app.state import load_seed
from pyodide_app.trace import trace
from pyodide_app.view import diagram
from pyodide_app.view.explain import explain

FEATURE_NAMES = {"x1": "x₁", "x2": "x₂", "x1_squared": "x₁²", "x2_squared": "x₂²", "x1_times_x2": "x₁x₂",
                 "sin_x1": "sin x₁", "sin_x2": "sin x₂"}  # as the issue names them


NETWORKS = {  # other activations and losses than the seed's: (hidden and output activations, loss)
    "softmax": (["tanh", "relu", "tanh", "softmax"], "cross_entropy"),
    "tanh": (["tanh", "leaky_relu", "sigmoid", "tanh"], "mse"),
}


def on_data(dataset="spiral", batch_size=10, inputs=("x1", "x2"), shown=0, network=None, **changes):
    data = {**data_settings.new(dataset), "batch_size": batch_size, "inputs": list(inputs), "shown": shown, **changes}
    state = load_seed()
    if network:
        state = design.redesigned(state, *NETWORKS[network])
    return redesign.with_data(state, data)


def oracle_batch(state):
    """(oracle.Net, the batch's inputs and targets, its point indices) of the next step."""
    net = oracle.Net.from_lists(state.network.weights, state.network.biases, state.network.activations,
                                state.network.loss)
    made = data_settings.samples_of(state.data, state.network.activations[-1])
    indices = training.current_batch(state)
    return net, [made.inputs[k] for k in indices], [made.targets[k] for k in indices], indices


def largest_of(gradients) -> set[tuple[int, int, int]]:
    """(l, j, i) of the largest |mean gradient|, near ties all."""
    top = max(float(np.max(np.abs(g))) for g in gradients)
    return {(l, j, i) for l, g in enumerate(gradients, start=1)
            for j, i in zip(*np.nonzero(np.abs(g) >= top * (1 - 1e-9)))}


def operand(text: str) -> str:
    return f"({text})" if text.startswith("−") else text


def holds(line: str) -> bool:
    return line_check.worked_out(line) > 0 and not line_check.failures(line)


def walk_to(session: Session, kind: str) -> dict:
    reply = session.handle("walk")
    walk = feature(session, Walk)
    while walk.steps[walk.position][0] != kind:
        reply = session.handle("walkNext")
    return reply


def started(state) -> Session:
    session = Session(state)
    session.start("", None)
    return session


# ---- the walk over a batch ------------------------------------------------------------------------

@pytest.mark.parametrize("dataset, batch_size, inputs, network", [
    ("spiral", 10, ("x1", "x2"), None),
    ("xor", 4, ("x1", "x2", "x1_times_x2"), None),
    ("circle", 1, ("x1", "x2", "x1_squared", "x2_squared"), None),
    ("moons", 7, ("x1", "x2", "sin_x2"), "softmax"),
    ("two_clusters", 5, ("x1", "x2"), "tanh"),
    ("bumps", 6, ("x1", "x2", "x1_times_x2"), "tanh"),  # a regression: a linear output
])
def test_walking_a_batch_gives_each_samples_share_of_the_largest_gradient_and_their_mean(dataset, batch_size, inputs,
                                                                                          network):
    state = on_data(dataset, batch_size, inputs, network=network)
    net, xs, ts, indices = oracle_batch(state)
    shares = batch_oracle.contributions(net, xs, ts)
    mean_w, _ = batch_oracle.mean_gradients(net, xs, ts)
    session = started(state)
    kinds = [step[0] for step in feature(session, Walk).steps] if session.handle("walk") else []
    backward_end = max(k for k, kind in enumerate(kinds) if kind == "backward")
    assert kinds[backward_end + 1:backward_end + 3] == ["batch", "mean"] and kinds[backward_end + 3] == "update"
    session.handle("walkExit")

    reply = walk_to(session, "batch")
    walk, table = reply["walk"], reply["walk"]["table"]
    assert walk["caption"].startswith("The other samples of the batch go forward and back the same way" if batch_size > 1
                                      else "This batch has one sample, so there are no others")
    l, j, i = feature(session, Walk).trace["batch"]["largest"]["weight"]
    assert (l, j, i) in largest_of(mean_w)
    assert [row[0] for row in table["rows"]] == [f"{k + 1:,}" for k in indices]
    for s, (point, delta, a, share) in enumerate(table["rows"]):
        assert shows(share, shares[l - 1][s, j, i], "precise"), (point, share, shares[l - 1][s, j, i])
        assert holds(f"{delta} × {operand(a)} = {share}"), (point, delta, a, share)
    assert reply["highlight"]["scroll"] == "data-plot" and f"edge-{l}-{j}-{i}" in reply["highlight"]["ids"]
    if batch_size > 1:
        assert all(holds(line) for line in line_check.text_lines(walk["caption"]) if "Σ_s" in line)

    reply = session.handle("walkNext")
    caption = reply["walk"]["caption"]
    assert reply["walk"]["table"] is None and reply["highlight"]["scroll"] == f"row-w-{l}-{j}-{i}"
    assert shows(caption, mean_w[l - 1][j, i], "precise")
    after = batch_oracle.train(net, xs, ts, [list(range(len(xs)))], state.learning_rate)
    assert shows(caption, after.weights[l - 1][j, i], "precise")
    lines = [line for line in line_check.text_lines(caption) if line_check.worked_out(line)]
    assert len(lines) == 3 and all(holds(line) for line in lines), lines

    while reply["walk"]["position"] < reply["walk"]["total"]:  # the last step applies the batch's update
        reply = session.handle("walkNext")
    for l, (w, ow) in enumerate(zip(session.state.network.weights, after.weights), start=1):
        oracle.assert_close(np.array(w), ow, f"W[{l}] after the walk")


def test_a_batch_larger_than_ten_lists_its_first_ten_then_an_ellipsis():
    state = on_data("moons", 32)
    net, xs, ts, indices = oracle_batch(state)
    shares = batch_oracle.contributions(net, xs, ts)
    reply = walk_to(started(state), "batch")
    table = reply["walk"]["table"]
    l, j, i = reply["highlight"]["ids"][0].removeprefix("edge-").split("-")
    assert len(table["rows"]) == 11 and table["rows"][-1] == ["…"] * 4
    for s, row in enumerate(table["rows"][:10]):
        assert row[0] == f"{indices[s] + 1:,}" and shows(row[3], shares[int(l) - 1][s, int(j), int(i)], "precise")
    assert "the first 10 of the 32 samples" in reply["walk"]["caption"]


def test_one_sample_walks_as_today_with_no_batch_step_and_no_table():
    session = started(load_seed())
    replies = [session.handle("walk")]
    while replies[-1]["walk"]["position"] < replies[-1]["walk"]["total"]:
        replies.append(session.handle("walkNext"))
    assert len(replies) == 28 and all(r["walk"]["table"] is None for r in replies)
    assert {step[0] for step in feature(session, Walk).steps} == {"forward", "loss", "backward", "update", "apply"}


def test_practice_still_refuses_the_walk_on_data():
    session = started(on_data())
    walk_to(session, "batch")
    assert session.handle("practice")["walk"] == {"active": False}
    assert session.handle("walk") == {"walk": {"active": False, "refused": PRACTISING}}


def test_captions_are_sentences():
    session = started(on_data())
    reply = walk_to(session, "batch")
    for _ in range(2):
        caption = reply["walk"]["caption"]
        assert caption[0].isupper() and caption.endswith("."), caption
        reply = session.handle("walkNext")


# ---- names ----------------------------------------------------------------------------------------

def test_input_neurons_are_named_by_their_features_in_the_diagram_and_the_formulas():
    keys = ("x1", "x2", "x1_squared", "sin_x1", "x1_times_x2")
    state = on_data("circle", 10, keys)
    t = trace(state)
    names = [FEATURE_NAMES[key] for key in keys]
    layout = diagram.layout(t["sizes"], tuple(t["input_features"]))
    assert [node["name"] for node in layout["layers"][0]["nodes"]] == names
    labels = diagram.node_attributes(t)
    assert [labels[f"node-0-{k}"]["aria-label"].split(" ", 1)[1] for k in range(len(keys))] == names
    assert diagram.edge_attributes(t)["edge-1-0-2"]["aria-label"].startswith("Weight x₁² → H1-1 = ")
    text = explain(t, state.targets, state.data)
    assert "Weight sin x₁ → H1-1: " in text and "In-" not in text
    assert "inputs x₁, x₂, x₁², sin x₁, x₁x₂;" in text


def test_one_sample_keeps_the_default_input_names():
    t = trace(load_seed())
    layout = diagram.layout(t["sizes"])
    assert [node["name"] for node in layout["layers"][0]["nodes"]] == ["In-1", "In-2", "In-3"]
    assert "Weight In-1 → H1-1: " in explain(t, load_seed().targets) and t["input_features"] is None


def test_the_page_redraws_when_the_inputs_change_but_not_their_number():
    session = started(on_data("circle", 10, ("x1", "x2", "x1_squared")))
    reply = session.handle("dataInputs", ["x1", "x2", "sin_x2"])
    names = re.findall(r'class="node-name"[^>]*>([^<]*)<', reply["structure"]["diagram-figure"])
    assert names[:4] == ["x₁", "x₂", "sin x₂", "H1-1"]


# ---- explain on data --------------------------------------------------------------------------------

def test_explain_on_a_batch_lists_the_shares_their_mean_and_the_update_as_the_oracle_gives_them():
    state = on_data("spiral", 10)
    net, xs, ts, indices = oracle_batch(state)
    shares = batch_oracle.contributions(net, xs, ts)
    mean_w, _ = batch_oracle.mean_gradients(net, xs, ts)
    text = explain(trace(state), state.targets, state.data)
    head = re.search(r"largest gradient, Weight (\S+) → (\S+)", text)
    rows = re.findall(r"point ([\d,]+): (.+)", text)
    assert [int(p.replace(",", "")) - 1 for p, _ in rows] == indices
    l, j, i = trace(state)["batch"]["largest"]["weight"]
    assert head.groups() == (f"H{l - 1}-{i + 1}" if l > 1 else FEATURE_NAMES[("x1", "x2")[i]],
                             "Out-1" if l == len(state.network.sizes) - 1 else f"H{l}-{j + 1}")
    for s, (_, line) in enumerate(rows):
        assert holds(line) and shows(line.split(" = ")[-1], shares[l - 1][s, j, i], "precise"), line
    mean = next(line for line in text.split("\n") if line.strip().startswith("∂L/∂w = Σ_s"))
    assert holds(mean) and shows(mean.split(" = ")[-1], mean_w[l - 1][j, i], "precise")
    after = batch_oracle.train(net, xs, ts, [list(range(len(xs)))], state.learning_rate)
    updates = re.findall(r"Weight x₂ → H1-(\d): .* = (\S+)  \(gradient (\S+)\)", text[text.index("Weight Updates"):])
    assert len(updates) == state.network.sizes[1]
    for hidden, new, gradient in updates:
        assert shows(new, after.weights[0][int(hidden) - 1, 1], "precise")
        assert shows(gradient, mean_w[0][int(hidden) - 1, 1], "precise")


def test_every_worked_line_of_explain_on_data_holds_on_its_digits():
    for state in (on_data("spiral", 10), on_data("xor", 3, ("x1", "x2", "sin_x1")), on_data("bumps", 25)):
        text = explain(trace(state), state.targets, state.data)
        lines = [line for line in line_check.text_lines(text) if line_check.worked_out(line)]
        assert len(lines) > 20
        wrong = [(line, line_check.failures(line)) for line in lines if line_check.failures(line)]
        assert not wrong, wrong[:3]


def test_a_selected_input_line_is_named_by_its_feature():
    session = started(on_data("circle", 10, ("x1", "x2", "x2_squared")))
    assert session.handle("point", "edge-1-0-2")["readout"].startswith("Weight x₂² → H1-1 = ")
    reply = session.handle("select", "edge-1-0-2")
    assert reply["readout"] == "Selected Weight x₂² → H1-1. Escape clears the selection."
    assert reply["selection"].startswith("<h3>Weight x₂² → H1-1</h3>")
    assert session.handle("select", "node-0-1")["selection"].startswith("<h3>Input x₂</h3>")


@pytest.mark.parametrize("dataset, batch_size, inputs", [("spiral", 10, ("x1", "x2")),
                                                        ("two_clusters", 40, ("x1", "x2", "sin_x1", "x2_squared"))])
def test_every_worked_line_of_a_batch_walk_holds_on_its_digits(dataset, batch_size, inputs):
    session = started(on_data(dataset, batch_size, inputs))
    replies = [session.handle("walk")]
    while replies[-1]["walk"]["position"] < replies[-1]["walk"]["total"]:
        replies.append(session.handle("walkNext"))
    lines = [line for r in replies for line in line_check.text_lines(r["walk"]["caption"])
             if line_check.worked_out(line)]
    assert len(lines) > 30
    wrong = [(line, line_check.failures(line)) for line in lines if line_check.failures(line)]
    assert not wrong, wrong[:3]
