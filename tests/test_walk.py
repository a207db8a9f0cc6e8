"""The walk-through in CPython: its order, and every number of its captions, against the numpy
oracle, for the seed, every preset and any network the page allows; what the highlight lights;
and what edits, Step, Reset, new sizes and training do to a walk on the way."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings

import oracle
from replies import feature, saved
from shown import shows, shows_product
from pyodide_app.features.walk import PRACTISING, Walk
from pyodide_app.network import Network
from pyodide_app.presets import PRESETS
from pyodide_app.session import Session
from pyodide_app.state import State, from_preset, load_seed, parse
from pyodide_app.notation.numbers import number
from pyodide_app.worker import Worker
from strategies import problems, state_of

COMBINED = {("cross_entropy", "sigmoid"), ("cross_entropy", "softmax")}  # δ = o − t


# ---- what the walk must say, from the oracle -----------------------------------------------

def written(x: float, kind: str = "value"):
    """Whether a caption shows x, with its kind's decimals or more, as the worked lines may."""
    return lambda caption: shows(caption, float(x), kind)


def said(text: str):
    return lambda caption: text in caption


def neuron_name(l: int, j: int, last: int) -> str:
    return f"In-{j + 1}" if l == 0 else f"Out-{j + 1}" if l == last else f"H{l}-{j + 1}"


@dataclass
class Expected:
    kind: str
    start: str  # how the caption begins, or a phrase it holds ("" for none)
    options: list[list]  # for one of the options, each of its tests holds of the caption
    ids: set[str]  # lit
    scroll: str  # brought into view; for an update step "": one of `rows`, lit too
    rows: dict[str, str] = dataclass_field(default_factory=dict)  # an update step's: the table rows of its
    # largest changes (near ties), each with how the caption names it

    def check(self, caption: str, k: int):
        assert self.start in caption, f"step {k}: {self.start!r} not in {caption!r}"
        assert any(all(holds(caption) for holds in option) for option in self.options), \
            f"step {k} ({self.kind}): {caption!r} lacks a number the oracle gives"

    def brought(self, lit, caption: str) -> str:
        """The element this step brings into view, given what is lit, once checked that the
        right ones are: an update step lights the row of the weight its caption names."""
        lit = set(lit)
        if not self.rows:
            assert lit == self.ids, (self.kind, sorted(lit ^ self.ids))
            return self.scroll
        (row,) = lit & set(self.rows)
        assert lit - {row} == self.ids, (self.kind, sorted((lit - {row}) ^ self.ids))
        assert self.rows[row] in caption, (row, caption)
        return row


def row_named(l: int, j: int, i: int, last: int) -> str:
    """How an update step's caption names the row of its largest change (the row is lit)."""
    return f"the largest change, {neuron_name(l - 1, i, last)} → {neuron_name(l, j, last)}, is in bold"


