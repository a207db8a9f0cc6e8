"""The walk-through: one training step told in order, a caption and a highlight per step.

The steps: each neuron's forward pass (layer by layer, top to bottom), the loss, each δ from
the outputs back to the first hidden layer, the updates into each layer, and last the update
applied as Step applies it. On data, the forward pass and the δs are the shown sample's; after
them the other samples of the batch give their shares of the largest gradient (a table), then
their mean and the update it makes. They depend on the layer sizes (and whether there is a
batch) only; the captions are written from the values of the moment, so an edit during the
walk re-words the step on screen.

While a walk is on: an edit, Step or Reset keeps the position; new layer sizes or training
end the walk (its steps would no longer be the network's, or would change sixty times a
second). Its captions would give away any value hidden (they are written whole, not masked):
it declares Walk through `refused` while anything is hidden, says so beside the button, and
the session ends it then. Arriving at the last step applies one training step; Previous from
there takes it back (weights, epoch and loss curve), unless the network changed since; Next
from there walks through the next training step.
"""

from __future__ import annotations

from ..trace import trace
from ..view.captions import caption, largest, table
from .base import Answer, Context, Feature, Reply
from ..translation import N_, _

PRACTISING = N_("The walk-through would show the numbers Practice hides: stop Practice to walk through a step.")
PRIORITY = 1  # below a selection's light


class Walk(Feature):
    messages = ("walk", "walkNext", "walkPrevious", "walkExit")
    refused = {"walk": PRACTISING}

    def __init__(self, context: Context):
        self.ctx = context
        self.active = False
        self.sizes: list[int] = []  # the layer sizes the steps were made for
        self.batch = False  # and whether they walk a batch
        self.steps: list[tuple[str, int, int]] = []
        self.position = 0
        self.trace: dict | None = None  # the values on the page (every answer hands the new ones)
        self.loss_before: float | None = None  # before the update the last step applied
        self.before_applied: tuple | None = None  # the page before that update (ctx.snapshot)
        self.applied = None  # the state that update made: Previous undoes it while it is the state
        self.sent: dict | None = None  # the last caption sent, so an edit that leaves it sends nothing
        self.refusing = False  # the page says beside Walk through why it cannot start

    # ---- messages -----------------------------------------------------------------------

    def on_walk(self) -> Reply:
        """From the first step, for the network as it is: its updates are the next step's."""
        reply = self.ctx.pause()
        if self.ctx.step is not None:  # the page shows the updates of a step already taken
            reply |= self.ctx.change(lambda state: None)
        self.trace = trace(self.ctx.state)
        self.sizes, self.batch = self.trace["sizes"], bool(self.trace["batch"])
        self.steps, self.active, self.position, self.applied = steps(self.sizes, self.batch), True, 0, None
        return reply | self.reply(scroll=True)

    def on_walk_next(self) -> Reply:
        if self.active and self.position == len(self.steps) - 1:  # "Next training step"
            return self.on_walk()
        return self.go(self.position + 1)

    def on_walk_previous(self) -> Reply:
        return self.go(self.position - 1)

    def on_walk_exit(self) -> Reply:
        if not self.active:
            return {}
        self.active, self.sent, self.applied = False, None, None
        return {"walk": {"active": False}} | self.ctx.light()

    def go(self, position: int) -> Reply:
        position = min(max(position, 0), len(self.steps) - 1)
        if not self.active or position == self.position:
            return {}
        leaving, self.position, reply = self.steps[self.position][0], position, {}
        if leaving == "apply" and self.applied is self.ctx.state:  # back: the update is taken back
            self.applied, reply = None, self.ctx.restore(self.before_applied)
        elif self.steps[position][0] == "apply":
            before, self.loss_before = self.trace, self.trace["loss"]["total"]
            self.before_applied = self.ctx.snapshot()
            reply = self.ctx.take_step()  # its values reach show(), which captions them
            if self.trace is before:  # the step failed: the page says why, the walk stays
                self.position -= 1
                return reply
            self.applied = self.ctx.state
        return reply | self.reply(scroll=True)

    # ---- the declared interface -----------------------------------------------------------

    @property
    def needs_gradients(self) -> bool:
        """Its captions write δs and updates."""
        return self.active

    def lights(self) -> tuple[int, list[str]] | None:
        return (PRIORITY, self.highlight()[0]) if self.active else None

    def refusal(self, kind: str) -> Reply:
        """Said beside Walk through, where the reader looks, until nothing is hidden."""
        self.refusing = True
        return {"walk": {"active": False, "refused": _(PRACTISING)}}

    def end(self) -> Reply:
        return self.on_walk_exit()

    def show(self, answer: Answer) -> Reply:
        """New values: the caption follows them; training or new layer sizes end the walk.
        (Called only while nothing is hidden: a refusal said no longer applies.)"""
        self.trace = answer.trace
        if self.refusing:
            self.refusing = False
            return {"walk": {"active": False, "refused": ""}}
        if not self.active:
            return {}
        if answer.training or self.trace["sizes"] != self.sizes or bool(self.trace["batch"]) != self.batch:
            return self.on_walk_exit()
        return self.reply(scroll=False, redrawn=answer.redrawn)

    # ---- the page -----------------------------------------------------------------------

    def highlight(self) -> tuple[list[str], str]:
        return highlight(self.steps[self.position], self.sizes, self.ctx.step or self.trace)

    def reply(self, scroll: bool, redrawn: bool = False) -> Reply:
        """The step's caption; the light when the walk moved (then its card brought into view)
        or the page's structure was re-drawn (which took the light away)."""
        step, updates = self.steps[self.position], self.ctx.step or self.trace
        walk = {"active": True, "position": self.position + 1, "total": len(self.steps),
                "counter": _("Step %(number)s of %(count)s") % {"number": self.position + 1, "count": len(self.steps)},
                "caption": caption(step, self.trace, updates, self.loss_before),
                "table": table(updates) if step[0] == "batch" else None}
        if walk == self.sent and not scroll and not redrawn:
            return {}
        self.sent = walk
        reply = {"walk": walk}
        if scroll or redrawn:
            reply |= self.ctx.light(self.highlight()[1] if scroll else None)
        return reply


