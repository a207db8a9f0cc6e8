"""The worked lines as the page sets them, in cards, each written with the decimals it needs.

A card is the group of lines the page shows together, and the unit of decimals: a number
shows the same digits in every line of its card (notation/checking.py chooses them), while
another card may show it with fewer. So the page keys each number by its card:

    a-1-0@f2-0     a-1-0 in the forward card of neuron 2-0 ("(a-1-0@f2-0" after an operator)
    z-2-0@f        a number of the card's own neuron: z-2-0 in the forward card of 2-0
    =1@b4-0        the "=" before the result of the card's second line: "≈" where no decimals do
    (w-2-0-1, lr   weights and the learning rate are written alike everywhere, under their own
                   keys: their decimals follow from the number itself (numbers.weight_decimals)

Cards: f{l}-{j} a neuron's sum and activation, "L" the loss, "LB" on data the batch's mean loss,
b{l}-{j} its δ, "u" the worked update of the first weight into the first output. Others (explain, the walk, Show how) write
the same cards with the same decimals (`Written`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from ..notation import names
from ..notation.checking import Group, Shown, solve
from ..notation.expressions import Chain, Num
from ..notation.numbers import as_operand
from ..notation.writing import chain_rows, mathml, row_templates, text, tokens
from .lines import Lines, values

SHARED = "w-"  # the weights' keys: written under their own key in every card (a formula's term names its line)


@dataclass
class Card:
    """`chains` as every view writes them; `shown` as the page sets them: their stages with
    numbers only (the symbols, ∂L/∂a × σ′(z), are the text views' and the formula section's)."""
    id: str
    chains: list[Chain]
    uses: list = field(default_factory=list)  # (data-v key, number's key, as an operand)
    relations: list[tuple[str, int]] = field(default_factory=list)  # (data-v key of the last "=", chain)

    def __post_init__(self):
        self.chains = [chain.without_detail() for chain in self.chains]
        self.shown = [chain.with_numbers_only() for chain in self.chains]
        for k, chain in enumerate(self.shown):
            for row in chain_rows(chain):
                mathml(row, lambda num, operand: self.uses.append((key(num, self.id, operand), num, operand)) or "")
            if chain.result is not None:
                self.relations.append((f"={k}@{self.id}", k))
        uses = list({use[0]: use for use in self.uses}.values())
        self.uses = [(k, num.key, operand) for k, num, operand in uses]
        # for the page's texts: keys and numbers of the plain uses, then of the operands
        self.plain = ([k for k, _, operand in self.uses if not operand], [n for _, n, operand in self.uses if not operand])
        self.operands = ([k for k, _, operand in self.uses if operand], [n for _, n, operand in self.uses if operand])
        self.group = Group(self.chains)


def key(num: Num, card: str, operand: bool) -> str:
    """The number's data-v key in a card: "a-1-0@f2-0"; "a-1-0@f" in its own neuron's card."""
    if num.kind == "rate":
        return "lr"
    if num.key.startswith(SHARED):
        return ("(" if operand else "") + num.key
    parts = num.key.split("-")
    own = len(parts) > 2 and f"{parts[1]}-{parts[2]}" == card[1:]
    return ("(" if operand else "") + f"{num.key}@{card[0] if own else card}"


class PageCards:
    """The cards of one structure (see `structure`), by part of the page."""

    def __init__(self, t: dict):
        lines = self.lines = Lines(t)
        count = lines.count
        self.forward = {l: [Card(f"f{l}-{j}", [lines.forward_sum(l, j), lines.activation(l, j)])
                            for j in lines.neurons(l)] for l in range(1, count)}
        self.loss = Card("L", lines.loss_lines())
        self.batch_loss = Card("LB", lines.batch_loss_lines()) if lines.batch else None
        self.backprop = {l: [Card(f"b{l}-{j}", lines.backward(l, j)) for j in lines.neurons(l)]
                         for l in range(1, count)}
        last = lines.last
        gradient = lines.batch_lines(last, 0, 0) if lines.batch else [lines.gradient(last, 0, 0)]
        self.updates = Card("u", [*gradient, lines.step_size(last, 0, 0), lines.new_value(last, 0, 0)])
        self.by_id = {card.id: card for card in self.every()}
        self.made: dict = {}

    def remember(self, name, make):
        """What `make()` makes (a worksheet's task, say), made once for this structure."""
        if name not in self.made:
            self.made[name] = make()
        return self.made[name]

    def extra(self, card: str, chains) -> Card:
        """A card the page does not show (an update of another weight, the selection's chain
        rule), made once: `chains(lines)` gives its lines."""
        found = self.by_id.get(card)
        if found is None:
            found = self.by_id[card] = Card(card, chains(self.lines))
        return found

    def every(self):
        for cards in self.forward.values():
            yield from cards
        yield self.loss
        if self.batch_loss:
            yield self.batch_loss
        for cards in self.backprop.values():
            yield from cards
        yield self.updates


_CARDS: dict[tuple, PageCards] = {}


def structure(t: dict) -> tuple:
    """What decides the worked lines: layer sizes, activations, loss and which case of each
    derivative and δ rule applies (ReLU′ is written one way for z > 0, another for z ≤ 0), and
    the input neurons' names, and the size of the batch whose mean gradient the updates take
    (last: like a derivative's case, it may change from one training step to the next)."""
    rules = tuple(n["derivative_rule"] + n["delta_rule"] for layer in t["layers"][1:] for n in layer["neurons"])
    rules += (names.inputs_of(t), t.get("batch_size", 0))
    return tuple(t["sizes"]), tuple(t["activations"]), t["loss"]["function"], rules


_LAST: list = [None, None]  # the trace last asked about, and its cards: most asks are about the same


def cards(t: dict) -> PageCards:
    """The page's cards for this trace's structure; made once for each structure."""
    if _LAST[0] is t:
        return _LAST[1]
    shape = structure(t)
    found = _CARDS.get(shape)
    if found is None:
        if len(_CARDS) > 16:
            _CARDS.clear()
        found = _CARDS[shape] = PageCards(t)
    _LAST[:] = t, found
    return found


class Written:
    """A card's lines with their numbers, decimals chosen as on the page, ready to be written in
    any form. `hidden`: {key: how to name it} of numbers practice hides: written by name, the
    others as the page writes them."""

    def __init__(self, card: Card, t: dict, step: dict | None = None, hidden: dict[str, str] | None = None):
        self.card, self.hidden = card, hidden or {}
        self.values = values(cards(t).lines, t, step, card.group.kinds)
        self.written, approximate = solve(card.group, Shown(self.values, card.group.kinds))
        self.approximate = {id(card.chains[k]) for k in approximate}

    def number(self, num: Num, operand: bool = False) -> str:
        if num.key in self.hidden:
            return self.hidden[num.key]
        text = self.written[num.key]
        return as_operand(text) if operand else text

    def last(self, chain: Chain) -> str:
        return "≈" if id(chain) in self.approximate else "="

    def text(self, chain: Chain, rows: bool = False) -> str:
        written = [template.format(*(self.number(num, operand) for num, operand in found))
                   for template, found in row_templates(chain, self.last(chain))]
        return "\n".join(written) if rows else "".join(written)

    def asked(self, chain: Chain, label: str) -> str:
        """The line as a question: `label` for its lhs, its result left out (Show how)."""
        rows, out = row_templates(chain), []
        for k, (template, found) in enumerate(rows):
            if k == len(rows) - 1 and chain.result is not None:
                template, found = template.removesuffix(f" = {{{len(found) - 1}}}"), found[:-1]
            if k == 0:
                lhs = text(tokens(chain.lhs), None) if chain.lhs is not None else ""
                named = label.replace("{", "{{").replace("}", "}}")
                template = named + (template[len(lhs):] if lhs else " = " + template)
            out.append(template.format(*(self.number(num, operand) for num, operand in found)))
        return "".join(out)

    def texts(self) -> dict[str, str]:
        """{data-v key: text} of the card on the page."""
        written = self.written
        out = {k: (as_operand(written[name]) if operand else written[name]) for k, name, operand in self.card.uses}
        for k, index in self.card.relations:
            out[k] = self.last(self.card.chains[index])
        return out


def page_mathml(card: Card, v: dict[str, str], result: str = "") -> str:
    """The card's lines as the page's <math> rows, each number an element with its key; the
    last row of class `result`, if one is given."""
    rows = []
    for k, chain in enumerate(card.shown):
        eq = f"={k}@{card.id}"
        for row in chain_rows(chain, v.get(eq, "=")):
            rows.append(mathml(
                row, lambda num, operand: f'<mn data-v="{key(num, card.id, operand)}">'
                                          f'{escape(v[key(num, card.id, operand)])}</mn>',
                lambda token, eq=eq: f'<mo data-v="{eq}">{token[1]}</mo>'))
    last = f' class="{result}"' if result else ""
    return "".join(f"<math{last if k == len(rows) - 1 else ''}>{row}</math>" for k, row in enumerate(rows))