def expected_walk(net: oracle.Net, inputs, targets, rate) -> list[Expected]:
    """The steps in order: forward neuron by neuron, the loss, δ from the outputs back, the
    updates into each layer, the update applied."""
    p = oracle.full_pass(net, inputs, targets)
    after = oracle.step(net, inputs, targets, rate)
    sizes = [len(inputs)] + [len(b) for b in net.biases]
    L = len(sizes) - 1
    outputs = {f"node-{L}-{k}" for k in range(sizes[-1])}
    steps = []
    for l in range(1, L + 1):
        w, b = net.weights[l - 1], net.biases[l - 1]
        for j in range(sizes[l]):
            texts = [written(p.sums[l][j]), written(p.activations[l][j]), written(w[j] @ p.activations[l - 1]),
                     written(b[j])]
            texts += [lambda caption, x=p.activations[l - 1][i], y=w[j, i], i=i:  # 0.3000 × (−0.3000)
                      shows_product(caption, float(x), float(y), operand=i > 0) for i in range(sizes[l - 1])]
            card = f"forward-{l}-{j}"
            ids = {f"node-{l}-{j}", card} | {f"edge-{l}-{j}-{i}" for i in range(sizes[l - 1])} | \
                {f"node-{l - 1}-{i}" for i in range(sizes[l - 1])}
            steps.append(Expected("forward", neuron_name(l, j, L) + " adds ", [texts], ids, card))
    steps.append(Expected("loss", "", [[written(p.loss, "precise")]], outputs | {"loss"}, "loss"))
    output = net.activations[-1]
    for l in range(L, 0, -1):
        J = oracle.jacobian(net.activations[l - 1], p.sums[l], p.activations[l])
        for j in range(sizes[l]):
            texts = [written(p.deltas[l][j], "precise")]
            if not (l == L and (net.loss, output) in COMBINED):
                texts.append(written(p.errors[l][j], "precise"))
                if net.activations[l - 1] != "softmax":
                    texts.append(written(J[j, j]))  # the slope f′(z)
            card = f"backprop-{l}-{j}"
            later = range(sizes[l + 1]) if l < L else ()
            ids = {f"node-{l}-{j}", card} | {f"edge-{l + 1}-{k}-{j}" for k in later} | \
                {f"node-{l + 1}-{k}" for k in later}
            steps.append(Expected("backward", neuron_name(l, j, L), [texts], ids, card))
    for l in range(1, L + 1):
        g = np.abs(p.weight_gradients[l - 1])
        # near ties, relative or within rounding of zero (a saturated layer's gradients): either
        largest = [(j, i) for j, i in zip(*np.nonzero(g >= g.max() * (1 - 1e-9) - oracle.ABS_TOL))]
        options = [[written(p.weight_gradients[l - 1][j, i], "precise"), written(net.weights[l - 1][j, i]),
                    written(after.weights[l - 1][j, i], "precise"),
                    said(row_named(l, j, i, L))] for j, i in largest]
        ids = {f"edge-{l}-{j}-{i}" for j in range(sizes[l]) for i in range(sizes[l - 1])} | \
            {f"node-{l}-{j}" for j in range(sizes[l])} | {f"updates-{l}"}
        steps.append(Expected("update", "Hidden Layer" if l < L else "Output Layer", options, ids, "",
                              {f"row-w-{l}-{j}-{i}": row_named(l, j, i, L) for j, i in largest}))
    new_loss = oracle.loss_at(after, inputs, targets)
    steps.append(Expected("apply", "", [[written(p.loss, "precise"), written(new_loss, "precise")]],
                          outputs | {"loss-curve"}, "loss-curve"))
    return steps


# ---- walking --------------------------------------------------------------------------------

def started(state: State | None = None) -> Session:
    session = Session(state)
    session.start("", None)
    return session


def oracle_of(state: State):
    net = oracle.Net.from_lists(state.network.weights, state.network.biases, state.network.activations,
                                state.network.loss)
    return net, state.inputs[:], state.targets[:], state.learning_rate


def walk_all(session: Session) -> list[dict]:
    """Every reply from Walk through to the last step."""
    replies = [session.handle("walk")]
    while replies[-1]["walk"]["position"] < replies[-1]["walk"]["total"]:
        replies.append(session.handle("walkNext"))
    return replies


def check_walk(state: State):
    before = state.copy()
    net, inputs, targets, rate = oracle_of(before)
    expected = expected_walk(net, inputs, targets, rate)
    session = started(state)
    replies = walk_all(session)
    assert [r["walk"]["counter"] for r in replies] == [f"Step {k} of {len(expected)}"
                                                       for k in range(1, len(expected) + 1)]
    for k, (reply, step) in enumerate(zip(replies, expected), start=1):
        walk = reply["walk"]
        assert not re.search(r"[×+−/] \u2212", walk["caption"]), f"step {k}: a bare negative operand"
        assert walk["active"] and walk["position"] == k and walk["total"] == len(expected)
        step.check(walk["caption"], k)
        assert reply["highlight"]["scroll"] == step.brought(reply["highlight"]["ids"], walk["caption"]), k
    # the last step applied one training step, the oracle's
    after = oracle.step(net, inputs, targets, rate)
    # a few ulps of the largest number in play: a new weight near 0.7 can come from terms near 3
    scale = max(1.0, *(float(np.max(np.abs(w))) for w in net.weights + after.weights))
    oracle.assert_close(np.concatenate([np.ravel(w) for w in session.state.network.weights]),
                        np.concatenate([np.ravel(w) for w in after.weights]), "weights after the walk",
                        abs_tol=oracle.ABS_TOL * scale)
    oracle.assert_close(np.concatenate(session.state.network.biases), np.concatenate(after.biases),
                        "biases after the walk", abs_tol=oracle.ABS_TOL * scale)
    assert session.state.epoch == before.epoch + 1
    assert "batch" in replies[-1] and parse(saved(session, replies[-1])).epoch == before.epoch + 1  # as Step
    return session, replies


