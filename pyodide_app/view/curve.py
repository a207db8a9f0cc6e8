"""The loss curve: a bounded history of (epoch, loss), and its SVG geometry. On data, of
(epoch, training loss, test loss): two curves, training solid and test dashed, with a legend.

The history keeps points at log-spaced epochs, counted from its first point: of each of
PER_DECADE slices of a decade, only the latest point to fall in it. So it holds a few hundred
points at most, however long the network trains, and training asks for the loss at the first
epoch of each slice (`next_point`), so no slice of the curve is missing.

The curve keeps its shape over any number of epochs: the epochs on a log scale (log of 1 +
the epochs since the first point), the loss on a linear scale fitted to the losses seen (from
0 once they come near it), or on a log scale when they span a decade or more. Labels are
sized for a phone's font (17 units, 11 CSS px at 390 px wide; style.css), and so never overlap.
"""

from __future__ import annotations

import math

from ..notation.numbers import HIDDEN_TEXT, SUPERSCRIPTS, localized
from ..translation import N_, _

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 480, 270, 78, 466, 34, 216
PAD = 6  # between the highest and lowest points and the plot's edges
PER_DECADE = 20  # points kept per decade of epochs
LOG_FROM = 10.0  # the loss axis is logarithmic when the largest loss is this many times the smallest
FROM_ZERO = 0.2  # a linear loss axis starts at 0 when the smallest loss is below this part of the largest
X_SLOTS, Y_SLOTS = 8, 6  # tick labels the page holds
CHARACTER, SMALL, GAP = 9.6, 6.0, 14.0  # a label's width per character (superscripts SMALL) and between labels
LINE = 22.0  # a label's height, with room between two
LEGEND = ((N_("Training"), ""), (N_("Test"), "test"))  # the two curves' names, and the test curve's class
SAMPLE = 24.0  # a legend's stretch of line


def _slice(offset: int) -> int:
    return int(PER_DECADE * math.log10(1 + offset))


def record(history: list[tuple], epoch: int, *losses: float) -> None:
    """(epoch, loss), or on data (epoch, training loss, test loss). Epochs in `history` only
    grow: a lower epoch, or another number of curves, starts the curve again."""
    if history and (epoch < history[-1][0] or len(history[-1]) != 1 + len(losses)):
        history.clear()
    if history and history[-1][0] == epoch:
        history[-1] = (epoch, *losses)
    elif len(history) > 1 and _slice(epoch - history[0][0]) == _slice(history[-1][0] - history[0][0]):
        history[-1] = (epoch, *losses)  # the latest of its slice
    else:
        history.append((epoch, *losses))


def new_point(history: list[tuple], epoch: int) -> bool:
    """Whether a point at `epoch` would be a point of its own, not the latest of its slice again."""
    return not history or (epoch > history[-1][0] and (
        len(history) < 2 or _slice(epoch - history[0][0]) != _slice(history[-1][0] - history[0][0])))


def next_point(history: list[tuple[int, float]], epoch: int) -> int:
    """The first epoch after `epoch` in a slice of its own: the loss there is worth a point."""
    first = history[0][0] if history else epoch
    now = _slice(epoch - first)
    offset = max(epoch - first + 1, math.ceil(10 ** ((now + 1) / PER_DECADE) - 1))
    while _slice(offset) <= now:
        offset += 1
    return first + offset


def geometry(history: list[tuple], loss_hidden: bool = False) -> dict:
    """The plot's frame, the polylines (`points`; on data `test_points` too), the last point, the
    axes' labels: `x_ticks` and `y_ticks` as many as the page has slots for, {"at": coordinate,
    "text": label} ("" unused); on data the legend and `summary`, the curves in words.
    `loss_hidden`: practice hides the loss, so the loss axis's labels read "?"."""
    points = [p for p in history if all(math.isfinite(loss) and loss >= 0 for loss in p[1:])]
    curves = len(points[0]) - 1 if points else 1
    first, last = (points[0][0], points[-1][0]) if points else (0, 0)
    span = math.log10(1 + last - first) or 1.0
    to_x = lambda e: LEFT + (RIGHT - LEFT) * math.log10(1 + e - first) / span  # noqa: E731
    to_y, y_ticks, scale = loss_axis([loss for p in points for loss in p[1:]])
    lines = [[(to_x(p[0]), to_y(p[k])) for p in points] for k in range(1, curves + 1)]
    x_min, x_max = f"{first:,}", f"{last:,}" if last > first else ""
    x_ticks = epoch_ticks(last - first, to_x, x_min, x_max, first)
    polyline = lambda xy: " ".join(f"{x:.1f},{y:.1f}" for x, y in xy) if len(xy) > 1 else ""  # noqa: E731
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": RIGHT, "top": TOP, "bottom": BOTTOM,
            "points": polyline(lines[0]), "test_points": polyline(lines[1]) if curves > 1 else "",
            "now": lines[0][-1] if points else None, "x_min": x_min, "x_max": x_max,
            "x_title": _("Epoch (log scale)"), "y_title": _("Loss (log scale)") if scale == "log" else _("Loss"),
            "x_ticks": slots([(to_x(first + d), text) for d, text in x_ticks], X_SLOTS),
            "y_ticks": slots([(y, HIDDEN_TEXT if loss_hidden else text) for y, text in y_ticks], Y_SLOTS),
            "two": curves > 1, "legend": legend(), "summary": summary(points) if curves > 1 else ""}


