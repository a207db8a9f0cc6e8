"""The loss curve: a bounded history of (epoch, loss) and its SVG geometry."""

from __future__ import annotations

from .numbers import number

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 200, 64, 624, 12, 172
MAX_POINTS = 240  # beyond this, every other point is dropped: memory stays bounded


def record(history: list[tuple[int, float]], epoch: int, loss: float) -> None:
    if history and history[-1][0] == epoch:
        history[-1] = (epoch, loss)
    else:
        history.append((epoch, loss))
    if len(history) > MAX_POINTS:
        del history[1:-1:2]


def geometry(history: list[tuple[int, float]]) -> dict:
    """Axes and the polyline; y runs from 0 to the largest loss seen, x over all epochs."""
    x_max = max((e for e, _ in history), default=0) or 1
    x_min = min((e for e, _ in history), default=0)
    y_max = max((loss for _, loss in history), default=0) or 1
    span = (x_max - x_min) or 1
    points = " ".join(f"{LEFT + (RIGHT - LEFT) * (e - x_min) / span:.1f},"
                      f"{BOTTOM - (BOTTOM - TOP) * loss / y_max:.1f}" for e, loss in history)
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": RIGHT, "top": TOP, "bottom": BOTTOM,
            "points": points if len(history) > 1 else "",
            "x_min": f"{x_min:,}", "x_max": f"{x_max:,}", "y_max": number(y_max, "precise")}
