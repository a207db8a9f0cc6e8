"""The one rule set for writing numbers on the page and in the command line.

    value    4 decimals: inputs, targets, weights, biases, sums, activations, σ', errors
    precise  6 decimals: loss, δ, gradients, updates and the weights they produce
    rate     as typed, shortest form: the learning rate
    relative two significant digits in scientific form: a relative difference, 2.1 × 10⁻⁹

A true minus sign (U+2212), never a hyphen; no "−0.0000" for a value that rounds to zero;
magnitudes from 100,000 up in scientific form, so no number overflows its box.

A number that follows an operator (×, +, −, /, a leading minus) is an `operand`: written in
parentheses when it shows a minus sign, as textbooks do: 0.3000 × (−0.3000), 0.3400 + (−0.2000).
A result after "=" and a number opening a sum are not operands.

A value practice hides is replaced by `HIDDEN` before anything is formatted: it is written
"?", wherever and however it would have been written.
"""

from __future__ import annotations

import functools

MINUS = "\u2212"
DECIMALS = {"value": 4, "precise": 6}
FIXED = {kind: f"{{:.{decimals}f}}".format for kind, decimals in DECIMALS.items()}
SCIENTIFIC_FROM = 1e5
SUPERSCRIPTS = str.maketrans("-0123456789", "\u207b⁰¹²³⁴⁵⁶⁷⁸⁹")


class Hidden:
    """The one stand-in for a hidden value: no arithmetic, written "?"."""

    def __repr__(self) -> str:
        return "HIDDEN"


HIDDEN = Hidden()
HIDDEN_TEXT = "?"


@functools.lru_cache(maxsize=4096)
def number(x: float, kind: str = "value") -> str:
    if x is HIDDEN:
        return HIDDEN_TEXT
    # Cached: an edit changes a few numbers, and the page writes every one of its part again
    # (on the largest network, the weights alone are 320 numbers that did not change).
    if -SCIENTIFIC_FROM < x < SCIENTIFIC_FROM:
        text = FIXED[kind](x)
        if len(text) > 6 + DECIMALS[kind] + (text[0] == "-"):  # rounded up to 100000
            return scientific(x, DECIMALS[kind])
        if text[0] == "-":  # a true minus, unless every digit is 0
            return MINUS + text[1:] if text.strip("-0.") else text[1:]
        return text
    return scientific(x, DECIMALS[kind])


def operand(x: float, kind: str = "value") -> str:
    """The number as it reads after an operator: '(−0.3000)' when negative, else as `number`."""
    return as_operand(number(x, kind))


def as_operand(text: str) -> str:
    """A number already written, as it reads after an operator."""
    return f"({text})" if text.startswith(MINUS) else text


def as_plain(text: str) -> str:
    """The inverse of as_operand: '(−0.3000)' → '−0.3000'."""
    return text[1:-1] if text.startswith("(") and text.endswith(")") else text


def scientific(x: float, decimals: int) -> str:
    """1234567 → '1.2346 × 10⁶'"""
    if x != x or x in (float("inf"), float("-inf")):  # never produced by the core; never shown raw
        return {True: "∞", False: MINUS + "∞"}[x > 0] if x == x else "undefined"
    mantissa, exponent = f"{x:.{decimals}e}".split("e")
    mantissa = mantissa.replace("-", MINUS)
    return f"{mantissa} × 10{str(int(exponent)).translate(SUPERSCRIPTS)}"


def relative(x: float) -> str:
    """A relative difference (never negative), as small as 10⁻¹⁶: '2.1 × 10⁻⁹'; '0' for none."""
    return scientific(x, 1) if x else "0"


def short(x: float) -> str:
    """The shortest text that reads back as the same float, for a number field."""
    text = repr(float(x))
    return text.removesuffix(".0")


def rate(x: float) -> str:
    """The learning rate exactly as it is used: '0.1', '10.21875'."""
    return short(x)
