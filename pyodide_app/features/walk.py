"""The walk-through: one training step told in order, a caption and a highlight per step.

The steps: each neuron's forward pass (layer by layer, top to bottom), the loss, each δ from
the outputs back to the first hidden layer, the updates into each layer, and last the update
applied as Step applies it. They depend on the layer sizes only; the captions are written
from the values of the moment, so an edit during the walk re-words the step on screen.

While a walk is on: an edit, Step or Reset keeps the position; new layer sizes or training
end the walk (its steps would no longer be the network's, or would change sixty times a
second). Its captions would give away any value hidden (they are written whole, not masked):
it declares Walk through `refused` while anything is hidden, and the session ends it then.
Arriving at the last step applies one training step, each time it is reached.
"""

from __future__ import annotations

from ..trace import trace
from ..view.captions import caption
from .base import Answer, Context, Feature, Reply

PRACTISING = "The walk-through would show the numbers Practice hides: stop Practice to walk through a step."
PRIORITY = 1  # below a selection's light


class Walk(Feature):
    messages = ("walk", "walkNext", "walkPrevious", "walkExit")
    refused = {"walk": PRACTISING}

    def __init__(self, context: Context):
        self.ctx = context
        self.active = False
        self.sizes: list[int] = []  # the layer sizes the steps were made for
        self.steps: list[tuple[str, int, int]] = []
        self.position = 0
        self.trace: dict | None = None  # the values on the page (every answer hands the new ones)
        self.loss_before: float | None = None  # before the update the last step applied
        self.sent: dict | None = None  # the last caption sent, so an edit that leaves it sends nothing

    # ---- messages -----------------------------------------------------------------------

    def on_walk(self) -> Reply:
        """From the first step, for the network as it is: its updates are the next step's."""
        reply = self.ctx.pause()
        if self.ctx.step is not None:  # the page shows the updates of a step already taken
            reply |= self.ctx.change(lambda state: None)
        self.trace = trace(self.ctx.state)
        self.sizes = self.trace["sizes"]
        self.steps, self.active, self.position = steps(self.sizes), True, 0
        return reply | self.reply(scroll=True)

    def on_walk_next(self) -> Reply:
        return self.go(self.position + 1)

    def on_walk_previous(self) -> Reply:
        return self.go(self.position - 1)

    def on_walk_exit(self) -> Reply:
        if not self.active:
            return {}
        self.active, self.sent = False, None
        return {"walk": {"active": False}} | self.ctx.light()

    def go(self, position: int) -> Reply:
        position = min(max(position, 0), len(self.steps) - 1)
        if not self.active or position == self.position:
            return {}
        self.position, reply = position, {}
        if self.steps[position][0] == "apply":
            before, self.loss_before = self.trace, self.trace["loss"]["total"]
            reply = self.ctx.take_step()  # its values reach show(), which captions them
            if self.trace is before:  # the step failed: the page says why, the walk stays
                self.position -= 1
                return reply
        return reply | self.reply(scroll=True)

    # ---- the declared interface -----------------------------------------------------------

    @property
    def needs_gradients(self) -> bool:
        """Its captions write δs and updates."""
        return self.active

    def lights(self) -> tuple[int, list[str]] | None:
        return (PRIORITY, highlight(self.steps[self.position], self.sizes)[0]) if self.active else None

    def end(self) -> Reply:
        return self.on_walk_exit()

    def show(self, answer: Answer) -> Reply:
        """New values: the caption follows them; training or new layer sizes end the walk."""
        self.trace = answer.trace
        if not self.active:
            return {}
        if answer.training or self.trace["sizes"] != self.sizes:
            return self.on_walk_exit()
        return self.reply(scroll=False, redrawn=answer.redrawn)

    # ---- the page -----------------------------------------------------------------------

    def reply(self, scroll: bool, redrawn: bool = False) -> Reply:
        """The step's caption; the light when the walk moved (then its card brought into view)
        or the page's structure was re-drawn (which took the light away)."""
        step = self.steps[self.position]
        walk = {"active": True, "position": self.position + 1, "total": len(self.steps),
                "counter": f"Step {self.position + 1} of {len(self.steps)}",
                "caption": caption(step, self.trace, self.ctx.step or self.trace, self.loss_before)}
        if walk == self.sent and not scroll and not redrawn:
            return {}
        self.sent = walk
        reply = {"walk": walk}
        if scroll or redrawn:
            reply |= self.ctx.light(highlight(step, self.sizes)[1] if scroll else None)
        return reply


def steps(sizes: list[int]) -> list[tuple[str, int, int]]:
    """(kind, layer, neuron) of every step, in order; see view/captions.py."""
    last = len(sizes) - 1
    forward = [("forward", l, j) for l in range(1, last + 1) for j in range(sizes[l])]
    backward = [("backward", l, j) for l in range(last, 0, -1) for j in range(sizes[l])]
    updates = [("update", l, 0) for l in range(1, last + 1)]
    return forward + [("loss", last, 0)] + backward + updates + [("apply", last, 0)]


def highlight(step: tuple[str, int, int], sizes: list[int]) -> tuple[list[str], str]:
    """The ids to light, and the one to bring into view. Forward: the neuron, the lines into it
    and the neurons they come from, and its card; backward: the neuron, the lines out of it and
    the neurons they lead to (whose δs come back along them), and its δ card."""
    kind, l, j = step
    outputs = [f"node-{l}-{k}" for k in range(sizes[-1])]
    if kind == "forward":
        card = f"forward-{l}-{j}"
        return [f"node-{l}-{j}", card] + [f"{x}-{i}" for i in range(sizes[l - 1])
                                          for x in (f"edge-{l}-{j}", f"node-{l - 1}")], card
    if kind == "backward":
        card, later = f"backprop-{l}-{j}", range(sizes[l + 1]) if l + 1 < len(sizes) else ()
        out = [x for k in later for x in (f"edge-{l + 1}-{k}-{j}", f"node-{l + 1}-{k}")]
        return [f"node-{l}-{j}", card] + out, card
    if kind == "update":
        return [f"edge-{l}-{k}-{i}" for k in range(sizes[l]) for i in range(sizes[l - 1])] + \
            [f"node-{l}-{k}" for k in range(sizes[l])] + ["updates"], "updates"
    if kind == "loss":
        return outputs + ["loss"], "loss"
    return outputs, outputs[0]
