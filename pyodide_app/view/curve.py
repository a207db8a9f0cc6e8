"""The loss curve: a bounded history of (epoch, loss) and its SVG geometry."""

from __future__ import annotations

from ..notation.numbers import HIDDEN, number

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 200, 64, 624, 12, 172
MAX_POINTS = 240  # beyond this, every other point is dropped: memory stays bounded


def record(history: list[tuple[int, float]], epoch: int, loss: float) -> None:
    """Epochs in `history` only grow: a lower epoch starts the curve again."""
    if history and epoch < history[-1][0]:
        history.clear()
    if history and history[-1][0] == epoch:
        history[-1] = (epoch, loss)
    else:
        history.append((epoch, loss))
    if len(history) > MAX_POINTS:
        del history[1:-1:2]


def geometry(history: list[tuple[int, float]], top_hidden: bool = False) -> dict:
    """Axes and the polyline; y runs from 0 to the largest loss seen, x over all epochs.
    `top_hidden`: the loss is hidden, and so is the top label (the largest loss, often this one)."""
    x_min, x_max = (history[0][0], history[-1][0]) if history else (0, 0)  # epochs only grow
    x_max = x_max or 1
    y_max = max((loss for _, loss in history), default=0) or 1
    x_scale = (RIGHT - LEFT) / ((x_max - x_min) or 1)
    y_scale = (BOTTOM - TOP) / y_max
    points = " ".join([f"{LEFT + x_scale * (e - x_min):.1f},{BOTTOM - y_scale * loss:.1f}" for e, loss in history])
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": RIGHT, "top": TOP, "bottom": BOTTOM,
            "points": points if len(history) > 1 else "",
            "x_min": f"{x_min:,}", "x_max": f"{x_max:,}", "y_max": number(HIDDEN if top_hidden else y_max, "precise")}
