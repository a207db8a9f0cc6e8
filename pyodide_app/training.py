"""A training run in slices of time, and how it ends. No DOM: the worker calls `run` between
messages, and the page shows what it returns.

Outcomes a slice can have besides "keep going":
    diverged     a weight or bias left ±1e9: the slice is thrown away, the network kept
    last epoch   the epoch counter reached the largest the page counts (1e15)
    stalled      every δ has vanished while the loss has not: saturated activations

On data (state.data), a step is one batch: one update with the mean gradient of its samples
(batch.train_batches); an epoch is one pass over the training points in an order shuffled
from the data seed and the epoch's number, and the state counts epochs, and batches within one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from . import network, second
from .batch import batches_of, epoch_order, train_batches
from .data import settings as data_settings
from .state import LIMITS, State, within_limits
from .translation import N_, _

STALLED_GRADIENT = 1e-10
DIVERGED = (N_("Training diverged: a weight grew past ±1,000,000,000. The network is kept as it was before; lower "
               "the learning rate and try again."))
STALLED = (N_("Training has stalled: the sigmoids are saturated (σ′ ≈ 0), so every gradient vanishes and the weights "
              "barely move. Reset, or lower the weights."))


def last_epoch_message(epoch: int) -> str:
    return _("Training stopped at the last epoch the page counts, %(epoch)s.") % {"epoch": f'{epoch:,}'}


@dataclass
class Slice:
    """What one slice of training left: the new state (None if it must be thrown away), the
    steps taken, a message if the run must stop (`stop`) or is worth a warning, and the
    (epoch, loss) of the epochs asked for on the way."""
    state: State | None
    steps: int
    message: str = ""
    stop: bool = False
    warning: bool = False
    points: list[tuple[int, float]] = field(default_factory=list)


class StepTimer:
    """Seconds per training step, as last measured: batches are sized so the last one ends
    near the deadline instead of overshooting it."""

    def __init__(self):
        self.step_seconds = 5e-5  # a first guess, replaced once steps were timed

    def measured(self, steps: int, seconds: float):
        self.step_seconds = max(seconds / steps, 1e-6)


def one_step(state: State) -> None:
    """One training step, as Step takes it: on data, one batch."""
    if state.data is not None:
        train_on_batches(state, 1)
        return
    network.train(state.network, state.inputs, state.targets, state.learning_rate, 1)
    state.epoch += 1


_EPOCHS: dict[tuple, tuple] = {}


def epoch_batches(data: dict, epoch: int) -> list[list[int]]:
    """The batches of epoch `epoch`, as indices of the points: shuffled once per epoch, not
    once per slice of training."""
    made = data_settings.dataset_of(data)
    key = (id(made), data["seed"], data["batch_size"], epoch)
    found = _EPOCHS.get(key)
    if found is None or found[0] is not made:
        if len(_EPOCHS) > 8:
            _EPOCHS.clear()
        training = made.training_indices
        order = epoch_order(len(training), data["seed"], epoch)
        found = _EPOCHS[key] = (made, batches_of([training[k] for k in order], data["batch_size"]))
    return found[1]


def current_batch(state: State) -> list[int]:
    """The points of the batch the next step takes."""
    return epoch_batches(state.data, state.epoch)[state.data["position"]]


def train_on_batches(state: State, count: int) -> int:
    """The next `count` batches, one update each, in place (never past the last epoch the page
    counts); the state moves on to the batch after them, and shows its point again with its
    targets. Compare's second network takes the same batches, in the same order. Returns the
    batches taken."""
    data, last = state.data, int(LIMITS["epoch"].high)
    made = data_settings.samples_of(data, state.network.activations[-1])
    other = state.second
    if other is not None:
        other_net, other_rate = second.network_of(other), second.learning_rate(state)
        other_made = data_settings.samples_of(second.data_of(other, data), other["activations"][-1])
    taken = 0
    while taken < count and state.epoch < last:
        batches = epoch_batches(data, state.epoch)[data["position"]:][:count - taken]
        train_batches(state.network, made.inputs, made.targets, batches, state.learning_rate)
        if other is not None:
            train_batches(other_net, other_made.inputs, other_made.targets, batches, other_rate)
        taken += len(batches)
        data["position"] += len(batches)
        if data["position"] == data_settings.batch_count(data):
            state.epoch, data["position"] = state.epoch + 1, 0
            if other is not None:
                other["epoch"] = min(other["epoch"] + 1, last)
    state.inputs, state.targets = data_settings.shown_sample(data, state.network.activations[-1])
    return taken


def run(state: State, seconds: float, timer: StepTimer, wanted: Callable[[int], int] | None = None,
        most: int | None = None) -> Slice:
    """As many steps as fit in `seconds` (`most` at most; on data, one batch counts as its
    samples), on a copy of `state`. `wanted(epoch)`: the next epoch after `epoch` whose loss is
    wanted (a point of the loss curve); on data, where an epoch is a pass of many steps, none."""
    s = state.copy()
    last = int(LIMITS["epoch"].high)
    start = time.perf_counter()
    deadline, steps, points = start + seconds, 0, []
    mark = wanted(s.epoch) if wanted and s.data is None else None
    while (left := deadline - time.perf_counter()) > 0 and (most is None or steps < most):
        batch = min(max(1, int(0.8 * left / timer.step_seconds)), last - s.epoch)
        if most is not None:
            batch = min(batch, most - steps)
        if mark is not None:
            batch = min(batch, mark - s.epoch)
        if batch <= 0:
            break
        if s.data is not None:  # the timer counts samples: a batch of 10 takes about ten steps' time
            size = s.data["batch_size"]
            steps += train_on_batches(s, max(1, batch // size)) * size
            continue
        network.train(s.network, s.inputs, s.targets, s.learning_rate, batch)
        s.epoch += batch
        steps += batch
        if s.epoch == mark:
            points.append((s.epoch, network.total_loss(s.network, s.inputs, s.targets)))
            mark = wanted(s.epoch)
    if steps:
        timer.measured(steps, time.perf_counter() - start)
    if not within_limits(s.network) or (s.second is not None and not within_limits(second.network_of(s.second))):
        return Slice(None, 0, _(DIVERGED), stop=True, warning=True)
    if s.epoch >= last:
        return Slice(s, steps, last_epoch_message(s.epoch), stop=True, points=points)
    return Slice(s, steps, points=points)


def stalled(trace: dict) -> bool:
    """Every δ vanished although the loss has not: the gradient cannot move the weights."""
    largest = max(abs(n["delta"]) for layer in trace["layers"][1:] for n in layer["neurons"])
    return largest < STALLED_GRADIENT and trace["loss"]["total"] > 1e-6
