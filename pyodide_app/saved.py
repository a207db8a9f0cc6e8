"""Where the page's network comes from when it opens: a link, local storage, or the seed.

No DOM: the page hands over the address's fragment and the stored text, and is told what to
show and whether to save it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .state import State, StateError, from_fragment, parse
from .view import names

LINK_PREFIX = "#state="
FROM_LINK = "Loaded the network from the link."


@dataclass
class Opening:
    state: State
    notice: str | None = None
    error: bool = False
    from_link: bool = False  # a network from a link is saved: it must outlive the link


def is_link(fragment: str) -> bool:
    return fragment.startswith(LINK_PREFIX)


def opening(fragment: str, stored: str | None, seed: State) -> Opening:
    """The link's network if there is a good one; else the stored one; else the seed."""
    if is_link(fragment):
        try:
            return Opening(from_fragment(fragment, seed.network.sizes), FROM_LINK, from_link=True)
        except StateError as error:
            return Opening(stored_state(stored, seed), link_refused(error, seed), error=True)
    return Opening(stored_state(stored, seed))


def stored_state(stored: str | None, seed: State) -> State:
    if stored is None:
        return seed.copy()
    try:
        return parse(stored, seed.network.sizes)
    except StateError:
        return seed.copy()


def link_refused(error: StateError, seed: State) -> str:
    return f"The link's network could not be used: {explain(error, seed)}"


def explain(error: StateError, seed: State) -> str:
    """A refusal in words, naming the field as the page labels it."""
    return f"{names.field_label(error.field, len(seed.network.sizes))} {error}"
