"""`make bench`: figures of the live page, measured in one run of headless Chromium.

Times are ratios against baselines measured in the same run where a baseline exists;
absolute times depend on the machine. Prints a table; nothing is asserted.
"""

from __future__ import annotations

import gzip
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import CHROMIUM_ARGS, SINGLE, SITE, chromium_path, serve  # noqa: E402

ROUNDS = 3
CHANGES = 200
TRAIN_SECONDS = 3  # per round; the page and the bare loop take turns, ROUNDS times each
BARE_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>bare</title>
<script src="pyodide/pyodide.js" defer></script><script src="bare.js" defer></script></head>
<body data-state="loading"></body></html>"""
BARE_JS = """loadPyodide({ indexURL: new URL("pyodide/", location.href).href })
  .then(function () { document.body.dataset.state = "live"; });"""
# The ceiling for training: the same Python in the same browser, training with nothing drawn.
BARE_TRAIN_HTML = BARE_HTML.replace('<script src="bare.js"', '<script src="app-files.js" defer></script>'
                                    '<script src="bare-train.js"')
BARE_TRAIN_JS = """loadPyodide({ indexURL: new URL("pyodide/", location.href).href }).then(function (py) {
  Object.keys(appFiles).forEach(function (path) {
    var full = "/home/pyodide/" + path;
    py.FS.mkdirTree(full.slice(0, full.lastIndexOf("/")));
    py.FS.writeFile(full, appFiles[path]);
  });
  py.runPython([
    "import sys, time",
    "sys.path.insert(0, '/home/pyodide')",
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
  document.body.dataset.state = "live";
});"""


def time_to_live(browser, url: str) -> float:
    page = browser.new_page()
    page.goto(url)
    page.wait_for_selector("body[data-state=live]", state="attached", timeout=120_000)
    elapsed = page.evaluate("performance.now()")
    page.close()
    return elapsed / 1000


def input_latency(page) -> tuple[float, float]:
    """Milliseconds from an input event to the finished DOM update (handlers run synchronously)."""
    samples = page.evaluate("""async (count) => {
        const field = document.getElementById("field-inputs-0");
        const out = [];
        for (let k = 0; k < count; k++) {
            field.value = String(0.2 + 0.6 * ((k * 37) % 100) / 100);
            const start = performance.now();
            field.dispatchEvent(new Event("input", { bubbles: true }));
            out.push(performance.now() - start);
            await new Promise(requestAnimationFrame);
        }
        return out;
    }""", CHANGES)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


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


def percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[max(int(len(samples) * 0.95) - 1, 0)]


def structure_changes(page) -> tuple[float, float, float]:
    """Milliseconds from a new Layer sizes to the page re-drawn and written (the worker's answer
    applied), seed-sized networks: the first (Jinja imported), then p50 / p95 of the rest."""
    first = page.evaluate(SIZES_JS, ["3-4-3-2-3"])[0]
    texts = ["3-4-3-2-2", "3-4-3-3-2"] * (STRUCTURE_CHANGES // 2)
    return (first, *percentiles(page.evaluate(SIZES_JS, texts)))


def answered_edits(page, field_id: str) -> tuple[float, float]:
    """Milliseconds from an input event to the worker's answer written into the page."""
    return percentiles(page.evaluate("""async ([id, count]) => {
        const field = document.getElementById(id);
        const out = [];
        for (let k = 0; k < count; k++) {
            field.value = String(0.2 + 0.6 * ((k * 37) % 100) / 100);
            const start = performance.now();
            field.dispatchEvent(new Event("input", { bubbles: true }));
            await pageEvents.settled();
            out.push(performance.now() - start);
            await new Promise(requestAnimationFrame);
        }
        return out;
    }""", ["field-inputs-0", CHANGES]))


def training_rate(page) -> tuple[float, float]:
    """Steps per second and redraws per second while training."""
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
    page.get_by_role("button", name="Pause").click()
    return result[0], result[1]


def training_rates(page, bare) -> tuple[float, float, float]:
    """Steps per second with the page redrawing, redraws per second, and steps per second of
    the bare loop: medians of rounds taken in turns, so a slow moment of the machine hits both."""
    drawn, redraws, plain = [], [], []
    for _ in range(ROUNDS):
        steps, frames = training_rate(page)
        drawn.append(steps)
        redraws.append(frames)
        plain.append(bare.evaluate("(seconds) => bareTraining(seconds)", TRAIN_SECONDS))
    return statistics.median(drawn), statistics.median(redraws), statistics.median(plain)


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
        (bare_site / "bare-train.js").write_text(BARE_TRAIN_JS)
        server = serve(bare_site)
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            time_to_live(browser, base)  # warm the disk cache for both
            page_times, bare_times, file_times, single_times = [], [], [], []
            for _ in range(ROUNDS):
                page_times.append(time_to_live(browser, base))
                bare_times.append(time_to_live(browser, base + "bare.html"))
                file_times.append(time_to_live(browser, (SITE / "index.html").as_uri()))
                if SINGLE.exists():
                    single_times.append(time_to_live(browser, SINGLE.as_uri()))
            page = browser.new_page()
            page.goto(base)
            page.wait_for_selector("body[data-state=live]", state="attached", timeout=120_000)
            p50, p95 = input_latency(page)
            seed_answered = answered_edits(page, "field-inputs-0")
            first_structure, s50, s95 = structure_changes(page)
            page.evaluate(SIZES_JS, ["8-8-8-8-8-8"])
            large_answered = answered_edits(page, "field-inputs-0")
            page.evaluate(SIZES_JS, ["3-4-3-2-2"])
            bare = browser.new_page()
            bare.goto(base + "bare-train.html")
            bare.wait_for_selector("body[data-state=live]", state="attached", timeout=120_000)
            steps, redraws, bare_steps = training_rates(page, bare)
            browser.close()
        server.shutdown()
    live, bare = statistics.median(page_times), statistics.median(bare_times)
    rows = [
        ("time to live over http (median of %d)" % ROUNDS, f"{live:.2f} s"),
        ("bare loadPyodide() on the same files", f"{bare:.2f} s"),
        ("ratio (target ≤ 1.10)", f"{live / bare:.2f}"),
        ("time to live from file:// (site/)", f"{statistics.median(file_times):.2f} s"),
        ("time to live from file:// (single file)",
         f"{statistics.median(single_times):.2f} s" if single_times else "not built (make single)"),
        (f"input → DOM update, p50 / p95 of {CHANGES}", f"{p50:.2f} ms / {p95:.2f} ms"),
        (f"input → answer written, p50 / p95 of {CHANGES}: seed", "%.2f ms / %.2f ms" % seed_answered),
        ("the same on 8-8-8-8-8-8 (target p95 ≤ 8 ms)", "%.2f ms / %.2f ms" % large_answered),
        ("first structure change (Jinja imported)", f"{first_structure:.0f} ms"),
        (f"structure change → page re-drawn, p50 / p95 of {STRUCTURE_CHANGES} (target p95 ≤ 100 ms)",
         f"{s50:.1f} ms / {s95:.1f} ms"),
        (f"training steps per second, redrawing (median of {ROUNDS})", f"{steps:,.0f}"),
        ("redraws per second while training", f"{redraws:.0f}"),
        ("the same steps in a loop, nothing drawn", f"{bare_steps:,.0f}"),
        ("ratio: redrawing / nothing drawn", f"{steps / bare_steps:.2f}"),
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
