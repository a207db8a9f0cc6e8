"""pyodide_app.view.curve: the loss history and the plot drawn from it, over any number of epochs.

The expected values are computed here from the definitions (a slice is a twentieth of a decade
of epochs counted from the first point; the axes are log10(1 + epochs) and the loss, linear or
log10), by brute force where that is possible, never read back from the module."""

from __future__ import annotations

import math
import re
import time

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import oracle
from pyodide_app.session import Session
from pyodide_app.view import curve

PLOT_HEIGHT = curve.BOTTOM - curve.TOP
SUPERSCRIPT_DIGITS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def twentieth(offset: int) -> int:
    """The slice of a decade an epoch falls in, `offset` epochs after the curve's first point."""
    return math.floor(20 * math.log10(1 + offset))


def points(history):
    text = curve.geometry(history)["points"]
    return [tuple(map(float, p.split(","))) for p in text.split()]


def label_value(text: str) -> float:
    """'0.02' → 0.02, '1,000' → 1000, '10⁻⁵' → 1e-5, '2 × 10⁻⁵' → 2e-5."""
    text = text.replace(",", "").replace("−", "-")
    match = re.fullmatch(r"(?:([\d.]+) × )?10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)", text)
    if match:
        return float(match.group(1) or 1) * 10.0 ** int(match.group(2).translate(SUPERSCRIPT_DIGITS))
    return float(text)


def trained_history(epochs: list[int], loss=lambda e: 0.06 / (1 + e) ** 0.5) -> list:
    """The history training leaves: a point at each frame's epoch (`epochs`), and on the way the
    points the curve asks for (next_point), as a slice of training takes them."""
    history = [(epochs[0], loss(epochs[0]))]
    for previous, now in zip(epochs, epochs[1:]):
        mark = curve.next_point(history, previous)
        while mark < now:
            curve.record(history, mark, loss(mark))
            mark = curve.next_point(history, mark)
        curve.record(history, now, loss(now))
    return history


# ---- the history ----------------------------------------------------------------------------

def test_the_same_epoch_replaces_its_point_and_a_lower_one_starts_again():
    history = []
    curve.record(history, 0, 0.5)
    curve.record(history, 0, 0.4)  # a weight edited before any step
    assert history == [(0, 0.4)]
    curve.record(history, 10, 0.3)
    curve.record(history, 3, 0.6)  # a network with fewer epochs was loaded
    assert history == [(3, 0.6)]


@settings(max_examples=60)
@given(st.integers(0, 10 ** 6), st.lists(st.integers(1, 10 ** 13), min_size=1, max_size=400))
def test_over_any_number_of_epochs_the_history_keeps_one_point_per_slice(first, gaps):
    epochs = [first]
    for gap in gaps:
        epochs.append(min(epochs[-1] + gap, 10 ** 15))
    epochs = sorted(set(epochs))
    history = trained_history(epochs)
    assert history[0][0] == first and history[-1][0] == epochs[-1]  # the start and now
    assert [e for e, _ in history] == sorted({e for e, _ in history})
    slices = [twentieth(e - first) for e, _ in history[1:]]
    assert len(slices) == len(set(slices)), "two points in one slice"
    assert len(history) <= 20 * 15 + 2  # 15 decades of epochs at most


def test_millions_of_epochs_one_at_a_time_leave_a_few_hundred_points_in_every_slice_there_is():
    history = []
    for epoch in range(0, 2_000_001):
        curve.record(history, epoch, 1.0 / (1 + epoch))
    assert len(history) < 20 * 7 + 2
    occupied = {twentieth(d) for d in range(1, 2_000_001)}  # by brute force: the slices some epoch falls in
    assert {twentieth(e) for e, _ in history[1:]} == occupied
    assert history[-1] == (2_000_000, 1.0 / 2_000_001)


@given(st.integers(0, 1000), st.integers(0, 5 * 10 ** 5))
def test_next_point_is_the_first_epoch_of_the_next_slice_with_one(first, offset):
    history = [(first, 0.1)]
    found = curve.next_point(history, first + offset)
    expected = offset + 1
    while twentieth(expected) == twentieth(offset):  # by counting
        expected += 1
    assert found == first + expected


