"""Nothing Practice hides reaches the page. Over random networks (one-neuron layers, softmax,
cross-entropy and ReLU among them), with every set of kinds hidden, the page's own messages
drive the worker through every view: an edit (its answer and its rest), Step, every neuron
and line selected and pointed at, the gradient check, the weight editor, Walk through, Copy
LaTeX of every card and every chain rule, the script and the notebook (refused), the worksheet, the export, the link, training and Reset.
Every reply is searched for each hidden value and each value from which one follows in one
operation, as the page would write them (4 to 8 decimals, either sign), all computed by the
numpy oracle. A text that also
belongs to a value the page shows by right (a ReLU's a equal to its z, 0.0000) is no leak.

What follows from what in one operation (l: a layer after the input, L the output layer):
    activations   a[l]; of the outputs o − t, (o − t)², ln o, ln(1 − o), ∂L/∂a; δ = o − t of
                  outputs whose δ is combined (and their bias gradient, the same number);
                  the weight gradients δ × a into layers 2 … L (gradient / δ = a); the sum
                  a × w of a neuron with a single input from a hidden layer; softmax's
                  e^(z − m); the loss where it is −ln o or −ln(1 − o) of a single output
    deltas        δ[l]; the gradients δ × a and δ, the bias update α × δ; ∂L/∂a = δ × w of
                  a neuron whose next layer has a single neuron
    loss          L; ½ × L's sum of squares (the loss's last worked line); ln o or ln(1 − o)
                  where L is −ln o or −ln(1 − o) of a single output
    new_weights   the new weights and biases; the updates (new = old − update)
The gradients, updates and new values are those of the step the page shows: after Step, the
step just taken (then the new values are the network's weights, shown by right).
"""

from __future__ import annotations

import itertools
import json
import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import oracle
from pyodide_app.state import State, StateError, from_preset, load_seed, parse, serialise
from pyodide_app.worker import Worker
from strategies import problems, state_of

KINDS = ("activations", "loss", "deltas", "new_weights")
SUBSETS = [list(kinds) for n in range(1, len(KINDS) + 1) for kinds in itertools.combinations(KINDS, n)]
DECIMALS = range(4, 9)
NUMBER = re.compile(r"\d+\.\d+(?: × 10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?")


# ---- the page's side: every view, every reply -------------------------------------------------

def oracle_problem(state: State) -> tuple:
    net = oracle.Net.from_lists(state.network.weights, state.network.biases, state.network.activations,
                                state.network.loss)
    return net, state.inputs[:], state.targets[:], state.learning_rate


class Page:
    """The worker, driven as the page drives it; each reply kept with the network it shows
    and the network before the step whose updates it shows (None: the network's own)."""

    def __init__(self, state: State, kinds: list[str]):
        """Opened on `state` as stored in the browser, practising `kinds`; its Reset goes back to `state`."""
        self.worker = Worker()
        self.before: State | None = None
        self.replies: list[tuple[str, State, State | None]] = []
        stored = state.copy()
        stored.practice = {"kinds": kinds, "answers": {}}
        self.send("start", fragment="", stored=serialise(stored), starting=serialise(state))

    def keep(self, text: str):
        if text:
            reply = json.loads(text)
            assert "warning" not in reply, reply["warning"]
            self.replies.append((text, self.worker.session.state.copy(), self.before))

    def send(self, kind: str, **fields) -> dict:
        text = self.worker.handle(json.dumps({"kind": kind, **fields}))
        self.keep(text)
        if self.worker.rest_pending:
            self.keep(self.worker.rest())
        return json.loads(text) if text else {}


