"""Compare: a second network beside the first, on the same data, split and batches.

Compare turns it on (a network of the same size and another depth, second.proposed) or off;
its own Layer sizes and activations, Equal size and Swap change it. Step, Train and Reset
take both: training.train_on_batches steps the second with the first's batches. Its part of
an answer ("compare") is the second network's diagram and plot, both networks' losses on one
chart, and their figures in a table, with the epoch each first reached the Target loss.
The formulas, the walk-through, practice and the worksheet stay with the first network.
"""

from __future__ import annotations

import math
import time

from .. import second
from ..activations import ACTIVATIONS
from ..data import evaluation, scores
from ..data import settings as data_settings
from ..equal_size import parameter_count
from ..limits import Limit, StateError
from ..network import forward
from ..state import parse_number
from ..view import compare as view
from ..view import curve
from ..translation import N_, _
from .base import Context, Feature, Reply

TARGET = 0.05  # the Target loss until the teacher types another
TARGET_LIMIT = {"target": Limit(0, 1e6)}
HEAT_INTERVAL = 0.3  # seconds at least between the second plot's heatmaps while training: training comes first
CELLS = {True: 40, False: 100}  # the heatmap's cells a side, while training and not
NEEDS_DATA = N_("Compare needs data: choose a dataset in the Data panel first, so that both networks learn from "
                "the same points.")
LABELS = {"compare": N_("Compare"), "sizes": N_("Layer sizes"), "activations": N_("Activation"),
          "equal": N_("Equal size"), "swap": N_("Swap"), "target": N_("Target loss")}


