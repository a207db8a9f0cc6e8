"""Links, files and local storage: the messages that carry a whole network. The page does the
writing and reading; here, the parsing, checking and explaining. A link or a file carries the
state (its weights, inputs, targets, and what features save in it), never a trace. Own data
travel in a link while it stays under 8 KB; a longer one leaves them out, and says so.
"""

from __future__ import annotations

from .. import saved
from ..protocol import Reply, notice
from ..state import StateError, parse, serialise, to_fragment
from ..data.own_data import is_own
from .base import Context, Feature
from ..translation import _

MAX_LINK = 8000  # characters of a link's state: own data travel in it while the whole link stays under 8 KB


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
        return self.ctx.load(state, _(saved.FROM_LINK))

    def on_import(self, name: str, text: str) -> Reply:
        try:
            state = parse(text)
        except StateError as error:
            return notice(_("%(name)s was not loaded: %(explain)s. Nothing was changed.")
                          % {"name": name, "explain": saved.explain(error, self.ctx.state)},
                          error=True) | {"share": ""}
        return self.ctx.load(state, _("Loaded %(name)s.") % {"name": name}) | {"share": ""}

    def on_too_large(self, name: str, size: int) -> Reply:
        return notice(_("%(name)s was not loaded: it is %(size)s bytes, a saved network is far smaller.")
                      % {"name": name, "size": f'{size:,}'}, error=True)

    def on_copy_link(self) -> Reply:
        state = self.ctx.state
        fragment = to_fragment(state)
        if len(fragment) <= MAX_LINK or not is_own(state.data):
            return self.ctx.pause() | {"link": fragment}
        without = state.copy()
        without.data = without.second = None  # the network and the shown point's numbers, as one sample
        return self.ctx.pause() | {"link": to_fragment(without)} | notice(
            (_("The link leaves your own data out: with them it would be %(number)s KB, and a link stays under 8 KB. "
               "Export saves the network with its data.")
             % {"number": f'{len(fragment) / 1024:.0f}'}))

    def on_export(self) -> Reply:
        name = f"neural-network-epoch-{self.ctx.state.epoch}.json"
        return self.ctx.pause() | {"download": {"name": name, "text": serialise(self.ctx.state)},
                                   "share": _("Exported %(name)s.") % {"name": name}}

