"""Writing a formula tree as LaTeX (amsmath), beside writing.py's text and MathML.

The writer takes the same tokens (writing.tokens, writing.chain_rows), so a line says in
LaTeX what it says on the page: the same numbers, operands in the same parentheses
(0.3000 \\times (-0.3000)), the same rows. Where the number goes is the caller's, as for the
other writers: `number(num, operand)` returns it as the page writes it ("−0.3000",
"(−0.3000)", "1.2346 × 10⁶"), and `number_latex` turns that into LaTeX. Only ASCII comes
out, so the text compiles with pdflatex as well as with LuaLaTeX and renders in KaTeX.
"""

from __future__ import annotations

import re

from .expressions import Chain
from .numbers import DIGITS, HIDDEN_TEXT, MINUS
from .names import joining, symbol
from .writing import OPERATORS, chain_rows

GREEK = {"α": r"\alpha", "δ": r"\delta", "σ": r"\sigma", "Σ": r"\Sigma"}
FUNCTIONS = {"σ": r"\sigma", "tanh": r"\tanh", "ln": r"\ln", "max": r"\max"}  # the rest: \operatorname
SIGNS = {"+": "+", "−": "-", "×": r"\times", "=": "=", "≈": r"\approx", ">": ">", "≤": r"\le", "≠": r"\ne"}
_LATEX_NUMBER = str.maketrans({",": "{,}", "\u200e": None, "\u200f": None, "\u061c": None, "\u202f": "\\,"})
_TEXT_SPECIAL = re.compile(r"([#$%&_{}])")


def number_latex(text: str) -> str:
    """A number as the page writes it, in LaTeX: '(−0.3000)' → '(-0.3000)', '1.2346 × 10⁶' →
    '1.2346 \\times 10^{6}', '?' (hidden) → '\\text{?}'; a decimal comma '0{,}5' (in maths a
    bare comma is punctuation, followed by a space), a bidi mark left out (ASCII only)."""
    if text == HIDDEN_TEXT:
        return r"\text{?}"
    text = text.translate(_LATEX_NUMBER)
    mantissa, times, power = text.partition(" × 10")
    if not times:
        return text.replace(MINUS, "-").replace("∞", r"\infty")
    closing = ")" if power.endswith(")") else ""
    exponent = power.removesuffix(")").translate(DIGITS)
    return f"{mantissa.replace(MINUS, '-')} \\times 10^{{{exponent}}}{closing}"


def text_latex(text: str) -> str:
    """Words inside maths: \\text{…}, LaTeX's special characters escaped, "→" as \\to."""
    parts = [_TEXT_SPECIAL.sub(r"\\\1", part) for part in text.split("→")]
    return r"{\to}".join(r"\text{" + part + "}" if part else "" for part in parts)


def name_latex(name: str) -> str:
    """A symbol's name: a Greek letter as its command, one letter as it is, a word upright
    ("update" → \\text{update}), "new w" → \\text{new }w."""
    if " " in name:
        words, last = name.rsplit(" ", 1)
        return text_latex(words + " ") + name_latex(last)
    if name in GREEK:
        return GREEK[name]
    return name if len(name) == 1 else text_latex(name)


def _symbol(s) -> str:
    out = name_latex(symbol(s.name)) + ("'" if s.prime else "")
    if s.index:
        return f"{out}_{{{s.index}}}"
    return f"{out}_{{{text_latex(symbol(s.sub))}}}" if s.sub else out


def _function(name: str, prime: bool) -> str:
    written = FUNCTIONS.get(name) or rf"\operatorname{{{name}}}"
    return written + ("'" if prime else "")


def latex(items: list[tuple], number, align: bool = False) -> str:
    """The tokens as LaTeX; `align`: an amsmath alignment point (&) before the first relation
    (at the start if there is none). Signs and relations are spaced, nothing else."""
    out, previous, aligned = "", None, not align
    for item in items:
        kind = item[0]
        if kind in ("op", "rel"):
            sign = SIGNS[item[1]]
            if kind == "rel" and not aligned:
                sign, aligned = "&" + sign, True
            out = out.rstrip() + f" {sign} "
            previous = kind
            continue
        written = _piece(item, number, previous in OPERATORS)
        if out[-1:].isalpha() and written[:1].isalnum():  # \alpha x, not \alphax
            out += " "
        out += written
        previous = kind
    return out.strip() if aligned else "& " + out.strip()


def _piece(item: tuple, number, operand: bool) -> str:
    kind = item[0]
    if kind == "num":
        return number_latex(number(item[1], operand))
    if kind == "const":
        return number_latex(item[1])
    if kind == "neg":
        return "-"
    if kind in ("open", "close"):
        return item[1]
    if kind == "text":
        return text_latex(joining(item[1]))
    if kind == "sym":
        return _symbol(item[1])
    if kind == "fn":
        return _function(item[1], item[2])
    if kind == "sup":
        return f"{{{latex(item[1], number)}}}^{{{latex(item[2], number)}}}"
    if kind == "exp":
        return f"e^{{{latex(item[1], number)}}}"
    if kind == "frac":
        return rf"\frac{{{latex(item[1], number)}}}{{{latex(item[2], number)}}}"
    if kind == "partial":
        return rf"\frac{{\partial {latex(item[1], number)}}}{{\partial {latex(item[2], number)}}}"
    if kind == "over":
        return rf"\sum_{{{item[1]}}} {latex(item[2], number)}"
    raise TypeError(f"cannot write {item!r}")


def chain_latex(chain: Chain, number, last: str = "=") -> list[str]:
    """The chain's rows, as lines of an amsmath align* (each with its & before its first "=")."""
    return [latex(row, number, align=True) for row in chain_rows(chain, last)]


# ---- the records' formulas, written as text (activations.py, losses.py) ----------------------

_FORMULA = [  # (pattern, LaTeX), in order
    (re.compile(r"e\^\(([^()]*)\)"), r"e^{\1}"),  # e^(−z) → e^{−z}
    (re.compile(r"e\^(\w)"), r"e^{\1}"),
    (re.compile(r"Σ_(\w+)"), r"\\sum_{\1}"),
    (re.compile(r"_(\w+)"), r"_{\1}"),
    (re.compile(r"∂(\w(?:_\{\w+\})?)/∂(\w(?:_\{\w+\})?)"), r"\\frac{\\partial \1}{\\partial \2}"),
    (re.compile(r"\b(if|else|as|for)\b"), lambda word: r"\text{ " + joining(word.group(1)) + " }"),
    (re.compile(r"\b(ReLU|LReLU|linear|softmax)\b"), r"\\operatorname{\1}"),
    (re.compile(r"\b(tanh|ln|max)\b"), r"\\\1"),
]
_FORMULA_SIGNS = {"½": r"\tfrac{1}{2}", "′": "'", "²": "^{2}", "Σ": r"\sum", "∂": r"\partial ", **GREEK,
                  **{sign: f" {latex} " for sign, latex in SIGNS.items() if latex.startswith("\\")}, "−": "-"}


def formula_latex(text: str) -> str:
    """A record's formula as text ("σ′(z) = a × (1 − a)") as LaTeX."""
    for pattern, replacement in _FORMULA:
        text = pattern.sub(replacement, text)
    for sign, written in _FORMULA_SIGNS.items():
        text = text.replace(sign, written)
    return re.sub(r" {2,}", " ", text).strip()
