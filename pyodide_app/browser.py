"""The live page: DOM events → state → trace → view → DOM. The only module that imports `js`.

Everything is computed first and written to the DOM afterwards, so a failure leaves the
page showing the last good numbers, never a mixture.
"""

from __future__ import annotations

import json
import time

import js
from pyodide.ffi import create_proxy, to_js

from . import network
from .frame_budget import FrameBudget
from .state import (LIMITS, MAX_TEXT_LENGTH, StateError, check_value, from_fragment, get_field, load_seed, parse,
                    parse_number, serialise, set_field, to_fragment, within_limits)
from .trace import trace
from .view import curve, diagram, names, page
from .view.numbers import short

STORAGE_KEY = "neural-network-demonstration/state"
SLOW_STEP_INTERVAL = 0.4  # seconds between steps at "slow" speed
STALLED_GRADIENT = 1e-10
NUDGES = {"ArrowUp": 1, "ArrowRight": 1, "ArrowDown": -1, "ArrowLeft": -1}  # arrow keys on a weight


class Page:
    def __init__(self):
        self.seed = load_seed()
        self.sizes = self.seed.network.sizes
        self.layer_count = len(self.sizes)
        self.state = self.seed.copy()
        self.shown_step = None  # the trace of the step just taken, whose updates the page shows
        self.history: list[tuple[int, float]] = []
        self.training = False
        self.last_slow_step = 0.0
        self.training_message = ("", False)
        self.shown_text: dict[str, str] = {}
        self.shown_attrs: dict[str, dict[str, str]] = {}
        self.shown_fields: dict[str, str] = {}
        self.proxies = []
        self.fields = {el.dataset.field: el for el in js.document.querySelectorAll("[data-field]")}
        self.ranges = {el.dataset.range: el for el in js.document.querySelectorAll("[data-range]")}
        self.frame = self._proxy(self._on_frame)
        self.budget = FrameBudget()

    # ---- start ------------------------------------------------------------------------

    def start(self):
        state, notice, from_link = self._initial_state()
        self._bind()
        for el in js.document.querySelectorAll("input, select, button"):
            el.disabled = False
        # a network from a link is saved: it must outlive the link, which leaves the address bar
        self.load(state, notice, save=from_link)

    def _initial_state(self):
        fragment = str(js.location.hash)
        if fragment.startswith("#state="):
            try:
                state = from_fragment(fragment, self.sizes)
                self._forget_link()
                return state, "Loaded the network from the link.", True
            except StateError as error:
                return self._stored_state(), f"The link's network could not be used: {self._explain(error)}", False
        return self._stored_state(), None, False

    def _stored_state(self):
        try:
            text = js.localStorage.getItem(STORAGE_KEY)
        except Exception:  # storage can be switched off; the page still works
            return self.seed.copy()
        if text is None:
            return self.seed.copy()
        try:
            return parse(str(text), self.sizes)
        except StateError:
            return self.seed.copy()

    def _bind(self):
        """A few listeners on the document; the target's id and data attributes say what it is."""
        self.clicks = {"step": self.on_step, "train": self.on_train, "reset": self.on_reset,
                       "copy-link": self.on_copy_link, "export": self.on_export,
                       "import": lambda: js.document.getElementById("import-file").click()}
        for event, handler in (("input", self.on_input), ("change", self.on_change), ("click", self.on_click),
                               ("keydown", self.on_keydown), ("focusin", self.on_pointer),
                               ("mouseover", self.on_pointer), ("dragover", self.on_drag_over),
                               ("dragleave", self.on_drag_leave), ("drop", self.on_drop)):
            self._listen(js.document, event, handler)
        self._listen(js.window, "hashchange", lambda event: self.on_hash())
        js.pageDom.watch(" ".join(page.PARTS), self._proxy(self._guarded(self.refresh)))

    # ---- events -------------------------------------------------------------------------

    def on_input(self, event):
        target = event.target
        if field := target.getAttribute("data-field"):
            self.on_field(field, target)
        elif field := target.getAttribute("data-range"):
            self.on_range(field, target)

    def on_change(self, event):
        target = event.target
        if target.id == "field-speed":
            self.change(lambda state: state.settings.update(speed=str(target.value)))
        elif target.id == "import-file":
            self.on_import_picked(target)
        elif field := target.getAttribute("data-field"):
            self.on_field(field, target)

    def on_click(self, event):
        target = event.target.closest("button, [data-edit]")
        if target is None:
            return
        handler = self.clicks.get(str(target.id))
        if handler:
            handler()
        elif target.hasAttribute("data-edit"):
            self.open_editor(target)

    def on_keydown(self, event):
        target, key = event.target, str(event.key)
        if target.hasAttribute("data-edit") and key in ("Enter", " ") and target.tagName != "BUTTON":
            event.preventDefault()
            self.open_editor(target)
        elif target.classList.contains("edge") and key in NUDGES:
            event.preventDefault()
            self.nudge(target, NUDGES[key] * (0.01 if event.shiftKey else 0.1))

    def on_pointer(self, event):
        """Focus on or pointer over a line: its weight in words under the diagram."""
        if event.target.classList and event.target.classList.contains("edge"):
            self.show_weight(event.target)

    def on_field(self, field: str, el):
        try:
            value = parse_number(str(el.value), field)
        except StateError as error:
            self.show_field_error(field, self._explain(error))
            return
        self.show_field_error(field, "")
        if value != get_field(self.state, field):
            self.change(lambda state: set_field(state, field, value))
        range_el = self.ranges.get(field)
        if range_el is not None:
            range_el.value = str(min(max(value, 0.0), 1.0))

    def on_range(self, field: str, el):
        value = float(el.value)
        self.show_field_error(field, "")
        self.fields[field].value = short(value)
        self.change(lambda state: set_field(state, field, value))

    def on_step(self):
        if self.training:
            self.pause(redraw=False)  # the step redraws everything
        self.take_step()

    def on_train(self):
        if self.training:
            self.pause()
        else:
            self.training = True
            self.budget.restart()
            self.set_train_button("Pause")
            self.say_training("Training…")
            js.requestAnimationFrame(self.frame)

    def on_reset(self):
        self.load(self.seed.copy(), "Back to the starting network: every value is the seed's again.")
        self.say_training("")

    def open_editor(self, opener):
        """A diagram line or node, or a bias in the list: jump to its number field."""
        field = js.document.getElementById(str(opener.dataset.edit))
        js.document.getElementById("parameters").open = True
        field.focus()
        field.select()

    def nudge(self, edge, amount: float):
        field = str(js.document.getElementById(str(edge.dataset.edit)).dataset.field)
        value = round(get_field(self.state, field) + amount, 10)
        self.change(lambda state: set_field(state, field, check_value(value, field)))
        self.show_weight(edge)

    def show_weight(self, edge):
        """Under the diagram, in words, the weight of the line focused or pointed at."""
        l, j, i = (int(part) for part in str(edge.id).split("-")[1:])
        w = self.state.network.weights[l - 1][j][i]
        js.document.getElementById("edge-readout").textContent = diagram.edge_label(l, j, i, w, self.layer_count)

    def on_hash(self):
        fragment = str(js.location.hash)
        if not fragment.startswith("#state="):
            return
        try:
            state = from_fragment(fragment, self.sizes)
        except StateError as error:
            self.notify(f"The link's network could not be used: {self._explain(error)}", error=True)
            return
        self.load(state, "Loaded the network from the link.")

    # ---- training -----------------------------------------------------------------------

    def take_step(self):
        before = trace(self.state)

        def step(state):
            network.train(state.network, state.inputs, state.targets, state.learning_rate, 1)
            state.epoch += 1
        self.change(step, shown_step=before)

    def _on_frame(self, timestamp):
        if not self.training:
            return
        try:
            self.budget.adapt(float(timestamp) / 1000)
            if self.state.settings["speed"] == "slow":
                now = time.perf_counter()
                if now - self.last_slow_step >= SLOW_STEP_INTERVAL:
                    self.last_slow_step = now
                    self.take_step()
            else:
                self.train_for(self.budget.seconds)
        except Exception as error:  # keep the page alive whatever happens
            self.pause()
            self.notify(f"Training stopped: {error}", error=True)
            return
        if self.training:
            js.requestAnimationFrame(self.frame)

    def train_for(self, budget: float) -> int:
        """As many steps as fit in `budget` seconds, in one call; then one redraw.

        Each batch fills most of the time left, sized by the measured time per step, so the
        last one ends close to the deadline instead of overshooting it."""
        candidate = self.state.copy()
        s, net = candidate, candidate.network
        start = time.perf_counter()
        deadline, steps = start + budget, 0
        while (left := deadline - time.perf_counter()) > 0:
            batch = min(max(1, int(0.8 * left / self.budget.step_seconds)), int(LIMITS["epoch"].high) - s.epoch)
            if batch <= 0:
                self.pause()
                self.say_training(f"Training stopped at the last epoch the page counts, {s.epoch:,}.")
                break
            network.train(net, s.inputs, s.targets, s.learning_rate, batch)
            s.epoch += batch
            steps += batch
        if steps:
            self.budget.measured(steps, time.perf_counter() - start)
        if not within_limits(net):
            self.pause()
            self.say_training("Training diverged: a weight grew past ±1,000,000,000. The network is kept as it "
                              "was before; lower the learning rate and try again.", warning=True)
            return 0
        t = trace(s)
        self.commit(s, t, None)
        self._check_progress(t)
        return steps

    def _check_progress(self, t: dict):
        largest = max(abs(n["delta"]) for layer in t["layers"][1:] for n in layer["neurons"])
        if largest < STALLED_GRADIENT and t["loss"]["total"] > 1e-6:
            self.say_training("Training has stalled: the sigmoids are saturated (σ′ ≈ 0), so every gradient "
                              "vanishes and the weights barely move. Reset, or lower the weights.", warning=True)
        elif self.training:
            self.say_training("Training…")

    def pause(self, redraw=True):
        """Stop training; unless a redraw follows anyway, bring every part of the page up to date."""
        if self.training:
            self.training = False
            if redraw:
                self._show(trace(self.state))
            self.set_train_button("Train")
            self.say_training(f"Paused at epoch {self.state.epoch:,}.")
            self.save()

    # ---- state changes ------------------------------------------------------------------

    def change(self, mutate, shown_step=None):
        """Apply `mutate` to a copy; if anything fails, the page keeps the last good state."""
        candidate = self.state.copy()
        try:
            mutate(candidate)
            t = trace(candidate)
        except Exception as error:
            self.notify(f"That change could not be applied ({error}); the page keeps the last good values.",
                        error=True)
            return
        self.commit(candidate, t, shown_step)

    def commit(self, state, t: dict, shown_step):
        self.state, self.shown_step = state, shown_step
        self._record_loss(t)
        self._show(t)
        if not self.training:
            self.save()

    def load(self, state, message: str | None, save=True):
        """A whole new state (start, Reset, a link, a file): fields, errors and curve start afresh."""
        self.pause(redraw=False)
        self.state, self.shown_step, self.history = state, None, []
        for field in self.fields:
            self.show_field_error(field, "")
        t = trace(state)
        self._record_loss(t)
        self._show(t, refresh_fields=True)
        js.document.getElementById("field-speed").value = state.settings["speed"]
        if save:
            self.save()
        if message:
            self.notify(message)

    def refresh(self):
        """A part of the page came into view (or the page is printed) while training."""
        if self.training:
            self._show(trace(self.state), everything=True)

    def _record_loss(self, t: dict):
        curve.record(self.history, t["epoch"], t["loss"]["total"])

    # ---- DOM writes ---------------------------------------------------------------------

    def _show(self, t: dict, refresh_fields=False, everything=False):
        """The trace, on the page. While training, only the parts on screen are written, the
        diagram's names stay, and the number fields change only while the editor is open;
        once training stops, everything is brought up to date."""
        full = everything or not self.training
        parts = page.PARTS if full else tuple(str(js.pageDom.visible()).split())
        self._write(page.values(t, self.state.targets, self.shown_step, parts),
                    page.attributes(t, labels=not self.training),
                    fields=not self.training or js.document.getElementById("parameters").open,
                    refresh_fields=refresh_fields)

    def _write(self, text: dict[str, str], attrs: dict[str, dict[str, str]], fields: bool, refresh_fields=False):
        """Only what changed since the last write crosses into the page, in one call."""
        g = curve.geometry(self.history)
        text.update({"curve-" + key: g[key] for key in ("x_min", "x_max", "y_max")})
        attrs["curve-line"] = {"points": g["points"]}
        if refresh_fields:
            self.shown_fields.clear()
        fields = {field: short(get_field(self.state, field)) for field in self.fields} if fields else {}
        batch = {
            "text": _changed(self.shown_text, text),
            "attrs": {key: changed for key, values in attrs.items()
                      if (changed := _changed(self.shown_attrs.setdefault(key, {}), values))},
            "fields": _changed(self.shown_fields, fields),
            "force": refresh_fields,
        }
        batch["ranges"] = {field: str(min(max(get_field(self.state, field), 0.0), 1.0))
                           for field in batch["fields"] if field in self.ranges}
        js.pageDom.write(json.dumps(batch))

    def show_field_error(self, field: str, message: str):
        el = self.fields[field]
        message_el = js.document.getElementById(str(el.getAttribute("aria-describedby")))
        if message:
            el.setAttribute("aria-invalid", "true")
            message_el.textContent = message
        elif el.getAttribute("aria-invalid") == "true":
            el.removeAttribute("aria-invalid")
            message_el.textContent = ""

    def set_train_button(self, label: str):
        js.document.getElementById("train").textContent = label

    def say_training(self, message: str, warning=False):
        """A status line (a live region): written only when it says something new."""
        if (message, warning) == self.training_message:
            return
        self.training_message = (message, warning)
        el = js.document.getElementById("training-message")
        el.textContent = message
        el.classList.toggle("warning", warning)

    def notify(self, message: str, error=False):
        el = js.document.getElementById("notice")
        el.textContent = message
        el.classList.toggle("error", error)
        el.hidden = not message

    # ---- save and share -----------------------------------------------------------------

    def _forget_link(self):
        js.history.replaceState(None, "", str(js.location.pathname) + str(js.location.search))

    def save(self):
        """Into local storage; a link left in the address bar would bring back an older network."""
        if str(js.location.hash).startswith("#state="):
            self._forget_link()
        try:
            js.localStorage.setItem(STORAGE_KEY, serialise(self.state))
        except Exception:  # storage off or full: the page works on without it
            pass

    def on_copy_link(self):
        self.pause()
        url = str(js.location.href).split("#")[0] + "#" + to_fragment(self.state)
        js.history.replaceState(None, "", "#" + to_fragment(self.state))
        say = js.document.getElementById("share-message")
        try:
            promise = js.navigator.clipboard.writeText(url)
            promise.then(lambda _: setattr(say, "textContent", "Link copied: it opens this exact network."),
                         lambda _: setattr(say, "textContent", "The link is in the address bar: copy it from there."))
        except Exception:
            say.textContent = "The link is in the address bar: copy it from there."

    def on_export(self):
        self.pause()
        options = to_js({"type": "application/json"}, dict_converter=js.Object.fromEntries)
        blob = js.Blob.new(to_js([serialise(self.state)]), options)
        url = js.URL.createObjectURL(blob)
        link = js.document.createElement("a")
        link.href = url
        link.download = f"neural-network-epoch-{self.state.epoch}.json"
        js.document.body.append(link)
        link.click()
        link.remove()
        js.setTimeout(create_proxy_once(lambda: js.URL.revokeObjectURL(url)), 1000)
        js.document.getElementById("share-message").textContent = f"Exported {link.download}."

    def on_import_picked(self, picker):
        files = picker.files
        if files.length:
            self.import_file(files.item(0))
        picker.value = ""

    def on_drag_over(self, event):
        event.preventDefault()
        js.document.body.classList.add("import-target")

    def on_drag_leave(self, event):
        js.document.body.classList.remove("import-target")

    def on_drop(self, event):
        event.preventDefault()
        js.document.body.classList.remove("import-target")
        files = event.dataTransfer.files if event.dataTransfer else None
        if files and files.length:
            self.import_file(files.item(0))

    def import_file(self, file):
        say = js.document.getElementById("share-message")
        if file.size > MAX_TEXT_LENGTH:
            self.notify(f"{file.name} was not loaded: it is {file.size:,} bytes, a saved network is far smaller.",
                        error=True)
            return
        say.textContent = f"Reading {file.name}…"

        def loaded(text):
            try:
                state = parse(str(text), self.sizes)
            except StateError as error:
                self.notify(f"{file.name} was not loaded: {self._explain(error)}. Nothing was changed.", error=True)
                say.textContent = ""
                return
            say.textContent = ""
            self.load(state, f"Loaded {file.name}.")

        file.text().then(loaded)  # Pyodide wraps and releases callbacks given to then()

    # ---- helpers --------------------------------------------------------------------------

    def _explain(self, error: StateError) -> str:
        return f"{names.field_label(error.field, self.layer_count)} {error}"

    def _proxy(self, function):
        proxy = create_proxy(function)
        self.proxies.append(proxy)
        return proxy

    def _listen(self, el, event: str, handler):
        el.addEventListener(event, self._proxy(self._guarded(handler)))

    def _guarded(self, handler):
        def run(*event):
            try:
                handler(*event)
            except Exception as error:  # a bug must not take the page down
                js.console.warn(f"{type(error).__name__}: {error}")
                self.notify("Something went wrong with that action; the page keeps the last good values.",
                            error=True)
        return run


def _changed(shown: dict[str, str], new: dict[str, str]) -> dict[str, str]:
    """The entries of `new` that differ from `shown`; `shown` is brought up to date."""
    changed = {key: value for key, value in new.items() if shown.get(key) != value}
    shown.update(changed)
    return changed


def create_proxy_once(function):
    """A proxy for a callback that runs once, destroyed after it ran."""
    proxy = None

    def run(*args):
        try:
            return function(*args)
        finally:
            proxy.destroy()
    proxy = create_proxy(run)
    return proxy


def start():
    Page().start()
