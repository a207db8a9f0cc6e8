"""Worked lines that add up on the digits they show.

A chain lhs = E₁ = E₂ = … = R asserts that each Eᵢ written with numbers, worked out from the
numbers as shown (exact decimal arithmetic), is R as shown: within half a unit of R's last
decimal, or within one where Eᵢ applies a function to a shown argument (σ(0.8399) = 0.6985).
A stage with a symbol in it (∂L/∂a × σ′(z)) asserts nothing to check.

`solve` chooses how many decimals each number of a group of chains (a card) shows: each starts
with its kind's (4 or 6; a number in scientific form, its mantissa's: 1 below the kind's last
decimal, 4.9 × 10⁻⁷, and a unit is one of the mantissa's last); while a chain does not hold, the least precise of the numbers it works
with get one more (its result only once they have MOST), up to numbers.MOST, unless they show
their value exactly (0.8000); a chain that still does not hold is written with "≈" before its
result.
A number shows the same decimals in every chain of the group. Numbers of kind "weight" and
"rate" keep theirs (numbers.py); a chain with a hidden number is not checked.
"""

from __future__ import annotations

import decimal
import functools
import math
from decimal import Decimal

from .. import translation
from .expressions import Bracket, Call, Chain, Const, Diff, Exp, Expr, Neg, Num, Power, Quotient, Sum, children, symbolic
from .numbers import (DECIMALS, HIDDEN, MINUS, MOST, fixed, kind_decimals, number, weight_decimals, written_decimals,
                      written_value)

