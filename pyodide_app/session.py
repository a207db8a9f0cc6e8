"""The live page's state, its features, and what the page is sent, with no DOM.

Every message from the page (protocol.MESSAGES) goes to the one feature that declares it
(features/) and is answered by a `Reply`: what the page must change. Everything is computed
first; a failure leaves the page showing the last good numbers, never a mixture.

Where features meet, the session decides, by rules written once here:
    values shown    an answer's trace is masked once for every view: whatever any feature
                    hides, with what gives it away, is HIDDEN before anything is formatted
    unmaskable      a feature whose replies cannot be masked (the walk-through's captions)
                    is ended while anything is hidden, and the messages it names refused
    light           what is lit while nothing is pointed at: the light of highest priority
    saved parts     what a feature keeps in the state goes on into a new network if it says so
    left behind     every feature sees the state a load or an edit replaced (an undo is neither)
"""

from __future__ import annotations

import re

from . import saved
from .data import scores
from .features import FEATURES
from .features.base import Answer, Context
from .masking import masked
from .page_writer import PageWriter, structure
from .protocol import Reply, notice
from .state import State, load_seed, parse, serialise
from .trace import trace
from .view import curve
from .translation import _

CURVE_INTERVAL = 0.1  # seconds between the data's losses on the loss curve while training