def legend() -> list[dict]:
    """Each curve's stretch of line and name, right-aligned above the plot."""
    out, x = [], RIGHT
    for english, kind in reversed(LEGEND):
        name = _(english)
        x -= width(name)
        out.insert(0, {"name": name, "kind": kind, "text_x": round(x, 1), "x1": round(x - 6 - SAMPLE, 1),
                       "x2": round(x - 6, 1)})
        x -= 6 + SAMPLE + GAP
    return [dict(item, y=TOP - 14) for item in out]


def summary(points: list[tuple]) -> str:
    """The two curves in words: where each began and where it is now."""
    if not points:
        return ""
    (e0, train0, test0), (e1, train1, test1) = points[0], points[-1]
    if e1 == e0:
        return (_("At epoch %(e0)s: training loss %(train1)s, test loss %(test1)s.")
                % {"e0": f'{e0:,}', "train1": f'{train1:.6f}', "test1": f'{test1:.6f}'})
    return (_("From epoch %(e0)s to %(e1)s, the training loss (solid) went from %(train0)s to %(train1)s, the test "
              "loss (dashed) from %(test0)s to %(test1)s.")
            % {"e0": f'{e0:,}', "e1": f'{e1:,}', "train0": f'{train0:.6f}', "train1": f'{train1:.6f}',
               "test0": f'{test0:.6f}', "test1": f'{test1:.6f}'})


def slots(ticks: list[tuple[float, str]], count: int) -> list[dict]:
    return [{"at": round(at, 1), "text": text} for at, text in ticks[:count]] + \
        [{"at": 0.0, "text": ""}] * (count - len(ticks))


# ---- the epoch axis -----------------------------------------------------------------------

def epoch_ticks(epochs: int, to_x, x_min: str, x_max: str, first: int) -> list[tuple[int, str]]:
    """(epochs since the first point, label) at powers of ten, every decade or every few, so that
    no label overlaps another or the end labels."""
    decades = [k for k in range(16) if 10 ** k < epochs]
    start, end = LEFT + width(x_min) + GAP, RIGHT - width(x_max) - GAP
    for every in (1, 2, 3, 5, 10):
        ticks = [(10 ** k, epoch_label(k, first)) for k in decades if k % every == 0]
        placed = [(to_x(first + d), width(text)) for d, text in ticks]
        inside = [tick for tick, (x, w) in zip(ticks, placed) if x - w / 2 >= start and x + w / 2 <= end]
        xs = [(to_x(first + d), width(text)) for d, text in inside]
        if all(b - a >= (wa + wb) / 2 + GAP for (a, wa), (b, wb) in zip(xs, xs[1:])) and len(inside) <= X_SLOTS:
            return inside
    return []


def epoch_label(k: int, first: int) -> str:
    """10ᵏ epochs: '1,000' from epoch 0, '+1,000' from a later first point; 10⁶ and up as a power."""
    text = f"{10 ** k:,}" if k < 6 else power(1, k)
    return text if first == 0 else "+" + text


def width(text: str) -> float:
    return sum(SMALL if c in "⁰¹²³⁴⁵⁶⁷⁸⁹⁻,. " else CHARACTER for c in text)


# ---- the loss axis ------------------------------------------------------------------------

def loss_axis(losses: list[float]):
    """(loss → y, [(y, label)] of the ticks, "log" or "linear")."""
    high = max(losses, default=0.0)
    low = min(losses, default=0.0)
    top, bottom = TOP + PAD, BOTTOM - PAD
    if low > 0 and high / low >= LOG_FROM:
        a, b = math.log10(low), math.log10(high)
        to_y = lambda loss: bottom - (bottom - top) * (math.log10(max(loss, low)) - a) / (b - a)  # noqa: E731
        return to_y, [(to_y(v), text) for v, text in log_ticks(low, high, to_y)], "log"
    if high == 0:
        high = 1.0
    if low < FROM_ZERO * high or high - low <= high * 1e-6:
        low = 0.0
    to_y = lambda loss: bottom - (bottom - top) * (loss - low) / (high - low)  # noqa: E731
    return to_y, [(to_y(v), text) for v, text in linear_ticks(low, high)], "linear"


