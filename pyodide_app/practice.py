"""Practice: the page hides chosen results and the student types them in. Here, what is
asked and how an answer is judged; no DOM, no markup.

Kinds of question, as the state keeps them (state.py, "practice"):
    activations   a of every neuron after the input    data-v "a-l-j"               4 decimals
    loss          the loss L                            "loss"                       6 decimals
    deltas        δ of every neuron                     "d-l-j"                      6 decimals
    new_weights   every new weight and bias              "nw-l-j-i", "nb-l-j"         6 decimals
                  of the Weight Updates table

An answer is right when it is within one unit of the last decimal the page shows of the
value it hides: for 0.5123, anything from 0.5122 to 0.5124 (0.51224 too); and never closer
than one unit of its kind's decimals, so a loss of 4.200000 × 10⁻⁸ may be answered 0.000000
as well as 4.2e-8. A decimal comma,
a true minus "−" and the page's own "1.2346 × 10⁶" are read; anything that is not a finite
number ('abc', '', '1e309', 'nan') is "not a number", never wrong.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from .notation import names
from .notation.numbers import AS_PYTHON, DECIMALS, number, written_value
from .translation import N_, _

KINDS = ("activations", "loss", "deltas", "new_weights")
RIGHT, WRONG, NOT_A_NUMBER = N_("Right"), N_("Not quite"), N_("Not a number")  # shown translated
MAX_ANSWER_LENGTH = 40  # characters of one typed answer kept
# a question's key: the data-v key of the number it hides
KEY = re.compile(r"loss|[ad]-\d{1,2}-\d{1,2}|nw-\d{1,2}-\d{1,2}-\d{1,2}|nb-\d{1,2}-\d{1,2}")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?", re.IGNORECASE)
_POWER = re.compile(r"[×x*]10(?:([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)|\^([+-]?\d+))$")  # "× 10⁶", "x10^-3"
_DIGITS = str.maketrans("⁻⁺⁰¹²³⁴⁵⁶⁷⁸⁹", "-+0123456789")


@dataclass(frozen=True)
class Question:
    key: str  # the data-v key of the number it hides
    kind: str  # one of KINDS
    label: str  # what it asks, as its box is labelled: "a of H2-1"
    value: float
    precision: str  # how the page writes it: "value" (4 decimals) or "precise" (6)
    at: str  # the id of the card its box goes into; "" for the table cell of the number itself

    @property
    def shown(self) -> str:
        return number(self.value, self.precision)


def questions(t: dict, kinds, step: dict | None = None) -> list[Question]:
    """The questions of the chosen kinds, in the page's order. `step`: the trace whose updates
    the page shows (after Step, the step just taken), as page.values has it."""
    count = len(t["layers"])
    out = []
    if "activations" in kinds:
        out += [Question(f"a-{l}-{j}", "activations", _("a of %(neuron)s") % {"neuron": names.neuron(l, j, count)},
                         n["activation"],
                         "value", f"forward-{l}-{j}") for l, j, n in _neurons(t)]
    if "loss" in kinds:
        out.append(Question("loss", "loss", "L", t["loss"]["total"], "precise", "loss"))
    if "deltas" in kinds:  # the page goes backwards: the output layer's cards first
        out += [Question(f"d-{l}-{j}", "deltas", _("δ of %(neuron)s") % {"neuron": names.neuron(l, j, count)},
                         n["delta"], "precise",
                         f"backprop-{l}-{j}") for l, j, n in sorted(_neurons(t), key=lambda x: -x[0])]
    if "new_weights" in kinds:
        for l, j, n in _neurons(step or t):
            to = names.neuron(l, j, count)
            out += [Question(f"nw-{l}-{j}-{i}", "new_weights", _("new w %(connection)s") % {"connection": names.connection(l, j, i, count)},
                             u["new"], "precise", "") for i, u in enumerate(n["weight_updates"])]
            out.append(Question(f"nb-{l}-{j}", "new_weights", _("new b %(neuron)s") % {"neuron": to},
                                n["bias_update"]["new"], "precise", ""))
    return out


def _neurons(t: dict):
    for l, layer in enumerate(t["layers"][1:], start=1):
        for j, n in enumerate(layer["neurons"]):
            yield l, j, n


def parse_answer(text: str) -> float | None:
    """A typed answer as a number, or None when it is not a finite one."""
    cleaned = _cleaned(text)
    return None if cleaned is None else float(cleaned)


def _cleaned(text: str) -> str | None:
    """The answer as Python writes a number ('−0,5' → '-0.5'), or None if it is not a finite one."""
    if not isinstance(text, str):
        return None
    cleaned = re.sub(r"\s", "", text).translate(AS_PYTHON).replace(",", ".")
    power = _POWER.search(cleaned)
    if power:  # the page's own scientific form, "1.2346 × 10⁶"
        cleaned = f"{cleaned[:power.start()]}e{(power.group(1) or power.group(2)).translate(_DIGITS)}"
    return cleaned if _NUMBER.fullmatch(cleaned) and math.isfinite(float(cleaned)) else None


def last_place(shown: str) -> Decimal:
    """One unit of the last decimal of a number as the page writes it: 0.0001 for '0.5123',
    100 for '1.2346 × 10⁶', in any language's writing ('0,5123')."""
    return written_value(shown)[1]


def judge(text: str, question: Question) -> str:
    """RIGHT, WRONG or NOT_A_NUMBER: within one unit of the last decimal shown, or not. In
    decimal arithmetic, as written: in binary, 0.5124 − 0.5123 is a hair over 0.0001."""
    typed = _cleaned(text)
    if typed is None:
        return NOT_A_NUMBER
    shown = question.shown
    within = max(last_place(shown), Decimal(1).scaleb(-DECIMALS[question.precision]))
    return RIGHT if abs(Decimal(typed) - Decimal(_cleaned(shown))) <= within else WRONG
