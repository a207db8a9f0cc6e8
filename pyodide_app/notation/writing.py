"""Writing a formula tree (expressions.py) as text, as MathML or as a worksheet's pieces.

A tree is first laid out as tokens in reading order, with the brackets precedence needs;
then each writer turns the tokens into its form. Whether a number is an operand is read from
the tokens, as numbers.py defines it: a number right after an operator (×, +, −, /, a leading
minus). Where the number itself goes is the caller's: `number(num, operand)` returns it
written (a page's <mn data-v=…>, a label for a hidden value, plain digits).
"""

from __future__ import annotations

import re
from html import escape

from .names import joining, symbol
from .expressions import (Bracket, Call, Chain, Const, Diff, Exp, Expr, Given, Neg, Num, Over, Partial, Power,
                          Product, Quotient, Sum, Sym)

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
OPERATORS = ("op", "neg")


def _precedence(expr: Expr) -> int:
    if isinstance(expr, (Sum, Diff)):
        return 1
    if isinstance(expr, (Product, Neg, Given)):
        return 2
    return 3


def tokens(expr: Expr) -> list[tuple]:
    out: list[tuple] = []
    _lay_out(expr, out)
    return out


def _grouped(expr: Expr, out: list, brackets: bool) -> None:
    if brackets:
        out.append(("open", "("))
        _lay_out(expr, out)
        out.append(("close", ")"))
    else:
        _lay_out(expr, out)


def _lay_out(expr: Expr, out: list) -> None:
    if isinstance(expr, Num):
        out.append(("num", expr))
    elif isinstance(expr, Const):
        out.append(("const", expr.text))
    elif isinstance(expr, Sym):
        out.append(("sym", expr))
    elif isinstance(expr, Sum):
        for k, term in enumerate(expr.terms):
            if k:
                out.append(("op", "+"))
            _grouped(term, out, k > 0 and isinstance(term, Neg))
    elif isinstance(expr, Diff):
        _lay_out(expr.left, out)
        out.append(("op", "−"))
        _grouped(expr.right, out, _precedence(expr.right) < 2 or isinstance(expr.right, Neg))
    elif isinstance(expr, Product):
        _grouped(expr.left, out, _precedence(expr.left) < 2)
        out.append(("op", "×"))
        _grouped(expr.right, out, _precedence(expr.right) < 2 or isinstance(expr.right, Neg))
    elif isinstance(expr, Neg):
        out.append(("neg", "−"))
        _grouped(expr.x, out, _precedence(expr.x) < 2)
    elif isinstance(expr, Power):
        base: list = []
        _grouped(expr.base, base, not isinstance(expr.base, Sym))
        out.append(("sup", base, [("const", str(expr.exponent))]))
    elif isinstance(expr, Quotient):
        out.append(("frac", tokens(expr.top), tokens(expr.bottom)))
    elif isinstance(expr, Exp):
        out.append(("exp", tokens(expr.x)))
    elif isinstance(expr, Call):
        out += [("fn", expr.name, expr.prime), ("open", "(")]
        _lay_out(expr.arg, out)
        out.append(("close", ")"))
    elif isinstance(expr, Bracket):
        out.append(("open", "["))
        _lay_out(expr.x, out)
        out.append(("close", "]"))
    elif isinstance(expr, Partial):
        out.append(("partial", tokens(expr.top), tokens(expr.bottom)))
    elif isinstance(expr, Given):
        _lay_out(expr.value, out)
        out.append(("text", ", as "))
        _lay_out(expr.left, out)
        out.append(("rel", expr.relation))
        _lay_out(expr.right, out)
    elif isinstance(expr, Over):
        out.append(("over", expr.index, tokens(expr.body)))
    else:
        raise TypeError(f"cannot write {expr!r}")


def chain_rows(chain: Chain, last: str = "=") -> list[list[tuple]]:
    """The chain's tokens, a list per row: lhs = stage = … `last` result. The relation before
    the result is ("rel", last, "last"), so that a writer can key it (it may become ≈). Laid
    out once for each chain (a chain does not change), as lines are written again and again."""
    laid_out = chain.__dict__.setdefault("_rows", {})
    if last not in laid_out:
        laid_out[last] = _rows(chain, last)
    return laid_out[last]


def _rows(chain: Chain, last: str) -> list[list[tuple]]:
    rows: list[list[tuple]] = [[]]
    if chain.lhs is not None:
        rows[0] += tokens(chain.lhs)
    for k, stage in enumerate(chain.stages):
        if k in chain.breaks and rows[-1]:
            rows.append([])
        if rows[-1] or chain.lhs is not None or k:
            rows[-1].append(("rel", "="))
        rows[-1] += tokens(stage)
    if chain.result is not None:
        rows[-1] += [("rel", last, "last"), ("num", chain.result)]
    return rows


# ---- text and a worksheet's pieces ----------------------------------------------------------

