"""Links, files and local storage: the session's messages that carry a whole network.

A part of the live session (see session.py); the page does the writing and reading, Python
the parsing, checking and explaining.
"""

from __future__ import annotations

from . import saved
from .protocol import Reply, notice
from .state import StateError, parse, serialise, to_fragment


class Sharing:
    def on_hash(self, fragment: str) -> Reply:
        if not saved.is_link(fragment):
            return {}
        try:
            state = saved.from_fragment(fragment)
        except StateError as error:
            return notice(saved.link_refused(error, self.state), error=True)
        return self.load(state, saved.FROM_LINK)

    def on_import(self, name: str, text: str) -> Reply:
        try:
            state = parse(text)
        except StateError as error:
            return notice(f"{name} was not loaded: {saved.explain(error, self.state)}. Nothing was changed.",
                          error=True) | {"share": ""}
        return self.load(state, f"Loaded {name}.") | {"share": ""}

    def on_file_too_large(self, name: str, size: int) -> Reply:
        return notice(f"{name} was not loaded: it is {size:,} bytes, a saved network is far smaller.", error=True)

    def on_copy_link(self) -> Reply:
        return self.pause() | {"link": to_fragment(self.state)}

    def on_export(self) -> Reply:
        name = f"neural-network-epoch-{self.state.epoch}.json"
        return self.pause() | {"download": {"name": name, "text": serialise(self.state)},
                               "share": f"Exported {name}."}

    def save(self) -> Reply:
        """Into local storage (the page does the writing)."""
        return {"save": serialise(self.state)}
