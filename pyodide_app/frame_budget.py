"""How long to train in each animation frame, learned from how the frames arrive.

No DOM here: the page gives it each frame's timestamp and how long its steps took.
"""

from __future__ import annotations


class FrameBudget:
    """Seconds of training per animation frame: as many as still let every frame be drawn.

    The frame interval is the shortest seen between two frames, but never under 1/60 s: 60
    redraws a second are plenty to read numbers by, and on a faster display the time goes to
    training instead. A frame that came late means training plus drawing overran it: the
    budget shrinks by a quarter. Otherwise it grows by a little, up to most of the frame.
    (Additive increase, multiplicative decrease, as TCP finds the bandwidth of a link.)
    """

    START, LEAST, MOST = 0.008, 0.001, 0.85  # seconds, seconds, fraction of the frame
    GROWTH = 0.0002  # seconds per frame drawn on time
    SHORTEST = 1 / 60  # seconds between redraws

    def __init__(self):
        self.interval = float("inf")  # until two frames were seen
        self.step_seconds = 5e-5  # a first guess, replaced once steps were timed
        self.restart()

    def restart(self):
        self.seconds, self.last_frame = self.START, None

    def adapt(self, timestamp: float):
        if self.last_frame is not None:
            interval = timestamp - self.last_frame
            self.interval = min(self.interval, max(interval, self.SHORTEST))
            if interval > 1.5 * self.interval:
                self.seconds = max(self.LEAST, self.seconds * 0.75)
            else:
                self.seconds = min(self.MOST * self.interval, self.seconds + self.GROWTH)
        self.last_frame = timestamp

    def measured(self, steps: int, seconds: float):
        self.step_seconds = max(seconds / steps, 1e-6)