def every_view(state: State, kinds: list[str]) -> Page:
    page = Page(state, kinds)
    sizes = state.network.sizes
    page.send("practiceKinds", kinds=kinds)
    page.send("visible", parts=["forward", "loss", "backprop", "updates"], editorOpen=True)
    page.send("check", open=True)
    page.send("select", id=f"node-{len(sizes) - 1}-0")
    page.send("field", field="inputs[0]", text=repr(round(state.inputs[0] / 2 + 0.25, 4)))
    page.send("visible", parts=[], editorOpen=False)  # the page at its top: an answer and its rest
    page.send("field", field="inputs[0]", text=repr(state.inputs[0]))
    page.send("visible", parts=["forward", "loss", "backprop", "updates"], editorOpen=True)
    elements = [f"node-{l}-{j}" for l, n in enumerate(sizes) for j in range(n)]
    elements += [f"edge-{l}-{j}-{i}" for l in range(1, len(sizes)) for j in range(sizes[l])
                 for i in range(sizes[l - 1])]
    cards = [f"{kind}{l}-{j}" for kind in "fb" for l in range(1, len(sizes)) for j in range(sizes[l])] + ["L", "u"]
    for element in elements:
        page.send("point", id=element)
        page.send("select", id=element)
    page.send("leave")
    for element in elements + cards:  # Copy LaTeX: a card, or a line's or neuron's chain rule
        page.send("latex", id=element)
    page.before = page.worker.session.state.copy()
    page.send("step")
    for element in elements:
        page.send("select", id=element)
    for element in elements + cards:
        page.send("latex", id=element)
    page.send("walk")
    page.send("export")
    page.send("copyLink")
    page.send("script")  # refused while anything is hidden: the code would print it
    page.send("notebook")
    page.before = None
    page.send("speed", value="fast")  # slices of many steps: numbers far from the start
    page.send("train")
    for _ in range(3):
        page.keep(page.worker.tick())
        page.send("drawn")
    page.send("train")
    page.send("reset")
    page.send("clear")
    return page


# ---- the oracle's side: what must not be written ----------------------------------------------

def written(x: float) -> set[str]:
    """x as the page writes a number, at 4 to 8 decimals, without its sign; from 100,000 in
    scientific form, and below 10⁻⁴ (too small for a value's decimals) too, with 1 to 8 decimals."""
    x = abs(float(x))
    if not math.isfinite(x):
        return set()
    if x < 99_999.5:
        tiny = {scientific(x, d) for d in range(1, DECIMALS.stop)} if 0 < x < 1e-4 else set()
        return {f"{x:.{d}f}" for d in DECIMALS} | tiny
    return {scientific(x, d) for d in DECIMALS}


