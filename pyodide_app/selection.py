"""Linked highlighting, and the one line or neuron chosen beside the diagram.

A part of the live session (see session.py), reached by the messages "point", "leave",
"select" and "clear". Pointing at (or focusing, or tapping) a neuron lights what belongs to
it: its incoming lines, its forward card, its δ card and its rows in the update table.
Pointing at a term of a formula lights the line it comes from. Selecting a line or a neuron
keeps it lit and shows its chain rule with numbers (view/chain.py), kept live by `show`
through every edit, step and training frame until it is cleared. When the pointer leaves,
the light goes back to what is selected.

Element ids (l: layer, l = 0 the inputs; j: neuron; i: neuron of layer l − 1):
    node-l-j    diagram circle      forward-l-j, backprop-l-j   formula cards
    edge-l-j-i  diagram line        row-w-l-j-i, row-b-l-j      update table rows
"""

from __future__ import annotations

import re

from .trace import trace
from .view import chain

ELEMENT = re.compile(r"(node|edge)-(\d+(?:-\d+){1,2})")  # kind, then 2 or 3 numbers


class Selection:
    def __init__(self, session):
        self.session = session
        self.chosen = None  # the id of the element selected
        self.sent = None  # the chain rule last sent: an unchanged one is not sent again
        self.drawn = None  # the structure the page's panel and lit elements belong to

    def on_point(self, element) -> dict:
        """A neuron pointed at, focused or tapped, or a formula's term naming its line."""
        found = self.find(element)
        if not found:
            return {}
        reply = {"highlight": self.light(found)}
        return reply | self.session.on_edge(element) if found[0] == "edge" else reply

    def on_leave(self) -> dict:
        return {"highlight": self.resting()}

    def resting(self) -> dict:
        """The light when nothing is pointed at: the selection's, else the walk-through's step's."""
        return self.light(self.find(self.chosen))

    def on_select(self, element) -> dict:
        found = self.find(element)
        if not found:
            return {}
        self.chosen = element
        title = chain.title(found, self.session.state.network.sizes)
        return self.panel(trace(self.session.state)) | {"readout": f"Selected {title}. Escape clears the selection."}

    def on_clear(self) -> dict:
        if not self.chosen:
            return {}
        self.chosen = None
        return {"selection": "", "highlight": self.light(None)}

    @property
    def shows_gradients(self) -> bool:
        """Its show() writes δs and gradients (the trace must have them)."""
        return self.chosen is not None

    def show(self, t: dict, session) -> dict:
        """After every change: the chain rule's new numbers. A new structure re-drew the
        diagram and the formulas, so the panel and the light are sent again; a selection the
        new network does not have is cleared."""
        if not self.chosen:
            return {}
        if not self.find(self.chosen):
            return self.on_clear()
        if session.drawn_structure != self.drawn:
            return self.panel(t)
        text = self.rule(t)
        if text == self.sent:
            return {}
        self.sent = text
        return {"chain": text}

    def rule(self, t: dict) -> str:
        """The numbers of the step whose updates the page shows: the one just taken, else the next."""
        step = self.session.shown_step
        return chain.rule(self.find(self.chosen), step or t, step is not None)

    def panel(self, t: dict) -> dict:
        self.sent, self.drawn = self.rule(t), self.session.drawn_structure
        found = self.find(self.chosen)
        return {"selection": chain.panel(found, self.session.state.network.sizes, self.sent),
                "highlight": self.light(found)}

    def light(self, found) -> dict:
        ids = lit(found, self.session.state.network.sizes) if found else self.session.walk.lit()
        return {"ids": ids, "scroll": None}

    def find(self, element) -> tuple | None:
        return parse(element, self.session.state.network.sizes)


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