def test_training_frames_of_any_size_leave_every_slice_its_point():
    """A frame every few hundred epochs, as Fast trains: the first steps are on the curve too."""
    epochs = list(range(0, 100_000, 337))
    history = trained_history(epochs)
    occupied = {twentieth(d) for d in range(1, epochs[-1] + 1)}
    assert {twentieth(e) for e, _ in history[1:]} == occupied
    assert [e for e, _ in history[:6]] == [0, 1, 2, 3, 4, 5]


# ---- the plot ---------------------------------------------------------------------------------

def test_epochs_are_on_a_log_scale_from_the_first_point():
    history = [(100, 0.2), (101, 0.19), (110, 0.1), (1099, 0.05)]
    xs = [x for x, _ in points(history)]
    width = curve.RIGHT - curve.LEFT
    assert xs[0] == curve.LEFT and xs[-1] == curve.RIGHT
    for (epoch, _), x in zip(history, xs):
        assert math.isclose(x, curve.LEFT + width * math.log10(1 + epoch - 100) / math.log10(1000), abs_tol=0.051)


def test_a_loss_within_a_decade_is_on_a_linear_scale_fitted_to_it():
    history = [(0, 0.0575), (1, 0.0563), (12, 0.0450)]
    g = curve.geometry(history)
    (_, y0), _, (_, y2) = points(history)
    assert (y0, y2) == (curve.TOP + curve.PAD, curve.BOTTOM - curve.PAD)  # the plot's whole height
    ticks = [(t["at"], label_value(t["text"])) for t in g["y_ticks"] if t["text"]]
    assert len(ticks) >= 2 and all(0.045 <= v <= 0.0575 for _, v in ticks)
    for at, value in ticks:  # each label where its value is
        assert math.isclose(at, y2 + (y0 - y2) * (value - 0.045) / (0.0575 - 0.045), abs_tol=0.051)
    assert g["y_title"] == "Loss"


def test_a_loss_near_0_is_on_a_linear_scale_from_0():
    g = curve.geometry([(0, 0.5), (5, 0.08)])
    ticks = [label_value(t["text"]) for t in g["y_ticks"] if t["text"]]
    assert ticks[0] == 0 and points([(0, 0.5), (5, 0.08)])[1][1] < curve.BOTTOM - curve.PAD


@example([0.0575, 2.989e-30])
@given(st.lists(st.floats(1e-300, 1e9), min_size=2, max_size=40))
def test_a_loss_spanning_decades_is_on_a_log_scale_with_readable_ticks(losses):
    assume(max(losses) / min(losses) >= 10)
    history = list(enumerate(losses))
    g = curve.geometry(history)
    assert g["y_title"] == "Loss (log scale)"
    low, high = math.log10(min(losses)), math.log10(max(losses))
    bottom, top = curve.BOTTOM - curve.PAD, curve.TOP + curve.PAD
    for (_, loss), (_, y) in zip(history, points(history)):
        assert math.isclose(y, bottom - (bottom - top) * (math.log10(loss) - low) / (high - low), abs_tol=0.051)
    ticks = [(t["at"], t["text"]) for t in g["y_ticks"] if t["text"]]
    assert 2 <= len(ticks) <= 6
    for at, text in ticks:
        value = label_value(text)
        assert min(losses) * 0.999 <= value <= max(losses) * 1.001
        assert math.isclose(at, bottom - (bottom - top) * (math.log10(value) - low) / (high - low), abs_tol=0.051)
    ys = sorted(at for at, _ in ticks)
    assert all(b - a >= 20 for a, b in zip(ys, ys[1:])), "labels 17 units high would overlap"


