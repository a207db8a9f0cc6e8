"""Practice mode without a browser: how a typed answer is judged, the questions against the
numpy oracle, what the page is (and is not) sent while practising, and the progress kept in
the state (storage and the link)."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import oracle
from pyodide_app.practice import KINDS, NOT_A_NUMBER, RIGHT, WRONG, Question, judge, parse_answer, questions
from pyodide_app.state import from_data, load_seed
from pyodide_app.trace import trace
from pyodide_app.notation.numbers import number
from strategies import finite, problems


def asking(value: float, precision: str = "value") -> Question:
    return Question("a-1-0", "activations", "a of H1-1", value, precision, "forward-1-0")


def unit(precision: str) -> Decimal:
    return {"value": Decimal("1e-4"), "precise": Decimal("1e-6")}[precision]


def shown_value(x: float, precision: str) -> Decimal:
    """The number the page shows for x, exactly as its digits say."""
    return Decimal(repr(parse_answer(number(x, precision))))


def typed(x: Decimal) -> str:
    """x as a student writes it: its digits, a hyphen for a minus."""
    return f"{x:f}"


# ---- judging one answer ---------------------------------------------------------------------

@pytest.mark.parametrize("value, precision, answer", [
    (0.69846521, "value", "0.6985"),  # the shown value
    (0.69846521, "value", "0.6984"),  # one unit below
    (0.69846521, "value", "0.6986"),  # one unit above
    (0.69846521, "value", "0,6985"),  # a decimal comma
    (0.69846521, "value", " 0.69846 "),  # more decimals, spaces
    (0.69845, "value", "0.6984"),  # a value on the rounding edge: shown as 0.6984 or 0.6985,
    (0.69845, "value", "0.6985"),  # either is right
    (-0.134439, "precise", "−0.134439"),  # the page's true minus
    (-0.134439, "precise", "-0.134440"),  # a hyphen, one unit off
    (-0.134439, "precise", "-0,134438"),
    (-0.00000004, "precise", "0"),  # shown as −4.000000 × 10⁻⁸: one unit of 6 decimals away
    (-0.00000004, "precise", "−0.000000"),
    (-0.00000004, "precise", "−4.000000 × 10⁻⁸"),
    (-0.00000004, "precise", "-4e-8"),
    (1234567.89, "value", "1.2346 × 10⁶"),  # the page's scientific form: one unit is 100 here
    (1234567.89, "value", "1234600"),
    (1234567.89, "value", "1.2347e6"),
    (1234567.89, "value", "1234500"),
])
def test_right_answers_are_right_to_one_unit_of_the_last_decimal_shown(value, precision, answer):
    assert judge(answer, asking(value, precision)) == RIGHT


@pytest.mark.parametrize("value, precision, answer", [
    (0.69846521, "value", "0.6987"),
    (0.69846521, "value", "0.6983"),
    (0.69846521, "value", "0.69"),
    (0.69846521, "value", "-0.6985"),
    (-0.134439, "precise", "0.134439"),
    (-0.134439, "precise", "−0.134441"),
    (1234567.89, "value", "1234800"),
    (1234567.89, "value", "1.2346"),
])
def test_wrong_answers_are_wrong(value, precision, answer):
    assert judge(answer, asking(value, precision)) == WRONG


@pytest.mark.parametrize("answer", ["abc", "", "   ", "1e309", "-1e309", "nan", "NaN", "inf", "-inf", "Infinity",
                                    "0.5.1", "1,2,3", "0x10", "1_000", "½", "--1", "1e", "e5", "5x105", "−"])
def test_anything_but_a_finite_number_is_not_a_number_never_wrong(answer):
    assert parse_answer(answer) is None
    assert judge(answer, asking(0.5)) == NOT_A_NUMBER


@settings(max_examples=300, deadline=None)
@given(st.floats(-9e4, 9e4, **finite), st.sampled_from(["value", "precise"]), st.integers(-1, 1), st.booleans())
def test_the_shown_value_and_one_unit_either_side_are_right(x, precision, units, comma):
    answer = typed(shown_value(x, precision) + units * unit(precision))
    assert judge(answer.replace(".", ",") if comma else answer, asking(x, precision)) == RIGHT


@settings(max_examples=300, deadline=None)
@given(st.floats(-9e4, 9e4, **finite), st.sampled_from(["value", "precise"]), st.integers(2, 50),
       st.sampled_from([-1, 1]))
def test_two_units_or_more_away_is_wrong(x, precision, units, sign):
    assert judge(typed(shown_value(x, precision) + sign * units * unit(precision)), asking(x, precision)) == WRONG


@given(st.text(alphabet=st.characters(blacklist_categories=("Nd",)), max_size=12))
def test_text_without_a_digit_is_never_a_number(text):
    assert judge(text, asking(0.5)) == NOT_A_NUMBER


# ---- the questions, against the oracle --------------------------------------------------------

def state_of(net: oracle.Net, inputs, targets, rate):
    weights, biases = net.to_lists()
    return from_data({"version": 2, "sizes": [len(inputs)] + [len(b) for b in biases], "activations": net.activations,
                      "loss": net.loss, "preset": None, "random_seed": 0, "inputs": list(inputs),
                      "targets": list(targets), "learning_rate": rate, "weights": weights, "biases": biases,
                      "epoch": 0, "settings": {}})


def oracle_answers(net: oracle.Net, inputs, targets, rate) -> dict[str, float]:
    """Every question's value, by the oracle: activations, loss, δs, weights after one step."""
    p = oracle.full_pass(net, inputs, targets)
    after = oracle.step(net, inputs, targets, rate)
    out = {"loss": p.loss}
    for l in range(1, len(p.activations)):
        for j in range(len(p.activations[l])):
            out[f"a-{l}-{j}"], out[f"d-{l}-{j}"] = p.activations[l][j], p.deltas[l][j]
            out[f"nb-{l}-{j}"] = after.biases[l - 1][j]
            for i in range(len(p.activations[l - 1])):
                out[f"nw-{l}-{j}-{i}"] = after.weights[l - 1][j, i]
    return out