def scientific(x: float, decimals: int) -> str:
    mantissa, exponent = f"{x:.{decimals}e}".split("e")
    return f"{mantissa} × 10{int(exponent)}".translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def values(state: State, before: State | None) -> list[tuple[str, set[str], list]]:
    """(what, the kinds that hide it, its values) of every number the page could write: what
    no kind hides is shown by right."""
    net, inputs, targets, rate = oracle_problem(state)
    p = oracle.full_pass(net, inputs, targets)
    step_net = oracle_problem(before)[0] if before else net
    q = oracle.full_pass(step_net, inputs, targets) if before else p
    L, t = len(net.weights), np.array(targets)
    o, z = p.activations[L], p.sums[L]
    cross_entropy, softmax = net.loss == "cross_entropy", net.activations[-1] == "softmax"
    combined = cross_entropy and net.activations[-1] in ("sigmoid", "softmax")
    with np.errstate(divide="ignore", invalid="ignore"):
        log_o = z - np.logaddexp.reduce(z) if softmax else -np.logaddexp(0.0, -z)
        log_c = -np.logaddexp(0.0, z)
        terms = -t * log_o if softmax else -(t * log_o + (1 - t) * log_c)
    one_term = cross_entropy and np.count_nonzero(terms) == 1 and all(x in (0, 1) for x in t)
    own = [k for k in np.flatnonzero(terms) if one_term]  # L = −ln o (t = 1) or −ln(1 − o) (t = 0) of this output
    update_w = [rate * g for g in q.weight_gradients]
    update_b = [rate * g for g in q.bias_gradients]
    central = central_differences(net, inputs, targets)  # as the gradient check shows them
    single_input = {l for l in range(2, L + 1) if net.weights[l - 1].shape[1] == 1}
    single_next = {l for l in range(1, L) if net.weights[l].shape[0] == 1}
    A, D, LOSS, NEW = "activations", "deltas", "loss", "new_weights"
    out = [("inputs", set(), [inputs]), ("targets", set(), [t]), ("rate", set(), [rate]),
           ("w", set(), net.weights + step_net.weights), ("b", set(), net.biases + step_net.biases),
           ("z", set(), p.sums[1:]), ("a", {A}, p.activations[1:]), ("δ", {D}, p.deltas[1:]),
           ("f′", set(), [oracle.jacobian(f, s, a) for f, s, a in zip(net.activations, p.sums[1:], p.activations[1:])]),
           ("o − t", {A}, [o - t]), ("(o − t)²", {A}, [(o - t) ** 2] if not cross_entropy else []), ("ln o", {A}, [np.delete(log_o, [k for k in own if t[k] == 1])] if cross_entropy else []),
           ("ln(1 − o)", {A}, [np.delete(log_c, [k for k in own if t[k] == 0])] if cross_entropy and not softmax else []),
           ("−L, L's one term's logarithm", {A, LOSS}, [(log_o if t[k] == 1 else log_c)[k] for k in own]),
           ("a loss term", {A, LOSS} if one_term else set(), [terms[terms != 0]] if cross_entropy else []),
           ("L", {LOSS, A} if one_term else {LOSS}, [p.loss]),
           ("Σ (o − t)²", {LOSS} if not cross_entropy else set(), [2 * p.loss]),
           ("∂L/∂a of the outputs", {A}, [p.errors[L]]),
           ("δ = o − t", {A, D} if combined else {D}, [p.deltas[L]]),
           ("e^(z − m)", {A} if softmax else set(), [np.exp(z - z.max())])]
    for l in range(1, L + 1):
        out.append((f"Σ a × w into layer {l}", {A} if l in single_input else set(), [p.sums[l] - net.biases[l - 1]]))
        if l < L:
            out.append((f"∂L/∂a of layer {l}", {D} if l in single_next else set(), [p.errors[l]]))
    for l in range(1, L + 1):  # now (the gradient check), and the step the page shows: before it is taken, now
        weight_kinds = {D} | ({A} if l > 1 else set())
        bias_kinds = {D} | ({A} if combined and l == L else set())
        out += [(f"∂L/∂w into layer {l}", weight_kinds, [p.weight_gradients[l - 1], central[0][l - 1]]),
                (f"∂L/∂b of layer {l}", bias_kinds, [p.bias_gradients[l - 1], central[1][l - 1]]),
                (f"∂L/∂w into layer {l}, of the step shown", set() if before else weight_kinds,
                 [q.weight_gradients[l - 1]]),
                (f"∂L/∂b of layer {l}, of the step shown", set() if before else bias_kinds, [q.bias_gradients[l - 1]]),
                # with α = 1 an update is its gradient, and gives away what that does
                (f"α × ∂L/∂w into layer {l}", {NEW} | (weight_kinds if rate == 1 and not before else set()),
                 [update_w[l - 1]]),
                (f"α × δ of layer {l}", {NEW} | (set() if before else {D} | (bias_kinds if rate == 1 else set())),
                 [update_b[l - 1]]),
                (f"new w into layer {l}", {NEW}, [step_net.weights[l - 1] - update_w[l - 1]]),
                (f"new b of layer {l}", {NEW}, [step_net.biases[l - 1] - update_b[l - 1]])]
    if before:
        out += [("a before the step", set(), q.activations[1:]), ("δ before the step", set(), q.deltas[1:])]
    return out


def central_differences(net: oracle.Net, inputs, targets, h: float = 1e-5) -> tuple[list, list]:
    """(L(p + h) − L(p − h)) / ((p + h) − (p − h)) of every weight and bias, as the gradient check defines it."""
    def slope(values: np.ndarray, index) -> float:
        p = values[index]
        up, down = p + h, p - h
        values[index] = up
        above = oracle.loss_at(net, inputs, targets)
        values[index] = down
        below = oracle.loss_at(net, inputs, targets)
        values[index] = p
        return (above - below) / (up - down)

    net = net.copy()
    with np.errstate(all="ignore"):
        weights = [np.array([[slope(w, (j, i)) for i in range(w.shape[1])] for j in range(w.shape[0])])
                   for w in net.weights]
        biases = [np.array([slope(b, j) for j in range(len(b))]) for b in net.biases]
    return weights, biases


def texts(arrays: list) -> set[str]:
    return {text for array in arrays for x in np.ravel(np.asarray(array, dtype=float)) for text in written(x)}