def test_the_seed_walk_is_in_order_and_its_captions_hold_the_oracles_numbers():
    _, replies = check_walk(load_seed())
    captions = [r["walk"]["caption"] for r in replies]
    assert len(captions) == 11 + 1 + 11 + 4 + 1
    assert captions[0] == ("H1-1 adds its inputs times their weights, and its bias, then applies its activation: "
                           "z = 0.5000 × 0.4000 + 0.3000 × 0.2000 + 0.8000 × 0.6000 + 0.1000 = 0.7400 + 0.1000 = "
                           "0.8400; a = σ(0.8400) = 0.6985.")
    assert "0.3000 × (−0.3000) + 0.8000 × 0.1000" in captions[1]  # textbook notation
    assert captions[11].startswith("The loss, mean squared error")
    assert [c.split()[0] for c in captions[12:23]] == ["Out-1's", "Out-2's", "H3-1", "H3-2", "H2-1", "H2-2",
                                                        "H2-3", "H1-1", "H1-2", "H1-3", "H1-4"]
    assert "epoch 1" in captions[-1]


@pytest.mark.parametrize("key", list(PRESETS))
def test_every_preset_walks_as_the_oracle_says(key):
    check_walk(from_preset(key))


def designed(sizes, activations, loss, targets, seed=3) -> State:
    rng = np.random.default_rng(seed)
    weights = [rng.uniform(-1, 1, (sizes[l + 1], sizes[l])).round(2).tolist() for l in range(len(sizes) - 1)]
    biases = [rng.uniform(-0.5, 0.5, n).round(2).tolist() for n in sizes[1:]]
    inputs = rng.uniform(-1, 1, sizes[0]).round(2).tolist()
    return State(inputs, targets, 0.5, Network(weights, biases, activations, loss))


DESIGNS = {
    "2-3-2 tanh, softmax, cross-entropy": designed([2, 3, 2], ["tanh", "softmax"], "cross_entropy", [0.0, 1.0]),
    "2-3-2 tanh, softmax, squared error (Jacobian δ)": designed([2, 3, 2], ["tanh", "softmax"], "mse", [0.3, 0.7]),
    "3-2 sigmoid, binary cross-entropy, no hidden layer": designed([3, 2], ["sigmoid"], "cross_entropy", [1.0, 0.0]),
    "1-8-1 leaky ReLU, linear": designed([1, 8, 1], ["leaky_relu", "linear"], "mse", [2.5]),
    "8-2-2-2-2-8 ReLU": designed([8, 2, 2, 2, 2, 8], ["relu"] * 4 + ["sigmoid"], "mse", [0.5] * 8),
}


@pytest.mark.parametrize("name", list(DESIGNS))
def test_other_architectures_walk_as_the_oracle_says(name):
    check_walk(DESIGNS[name].copy())


def test_captions_name_the_rule_of_each_delta():
    _, replies = check_walk(DESIGNS["2-3-2 tanh, softmax, squared error (Jacobian δ)"].copy())
    assert "Softmax mixes the outputs" in replies[7]["walk"]["caption"]  # Out-1's δ, after 5 forward + loss
    assert re.search(r"a = e\^\S+ / \(e\^", replies[3]["walk"]["caption"])
    _, replies = check_walk(DESIGNS["2-3-2 tanh, softmax, cross-entropy"].copy())
    assert "δ is simply output minus target" in replies[6]["walk"]["caption"]
    assert "tanh′(z) = 1 − (" in replies[8]["walk"]["caption"]
    _, replies = check_walk(DESIGNS["3-2 sigmoid, binary cross-entropy, no hidden layer"].copy())
    assert re.search(r"L_Out-1 = −\[1\.0+ × ln\(", replies[2]["walk"]["caption"])  # binary: −[t ln o + (1 − t) …]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(problems())
