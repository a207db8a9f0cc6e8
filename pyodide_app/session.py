"""The live page's state and what each action does to it, with no DOM.

Every method takes what the page reported and returns a `Reply`: what the page must change
(see pyodide_app/protocol.py). Everything is computed first; a failure leaves the page
showing the last good numbers, never a mixture.
"""

from __future__ import annotations

import time

from . import network, redesign, saved, training
from .drawing import PageDrawing, structure
from .fields import field_names, get_field, index_of, set_field
from .panel import NetworkPanel
from .practice_mode import Practice
from .selection import Selection
from .protocol import Reply, notice
from .sharing import Sharing
from .state import SPEEDS, State, StateError, check_value, copy_practice, load_seed, parse, parse_number
from .trace import trace
from .view import diagram, page
from .view.gradient_check import GradientCheckSection
from .view.changes import Shown
from .walk import Walk
from .worksheet import Worksheet

SLOW_STEP_INTERVAL = 0.4  # seconds between steps at "slow" speed
SLICE_SECONDS = 0.015  # training between two looks at the message queue


class Session(NetworkPanel, Sharing, PageDrawing):
    def __init__(self, seed: State | None = None):
        self.seed = seed or load_seed()
        self.fields = field_names(self.seed.network.sizes)
        self.state = self.seed.copy()
        self.drawn_structure = structure(trace(self.seed), self.seed)  # what the page's HTML shows
        self.shown_step = None  # the trace of the step just taken, whose updates the page shows
        self.history: list[tuple[int, float]] = []
        self.shown = Shown()
        self.training = False
        self.training_message = ("", False)
        self.timer = training.StepTimer()
        self.last_slow_step = 0.0
        self.visible: tuple[str, ...] = page.PARTS  # parts of the page on screen
        self.visible_blocks: dict[str, set[int]] = {}  # and their layer blocks on screen, where known
        self.editor_open = False
        self.editor_drawn = False  # the page's weight editor holds its fields
        self.drawn = True  # the page has drawn the last batch sent while training
        self.rest_parts: tuple[str, ...] | None = None  # the parts an edit's answer left out, until sent
        self.last_trace: dict | None = None
        # the diagram lines' attributes: (weights, with names?, the Shown they were sent to, attributes)
        self.edges: tuple = (None, False, None, {})
        self.field_values_sent: list[float] = []
        self.features: list = []  # each has show(t, session) -> Reply, called whenever values are sent
        self.practice = Practice(self)
        self.features.append(self.practice)
        self.worksheet = Worksheet(self)
        self.features.append(self.worksheet)
        self.selection = Selection(self)
        self.features.append(self.selection)
        self.check = GradientCheckSection(self)
        self.features.append(self.check)
        self.walk = Walk(self)
        self.features.append(self.walk)

    # ---- opening ------------------------------------------------------------------------

    def start(self, fragment: str, stored: str | None, starting: str | None = None) -> Reply:
        """`starting`: the network the page was built for (its Reset goes back to it)."""
        if starting:
            self.seed = parse(starting)
            self.drawn_structure = structure(trace(self.seed), self.seed)
        opened = saved.opening(fragment, stored, self.seed)
        reply = self.load(opened.state, opened.notice, save=opened.from_link, error=opened.error)
        if opened.from_link:
            reply["forgetLink"] = True
        return reply

    # ---- edits --------------------------------------------------------------------------

    def on_field(self, field: str, text: str) -> Reply:
        if field not in self.fields:
            return {}
        try:
            value = parse_number(text, field, self.state.limits())
            if field.startswith("targets[") and value != get_field(self.state, field):
                return self.on_target(field, value) | {"ranges": {field: self.slider(field, value)}}
        except StateError as error:
            return {"fieldErrors": {field: saved.explain(error, self.state)}}
        reply = {"fieldErrors": {field: ""}}
        if value != get_field(self.state, field):
            reply |= self.change(lambda state: set_field(state, field, value))
        if self.fields[field]:
            reply["ranges"] = {field: self.slider(field, value)}
        return reply

    def on_target(self, field: str, value: float) -> Reply:
        """A target; with softmax and cross-entropy the others follow, so they add up to 1."""
        targets = redesign.with_target(self.state, index_of(field), value).targets

        def set_targets(state):
            state.targets[:] = targets
        return {"fieldErrors": {field: ""}} | self.change(set_targets)

    def on_range(self, field: str, text: str) -> Reply:
        if not self.fields.get(field):
            return {}
        low, high = self.slider_range(field)
        value = min(max(float(text), low), high)
        if field.startswith("targets["):
            try:
                return self.on_target(field, value)
            except StateError as error:
                return {"fieldErrors": {field: saved.explain(error, self.state)}}
        return {"fieldErrors": {field: ""}} | self.change(lambda state: set_field(state, field, value))

    def on_speed(self, speed: str) -> Reply:
        if speed not in SPEEDS:
            return {}
        return self.change(lambda state: state.settings.update(speed=speed))

    def on_nudge(self, edge: str, amount: float) -> Reply:
        l, j, i = edge_indices(edge)
        field = f"weights[{l - 1}][{j}][{i}]"
        value = round(get_field(self.state, field) + amount, 10)
        reply = self.change(lambda state: set_field(state, field, check_value(value, field)))
        return reply | self.on_edge(edge)

    def on_edge(self, edge: str) -> Reply:
        """The weight of the line focused or pointed at, in words under the diagram."""
        l, j, i = edge_indices(edge)
        w = self.state.network.weights[l - 1][j][i]
        return {"readout": diagram.edge_label(l, j, i, w, len(self.state.network.sizes))}

    # ---- steps and training -------------------------------------------------------------

    def on_step(self) -> Reply:
        reply = self.pause(redraw=False) if self.training else {}  # the step redraws everything
        return reply | self.take_step()

    def on_train(self) -> Reply:
        if self.training:
            return self.pause()
        self.training, self.drawn, self.last_slow_step = True, True, 0.0
        return {"trainButton": "Pause"} | self.say_training("Training…")

    def take_step(self) -> Reply:
        before = trace(self.state)

        def step(state):
            network.train(state.network, state.inputs, state.targets, state.learning_rate, 1)
            state.epoch += 1
        return self.change(step, shown_step=before)

    def tick(self) -> Reply:
        """One slice of training; a batch only once the page has drawn the last one."""
        if not self.training:
            return {}
        if self.state.settings["speed"] == "slow":
            self.last_slow_step = time.perf_counter()
            return self.take_step()
        result = training.run(self.state, SLICE_SECONDS, self.timer)
        reply: Reply = {}
        if result.state is not None:
            self.state, self.shown_step = result.state, None
        if result.stop:
            return self.pause() | self.say_training(result.message, warning=result.warning)
        if not self.drawn:
            return reply
        t = trace(self.state)
        self._record_loss(t)
        self.drawn = False
        reply |= self._show(t)
        return reply | self.say_training(training.STALLED if training.stalled(t) else "Training…",
                                         warning=training.stalled(t))

    def next_tick(self) -> float:
        """Seconds until the next slice is due: none while training fast."""
        if self.state.settings["speed"] != "slow":
            return 0.0
        return max(0.0, self.last_slow_step + SLOW_STEP_INTERVAL - time.perf_counter())

    def on_drawn(self) -> Reply:
        self.drawn = True
        return {}

    def pause(self, redraw=True) -> Reply:
        """Stop training; unless a redraw follows anyway, bring every part of the page up to date."""
        if not self.training:
            return {}
        self.training = False
        t = trace(self.state)
        self._record_loss(t)  # slices run while the page was still drawing left no point yet
        reply = self._show(t) if redraw else {}
        reply |= {"trainButton": "Train"} | self.say_training(f"Paused at epoch {self.state.epoch:,}.")
        return reply | self.save()

    def on_reset(self) -> Reply:
        seed = self.seed.copy()
        seed.practice = copy_practice(self.state.practice)  # practice goes on, with the starting values
        reply = self.load(seed, "Back to the starting network: every value is the starting one again.")
        return reply | self.say_training("")

    # ---- whole states -------------------------------------------------------------------

    def change(self, mutate, shown_step=None) -> Reply:
        """Apply `mutate` to a copy; if anything fails, the page keeps the last good state."""
        candidate = self.state.copy()
        try:
            mutate(candidate)
            t = trace(candidate, gradients=self.answer_needs_gradients())
        except Exception as error:
            return notice(f"That change could not be applied ({error}); the page keeps the last good values.",
                          error=True)
        old = self.state, self.shown_step, self.history[:]
        self.state, self.shown_step = candidate, shown_step
        self._record_loss(t)
        try:
            reply = self._show(t, soon=not self.training)
        except Exception as error:  # the page could not be re-drawn: it keeps what it shows
            self.state, self.shown_step, self.history = old
            return notice(f"That change could not be shown ({error}); the page keeps the last good values.",
                          error=True)
        if self.training or self.rest_pending:  # saved with the rest: the answer holds what is on screen
            return reply
        return reply | self.save()

    def load(self, state: State, message: str | None, save=True, error=False) -> Reply:
        """A whole new state (start, Reset, a link, a file): fields, errors and curve start afresh."""
        reply = self.pause(redraw=False)
        self.state, self.shown_step, self.history = state, None, []
        self.fields = field_names(state.network.sizes)
        t = trace(state)
        self._record_loss(t)
        reply |= self._show(t, force=True)
        reply["fieldErrors"] = dict.fromkeys(filter(self.has_field, self.fields), "")
        reply["design"] = design_values(state)
        reply["speed"] = state.settings["speed"]
        if save:
            reply |= self.save()
        if message:
            reply |= notice(message, error)
        return reply

    def say_training(self, message: str, warning=False) -> Reply:
        """The training status line: sent only when it says something new."""
        if (message, warning) == self.training_message:
            return {}
        self.training_message = (message, warning)
        return {"training": {"text": message, "warning": warning}}


def design_values(state: State) -> dict[str, str]:
    """The Network panel's text fields (its selects are drawn with the structure)."""
    return {"sizes": "-".join(map(str, state.network.sizes)), "random_seed": str(state.random_seed)}


def edge_indices(edge: str) -> tuple[int, int, int]:
    """'edge-2-1-0' → (2, 1, 0)."""
    l, j, i = (int(part) for part in edge.split("-")[1:])
    return l, j, i
