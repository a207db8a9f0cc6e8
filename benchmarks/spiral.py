"""The Spiral benchmark of `make bench` (TF Playground's set-up): 500 points, test share 50 %,
noise 0, inputs x₁ x₂, 2-8-8-1 tanh, batch 10, learning rate 0.03. The page trains it while it
draws (the numbers, the plot's boundary and the neurons' maps, drawn by the drawing worker); the
same page with one worker (its training worker draws the plot itself, as before the drawing
worker) trains it too; and a bare loop of the same Python trains it with nothing drawn, in the
same browser, the three taking turns.

    python -m benchmarks.spiral     these figures alone, from site/ (make site first)
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


# Before the page loads: no drawing worker, the page's worker draws the plot (draw.js).
ONE_WORKER = "globalThis.pageOneWorker = true;"


def rates(page, one_worker, bare, rounds: int, seconds: float) -> dict:
    """Medians over rounds taken in turns by the page, the page with one worker and the bare
    loop (a slow moment hits all three); the worst round's long tasks and paint."""
    set_up(page)
    set_up(one_worker)
    drawn, alone, plain = [], [], []
    for _ in range(rounds):
        drawn.append(train_round(page, seconds))
        alone.append(train_round(one_worker, seconds))
        plain.append(bare.evaluate("(seconds) => spiralEpochs(seconds)", seconds))
    median = lambda key, runs=drawn: statistics.median(r[key] for r in runs)  # noqa: E731
    return {"epochs": median("epochs"), "bare": statistics.median(plain), "heats": median("heats"),
            "paint": median("paintMs"), "worst paint": max(r["worstPaintMs"] for r in drawn),
            "long tasks": max(r["long tasks"] for r in drawn), "cells": min(r["cells"] for r in drawn),
            "paused cells": min(r["paused cells"] for r in drawn),
            "one worker": median("epochs", alone), "one worker heats": median("heats", alone),
            "one worker long tasks": max(r["long tasks"] for r in alone)}


def rows(f: dict, rounds: int, seconds: float) -> list[tuple[str, str]]:
    return [
        (f"Spiral (2-8-8-1 tanh, batch 10): epochs per second, page drawing (median of {rounds} × {seconds} s)",
         f"{f['epochs']:.1f}"),
        ("the same epochs in a bare loop of the same Python, nothing drawn", f"{f['bare']:.1f}"),
        ("ratio: drawing / bare (target ≥ 0.85)", f"{f['epochs'] / f['bare']:.2f}"),
        ("the page with one worker (it draws the plot itself): epochs per second, ratio to bare; heatmaps a second",
         f"{f['one worker']:.1f}, {f['one worker'] / f['bare']:.2f}; {f['one worker heats']:.1f}"),
        ("heatmaps painted per second while training (target ≥ 10); cells training / paused",
         f"{f['heats']:.1f}; {f['cells']}×{f['cells']} / {f['paused cells']}×{f['paused cells']}"),
        ("long tasks on the main thread while training, worst round (one worker)",
         f"{f['long tasks']} ({f['one worker long tasks']})"),
        ("plot paint per update, mean / worst (target ≤ 4 ms)", f"{f['paint']:.2f} ms / {f['worst paint']:.2f} ms"),
    ]


def main() -> None:
    """The Spiral figures alone, from site/, in headless Chromium."""
    import json
    import shutil
    import tempfile
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    from benchmarks.__main__ import BARE_TRAIN_HTML, BARE_TRAIN_JS, LONG_TASKS, ROUNDS, TRAIN_SECONDS
    from conftest import CHROMIUM_ARGS, SITE, chromium_path, serve
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        shutil.copytree(SITE, site)
        (site / "bare-train.html").write_text(BARE_TRAIN_HTML)
        (site / "bare-train.js").write_text("var BARE_SPIRAL = %s;\n%s" % (json.dumps(BARE_PYTHON), BARE_TRAIN_JS))
        server = serve(site)
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            pages = []
            for script in (LONG_TASKS, LONG_TASKS + ONE_WORKER):
                page = browser.new_page()
                page.add_init_script(script)
                page.goto(base)
                page.wait_for_selector("body[data-state=live]", state="attached", timeout=120_000)
                pages.append(page)
            bare = browser.new_page()
            bare.goto(base + "bare-train.html")
            bare.wait_for_selector("body[data-state=live]", state="attached", timeout=120_000)
            figures = rates(*pages, bare, ROUNDS, TRAIN_SECONDS)
            browser.close()
        server.shutdown()
    for name, value in rows(figures, ROUNDS, TRAIN_SECONDS):
        print(f"{name:<100} {value}")


if __name__ == "__main__":
    main()
