"""The one rule set for writing numbers on the page and in the command line.

    value    4 decimals: inputs, targets, weights, biases, sums, activations, σ', errors
    precise  6 decimals: loss, δ, gradients, updates and the weights they produce
    rate     as typed, shortest form: the learning rate

A true minus sign (U+2212), never a hyphen; no "−0.0000" for a value that rounds to zero;
magnitudes from 100,000 up in scientific form, so no number overflows its box.
"""

from __future__ import annotations

MINUS = "\u2212"
DECIMALS = {"value": 4, "precise": 6}
SCIENTIFIC_FROM = 1e5
SUPERSCRIPTS = str.maketrans("-0123456789", "\u207b⁰¹²³⁴⁵⁶⁷⁸⁹")


def number(x: float, kind: str = "value") -> str:
    decimals = DECIMALS[kind]
    if abs(x) >= SCIENTIFIC_FROM:
        return scientific(x, decimals)
    text = f"{x:.{decimals}f}"
    if text.startswith("-"):
        text = text[1:] if float(text) == 0 else MINUS + text[1:]
    return text


def scientific(x: float, decimals: int) -> str:
    """1234567 → '1.2346 × 10⁶'"""
    mantissa, exponent = f"{x:.{decimals}e}".split("e")
    mantissa = mantissa.replace("-", MINUS)
    return f"{mantissa} × 10{str(int(exponent)).translate(SUPERSCRIPTS)}"


def short(x: float) -> str:
    """The shortest text that reads back as the same float, for a number field."""
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


def rate(x: float) -> str:
    return f"{x:g}".replace("-", MINUS)
