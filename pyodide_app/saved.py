"""Where the page's network comes from when it opens: a link, local storage, or the seed.

No DOM: the page hands over the address's fragment and the stored text, and is told what to
show and whether to save it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .state import FRAGMENT_PREFIX, State, StateError, from_fragment, parse
from .notation import names
from .translation import N_, _

LINK_PREFIX = "#" + FRAGMENT_PREFIX  # the address of a link to a network has it
FROM_LINK = N_("Loaded the network from the link.")


UNREADABLE = (N_("The network saved in this browser could not be read ({why}), so the starting network is shown. The "
                 "saved one stays in storage until you change something."))


@dataclass
class Opening:
    state: State
    notice: str | None = None
    error: bool = False
    from_link: bool = False  # a network from a link is saved: it must outlive the link


def is_link(fragment: str) -> bool:
    return fragment.startswith(LINK_PREFIX)


def opening(fragment: str, stored: str | None, seed: State) -> Opening:
    """The link's network if there is a good one; else the stored one; else the seed. Any
    architecture the page can draw loads."""
    if is_link(fragment):
        try:
            return Opening(from_fragment(fragment), _(FROM_LINK), from_link=True)
        except StateError as error:
            state = stored_state(stored, seed)[0]
            return Opening(state, link_refused(error, seed), error=True)
    state, problem = stored_state(stored, seed)
    return Opening(state, problem, error=problem is not None)


def stored_state(stored: str | None, seed: State) -> tuple[State, str | None]:
    """The stored network, or the seed and why the stored one could not be read. Nothing is
    written back here: an unreadable state stays in storage until the user changes something."""
    if stored is None:
        return seed.copy(), None
    try:
        return parse(stored), None
    except StateError as error:
        return seed.copy(), _(UNREADABLE).format(why=explain(error, seed))


def link_refused(error: StateError, seed: State) -> str:
    return _("The link's network could not be used: %(explain)s") % {"explain": explain(error, seed)}


def explain(error: StateError, state: State) -> str:
    """A refusal in words: the field as the page labels it for `state`'s network, then why;
    or why alone, when that is a sentence of its own (StateError)."""
    why = str(error)
    if error.sentence:
        return why
    label = names.field_label(error.field, len(state.network.sizes))
    return _("%(field)s %(problem)s") % {"field": label, "problem": why}


def field_message(error: StateError, state: State) -> str:
    """A refusal shown next to its field: a sentence, with its full stop."""
    text = explain(error, state)
    return text if text.endswith((".", "?", "!")) else text + "."
