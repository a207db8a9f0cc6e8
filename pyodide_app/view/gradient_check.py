"""The page's "Gradient check" section: a table of every weight's and bias's backpropagated
gradient beside its central difference (pyodide_app/gradient_check.py), and a verdict.

The table is drawn from site_src/templates/gradient_check.html in the worker, and only while
the section is open: each refresh evaluates the loss twice per parameter.
"""

from __future__ import annotations

import time

from .. import gradient_check
from ..trace import trace
from ..notation import names
from . import render
from ..notation.numbers import number, relative, scientific

REFRESH_WHILE_TRAINING = 1.0  # seconds between two refreshes while training, at least …
SHARE_WHILE_TRAINING = 0.1  # … and so long that refreshing takes at most this share of the time
FAILED = "The check could not be worked out for these numbers; every other number on the page stands."


def verdict(entries: list[gradient_check.Entry], layer_count: int) -> str:
    worst = gradient_check.largest(entries)
    text = f"Largest relative difference {relative(worst.relative)}"
    if worst.relative <= gradient_check.AGREES:
        return f"{text}: backpropagation agrees with the definition of the derivative."
    return (f"{text} ({parameter(worst, layer_count)}): backpropagation and the central difference disagree. "
            "Where a ReLU's sum lies within h of 0, the central difference straddles its kink and is not the slope.")


def parameter(entry: gradient_check.Entry, layer_count: int) -> str:
    return names.bias(entry.l, entry.j, layer_count) if entry.i is None else \
        names.weight(entry.l, entry.j, entry.i, layer_count)


def html(entries: list[gradient_check.Entry], t: dict) -> str:
    count = len(t["layers"])
    layers = [{"title": names.layer_title(l, count), "rows": []} for l in range(1, count)]
    for e in entries:
        layers[e.l - 1]["rows"].append({
            "name": parameter(e, count), "bias": e.i is None, "gradient": number(e.gradient, "precise"),
            "central": number(e.central, "precise"), "relative": relative(e.relative)})
    template = render.environment().get_template("gradient_check.html")
    return render.collapse_whitespace(template.render(
        layers=layers, h=scientific(gradient_check.H, 0), floor=scientific(gradient_check.FLOOR, 0),
        loss=number(t["loss"]["total"], "precise"),
        verdict=verdict(entries, count))).strip()


class GradientCheckSection:
    """Open or closed as the reader left it; while open, its numbers follow every change, and
    while training at most once a second (a large network takes a good part of a second)."""

    def __init__(self, session):
        self.session = session
        self.open = False
        self.next_refresh = 0.0

    def on_toggle(self, is_open) -> dict:
        self.open = bool(is_open)
        return self.refresh(trace(self.session.state)) if self.open else {}

    @property
    def shows_gradients(self) -> bool:
        """Its show() writes δs and gradients (the trace must have them)."""
        return self.open

    def show(self, t: dict, session) -> dict:
        if not self.open or (session.training and time.perf_counter() < self.next_refresh):
            return {}
        return self.refresh(t)

    def refresh(self, t: dict) -> dict:
        started = time.perf_counter()
        state = self.session.state
        try:
            reply = {"check": html(gradient_check.check(state.network, state.inputs, state.targets), t)}
        except Exception:  # never at the cost of the edit that asked for it
            reply = {"check": f"<p>{FAILED}</p>"}
        took = time.perf_counter() - started
        self.next_refresh = started + max(REFRESH_WHILE_TRAINING, took / SHARE_WHILE_TRAINING)
        return reply
