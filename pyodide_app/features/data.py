"""The Data panel and the plot: learning from a dataset of the plane instead of one sample.

Choosing a dataset makes the input layer the inputs ticked and the output layer what the data
needs (redesign.with_data); the hidden layers stay. From then on the page's inputs and targets
are the shown point's, so every card shows that point's forward pass and δs, while Step and
Train take batches (training.py) and the updates are the batch's mean (trace.py). "One sample"
is the page as it starts.

Its part of an answer: the panel's values ("dataPanel") and the plot ("plot"): the points
when the dataset changed, the network's output over the plane as bytes (60 × 60 cells while
training, at most ten times a second; 100 × 100 otherwise) and every neuron's map from the
same pass (20 × 20 cells), the losses and how many points are
classified right, the shown point and its batch. The page paints; it never evaluates the network.
"""

from __future__ import annotations

import time

from .. import redesign, training
from ..data import evaluation, scores
from ..data import settings as data_settings
from ..data import own_data
from ..data.generators import GENERATORS
from ..notation.numbers import localized
from ..data.own_data import OWN, is_own
from ..data.inputs import ALWAYS, FEATURES
from ..limits import Limit, StateError
from ..state import parse_number
from ..view.status import readout
from .base import Context, Feature, Reply, data_problem
from ..translation import N_, _

# the heatmap's cells a side: an odd number of them to each cell of the neurons' maps (data/maps.py)
TRAINING_CELLS, PAUSED_CELLS = 60, 100
TRAINING_INTERVAL = 0.05  # seconds at least between heatmaps while training (features/training.py sets the beat)
DRAW_INTERVAL = 0.09  # and between the drawing worker's pictures: ten a second or more
NUMBERS = ("points", "noise", "test_share", "seed", "batch_size")
ONE_SAMPLE = N_("Back to one sample: the starting network, its inputs and targets.")
ASK_FOR_FILE = (N_("Import a CSV file, drop one on the plot or this panel, or paste its text: a header row, then "
                   "rows of numbers, the target last."))


