"""The live page's state and what each action does to it, with no DOM.

Every method takes what the page reported and returns a `Reply`: what the page must change
(see pyodide_app/protocol.py). Everything is computed first; a failure leaves the page
showing the last good numbers, never a mixture.
"""

from __future__ import annotations

import time

from . import network, redesign, saved, training
from .panel import NetworkPanel
from .limits import slider_range
from .state import SPEEDS, State, StateError, check_value, get_field, load_seed, parse, parse_number, serialise, \
    set_field, to_fragment
from .trace import trace
from .view import curve, diagram, page, render
from .view.gradient_check import GradientCheckSection
from .view.changes import Shown
from .view.numbers import short

SLOW_STEP_INTERVAL = 0.4  # seconds between steps at "slow" speed
SLICE_SECONDS = 0.015  # training between two looks at the message queue

Reply = dict


class Session(NetworkPanel):
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
        self.editor_open = False
        self.drawn = True  # the page has drawn the last batch sent while training
        self.features: list = []  # each has show(t, session) -> Reply, called whenever values are sent
        self.check = GradientCheckSection(self)
        self.features.append(self.check)

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

    def on_hash(self, fragment: str) -> Reply:
        if not saved.is_link(fragment):
            return {}
        try:
            state = saved.from_fragment(fragment)
        except StateError as error:
            return notice(saved.link_refused(error, self.state), error=True)
        return self.load(state, saved.FROM_LINK)

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
        targets = redesign.with_target(self.state, int(field[8:-1]), value).targets

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
        reply = self.load(self.seed.copy(), "Back to the starting network: every value is the starting one again.")
        return reply | self.say_training("")

    # ---- what is on screen --------------------------------------------------------------

    def on_visible(self, parts: list[str], editor_open: bool) -> Reply:
        self.visible = tuple(part for part in parts if part in page.PARTS)
        self.editor_open = bool(editor_open)
        return {}

    def on_reveal(self) -> Reply:
        """A part came into view (or the page is printed) while training: everything, now."""
        return self._show(trace(self.state), everything=True) if self.training else {}

    # ---- whole states -------------------------------------------------------------------

    def change(self, mutate, shown_step=None) -> Reply:
        """Apply `mutate` to a copy; if anything fails, the page keeps the last good state."""
        candidate = self.state.copy()
        try:
            mutate(candidate)
            t = trace(candidate)
        except Exception as error:
            return notice(f"That change could not be applied ({error}); the page keeps the last good values.",
                          error=True)
        old = self.state, self.shown_step, self.history[:]
        self.state, self.shown_step = candidate, shown_step
        self._record_loss(t)
        try:
            reply = self._show(t)
        except Exception as error:  # the page could not be re-drawn: it keeps what it shows
            self.state, self.shown_step, self.history = old
            return notice(f"That change could not be shown ({error}); the page keeps the last good values.",
                          error=True)
        return reply if self.training else reply | self.save()

    def load(self, state: State, message: str | None, save=True, error=False) -> Reply:
        """A whole new state (start, Reset, a link, a file): fields, errors and curve start afresh."""
        reply = self.pause(redraw=False)
        self.state, self.shown_step, self.history = state, None, []
        self.fields = field_names(state.network.sizes)
        t = trace(state)
        self._record_loss(t)
        reply |= self._show(t, force=True)
        reply["fieldErrors"] = dict.fromkeys(self.fields, "")
        reply["design"] = design_values(state)
        reply["speed"] = state.settings["speed"]
        if save:
            reply |= self.save()
        if message:
            reply |= notice(message, error)
        return reply

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

    # ---- drawing ------------------------------------------------------------------------

    def _record_loss(self, t: dict):
        curve.record(self.history, t["epoch"], t["loss"]["total"])

    def _show(self, t: dict, force=False, everything=False) -> Reply:
        """The trace, as a batch. While training, only the parts on screen, the diagram's names
        stay, and the number fields change only while the editor is open; once training stops,
        everything is brought up to date."""
        full = everything or not self.training
        parts = page.PARTS if full else self.visible
        reply: Reply = {}
        drawn = structure(t, self.state)
        if drawn != self.drawn_structure and (full or drawn[:-1] != self.drawn_structure[:-1]):
            # Jinja draws the new structure with every value in it; then values flow as before
            reply["structure"] = render.render_parts(render.context(self.state, t, self.shown_step))
            self.drawn_structure, self.shown, force = drawn, Shown(), True
        text = page.values(t, self.state.targets, self.shown_step, parts)
        attrs = page.attributes(t, labels=not self.training)
        g = curve.geometry(self.history)
        text.update({"curve-" + key: g[key] for key in ("x_min", "x_max", "y_max")})
        attrs["curve-line"] = {"points": g["points"]}
        values = {field: get_field(self.state, field) for field in self.fields} \
            if not self.training or self.editor_open else {}
        fields = {field: short(value) for field, value in values.items()}
        ranges = {field: self.slider(field, value) for field, value in values.items() if self.fields[field]}
        reply["batch"] = self.shown.batch(text, attrs, fields, ranges, force)
        for feature in self.features:
            reply |= feature.show(t, self)
        return reply

    def slider_range(self, field: str) -> tuple[float, float]:
        return slider_range(self.state.limits()["targets"] if field.startswith("targets") else None)

    def slider(self, field: str, value: float) -> str:
        low, high = self.slider_range(field)
        return str(min(max(value, low), high))

    def say_training(self, message: str, warning=False) -> Reply:
        """The training status line: sent only when it says something new."""
        if (message, warning) == self.training_message:
            return {}
        self.training_message = (message, warning)
        return {"training": {"text": message, "warning": warning}}


def notice(message: str, error=False) -> Reply:
    return {"notice": {"text": message, "error": error}}


def structure(t: dict, state: State) -> tuple:
    """What the page's HTML is drawn for; the rules of the derivatives come last (see _show)."""
    sizes, activations, loss, rules = render.structure(t)
    return sizes, activations, loss, state.preset, rules


def design_values(state: State) -> dict[str, str]:
    """The Network panel's text fields (its selects are drawn with the structure)."""
    return {"sizes": "-".join(map(str, state.network.sizes)), "random_seed": str(state.random_seed)}


def field_names(sizes: list[int]) -> dict[str, bool]:
    """Every number field of the page, and whether it has a slider (inputs and targets do)."""
    names = {f"inputs[{i}]": True for i in range(sizes[0])}
    names |= {f"targets[{j}]": True for j in range(sizes[-1])}
    names["learning_rate"] = False
    for l in range(1, len(sizes)):
        for j in range(sizes[l]):
            names |= {f"weights[{l - 1}][{j}][{i}]": False for i in range(sizes[l - 1])}
            names[f"biases[{l - 1}][{j}]"] = False
    return names


def edge_indices(edge: str) -> tuple[int, int, int]:
    """'edge-2-1-0' → (2, 1, 0)."""
    l, j, i = (int(part) for part in edge.split("-")[1:])
    return l, j, i