def steps(sizes: list[int], batch: bool = False) -> list[tuple[str, int, int]]:
    """(kind, layer, neuron) of every step, in order; see view/captions.py. `batch`: the walk
    goes through the other samples of a batch and their mean before the updates."""
    last = len(sizes) - 1
    forward = [("forward", l, j) for l in range(1, last + 1) for j in range(sizes[l])]
    backward = [("backward", l, j) for l in range(last, 0, -1) for j in range(sizes[l])]
    others = [("batch", last, 0), ("mean", last, 0)] if batch else []
    updates = [("update", l, 0) for l in range(1, last + 1)]
    return forward + [("loss", last, 0)] + backward + others + updates + [("apply", last, 0)]


def highlight(step: tuple[str, int, int], sizes: list[int], updates: dict | None = None) -> tuple[list[str], str]:
    """The ids to light, and the one to bring into view. Forward: the neuron, the lines into it
    and the neurons they come from, and its card; backward: the neuron, the lines out of it and
    the neurons they lead to (whose δs come back along them), and its δ card; an update: the
    layer's lines and neurons, its rows of the table and the row of its caption's weight (of
    `updates`, the trace whose updates the page shows); a batch's shares: the weight with the
    largest gradient, its neurons and the plot (whose batch gives them); their mean: that weight
    and its row; the update applied: the outputs and the loss curve."""
    kind, l, j = step
    outputs = [f"node-{l}-{k}" for k in range(sizes[-1])]
    if kind in ("batch", "mean"):
        wl, wj, wi = updates["batch"]["largest"]["weight"]
        weight = [f"edge-{wl}-{wj}-{wi}", f"node-{wl}-{wj}", f"node-{wl - 1}-{wi}"]
        row = f"row-w-{wl}-{wj}-{wi}"
        return (weight + ["data-plot"], "data-plot") if kind == "batch" else (weight + [row], row)
    if kind == "forward":
        card = f"forward-{l}-{j}"
        return [f"node-{l}-{j}", card] + [f"{x}-{i}" for i in range(sizes[l - 1])
                                          for x in (f"edge-{l}-{j}", f"node-{l - 1}")], card
    if kind == "backward":
        card, later = f"backprop-{l}-{j}", range(sizes[l + 1]) if l + 1 < len(sizes) else ()
        out = [x for k in later for x in (f"edge-{l + 1}-{k}-{j}", f"node-{l + 1}-{k}")]
        return [f"node-{l}-{j}", card] + out, card
    if kind == "update":
        row = "row-w-%d-%d-%d" % (l, *largest(updates, l))
        return [f"edge-{l}-{k}-{i}" for k in range(sizes[l]) for i in range(sizes[l - 1])] + \
            [f"node-{l}-{k}" for k in range(sizes[l])] + [f"updates-{l}", row], row
    if kind == "loss":
        return outputs + ["loss"], "loss"
    return outputs + ["loss-curve"], "loss-curve"
