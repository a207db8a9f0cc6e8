"""pyodide_app.view.curve: the loss history and the polyline drawn from it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pyodide_app.view import curve


def points(history):
    text = curve.geometry(history)["points"]
    return [tuple(map(float, p.split(","))) for p in text.split()]


def test_the_same_epoch_replaces_its_point_and_a_lower_one_starts_again():
    history = []
    curve.record(history, 0, 0.5)
    curve.record(history, 0, 0.4)  # a weight edited before any step
    assert history == [(0, 0.4)]
    curve.record(history, 10, 0.3)
    curve.record(history, 3, 0.6)  # a network with fewer epochs was loaded
    assert history == [(3, 0.6)]


@given(st.lists(st.floats(0, 10, allow_nan=False), min_size=1, max_size=2000))
def test_the_history_stays_bounded_and_keeps_its_ends(losses):
    history = []
    for epoch, loss in enumerate(losses):
        curve.record(history, epoch * 7, loss)
        assert len(history) <= curve.MAX_POINTS
    assert history[0] == (0, losses[0]) and history[-1] == ((len(losses) - 1) * 7, losses[-1])
    assert [e for e, _ in history] == sorted({e for e, _ in history})


def test_the_line_spans_the_plot():
    history = [(100, 0.2), (150, 0.5), (300, 0.0)]
    (x0, y0), (x1, y1), (x2, y2) = points(history)
    assert (x0, x2) == (curve.LEFT, curve.RIGHT)
    assert x1 == curve.LEFT + (curve.RIGHT - curve.LEFT) * 50 / 200
    assert y1 == curve.TOP and y2 == curve.BOTTOM  # the largest loss at the top, 0 at the axis
    assert y0 == curve.BOTTOM - (curve.BOTTOM - curve.TOP) * 0.2 / 0.5
    g = curve.geometry(history)
    assert (g["x_min"], g["x_max"]) == ("100", "300")


def test_one_point_draws_no_line_and_zero_loss_does_not_divide_by_zero():
    assert curve.geometry([(0, 0.3)])["points"] == ""
    assert curve.geometry([])["points"] == ""
    assert all(y == curve.BOTTOM for _, y in points([(0, 0.0), (1, 0.0)]))
