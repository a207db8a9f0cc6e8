"""The one rule set for writing numbers on the page and in the command line.

    value    4 decimals: inputs, targets, weights, biases, sums, activations, σ', errors
    precise  6 decimals: loss, δ, gradients, updates and the weights they produce
    weight   a weight in a worked line: 4 decimals when it has no more (as typed), else 6
    rate     as typed, shortest form: the learning rate
    relative two significant digits in scientific form: a relative difference, 2.1 × 10⁻⁹

A worked line may write a value or precise number with more decimals (up to MOST), so that
the line adds up on the digits it shows (notation/checking.py): `number(x, kind, decimals)`.

A true minus sign (U+2212), never a hyphen; magnitudes from 100,000 up in scientific form with
the kind's decimals, 1.2346 × 10⁶, so no number overflows its box; and below one unit of the
kind's last decimal too, so that a number that is not 0 is never written as 0.000000: with two
significant digits, 4.9 × 10⁻⁷, as the fixed form has about as many just above (0.000049 is
written 0.000049), and as many as tiny values computed from differences of larger ones are
good for. `decimals`, where given, are the mantissa's. Zero is 0.0000, never −0.0000.

A number that follows an operator (×, +, −, /, a leading minus) is an `operand`: written in
parentheses when it shows a minus sign, as textbooks do: 0.3000 × (−0.3000), 0.3400 + (−0.2000).
A result after "=" and a number opening a sum are not operands.

A value practice hides is replaced by `HIDDEN` before anything is formatted: it is written
"?", wherever and however it would have been written.

In another language the decimal separator and the minus sign are that language's, from CLDR
(locales.json, written at build time from Babel's data): 0,0575 in German; an Arabic minus is
led by a left-to-right mark, so that it stays before its digits in a right-to-left line. A
minus is always the true one (CLDR writes U+002D where typesetting has U+2212).
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from pathlib import Path

from .. import translation

MINUS = "\u2212"
DECIMALS = {"value": 4, "precise": 6}
MOST = 8  # decimals a worked line may raise a number to
TINY_DECIMALS = 1  # the mantissa's, of a number too small for its kind's decimals
SCIENTIFIC_FROM = 1e5
SUPERSCRIPTS = str.maketrans("-0123456789", "\u207b⁰¹²³⁴⁵⁶⁷⁸⁹")
DIGITS = str.maketrans("\u207b⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
# BCP 47 code → {"decimal": ",", "minus": "−", …}, for every language the page is built in
LOCALES = json.loads(Path(__file__).with_name("locales.json").read_text(encoding="utf-8"))
BIDI_MARKS = "\u200e\u200f\u061c"  # left-to-right, right-to-left and Arabic letter marks
AS_PYTHON = str.maketrans({MINUS: "-", **dict.fromkeys(BIDI_MARKS)})  # a number as the page writes it, as typed


class Hidden:
    """The one stand-in for a hidden value: no arithmetic, written "?"."""

    def __repr__(self) -> str:
        return "HIDDEN"


HIDDEN = Hidden()
HIDDEN_TEXT = "?"


def number(x: float, kind: str = "value", decimals: int | None = None) -> str:
    """x with the decimals of its kind, or with `decimals`, as the installed language writes it."""
    if x is HIDDEN:
        return HIDDEN_TEXT
    return _number(x, kind, decimals, translation.language())


@functools.lru_cache(maxsize=16384)
def _number(x: float, kind: str, decimals: int | None, language: str) -> str:
    # Cached: an edit changes a few numbers, and the page writes every one of its part again
    # (on the largest network, the weights alone are 320 numbers that did not change).
    return localized(_written(x, kind, decimals), language)


def _written(x: float, kind: str, decimals: int | None) -> str:
    """x as English writes it."""
    if kind == "rate":
        return short(x)
    places = kind_decimals(x, kind)
    if decimals is None:
        decimals = written_decimals(x, kind)
    if fixed(x, places):
        text = f"{x:.{decimals}f}"
        if len(text) > 6 + decimals + (text[0] == "-"):  # rounded up to 100000
            return scientific(x, decimals)
        if text[0] == "-":  # a true minus, unless every digit is 0
            return MINUS + text[1:] if text.strip("-0.") else text[1:]
        return text
    return scientific(x, decimals)


def kind_decimals(x: float, kind: str) -> int:
    """The decimals of a number of this kind in fixed form, unless a worked line asks for more."""
    return weight_decimals(x) if kind == "weight" else DECIMALS[kind]


def written_decimals(x: float, kind: str) -> int:
    """The decimals `number(x, kind)` writes: of the fixed form, else of the mantissa."""
    places = kind_decimals(x, kind)
    return TINY_DECIMALS if not fixed(x, places) and abs(x) < 1 else places


def fixed(x: float, places: int) -> bool:
    """Whether x is written in fixed form (0.0575) rather than scientific (5.7526 × 10⁻⁸), `places`
    being its kind's decimals: zero, and magnitudes from one unit of the last decimal to 100,000."""
    return x == 0 or 10.0 ** -places <= abs(x) < SCIENTIFIC_FROM


