"""`make bench`: figures of the live page, measured in one run of headless Chromium, and its
time to live in every engine of $BROWSERS (tests/engines.py) next to Chromium's.

Times are ratios against baselines measured in the same run where a baseline exists;
absolute times depend on the machine. Prints a table; nothing is asserted.
"""

from __future__ import annotations

import bisect
import gzip
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import engines  # noqa: E402
from benchmarks import spiral  # noqa: E402
from conftest import CHROMIUM_ARGS, SINGLE, SITE, chromium_path, selected_engines, serve  # noqa: E402

ROUNDS = 3
CHANGES = 200
FIRST_CHANGES = 50
TRAIN_SECONDS = 5  # per round; the page and the bare loop take turns, ROUNDS times each
# The baseline: Pyodide started the plainest way, on the page's main thread, from the files
# the page uses (pyodide.asm.js is the classic-script copy of pyodide.asm.mjs).
BARE_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>bare</title>
<script src="pyodide/pyodide.js" defer></script><script src="pyodide/pyodide.asm.js" defer></script>
<script src="bare.js" defer></script></head><body data-state="loading"></body></html>"""
LOAD = """loadPyodide({ indexURL: new URL("pyodide/", location.href).href,
                      createPyodideModule: globalThis._createPyodideModule })"""
BARE_JS = LOAD + """.then(function () { performance.mark("boot:live"); document.body.dataset.state = "live"; });"""
# The ceiling for training: the same Python in the same browser, training with nothing drawn.
BARE_TRAIN_HTML = BARE_HTML.replace('<script src="bare.js"', '<script src="app-files.js" defer></script>'
                                    '<script src="bare-train.js"')
BARE_TRAIN_JS = LOAD + """.then(function (py) {
  py.runPython(appFiles.install)(appFiles.bz2, "/home/pyodide", "pyodide_app/worker.py"); // as the worker does
  py.runPython([
    "import time",
    "from pyodide_app import network",
    "from pyodide_app.state import load_seed",
    "def steps_per_second(seconds):",
    "    s, steps = load_seed(), 0",
    "    start = time.perf_counter()",
    "    while time.perf_counter() - start < seconds:",
    "        network.train(s.network, s.inputs, s.targets, s.learning_rate, 100)",
    "        steps += 100",
    "    return steps / (time.perf_counter() - start)"].join("\\n"));
  globalThis.bareTraining = py.globals.get("steps_per_second");
  py.runPython(BARE_SPIRAL);
  globalThis.spiralEpochs = py.globals.get("spiral_epochs_per_second");
  document.body.dataset.state = "live";
});"""


# Long tasks on the page's main thread, from navigation on.
LONG_TASKS = """window.__longTasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
  .observe({ type: "longtask", buffered: true });"""


def blocking(page) -> float:
    """Milliseconds of long-task time beyond 50 ms each (Lighthouse's Total Blocking Time)."""
    return sum(max(0.0, duration - 50) for duration in page.evaluate("window.__longTasks"))


def time_to_live(browser, url: str) -> tuple[float, float]:
    """Seconds from navigation to live (the `boot:live` mark, as the page and the bare baseline
    set it), and the main thread's blocking time meanwhile."""
    page = browser.new_page()
    page.add_init_script(LONG_TASKS)
    page.goto(url)
    page.wait_for_selector("body[data-state=live]", state="attached", timeout=120_000)
    elapsed = page.evaluate("performance.getEntriesByName('boot:live')[0].startTime")
    blocked = blocking(page)
    page.close()
    return elapsed / 1000, blocked


def engine_times(browser, urls: dict[str, str]) -> dict[tuple[str, str], float]:
    """Median seconds from navigation to live (the page's `boot:live` mark) per engine and way
    of opening, each load in a fresh page; engines and ways take turns, ROUNDS times."""
    names = ["chromium"] + [name for name in selected_engines() if name != "chromium"]
    launched = [engines.launch(name, browser) for name in names]
    times: dict[tuple[str, str], list[float]] = {}
    try:
        for _ in range(ROUNDS):
            for name, engine in zip(names, launched):
                for way, url in urls.items():
                    page = engine.new_page()
                    try:
                        page.open(url)
                        if page.wait_state() != "live":
                            raise RuntimeError(f"{name} did not go live from {url}")
                        mark = page.evaluate("performance.getEntriesByName('boot:live')[0].startTime")
                    finally:
                        page.close()
                    times.setdefault((name, way), []).append(mark / 1000)
    finally:
        for engine in launched:
            engine.close()
    return {key: statistics.median(values) for key, values in times.items()}


def engine_rows(times: dict[tuple[str, str], float]) -> list[tuple[str, str]]:
    titles = {"chromium": "Chromium", "firefox": "Firefox", "webkit": "WebKit"}
    rows = []
    for (name, way), seconds in times.items():
        value = f"{seconds:.2f} s"
        if name != "chromium":
            value += f", {seconds / times['chromium', way]:.2f} × Chromium's"
        rows.append((f"time to live in {titles[name]}, {way} (median of {ROUNDS})", value))
    return rows


def p95(samples: list[float]) -> float:
    return sorted(samples)[int(len(samples) * 0.95) - 1]


def input_latency(page, count: int = CHANGES) -> dict[str, float]:
    """Milliseconds from an input event to the page showing Python's answer on screen (p50,
    p95) and to every part written, off-screen ones too (p95), and how long the main thread
    was busy for it (p95): the event's handler plus all the writing. A reader's key comes as a
    task of its own at any moment of a frame, never inside a frame's callbacks: the events are
    sent so, at moments spread over the frame (0 to 16 ms after its start)."""
    samples = page.evaluate("""async (count) => {
        const field = document.getElementById("field-inputs-0");
        const write = pageDom.write;
        let writing = 0, shown = 0;
        pageDom.write = (batch) => {
            const t = performance.now();
            write(batch);
            const done = performance.now();
            writing += done - t;
            if (!shown) shown = done;
        };
        const onScreen = [], everything = [], busy = [];
        for (let k = 0; k < count; k++) {
            field.value = String(0.2 + 0.6 * ((k * 37) % 100) / 100);
            writing = 0;
            shown = 0;
            const start = performance.now();
            field.dispatchEvent(new Event("input", { bubbles: true }));
            const handled = performance.now() - start;
            await pageEvents.settled();
            everything.push(performance.now() - start);
            onScreen.push(shown - start);
            busy.push(handled + writing);
            await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, (k * 7) % 17)));
        }
        pageDom.write = write;
        return [onScreen, everything, busy];
    }""", count)
    on_screen, everything, busy = samples
    return {"p50": statistics.median(on_screen), "p95": p95(on_screen), "all p95": p95(everything),
            "busy p95": p95(busy)}


def main_thread_cpu(browser, page) -> float:
    """p95 milliseconds of CPU the page's thread spends on one input: the event's handler and
    applying Python's answers (parse and write), read from a Chromium trace of the same run as
    `input_latency`. Its wall-clock "busy" also counts time the thread waits: where cores are
    few, the worker a message wakes can take the page's core until Python has answered."""
    trace = timeline(browser, page, input_latency)
    events = sorted((e for e in trace["traceEvents"] if e.get("ph") == "X"), key=lambda e: e["ts"])

    def is_input(event: dict) -> bool:
        return event["name"] == "EventDispatch" and event.get("args", {}).get("data", {}).get("type") == "input"

    thread = next((e["pid"], e["tid"]) for e in events if is_input(e))
    per_input: list[float] = []
    for event in events:
        if (event["pid"], event["tid"]) != thread:
            continue
        if is_input(event):
            per_input.append(0.0)
        if per_input and (is_input(event) or event["name"] == "HandlePostMessage"):
            per_input[-1] += event.get("tdur", event["dur"]) / 1000
    return p95(per_input)


WALK_STEPS = 200


def walk_latency(page) -> tuple[float, float]:
    """Milliseconds from a click on the walk-through's Next (or Previous) to the page showing the
    step: caption, counter, highlight, scrolled (p50, p95). Forth to the last step, which applies
    a training step, and back, over and over; the walk ends afterwards."""
    samples = page.evaluate("""async (count) => {
        pageEvents.send("walk");
        await pageEvents.settled();
        const counter = document.getElementById("walk-counter");
        const out = [];
        let forth = true;
        for (let k = 0; k < count; k++) {
            const [position, total] = counter.textContent.match(/\\d+/g).map(Number);
            if (position === total) forth = false;
            if (position === 1) forth = true;
            const button = document.getElementById(forth ? "walk-next" : "walk-previous");
            const start = performance.now();
            button.click();
            await pageEvents.settled();
            out.push(performance.now() - start);
            await new Promise(requestAnimationFrame);
        }
        pageEvents.send("walkExit");
        await pageEvents.settled();
        return out;
    }""", WALK_STEPS)
    return statistics.median(samples), p95(samples)


def walk_cpu(browser, page) -> tuple[float, float]:
    """p50 / p95 milliseconds of CPU the page's thread spends per walk-through step, from one
    click to the next (the answer applied, styled, laid out, painted, scrolled), read from a
    Chromium trace of a walk as `walk_latency` takes it. Unlike its wall clock, this does not
    count the time other processes take the cores."""
    trace = timeline(browser, page, walk_latency)
    events = sorted((e for e in trace["traceEvents"] if e.get("ph") == "X" and "tdur" in e),
                    key=lambda e: (e["ts"], -e["dur"]))
    clicks = [e for e in events if e["name"] == "EventDispatch" and e["args"].get("data", {}).get("type") == "click"]
    thread = (clicks[0]["pid"], clicks[0]["tid"])
    starts = [click["ts"] for click in clicks]
    per_step, end = [0.0] * len(clicks), 0
    for event in events:  # the thread's outermost events, each counted once, in the step it starts in
        if (event["pid"], event["tid"]) == thread and event["ts"] >= end:
            end = event["ts"] + event["dur"]
            if (step := bisect.bisect_right(starts, event["ts"]) - 1) >= 0:
                per_step[step] += event["tdur"] / 1000
    per_step.pop()  # the last runs on into the walk's end
    return statistics.median(per_step), p95(per_step)


STRUCTURE_CHANGES = 30
SIZES_JS = """async (texts) => {
    const field = document.getElementById("field-sizes");
    const out = [];
    for (const text of texts) {
        field.value = text;
        const start = performance.now();
        field.dispatchEvent(new Event("change", { bubbles: true }));
        await pageEvents.settled();
        out.push(performance.now() - start);
        await new Promise(requestAnimationFrame);
    }
    return out;
}"""


def structure_changes(page) -> tuple[float, float, float]:
    """Milliseconds from a new Layer sizes to the page re-drawn and written (the worker's answer
    applied), seed-sized networks: the first (templates not yet used), then p50 / p95 of the rest."""
    first = page.evaluate(SIZES_JS, ["3-4-3-2-3"])[0]
    texts = ["3-4-3-2-2", "3-4-3-3-2"] * (STRUCTURE_CHANGES // 2)
    samples = page.evaluate(SIZES_JS, texts)
    return first, statistics.median(samples), p95(samples)


def training_rate(page) -> tuple[float, float, float]:
    """Steps per second, redraws per second and the main thread's blocking time while training."""
    page.evaluate("window.__longTasks = []")
    page.get_by_role("button", name="Train").click()
    result = page.evaluate("""async (seconds) => {
        const epoch = () => Number(document.querySelector('[data-v="epoch"]').textContent.replace(/,/g, ""));
        let frames = 0, changes = 0, last = epoch();
        const start = performance.now(), first = last;
        while (performance.now() - start < seconds * 1000) {
            await new Promise(requestAnimationFrame);
            frames++;
            const now = epoch();
            if (now !== last) { changes++; last = now; }
        }
        const elapsed = (performance.now() - start) / 1000;
        return [(last - first) / elapsed, changes / elapsed, frames / elapsed];
    }""", TRAIN_SECONDS)
    blocked = blocking(page)
    page.get_by_role("button", name="Pause").click()
    return result[0], result[1], blocked


def training_rates(page, bare) -> tuple[float, float, float, float]:
    """Steps per second with the page redrawing, redraws per second, the most blocking time of
    a round, and steps per second of the bare loop: medians of rounds taken in turns, so a slow
    moment of the machine hits both."""
    drawn, redraws, blocked, plain = [], [], [], []
    page.get_by_label("Speed", exact=True).select_option(label="Fast")
    for _ in range(ROUNDS):
        steps, frames, blocking_ms = training_rate(page)
        drawn.append(steps)
        redraws.append(frames)
        blocked.append(blocking_ms)
        plain.append(bare.evaluate("(seconds) => bareTraining(seconds)", TRAIN_SECONDS))
    return statistics.median(drawn), statistics.median(redraws), max(blocked), statistics.median(plain)


def app_files(site: Path) -> list[Path]:
    return [p for p in site.rglob("*") if p.is_file() and "pyodide" not in p.relative_to(site).parts]


def site_bytes(site: Path) -> tuple[int, int]:
    """Bytes of the site without Pyodide: as files, and as a server sends them gzipped."""
    files = app_files(site)
    return sum(p.stat().st_size for p in files), sum(len(gzip.compress(p.read_bytes(), 9)) for p in files)


def main() -> int:
    if not (SITE / "index.html").exists():
        print("site/ is not built: run make site", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        bare_site = Path(tmp) / "site"
        shutil.copytree(SITE, bare_site)
        (bare_site / "bare.html").write_text(BARE_HTML)
        (bare_site / "bare.js").write_text(BARE_JS)
        (bare_site / "bare-train.html").write_text(BARE_TRAIN_HTML)
        (bare_site / "bare-train.js").write_text("var BARE_SPIRAL = %s;\n%s" % (json.dumps(spiral.BARE_PYTHON),
                                                                                BARE_TRAIN_JS))
        server = serve(bare_site)
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            time_to_live(browser, base)  # warm the disk cache for both
            runs = {"http": [], "bare": [], "file": [], "single": []}
            for _ in range(ROUNDS):
                runs["http"].append(time_to_live(browser, base))
                runs["bare"].append(time_to_live(browser, base + "bare.html"))
                runs["file"].append(time_to_live(browser, (SITE / "index.html").as_uri()))
                if SINGLE.exists():
                    runs["single"].append(time_to_live(browser, SINGLE.as_uri()))
            page = browser.new_page()
            page.add_init_script(LONG_TASKS)
            page.goto(base)
            page.wait_for_selector("body[data-state=live]", state="attached", timeout=120_000)
            # The first inputs after live run while the engine still compiles Python's hot paths:
            # measured on their own, then the steady state a lesson's dragging and typing sees.
            first_latency = input_latency(page, FIRST_CHANGES)
            seed_latency = input_latency(page)
            seed_cpu = main_thread_cpu(browser, page)
            first_structure, s50, s95 = structure_changes(page)
            page.evaluate(SIZES_JS, ["8-8-8-8-8-8"])
            large_latency = input_latency(page)
            page.evaluate("() => document.getElementById('forward').scrollIntoView()")
            forward_latency = input_latency(page)
            page.evaluate("() => scrollTo(0, 0)")
            large_walk = walk_latency(page)
            large_walk_cpu = walk_cpu(browser, page)
            page.evaluate(SIZES_JS, ["3-4-3-2-2"])
            seed_walk = walk_latency(page)
            bare = browser.new_page()
            bare.goto(base + "bare-train.html")
            bare.wait_for_selector("body[data-state=live]", state="attached", timeout=120_000)
            steps, redraws, training_blocked, bare_steps = training_rates(page, bare)
            one_worker = browser.new_page()
            one_worker.add_init_script(LONG_TASKS + spiral.ONE_WORKER)
            one_worker.goto(base)
            one_worker.wait_for_selector("body[data-state=live]", state="attached", timeout=120_000)
            spiral_figures = spiral.rates(page, one_worker, bare, ROUNDS, TRAIN_SECONDS)
            one_worker.close()
            page.close()
            bare.close()
            by_engine = engine_times(browser, {"http": base, "file://": (SITE / "index.html").as_uri()})
            browser.close()
        server.shutdown()

    def median(path: str, index: int = 0) -> float:
        return statistics.median(run[index] for run in runs[path]) if runs[path] else float("nan")

    live, bare = median("http"), median("bare")
    rows = [
        ("time to live over http (median of %d)" % ROUNDS, f"{live:.2f} s"),
        ("bare loadPyodide() on the same files", f"{bare:.2f} s"),
        ("ratio (target ≤ 0.45)", f"{live / bare:.2f}"),
        ("time to live from file:// (site/)", f"{median('file'):.2f} s"),
        ("time to live from file:// (single file)",
         f"{median('single'):.2f} s" if runs["single"] else "not built (make single)"),
        *engine_rows(by_engine),
        ("main thread blocked, navigation → live: http / site/ / single file (target ≤ 100 ms)",
         " / ".join(f"{median(path, 1):.0f} ms" for path in ("http", "file", "single"))),
        (f"input → answer on screen, p50 / p95 of {CHANGES} (target p95 ≤ 8 ms)",
         "%(p50).2f ms / %(p95).2f ms" % seed_latency),
        (f"the first {FIRST_CHANGES} inputs after live, before those: p50 / p95",
         "%(p50).2f ms / %(p95).2f ms" % first_latency),
        ("input → every part written, off screen too, p95", "%(all p95).2f ms" % seed_latency),
        ("main thread busy per input, wall clock, p95 (target ≤ 2 ms)", "%(busy p95).2f ms" % seed_latency),
        ("main thread CPU per input, p95 (a trace: handler, parse, write)", f"{seed_cpu:.2f} ms"),
        ("the same on 8-8-8-8-8-8: on screen p50 / p95 (target p95 ≤ 8 ms); all p95; busy p95",
         "%(p50).2f ms / %(p95).2f ms; %(all p95).2f ms; %(busy p95).2f ms" % large_latency),
        ("the same, scrolled to the forward pass's formulas",
         "%(p50).2f ms / %(p95).2f ms; %(all p95).2f ms; %(busy p95).2f ms" % forward_latency),
        (f"walk-through step → page updated, p50 / p95 of {WALK_STEPS} (target p95 ≤ 16 ms)",
         "%.2f ms / %.2f ms" % seed_walk),
        ("the same on 8-8-8-8-8-8, p50 / p95 (target p95 ≤ 16 ms)", "%.2f ms / %.2f ms" % large_walk),
        ("the page's thread's CPU per step on 8-8-8-8-8-8, p50 / p95 (a trace)", "%.2f ms / %.2f ms" % large_walk_cpu),
        ("first structure change (Jinja and its templates ready in the snapshot)", f"{first_structure:.0f} ms"),
        (f"structure change → page re-drawn, p50 / p95 of {STRUCTURE_CHANGES} (target p95 ≤ 100 ms)",
         f"{s50:.1f} ms / {s95:.1f} ms"),
        (f"training steps per second, redrawing (median of {ROUNDS})", f"{steps:,.0f}"),
        ("redraws per second while training", f"{redraws:.0f}"),
        (f"main thread blocked while training, worst {TRAIN_SECONDS} s round", f"{training_blocked:.0f} ms"),
        ("the same steps in a loop, nothing drawn", f"{bare_steps:,.0f}"),
        ("ratio: redrawing / nothing drawn (target ≥ 0.85)", f"{steps / bare_steps:.2f}"),
        *spiral.rows(spiral_figures, ROUNDS, TRAIN_SECONDS),
        ("site/ without Pyodide: files / gzipped", "%.0f KB / %.0f KB" % tuple(n / 1024 for n in site_bytes(SITE))),
        ("site/ in all", f"{sum(p.stat().st_size for p in SITE.rglob('*') if p.is_file()) / 1e6:.1f} MB"),
        ("single file", f"{SINGLE.stat().st_size / 1e6:.1f} MB" if SINGLE.exists() else "not built"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())


def timeline(browser, page, action) -> dict:
    """Chromium's timeline trace of `action(page)`, as JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "trace.json"
        browser.start_tracing(page=page, path=str(path), categories=["devtools.timeline"])
        action(page)
        browser.stop_tracing()
        return json.loads(path.read_text())
