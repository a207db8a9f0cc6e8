"""pyodide_app.frame_budget on a simulated display: frames come at vsync, and a frame whose
work (training + drawing) overruns the interval is shown one or more intervals late."""

from __future__ import annotations

import math

import pytest

from pyodide_app.frame_budget import FrameBudget


def run(budget: FrameBudget, hz: float, drawing: float, frames: int, start: float = 0.0,
        stall_at: int | None = None) -> tuple[list[float], list[bool], float]:
    """(budgets used, on time or not, time of the last frame) for `frames` frames."""
    period, now, used, on_time = 1 / hz, start, [], []
    for k in range(frames):
        budget.adapt(now)
        used.append(budget.seconds)
        work = budget.seconds + drawing + (0.1 if k == stall_at else 0.0)
        late = work > period
        on_time.append(not late)
        now += period * max(1, math.ceil(work / period - 1e-9))
    return used, on_time, now


@pytest.mark.parametrize("hz", [30, 50, 60, 120, 144])
def test_training_takes_most_of_each_frame_and_frames_stay_on_time(hz):
    budget, drawing = FrameBudget(), 0.003
    used, on_time, _ = run(budget, hz, drawing, 600)
    assert budget.interval == pytest.approx(max(1 / hz, 1 / 60))  # faster displays: 60 a second
    room = budget.interval - drawing  # what a perfect budget would use
    settled = used[-300:]
    if hz <= 60:  # on a faster display every frame is "late" by its own clock, on time by 60 a second
        late_share = on_time[-300:].count(False) / 300
        assert late_share <= 0.1, f"{late_share:.0%} of frames late"
    assert sum(settled) / len(settled) >= 0.75 * min(room, budget.MOST * budget.interval)
    assert max(settled) <= budget.MOST * budget.interval + 1e-12


def test_a_stall_shrinks_the_budget_and_it_recovers():
    budget = FrameBudget()
    used, _, _ = run(budget, 60, 0.003, 400, stall_at=300)
    assert used[301] == pytest.approx(used[300] * 0.75)  # the stalled frame arrived late
    assert sum(used[-50:]) / 50 >= 0.95 * sum(used[250:300]) / 50  # back to where it was


def test_when_drawing_alone_overruns_a_frame_every_other_frame_is_drawn():
    """Drawing takes 20 ms: 60 a second cannot be had. Frames settle at two intervals, and
    training takes part of the rest, never less than the least budget."""
    budget = FrameBudget()
    used, _, _ = run(budget, 60, 0.020, 400)
    assert budget.interval == pytest.approx(2 / 60)
    assert min(used) >= FrameBudget.LEAST
    assert sum(used[-200:]) / 200 <= 2 / 60 - 0.020 + 1e-9 + FrameBudget.GROWTH * 10


def test_restart_keeps_what_was_learnt_of_the_display_and_the_steps():
    budget = FrameBudget()
    _, _, last = run(budget, 60, 0.003, 100)
    budget.measured(steps=400, seconds=0.012)
    budget.restart()  # a new Train press: the first frame after it is never "late"
    budget.adapt(last + 5.0)
    assert budget.seconds == FrameBudget.START
    assert budget.interval == pytest.approx(1 / 60) and budget.step_seconds == pytest.approx(3e-5)
