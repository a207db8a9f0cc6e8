"""Losses, one record each: the function, its gradient, its formula, the outputs it suits.

    Mean squared error  L = ½ Σ_j (o_j − t_j)²                    ∂L/∂o_j = o_j − t_j
    Cross-entropy       binary, with sigmoid outputs:
                        L = −Σ_j [t_j ln o_j + (1 − t_j) ln(1 − o_j)]
                        categorical, with softmax outputs:
                        L = −Σ_j t_j ln o_j
                        either way δ_j = ∂L/∂z_j = o_j − t_j: the activation's slope cancels

Cross-entropy's logarithms are taken from the sums z rather than from o, so a saturated
output (o rounded to exactly 0 or 1) gives a large loss, never ln 0:

    ln σ(z) = −softplus(−z)    ln(1 − σ(z)) = −softplus(z)    ln softmax(z)_j = z_j − ln Σ_k e^(z_k)

A record declares its worked lines as formula trees (notation/expressions.py), as the
activations do: `error`, ∂L/∂a of one output from Slot("a") and Slot("t"), and `work`, the
loss worked out from the outputs (`Work`). Formulas are plain text and MathML (the inside of
a <math> element), as in activations.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from .activations import ACTIVATIONS, Formula, softmax_parts
from .notation.expressions import (Bracket, Call, Const, Diff, Each, Expr, Neg, Partial, Power, Product, Slot, Sum,
                                   Sym)
from .translation import N_, _

A, T = Slot("a"), Slot("t")


@dataclass(frozen=True)
class Work:
    """How a loss is worked out, as the page, the worksheet and the command line write it.

    `term`: the stages of each output's own term, ending in the number named `term_result`,
    written `term_symbol` = … (L_Out-1 = …) if it has one; `total`: the stages of L, ending in
    `total_result`.
    In them Slot("a") and Slot("t") are an output and its target, any other Slot a number of
    the loss's trace (`terms`) named by `keys`: field → (the page's key, its kind); a field of
    each output's term gets "-j" after its key. Each(…) adds its body up over the outputs."""
    keys: dict[str, tuple[str, str]]
    total: tuple[Expr, ...]
    total_result: str = "total"
    term: tuple[Expr, ...] = ()
    term_result: str = ""
    term_symbol: str = ""


@dataclass(frozen=True)
class Loss:
    key: str  # as saved in a state: "mse"
    label: str  # as a person reads it, in English (`name` in the reader's language)
    formulas: dict[str, Formula]  # by output activation; "" for any other
    terms: Callable[[list[float], list[float], list[float], str], dict]  # (z, o, t, output) → trace
    gradient: Callable[[list[float], list[float]], list[float]] | None  # ∂L/∂o; None: δ = o − t only
    error: Expr | None  # ∂L/∂a of one output, worked; None where it is not used (δ = o − t)
    work: dict[str, Work]  # by output activation; "" for any other
    combined: tuple[str, ...] = ()  # output activations with which δ = o − t
    outputs: tuple[str, ...] | None = None  # output activations it accepts; None: any
    probabilities: bool = False  # its targets are probabilities: 0 … 1, adding up to 1 over a mixed layer
    notes: dict[str, str] | None = None  # by output activation: what to know about the pairing, in English
    error_is_difference: bool = False  # ∂L/∂o_j = o_j − t_j (a fast path's δ = (o − t) · f′)
    alone: Callable[[list[float], list[float]], float] | None = None  # L(o, t) without its worked terms, for many points

    @property
    def name(self) -> str:
        return _(self.label)

    def formula(self, output: str) -> Formula:
        return self.formulas.get(output) or self.formulas[""]

    def worked(self, output: str) -> Work:
        return self.work.get(output) or self.work[""]

    def value(self, sums: list[float], outputs: list[float], targets: list[float], output: str) -> float:
        return self.terms(sums, outputs, targets, output)["total"]


