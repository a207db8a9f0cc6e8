"""Activation functions, one record each. Adding an activation means adding one entry.

    a = f(z)      the activation of a neuron whose sum is z
    f′(z)         its slope, written from z or from a as textbooks write it:
                  σ′ = a(1 − a), tanh′ = 1 − a², ReLU′ = 1 if z > 0 else 0

A record works on a whole layer too: `forward` maps the sums to the activations and
`delta` turns ∂L/∂a into δ = ∂L/∂z. For the elementwise functions that is δ = ∂L/∂a · f′(z);
softmax `mixes_layer`, a_j = e^(z_j) / Σ_k e^(z_k), so its δ goes through its Jacobian.

A record declares its worked steps as formula trees (notation/expressions.py), with
Slot("z") and Slot("a") where a neuron's numbers go: `worked`, how a = f(z) is worked out,
and each derivative rule's `worked`. Every view writes those; its symbolic formulas (text
and MathML) are written from the same trees.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from operator import mul
from typing import Callable

from .notation.expressions import (Call, Const, Diff, Each, Exp, Expr, Given, Neg, Power, Product, Quotient, Slot, Sym,
                                   bind)
from .notation.names import joining
from .notation.writing import formula as written
from .translation import N_, _

LEAK = 0.01
Z, A = Slot("z"), Slot("a")


@dataclass(frozen=True)
class Formula:
    """A record's formula in symbols, as text and MathML; its few words (if, else, for) are
    written in the reader's language when read."""
    english_text: str
    english_mathml: str

    @property
    def text(self) -> str:
        return joining(self.english_text)

    @property
    def mathml(self) -> str:
        return joining(self.english_mathml)


@dataclass(frozen=True)
class Rule:
    """One case of a derivative: `worked` with Slot("z") and Slot("a"), `formula` in symbols.

    A `constant` slope (1, 0, 0.01) is its own value: "1, as 0.7200 > 0" needs no "= 1"."""
    key: str
    worked: Expr
    formula: Formula

    @property
    def constant(self) -> bool:
        return isinstance(self.worked, (Given, Const))


@dataclass(frozen=True)
class Activation:
    key: str  # as saved in a state: "sigmoid"
    label: str  # as a person reads it, in English: "Sigmoid" (`name` in the reader's language)
    symbol: str  # as in "σ(z)"
    function: Callable[[float], float] | None  # a = f(z); None where it mixes the layer
    derivative: Callable[[float, float], float]  # f′(z) from (z, a); softmax: ∂a_j/∂z_j
    low: float  # the outputs lie between low and high (never beyond; ±inf: unbounded)
    high: float
    range_words: str  # the same in words, in English, as in "outputs can be …" (`range_text` translated)
    formula: Formula
    rules: tuple[Rule, ...]  # the cases of the derivative
    rule_index: Callable[[float], int]  # which case applies at z
    init: str  # how random weights into it are drawn: "glorot" or "he" (see design.py)
    forward: Callable[[list[float]], list[float]]  # sums → activations of a layer
    delta: Callable[[list[float], list[float], list[float]], list[float]]  # (z, a, ∂L/∂a) → δ
    worked: Expr  # a = …, worked: Slot("z"); an Each runs over the layer's sums
    mixes_layer: bool = False  # each a depends on every sum of its layer (softmax)
    jacobian: tuple[Expr, Expr] | None = None  # where it mixes: ∂a_j/∂z_j and ∂a_k/∂z_j, Slot("other") a_k
    output_only: bool = False
    linear: bool = False  # a = z: a network of these alone computes a linear function

    @property
    def name(self) -> str:
        return _(self.label)

    @property
    def range_text(self) -> str:
        return _(self.range_words)

    def rule(self, z: float) -> Rule:
        return self.rules[self.rule_index(z)]


def _elementwise(key, label, symbol, function, derivative, low, high, range_words, formula, rules,
                 rule_index=lambda z: 0, init="glorot", linear=False) -> Activation:
    """δ_j = ∂L/∂a_j · f′(z_j): each neuron's activation depends on its own sum only."""
    return Activation(
        key, label, symbol, function, derivative, low, high, range_words, formula,
        tuple(_rule(key, symbol, worked) for key, worked in rules), rule_index, init,
        forward=lambda sums: list(map(function, sums)),
        delta=lambda sums, activations, errors: list(map(mul, errors, map(derivative, sums, activations))),
        worked=Call(symbol, Z, function), linear=linear)


def _rule(key: str, symbol: str, worked: Expr) -> Rule:
    """A rule whose formula is its worked form in symbols: σ′(z) = a × (1 − a)."""
    return Rule(key, worked, Formula(*written(Call(symbol, Sym("z"), prime=True),
                                               bind(worked, {"z": Sym("z"), "a": Sym("a")}))))