def pieces(items: list[tuple], number, plain: bool = False) -> list:
    """Text, except that a symbol with a neuron's name below is (symbol, name): a worksheet
    sets the name as a subscript. `plain`: text only, the name left out (said by the words
    around the line) unless the symbol is `named` (L_Out-1). Adjacent text is merged."""
    out: list = []
    previous = None
    for item in items:
        kind = item[0]
        if kind == "num":
            out.append(number(item[1], previous in OPERATORS))
        elif kind in ("op", "rel"):
            out.append(f" {item[1]} ")
        elif kind == "text":
            out.append(joining(item[1]))
        elif kind in ("const", "neg", "open", "close"):
            out.append(item[1])
        elif kind == "sym":
            s = item[1]
            name = symbol(s.name) + ("′" if s.prime else "") + (f"_{s.index}" if s.index else "")
            if s.sub and not plain:
                out.append((name, symbol(s.sub)))
            else:
                out.append(f"{name}_{symbol(s.sub)}" if s.sub and s.named else name)
        elif kind == "fn":
            out.append(item[1] + ("′" if item[2] else ""))
        elif kind == "sup":
            out += pieces(item[1], number, plain) + [item[2][0][1].translate(SUPERSCRIPT)]
        elif kind == "exp":  # the exponent reads as an operand: e^(−0.5000)
            inner = pieces(item[1], lambda n, operand: number(n, True), plain)
            out += ["e^", *inner] if len(item[1]) == 1 else ["e^(", *inner, ")"]
        elif kind == "frac":
            out += [*_compound(item[1], number, plain), " / ", *_compound(item[2], number, plain)]
        elif kind == "partial":
            out += ["∂", *pieces(item[1], number, plain), "/∂", *pieces(item[2], number, plain)]
        elif kind == "over":
            out += [f"Σ_{item[1]} ", *pieces(item[2], number, plain)]
        previous = kind
    merged: list = []
    for piece in out:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def _compound(items: list[tuple], number, plain: bool) -> list:
    inner = pieces(items, number, plain)
    return ["(", *inner, ")"] if len(items) > 1 else inner


def text(items: list[tuple], number) -> str:
    return "".join(pieces(items, number, plain=True))


def row_templates(chain: Chain, last: str = "=") -> list[tuple[str, list]]:
    """Each row of the chain as text with a {k} for its k-th number, and the numbers, (Num, as
    an operand): written again and again (Show how, the walk), a line is laid out once."""
    made = chain.__dict__.setdefault("_templates", {})
    if last not in made:
        made[last] = []
        for row in chain_rows(chain, last):
            found: list = []
            written = text(row, lambda num, operand: found.append((num, operand)) or f"\0{len(found) - 1}\0")
            made[last].append((re.sub("\0(\\d+)\0", r"{\1}", written.replace("{", "{{").replace("}", "}}")), found))
    return made[last]


def chain_text(chain: Chain, number, last: str = "=", rows: bool = False) -> str:
    """The chain as one line of text (or as rows, one a line, when `rows`)."""
    written = [text(row, number) for row in chain_rows(chain, last)]
    return "\n".join(written) if rows else "".join(written)


# ---- MathML ---------------------------------------------------------------------------------

def mathml(items: list[tuple], number, relation=None) -> str:
    """`relation(token)`: how the keyed relation before a result is written (default <mo>)."""
    out, previous = [], None
    for item in items:
        kind = item[0]
        if kind == "num":
            out.append(number(item[1], previous in OPERATORS))
        elif kind == "const":
            out.append(f"<mn>{item[1]}</mn>")
        elif kind == "rel" and len(item) > 2 and relation:
            out.append(relation(item))
        elif kind in ("op", "neg", "rel", "open", "close"):
            out.append(f"<mo>{escape(item[1])}</mo>")
        elif kind == "text":
            out.append(f"<mtext>{escape(joining(item[1]))}</mtext>")
        elif kind == "sym":
            out.append(_symbol_mathml(item[1]))
        elif kind == "fn":
            out.append(_primed(f"<mi>{item[1]}</mi>", item[2]))
        elif kind == "sup":
            out.append(f"<msup><mrow>{mathml(item[1], number)}</mrow>{mathml(item[2], number)}</msup>")
        elif kind == "exp":
            out.append(f"<msup><mi>e</mi><mrow>{mathml(item[1], number)}</mrow></msup>")
        elif kind == "frac":
            out.append(f"<mfrac><mrow>{mathml(item[1], number)}</mrow><mrow>{mathml(item[2], number)}</mrow></mfrac>")
        elif kind == "partial":
            out.append(f"<mfrac><mrow><mo>∂</mo>{mathml(item[1], number)}</mrow>"
                       f"<mrow><mo>∂</mo>{mathml(item[2], number)}</mrow></mfrac>")
        elif kind == "over":
            out.append(f"<munder><mo>∑</mo><mi>{item[1]}</mi></munder>{mathml(item[2], number)}")
        previous = kind
    return "".join(out)


def _primed(name: str, prime: bool) -> str:
    return f"<msup>{name}<mo>′</mo></msup>" if prime else name


def _symbol_mathml(s: Sym) -> str:
    name = _primed(f"<mi>{escape(symbol(s.name))}</mi>", s.prime)
    if s.index:
        return f"<msub>{name}<mi>{s.index}</mi></msub>"
    return f"<msub>{name}<mtext>{escape(symbol(s.sub))}</mtext></msub>" if s.sub else name


def formula(lhs: Expr, *stages: Expr) -> tuple[str, str]:
    """(text, MathML) of a formula in symbols: lhs = stage = …"""
    items = tokens(lhs)
    for stage in stages:
        items += [("rel", "=")] + tokens(stage)
    return text(items, None), mathml(items, None)
