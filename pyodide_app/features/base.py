"""What every feature declares, what it is shown, and what it may ask of the session.

A feature is one object the session holds in a list and asks each in turn (session.py). It
never names another feature, and it never holds the session: it gets a `Context`, which
reaches the state of the moment and asks for changes.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from .. import redesign, training
from ..saved import explain
from ..limits import StateError
from ..protocol import Reply, notice
from ..trace import trace
from ..view import curve
from ..translation import _


@dataclass(frozen=True)
class Answer:
    """The values of one answer to the page, as every feature is shown them."""
    trace: dict  # the values of the moment: what answers are judged against
    step: dict | None  # the step whose updates the page shows (the one just taken), else None
    shown: dict  # `trace` as the page may show it: every hidden value (and its giveaways) HIDDEN
    shown_step: dict | None  # `step` likewise
    hidden: frozenset[str]  # what is hidden (practice.KINDS)
    training: bool
    redrawn: bool = False  # the page's structure was drawn anew: what features had put into it is gone

    @property
    def updates(self) -> dict:
        """The shown trace of the step whose updates the page shows: the one just taken, else the next."""
        return self.shown_step or self.shown


class Feature:
    """The declared interface, with what a feature that declares nothing has:

    messages          the kinds of message it handles (protocol.MESSAGES), each by its method
                      on_<kind>, the kind in snake case: "copyLink" by on_copy_link
    refused           {kind: notice}: its replies would show hidden values, unmasked, so while
                      any are hidden it is ended and these messages are answered by `refusal`
    saved             the State field holding what of it is saved (storage, the link, the export)
    kept              that field goes on into a new network (Reset, another design), as `carried` makes it
    needs_gradients   its show() reads δs or updates now: the answer's trace must have them
    and the methods below: what it hides, what it lights, its part of an answer, how it ends,
    what it runs between messages, and what it sees of a state left behind.
    """

    messages: tuple[str, ...] = ()
    refused: dict[str, str] = {}
    saved = ""
    kept = False
    needs_gradients = False

    def carried(self, value, state):
        """What of its saved field's `value` goes on into `state`, a new network (if `kept`): all of it."""
        return copy.deepcopy(value)

    def hides(self) -> frozenset[str]:
        """What of the page's values it hides now (practice.KINDS)."""
        return frozenset()

    def lights(self) -> tuple[int, list[str]] | None:
        """(priority, ids) of what it lights on the page while nothing is pointed at; the
        highest priority wins."""
        return None

    def show(self, answer: Answer) -> Reply:
        """Its part of an answer: called whenever values are sent."""
        return {}

    def refusal(self, kind: str) -> Reply:
        """The answer to a message it refuses while values are hidden: by default its notice."""
        return notice(_(self.refused[kind]))

    def end(self) -> Reply:
        """Stops it (a feature that refuses messages while values are hidden, once they are)."""
        return {}

    def tick(self) -> Reply:
        """Work between messages (training)."""
        return {}

    def between(self) -> Reply:
        """While training, between two of the page's answers: what cannot wait for the next
        (the plot's heatmap)."""
        return {}

    def next_tick(self) -> float | None:
        """Seconds until its next tick is due; None: none is."""
        return None

    def drawing(self) -> dict | None:
        """While training with a drawing worker (drawing.py): what it should draw now, if anything."""
        return None

    def pause(self, redraw: bool = True) -> Reply:
        """Stops what it runs between messages."""
        return {}

    def replaced(self, old, whole: bool) -> None:
        """The state `old` has just given way to the context's state, which is about to be shown:
        a whole new one (`whole`: Reset, a link, a file, a new design) or an edit of it; not an undo."""


class Context:
    """What a feature may ask of the session: the state of the moment, and changes to it."""

    def __init__(self, session):
        self._session = session

    @property
    def state(self):
        return self._session.state

    @property
    def step(self) -> dict | None:
        """The trace of the step whose updates the page shows (after Step), else None."""
        return self._session.shown_step

    @property
    def training(self) -> bool:
        return self._session.training

    @training.setter
    def training(self, value: bool):
        self._session.training = value

    @property
    def drawing_elsewhere(self) -> bool:
        """A drawing worker draws the plot while training (drawing.py): the run sends it weights."""
        return self._session.drawing_elsewhere

    @property
    def seed(self):
        """The network the page started from: Reset goes back to it."""
        return self._session.seed

    @property
    def fields(self) -> dict[str, bool]:
        """The state's number fields, and whether each has a slider."""
        return self._session.writer.fields

    def answer(self) -> Answer:
        """The values of this moment, as a feature is shown them."""
        return self._session.answer()

    def change(self, mutate, step: dict | None = None) -> Reply:
        """Apply `mutate` to a copy of the state, answered as an edit (`step`: the trace of the
        step whose updates the page is to show)."""
        return self._session.change(mutate, step)

    def take_step(self) -> Reply:
        """One training step, as Step takes it: the page then shows the step's updates."""
        return self._session.change(training.one_step, trace(self.state))

    def snapshot(self) -> tuple:
        """What `restore` gives back: the state, the step whose updates the page shows, the loss curve."""
        return self._session.snapshot()

    def restore(self, snapshot: tuple) -> Reply:
        """The page as it was at `snapshot` (an undo), shown and saved."""
        return self._session.restore(snapshot)

    def advance(self, state) -> None:
        """A state reached without an edit (a slice of training): shown by the next `show`."""
        self._session.state, self._session.shown_step = state, None

    def learn_from(self, control: str, data: dict) -> Reply:
        """The state learning from `data`, as the Data panel's `control` set it: a new structure
        is loaded, else it is an edit; a refusal is that control's message."""
        state = self.state
        try:
            changed = redesign.with_data(state, data)
        except StateError as error:
            return data_problem(control, explain(error, state) if error.field != f"data.{control}" else str(error))
        ok = {"dataPanel": {"errors": {control: ""}}}
        net, new = state.network, changed.network
        if (new.sizes, new.activations, new.loss) != (net.sizes, net.activations, net.loss):
            return ok | self.load(changed, None, keep=True)
        return ok | self.change(lambda candidate: vars(candidate).update(vars(changed.copy())))

    def load(self, state, message: str | None, keep: bool = False) -> Reply:
        """A whole new state; `keep`: what features keep goes on into it."""
        return self._session.load(state, message, keep=keep)

    def show(self, t: dict, everything: bool = False) -> Reply:
        """The trace `t` of the state as it is, as a batch of what changed; `everything`: every
        part of the page, even while training."""
        return self._session.show(t, everything=everything)

    def redraw(self) -> Reply:
        return self._session.redraw()

    def between(self) -> Reply:
        return self._session.ask("between")

    def save(self) -> Reply:
        return self._session.save()

    def pause(self, redraw: bool = True) -> Reply:
        return self._session.pause(redraw)

    def light(self, scroll: str | None = None) -> Reply:
        """The highlight of the features' lights, by priority; `scroll`: the element to bring into view."""
        return self._session.light(scroll)

    def record(self, t: dict) -> None:
        """The trace's point on the loss curve."""
        self._session.record(t)

    def record_points(self, points: list[tuple[int, float]]) -> None:
        """(epoch, loss) points on the loss curve, taken on the way by a slice of training."""
        for epoch, loss in points:
            curve.record(self._session.history, epoch, loss)

    def next_point(self, epoch: int) -> int:
        """The next epoch after `epoch` whose loss the loss curve wants as a point."""
        return curve.next_point(self._session.history, epoch)


def data_problem(control: str, message: str) -> Reply:
    """A Data panel control's message."""
    return {"dataPanel": {"errors": {control: message}}}
