"""The diagram's geometry, measured in real Chromium at a phone's and a laptop's viewport, for
every kind of network the page allows: no text overlaps another text or a circle it does not
sit inside, a value inside its circle stays inside the outline, no text crosses the card's
edge, every text is at least 11 CSS px, and no line runs through a text where the lines can
keep clear of them (the wide layout: they leave a circle at its sides, its labels sit above and
below it).

The networks are set as a person sets them (Layer sizes, Preset, Dataset); `LANGUAGES` is the
axis a translated page adds to.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from live_page import LIVE_TIMEOUT

VIEWPORTS = {"phone": (390, 844), "laptop": (1280, 800)}
LANGUAGES = ["en"]
SMALLEST_TEXT = 11  # CSS px
# how each network is set, in the order the page passes through them (the data network last:
# it keeps its dataset's input layer)
NETWORKS = {
    "seed": [],
    "mazur": [("Preset", "Mazur's worked example (2-2-2)")],
    "1-1": [("Layer sizes", "1-1")],
    "2-3-1": [("Layer sizes", "2-3-1")],
    "8-8-8-8-8-8": [("Layer sizes", "8-8-8-8-8-8")],
    "8-1-8": [("Layer sizes", "8-1-8")],
    "spiral 2-8-8-1": [("Layer sizes", "2-8-8-1"), ("Dataset", "Spiral")],
}
SETTLE = "async () => { await pageEvents.settled(); }"

# Every drawn text of the diagram and every circle, in CSS px of the window; a text's font size
# as drawn (its font-size times the scale of its transforms) and the node it belongs to.
MEASURE_JS = """() => {
  const svg = document.getElementById('diagram'), card = svg.closest('.card').getBoundingClientRect();
  const scale = (e) => { const m = e.getScreenCTM(); return Math.sqrt(Math.abs(m.a * m.d - m.b * m.c)); };
  const drawn = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 &&
    getComputedStyle(e).visibility !== 'hidden'; };
  const box = (r) => ({x: r.x, y: r.y, w: r.width, h: r.height});
  const texts = [...svg.querySelectorAll('text')].filter(drawn).map(e => ({
    ...box(e.getBoundingClientRect()), text: e.textContent.trim(),
    node: e.closest('.node') ? e.closest('.node').id : null,
    px: parseFloat(getComputedStyle(e).fontSize) * scale(e)}));
  const circles = [...svg.querySelectorAll('.node circle')].filter(drawn).map(e => {
    const r = e.getBoundingClientRect(), stroke = parseFloat(getComputedStyle(e).strokeWidth) * scale(e);
    return {node: e.closest('.node').id, cx: r.x + r.width / 2, cy: r.y + r.height / 2,
            outer: r.width / 2 + stroke / 2, inner: r.width / 2 - stroke / 2};
  });
  const lines = [...svg.querySelectorAll('.edge')].map(e => {
    const m = e.getScreenCTM(), length = e.getTotalLength();
    const at = (p) => ({x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f});
    return {id: e.id, a: at(e.getPointAtLength(0)), b: at(e.getPointAtLength(length))};
  });
  return {card: box(card), texts, circles, lines, wide: !matchMedia('screen and (max-width: 799px)').matches};
}"""


def overlap(a: dict, b: dict, slack: float = 0.5) -> bool:
    return (a["x"] < b["x"] + b["w"] - slack and b["x"] < a["x"] + a["w"] - slack and
            a["y"] < b["y"] + b["h"] - slack and b["y"] < a["y"] + a["h"] - slack)


def touches(box: dict, circle: dict) -> bool:
    """Whether the box reaches the circle's disc, outline included."""
    near_x = min(max(circle["cx"], box["x"]), box["x"] + box["w"])
    near_y = min(max(circle["cy"], box["y"]), box["y"] + box["h"])
    return (near_x - circle["cx"]) ** 2 + (near_y - circle["cy"]) ** 2 < (circle["outer"] - 0.5) ** 2


def inside(box: dict, circle: dict) -> bool:
    """Whether the box lies within the circle's outline (its glyphs' line box, corners included)."""
    far_x = max(abs(box["x"] - circle["cx"]), abs(box["x"] + box["w"] - circle["cx"]))
    far_y = max(abs(box["y"] - circle["cy"]), abs(box["y"] + box["h"] - circle["cy"]))
    return far_x ** 2 + far_y ** 2 <= (circle["inner"] + 0.5) ** 2


def crosses(line: dict, box: dict, inset: float = 1.0) -> bool:
    """Whether the segment runs through the box (shrunk by `inset`): Liang–Barsky clipping."""
    x0, y0, dx, dy = line["a"]["x"], line["a"]["y"], line["b"]["x"] - line["a"]["x"], line["b"]["y"] - line["a"]["y"]
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box["x"] - inset), (dx, box["x"] + box["w"] - inset - x0),
                 (-dy, y0 - box["y"] - inset), (dy, box["y"] + box["h"] - inset - y0)):
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            low = max(low, q / p)
        else:
            high = min(high, q / p)
    return low < high


def problems(measured: dict) -> list[str]:
    card, texts, circles = measured["card"], measured["texts"], measured["circles"]
    found = []
    for t in texts:
        if t["px"] < SMALLEST_TEXT - 0.05:
            found.append(f"{t['text']!r} is {t['px']:.1f} px")
        if not (card["x"] <= t["x"] and t["x"] + t["w"] <= card["x"] + card["w"] and
                card["y"] <= t["y"] and t["y"] + t["h"] <= card["y"] + card["h"]):
            found.append(f"{t['text']!r} crosses the card's edge")
        for c in circles:
            if touches(t, c) and not (c["node"] == t["node"] and inside(t, c)):
                found.append(f"{t['text']!r} overlaps the outline of {c['node']}")
    for k, a in enumerate(texts):
        for b in texts[k + 1:]:
            if overlap(a, b):
                found.append(f"{a['text']!r} overlaps {b['text']!r}")
    if measured["wide"]:
        for line in measured["lines"]:
            for t in texts:
                if crosses(line, t):
                    found.append(f"{line['id']} runs through {t['text']!r}")
    return found


@pytest.fixture(scope="module", params=[(language, viewport) for language in LANGUAGES for viewport in VIEWPORTS],
                ids=lambda p: "-".join(p))
def live_page(request, browser, base_url):
    language, viewport = request.param
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height}, locale=language,
                                  has_touch=viewport == "phone")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base_url)
    page.wait_for_selector("body[data-state=live]", state="attached", timeout=LIVE_TIMEOUT)
    yield page
    context.close()
    assert errors == []


def set_network(page, steps):
    for label, value in steps:
        field = page.get_by_label(label, exact=True).first  # the first network's: Compare's come after
        if label == "Layer sizes":
            field.fill(value)
            field.press("Enter")
        else:
            field.select_option(label=value)
        page.evaluate(SETTLE)


@pytest.mark.parametrize("network", list(NETWORKS))
def test_every_text_of_the_diagram_is_legible(live_page, network):
    set_network(live_page, NETWORKS[network])
    expect(live_page.locator("#diagram")).to_be_visible()
    if network.startswith("spiral"):
        expect(live_page.locator("#data-plot")).to_be_visible()
        assert live_page.locator("#diagram .node").count() == 2 + 8 + 8 + 1
    live_page.locator("#diagram").scroll_into_view_if_needed()
    measured = live_page.evaluate(MEASURE_JS)
    assert len(measured["texts"]) >= len(measured["circles"]) > 0
    found = problems(measured)
    assert not found, f"{len(found)} problems:\n" + "\n".join(found[:40])
