"""A training run in slices of time, and how it ends. No DOM: the worker calls `run` between
messages, and the page shows what it returns.

Outcomes a slice can have besides "keep going":
    diverged     a weight or bias left ±1e9: the slice is thrown away, the network kept
    last epoch   the epoch counter reached the largest the page counts (1e15)
    stalled      every δ has vanished while the loss has not: saturated activations
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from . import network
from .state import LIMITS, State, within_limits

STALLED_GRADIENT = 1e-10
DIVERGED = ("Training diverged: a weight grew past ±1,000,000,000. The network is kept as it was before; "
            "lower the learning rate and try again.")
STALLED = ("Training has stalled: the sigmoids are saturated (σ′ ≈ 0), so every gradient vanishes and the "
           "weights barely move. Reset, or lower the weights.")


def last_epoch_message(epoch: int) -> str:
    return f"Training stopped at the last epoch the page counts, {epoch:,}."


@dataclass
class Slice:
    """What one slice of training left: the new state (None if it must be thrown away), the
    steps taken, and a message if the run must stop (`stop`) or is worth a warning."""
    state: State | None
    steps: int
    message: str = ""
    stop: bool = False
    warning: bool = False


class StepTimer:
    """Seconds per training step, as last measured: batches are sized so the last one ends
    near the deadline instead of overshooting it."""

    def __init__(self):
        self.step_seconds = 5e-5  # a first guess, replaced once steps were timed

    def measured(self, steps: int, seconds: float):
        self.step_seconds = max(seconds / steps, 1e-6)


def one_step(state: State) -> None:
    """One training step, as Step takes it."""
    network.train(state.network, state.inputs, state.targets, state.learning_rate, 1)
    state.epoch += 1


def run(state: State, seconds: float, timer: StepTimer) -> Slice:
    """As many steps as fit in `seconds`, on a copy of `state`."""
    s = state.copy()
    last = int(LIMITS["epoch"].high)
    start = time.perf_counter()
    deadline, steps = start + seconds, 0
    while (left := deadline - time.perf_counter()) > 0:
        batch = min(max(1, int(0.8 * left / timer.step_seconds)), last - s.epoch)
        if batch <= 0:
            break
        network.train(s.network, s.inputs, s.targets, s.learning_rate, batch)
        s.epoch += batch
        steps += batch
    if steps:
        timer.measured(steps, time.perf_counter() - start)
    if not within_limits(s.network):
        return Slice(None, 0, DIVERGED, stop=True, warning=True)
    if s.epoch >= last:
        return Slice(s, steps, last_epoch_message(s.epoch), stop=True)
    return Slice(s, steps)


def stalled(trace: dict) -> bool:
    """Every δ vanished although the loss has not: the gradient cannot move the weights."""
    largest = max(abs(n["delta"]) for layer in trace["layers"][1:] for n in layer["neurons"])
    return largest < STALLED_GRADIENT and trace["loss"]["total"] > 1e-6
