"""A loss is one entry in losses.LOSSES: registered here, within the test only, a quartic error
L = ¼ Σ (o − t)⁴ with ∂L/∂a = (a − t)³ is worked out by the page, `explain`, the walk's
captions, the worksheet and the selection's chain rule with its own formulas, never "a − t",
and its numbers are the slopes of its loss (central differences)."""

from __future__ import annotations

import math
import re

import pytest

from line_check import failures, page_lines, text_lines
from pyodide_app import losses
from pyodide_app.activations import Formula
from pyodide_app.losses import Loss, Work
from pyodide_app.network import Network, total_loss
from pyodide_app.notation.expressions import Bracket, Const, Diff, Each, Power, Product, Slot
from pyodide_app.session import Session
from pyodide_app.state import State
from pyodide_app.trace import trace
from pyodide_app.view import chain, render
from pyodide_app.view.captions import caption
from pyodide_app.view.explain import explain
from pyodide_app.view.worksheet import KINDS, sheet
from pyodide_app.features.walk import steps

A, T = Slot("a"), Slot("t")


def quartic_terms(sums, outputs, targets, output) -> dict:
    terms = [{"predicted": o, "target": t, "difference": o - t, "fourth": (o - t) ** 4}
             for o, t in zip(outputs, targets)]
    total = math.fsum(term["fourth"] for term in terms)
    return {"terms": terms, "sum_fourth": total, "total": total / 4}


QUARTIC = Loss(
    "quartic", "Quartic error",
    {"": Formula("L = ¼ Σ_j (o_j − t_j)⁴",
                 "<mi>L</mi><mo>=</mo><mfrac><mn>1</mn><mn>4</mn></mfrac><munder><mo>∑</mo><mi>j</mi></munder>"
                 "<msup><mrow><mo>(</mo><msub><mi>o</mi><mi>j</mi></msub><mo>−</mo><msub><mi>t</mi><mi>j</mi></msub>"
                 "<mo>)</mo></mrow><mn>4</mn></msup>")},
    quartic_terms, lambda outputs, targets: [(o - t) ** 3 for o, t in zip(outputs, targets)],
    error=Power(Diff(A, T), 3),
    work={"": Work({"difference": ("ld", "value"), "fourth": ("lq", "precise"), "sum_fourth": ("lss", "precise"),
                    "total": ("loss", "precise")},
                   term=(Power(Diff(A, T), 4), Power(Slot("difference"), 4)), term_result="fourth",
                   total=(Product(Const("0.25"), Bracket(Each(Slot("fourth")))),
                          Product(Const("0.25"), Slot("sum_fourth"))))})


@pytest.fixture
def quartic(monkeypatch):
    monkeypatch.setitem(losses.LOSSES, "quartic", QUARTIC)
    weights = [[[0.4, -0.7], [0.3, 0.9], [-0.5, 0.2]], [[0.6, -0.4, 0.8], [-0.2, 0.5, 0.1]]]
    biases = [[0.1, -0.2, 0.05], [0.2, -0.1]]
    return State([0.5, -0.8], [0.9, 0.1], 0.5, Network(weights, biases, ["tanh", "sigmoid"], "quartic"))


def not_a_minus_t(text: str) -> None:
    """Its ∂L/∂a is (a − t)³: "a − t" (or "output − target") never stands alone."""
    assert not re.search(r"(?<!\()\b(a − t|output − target)\b(?!\)³)", text), text


def test_the_page_shows_its_own_loss_and_dl_da(quartic):
    t = trace(quartic)
    html = render.render_parts(render.context(quartic, t), ["formulas"])["formulas"]
    text = re.sub(r"<[^>]+>", "", html)
    assert "Loss Calculation (Quartic Error)" in text and "∂Loss/∂output = (output − target)³" in text
    not_a_minus_t(text)
    lines = page_lines(html)
    assert any(line.startswith("(∂L) / (∂sym_aOut-1) = (") and ")³ = " in line for line in lines), lines
    assert any(line.startswith("(") and ")⁴ = (" in line.replace("^4", "⁴") for line in lines) or \
        any("0.25 × [" in line for line in lines), lines
    assert [line for line in lines if failures(line)] == []


def test_explain_captions_worksheet_and_chain_rule_show_its_own_formulas(quartic):
    t = trace(quartic)
    written = explain(t, quartic.targets)
    assert "∂L/∂a = (a − t)³ = (" in written and "L = 0.25 × [" in written
    said = [caption(step, t, t, t["loss"]["total"]) for step in steps(t["sizes"])]
    assert any("∂L/∂a = (a − t)³ = (" in c for c in said)
    rules = [chain.rule(("edge", 2, j, i), t, False) for j in range(2) for i in range(3)]
    assert all("∂" in rule for rule in rules)
    s = sheet(quartic, 0, tuple(KINDS))
    formulas = " ".join(s["formulas"])
    assert "∂L/∂a = (a − t)³" in formulas and "L = ¼ Σ_j (o_j − t_j)⁴" in formulas
    exercise = ["".join(p if isinstance(p, str) else p[0] + p[1] for p in task["exercise"])
                for section in s["sections"] for task in section["tasks"]]
    assert any(line.startswith("δOut-1 = (aOut-1 − 0.9000)³ × σ′(zOut-1)") for line in exercise), exercise
    for text in [written, *said, formulas, *rules, *exercise]:
        not_a_minus_t(text)
    assert [line for text in [written, *said] for line in text_lines(text) if failures(line)] == []


def test_its_numbers_are_the_slopes_of_its_loss(quartic):
    t, h = trace(quartic), 1e-6
    net = quartic.network
    for l, layer in enumerate(net.weights, start=1):
        for j, row in enumerate(layer):
            for i in range(len(row)):
                up, down = net.copy(), net.copy()
                up.weights[l - 1][j][i] += h
                down.weights[l - 1][j][i] -= h
                slope = (total_loss(up, quartic.inputs, quartic.targets) -
                         total_loss(down, quartic.inputs, quartic.targets)) / (2 * h)
                gradient = t["layers"][l]["neurons"][j]["weight_updates"][i]["gradient"]
                assert math.isclose(gradient, slope, rel_tol=1e-5, abs_tol=1e-9), (l, j, i)
    outputs = [n["activation"] for n in t["layers"][-1]["neurons"]]
    for j, n in enumerate(t["layers"][-1]["neurons"]):  # ∂L/∂a from L = ¼ Σ (a − t)⁴ itself
        up, down = outputs[:], outputs[:]
        up[j] += h
        down[j] -= h
        slope = (QUARTIC.value([], up, quartic.targets, "") - QUARTIC.value([], down, quartic.targets, "")) / (2 * h)
        assert math.isclose(n["error"], slope, rel_tol=1e-6)


def test_the_live_session_takes_it(quartic):
    session = Session(quartic)
    session.start("", None)
    reply = session.handle("step")
    assert reply["batch"]["text"] and session.state.network.loss == "quartic"