def test_any_network_the_page_allows_walks_as_the_oracle_says(problem):
    net, inputs, targets, _ = problem
    p = oracle.full_pass(net, inputs, targets)
    assume(all(np.all(np.isfinite(x)) for x in p.deltas + p.errors))
    check_walk(state_of(*problem))


# ---- a walk on the way ----------------------------------------------------------------------

def walked_to(position: int, state: State | None = None) -> Session:
    session = started(state)
    session.handle("walk")
    for _ in range(position - 1):
        session.handle("walkNext")
    return session


def test_previous_and_next_stop_at_the_ends_and_nothing_moves_without_a_walk():
    session = started()
    assert session.handle("walkNext") == {} and session.handle("walkPrevious") == {} and session.handle("walkExit") == {}
    session.handle("walk")
    assert session.handle("walkPrevious") == {}
    assert session.handle("walkNext")["walk"]["position"] == 2
    assert session.handle("walkPrevious")["walk"]["position"] == 1


def test_an_edit_keeps_the_position_and_rewords_the_step_without_scrolling():
    session = walked_to(5)  # H2-1's forward pass
    reply = session.handle("field", "inputs[0]", "0.9")
    assert reply["walk"]["position"] == 5
    assert "highlight" not in reply  # the page stays where the reader is typing
    net, inputs, targets, rate = oracle_of(session.state)
    assert inputs[0] == 0.9
    expected_walk(net, inputs, targets, rate)[4].check(reply["walk"]["caption"], 5)
    # an edit that leaves this step's numbers as they were says nothing new
    assert "walk" not in session.handle("field", "weights[3][0][0]", "0.55")


def test_step_and_reset_keep_the_position_with_the_new_values():
    session = walked_to(12)  # the loss
    reply = session.handle("step")
    assert reply["walk"]["position"] == 12
    net, inputs, targets, rate = oracle_of(session.state)
    expected_walk(net, inputs, targets, rate)[11].check(reply["walk"]["caption"], 12)
    reply = session.handle("reset")
    assert reply["walk"]["position"] == 12 and shows(reply["walk"]["caption"],
                                                     oracle.full_pass(oracle.seed_net(), inputs, targets).loss, "precise")


def test_a_new_activation_redraws_the_page_and_the_walk_lights_its_step_again():
    session = walked_to(3)
    reply = session.handle("activation", 0, "tanh")
    assert "structure" in reply and reply["walk"]["position"] == 3 and "tanh(" in reply["walk"]["caption"]
    assert reply["highlight"]["scroll"] is None and "forward-1-2" in reply["highlight"]["ids"]


def test_new_layer_sizes_end_the_walk():
    session = walked_to(7)
    reply = session.handle("sizes", "3-4-2")
    assert reply["walk"] == {"active": False} and reply["highlight"] == {"ids": [], "scroll": None}
    assert session.handle("walkNext") == {}


def test_training_ends_the_walk_and_walk_through_pauses_training():
    session = walked_to(4)
    session.handle("train")
    reply = session.tick()
    assert reply["walk"] == {"active": False} and reply["highlight"]["ids"] == []
    reply = session.handle("walk")
    assert not session.training and reply["trainButton"] == "Train" and reply["walk"]["position"] == 1


def test_after_a_step_the_walk_tells_the_next_update_not_the_one_just_applied():
    session = started()
    session.handle("step")
    check = oracle_of(session.state)
    reply = session.handle("walk")
    assert reply["batch"]["text"]["updates-when"].startswith("The updates one training step would apply")
    steps = expected_walk(*check)
    for k in range(2, len(steps) + 1):
        steps[k - 1].check(session.handle("walkNext")["walk"]["caption"], k)


def curve_of(reply: dict) -> str:
    return reply["batch"]["attrs"]["curve-line"]["points"]


