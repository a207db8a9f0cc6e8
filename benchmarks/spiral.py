"""The Spiral benchmark of `make bench` (TF Playground's set-up): 500 points, test share 50 %,
noise 0, inputs x₁ x₂, 2-8-8-1 tanh, batch 10, learning rate 0.03. The page trains it while it
draws (the numbers, the plot's heatmap); a bare loop of the same Python trains it with nothing
drawn, in the same browser, the two taking turns.
"""

from __future__ import annotations

import statistics

SETTINGS = {"dataset": "spiral", "sizes": "2-8-8-1", "activation": "tanh", "learning_rate": "0.03"}

# The page's own messages, as its controls send them.
SET_UP_JS = """async (s) => {
    const send = async (kind, fields) => { pageEvents.send(kind, fields); await pageEvents.settled(); };
    await send("dataset", { key: s.dataset });
    await send("sizes", { text: s.sizes });
    for (const layer of [0, 1, 2]) await send("activation", { layer, key: s.activation });
    await send("field", { field: "learning_rate", text: s.learning_rate });
}"""

# The same state made by the same Python, trained batch after batch with nothing drawn.
BARE_PYTHON = """
import time
from pyodide_app import redesign, training
from pyodide_app.data import settings as data_settings
from pyodide_app.state import load_seed

def spiral_epochs_per_second(seconds):
    s = redesign.with_data(load_seed(), data_settings.new("{dataset}"))
    s = redesign.with_sizes(s, "{sizes}")
    for layer in range(3):
        s = redesign.with_activation(s, layer, "{activation}")
    s.learning_rate = {learning_rate}
    start, first = time.perf_counter(), s.epoch
    while time.perf_counter() - start < seconds:
        training.train_on_batches(s, 25)
    return (s.epoch - first) / (time.perf_counter() - start)
""".format(**SETTINGS)

# Epochs (from the readout), heatmaps painted and what painting cost, over `seconds` of training.
TRAIN_JS = """async (seconds) => {
    const epoch = () => Number((document.getElementById("data-readout").textContent.match(/Epoch ([0-9,]+)/)
                                || [0, "0"])[1].replace(/,/g, ""));
    const plot = pagePlot.state;
    // from one change of the readout's epoch to another: the page shows it twice a second
    const changed = async () => { const from = epoch(); while (epoch() === from) await new Promise(requestAnimationFrame); };
    await new Promise((resolve) => setTimeout(resolve, 500)); // under way
    await changed();
    const first = epoch(), heats = plot.heatPaints, paints = plot.paints, paintMs = plot.paintMs;
    plot.worstPaintMs = 0;
    const cells = new Set();
    const start = performance.now();
    while (performance.now() - start < seconds * 1000) {
        await new Promise(requestAnimationFrame);
        if (plot.heat) cells.add(plot.heat.n);
    }
    await changed();
    const elapsed = (performance.now() - start) / 1000;
    return { epochs: (epoch() - first) / elapsed, heats: (plot.heatPaints - heats) / elapsed,
             paintMs: (plot.paintMs - paintMs) / Math.max(1, plot.paints - paints), worstPaintMs: plot.worstPaintMs,
             cells: Math.min(...cells) };
}"""


def set_up(page) -> None:
    page.evaluate(SET_UP_JS, SETTINGS)
    page.get_by_label("Speed", exact=True).select_option(label="Fast")


def train_round(page, seconds: float) -> dict:
    page.evaluate("window.__longTasks = []")
    page.get_by_role("button", name="Train").click()
    figures = page.evaluate(TRAIN_JS, seconds)
    figures["long tasks"] = len(page.evaluate("window.__longTasks"))
    page.get_by_role("button", name="Pause").click()
    page.evaluate("() => pageEvents.settled()")
    figures["paused cells"] = page.evaluate("() => pagePlot.state.heat.n")
    return figures


def rates(page, bare, rounds: int, seconds: float) -> dict:
    """Medians over rounds taken in turns with the bare loop (a slow moment hits both); the
    worst round's long tasks and paint."""
    set_up(page)
    drawn, plain = [], []
    for _ in range(rounds):
        drawn.append(train_round(page, seconds))
        plain.append(bare.evaluate("(seconds) => spiralEpochs(seconds)", seconds))
    median = lambda key: statistics.median(r[key] for r in drawn)  # noqa: E731
    return {"epochs": median("epochs"), "bare": statistics.median(plain), "heats": median("heats"),
            "paint": median("paintMs"), "worst paint": max(r["worstPaintMs"] for r in drawn),
            "long tasks": max(r["long tasks"] for r in drawn), "cells": min(r["cells"] for r in drawn),
            "paused cells": min(r["paused cells"] for r in drawn)}


def rows(f: dict, rounds: int, seconds: float) -> list[tuple[str, str]]:
    return [
        (f"Spiral (2-8-8-1 tanh, batch 10): epochs per second, page drawing (median of {rounds} × {seconds} s)",
         f"{f['epochs']:.1f}"),
        ("the same epochs in a bare loop of the same Python, nothing drawn", f"{f['bare']:.1f}"),
        ("ratio: drawing / bare (target ≥ 0.85)", f"{f['epochs'] / f['bare']:.2f}"),
        ("heatmaps painted per second while training (target ≥ 10); cells training / paused",
         f"{f['heats']:.1f}; {f['cells']}×{f['cells']} / {f['paused cells']}×{f['paused cells']}"),
        ("long tasks on the main thread while training, worst round", f"{f['long tasks']}"),
        ("plot paint per update, mean / worst (target ≤ 4 ms)", f"{f['paint']:.2f} ms / {f['worst paint']:.2f} ms"),
    ]
