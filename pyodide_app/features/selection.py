"""Linked highlighting, and the one line or neuron chosen beside the diagram.

Pointing at (or focusing, or tapping) a neuron lights what belongs to it: its incoming lines,
its forward card, its δ card and its rows in the update table. Pointing at a term of a
formula lights the line it comes from. Selecting a line or a neuron keeps it lit (its light
has priority over the walk-through's) and shows its chain rule with numbers (view/chain.py),
kept live by `show` through every edit, step and training frame until it is cleared. When the
pointer leaves, the light goes back to the features' lights.

Element ids (l: layer, l = 0 the inputs; j: neuron; i: neuron of layer l − 1):
    node-l-j    diagram circle      forward-l-j, backprop-l-j   formula cards
    edge-l-j-i  diagram line        row-w-l-j-i, row-b-l-j      update table rows
"""

from __future__ import annotations

from ..view import chain
from ..view.chain import parse
from ..view.diagram import edge_readout
from .base import Answer, Context, Feature, Reply
from ..translation import _

PRIORITY = 2  # above the walk-through's step


class Selection(Feature):
    messages = ("point", "leave", "select", "clear")

    def __init__(self, context: Context):
        self.ctx = context
        self.chosen = None  # the id of the element selected
        self.sent = None  # the chain rule last sent: an unchanged one is not sent again

    def on_point(self, element) -> Reply:
        """A neuron pointed at, focused or tapped, or a formula's term naming its line: it
        lights above everything, until the pointer leaves."""
        found = self.find(element)
        if not found:
            return {}
        reply = {"highlight": {"ids": lit(found, self.sizes), "scroll": None}}
        if found[0] == "edge":
            reply["readout"] = edge_readout(*found[1:], self.ctx.state.network.weights, self.inputs)
        return reply

    def on_leave(self) -> Reply:
        return self.ctx.light()

    def on_select(self, element) -> Reply:
        found = self.find(element)
        if not found:
            return {}
        self.chosen = element
        title = chain.title(found, self.sizes, self.inputs)
        return self.panel(self.ctx.answer()) | {"readout": (_("Selected %(title)s. Escape clears the selection.")
                                                            % {"title": title})}

    def on_clear(self) -> Reply:
        if not self.chosen:
            return {}
        self.chosen = None
        return {"selection": ""} | self.ctx.light()

    # ---- the declared interface -------------------------------------------------------------

    @property
    def needs_gradients(self) -> bool:
        """Its chain rule writes δs and gradients."""
        return self.chosen is not None

    def lights(self) -> tuple[int, list[str]] | None:
        found = self.find(self.chosen)
        return (PRIORITY, lit(found, self.sizes)) if found else None

    def show(self, answer: Answer) -> Reply:
        """After every change: the chain rule's new numbers. A new structure re-drew the
        diagram and the formulas, so the panel and the light are sent again; a selection the
        new network does not have is cleared."""
        if not self.chosen:
            return {}
        if not self.find(self.chosen):
            return self.on_clear()
        if answer.redrawn:
            return self.panel(answer)
        text = self.rule(answer)
        if text == self.sent:
            return {}
        self.sent = text
        return {"chain": text}

    # ---- the page ---------------------------------------------------------------------------

    @property
    def sizes(self) -> list[int]:
        return self.ctx.state.network.sizes

    @property
    def inputs(self) -> tuple[str, ...]:
        """The input neurons' features, on data: what they are named."""
        data = self.ctx.state.data
        return tuple(data["inputs"]) if data else ()

    def rule(self, answer: Answer) -> str:
        """The numbers of the step whose updates the page shows: the one just taken, else the next."""
        return chain.rule(self.find(self.chosen), answer.updates, answer.step is not None)

    def panel(self, answer: Answer) -> Reply:
        self.sent = self.rule(answer)
        return {"selection": chain.panel(self.find(self.chosen), self.sizes, self.sent, self.inputs)} | self.ctx.light()

    def find(self, element) -> tuple | None:
        return parse(element, self.sizes)


def lit(found: tuple, sizes: list[int]) -> list[str]:
    """The ids lit for a line or a neuron (see the module's docstring); an input lights the
    lines leaving it."""
    kind, l, j, *i = found
    if i:
        return [f"edge-{l}-{j}-{i[0]}", f"node-{l - 1}-{i[0]}", f"node-{l}-{j}", f"row-w-{l}-{j}-{i[0]}"]
    if l == 0:
        return [f"node-0-{j}"] + [f"edge-1-{k}-{j}" for k in range(sizes[1])]
    key = f"{l}-{j}"
    return ([f"node-{key}", f"forward-{key}", f"backprop-{key}", f"row-b-{key}"]
            + [f"{kind}-{key}-{i}" for i in range(sizes[l - 1]) for kind in ("edge", "row-w")])
