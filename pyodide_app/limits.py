"""The limits of every value of a state, and the one reader of a number typed by a person.

Every number field on the page, the command line and the state reader go through
`check_value`, so every path accepts and refuses exactly the same things.

Limits, and why:
    inputs          −1,000,000 … 1,000,000   any real input; beyond that every sigmoid
                                             is saturated and nothing more can be seen
    targets         the output activation's range, within ±1,000,000: a target outside
                    it could never be reached (sigmoid and softmax 0 … 1, tanh −1 … 1,
                    ReLU 0 … 1,000,000, linear and leaky ReLU any)
    learning rate   0 < α ≤ 100              α ≤ 0 never learns; 100 already diverges
    weights, biases −1e9 … 1e9               wide enough for any training run; training
                                             stops and says so if a parameter leaves it
    epoch           whole number 0 … 1e15
    random seed     whole number 0 … 1e6     short enough to read out to a class
    worksheet seed  the same
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .activations import ACTIVATIONS
from .notation.numbers import AS_PYTHON, localized
from .translation import _

MAX_NUMBER_LENGTH = 40  # characters in one typed number
LARGEST_INPUT = 1e6


class StateError(ValueError):
    """A refused value: `field` names it (e.g. "inputs[0]"), str() says why in one line: what
    follows the field's label ("must be a number": "Input 1 must be a number"), or a `sentence`
    of its own ("Hidden Layer 1 cannot have 0 neurons: …"). Unless told, a message is a
    sentence when it starts with a capital: a language without capitals needs telling."""

    def __init__(self, field: str, message: str, sentence: bool | None = None):
        super().__init__(message)
        self.field = field
        self.sentence = message[:1].isupper() if sentence is None else sentence


@dataclass(frozen=True)
class Limit:
    low: float
    high: float
    low_inclusive: bool = True
    integer: bool = False

    def admits(self, value: float) -> bool:
        above = value >= self.low if self.low_inclusive else value > self.low
        return above and value <= self.high and (not self.integer or value == int(value))

    def describe(self) -> str:
        low, high = written(self.low), written(self.high)
        if self.integer:
            return _("a whole number from %(low)s to %(high)s") % {"low": low, "high": high}
        if not self.low_inclusive:
            return _("more than %(low)s and at most %(high)s") % {"low": low, "high": high}
        return _("between %(low)s and %(high)s") % {"low": low, "high": high}


def written(x: float) -> str:
    """A limit as a sentence writes it: 1,000,000, −1, 0.5."""
    return localized(f"{x:,.0f}" if x == int(x) else f"{x:,}")


LIMITS = {  # targets: for sigmoid outputs, as every network had before there was a choice
    "inputs": Limit(-LARGEST_INPUT, LARGEST_INPUT),
    "targets": Limit(0.0, 1.0),
    "learning_rate": Limit(0.0, 100.0, low_inclusive=False),
    "weights": Limit(-1e9, 1e9),
    "biases": Limit(-1e9, 1e9),
    "epoch": Limit(0, 1e15, integer=True),
    "random_seed": Limit(0, 1e6, integer=True),
    "worksheet_seed": Limit(0, 1e6, integer=True),
}


def target_limit(output_activation: str) -> Limit:
    """The output activation's range, closed, within ±1,000,000."""
    f = ACTIVATIONS[output_activation]
    return Limit(max(f.low, -LARGEST_INPUT), min(f.high, LARGEST_INPUT))


def field_limits(output_activation: str) -> dict[str, Limit]:
    """The limit of each field for a network with this output activation."""
    return {**LIMITS, "targets": target_limit(output_activation)}


def within_limits(net) -> bool:
    """Every weight and bias inside its limit: training must not leave a state that cannot be saved."""
    high = LIMITS["weights"].high
    return all(-high <= x <= high for layer in net.weights for row in layer for x in row) and \
        all(-high <= b <= high for layer in net.biases for b in layer)


def parse_number(text: str, field: str, limits: dict[str, Limit] = LIMITS) -> float:
    """A number typed by a person: '0.5', ' 0,5 ', '-1e3', '−0,5' (as the page writes it, in any
    language). Refuses anything else, saying why."""
    if not isinstance(text, str):
        raise StateError(field, _("must be a number"))
    cleaned = text.translate(AS_PYTHON).strip()
    if not cleaned:
        raise StateError(field, _("is empty: type a number"))
    if len(cleaned) > MAX_NUMBER_LENGTH:
        raise StateError(field, _("is too long: at most %(count)d characters") % {"count": MAX_NUMBER_LENGTH})
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # decimal comma, as typed in much of Europe
    if cleaned.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise StateError(field, _("must be a finite number, not %(text)s") % {"text": cleaned})
    try:
        value = float(cleaned)
    except ValueError:
        raise StateError(field, _("is not a number: '%(text)s'") % {"text": shorten(cleaned)}) from None
    if not math.isfinite(value):
        raise StateError(field, _("is too large: %(text)s is beyond the largest number") % {"text": shorten(cleaned)})
    return check_value(value, field, limits)


def check_value(value: float, field: str, limits: dict[str, Limit] = LIMITS) -> float:
    limit = limits[field.split("[")[0]]
    if not limit.admits(value):
        raise StateError(field, _("must be %(limit)s") % {"limit": limit.describe()})
    return value


def shorten(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


INPUT_SLIDER = (0.0, 1.0)


def slider_range(limit: Limit | None) -> tuple[float, float]:
    """A slider's ends: the limit's, within −1 … 1 (a wider value is typed); inputs 0 … 1."""
    if limit is None:
        return INPUT_SLIDER
    return max(limit.low, -1.0), min(limit.high, 1.0)


def has_exactly(value: dict, keys, where: str, what: str) -> None:
    """Refuses a saved dict with a key not in `keys` ("is not {what}") or without one of them."""
    for key in value:
        if key not in keys:
            raise StateError(f"{where}.{shorten(str(key))}", _("is not %(what)s") % {"what": what})
    missing = [key for key in keys if key not in value]
    if missing:
        raise StateError(f"{where}.{missing[0]}", _("is missing"))