def weight_decimals(x: float) -> int:
    """A weight typed with 4 decimals or fewer is written with 4 and is exact; one a step has
    moved is written as the Weight Updates table writes new weights."""
    return DECIMALS["value"] if round(x, 4) == x else DECIMALS["precise"]


@functools.lru_cache(maxsize=16384)
def written_value(text: str) -> tuple[Decimal, Decimal]:
    """(the number a text shows, one unit of its last decimal): '−0.1344' → (−0.1344, 0.0001),
    '1.2346 × 10⁶' → (1234600, 100), in any language's writing ('−0,1344'). Parentheses around
    an operand are allowed."""
    mantissa, _, power = text.strip("()").partition(" × 10")
    value = Decimal(mantissa.strip(BIDI_MARKS).replace(MINUS, "-").replace(",", "."))
    exponent = int(power.translate(DIGITS)) if power else 0
    return value.scaleb(exponent), Decimal(1).scaleb(exponent + value.as_tuple().exponent)


def operand(x: float, kind: str = "value") -> str:
    """The number as it reads after an operator: '(−0.3000)' when negative, else as `number`."""
    return as_operand(number(x, kind))


def as_operand(text: str) -> str:
    """A number already written, as it reads after an operator."""
    return f"({text})" if negative(text) else text


def negative(text: str) -> bool:
    """Whether a number as written shows a minus sign (after a bidi mark, in Arabic)."""
    return text.lstrip(BIDI_MARKS).startswith(MINUS)


def scientific(x: float, decimals: int) -> str:
    """1234567 → '1.2346 × 10⁶'; 0.0000001234 with 1 decimal → '1.2 × 10⁻⁷'"""
    if x != x or x in (float("inf"), float("-inf")):  # never produced by the core; never shown raw
        return {True: "∞", False: MINUS + "∞"}[x > 0] if x == x else "undefined"
    mantissa, exponent = f"{x:.{decimals}e}".split("e")
    mantissa = mantissa.replace("-", MINUS)
    return f"{mantissa} × 10{str(int(exponent)).translate(SUPERSCRIPTS)}"


def relative(x: float) -> str:
    """A relative difference (never negative), as small as 10⁻¹⁶: '2.1 × 10⁻⁹'; '0' for none."""
    return localized(scientific(x, 1)) if x else "0"


def short(x: float) -> str:
    """The shortest text that reads back as the same float, for a number field."""
    text = repr(float(x))
    return text.removesuffix(".0")


def rate(x: float) -> str:
    """The learning rate exactly as it is used: '0.1', '10.21875' (in German '0,1')."""
    return localized(short(x))


def localized(text: str, language: str | None = None) -> str:
    """A number written in English ('−0.5', '-0.5', '1,000.5', '1.2 × 10⁻⁷') as the language
    writes it (the installed one unless named): its decimal separator, group separator, minus sign."""
    symbols = LOCALES.get(language or translation.language(), LOCALES["en"])
    if text.startswith(("-", MINUS)):
        text = symbols["minus"] + text[1:]
    return text if symbols["decimal"] == "." and symbols["group"] == "," else text.translate(_separators(language or translation.language()))


@functools.cache
def _separators(language: str) -> dict:
    return str.maketrans({".": LOCALES[language]["decimal"], ",": LOCALES[language]["group"]})