def softplus(x: float) -> float:
    """softplus(x) = ln(1 + e^x), without overflow for large x."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def squared_error(sums, outputs, targets, output) -> dict:
    """L = ½ Σ (o − t)²"""
    terms = [{"predicted": o, "target": t, "difference": o - t, "squared": (o - t) ** 2}
             for o, t in zip(outputs, targets)]
    total = 0.5 * math.fsum(term["squared"] for term in terms)
    return {"terms": terms, "sum_squared": 2 * total, "total": total}


def cross_entropy(sums, outputs, targets, output) -> dict:
    """Binary (sigmoid): −Σ [t ln o + (1 − t) ln(1 − o)];  categorical (softmax): −Σ t ln o."""
    if ACTIVATIONS[output].mixes_layer:
        shift, _, total = softmax_parts(sums)
        log_total = shift + math.log(total)
        terms = [{"predicted": o, "target": t, "log_predicted": z - log_total, "term": -t * (z - log_total)}
                 for z, o, t in zip(sums, outputs, targets)]
    else:
        terms = []
        for z, o, t in zip(sums, outputs, targets):
            log_o, log_complement = -softplus(-z), -softplus(z)
            terms.append({"predicted": o, "target": t, "log_predicted": log_o, "log_complement": log_complement,
                          "term": -(t * log_o + (1.0 - t) * log_complement)})
    return {"terms": terms, "total": math.fsum(term["term"] for term in terms)}


def _output_error(outputs: list[float], targets: list[float]) -> list[float]:
    """∂L/∂o_j = o_j − t_j for ½ Σ (o − t)²"""
    return [o - t for o, t in zip(outputs, targets)]


def _sum_mathml(body: str) -> str:
    return f"<mi>L</mi><mo>=</mo><mo>−</mo><munder><mo>∑</mo><mi>j</mi></munder>{body}"


_T, _O = "<msub><mi>t</mi><mi>j</mi></msub>", "<msub><mi>o</mi><mi>j</mi></msub>"
_HALF, _ONE = Const("0.5"), Const("1")


def _ln(x: Expr) -> Call:
    return Call("ln", x, math.log)


LOSSES: dict[str, Loss] = {loss.key: loss for loss in (
    Loss("mse", N_("Mean squared error"),
         {"": Formula("L = ½ Σ_j (o_j − t_j)²",
                      "<mi>L</mi><mo>=</mo><mfrac><mn>1</mn><mn>2</mn></mfrac><munder><mo>∑</mo><mi>j</mi></munder>"
                      f"<msup><mrow><mo>(</mo>{_O}<mo>−</mo>{_T}<mo>)</mo></mrow><mn>2</mn></msup>")},
         squared_error, _output_error, error=Diff(A, T),
         work={"": Work({"difference": ("ld", "value"), "squared": ("lq", "precise"),
                         "sum_squared": ("lss", "precise"), "total": ("loss", "precise")},
                        term=(Power(Diff(A, T), 2), Power(Slot("difference"), 2)), term_result="squared",
                        total=(Product(_HALF, Bracket(Each(Slot("squared")))), Product(_HALF, Slot("sum_squared"))))},
         notes={"softmax": N_("Softmax with mean squared error works, but each δ then runs through the softmax "
                              "Jacobian; cross-entropy gives the simpler δ = o − t.")},
         error_is_difference=True,
         alone=lambda outputs, targets: 0.5 * math.fsum([(o - t) ** 2 for o, t in zip(outputs, targets)])),
    Loss("cross_entropy", N_("Cross-entropy"),
         {"sigmoid": Formula("L = −Σ_j [t_j ln o_j + (1 − t_j) ln(1 − o_j)]",
                             _sum_mathml(f"<mo>[</mo>{_T}<mi>ln</mi>{_O}<mo>+</mo><mo>(</mo><mn>1</mn><mo>−</mo>"
                                         f"{_T}<mo>)</mo><mi>ln</mi><mo>(</mo><mn>1</mn><mo>−</mo>{_O}<mo>)</mo>"
                                         "<mo>]</mo>")),
          "": Formula("L = −Σ_j t_j ln o_j", _sum_mathml(f"{_T}<mi>ln</mi>{_O}"))},
         cross_entropy, None, error=None,
         work={"sigmoid": Work({"log_predicted": ("ll", "precise"), "log_complement": ("lc", "precise"),
                                "term": ("lt", "precise"), "total": ("loss", "precise")},
                               total=(Each(Slot("term")),), term_result="term", term_symbol="L",
                               term=(Neg(Bracket(Sum((Product(T, _ln(A)), Product(Diff(_ONE, T), _ln(Diff(_ONE, A))))))),
                                     Neg(Bracket(Sum((Product(T, Slot("log_predicted")),
                                                      Product(Diff(_ONE, T), Slot("log_complement")))))))),
               "": Work({"log_predicted": ("ll", "precise"), "term": ("lt", "precise"), "total": ("loss", "precise")},
                        total=(Each(Slot("term")),), term_result="term", term_symbol="L",
                        term=(Neg(Product(T, _ln(A))), Neg(Product(T, Slot("log_predicted")))))},
         combined=("sigmoid", "softmax"), outputs=("sigmoid", "softmax"), probabilities=True,
         notes={"sigmoid": N_("Binary cross-entropy: each output is the probability of a yes. Its ∂L/∂o and σ′ "
                              "cancel, so δ = o − t."),
                "softmax": N_("Categorical cross-entropy: the outputs are the probabilities of the classes. Its "
                              "∂L/∂o and the softmax Jacobian cancel, so δ = o − t.")}),
)}


@dataclass(frozen=True)
class DeltaRule:
    """How an output's δ is found, in symbols and worked: Slot("error") is ∂L/∂a, Slot("slope")
    f′(z); for a mixed layer, Each runs over the outputs k with Slot("jacobian") ∂a_k/∂z_j."""
    formula: Formula
    worked: Expr


DELTA_RULES = {
    "chain": DeltaRule(Formula("δ = ∂L/∂a × f′(z)",
                               "<mi>δ</mi><mo>=</mo><mfrac><mrow><mo>∂</mo><mi>L</mi></mrow><mrow><mo>∂</mo><mi>a</mi>"
                               "</mrow></mfrac><mo>×</mo><msup><mi>f</mi><mo>′</mo></msup><mo>(</mo><mi>z</mi><mo>)</mo>"),
                       Product(Slot("error"), Slot("slope"))),
    "jacobian": DeltaRule(Formula("δ_j = Σ_k ∂L/∂a_k × ∂a_k/∂z_j",
                                  "<msub><mi>δ</mi><mi>j</mi></msub><mo>=</mo><munder><mo>∑</mo><mi>k</mi></munder>"
                                  "<mfrac><mrow><mo>∂</mo><mi>L</mi></mrow><mrow><mo>∂</mo><msub><mi>a</mi><mi>k</mi>"
                                  "</msub></mrow></mfrac><mo>×</mo><mfrac><mrow><mo>∂</mo><msub><mi>a</mi><mi>k</mi>"
                                  "</msub></mrow><mrow><mo>∂</mo><msub><mi>z</mi><mi>j</mi></msub></mrow></mfrac>"),
                          Each(Product(Slot("error"), Slot("jacobian")))),
    "combined": DeltaRule(Formula("δ = o − t", "<mi>δ</mi><mo>=</mo><mi>o</mi><mo>−</mo><mi>t</mi>"), Diff(A, T)),
}
ERROR_SYMBOL = Partial(Sym("L"), Sym("a"))  # ∂L/∂a, of a neuron


def delta_rule(loss: str, output: str) -> str:
    """How the output layer's δ is written: "combined" (o − t), "jacobian" or "chain"."""
    if output in LOSSES[loss].combined:
        return "combined"
    return "jacobian" if ACTIVATIONS[output].mixes_layer else "chain"


