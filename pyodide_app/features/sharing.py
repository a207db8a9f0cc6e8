"""Links, files and local storage: the messages that carry a whole network. The page does the
writing and reading; here, the parsing, checking and explaining. A link or a file carries the
state (its weights, inputs, targets, and what features save in it), never a trace.
"""

from __future__ import annotations

from .. import saved
from ..protocol import Reply, notice
from ..state import StateError, parse, serialise, to_fragment
from .base import Context, Feature


class Sharing(Feature):
    messages = ("hash", "import", "tooLarge", "copyLink", "export")

    def __init__(self, context: Context):
        self.ctx = context

    def on_hash(self, fragment: str) -> Reply:
        if not saved.is_link(fragment):
            return {}
        try:
            state = saved.from_fragment(fragment)
        except StateError as error:
            return notice(saved.link_refused(error, self.ctx.state), error=True)
        return self.ctx.load(state, saved.FROM_LINK)

    def on_import(self, name: str, text: str) -> Reply:
        try:
            state = parse(text)
        except StateError as error:
            return notice(f"{name} was not loaded: {saved.explain(error, self.ctx.state)}. Nothing was changed.",
                          error=True) | {"share": ""}
        return self.ctx.load(state, f"Loaded {name}.") | {"share": ""}

    def on_too_large(self, name: str, size: int) -> Reply:
        return notice(f"{name} was not loaded: it is {size:,} bytes, a saved network is far smaller.", error=True)

    def on_copy_link(self) -> Reply:
        return self.ctx.pause() | {"link": to_fragment(self.ctx.state)}

    def on_export(self) -> Reply:
        name = f"neural-network-epoch-{self.ctx.state.epoch}.json"
        return self.ctx.pause() | {"download": {"name": name, "text": serialise(self.ctx.state)},
                                   "share": f"Exported {name}."}