def forbidden(state: State, before: State | None, kinds: list[str]) -> dict[str, str]:
    """{text: what it is} of every number hidden or given away, but not also shown by right."""
    secret, allowed = {}, set()
    for what, hiding, arrays in values(state, before):
        if hiding & set(kinds):
            secret |= dict.fromkeys(texts(arrays), what)
        else:
            allowed |= texts(arrays)
    return {text: what for text, what in secret.items() if text not in allowed}


def strings(value):
    """Every text of a reply: its keys and its strings."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, str):
        yield value


def leaks(page: Page, kinds: list[str]) -> list[str]:
    found, cache = [], {}
    for text, state, before in page.replies:
        reply = json.loads(text)
        reply.pop("worksheet", None)  # a network of its own: see test_the_worksheet_is_its_own_network
        key = (serialise(state), before and serialise(before))
        if key not in cache:
            cache[key] = forbidden(state, before, kinds)
        secret = cache[key]
        for string in strings(reply):
            for token in NUMBER.findall(string):
                if token in secret:
                    found.append(f"{secret[token]} {token} in {string[:160]!r}")
    return found


def check(state: State, kinds: list[str]):
    page = every_view(state, kinds)
    assert not (found := leaks(page, kinds)), "\n".join(found[:12])


# ---- the tests --------------------------------------------------------------------------------

def designed(sizes, activations, loss, targets, seed=7) -> State:
    rng = np.random.default_rng(seed)
    state = load_seed()
    state.network.weights = [rng.uniform(-1, 1, (sizes[l + 1], sizes[l])).round(3).tolist()
                             for l in range(len(sizes) - 1)]
    state.network.biases = [rng.uniform(-0.5, 0.5, n).round(3).tolist() for n in sizes[1:]]
    state.network.activations, state.network.loss = activations, loss
    state.inputs, state.targets = rng.uniform(-1, 1, sizes[0]).round(3).tolist(), targets
    return parse(serialise(state))


NETWORKS = {
    "seed": lambda: load_seed(),
    "softmax, mean squared error (Jacobian δ)": lambda: designed([2, 3, 3], ["relu", "softmax"], "mse",
                                                                  [0.2, 0.7, 0.1]),
    "softmax, cross-entropy, one-hot": lambda: designed([3, 2, 3], ["tanh", "softmax"], "cross_entropy",
                                                        [0.0, 1.0, 0.0]),
    "one output, binary cross-entropy": lambda: designed([2, 3, 1], ["leaky_relu", "sigmoid"], "cross_entropy",
                                                          [1.0]),
    "one-neuron layers": lambda: designed([1, 1, 2, 1, 1], ["relu", "tanh", "linear", "sigmoid"], "mse", [0.3]),
    "mazur": lambda: from_preset("mazur"),
}


@pytest.mark.parametrize("kinds", SUBSETS, ids=["+".join(k) for k in SUBSETS])
@pytest.mark.parametrize("name", NETWORKS)
def test_no_hidden_value_reaches_the_page(name, kinds):
    check(NETWORKS[name](), kinds)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(problem=problems(max_width=5, max_hidden=3), kinds=st.sampled_from(SUBSETS))
def test_no_hidden_value_of_any_network_reaches_the_page(problem, kinds):
    net, inputs, targets, rate = problem
    p = oracle.full_pass(net, inputs, targets)
    assume(all(np.all(np.isfinite(x)) for x in p.deltas[1:] + p.errors[1:] + [p.loss]))
    try:
        state = parse(serialise(state_of(net, inputs, targets, min(rate, 1.0))))
    except StateError:
        assume(False)
    state.epoch = 3  # a network already trained a little: its curve has a history once trained
    check(state, kinds)


def test_the_worksheet_is_its_own_network():
    """The worksheet's exercise draws its weights from its own seed: what it shows does not
    depend on the page's weights, so none of the page's hidden values is in it."""
    def sheets(state: State) -> str:
        worker = Worker()
        worker.handle(json.dumps({"kind": "start", "fragment": "", "stored": None, "starting": serialise(state)}))
        worker.handle(json.dumps({"kind": "practice"}))
        return json.loads(worker.handle(json.dumps({"kind": "worksheet"})))["worksheet"]["view"]

    state = load_seed()
    other = state.copy()
    other.network.weights[0][0][0] += 0.5
    other.network.biases[-1][0] -= 0.25
    assert sheets(state) == sheets(other)