class Data(Feature):
    messages = ("dataset", "dataSetting", "dataInputs", "shown", "shownStep")

    def __init__(self, context: Context):
        self.ctx = context
        self.panel_sent = None  # the panel's values as last sent
        self.points_sent = None  # the dataset whose points the page has
        self.evaluated = None  # (the network it was for, Evaluation, heatmap, cells a side, when)
        self.data_drawn = None  # the data the drawing worker has (drawing.py)
        self.draw_asked = 0.0  # when it was last asked to draw
        self.inputs_drawn = None

    # ---- messages ---------------------------------------------------------------------------------

    def on_dataset(self, key: str) -> Reply:
        if not key:
            return self.ctx.load(self.ctx.seed.copy(), _(ONE_SAMPLE)) if self.ctx.state.data else {}
        if key == OWN:  # its points come from a file (features/own_data.py)
            return {} if is_own(self.ctx.state.data) else {"dataPanel": {"own": {"text": _(ASK_FOR_FILE), "open": True}}}
        if key not in GENERATORS:
            return self.problem("dataset", _("is not one of the datasets"))
        return self.apply("dataset", data_settings.new(key, self.ctx.state.data))

    def on_data_setting(self, name: str, text: str) -> Reply:
        data = self.ctx.state.data
        if name not in NUMBERS or data is None or name not in data:
            return {}
        try:
            if name == "batch_size" and str(text).strip().lower() == "all":
                value = len(data_settings.dataset_of(data).training_indices)
            else:
                value = parse_number(text, f"data.{name}", {f"data.{name}": data_settings.LIMITS.get(name, ANY)})
        except StateError as error:
            return self.problem(name, str(error))
        return self.apply(name, {**data, name: int(value), "shown": 0 if name != "batch_size" else data["shown"],
                                 "position": 0})

    def on_data_inputs(self, keys: list) -> Reply:
        data = self.ctx.state.data
        if data is None or is_own(data) or not isinstance(keys, list):
            return {}
        chosen = list(ALWAYS) + [key for key in FEATURES if key in keys and key not in ALWAYS]
        return self.apply("inputs", {**data, "inputs": chosen})

    def on_shown(self, text: str) -> Reply:
        """A point's number (1 …) typed, or the point clicked or tapped."""
        data = self.ctx.state.data
        if data is None:
            return {}
        try:
            number = parse_number(str(text), "data.shown", {"data.shown": ANY})
        except StateError as error:
            return self.problem("shown", str(error))
        count = data_settings.point_count(data)
        if number != int(number) or not 1 <= number <= count:
            return self.problem("shown", _("must be a whole number from 1 to %(count)s") % {"count": count})
        return self.show_point(int(number) - 1)

    def on_shown_step(self, amount: int) -> Reply:
        """← →: the point before or after the shown one in the next batch (its first, if the
        shown point is not in it)."""
        state = self.ctx.state
        if state.data is None:
            return {}
        batch = training.current_batch(state)
        shown = state.data["shown"]
        at = (batch.index(shown) + (1 if amount > 0 else -1)) % len(batch) if shown in batch else 0
        return self.show_point(batch[at])

    # ---- changes ----------------------------------------------------------------------------------

    def show_point(self, k: int) -> Reply:
        def mutate(state):
            state.data["shown"] = k
            state.inputs, state.targets = data_settings.shown_sample(state.data, state.network.activations[-1])
        return {"dataPanel": {"errors": {"shown": ""}}} | self.ctx.change(mutate)

    def apply(self, control: str, data: dict) -> Reply:
        return self.ctx.learn_from(control, data)

    def problem(self, control: str, message: str) -> Reply:
        return data_problem(control, message)

    # ---- the answer -------------------------------------------------------------------------------

    def show(self, answer) -> Reply:
        state = self.ctx.state
        data = state.data
        reply: Reply = {}
        panel = panel_values(data)
        if panel != self.panel_sent or answer.redrawn:
            self.panel_sent = panel
            reply["dataPanel"] = {"on": data is not None, "values": panel}
        if data is None:
            if self.points_sent is not None:
                self.points_sent = self.evaluated = None
                reply["plot"] = {"on": False}
            return reply
        plot = {"on": True, "shown": data["shown"], "batch": training.current_batch(state)}
        dataset = data_settings.points_key(data)
        if dataset != self.points_sent or answer.redrawn:
            self.points_sent = dataset
            plot["points"] = points(data)
        plot |= self.evaluation(state, answer.training)
        return reply | {"plot": plot}

    def between(self) -> Reply:
        """While training, between the page's answers: the heatmap alone, when it is due (the
        losses follow with the page's numbers)."""
        state = self.ctx.state
        if self.ctx.drawing_elsewhere or state.data is None or not (plot := self.evaluation(state, True, losses=False)):
            return {}
        return {"plot": {"on": True, "shown": state.data["shown"], "batch": training.current_batch(state)} | plot}

    def evaluation(self, state, training_now: bool, losses: bool = True) -> dict:
        """The heatmap and (`losses`) the summary, computed again only when the network changed
        (at most ten times a second while training), or for the finer grid once training stops."""
        net = state.network
        fingerprint = (repr(net.weights), repr(net.biases), tuple(net.activations), net.loss, tuple(state.data["inputs"]),
                       self.points_sent)
        now = time.perf_counter()
        cells = TRAINING_CELLS if training_now else PAUSED_CELLS
        last = self.evaluated
        if last and last[0] == fingerprint and last[3] >= cells:
            return {}
        if training_now and self.ctx.drawing_elsewhere:  # the drawing worker paints the plot
            out = {}
        elif last and training_now and now - last[4] < TRAINING_INTERVAL:
            return {}
        else:
            out = evaluation.picture(net, state.data, cells)
            self.evaluated = (fingerprint, None, out["heat"], cells, now)
        if not losses:
            return out
        result = scores.evaluated(net, state.data)
        if out:
            self.evaluated = (fingerprint, result, out["heat"], cells, now)
        out |= {"summary": summary(state, result), "readout": readout(state, result)}
        if not training_now:
            out["outputs"] = [round(x, 4) for x in result.outputs]
            out["predicted"] = result.predicted
        return out

    def drawing(self) -> dict | None:
        """For the drawing worker, at most every DRAW_INTERVAL: the networks to draw (the first,
        and a second if the state has one), and the data when it changed."""
        state, now = self.ctx.state, time.perf_counter()
        if state.data is None or now - self.draw_asked < DRAW_INTERVAL:
            return None
        self.draw_asked = now
        net = state.network
        networks = [{"weights": net.weights, "biases": net.biases, "activations": net.activations, "loss": net.loss}]
        second = getattr(state, "second", None)
        if second:
            networks.append({key: second[key] for key in ("weights", "biases", "activations", "loss", "inputs")
                             if key in second})
        request = {"networks": networks, "cells": TRAINING_CELLS}
        if data_settings.points_key(state.data) != self.data_drawn or state.data["inputs"] != self.inputs_drawn:
            self.data_drawn, self.inputs_drawn = data_settings.points_key(state.data), state.data["inputs"]
            request["data"] = state.data
        return request


