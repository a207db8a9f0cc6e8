"""The panel beside the diagram for a selected line or neuron: its chain rule with numbers.

A line (weight w from neuron i to neuron j), as MathML in pieces the panel wraps between:
    ∂L/∂w = δ_j × a_i   = … × …   = …
    w_new = w − α × ∂L/∂w   = … − … × …   = … − …   = …
A neuron: the same for its bias, ∂L/∂b = δ_j. An input has no bias: its value only.

The lines are lines.py's, with the decimals they need to add up (cards.py). `rule` is the
part that changes while training; `panel` adds a title and the panel's buttons. Names and
numbers need no escaping: they are made of letters, digits, "-", "." and "−".
"""

from __future__ import annotations

import re
from dataclasses import replace
from html import escape

from ..notation import names
from ..notation.expressions import Chain
from ..notation.numbers import number
from ..notation.writing import chain_rows, mathml
from .cards import Written, cards
from ..translation import N_, _

ELEMENT = re.compile(r"(node|edge)-(\d+(?:-\d+){1,2})")  # kind, then 2 or 3 numbers
APPLIED = N_("The update the last step applied: the new value is the one in use now.")
NEXT = N_("The update the next step applies.")


def title(found: tuple, sizes: list[int], inputs: tuple[str, ...] = ()) -> str:
    """`inputs`: the input neurons' features, on data (names.neuron)."""
    kind, l, j, *i = found
    if i:
        return names.weight(l, j, i[0], len(sizes), inputs)
    name = names.neuron(l, j, len(sizes), inputs)
    return (_("Neuron %(name)s") if l else _("Input %(name)s")) % {"name": name}


def rule(found: tuple, step: dict, applied: bool) -> str:
    """The formulas, from the trace `step` (numbers only), for the step just applied or the next:
    the lines of cards.py, each stage a <math> of its own so that the panel wraps between them."""
    kind, l, j, *i = found
    if not l:
        value = step["layers"][0]["neurons"][j]["activation"]
        name = names.neuron(0, j, len(step["layers"]), names.inputs_of(step))
        return f"<math><msub><mi>a</mi><mtext>{name}</mtext></msub><mo>=</mo>" \
               f"<mn>{number(value)}</mn></math>"
    card = chain_rule_card(found, step)
    w = Written(card, step, step)
    gradient, update = (_mathml(chain, w) for chain in card.chains)
    return f"<p>{gradient}</p><p>{update}</p><p>{escape(_(APPLIED if applied else NEXT))}</p>"


def chain_rule_card(found: tuple, step: dict):
    """The lines of a line's or a neuron's (not an input's) chain rule, as a card of `step`'s structure."""
    kind, l, j, *i = found
    i = i[0] if i else None
    return cards(step).extra(f"c{l}-{j}" + (f"-{i}" if i is not None else ""),
                             lambda lines: [_wrapped(lines.gradient(l, j, i)), _wrapped(lines.new_value(l, j, i, True))])


def _wrapped(chain: Chain) -> Chain:
    return replace(chain, breaks=frozenset(range(1, len(chain.stages))))


def _mathml(chain: Chain, w: Written) -> str:
    return " ".join(f"<math>{mathml(row, lambda num, operand: f'<mn>{w.number(num, operand)}</mn>')}</math>"
                    for row in chain_rows(chain, w.last(chain)))


def panel(found: tuple, sizes: list[int], formulas: str, inputs: tuple[str, ...] = ()) -> str:
    """Title, the chain rule (in #chain, re-written while training) and the buttons."""
    kind, l, j, *i = found
    field, edit = ((f"w-{l}-{j}-{i[0]}", _("Edit weight")) if i else (f"b-{l}-{j}", _("Edit bias")) if l
                   else (f"inputs-{j}", _("Edit input")))
    latex, copy_latex, clear = "-".join(map(str, (kind, l, j, *i))), _("Copy LaTeX"), _("Clear selection")
    copy = f'<button data-latex="{latex}">{escape(copy_latex)}</button>' if l else ""
    return (f'<h3>{title(found, sizes, inputs)}</h3><div id="chain">{formulas}</div><div class="buttons">'
            f'<button type="button" data-edit="field-{field}">{escape(edit)}</button>{copy}'
            f'<button type="button" id="clear-selection">{escape(clear)}</button></div>')




def parse(element, sizes: list[int]) -> tuple | None:
    """'edge-2-1-0' → ('edge', 2, 1, 0), 'node-2-1' → ('node', 2, 1): elements of a network
    of these sizes only, else None."""
    match = ELEMENT.fullmatch(element) if isinstance(element, str) else None
    if not match:
        return None
    kind, (l, j, *i) = match[1], map(int, match[2].split("-"))
    if (kind == "edge") != bool(i) or l >= len(sizes) or j >= sizes[l] or i and not (0 < l and i[0] < sizes[l - 1]):
        return None
    return (kind, l, j, *i)
