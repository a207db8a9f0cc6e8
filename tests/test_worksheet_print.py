"""The worksheet's pages in real Chromium, as a printer gets them (page.pdf, read back with
poppler's pdfinfo and pdftotext): the whole diagram on the first page of every network, from
1-1 to 8-8-8-8-8-8, its circles clear of the layer titles and inside the picture in the print
layout; the seed's sheet on at most 4 + 4 A4 pages, each with its sheet's name, "Page k of n"
and a line for the name; "this page's" weights on Mazur's example give the numpy oracle's
answers; the key hidden on screen until asked for, printed unless unticked; Print called in
the reader's click, a long print job asked about first; a class set printing the pages it said.
"""

from __future__ import annotations

import re

import pytest

import oracle
from live_page import open_live
from pyodide_app import design
from pyodide_app.state import from_preset, load_seed, to_data, to_fragment
from test_panel_live import settle
from test_worksheet_live import button, poppler, printed
from worksheet_text import answers_shown, fmt, givens, key_results, split_printed, wrong_results

# where window.print() was called from: the type of the event being handled, if any
STUB_PRINT = """() => { window.printed = [];
  window.print = () => { window.printed.push(window.event && window.event.type); }; }"""


def network(sizes: list[int]):
    return load_seed() if sizes == [3, 4, 3, 2, 2] else design.resized(load_seed(), sizes)


NETWORKS = {"seed": lambda: load_seed(), "Mazur": lambda: from_preset("mazur"),
            "1-1": lambda: network([1, 1]), "8-8-8-8-8-8": lambda: network([8] * 6)}


def names(sizes: list[int]) -> list[str]:
    last = len(sizes) - 1
    return [f"In-{j + 1}" if l == 0 else f"Out-{j + 1}" if l == last else f"H{l}-{j + 1}"
            for l, size in enumerate(sizes) for j in range(size)]


@pytest.fixture(scope="module")
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def worksheet(context, base_url, state, paper="A4"):
    """A page showing `state` with its worksheet open on `paper`, its print stubbed."""
    page, watched = open_live(context, base_url + "#" + to_fragment(state))
    page.evaluate(STUB_PRINT)
    button(page, "Worksheet").click()
    settle(page)
    if paper != "A4":
        page.get_by_label("Paper", exact=True).select_option(label=paper)
        settle(page)
    return page, watched


def page_texts(path) -> list[str]:
    count = int(re.search(r"Pages:\s+(\d+)", poppler("pdfinfo", str(path)))[1])
    return [poppler("pdftotext", "-f", str(k), "-l", str(k), str(path), "-") for k in range(1, count + 1)]


# the first sheet's picture, where the browser lays it out: its circles, its layer titles, its own box
GEOMETRY_JS = """() => {
  const box = (e) => e.getBoundingClientRect(), sheet = document.querySelector('#sheets .sheet');
  const svg = sheet.querySelector('svg.net'), first = box(sheet.querySelector('.page'));
  const outer = box(svg), pad = (side) => parseFloat(getComputedStyle(svg)['padding' + side]);
  const view = {left: outer.left + pad('Left'), right: outer.right - pad('Right'),
                top: outer.top + pad('Top'), bottom: outer.bottom - pad('Bottom')};
  const circles = [...svg.querySelectorAll('circle')].map(box), titles = [...svg.querySelectorAll('.title')].map(box);
  const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const inside = (a, b) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5 &&
                           a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
  return {circles: circles.length, overlapping: circles.filter(c => titles.some(t => meets(c, t))).length,
          outside: [...circles, ...titles].filter(c => !inside(c, view)).length,
          titlesMeeting: titles.filter((t, k) => k && meets(t, titles[k - 1])).length,
          onFirstPage: inside(view, first)};
}"""


@pytest.mark.parametrize("name", NETWORKS)
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_whole_diagram_is_on_the_first_page_every_circle_clear_of_the_titles(context, base_url, tmp_path,
                                                                                   name, paper):
    state = NETWORKS[name]()
    page, watched = worksheet(context, base_url, state, paper)
    sizes = state.network.sizes
    page.emulate_media(media="print")
    geometry = page.evaluate(GEOMETRY_JS)
    page.emulate_media(media="screen")
    assert geometry == {"circles": sum(sizes), "overlapping": 0, "outside": 0, "titlesMeeting": 0,
                        "onFirstPage": True}
    assert page.evaluate(GEOMETRY_JS) == geometry  # the same on screen
    printed(page, tmp_path)
    first = page_texts(tmp_path / "sheet.pdf")[0]
    assert [n for n in names(sizes) if n not in first.split()] == []
    assert watched.errors == []
    page.close()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_seeds_sheet_takes_at_most_4_pages_its_key_4_more_each_page_named_and_numbered(context, base_url,
                                                                                             tmp_path, paper):
    page, _ = worksheet(context, base_url, load_seed(), paper)
    text, _ = printed(page, tmp_path)
    pages = page_texts(tmp_path / "sheet.pdf")
    heads = [re.match(r"(Exercise|Answer key) · Seed 1\b", p) for p in pages]
    assert all(heads), [p[:40] for p, h in zip(pages, heads) if not h]
    exercise = [p for p in pages if p.startswith("Exercise")]
    key = [p for p in pages if p.startswith("Answer key")]
    assert pages == exercise + key and 1 <= len(exercise) <= 4 and 1 <= len(key) <= 4
    for part in (exercise, key):
        for k, p in enumerate(part, 1):
            assert f"Page {k} of {len(part)}" in p and "Name" in p and "Date" in p
    shown = page.locator("#sheet-pages").text_content()
    assert shown == f"Prints {len(pages)} pages: the exercise on {len(exercise)}, the answer key on {len(key)}."
    exercises, keys = split_printed(text)
    data = to_data(design.exercise(load_seed(), 1))
    assert answers_shown(exercises[1], data) == set() and wrong_results(keys[1], data) == []
    page.close()