ANY = Limit(-1e15, 1e15)  # any number: the message says the range itself
CLASS_COLOURS = (N_("orange"), N_("blue"), N_("green"), N_("purple"), N_("red"), N_("cyan"), N_("olive"),
                 N_("grey"))  # plot.js paints them; named translated


def panel_values(data: dict | None) -> dict:
    """The Data panel's controls as they should read."""
    if data is None:
        return {"dataset": ""}
    return {"dataset": data["dataset"], **{name: str(data[name]) for name in NUMBERS if name in data},
            "shown": str(data["shown"] + 1), "inputs": data["inputs"]}


def points(data: dict) -> dict:
    d = data_settings.dataset_of(data)
    out = {"x": [round(x, 4) for x, _ in d.points], "y": [round(y, 4) for _, y in d.points],
           "label": [round(label, 4) for label in d.labels], "test": [1 if t else 0 for t in d.test],
           "classes": d.classes, "name": data_settings.name_of(data)}
    return out | (own_data.table_values(data) if is_own(data) else {})


def share(right: int, count: int) -> str:
    return f"{right:,} of {count:,} ({100 * right / count:.1f} %)" if count else "none"


def summary(state, result) -> str:
    """The plot in words: what its points are, how many are classified right, the losses."""
    data, d = state.data, data_settings.dataset_of(state.data)
    name = data_settings.name_of(data)
    text = (_("%(name)s: %(count)s points, %(training_count)s for training (filled) and %(test_count)s for testing "
              "(outlined). ")
            % {"name": name, "count": f'{len(d.points):,}', "training_count": f'{result.training_count:,}',
               "test_count": f'{result.test_count:,}'})
    if is_own(data):
        text += own_data.axes_text(data) + " "
    if d.classes == 2:
        text += (_("Class 0: orange circles, class 1: blue squares; behind them the network's output, orange where "
                   "it gives class 0, blue where it gives class 1. "))
    elif d.classes:
        colours = ", ".join(_("class %(number)d %(colour)s") % {"number": k, "colour": _(colour)}
                            for k, colour in enumerate(CLASS_COLOURS[:d.classes]))
        text += (_("By colour: %(colours)s; even classes circles, odd classes squares; behind them, the class the "
                   "network gives each place. ")
                 % {"colours": colours})
    if d.classes:
        text += (_("Classified right: %(share)s of the training points, %(share2)s of the test points. ")
                 % {"share": share(result.training_right, result.training_count),
                    "share2": share(result.test_right, result.test_count)})
    else:
        low, high = (localized(f"{x:.4g}") for x in data_settings.value_range(data))
        text += (_("Each point is coloured by its value, from orange (%(low)s) to blue (%(high)s), and so is the "
                   "network's output behind. ")
                 % {"low": low, "high": high})
    return text + (_("Training loss %(training_loss)s, test loss %(test_loss)s. Shown: point %(number)s.")
                   % {"training_loss": localized(f'{result.training_loss:.6f}'), "test_loss": localized(f'{result.test_loss:.6f}'),
                      "number": data['shown'] + 1})
