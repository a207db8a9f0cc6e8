"""Formulas as small trees: what a worked line says, apart from how it is written.

The records declare their worked steps with these (activations.py: a × (1 − a); losses.py:
a − t, ½ × [(a − t)² + …]), with `Slot`s where a neuron's numbers go; view/lines.py binds
the slots to the trace's numbers (`Num`, by key) and symbols (`Sym`). One tree is written
as text, MathML or a worksheet's pieces (writing.py) and evaluated on the digits shown
(checking.py): so what a line says and what it shows cannot part.

    Num("a-1-0")          a number of the trace, by its key      Const("1")      a number as such
    Sym("z", "H1-1")      z with H1-1 below                      Slot("a")       to be bound
    Sum(x, y, …)  Diff(x, y)  Product(x, y)  Neg(x)  Power(x, 2)  Quotient(x, y)  Exp(x) = e^x
    Call("σ", x, f)       a function of x (f evaluates it)       Bracket(x)      [x]
    Partial(L, a)         ∂L/∂a                                   Given(v, x, ">", 0)  "v, as x > 0"
    Over("k", x)          Σ_k x (symbols only)                   Each(x)         x + x + …, over a layer
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable


class Expr:
    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Num(Expr):
    key: str
    kind: str = "value"  # how it is written: "value" (4 decimals), "precise" (6) or "rate" (as typed)


@dataclass(frozen=True, slots=True)
class Const(Expr):
    text: str


@dataclass(frozen=True, slots=True)
class Sym(Expr):
    name: str
    sub: str = ""  # a neuron's name below ("H1-1"): in text, said by the words around the line …
    index: str = ""  # an index below ("j"): written everywhere, t_j
    prime: bool = False  # f′
    named: bool = False  # … unless the line is one of several alike: L_Out-1


@dataclass(frozen=True, slots=True)
class Slot(Expr):
    name: str


@dataclass(frozen=True, slots=True)
class Sum(Expr):
    terms: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Diff(Expr):
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Product(Expr):
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Neg(Expr):
    x: Expr


@dataclass(frozen=True, slots=True)
class Power(Expr):
    base: Expr
    exponent: int


@dataclass(frozen=True, slots=True)
class Quotient(Expr):
    top: Expr
    bottom: Expr


@dataclass(frozen=True, slots=True)
class Exp(Expr):
    x: Expr


@dataclass(frozen=True, slots=True)
class Call(Expr):
    name: str
    arg: Expr
    function: Callable[[float], float] | None = None
    prime: bool = False


@dataclass(frozen=True, slots=True)
class Bracket(Expr):
    x: Expr


@dataclass(frozen=True, slots=True)
class Partial(Expr):
    top: Expr
    bottom: Expr


@dataclass(frozen=True, slots=True)
class Given(Expr):
    """A constant slope and the case it belongs to: "1, as z > 0"."""
    value: Expr
    left: Expr
    relation: str
    right: Expr


@dataclass(frozen=True, slots=True)
class Over(Expr):
    index: str
    body: Expr


@dataclass(frozen=True, slots=True)
class Each(Expr):
    """body + body + …, once for each neuron of a layer (or each output), its slots bound to
    that neuron's numbers (`bind`'s `each`)."""
    body: Expr


_CHILDREN = {kind: (lambda e: ()) for kind in (Num, Const, Sym, Slot)} | {
    Sum: lambda e: e.terms, Diff: lambda e: (e.left, e.right), Product: lambda e: (e.left, e.right),
    Neg: lambda e: (e.x,), Power: lambda e: (e.base,), Quotient: lambda e: (e.top, e.bottom), Exp: lambda e: (e.x,),
    Call: lambda e: (e.arg,), Bracket: lambda e: (e.x,), Partial: lambda e: (e.top, e.bottom),
    Given: lambda e: (e.value, e.left, e.right), Over: lambda e: (e.body,), Each: lambda e: (e.body,)}


def plus(*terms: Expr) -> Expr:
    return terms[0] if len(terms) == 1 else Sum(tuple(terms))


def children(expr: Expr) -> tuple[Expr, ...]:
    return _CHILDREN[type(expr)](expr)


def bind(expr: Expr, slots: dict[str, Expr], each: list[dict[str, Expr]] = ()) -> Expr:
    """The tree with each Slot replaced by slots[its name]; an Each becomes the sum of its body
    bound to each of `each` in turn (over slots)."""
    if isinstance(expr, Slot):
        return slots[expr.name]
    if isinstance(expr, (Num, Const, Sym)):
        return expr
    if isinstance(expr, Each):
        return plus(*(bind(expr.body, slots | one) for one in each))
    return type(expr)(*(_bound(getattr(expr, name), slots, each) for name in expr.__slots__))


def _bound(value, slots: dict[str, Expr], each):
    if isinstance(value, Expr):
        return bind(value, slots, each)
    if isinstance(value, tuple):
        return tuple(bind(v, slots, each) for v in value)
    return value


def substitute(expr: Expr, table: dict[str, Expr]) -> Expr:
    """The tree with each Num whose key is in `table` replaced by what it maps to."""
    if isinstance(expr, Num):
        return table.get(expr.key, expr)
    if isinstance(expr, (Const, Sym, Slot)):
        return expr
    return type(expr)(*(_substituted(getattr(expr, name), table) for name in expr.__slots__))


def _substituted(value, table: dict[str, Expr]):
    if isinstance(value, Expr):
        return substitute(value, table)
    if isinstance(value, tuple):
        return tuple(substitute(v, table) for v in value)
    return value


def numbers(expr: Expr) -> list[Num]:
    """Every Num of the tree, in reading order."""
    if isinstance(expr, Num):
        return [expr]
    return [n for child in children(expr) for n in numbers(child)]


def symbolic(expr: Expr) -> bool:
    """Whether the tree names something instead of writing its number (it is then not evaluated)."""
    if isinstance(expr, (Sym, Slot, Over, Partial, Given)):
        return True
    return any(symbolic(child) for child in children(expr))


@dataclass(frozen=True)
class Chain:
    """A worked line: lhs = stage = stage = … = result. `breaks`: the stages that begin a new row
    where a line is set in rows (the page); `detail`: stages only the worksheet's key writes
    (the products of a sum)."""
    lhs: Expr | None
    stages: tuple[Expr, ...]
    result: Num | None = None
    breaks: frozenset[int] = frozenset()
    detail: frozenset[int] = frozenset()

    def without_detail(self) -> Chain:
        return self.keeping([k for k in range(len(self.stages)) if k not in self.detail])

    def with_numbers_only(self) -> Chain:
        """Without the stages that name instead of write (∂L/∂a × σ′(z)), where one with numbers is left."""
        kept = [k for k, stage in enumerate(self.stages) if not symbolic(stage)]
        return self.keeping(kept) if kept else self

    def keeping(self, kept: list[int]) -> Chain:
        if len(kept) == len(self.stages):
            return self
        return Chain(self.lhs, tuple(self.stages[k] for k in kept), self.result,
                     frozenset(n for n, k in enumerate(kept) if k in self.breaks),
                     frozenset(n for n, k in enumerate(kept) if k in self.detail))

    @cached_property
    def _numbers(self) -> tuple[Num, ...]:
        out = [n for stage in self.stages for n in numbers(stage)]
        return tuple(out + [self.result] if self.result is not None else out)

    def numbers(self) -> tuple[Num, ...]:
        return self._numbers