@given(st.lists(st.floats(0, 1e6), min_size=2, max_size=60), st.integers(0, 10 ** 9))
def test_the_points_span_the_plot_and_no_label_is_all_zeros(losses, first):
    assume(max(losses) > 0 and max(losses) - min(losses) > 1e-5 * max(losses))
    history = [(first + k * k, loss) for k, loss in enumerate(losses)]
    xy = points(history)
    xs, ys = [x for x, _ in xy], [y for _, y in xy]
    assert (min(xs), max(xs)) == (curve.LEFT, curve.RIGHT)
    assert curve.TOP <= min(ys) and max(ys) <= curve.BOTTOM
    assert max(ys) - min(ys) >= PLOT_HEIGHT / 2
    g = curve.geometry(history)
    labels = [t["text"] for t in g["y_ticks"] + g["x_ticks"] if t["text"]] + [g["x_min"], g["x_max"]]
    for text in labels:
        assert not re.fullmatch(r"[0.,]*0[0.,]*", text) or label_value(text) == 0, text
        assert label_value(text.lstrip("+")) == label_value(text.lstrip("+"))  # every one reads as a number


@given(st.integers(0, 10 ** 9), st.integers(1, 10 ** 15 - 10 ** 9))
def test_epoch_labels_are_powers_of_ten_that_do_not_overlap(first, epochs):
    g = curve.geometry([(first, 0.5), (first + epochs, 0.1)])
    ticks = [(t["at"], t["text"]) for t in g["x_ticks"] if t["text"]]
    for at, text in ticks:
        d = label_value(text.lstrip("+"))
        assert text.startswith("+") == (first > 0) and math.log10(d) == round(math.log10(d))
        assert math.isclose(at, curve.LEFT + (curve.RIGHT - curve.LEFT) * math.log10(1 + d) / math.log10(1 + epochs),
                            abs_tol=0.051)
    spans = [(curve.LEFT, curve.LEFT + curve.width(g["x_min"]))] + \
        [(at - curve.width(text) / 2, at + curve.width(text) / 2) for at, text in ticks] + \
        [(curve.RIGHT - curve.width(g["x_max"]), curve.RIGHT)]
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:])), spans
    if epochs >= 10 ** 6 and first == 0:
        assert len(ticks) >= 2  # a long run is labelled on the way


def test_one_point_zero_loss_and_hidden_loss():
    assert curve.geometry([(0, 0.3)])["points"] == "" and curve.geometry([(0, 0.3)])["now"] is not None
    assert curve.geometry([])["points"] == ""
    assert all(y == curve.BOTTOM - curve.PAD for _, y in points([(0, 0.0), (1, 0.0)]))
    assert points([(0, 0.3), (1, float("inf")), (2, float("nan")), (3, 0.2)])  # never shown, never fatal
    hidden = curve.geometry([(0, 0.3), (5, 0.1)], loss_hidden=True)
    assert {t["text"] for t in hidden["y_ticks"]} == {"?", ""}


# ---- training at each speed ---------------------------------------------------------------------

def training_session(speed: str) -> Session:
    session = Session()
    session.start("", None)
    session.handle("speed", speed)
    session.handle("train")
    return session


def test_a_fast_slice_puts_its_first_steps_on_the_curve_with_the_oracles_losses():
    session = training_session("fast")
    while session.state.epoch < 300:
        session.tick()
        session.handle("drawn")
    epochs = [e for e, _ in session.history]
    assert epochs[:10] == list(range(10))  # each of the first steps, though a slice ran hundreds
    seed = oracle.seed_data()
    net = oracle.seed_net()
    for epoch, loss in session.history[:40:7]:
        trained = oracle.train(net, seed["inputs"], seed["targets"], seed["learning_rate"], epoch)
        assert oracle.close(loss, oracle.loss_at(trained, seed["inputs"], seed["targets"]))


def test_normal_speed_takes_one_step_a_sixtieth_of_a_second_and_fast_as_many_as_fit():
    session = training_session("normal")
    for k in range(1, 4):
        time.sleep(session.next_tick())  # as the worker waits for it
        session.tick()
        assert session.state.epoch == k
        assert 0 <= session.next_tick() <= 1 / 60
        session.handle("drawn")
    assert [e for e, _ in session.history] == [0, 1, 2, 3]
    fast = training_session("fast")
    fast.tick()
    assert fast.state.epoch > 10 and fast.next_tick() == 0.0
