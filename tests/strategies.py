"""Random networks for hypothesis: any architecture the page allows (1–8 inputs, 0–4 hidden
layers of 1–8 neurons, 1–8 outputs), any activations, any loss that suits the outputs; and
any state the page can save."""

from __future__ import annotations

import math

from hypothesis import strategies as st

import oracle
from pyodide_app.network import Network
from pyodide_app.practice import KEY, KINDS
from pyodide_app.state import State

finite = dict(allow_nan=False, allow_infinity=False)


def losses_for(output: str) -> list[str]:
    return ["mse", "cross_entropy"] if output in ("sigmoid", "softmax") else ["mse"]


@st.composite
def designs(draw, max_hidden: int = 4, max_width: int = 8, hidden=oracle.ELEMENTWISE, outputs=oracle.ACTIVATIONS):
    """(sizes, activations, loss)"""
    count = draw(st.integers(0, max_hidden)) + 2
    sizes = draw(st.lists(st.integers(1, max_width), min_size=count, max_size=count))
    activations = draw(st.lists(st.sampled_from(hidden), min_size=count - 2, max_size=count - 2))
    output = draw(st.sampled_from([f for f in outputs if f != "softmax" or sizes[-1] > 1] or ["sigmoid"]))
    return sizes, activations + [output], draw(st.sampled_from(losses_for(output)))


@st.composite
def targets_for(draw, output: str, loss: str, count: int) -> list[float]:
    """Targets a network with these outputs can reach; for softmax with cross-entropy, adding up to 1."""
    if output == "softmax" and loss == "cross_entropy":
        weights = draw(st.lists(st.floats(0.01, 1.0, **finite), min_size=count, max_size=count))
        total = math.fsum(weights)
        return [w / total for w in weights]
    low, high = oracle.OUTPUT_RANGE[output]
    return draw(st.lists(st.floats(max(low, -5.0), min(high, 5.0), **finite), min_size=count, max_size=count))


@st.composite
def problems(draw, max_hidden: int = 4, max_width: int = 8, input_bound: float = 3.0, weight_bound: float = 3.0,
             **design):
    """(oracle.Net, inputs, targets, learning rate) for a random design."""
    sizes, activations, loss = draw(designs(max_hidden, max_width, **design))
    values = st.floats(-weight_bound, weight_bound, **finite)
    weights = [draw(st.lists(st.lists(values, min_size=sizes[l], max_size=sizes[l]),
                             min_size=sizes[l + 1], max_size=sizes[l + 1])) for l in range(len(sizes) - 1)]
    biases = [draw(st.lists(values, min_size=n, max_size=n)) for n in sizes[1:]]
    inputs = draw(st.lists(st.floats(-input_bound, input_bound, **finite), min_size=sizes[0], max_size=sizes[0]))
    targets = draw(targets_for(activations[-1], loss, sizes[-1]))
    rate = draw(st.floats(1e-3, 10, **finite))
    return oracle.Net.from_lists(weights, biases, activations, loss), inputs, targets, rate


def state_of(net: oracle.Net, inputs, targets, rate: float = 0.1) -> State:
    """The page's state for an oracle network (a problem of `problems()`: state_of(*problem))."""
    weights, biases = net.to_lists()
    return State([float(x) for x in inputs], [float(t) for t in targets], rate,
                 Network(weights, biases, net.activations[:], net.loss))


answer_keys = st.from_regex(KEY, fullmatch=True)
practices = st.none() | st.fixed_dictionaries({
    "kinds": st.lists(st.sampled_from(KINDS), unique=True).map(lambda kinds: [k for k in KINDS if k in kinds]),
    "answers": st.dictionaries(answer_keys, st.text(max_size=40), max_size=5),
})


@st.composite
def saved_states(draw, design=designs()):
    """Any state a page can save: every field anywhere within its limits, practising or not."""
    sizes, activations, loss = draw(design)
    layers = len(sizes) - 1
    param = st.floats(-1e9, 1e9, **finite)
    weights = [[draw(st.lists(param, min_size=sizes[l], max_size=sizes[l])) for _ in range(sizes[l + 1])]
               for l in range(layers)]
    biases = [draw(st.lists(param, min_size=n, max_size=n)) for n in sizes[1:]]
    return State(
        inputs=draw(st.lists(st.floats(-1e6, 1e6, **finite), min_size=sizes[0], max_size=sizes[0])),
        targets=draw(targets_for(activations[-1], loss, sizes[-1])),
        learning_rate=draw(st.floats(0, 100, exclude_min=True, **finite)),
        network=Network(weights, biases, activations, loss),
        epoch=draw(st.integers(0, 10**15)),
        settings={"speed": draw(st.sampled_from(["slow", "normal", "fast"]))},
        preset=draw(st.sampled_from([None, "seed", "mazur", "dead-relu"])),
        random_seed=draw(st.integers(0, 10**6)),
        practice=draw(practices),
        worksheet_seed=draw(st.integers(0, 10**6)),
    )
