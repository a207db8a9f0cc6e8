"""The live page as people meet it: no overlap, nothing cut off, no accessibility violation.

axe-core (from node_modules) judges accessibility; geometry is read from real Chromium at
a laptop's and a phone's viewport.
"""

from __future__ import annotations

import pytest

import axe

VIEWPORTS = {"laptop": (1280, 800), "phone": (390, 844)}


@pytest.fixture(scope="module", params=list(VIEWPORTS))
def live_page(request, browser, base_url):
    width, height = VIEWPORTS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(base_url)
    page.wait_for_selector("body[data-state=live]", state="attached", timeout=90_000)
    yield page
    context.close()
    assert not errors


def overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    found = []
    for k, a in enumerate(boxes):
        for b in boxes[k + 1:]:
            if (a["x"] < b["x"] + b["w"] - 0.5 and b["x"] < a["x"] + a["w"] - 0.5 and
                    a["y"] < b["y"] + b["h"] - 0.5 and b["y"] < a["y"] + a["h"] - 0.5):
                found.append((a["text"], b["text"]))
    return found


BOXES = """(selector) => [...document.querySelectorAll(selector)].map(e => {
    const r = e.getBoundingClientRect();
    return {x: r.x, y: r.y, w: r.width, h: r.height, text: e.textContent || e.id || e.tagName};
})"""


def test_nothing_is_wider_than_the_screen(live_page):
    width = live_page.viewport_size["width"]
    assert live_page.evaluate("document.documentElement.scrollWidth") <= width
    too_wide = live_page.evaluate("""(width) => [...document.querySelectorAll(
        'main *:not(math):not(math *):not(svg *):not(tr):not(tr *):not(table):not(caption)')]
        .filter(e => { const r = e.getBoundingClientRect(); return r.width && r.right > width + 1; })
        .filter(e => !e.closest('.table-scroll, .diagram, math'))
        .map(e => e.tagName + '.' + e.className)""", width)
    assert too_wide == []


def test_diagram_labels_do_not_overlap(live_page):
    assert overlaps(live_page.evaluate(BOXES, "#diagram text")) == []


def test_controls_do_not_overlap(live_page):
    for group in live_page.locator(".controls fieldset").all():
        handle = group.element_handle()
        boxes = handle.evaluate("""(g) => [...g.querySelectorAll('label, input:not([type=file]), select, button')]
            .map(e => { const r = e.getBoundingClientRect();
                        return {x: r.x, y: r.y, w: r.width, h: r.height, text: e.id || e.textContent}; })
            .filter(b => b.w > 0)""")
        assert overlaps(boxes) == []
        assert all(box["w"] >= 24 for box in boxes if box["text"].startswith("field-"))


def test_sliders_are_usable_width(live_page):
    widths = live_page.evaluate("[...document.querySelectorAll('input[type=range]')].map(e => e.getBoundingClientRect().width)")
    assert widths and min(widths) >= 60


def test_no_accessibility_violations(live_page):
    # served from the page's own origin, so the page's Content-Security-Policy stays on
    assert axe.violations(live_page) == []


def test_controls_named_by_their_visible_labels(live_page):
    for name in ("Input 1", "Input 2", "Input 3", "Target 1", "Target 2", "Learning rate"):
        field = live_page.get_by_label(name, exact=True).first  # the first network's: Compare's come after
        assert field.count() == 1 and field.is_visible() and field.is_enabled()
    for name in ("Step", "Train", "Reset", "Copy link", "Export"):
        assert live_page.get_by_role("button", name=name, exact=True).is_enabled()


MEASURED_JS = """() => [...document.querySelectorAll('.layer-block, #formulas > section, #understanding')]
                      .every(block => block.style.containIntrinsicSize)"""


def test_the_page_height_does_not_jump_and_end_reaches_the_footer(live_page):
    """Blocks off screen stand in with their measured height once the page is idle: the height
    read at the top is the one read at the bottom, and one End brings the footer into view."""
    live_page.wait_for_function(MEASURED_JS, timeout=30_000)
    live_page.evaluate("window.scrollTo(0, 0)")
    at_top = live_page.evaluate("document.scrollingElement.scrollHeight")
    live_page.evaluate("document.activeElement && document.activeElement.blur()")  # End scrolls the page
    live_page.keyboard.press("End")
    live_page.wait_for_function("() => { const r = document.querySelector('footer').getBoundingClientRect();"
                                " return r.top < innerHeight && r.bottom > 0; }", timeout=5_000)
    live_page.evaluate("window.scrollTo(0, document.scrollingElement.scrollHeight)")
    at_bottom = live_page.evaluate("document.scrollingElement.scrollHeight")
    assert abs(at_bottom - at_top) < 0.05 * at_bottom, (at_top, at_bottom)
    live_page.evaluate("window.scrollTo(0, 0)")
