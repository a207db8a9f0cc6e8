"""Own data: a CSV file imported, dropped or pasted; which column is the target and which are
the inputs; whether the inputs are scaled to −1 … 1; points drawn on the plot and taken away.

A file or a choice the page cannot use is refused with a sentence that says where (own.py),
and nothing changes. Everything else is the Data feature's: the plot, the shown point, training.
"""

from __future__ import annotations

import math

from ..data import own, own_data
from ..data.own_data import is_own
from .base import Context, Feature, Reply
from ..translation import _, ngettext


class OwnData(Feature):
    messages = ("ownData", "ownColumns", "ownScale", "ownDraw")

    def __init__(self, context: Context):
        self.ctx = context

    def on_own_data(self, text: str) -> Reply:
        try:
            table = own.read_all(str(text))
            data = own_data.new(table, self.ctx.state.data)
        except own.DataError as error:
            return refused(str(error))
        count = len(table.rows)
        read = ngettext("Read %(count)s row of %(columns)s columns.", "Read %(count)s rows of %(columns)s columns.", count)
        return self.used(data, read % {"count": f'{count:,}', "columns": len(table.names)})

    def on_own_columns(self, target: str, inputs: list) -> Reply:
        data = self.ctx.state.data
        if not is_own(data) or not isinstance(inputs, list):
            return {}
        target = str(target)
        if target != data["target"]:  # a new target is no input; without others, every other column is
            inputs = [name for name in inputs if name != target] or \
                [name for name in data["columns"] if name != target][:own.MAX_INPUTS]
        if not inputs:
            return refused(_("Choose at least one input column."))
        try:
            target, inputs = own.chosen_columns(data["columns"], target, [str(name) for name in inputs])
            changed = own_data.fitted({**data, "target": target, "inputs": inputs, "shown": 0, "position": 0})
        except own.DataError as error:
            return refused(str(error))
        return self.used(changed)

    def on_own_scale(self, on: bool) -> Reply:
        data = self.ctx.state.data
        return self.used({**data, "scale": bool(on)}) if is_own(data) else {}

    def on_own_draw(self, x, y, label, near) -> Reply:
        data = self.ctx.state.data
        if not is_own(data):
            return {}
        try:
            numbers = [float(value) for value in (x, y, label, near)]
        except (TypeError, ValueError):
            return {}
        if not all(math.isfinite(value) for value in numbers):
            return {}
        try:
            changed = own_data.drawn(data, *numbers)
        except own.DataError as error:
            return refused(str(error))
        return self.used(changed)

    def used(self, data: dict, done: str = "") -> Reply:
        """The state learning from `data`, or why it cannot (and then nothing changed)."""
        reply = self.ctx.learn_from("own", data)
        problem = reply.get("dataPanel", {}).get("errors", {}).get("own")
        return with_message(reply, problem or done, bool(problem))


def with_message(reply: Reply, text: str, error: bool) -> Reply:
    """`reply` with the sentence under own data's controls: what became of the file or the choice."""
    return reply | {"dataPanel": {**reply.get("dataPanel", {}), "own": {"text": text, "error": error}}}


def refused(text: str) -> Reply:
    return with_message({}, text, True)