class Compare(Feature):
    messages = ("compare", "secondSizes", "secondActivation", "equalSize", "swap", "targetLoss")
    saved, kept = "second", True

    def __init__(self, context: Context):
        self.ctx = context
        self.target = TARGET
        self.histories: dict[str, list[tuple]] = {"first": [], "second": []}
        self.sent: dict = {}  # each part as last sent
        self.evaluated: tuple = (None, None)  # (the second network and data it was for, its Evaluation)
        self.heat: tuple = (None, 0, 0.0)  # (the network it was for, its cells a side, when)

    def carried(self, value, state):
        """Beside a first network started afresh, the second starts afresh too: a fair race."""
        return second.restarted(value, state)

    # ---- messages ---------------------------------------------------------------------------------

    def on_compare(self) -> Reply:
        state = self.ctx.state
        if state.second is not None:
            return self.changed("compare", lambda: second.with_second(state, None))
        if state.data is None:
            return errors("compare", _(NEEDS_DATA))
        return self.changed("compare", lambda: second.proposed(state))

    def on_second_sizes(self, text: str) -> Reply:
        return self.changed("sizes", lambda: second.with_sizes(self.ctx.state, text))

    def on_second_activation(self, layer: int, key: str) -> Reply:
        return self.changed("activations", lambda: second.with_activation(self.ctx.state, layer, key))

    def on_equal_size(self) -> Reply:
        return self.changed("equal", lambda: second.equal_sized(self.ctx.state))

    def on_swap(self) -> Reply:
        state = self.ctx.state
        if state.second is None:
            return {}
        try:
            swapped = second.swapped(state)
        except StateError as error:
            return errors("swap", message("swap", error))
        self.histories = {"first": self.histories["second"], "second": self.histories["first"]}
        return with_error(self.ctx.load(swapped, _("Swapped: the second network is now the first, with every "
                                                   "formula, and the first is the second.")), "swap", "")

    def on_target_loss(self, text: str) -> Reply:
        try:
            target = parse_number(str(text), "target", TARGET_LIMIT)
        except StateError as error:
            return errors("target", message("target", error))
        self.target = target
        return with_error(self.show(self.ctx.answer()), "target", "")

    def changed(self, control: str, make) -> Reply:
        """`make()`: the state with another second network (None: it stays as it is)."""
        if self.ctx.state.second is None and control != "compare":
            return {}
        try:
            state = make()
        except StateError as error:
            return errors(control, message(control, error))
        if state is None:
            return errors(control, "")
        self.histories["second"] = []
        return with_error(self.ctx.change(lambda candidate: setattr(candidate, "second", state.second)), control, "")

    # ---- the answer -------------------------------------------------------------------------------

    def show(self, answer) -> Reply:
        state = self.ctx.state
        other = state.second
        if other is None:
            self.histories = {"first": [], "second": []}
            if self.sent.get("on") is False:
                return {}
            self.sent = {"on": False}
            return {"compare": {"on": False}}
        parts = {"on": True, "target": _short(self.target), "design": design(other)}
        rows = self.rows(state)
        parts["table"] = view.table(rows)
        parts["chart"] = {"svg": view.chart(self.histories), "caption": view.chart_summary(rows)}
        net, data = second.network_of(other), second.data_of(other, state.data)
        inputs = data_settings.shown_sample(data, other["activations"][-1])[0]
        activations = forward(net, inputs)[1]
        parts["diagram"] = {"svg": view.diagram(other["sizes"], other["weights"], activations),
                            "label": view.description(other["sizes"], activations[-1])}
        parts |= self.heatmap(state, answer.training)
        reply = {key: value for key, value in parts.items() if key == "on" or self.sent.get(key) != value}
        self.sent |= parts
        return {"compare": reply}

    def between(self) -> Reply:
        """While training, between the page's answers: the second plot's heatmap, when due."""
        state = self.ctx.state
        if state.second is None or not (heat := self.heatmap(state, True)):
            return {}
        return {"compare": {"on": True} | heat}

    def rows(self, state) -> list[dict]:
        """Both networks' figures, each history given a point."""
        other = state.second
        first = scores.evaluated(state.network, state.data)
        key = (repr(other["weights"]), repr(other["biases"]), tuple(other["activations"]),
               repr(second.data_of(other, state.data)))
        if self.evaluated[0] != key:
            self.evaluated = key, evaluation.evaluate(second.network_of(other), second.data_of(other, state.data))
        rows = []
        for name, kind, sizes, epoch, result in ((N_("First"), "first", state.network.sizes, state.epoch, first),
                                                 (N_("Second"), "second", other["sizes"], other["epoch"],
                                                  self.evaluated[1])):
            history = self.histories[kind]
            curve.record(history, epoch, result.training_loss, result.test_loss)
            accuracy = result.test_right / result.test_count if data_settings.dataset_of(state.data).classes \
                and result.test_count else None
            rows.append({"name": name, "kind": kind, "sizes": "-".join(map(str, sizes)),
                         "parameters": parameter_count(sizes), "epoch": epoch, "training_loss": result.training_loss,
                         "test_loss": result.test_loss, "accuracy": accuracy, "reached": reached(history, self.target)})
        return rows

    def heatmap(self, state, training_now: bool) -> dict:
        """The second network's output over the plane, as the first plot's (data.py), when it
        changed; while training at most every HEAT_INTERVAL seconds."""
        other = state.second
        fingerprint = (repr(other["weights"]), repr(other["biases"]), tuple(other["activations"]),
                       repr(second.data_of(other, state.data)))
        cells, now = CELLS[training_now], time.perf_counter()
        drawn_for, drawn_cells, when = self.heat
        if drawn_for == fingerprint and drawn_cells >= cells:
            return {}
        if training_now and now - when < HEAT_INTERVAL:
            return {}
        self.heat = fingerprint, cells, now
        net, data = second.network_of(other), second.data_of(other, state.data)
        classes = data_settings.dataset_of(data).classes
        low, high = evaluation.output_range(net, classes, data_settings.value_range(data))
        return {"heat": {"n": cells, "bytes": evaluation.heatmap(net, data, cells), "low": low, "high": high,
                         "classes": classes if classes > 2 else 0}}


def reached(history: list[tuple], target: float) -> int | None:
    """The first epoch of the history at which the training loss was at most `target`."""
    return next((epoch for epoch, training, _ in history if training <= target), None)


def design(other: dict) -> dict:
    """The second network's controls: its layer sizes, and each layer's activation with its choices."""
    layers = []
    for l, title in enumerate(second.layer_names(other)):
        last = l == len(other["activations"]) - 1
        choices = [[f.key, f.name] for f in ACTIVATIONS.values() if last or not f.output_only]
        layers.append({"title": title, "key": other["activations"][l], "choices": choices})
    return {"sizes": "-".join(map(str, other["sizes"])), "layers": layers}


def message(control: str, error: StateError) -> str:
    why = str(error)
    text = why if getattr(error, "sentence", False) or why[:1].isupper() else f"{_(LABELS[control])} {why}"
    return text if text.endswith((".", "?", "!")) else text + "."


def errors(control: str, text: str) -> Reply:
    return {"compare": {"errors": {control: text}}}


def with_error(reply: Reply, control: str, text: str) -> Reply:
    """`reply`, its compare part also setting a control's message."""
    return reply | {"compare": reply.get("compare", {}) | errors(control, text)["compare"]}


def _short(x: float) -> str:
    return f"{x:g}" if math.isfinite(x) else str(x)
