"""Redoing a worked line with the numbers it shows, as a student would: stated here apart from
pyodide_app, which writes the lines.

A line is a chain  E₀ = E₁ = … = R. Each Eᵢ made of numbers, operators, brackets and the
functions σ, tanh, ReLU, LReLU, linear, ln and e^x is worked out on its digits exactly (Decimal)
and must be R, a number on its own: within half a unit of R's last decimal, or within one unit
where Eᵢ applies a function to a shown argument (σ(0.8399) = 0.6985). A side with a symbol
(z, ∂L/∂a, a label "a of H1-1") asserts nothing; a result after "≈" is not checked.

The page's lines are MathML: `math_text` reads a <math> as the same text.
"""

from __future__ import annotations

import decimal
import math
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

MINUS = "\u2212"
CONTEXT = decimal.Context(prec=60, Emax=10 ** 9, Emin=-10 ** 9)
SUPERSCRIPT = {"²": 2, "³": 3, "⁴": 4}
FUNCTIONS = {
    "σ": lambda x: 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x)),
    "tanh": math.tanh, "ReLU": lambda x: max(0.0, x), "LReLU": lambda x: x if x > 0 else 0.01 * x,
    "linear": lambda x: x, "ln": math.log,
}
NUMBER = r"\d+\.\d+(?: × 10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?|\d+"
TOKEN = re.compile(rf"\s*(?:(?P<number>{NUMBER})|(?P<function>σ|tanh|ReLU|LReLU|linear|ln)\(|(?P<exp>e\^)"
                   rf"|(?P<power>[²³⁴])|(?P<op>[+×/()\[\]]|{MINUS}))")


class Symbolic(Exception):
    """The side names something instead of writing its number."""


def number_value(text: str) -> tuple[Decimal, Decimal]:
    """(value, one unit of its last decimal) of a number as written: 0.8399, 1.2346 × 10⁶."""
    mantissa, _, power = text.partition(" × 10")
    exponent = int(power.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789"))) if power else 0
    value = Decimal(mantissa)
    return value.scaleb(exponent), Decimal(1).scaleb(exponent + min(0, value.as_tuple().exponent))


class Side:
    """One side of a chain, worked out: value, and whether a function was applied."""

    def __init__(self, text: str):
        self.tokens, self.function = self.lex(text), False
        self.at = 0
        with decimal.localcontext(CONTEXT):
            self.value = self.sum()
        if self.at != len(self.tokens):
            raise Symbolic(text)

    @staticmethod
    def lex(text: str) -> list[tuple[str, str]]:
        out, at = [], 0
        while at < len(text.rstrip()):
            m = TOKEN.match(text, at)
            if not m:
                raise Symbolic(text)
            kind = m.lastgroup
            out.append((kind, m.group(kind)))
            at = m.end()
        return out

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else (None, None)

    def take(self, value: str | None = None):
        token = self.peek()
        if value is not None and token[1] != value:
            raise Symbolic(value)
        self.at += 1
        return token

    def sum(self) -> Decimal:
        value = self.product()
        while self.peek()[1] in ("+", MINUS):
            value = value + self.product() if self.take()[1] == "+" else value - self.product()
        return value

    def product(self) -> Decimal:
        value = self.unary()
        while self.peek()[1] in ("×", "/"):
            value = value * self.unary() if self.take()[1] == "×" else value / self.unary()
        return value

    def unary(self) -> Decimal:
        if self.peek()[1] == MINUS:
            self.take()
            return -self.unary()
        return self.power()

    def power(self) -> Decimal:
        value = self.atom()
        while self.peek()[0] == "power":
            value = value ** SUPERSCRIPT[self.take()[1]]
        return value

    def atom(self) -> Decimal:
        kind, text = self.take()
        if kind == "number":
            return number_value(text)[0]
        if text in ("(", "["):
            value = self.sum()
            self.take(")" if text == "(" else "]")
            return value
        if kind == "function":
            self.function = True
            value = self.sum()
            self.take(")")
            return Decimal(repr(FUNCTIONS[text](float(value))))
        if kind == "exp":
            self.function = True
            return self.unary().exp()
        raise Symbolic(text)


def worked_out(line: str) -> int:
    """How many sides of the line were worked out from its numbers (0: it asserts nothing)."""
    return len(failures(line, True))


def failures(line: str, every: bool = False) -> list[str]:
    """What does not add up in a line of text ([] when it does, or when it asserts nothing);
    `every`: each side worked out, whether it adds up or not."""
    parts = re.split(r" (=|≈) ", line.strip())
    sides, relations = parts[0::2], parts[1::2]
    if len(sides) < 2 or relations[-1] == "≈" or not re.fullmatch(rf"\(?{MINUS}?(?:{NUMBER})\)?", sides[-1]):
        return []
    plain = sides[-1].strip("()").replace(MINUS, "-")
    result, unit = number_value(plain.lstrip("-"))
    result = -result if plain.startswith("-") else result
    out = []
    for side in sides[:-1]:
        try:
            worked = Side(side)
        except (Symbolic, ArithmeticError, ValueError, OverflowError, KeyError):
            continue
        tolerance = unit if worked.function else unit / 2
        with decimal.localcontext(CONTEXT):
            if every or abs(worked.value - result) > tolerance:
                out.append(f"{side} = {worked.value} ≠ {sides[-1]} (±{tolerance})")
    return out


def math_text(mathml: str) -> str:
    """A <math> element of the page as a line of text: <mfrac> as (top)/(bottom), <msup> as
    base^(exponent) or a square, a subscripted name as a symbol."""
    return _text(ET.fromstring(re.sub(r"&(?!amp;|lt;|gt;)", "&amp;", mathml)))


def _text(el) -> str:
    tag, children = el.tag, list(el)
    if tag in ("mn", "mo", "mi", "mtext"):
        text = el.text or ""
        return f" {text} " if tag == "mo" and text in ("=", "≈", "+", MINUS, "×", "/") else text
    if tag == "msup":
        base, exponent = (_text(c).strip() for c in children)
        if base == "e":
            return f"e^({exponent})"
        return base + {"2": "²", "3": "³", "4": "⁴"}.get(exponent, "′" if exponent == "′" else f"^{exponent}")
    if tag == "mfrac":
        top, bottom = (_text(c).strip() for c in children)
        return f"({top}) / ({bottom})"
    if tag == "msub":
        return "sym_" + "".join(_text(c).strip() for c in children)
    if tag == "munder":
        return "Σ"
    return "".join(_text(c) for c in children)


def page_lines(html: str) -> list[str]:
    """Every worked line of the page's HTML: its <math> rows, a row that starts with "=" joined
    to the one before it."""
    lines: list[str] = []
    for m in re.finditer(r"<math[^>]*>.*?</math>", html, re.S):
        row = re.sub(r"\s+", " ", math_text(m.group(0))).strip()
        if row.startswith(("=", "≈")) and lines:
            lines[-1] += " " + row
        else:
            lines.append(row)
    return lines


def text_lines(text: str) -> list[str]:
    """The worked lines of plain text (explain, a caption): a line of `explain` continued on the
    next (" = …") joined to it; a caption's clauses ("; ", ": ", sentences) apart; what follows
    a line in two spaces ("  (gradient …)") left out."""
    lines: list[str] = []
    for row in text.split("\n"):
        row = row.strip().split("  ")[0]
        if row.startswith(("= ", "≈ ")) and lines:
            lines[-1] += " " + row
        else:
            lines += re.split(r"; |: (?=\S+ = )|\. (?=[A-Z])", row)
    return [line.strip().rstrip(".") for line in lines if line.strip()]