def linear_ticks(low: float, high: float) -> list[tuple[float, str]]:
    """Round values from `low` to `high`, 2 to 5 of them: 0.02, 0.04 … or 0.0572, 0.0574 …"""
    raw = (high - low) / 4
    if not raw > 0:  # below the smallest float: one label
        return [(high, power(*_mantissa(high)))]
    exponent = math.floor(math.log10(raw))
    step = next(m * 10.0 ** exponent for m in (1, 2, 5, 10) if m * 10.0 ** exponent >= raw)
    places = max(0, -math.floor(math.log10(step) + 1e-9))
    first = math.ceil(low / step - 1e-9)
    values = [n * step for n in range(first, math.floor(high / step + 1e-9) + 1)]
    plain = places <= 6 and high >= 1e-3  # decimals while they are few: 0.0572; else 2 × 10⁻⁶
    return [(v, loss_label(v, places) if plain else power(*_mantissa(v)) if v else "0") for v in values]


def log_ticks(low: float, high: float, to_y) -> list[tuple[float, str]]:
    """Powers of ten from `high` down to `low`, every decade or every few (1, 2, 3, 5, 10 … at most
    Y_SLOTS of them), so that the first losses have a label near them; with 2 × and 5 × between
    them where those fit, for a loss that spans few decades."""
    decades = range(math.ceil(math.log10(low) - 1e-9), math.floor(math.log10(high) + 1e-9) + 1)
    every = next(n for n in (1, 2, 3, 5, 10, 20, 50, 100) if len(decades[::-1][::n]) <= Y_SLOTS)
    ticks = [(1, k) for k in sorted(decades[::-1][::every])]
    if len(ticks) < 3:
        between = [(m, k) for k in range(math.floor(math.log10(low)), decades.stop) for m in (1, 2, 5)
                   if low <= m * 10.0 ** k <= high]
        ys = [to_y(m * 10.0 ** k) for m, k in between]
        if len(between) <= Y_SLOTS and all(a - b >= LINE for a, b in zip(ys, ys[1:])):
            ticks = between
    plain = all(k >= -3 for _, k in ticks)  # 0.001 and up read best as decimals; then all as powers
    return [(m * 10.0 ** k, loss_label(m * 10.0 ** k, max(0, -k)) if plain else power(m, k)) for m, k in ticks]


def loss_label(value: float, places: int) -> str:
    """A tick's value in decimals (1,000 and up with separators; 10⁵ and up as a power)."""
    if value == 0:
        return "0"
    return localized(f"{value:,.{places}f}") if abs(value) < 1e5 else power(*_mantissa(value))


def _mantissa(value: float) -> tuple[float, int]:
    """value = m × 10ᵏ, m to 6 significant digits."""
    m, k = f"{value:.5e}".split("e")
    return float(m), int(k)


def power(m: float, k: int) -> str:
    """'10⁻⁵', '2 × 10⁻⁵'."""
    exponent = str(k).translate(SUPERSCRIPTS)
    mantissa = localized(f"{m:g}")
    return f"10{exponent}" if mantissa == "1" else f"{mantissa} × 10{exponent}"


def page_values(g: dict) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The geometry as the page writes it: texts by data-v key, attributes by element id."""
    text = {"curve-x_min": g["x_min"], "curve-x_max": g["x_max"], "curve-y_title": g["y_title"],
            "curve-summary": g["summary"]}
    attrs = {"curve-line": {"points": g["points"]}, "curve-test-line": {"points": g["test_points"]},
             "curve-legend": {"visibility": "visible" if g["two"] else "hidden"}}
    for axis, ticks in (("x", g["x_ticks"]), ("y", g["y_ticks"])):
        for k, tick in enumerate(ticks):
            text[f"curve-{axis}t-{k}"] = tick["text"]
            attrs[f"curve-{axis}t-{k}"] = {"transform": translate(axis, tick["at"]),
                                            "visibility": "visible" if tick["text"] else "hidden"}
    x, y = g["now"] or (LEFT, BOTTOM)
    attrs["curve-now"] = {"cx": f"{x:.1f}", "cy": f"{y:.1f}", "visibility": "visible" if g["now"] else "hidden"}
    return text, attrs


def translate(axis: str, at: float) -> str:
    return f"translate({at:g} 0)" if axis == "x" else f"translate(0 {at:g})"
