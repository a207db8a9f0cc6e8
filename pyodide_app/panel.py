"""The Network panel's messages: layer sizes, activations, loss, presets, random seed.

A part of the live session (see session.py): each change is checked first, and a refused
one leaves the network as it was, with the reason next to the control it came from. An
accepted one is a whole new network: the page re-draws its structure (session._show).
"""

from __future__ import annotations

from . import redesign, saved
from .state import StateError, copy_practice, parse_number


class NetworkPanel:
    def on_sizes(self, text: str) -> dict:
        return self.redesign("sizes", lambda: redesign.with_sizes(self.state, text))

    def on_activation(self, layer: int, key: str) -> dict:
        return self.redesign(f"activations[{layer}]", lambda: redesign.with_activation(self.state, layer, key))

    def on_loss(self, key: str) -> dict:
        return self.redesign("loss", lambda: redesign.with_loss(self.state, key))

    def on_preset(self, key: str) -> dict:
        return self.redesign("preset", lambda: redesign.preset(key) if key else None)

    def on_randomise(self) -> dict:
        return self.redesign("random_seed", lambda: redesign.randomised(self.state),
                             f"New random weights from seed {self.state.random_seed}.")

    def on_seed(self, text: str) -> dict:
        """The seed is kept in the state (and the link); Randomise and new layers use it."""
        try:
            seed = int(parse_number(text, "random_seed"))
        except StateError as error:
            return {"fieldErrors": {"random_seed": saved.explain(error, self.state)}}
        reply = {"fieldErrors": {"random_seed": ""}}
        if seed != self.state.random_seed:
            reply |= self.change(lambda state: setattr(state, "random_seed", seed))
        return reply

    def redesign(self, control: str, make, message: str | None = None) -> dict:
        """`make()`: the new state, or None when nothing changes."""
        try:
            state = make()
        except StateError as error:
            return {"fieldErrors": {control: saved.explain(error, self.state)}}
        if state is None:
            return {"fieldErrors": {control: ""}}
        state.practice = copy_practice(self.state.practice)  # practice goes on in the new network
        reply = self.load(state, message)
        reply["fieldErrors"][control] = ""
        return reply