def assert_questions_are_the_oracles(state, net, inputs, targets, rate):
    asked = questions(trace(state), KINDS)
    expected = oracle_answers(net, inputs, targets, rate)
    assert {q.key for q in asked} == set(expected)
    for q in asked:
        oracle.assert_close(q.value, expected[q.key], q.key)
        assert judge(number(float(expected[q.key]), q.precision), q) == RIGHT, q.key


NETWORKS = {  # (sizes, activations, loss)
    "tanh-relu-linear": ([3, 3, 2, 2], ["tanh", "relu", "linear"], "mse"),
    "softmax-cross-entropy": ([2, 3, 3], ["sigmoid", "softmax"], "cross_entropy"),
    "softmax-mse": ([2, 3, 3], ["leaky_relu", "softmax"], "mse"),
    "sigmoid-cross-entropy": ([2, 2], ["sigmoid"], "cross_entropy"),
}


def test_the_seeds_questions_are_the_oracles_answers():
    seed = oracle.seed_data()
    assert_questions_are_the_oracles(load_seed(), oracle.seed_net(), seed["inputs"], seed["targets"],
                                     seed["learning_rate"])


@pytest.mark.parametrize("name", NETWORKS)
def test_every_kind_of_network_asks_the_oracles_answers(name):
    sizes, activations, loss = NETWORKS[name]
    rng = np.random.default_rng(len(name))
    weights = [rng.uniform(-1, 1, (sizes[l + 1], sizes[l])) for l in range(len(sizes) - 1)]
    biases = [rng.uniform(-1, 1, n) for n in sizes[1:]]
    net = oracle.Net(weights, biases, activations, loss)
    targets = [1.0] + [0.0] * (sizes[-1] - 1) if activations[-1] == "softmax" else [0.3] * sizes[-1]
    inputs = list(rng.uniform(-1, 1, sizes[0]))
    assert_questions_are_the_oracles(state_of(net, inputs, targets, 0.5), net, inputs, targets, 0.5)


@settings(max_examples=40, deadline=None)
@given(problems(max_hidden=2, max_width=4, weight_bound=2.0, input_bound=2.0))
def test_any_network_asks_the_oracles_answers(problem):
    net, inputs, targets, rate = problem
    values = oracle_answers(net, inputs, targets, rate).values()
    if not all(math.isfinite(v) and abs(v) < 1e9 for v in values):
        return  # a step out of the weights' limits: the page would refuse it, there is nothing to ask
    assert_questions_are_the_oracles(state_of(net, inputs, targets, rate), net, inputs, targets, rate)


def test_labels_say_what_each_box_asks():
    labels = {q.key: q.label for q in questions(trace(load_seed()), KINDS)}
    assert (labels["a-2-0"], labels["d-4-0"], labels["loss"]) == ("a of H2-1", "δ of Out-1", "L")
    assert (labels["nw-2-0-0"], labels["nb-1-3"]) == ("new w H1-1 → H2-1", "new b H1-4")
