"""Step, Train (and Pause), Reset: the training controls, and the run between messages.

While training, the worker calls the session's `tick` between messages: a slice of training
(at "fast" speed as many steps as fit in 15 ms; at "normal" speed one step every 60th of a
second, as fast as a class can watch the numbers; at "slow" one step every 0.4 s, shown as
Step shows it), and a batch only once the page has drawn the last one ("drawn"). On data, where
one answer (the trace, the page's numbers, the plot's heatmap) costs as much as many batches,
the run sends the heatmap alone on a beat of DATA_FRAME seconds (more than ten a second, so
the boundary moves smoothly) and the page's numbers with the losses on a beat of PAGE_FRAME
seconds (twice a second: enough for the loss curve, and numbers a class can read), and
the rest of the time trains. On the way, the loss curve gets the points it asks
for. The status line under the controls says how the run is going.
"""

from __future__ import annotations

import time

from .. import training
from ..trace import trace
from .base import Context, Feature, Reply
from ..translation import N_, _

STEP_INTERVALS = {"slow": 0.4, "normal": 1 / 60}  # seconds between steps at these speeds
SLICE_SECONDS = 0.015  # training between two looks at the message queue
DATA_FRAME = 0.095  # seconds between the heatmaps sent while training on data
PAGE_FRAME = 0.5  # and between the page's numbers
RESET = N_("Back to the starting network: every value is the starting one again.")


class Training(Feature):
    messages = ("step", "train", "reset", "drawn", "reveal")

    def __init__(self, context: Context):
        self.ctx = context
        self.message = ("", False)  # the status line as last sent
        self.timer = training.StepTimer()
        self.due = 0.0  # when the next step is due, at a speed with an interval
        self.drawn = True  # the page has drawn the last batch sent while training
        self.heat_due = self.page_due = 0.0  # when the next heatmap, and the next numbers, are due

    def on_step(self) -> Reply:
        reply = self.pause(redraw=False) if self.ctx.training else {}  # the step redraws everything
        return reply | self.ctx.take_step()

    def on_train(self) -> Reply:
        if self.ctx.training:
            return self.pause()
        self.ctx.training, self.drawn, self.due = True, True, time.perf_counter()
        return {"trainButton": _("Pause")} | self.say(_("Training…"))

    def on_reset(self) -> Reply:
        return self.ctx.load(self.ctx.seed.copy(), _(RESET), keep=True) | self.say("")

    def on_drawn(self) -> Reply:
        self.drawn = True
        return {}

    def on_reveal(self) -> Reply:
        """A part came into view (or the page is printed) while training: everything, now."""
        return self.ctx.show(trace(self.ctx.state), everything=True) if self.ctx.training else {}

    def tick(self) -> Reply:
        """One slice of training; a batch only once the page has drawn the last one."""
        if not self.ctx.training:
            return {}
        speed = self.ctx.state.settings["speed"]
        if speed in STEP_INTERVALS:  # on the beat, without drifting; after a pause, from now
            interval = STEP_INTERVALS[speed]
            self.due = max(self.due, time.perf_counter() - interval) + interval
        if speed == "slow":
            return self.ctx.take_step()
        result = training.run(self.ctx.state, SLICE_SECONDS, self.timer, self.ctx.next_point,
                              most=1 if speed == "normal" else None)
        if result.state is not None:
            self.ctx.record_points(result.points)
            self.ctx.advance(result.state)
        if result.stop:
            return self.pause() | self.say(result.message, warning=result.warning)
        if not self.drawn:
            return {}
        now = time.perf_counter()
        if self.ctx.state.data is not None:
            if now < self.heat_due:
                return {}
            self.heat_due = next_beat(self.heat_due, now, DATA_FRAME)
            if now < self.page_due:
                reply = self.ctx.between()
                self.drawn = not reply  # the page says "drawn" only for what it was sent
                return reply
            self.page_due = next_beat(self.page_due, now, PAGE_FRAME)
        t = trace(self.ctx.state)
        self.ctx.record(t)
        self.drawn = False
        stalled = training.stalled(t)
        return self.ctx.show(t) | self.say(_(training.STALLED) if stalled else _("Training…"), warning=stalled)

    def next_tick(self) -> float | None:
        """Seconds until the next step is due: none while training fast."""
        interval = STEP_INTERVALS.get(self.ctx.state.settings["speed"])
        if not self.ctx.training or interval is None:
            return None
        return max(0.0, self.due - time.perf_counter())

    def pause(self, redraw: bool = True) -> Reply:
        """Stop training; unless a redraw follows anyway, bring every part of the page up to date."""
        if not self.ctx.training:
            return {}
        self.ctx.training = False
        t = trace(self.ctx.state)
        self.ctx.record(t)  # slices run while the page was still drawing left no point yet
        reply = self.ctx.show(t) if redraw else {}
        paused = _("Paused at epoch %(epoch)s.") % {"epoch": f"{self.ctx.state.epoch:,}"}
        reply |= {"trainButton": _("Train")} | self.say(paused)
        return reply | self.ctx.save()

    def say(self, message: str, warning: bool = False) -> Reply:
        """The training status line: sent only when it says something new."""
        if (message, warning) == self.message:
            return {}
        self.message = (message, warning)
        return {"training": {"text": message, "warning": warning}}


def next_beat(due: float, now: float, interval: float) -> float:
    """When the next beat is due, one having been due at `due` and taken at `now`: on the beat,
    without drifting, if it was taken less than an interval late; else (the first, or after a
    pause) an interval from now."""
    return due + interval if now - due < interval else now + interval
