"""Edits: a number typed into a field, a slider moved, the speed chosen, a line nudged with
an arrow key, and the weight of the line pointed at, in words. Each edit is checked first: a
refused value is explained next to its field and the network keeps the last good one.
"""

from __future__ import annotations

from .. import redesign, saved
from ..fields import get_field, index_of, set_field, slider, slider_ends
from ..state import SPEEDS, StateError, check_value, parse_number
from ..view.diagram import edge_readout
from .base import Context, Feature, Reply


class Editing(Feature):
    messages = ("field", "range", "speed", "nudge", "edge")

    def __init__(self, context: Context):
        self.ctx = context

    def on_field(self, field: str, text: str) -> Reply:
        state = self.ctx.state
        if field not in self.ctx.fields:
            return {}
        try:
            value = parse_number(text, field, state.limits())
            if field.startswith("targets[") and value != get_field(state, field):
                return self.on_target(field, value) | {"ranges": {field: slider(state, field, value)}}
        except StateError as error:
            return {"fieldErrors": {field: saved.field_message(error, state)}}
        reply = {"fieldErrors": {field: ""}}
        if value != get_field(state, field):
            reply |= self.ctx.change(lambda state: set_field(state, field, value))
        if self.ctx.fields[field]:
            reply["ranges"] = {field: slider(self.ctx.state, field, value)}
        return reply

    def on_target(self, field: str, value: float) -> Reply:
        """A target; with softmax and cross-entropy the others follow, so they add up to 1."""
        targets = redesign.with_target(self.ctx.state, index_of(field), value).targets

        def set_targets(state):
            state.targets[:] = targets
        return {"fieldErrors": {field: ""}} | self.ctx.change(set_targets)

    def on_range(self, field: str, text: str) -> Reply:
        if not self.ctx.fields.get(field):
            return {}
        low, high = slider_ends(self.ctx.state, field)
        value = min(max(float(text), low), high)
        if field.startswith("targets["):
            try:
                return self.on_target(field, value)
            except StateError as error:
                return {"fieldErrors": {field: saved.field_message(error, self.ctx.state)}}
        return {"fieldErrors": {field: ""}} | self.ctx.change(lambda state: set_field(state, field, value))

    def on_speed(self, speed: str) -> Reply:
        if speed not in SPEEDS:
            return {}
        return self.ctx.change(lambda state: state.settings.update(speed=speed))

    def on_nudge(self, edge: str, amount: float) -> Reply:
        l, j, i = edge_indices(edge)
        field = f"weights[{l - 1}][{j}][{i}]"
        value = round(get_field(self.ctx.state, field) + amount, 10)
        reply = self.ctx.change(lambda state: set_field(state, field, check_value(value, field)))
        return reply | self.on_edge(edge)

    def on_edge(self, edge: str) -> Reply:
        """The weight of the line focused or pointed at, in words under the diagram."""
        return {"readout": edge_readout(*edge_indices(edge), self.ctx.state.network.weights,
                                        self.ctx.state.data and self.ctx.state.data["inputs"])}


def edge_indices(edge: str) -> tuple[int, int, int]:
    """'edge-2-1-0' → (2, 1, 0)."""
    l, j, i = (int(part) for part in edge.split("-")[1:])
    return l, j, i
