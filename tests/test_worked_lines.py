"""Every worked line adds up on the digits it shows: redone by line_check.py from the numbers
the line writes, not from the values behind them, on the page, in the walk's captions, in
`explain`, the worksheet's key and the selection's chain rule, for any network the page allows,
before and after training. On the seed, too, where a step made "z = 0.7400 + 0.1000 = 0.8399"."""

from __future__ import annotations

import math
import re

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import oracle
from line_check import failures, page_lines, text_lines, worked_out
from pyodide_app.network import train
from pyodide_app.state import load_seed
from pyodide_app.trace import trace
from pyodide_app.view import chain, render
from pyodide_app.view.captions import caption
from pyodide_app.view.explain import explain
from pyodide_app.view.worksheet import KINDS, sheet
from pyodide_app.features.walk import steps
from strategies import problems, state_of


def page_failures(state, t: dict) -> list:
    html = render.render_parts(render.context(state, t), ["formulas"])["formulas"]
    lines = page_lines(html)
    assert any(" = " in line for line in lines)
    return [(line, f) for line in lines if (f := failures(line))]


def text_failures(text: str) -> list:
    return [(line, f) for line in text_lines(text) if (f := failures(line))]


def walk_failures(t: dict) -> list:
    return [found for step in steps(t["sizes"]) for found in text_failures(caption(step, t, t, t["loss"]["total"]))]


def chain_failures(t: dict) -> list:
    sizes, out = t["sizes"], []
    for l in range(1, len(sizes)):
        for j in range(sizes[l]):
            for found in [("node", l, j)] + [("edge", l, j, i) for i in range(sizes[l - 1])]:
                rows = page_lines(chain.rule(found, t, False))
                out += [(row, f) for row in rows if (f := failures(row))]
    return out


def worksheet_failures(state) -> list:
    out = []
    for section in sheet(state, 0, tuple(KINDS))["sections"]:
        for task in section["tasks"]:
            for line in task["key"]:
                text = "".join(p if isinstance(p, str) else p[0] for p in line)
                out += [(text, f) for f in failures(text)]
    return out


def trained(state, steps_taken: int):
    train(state.network, state.inputs, state.targets, state.learning_rate, steps_taken)
    state.epoch += steps_taken
    return state


def test_the_seed_adds_up_before_and_after_a_step():
    for taken in (0, 1, 7):
        state = trained(load_seed(), taken)
        t = trace(state)
        html = render.render_parts(render.context(state, t), ["formulas"])["formulas"]
        # each neuron's sum (twice: Σ a × w + b, s + b), σ, ∂L/∂a, σ′ and δ; the loss's; the worked update
        assert sum(map(worked_out, page_lines(html))) >= 11 * 6 + 6 + 3
        assert sum(map(worked_out, text_lines(explain(t, state.targets)))) >= 11 * 6 + 6 + 34 + 11  # every update
        assert page_failures(state, t) == []
        assert text_failures(explain(t, state.targets)) == []
        assert walk_failures(t) == []
        assert chain_failures(t) == []
        assert worksheet_failures(state) == []


def test_the_checker_finds_what_does_not_add_up():
    """As the page wrote them before the lines were chosen to hold: this test could fail."""
    assert failures("z = 0.7400 + 0.1000 = 0.8399")
    assert failures("δ = −0.134439 × 0.2226 = −0.029925")
    assert failures("∂L/∂a = 0.6656 − 0.8000 = −0.134439")
    assert failures("a = σ(0.8399) = 0.6987")
    assert not failures("a = σ(0.8399) = 0.6985") and not failures("z = 0.7400 + 0.1000 ≈ 0.8399")
    assert page_lines("<math><mi>z</mi><mo>=</mo><mn>0.74</mn><mo>+</mo><mn>0.10</mn></math>"
                      "<math><mo>=</mo><mn>0.85</mn></math>") == ["z = 0.74 + 0.10 = 0.85"]
    assert failures("z = 0.74 + 0.10 = 0.85")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(problems(max_hidden=3, max_width=5), st.integers(0, 3))
def test_every_worked_line_of_any_network_adds_up_on_its_digits(problem, taken):
    state = trained(state_of(*problem), taken)
    net = oracle.Net.from_lists(state.network.weights, state.network.biases, state.network.activations,
                                state.network.loss)
    p = oracle.full_pass(net, state.inputs, state.targets)
    assume(all(np.all(np.isfinite(x)) for x in p.deltas + p.errors) and math.isfinite(p.loss))
    t = trace(state)
    assert page_failures(state, t) == []
    assert text_failures(explain(t, state.targets)) == []
    assert walk_failures(t) == []
    assert chain_failures(t) == []
    assert worksheet_failures(state) == []


def test_a_long_trained_seed_adds_up_with_numbers_too_small_for_their_decimals():
    """After thousands of steps the loss and δs are far below 10⁻⁶: written 4.893367 × 10⁻⁷,
    never 0.000000, and every line still adds up on the digits it shows."""
    for taken in (1000, 20_000):
        state = trained(load_seed(), taken)
        t = trace(state)
        assert 0 < t["loss"]["total"] < 1e-6
        html = render.render_parts(render.context(state, t), ["formulas"])["formulas"]
        assert "× 10⁻" in html and not re.search(r">0\.0+</mn>", html.replace("−", ""))
        assert page_failures(state, t) == []
        assert text_failures(explain(t, state.targets)) == []
        assert walk_failures(t) == []
        assert chain_failures(t) == []
        assert worksheet_failures(state) == []
