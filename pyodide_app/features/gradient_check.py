"""The Gradient check section: open or closed as the reader left it; while open, its numbers
follow every change, and while training at most once a second (a large network takes a good
part of a second: each refresh evaluates the loss twice per parameter).

A gradient the page hides (with the δs, or as a giveaway of an activation) is hidden here
too, and so is its central difference, which is the same number to the decimals shown.

On data it checks what Step uses: the next batch's mean loss against the mean gradient that the
Weight Updates table shows.
"""

from __future__ import annotations

import dataclasses
import time

from .. import gradient_check, training
from ..data import settings as data_settings
from ..notation.numbers import HIDDEN
from ..view import gradient_check as view
from .base import Answer, Context, Feature, Reply
from ..translation import _

REFRESH_WHILE_TRAINING = 1.0  # seconds between two refreshes while training, at least …
SHARE_WHILE_TRAINING = 0.1  # … and so long that refreshing takes at most this share of the time


class GradientCheck(Feature):
    messages = ("check",)

    def __init__(self, context: Context):
        self.ctx = context
        self.open = False
        self.next_refresh = 0.0

    def on_check(self, is_open) -> Reply:
        self.open = bool(is_open)
        return self.refresh(self.ctx.answer()) if self.open else {}

    @property
    def needs_gradients(self) -> bool:
        """It hides the gradients the page hides: the answer's trace must have them."""
        return self.open

    def show(self, answer: Answer) -> Reply:
        if not self.open or (answer.training and time.perf_counter() < self.next_refresh):
            return {}
        return self.refresh(answer)

    def refresh(self, answer: Answer) -> Reply:
        started = time.perf_counter()
        state = self.ctx.state
        try:
            entries = checked(state)
            reply = {"check": view.html([hidden_as_shown(e, answer.shown) for e in entries], answer.shown)}
        except Exception:  # never at the cost of the edit that asked for it
            reply = {"check": f"<p>{_(view.FAILED)}</p>"}
        took = time.perf_counter() - started
        self.next_refresh = started + max(REFRESH_WHILE_TRAINING, took / SHARE_WHILE_TRAINING)
        return reply


def checked(state) -> list[gradient_check.Entry]:
    """The check of the shown sample's loss; on data, of the next batch's mean loss."""
    if state.data is None:
        return gradient_check.check(state.network, state.inputs, state.targets)
    made = data_settings.samples_of(state.data, state.network.activations[-1])
    batch = training.current_batch(state)
    return gradient_check.check_batch(state.network, [made.inputs[k] for k in batch], [made.targets[k] for k in batch])


def hidden_as_shown(entry: gradient_check.Entry, shown: dict) -> gradient_check.Entry:
    """The entry, its gradient and central difference HIDDEN where the page hides the gradient."""
    n = shown["layers"][entry.l]["neurons"][entry.j]
    update = n["bias_update"] if entry.i is None else n["weight_updates"][entry.i]
    if update["gradient"] is not HIDDEN:
        return entry
    return dataclasses.replace(entry, gradient=HIDDEN, central=HIDDEN)