def _cases(key: str, slope_below: str) -> tuple[tuple[str, Expr], tuple[str, Expr]]:
    """ReLU-like slopes: 1 for z > 0, `slope_below` for z ≤ 0."""
    return ((f"{key}-positive", Given(Const("1"), Z, ">", Const("0"))),
            (f"{key}-not-positive", Given(Const(slope_below), Z, "≤", Const("0"))))


_Z, _EQ = "<mi>z</mi>", "<mo>=</mo>"  # pieces of MathML used again and again


def _call(symbol: str) -> str:
    """'σ(z)' in MathML."""
    return f"<mi>{symbol}</mi><mo>(</mo>{_Z}<mo>)</mo>"


def sigmoid(z: float) -> float:
    """σ(z) = 1 / (1 + e^(−z)), evaluated so that e^(…) never overflows."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)  # z < 0, so 0 < e < 1
    return e / (1.0 + e)


def sigmoid_prime(z: float, a: float) -> float:
    """σ′(z) = σ(z) · (1 − σ(z)) = a · (1 − a)"""
    return a * (1.0 - a)


def tanh_prime(z: float, a: float) -> float:
    """tanh′(z) = 1 − tanh²(z) = 1 − a²"""
    return 1.0 - a * a


def relu(z: float) -> float:
    """ReLU(z) = max(0, z)"""
    return z if z > 0.0 else 0.0


def leaky_relu(z: float) -> float:
    """LReLU(z) = z if z > 0, else 0.01 · z"""
    return z if z > 0.0 else LEAK * z


def relu_prime(z: float, a: float) -> float:
    """ReLU′(z) = 1 if z > 0, else 0 (at z = 0 too, as most libraries take it)"""
    return 1.0 if z > 0.0 else 0.0


def leaky_relu_prime(z: float, a: float) -> float:
    """LReLU′(z) = 1 if z > 0, else 0.01"""
    return 1.0 if z > 0.0 else LEAK


def linear(z: float) -> float:
    """linear(z) = z"""
    return z


def linear_prime(z: float, a: float) -> float:
    """linear′(z) = 1"""
    return 1.0


def softmax_parts(sums: list[float]) -> tuple[float, list[float], float]:
    """(m, e^(z_j − m), Σ_k e^(z_k − m)) with m = max z: the shift changes no a_j and keeps e^(…) ≤ 1."""
    shift = max(sums)
    exponentials = [math.exp(z - shift) for z in sums]
    return shift, exponentials, math.fsum(exponentials)


def softmax(sums: list[float]) -> list[float]:
    """a_j = e^(z_j) / Σ_k e^(z_k)"""
    _, exponentials, total = softmax_parts(sums)
    return [e / total for e in exponentials]


def softmax_jacobian(activations: list[float], k: int, j: int) -> float:
    """∂a_k/∂z_j = a_k · (1 − a_j) if k = j, else −a_k · a_j"""
    return activations[k] * ((1.0 if k == j else 0.0) - activations[j])


def softmax_delta(sums: list[float], activations: list[float], errors: list[float]) -> list[float]:
    """δ_j = Σ_k ∂L/∂a_k · ∂a_k/∂z_j: every output depends on every sum."""
    return [math.fsum(e * softmax_jacobian(activations, k, j) for k, e in enumerate(errors))
            for j in range(len(activations))]


_SIGMOID_SLOPE = Product(A, Diff(Const("1"), A))  # a sigmoid or softmax output after "1 −" is never negative
_E_TO_MINUS_Z = f"<msup><mi>e</mi><mrow><mo>−</mo>{_Z}</mrow></msup>"
_SUB_J = "<msub><mi>{}</mi><mi>j</mi></msub>"

ACTIVATIONS: dict[str, Activation] = {a.key: a for a in (
    _elementwise(
        "sigmoid", N_("Sigmoid"), "σ", sigmoid, sigmoid_prime, low=0.0, high=1.0, range_words=N_("between 0 and 1"),
        formula=Formula("σ(z) = 1 / (1 + e^(−z))",
                        f"{_call('σ')}{_EQ}<mfrac><mn>1</mn><mrow><mn>1</mn><mo>+</mo>{_E_TO_MINUS_Z}</mrow></mfrac>"),
        rules=[("sigmoid", _SIGMOID_SLOPE)]),
    _elementwise(
        "tanh", N_("Tanh"), "tanh", math.tanh, tanh_prime, low=-1.0, high=1.0, range_words=N_("between −1 and 1"),
        formula=Formula("tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))",
                        f"{_call('tanh')}{_EQ}<mfrac><mrow><msup><mi>e</mi>{_Z}</msup><mo>−</mo>"
                        f"{_E_TO_MINUS_Z}</mrow><mrow><msup><mi>e</mi>{_Z}</msup><mo>+</mo>{_E_TO_MINUS_Z}</mrow>"
                        "</mfrac>"),
        rules=[("tanh", Diff(Const("1"), Power(A, 2)))]),
    _elementwise(
        "relu", N_("ReLU"), "ReLU", relu, relu_prime, low=0.0, high=math.inf, range_words=N_("0 or more"),
        formula=Formula("ReLU(z) = max(0, z)",
                        f"{_call('ReLU')}{_EQ}<mi>max</mi><mo>(</mo><mn>0</mn><mo>,</mo>{_Z}<mo>)</mo>"),
        rules=_cases("relu", "0"), rule_index=lambda z: 0 if z > 0.0 else 1, init="he"),
    _elementwise(
        "leaky_relu", N_("Leaky ReLU (0.01)"), "LReLU", leaky_relu, leaky_relu_prime, low=-math.inf, high=math.inf,
        range_words=N_("any number"),
        formula=Formula("LReLU(z) = z if z > 0, else 0.01 × z",
                        f"{_call('LReLU')}{_EQ}{_Z}<mtext> if </mtext>{_Z}<mo>&gt;</mo><mn>0</mn>"
                        f"<mtext>, else </mtext><mn>0.01</mn><mo>×</mo>{_Z}"),
        rules=_cases("leaky_relu", "0.01"), rule_index=lambda z: 0 if z > 0.0 else 1, init="he"),
    _elementwise(
        "linear", N_("Linear"), "linear", linear, linear_prime, low=-math.inf, high=math.inf, range_words=N_("any number"),
        formula=Formula("linear(z) = z", f"{_call('linear')}{_EQ}{_Z}"),
        rules=[("linear", Const("1"))], linear=True),
    Activation(
        "softmax", N_("Softmax"), "softmax", None, sigmoid_prime, low=0.0, high=1.0, range_words=N_("between 0 and 1"),
        formula=Formula("softmax(z)_j = e^(z_j) / Σ_k e^(z_k)",
                        "<msub><mrow><mi>softmax</mi><mo>(</mo><mi>z</mi><mo>)</mo></mrow><mi>j</mi></msub>" + _EQ +
                        "<mfrac><msup><mi>e</mi><msub><mi>z</mi><mi>j</mi></msub></msup><mrow><munder><mo>∑</mo>"
                        "<mi>k</mi></munder><msup><mi>e</mi><msub><mi>z</mi><mi>k</mi></msub></msup></mrow></mfrac>"),
        rules=(Rule("softmax", _SIGMOID_SLOPE,
                    Formula("∂a_j/∂z_j = a_j × (1 − a_j); ∂a_k/∂z_j = −a_k × a_j for k ≠ j",
                            f"<mfrac><mrow><mo>∂</mo>{_SUB_J.format('a')}</mrow><mrow><mo>∂</mo>"
                            f"{_SUB_J.format('z')}</mrow></mfrac>{_EQ}{_SUB_J.format('a')}<mo>×</mo><mo>(</mo>"
                            f"<mn>1</mn><mo>−</mo>{_SUB_J.format('a')}<mo>)</mo>")),),
        rule_index=lambda z: 0, init="glorot", forward=softmax, delta=softmax_delta,
        worked=Quotient(Exp(Z), Each(Exp(Z))), mixes_layer=True,
        jacobian=(_SIGMOID_SLOPE, Neg(Product(Slot("other"), A))), output_only=True),
)}


RULES: dict[str, Rule] = {rule.key: rule for f in ACTIVATIONS.values() for rule in f.rules}


def placement_problem(keys: list[str], output_size: int) -> tuple[str, str] | None:
    """(field, why) if these known activations, one per layer after the input, cannot work."""
    for l, key in enumerate(keys):
        if ACTIVATIONS[key].output_only and l < len(keys) - 1:
            return f"activations[{l}]", _("%(activation)s is for the output layer only: it turns the outputs into "
                                          "probabilities that add up to 1") % {"activation": ACTIVATIONS[key].name}
    output = ACTIVATIONS[keys[-1]]
    if output.mixes_layer and output_size == 1:
        return f"activations[{len(keys) - 1}]", _("%(activation)s needs two output neurons or more: on one it "
                                                  "always gives 1, whatever it is fed, so nothing can be learnt; for "
                                                  "one output, use Sigmoid") % {"activation": output.name}
    return None
