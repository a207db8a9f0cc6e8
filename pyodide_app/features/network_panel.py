"""The Network panel: layer sizes, activations, loss, presets, the random seed.

Each change is checked first: a refused one leaves the network as it was, with the reason next
to the control it came from. An accepted one is a whole new network (the page re-draws its
structure), and what features keep goes on in it (practice).
"""

from __future__ import annotations

from .. import redesign, saved
from ..state import StateError, parse_number
from .base import Context, Feature, Reply
from ..translation import _


class NetworkPanel(Feature):
    messages = ("sizes", "activation", "loss", "preset", "seed", "randomise")

    def __init__(self, context: Context):
        self.ctx = context

    def on_sizes(self, text: str) -> Reply:
        return self.redesign("sizes", lambda: redesign.with_sizes(self.ctx.state, text))

    def on_activation(self, layer: int, key: str) -> Reply:
        return self.redesign(f"activations[{layer}]", lambda: redesign.with_activation(self.ctx.state, layer, key))

    def on_loss(self, key: str) -> Reply:
        return self.redesign("loss", lambda: redesign.with_loss(self.ctx.state, key))

    def on_preset(self, key: str) -> Reply:
        return self.redesign("preset", lambda: redesign.preset(key) if key else None)

    def on_randomise(self) -> Reply:
        return self.redesign("random_seed", lambda: redesign.randomised(self.ctx.state),
                             (_("New random weights from seed %(random_seed)s.")
                              % {"random_seed": self.ctx.state.random_seed}))

    def on_seed(self, text: str) -> Reply:
        """The seed is kept in the state (and the link); Randomise and new layers use it."""
        try:
            seed = int(parse_number(text, "random_seed"))
        except StateError as error:
            return {"fieldErrors": {"random_seed": saved.field_message(error, self.ctx.state)}}
        reply = {"fieldErrors": {"random_seed": ""}}
        if seed != self.ctx.state.random_seed:
            reply |= self.ctx.change(lambda state: setattr(state, "random_seed", seed))
        return reply

    def redesign(self, control: str, make, message: str | None = None) -> Reply:
        """`make()`: the new state, or None when nothing changes."""
        try:
            state = make()
        except StateError as error:
            return {"fieldErrors": {control: saved.field_message(error, self.ctx.state)}}
        if state is None:
            return {"fieldErrors": {control: ""}}
        reply = self.ctx.load(state, message, keep=True)
        reply["fieldErrors"][control] = ""
        return reply