def targets_add_up_to_one(loss: str, output: str) -> bool:
    """Whether the targets must add up to 1: probabilities, one for each class of a mixed layer."""
    return LOSSES[loss].probabilities and ACTIVATIONS[output].mixes_layer


def adds_up_to_one(targets: list[float]) -> bool:
    return abs(math.fsum(targets) - 1.0) <= 1e-9


def pairing_problem(loss: str, output: str, targets: list[float]) -> tuple[str, str] | None:
    """(field, why) if this known loss makes no sense with these outputs and targets."""
    record, activation = LOSSES[loss], ACTIVATIONS[output]
    if record.outputs is not None and output not in record.outputs:
        accepted = _(" or ").join(ACTIVATIONS[key].name for key in record.outputs)
        return "loss", _("%(loss)s needs outputs between 0 and 1, from %(accepted)s: %(activation)s outputs can be "
                         "%(range)s, where ln o or ln(1 − o) has no value") % {
            "loss": record.name, "accepted": accepted, "activation": activation.name, "range": activation.range_text}
    if record.probabilities:
        for j, t in enumerate(targets):
            if not 0.0 <= t <= 1.0:
                return f"targets[{j}]", (_("must be between 0 and 1 for %(loss)s: a target is a probability")
                                         % {"loss": record.name.lower()})
        if targets_add_up_to_one(loss, output) and not adds_up_to_one(targets):
            return "targets", (_("must add up to 1 for %(activation)s with %(loss)s: one probability for each class")
                               % {"activation": activation.name.lower(), "loss": record.name.lower()})
    return None


def pairing_note(loss: str, output: str) -> str | None:
    """What to know about an accepted pairing, if there is something."""
    note = (LOSSES[loss].notes or {}).get(output)
    return _(note) if note else None
