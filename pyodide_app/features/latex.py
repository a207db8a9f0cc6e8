"""Copy LaTeX: a card of the page, or the chain rule of the line or neuron selected, as LaTeX
(view/latex.py), for the page to put on the clipboard. It writes what the card shows at that
moment: the numbers of the answer as the page may show them, a value Practice hides as "?"."""

from __future__ import annotations

from ..protocol import Reply
from ..view import latex
from ..view.chain import parse
from .base import Context, Feature


class Latex(Feature):
    messages = ("latex",)

    def __init__(self, context: Context):
        self.ctx = context

    def on_latex(self, element) -> Reply:
        """`element`: a card's id (cards.py: "f2-1", "b2-1", "L", "u") or the selected line's or
        neuron's ("edge-2-1-0", "node-2-1"); answered with an empty text if there is none."""
        answer = self.ctx.answer()
        found = parse(element, self.ctx.state.network.sizes)
        if found and found[1]:
            text = latex.chain_rule(found, answer.updates)
        else:
            text = latex.card(answer.shown, element, answer.shown_step)
        return {"latex": {"id": str(element), "text": text or ""}}