def test_previous_from_the_last_step_takes_the_update_back_and_next_applies_it_again():
    session = started()
    for _ in range(3):  # a curve of a few points before the walk
        session.handle("step")
    before = session.state.copy()
    net, inputs, targets, rate = oracle_of(before)
    history = session.history[:]
    session.handle("walk")
    for _ in range(26):
        session.handle("walkNext")
    applied = session.handle("walkNext")
    assert applied["walk"]["position"] == 28 and session.state.epoch == before.epoch + 1
    assert len(session.history) == len(history) + 1
    back = session.handle("walkPrevious")
    assert back["walk"]["position"] == 27 and session.state.epoch == before.epoch
    assert session.history == history and curve_of(back) != curve_of(applied)
    for now, then in ((session.state.network.weights, before.network.weights),
                      (session.state.network.biases, before.network.biases)):
        assert now == then  # the very numbers: nothing computed back
    assert parse(saved(session, back)).epoch == before.epoch  # kept as it was too
    # the update step on screen tells the update to come, as before it was applied
    expected_walk(net, inputs, targets, rate)[26].check(back["walk"]["caption"], 27)
    again = session.handle("walkNext")
    assert again["walk"]["position"] == 28 and session.state.epoch == before.epoch + 1
    oracle.assert_close(np.concatenate([np.ravel(w) for w in session.state.network.weights]),
                        np.concatenate([np.ravel(w) for w in oracle.step(net, inputs, targets, rate).weights]),
                        "weights applied again")


def test_previous_after_a_change_at_the_last_step_keeps_the_change():
    session = walked_to(28)
    session.handle("field", "inputs[0]", "0.9")
    assert session.handle("walkPrevious")["walk"]["position"] == 27
    assert session.state.epoch == 1 and session.state.inputs[0] == 0.9


def test_next_at_the_last_step_walks_through_the_next_training_step():
    session = walked_to(28)
    net, inputs, targets, rate = oracle_of(session.state)  # the network the update made
    reply = session.handle("walkNext")
    assert reply["walk"]["position"] == 1 and reply["walk"]["total"] == 28 and session.state.epoch == 1
    assert reply["batch"]["text"]["updates-when"].startswith("The updates one training step would apply")
    steps = expected_walk(net, inputs, targets, rate)
    steps[0].check(reply["walk"]["caption"], 1)
    assert session.handle("walkPrevious") == {}  # nothing before the first step
    for k in range(2, 29):
        steps[k - 1].check(session.handle("walkNext")["walk"]["caption"], k)
    assert session.state.epoch == 2


def test_practice_and_the_walk_exclude_each_other():
    session = walked_to(3)
    reply = session.handle("practice")
    assert reply["walk"] == {"active": False} and reply["highlight"]["ids"] == []
    reply = session.handle("walk")
    assert reply == {"walk": {"active": False, "refused": PRACTISING}} and not feature(session, Walk).active
    assert "walk" not in session.handle("practiceKinds", ["activations", "deltas"])  # still refused: still said
    assert session.handle("practice")["walk"] == {"active": False, "refused": ""}  # said no longer
    assert "walk" not in session.handle("field", "inputs[0]", "0.7")
    assert session.handle("walk")["walk"]["position"] == 1


def test_exit_clears_the_highlight():
    session = walked_to(2)
    assert session.handle("walkExit") == {"walk": {"active": False}, "highlight": {"ids": [], "scroll": None}}
    assert "walk" not in session.handle("field", "inputs[0]", "0.7")


def test_the_worker_runs_the_walk_messages():
    worker = Worker()
    worker.handle(json.dumps({"kind": "start", "fragment": "", "stored": None}))
    reply = json.loads(worker.handle(json.dumps({"kind": "walk"})))
    assert reply["walk"]["counter"] == "Step 1 of 28"
    assert json.loads(worker.handle(json.dumps({"kind": "walkNext"})))["walk"]["position"] == 2
    assert json.loads(worker.handle(json.dumps({"kind": "walkPrevious"})))["walk"]["position"] == 1
    assert json.loads(worker.handle(json.dumps({"kind": "walkExit"})))["walk"] == {"active": False}


def test_while_practising_only_walk_through_is_refused_and_the_others_do_nothing():
    """Play's timer may send one more step after Practice ended the walk: it changes nothing."""
    session = walked_to(3)
    session.handle("practice")
    assert session.handle("walkNext") == {} and session.handle("walkExit") == {}
    assert session.handle("walk")["walk"]["refused"] == PRACTISING