class Session:
    def __init__(self, seed: State | None = None):
        self.seed = seed or load_seed()
        self.state = self.seed.copy()
        self.shown_step = None  # the trace of the step just taken, whose updates the page shows
        self.history: list[tuple] = []  # the loss curve's points (curve.record)
        self.training = False
        self.drawing_elsewhere = False  # a drawing worker draws the plot while training (drawing.py)
        self.writer = PageWriter(self.seed)
        self.features = [make(Context(self)) for make in FEATURES]
        # kind → (its handler, the feature refusing it while values are hidden); "copyLink" → on_copy_link
        self.handlers = {"start": (self.start, None), "visible": (self.on_visible, None)}
        for feature in self.features:
            self.handlers |= {kind: (getattr(feature, "on_" + re.sub("([A-Z])", r"_\1", kind).lower()),
                                     feature if kind in feature.refused else None) for kind in feature.messages}

    def handle(self, kind: str, *fields) -> Reply:
        """A message from the page, its fields in the order protocol.MESSAGES names them."""
        method, refuser = self.handlers[kind]
        return refuser.refusal(kind) if refuser and self.hidden() else method(*fields)

    def start(self, fragment: str, stored: str | None, starting: str | None = None) -> Reply:
        """`starting`: the network the page was built for (its Reset goes back to it)."""
        if starting:
            self.seed = parse(starting)
            self.writer.drawn_structure = structure(trace(self.seed), self.seed)
        opened = saved.opening(fragment, stored, self.seed)
        reply = self.load(opened.state, opened.notice, save=opened.from_link, error=opened.error)
        return reply | {"forgetLink": True} if opened.from_link else reply

    # ---- new values ---------------------------------------------------------------------

    def change(self, mutate, step: dict | None = None) -> Reply:
        """Apply `mutate` to a copy; if anything fails, the page keeps the last good state."""
        candidate = self.state.copy()
        try:
            mutate(candidate)
            t = trace(candidate, gradients=self.needs_gradients())
        except Exception as error:
            return notice(_("That change could not be applied (%(error)s); the page keeps the last good values.")
                          % {"error": error},
                          error=True)
        old = self.state, self.shown_step, self.history[:]
        self.state, self.shown_step = candidate, step
        self.replaced(old[0], whole=False)
        self.record(t)
        try:
            reply = self.show(t, soon=not self.training)
        except Exception as error:  # the page could not be re-drawn: it keeps what it shows
            self.state, self.shown_step, self.history = old
            return notice(_("That change could not be shown (%(error)s); the page keeps the last good values.")
                          % {"error": error},
                          error=True)
        if self.training or self.rest_pending:  # saved with the rest: the answer holds what is on screen
            return reply
        return reply | self.save()

    def load(self, state: State, message: str | None, save=True, error=False, keep=False) -> Reply:
        """A whole new state (start, Reset, a link, a file): fields, errors and curve start afresh.
        `keep`: what features keep (Feature.kept) goes on into it."""
        reply = self.pause(redraw=False)
        for feature in self.features if keep else ():
            if feature.kept:
                setattr(state, feature.saved, feature.carried(getattr(self.state, feature.saved), state))
        old, self.state, self.shown_step, self.history = self.state, state, None, []
        self.replaced(old, whole=True)
        loaded = self.writer.loaded(state)
        t = trace(state)
        self.record(t)
        reply |= self.show(t, force=True) | loaded
        reply |= self.save() if save else {}
        return reply | notice(message, error) if message else reply

    def replaced(self, old: State, whole: bool) -> None:
        for feature in self.features:
            feature.replaced(old, whole)

    def snapshot(self) -> tuple:
        return self.state.copy(), self.shown_step, self.history[:]

    def restore(self, snapshot: tuple) -> Reply:
        state, self.shown_step, history = snapshot
        self.state, self.history = state.copy(), history[:]
        return self.show(trace(self.state)) | self.save()

    def record(self, t: dict) -> None:
        """The trace's point on the loss curve: its loss; on data, the training and test losses.
        Those take a pass over every point: while training, at most ten times a second."""
        if self.state.data is None:
            curve.record(self.history, t["epoch"], t["loss"]["total"])
        elif not self.training or scores.age() >= CURVE_INTERVAL:
            result = scores.evaluated(self.state.network, self.state.data)
            curve.record(self.history, t["epoch"], result.training_loss, result.test_loss)

    # ---- answers ------------------------------------------------------------------------

    def show(self, t: dict, force=False, everything=False, soon=False, parts=None) -> Reply:
        """The trace of the state as it is, as a batch, and each feature's part. `soon`: an
        edit, whose answer should be on screen at once (the rest follows in `on_rest`);
        `everything`: every part, even while training; `parts`: only these."""
        full = (everything or not self.training) and not soon  # else the parts on screen
        drawn = structure(t, self.state)
        redraw = self.writer.redraws(drawn, full)
        if not t["gradients"] and (full or redraw or self.needs_gradients()):
            t = trace(self.state)
        answer = self.answer(t, redraw)
        reply = self.writer.write(answer, self.state, self.history, full, drawn if redraw else None, force, parts)
        for feature in self.features:
            reply |= feature.end() if feature.refused and answer.hidden else feature.show(answer)
        return reply

    def answer(self, t: dict | None = None, redrawn: bool = False) -> Answer:
        """The values of the moment (the state's trace unless `t`), as the page may show them."""
        t = t or trace(self.state)
        hidden = self.hidden()
        shown, shown_step = masked(t, hidden, self.shown_step)
        return Answer(t, self.shown_step, shown, shown_step, hidden, self.training, redrawn)

    def hidden(self) -> frozenset[str]:
        return frozenset().union(*(feature.hides() for feature in self.features))

    def needs_gradients(self) -> bool:
        """Whether an answer needs the backward pass: while training, or if a part on screen or
        a feature in use shows δs or updates. Otherwise they follow in the rest."""
        return (self.training or self.writer.shows_gradients
                or any(feature.needs_gradients for feature in self.features))

    def light(self, scroll: str | None = None) -> Reply:
        """What the features light, the highest priority first; `scroll`: brought into view."""
        lights = [lit for feature in self.features if (lit := feature.lights())]
        ids = max(lights, key=lambda lit: lit[0])[1] if lights else []
        return {"highlight": {"ids": ids, "scroll": scroll}}

    def redraw(self) -> Reply:
        """Every value again, as the page must now show it (e.g. other values hidden), and saved."""
        return self.show(trace(self.state)) | self.save()

    def save(self) -> Reply:
        """Into local storage (the page does the writing)."""
        return {"save": serialise(self.state)}

    # ---- what is on screen, and the rest of an answer -----------------------------------

    def on_visible(self, parts: list[str], editor_open: bool) -> Reply:
        return self.writer.on_visible(parts, editor_open, self.state, self.answer)

    @property
    def rest_pending(self) -> bool:
        """The parts off screen (and the save) still wait for the last edit's values."""
        return self.writer.rest_parts is not None

    def on_rest(self) -> Reply:
        """The parts off screen, after an edit whose answer held only those on screen; and the
        edit's network saved."""
        parts = self.writer.take_rest()
        if parts is None:
            return {}
        if self.training:
            return self.save()
        last = self.writer.last_trace
        return self.show(last if last["gradients"] else trace(self.state), everything=True, parts=parts) | self.save()

    # ---- between messages ---------------------------------------------------------------

    def tick(self) -> Reply:
        return self.ask("tick")

    def next_tick(self) -> float:
        """Seconds until a feature's next tick is due."""
        return min((s for feature in self.features if (s := feature.next_tick()) is not None), default=0.0)

    def pause(self, redraw: bool = True) -> Reply:
        return self.ask("pause", redraw)

    def drawing(self) -> dict | None:
        """What the drawing worker should draw now, while training: the first feature's request."""
        if not (self.training and self.drawing_elsewhere):
            return None
        return next((request for feature in self.features if (request := feature.drawing())), None)

    def ask(self, name: str, *args) -> Reply:
        """Each feature in turn, their replies together."""
        reply: Reply = {}
        for feature in self.features:
            reply |= getattr(feature, name)(*args)
        return reply