def test_this_pages_weights_print_mazurs_example_and_its_key_the_oracles_answers(context, base_url, tmp_path):
    state = from_preset("mazur")
    page, watched = worksheet(context, base_url, state)
    page.get_by_role("radio", name="This page's", exact=True).check()
    settle(page)
    text, _ = printed(page, tmp_path)
    exercise, key = text.split("Answer key · ", 1)
    assert "Weights and biases as posed on the page" in exercise
    assert exercise.startswith("Exercise · Mazur's worked example (2-2-2)")
    data = to_data(state)
    assert givens(data) <= {word.strip("()") for word in exercise.split()}
    net = oracle.Net.from_data(data)
    loss = oracle.full_pass(net, data["inputs"], data["targets"]).loss
    w5 = oracle.step(net, data["inputs"], data["targets"], data["learning_rate"]).weights[1][0, 0]
    assert (fmt(loss, 6), fmt(w5, 6)) == ("0.298371", "0.358916")  # Mazur's published E_total and w5
    results = key_results(key)
    assert (results["L"], results["new wH1-1→Out-1"]) == (fmt(loss, 6), fmt(w5, 6))
    assert answers_shown(exercise, data) == set() and wrong_results(key, data) == []
    # drawn from the seed again: other weights
    page.get_by_role("radio", name="Drawn from the seed", exact=True).check()
    settle(page)
    text, _ = printed(page, tmp_path)
    assert "Exercise · Seed 1" in text and "Weights and biases drawn from seed 1" in text
    assert watched.errors == []
    page.close()


def test_the_key_is_hidden_on_screen_until_asked_for_and_prints_unless_unticked(context, base_url, tmp_path):
    page, _ = worksheet(context, base_url, from_preset("mazur"))
    show, print_key = (page.get_by_role("checkbox", name=n, exact=True) for n in ("Show answer key", "Print the key"))
    assert not show.is_checked() and print_key.is_checked()
    assert page.locator(".sheet:not(.key) .page").first.is_visible()
    assert not page.locator(".sheet.key .page").first.is_visible()
    assert "Answer key" in printed(page, tmp_path)[0]
    show.check()
    assert page.locator(".sheet.key .page").first.is_visible()
    print_key.uncheck()
    text, _ = printed(page, tmp_path)
    assert "Answer key" not in text and "Exercise · Seed 1" in text
    pages = len(page_texts(tmp_path / "sheet.pdf"))
    assert page.locator("#sheet-pages").text_content() == \
        f"Prints {pages} pages: the exercise on {pages} (the answer key is not printed)."
    page.close()


def test_print_is_called_in_the_click_and_a_long_job_asks_first(context, base_url):
    page, _ = worksheet(context, base_url, load_seed())
    button(page, "Print").click()
    assert page.evaluate("() => window.printed") == ["click"]  # at once, in the click
    page.close()
    page, watched = worksheet(context, base_url, network([8] * 6))
    pages = int(page.locator("#sheets").get_attribute("data-pages"))
    assert pages > 20
    button(page, "Print").click()  # the page watcher says no to the question
    assert watched.dialogs == [f"confirm: This prints {pages} pages. Print them?"]
    assert page.evaluate("() => window.printed") == []
    page.evaluate("() => { window.confirm = () => true; }")  # yes
    button(page, "Print").click()
    assert page.evaluate("() => window.printed") == ["click"]
    page.close()


def test_a_class_set_prints_the_pages_it_said_each_sheets_pages_numbered_and_print_only_the_first(
        context, base_url, tmp_path):
    page, _ = worksheet(context, base_url, from_preset("mazur"))
    page.get_by_label("Copies", exact=True).fill("2")
    button(page, "Print a class set").click()
    assert page.evaluate("() => window.printed") == ["click"]
    printed(page, tmp_path)
    heads = [re.match(r"(Exercise|Answer key) · Seed (\d+).*?Page (\d+) of (\d+)", p, re.S).groups()
             for p in page_texts(tmp_path / "sheet.pdf")]
    assert len(heads) == int(page.locator("#sheets").get_attribute("data-class-pages"))
    sheets = [(kind, seed) for kind, seed, k, n in heads if k == "1"]
    assert sheets == [("Exercise", "1"), ("Exercise", "2"), ("Answer key", "1"), ("Answer key", "2")]
    for kind, seed, k, n in heads:  # each sheet's pages in order, 1 to n
        assert [int(h[2]) for h in heads if h[:2] == (kind, seed)] == list(range(1, int(n) + 1))
    assert page.locator("#sheet-class-pages").text_content() == f"The class set prints {len(heads)} pages."
    button(page, "Print").click()  # the first sheet and its key only
    printed(page, tmp_path)
    texts = page_texts(tmp_path / "sheet.pdf")
    assert len(texts) == int(page.locator("#sheets").get_attribute("data-pages"))
    assert all(re.match(r"(Exercise|Answer key) · Seed 1\b", p) for p in texts)
    page.close()
