"""The loss curve while the page trains, in real Chromium, at 1280×800 and on a 390×844 phone.

After 5 s of Train at every speed (Slow, Normal, the default, and Fast) the curve's drawn points
span at least half the plot's width and height, read from the SVG as drawn, and the curve is no
"L" (half its fall in its first pixels, as a linear axis over 100,000 epochs drew it); the status bar
never showed 0.000000 for a loss, at any frame; the curve's labels are at least 11 CSS px high
as rendered and overlap nothing.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from live_page import open_live

TRAIN_MS = 5000
SPEEDS = {"slow": "Slow: watch each step", "normal": "Normal: 60 steps a second", "fast": "Fast"}

# Every text the status bar's loss showed while training, from the first frame on.
WATCH_LOSS = """() => {
  window.__losses = [];
  const shown = [...document.querySelectorAll('.readout [data-v=loss]')];
  const observer = new MutationObserver(() => shown.forEach(e => window.__losses.push(e.textContent)));
  shown.forEach(e => observer.observe(e, {characterData: true, childList: true, subtree: true}));
}"""
# The plot's frame, the polyline's points in its coordinates, and each label as rendered.
CURVE = """() => {
  const svg = document.getElementById('loss-curve'), plot = document.getElementById('curve-plot');
  const points = document.getElementById('curve-line').getAttribute('points').trim().split(/\\s+/)
    .filter(Boolean).map(p => p.split(',').map(Number));
  const labels = [...svg.querySelectorAll('text')]
    .filter(t => t.textContent && t.closest('[visibility=hidden]') === null)
    .map(t => { const r = t.getBoundingClientRect(), m = t.getScreenCTM();
      return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b),
              left: r.left, right: r.right, top: r.top, bottom: r.bottom}; });
  return {plot: {x: plot.x.baseVal.value, y: plot.y.baseVal.value,
                 width: plot.width.baseVal.value, height: plot.height.baseVal.value},
          points, labels, pageWidth: document.scrollingElement.scrollWidth};
}"""


@pytest.fixture(scope="module", params=[(1280, 800), (390, 844)], ids=["desktop", "phone"])
def live(request, browser, base_url):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    yield open_live(context, base_url)
    context.close()


def overlapping(labels: list[dict]) -> list[tuple[str, str]]:
    return [(a["text"], b["text"]) for k, a in enumerate(labels) for b in labels[k + 1:]
            if a["left"] < b["right"] - 0.5 and b["left"] < a["right"] - 0.5
            and a["top"] < b["bottom"] - 0.5 and b["top"] < a["bottom"] - 0.5]


def test_normal_is_the_default_speed_and_fast_keeps_its_name(live):
    page, w = live
    speed = page.get_by_label("Speed", exact=True)
    assert speed.input_value() == "normal"
    assert page.eval_on_selector_all("#field-speed option", "os => os.map(o => o.textContent)") == list(SPEEDS.values())
    assert w.errors == []


@pytest.mark.parametrize("speed", list(SPEEDS))
def test_after_five_seconds_at_every_speed_the_curve_shows_the_learning(live, speed):
    page, w = live
    page.get_by_role("button", name="Reset", exact=True).click()
    expect(page.locator("#main [data-v=epoch]").first).to_have_text("0")
    page.get_by_label("Speed", exact=True).select_option(label=SPEEDS[speed])
    page.locator(".loss-curve").scroll_into_view_if_needed()
    page.evaluate(WATCH_LOSS)
    page.locator("#train").click()
    expect(page.locator("#train")).to_have_text("Pause")
    page.wait_for_timeout(TRAIN_MS)
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.locator("#train")).to_have_text("Train")
    page.evaluate("() => pageEvents.settled()")
    epochs = int(page.text_content("#main [data-v=epoch]").replace(",", ""))
    assert epochs >= {"slow": 8, "normal": 150, "fast": 2000}[speed], f"{epochs} epochs at {speed}"

    losses = page.evaluate("() => window.__losses")
    assert losses, "the status bar's loss never changed"
    assert not [text for text in losses if text.strip("−0.") == ""], "a loss above 0 shown as 0.000000"

    curve = page.evaluate(CURVE)
    plot, points = curve["plot"], curve["points"]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    assert len(points) >= 2 and len(points) <= 20 * 16
    assert max(xs) - min(xs) >= plot["width"] / 2, f"{speed}: the points span {min(xs)}…{max(xs)} of {plot}"
    assert max(ys) - min(ys) >= plot["height"] / 2, f"{speed}: the points span {min(ys)}…{max(ys)} of {plot}"
    assert all(plot["x"] <= x <= plot["x"] + plot["width"] and plot["y"] <= y <= plot["y"] + plot["height"]
               for x, y in points)
    # no "L": the curve has not done half its fall within its first tenth of the width
    middle = (min(ys) + max(ys)) / 2
    halfway = next(x for x, y in points if y >= middle)
    assert halfway >= plot["x"] + plot["width"] / 10, f"{speed}: half the fall by x = {halfway} of {plot}"

    labels = curve["labels"]
    assert len(labels) >= 6  # two titles, both ends of the epochs, two of the loss at least
    small = [(label["text"], round(label["px"], 1)) for label in labels if label["px"] < 11]
    assert not small, f"labels below 11 CSS px: {small}"
    assert not overlapping(labels), overlapping(labels)
    assert curve["pageWidth"] <= page.viewport_size["width"]
    assert not [label["text"] for label in labels if label["text"].strip("−0.,") == "" and label["text"] != "0"]
    assert w.errors == []