CONTEXT = decimal.Context(prec=60, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
FIXED_KINDS = ("weight", "rate")
# Floats decide a chain at once where every number is below FLOAT_UP_TO and each stage misses or
# meets its tolerance by more than MARGIN (far more than a float's rounding there); else Decimals do.
FLOAT_UP_TO, MARGIN = 1000.0, 1e-11


def _applied(function, x):
    return function(x)


def _applied_exactly(function, x: Decimal) -> Decimal:
    return x.exp() if function is math.exp else Decimal(repr(function(float(x))))


class Checks:
    """A chain's stages as Python over the numbers of its group, v[position] (see Group), ready
    to be worked out exactly (`exactly`) or as floats with the group's (`Group.misses`)."""
    __slots__ = ("keys", "result", "sources", "stages", "tolerances")

    def __init__(self, chain: Chain, positions: dict[str, int]):
        self.keys = tuple(positions[n.key] for n in dict.fromkeys(chain.numbers()))
        self.result = positions[chain.result.key] if chain.result is not None else None
        stages = [stage for stage in chain.stages if not symbolic(stage)] if chain.result is not None else []
        self.tolerances = [1.0 if _applies_function(stage) else 0.5 for stage in stages]
        self.sources = [_source(stage, positions) for stage in stages]
        self.stages = _defined(f"def stages(v, n, apply):\n    return ({', '.join(self.sources)},)") \
            if stages else None

    def miss(self) -> str:
        """By how much the worst stage misses its tolerance (negative: it holds), as Python over
        v (the floats shown) and u (one unit of each one's last decimal)."""
        return "max((" + ", ".join(f"abs({source} - v[{self.result}]) - {tolerance!r} * u[{self.result}]"
                                   for source, tolerance in zip(self.sources, self.tolerances)) + ",))"

    def exactly(self, shown: list[float], units: list[Decimal]) -> bool:
        """`units`: one unit of each shown number's last decimal (its mantissa's, in scientific form)."""
        exact = [(Decimal(repr(shown[k])), units[k]) if k in self.keys else (None, None) for k in range(len(shown))]
        result, unit = exact[self.result]
        with decimal.localcontext(CONTEXT):
            try:
                values = self.stages([value for value, _ in exact], Decimal, _applied_exactly)
                return all(abs(x - result) <= unit * Decimal(tolerance) for x, tolerance in zip(values, self.tolerances))
            except (ArithmeticError, ValueError, OverflowError):  # ln 0: the digits shown are too few
                return False


_COMPILED: dict[str, object] = {}


def _defined(code: str):
    """The function `code` defines, compiled once for every chain or card of its shape."""
    found = _COMPILED.get(code)
    if found is None:
        if len(_COMPILED) > 4000:
            _COMPILED.clear()
        namespace = {name: FUNCTIONS[name] for name in FUNCTIONS if name in code}
        exec(compile(code + "\n", "<worked line>", "exec"), namespace)  # trusted: written from our own trees
        found = _COMPILED[code] = namespace[code[4:code.index("(")]]
    return found


FUNCTIONS: dict[str, object] = {}  # the functions a worked line applies, by the name its code gives them


def _source(e: Expr, positions: dict[str, int]) -> str:
    """The expression as Python, over v (the numbers shown, by position), n (a constant's number
    type) and apply(f, x) (a function applied)."""
    if isinstance(e, Num):
        return f"v[{positions[e.key]}]"
    if isinstance(e, Const):
        return f"n({e.text.replace(MINUS, '-')!r})"
    if isinstance(e, Sum):
        return "(" + " + ".join(_source(term, positions) for term in e.terms) + ")"
    if isinstance(e, Bracket):
        return _source(e.x, positions)
    if isinstance(e, Neg):
        return f"(-{_source(e.x, positions)})"
    if isinstance(e, Power):
        return f"({_source(e.base, positions)} ** {e.exponent})"
    if isinstance(e, (Exp, Call)):
        function = math.exp if isinstance(e, Exp) else e.function
        name = f"f{id(function)}"
        FUNCTIONS[name] = function
        return f"apply({name}, {_source(e.x if isinstance(e, Exp) else e.arg, positions)})"
    left, right = (e.top, e.bottom) if isinstance(e, Quotient) else (e.left, e.right)
    operator = "/" if isinstance(e, Quotient) else "-" if isinstance(e, Diff) else "*"
    return f"({_source(left, positions)} {operator} {_source(right, positions)})"


def _applies_function(expr: Expr) -> bool:
    return isinstance(expr, (Call, Exp)) or any(_applies_function(child) for child in children(expr))


class Group:
    """Chains whose numbers share their decimals (a card), ready to be solved again and again.

    Its numbers are `keys`, by position; `misses(shown floats, units)` gives by how much each
    checked chain misses (negative: it holds), in floats, in one compiled call: this runs for
    every card of the page on every edit."""

    def __init__(self, chains: list[Chain]):
        self.chains = chains
        nums = list(dict.fromkeys(n for chain in chains for n in chain.numbers()))
        self.keys = tuple(dict.fromkeys(n.key for n in nums))
        self.kinds = {n.key: n.kind for n in nums}
        positions = {key: k for k, key in enumerate(self.keys)}
        self.checks = [Checks(chain, positions) for chain in chains]
        self.checked = [k for k, c in enumerate(self.checks) if c.stages]
        self.raisable = [self.kinds[key] not in FIXED_KINDS for key in self.keys]
        misses = ", ".join(self.checks[k].miss() for k in self.checked)
        self.misses = _defined(f"def misses(v, u, n, apply):\n    return ({misses},)") if self.checked else None


# How numbers are written, kept across traces: most numbers of a large network (its weights)
# are the same from one edit to the next.
_WRITTEN: dict[tuple, tuple] = {}
NOT_SHOWN = (None, None, None, 0.0)  # the entry of a hidden number
WRITTEN_KEPT = 20_000


def _written(x: float, kind: str) -> tuple:
    """(text, Shown's entry)."""
    text = number(x, kind)
    if x is HIDDEN:
        return text, NOT_SHOWN
    places = DECIMALS.get(kind) or (weight_decimals(x) if kind == "weight" else None)
    if places is not None and fixed(x, places):
        unit = _fixed_unit(places)
        return text, (round(x, places), places, unit, float(unit))
    written = written_decimals(x, kind) if places is not None else _places(x, kind)
    unit = _unit(x, kind, written)
    return text, (float(written_value(text)[0]), written, unit, float(unit))


class Shown:
    """Numbers as written with their kind's decimals, where every solve starts (made once for
    all the cards of a trace): `values` {key: value}, `kinds` {key: kind} of those keys (and
    maybe more). A hidden number is written HIDDEN_TEXT."""

    def __init__(self, values: dict[str, float], kinds: dict[str, str]):
        self.values, self.kinds = values, kinds
        self.texts: dict[str, str] = {}
        # {key: (the value written, its decimals, one unit of its last decimal, that as a float)},
        # made once for every card
        self.entries: dict[str, tuple] = {}
        texts, entries = self.texts, self.entries
        language = translation.language()  # the build writes one language after another
        for key, x in values.items():
            kind = kinds[key]
            kept = type(x) is float and x  # 0.0 and −0.0 are one key of a dict, and not one text
            written = _WRITTEN.get((x, kind, language)) if kept else None
            if written is None:
                written = _written(x, kind)
                if kept:
                    if len(_WRITTEN) > WRITTEN_KEPT:
                        _WRITTEN.clear()
                    _WRITTEN[x, kind, language] = written
            texts[key], entries[key] = written


def solve(group: Group, shown: Shown) -> tuple[dict[str, str], set[int]]:
    """({key: its text} for the group's numbers (and maybe others), {indices of chains written with ≈})."""
    keys, checks = group.keys, group.checks
    entries = shown.entries
    floats, decimals, exact_units, units = map(list, zip(*[entries.get(key, NOT_SHOWN) for key in keys]))
    hidden = {k for k, x in enumerate(floats) if x is None}
    skipped = {k for k in group.checked if hidden.intersection(checks[k].keys)}
    small = not hidden and max(map(abs, floats)) < FLOAT_UP_TO
    approximate: set[int] = set()
    raised: set[int] = set()
    while True:
        k = _failing(group, floats, exact_units, units, small, approximate | skipped)
        if k is None:
            break
        c = checks[k]
        up = [n for n in c.keys if group.raisable[n] and decimals[n] < MOST
              and floats[n] != shown.values[keys[n]]]  # a number shown exactly needs no more digits
        if len(up) > 1 or up and up[0] != c.result:  # more digits of what goes in, before those of the result
            up = [n for n in up if n != c.result]
        if not up:
            approximate.add(k)
            continue
        least = min(decimals[n] for n in up)
        for n in up:
            if decimals[n] == least:
                decimals[n] = least + 1
                exact_units[n] = _unit(shown.values[keys[n]], group.kinds[keys[n]], least + 1)
                units[n] = float(exact_units[n])
                floats[n] = _rounded(shown.values[keys[n]], group.kinds[keys[n]], least + 1)
                raised.add(n)
    if not raised:
        return shown.texts, approximate
    texts = {key: shown.texts[key] for key in keys}
    for n in raised:
        texts[keys[n]] = number(shown.values[keys[n]], group.kinds[keys[n]], decimals[n])
    return texts, approximate


def _failing(group: Group, floats: list, exact_units: list, units: list, small: bool, skipped: set) -> int | None:
    """The first chain of the group that does not hold (none skipped), or None."""
    misses = None
    if small:
        try:
            misses = group.misses(floats, units, float, _applied)
        except (ArithmeticError, ValueError):
            pass
    for position, k in enumerate(group.checked):
        if k in skipped:
            continue
        miss = misses[position] if misses else math.nan
        if miss < -MARGIN:
            continue
        if miss > MARGIN or not group.checks[k].exactly(floats, exact_units):
            return k
    return None


def _rounded(x: float, kind: str, places: int) -> float:
    """The number x is written as (numbers.number), as a float: exact to 13 significant digits."""
    if fixed(x, kind_decimals(x, kind)):
        return round(x, places)
    return float(written_value(number(x, kind, places))[0])


def _unit(x: float, kind: str, places: int) -> Decimal:
    """One unit of the last decimal of x written with `places` decimals (its mantissa's, in
    scientific form)."""
    if (kind in DECIMALS or kind == "weight") and not fixed(x, kind_decimals(x, kind)):
        return written_value(number(x, kind, places))[1]
    return _fixed_unit(places)


@functools.lru_cache(maxsize=64)
def _fixed_unit(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def _places(x: float, kind: str) -> int:
    """The decimals of a number written in a kind of its own (a weight: 4 or 6; the rate: as typed)."""
    if kind == "weight":
        return weight_decimals(x)
    return max(0, -written_value(number(x, kind))[0].as_tuple().exponent)
