"""pyodide_app.view.page: the page's numbers, split into the parts the live page writes."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from pyodide_app.state import load_seed
from pyodide_app.trace import trace
from pyodide_app.view import curve, page


@pytest.fixture(scope="module")
def seed_trace():
    state = load_seed()
    return state, trace(state)


class KeysBySection(HTMLParser):
    """data-v keys of site/index.html, by the part section they sit in ("" outside all)."""

    VOID = {"meta", "link", "input", "br", "img", "hr", "source", "col", "wbr", "area", "base", "embed", "track"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []  # the part each open element belongs to
        self.keys: dict[str, set[str]] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        part = a.get("id") if a.get("id") in page.PARTS else (self.stack[-1] if self.stack else "")
        if "data-v" in a:
            self.keys.setdefault(part, set()).add(a["data-v"])
        if tag not in self.VOID:
            self.stack.append(part)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()


def test_the_parts_together_are_every_value(seed_trace):
    state, t = seed_trace
    everything = page.values(t, state.targets)
    pieces = {}
    for part in page.PARTS:
        pieces.update(page.values(t, state.targets, parts=(part,)))
    assert pieces == everything
    assert set(page.values(t, state.targets, parts=())) < set(everything)


def test_each_part_holds_every_number_of_its_section_on_the_page(seed_trace, site):
    """A part written alone must update every number inside its section; numbers outside all
    part sections are written on every frame."""
    state, t = seed_trace
    parser = KeysBySection()
    parser.feed((site / "index.html").read_text(encoding="utf-8"))
    assert set(parser.keys) == {"", *page.PARTS}, "every part is a section of the page"
    always = set(page.values(t, state.targets, parts=())) | set(curve.page_values(curve.geometry([(0, 0.5)]))[0])
    assert parser.keys[""] <= always
    for part in page.PARTS:
        written = set(page.values(t, state.targets, parts=(part,)))
        assert parser.keys[part] <= written, (part, sorted(parser.keys[part] - written))


def test_without_labels_the_diagram_keeps_colours_and_widths(seed_trace):
    _, t = seed_trace
    full, plain = page.attributes(t), page.attributes(t, labels=False)
    assert plain and all("aria-label" not in a for a in plain.values())
    for element, a in plain.items():
        assert {k: v for k, v in full[element].items() if k != "aria-label"} == a
    assert all("aria-label" in a for a in full.values())


def test_the_updates_shown_are_those_of_the_step_given(seed_trace):
    state, t = seed_trace
    after = state.copy()
    after.network.weights[0][0][0] += 0.5
    later = trace(after)
    shown = page.values(later, after.targets, shown_step=t)
    assert shown["ow-1-0-0"] == page.values(t, state.targets)["ow-1-0-0"]
    assert shown["(w-1-0-0"] != page.values(t, state.targets)["(w-1-0-0"]
    assert shown["updates-when"] == page.UPDATES_JUST_APPLIED
    assert page.values(later, after.targets)["updates-when"] == page.UPDATES_NEXT
