"""The worksheet in real Chromium: printed to PDF and read back with poppler's pdftotext, as a
teacher's printer would get it. The exercise pages give the network and no answer, the key
holds the numpy oracle's answers, a class set has a sheet per seed with its own key, and the
paper is A4 or Letter. axe-core finds nothing wrong with the view; bad input is refused.

poppler-utils comes from apt (`make test` installs it when it is missing).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from pyodide_app import design
from pyodide_app.state import State, load_seed, parse, to_data
import axe
from live_page import open_live
from test_panel_live import STORED_JS, settle
from worksheet_text import answers_shown, givens, missing_answers, split_printed, wrong_results

POINTS = {"A4": (595, 842), "Letter": (612, 792)}  # page sizes in PostScript points
STUB_PRINT = "() => { window.printed = 0; window.print = () => { window.printed += 1; }; }"


def poppler(tool: str, *args) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: apt-get install poppler-utils (make test does it)")
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def live(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page, watched = open_live(context, base_url)
    page.evaluate(STUB_PRINT)  # the print dialog would wait for a person
    yield page, watched, context
    context.close()


@pytest.fixture
def page(live):
    page, watched, _ = live
    before = len(watched.errors)
    yield page
    assert watched.errors[before:] == [], "console or page errors"


def button(page, name):
    return page.get_by_role("button", name=name, exact=True)


def open_worksheet(page):
    if not page.locator("#worksheet-view").count():
        button(page, "Worksheet").click()
        settle(page)


def printed(page, tmp_path, name="sheet") -> tuple[str, str]:
    """(pdftotext's text, pdfinfo's page size) of the page printed as Chromium prints it."""
    path = tmp_path / f"{name}.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(path), prefer_css_page_size=True)
    page.emulate_media(media="screen")
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", poppler("pdfinfo", str(path)))
    return poppler("pdftotext", str(path), "-"), (round(float(size[1])), round(float(size[2])))


def saved_state(page) -> State:
    """The network the page saved (nothing yet: the one it opened on, the seed)."""
    stored = page.evaluate(STORED_JS)
    return parse(stored) if stored else load_seed()


def exercise_data(page, seed: int) -> dict:
    """The network a sheet of this seed must show: the page's network, drawn from the seed."""
    return to_data(design.exercise(saved_state(page), seed))


def check_sheet(exercise: str, key: str, data: dict):
    words = {word.strip("()") for word in exercise.split()}
    assert givens(data) <= words, givens(data) - words
    assert answers_shown(exercise, data) == set()
    assert wrong_results(key, data) == [] and missing_answers(key, data) == []


def test_the_worksheet_opens_in_place_of_the_page_and_axe_finds_nothing_wrong(page, tmp_path):
    # while Python prepares it (the first time takes a moment), the page says so
    busy = page.evaluate("""() => { document.getElementById("worksheet").click();
        return [document.getElementById("share-message").textContent,
                document.getElementById("worksheet").getAttribute("aria-busy")]; }""")
    assert busy == ["Preparing the worksheet…", "true"]
    settle(page)
    assert page.text_content("#share-message") == "" and page.get_attribute("#worksheet", "aria-busy") is None
    assert page.locator("#worksheet-view").is_visible() and not page.locator("#architecture").is_visible()
    assert page.evaluate("() => document.activeElement.id") == "worksheet-title"
    for name in ("Seed", "Paper", "Copies"):
        assert page.get_by_label(name, exact=True).first.is_visible(), name  # the first network's
    for name in ("Activations", "Loss", "δs", "New weights"):
        assert page.get_by_role("checkbox", name=name, exact=True).is_checked(), name
    for name in ("New exercise", "Print", "Close worksheet", "Print a class set"):
        assert button(page, name).is_enabled(), name
    assert axe.violations(page) == []
    page.screenshot(path=str(tmp_path / "worksheet-view.png"))


def test_the_printed_exercise_gives_the_network_and_no_answer_and_its_key_the_oracles(page, tmp_path):
    open_worksheet(page)
    text, size = printed(page, tmp_path)
    exercises, keys = split_printed(text)
    assert list(exercises) == list(keys) == [saved_state(page).worksheet_seed]
    seed = list(exercises)[0]
    check_sheet(exercises[seed], keys[seed], exercise_data(page, seed))
    assert "Name" in exercises[seed] and "Date" in exercises[seed]
    assert text.index("Answer key") > text.rindex("Exercise · Seed")  # the key comes after the exercise
    assert "Neural Network Demonstration" not in text and "Print a class set" not in text  # only the sheets
    assert size == POINTS["A4"]
    # a page of it, as the printer gets it
    poppler("pdftoppm", "-png", "-r", "60", "-singlefile", str(tmp_path / "sheet.pdf"), str(tmp_path / "page"))
    assert (tmp_path / "page.png").stat().st_size > 10_000


def test_letter_paper_prints_on_letter_pages(page, tmp_path):
    open_worksheet(page)
    page.get_by_label("Paper", exact=True).select_option(label="Letter")
    settle(page)
    assert printed(page, tmp_path)[1] == POINTS["Letter"]
    page.get_by_label("Paper", exact=True).select_option(label="A4")
    settle(page)
    assert printed(page, tmp_path)[1] == POINTS["A4"]


@pytest.mark.parametrize("copies, message", [
    ("abc", "Copies is not a number: 'abc'"),
    ("0", "Copies must be a whole number from 1 to 60"),
    ("61", "Copies must be a whole number from 1 to 60"),
])
def test_a_class_set_of_a_bad_size_says_why_and_prints_nothing(page, copies, message):
    open_worksheet(page)
    before = page.evaluate("() => window.printed")
    field = page.get_by_label("Copies", exact=True)
    field.fill(copies)
    button(page, "Print a class set").click()
    settle(page)
    assert page.locator("#sheet-copies-msg").text_content() == message
    assert field.get_attribute("aria-invalid") == "true"
    assert page.evaluate("() => window.printed") == before


def test_a_class_set_of_three_is_one_print_job_three_seeds_each_with_its_own_key(page, tmp_path):
    open_worksheet(page)
    before = page.evaluate("() => window.printed")
    page.get_by_label("Copies", exact=True).fill("3")
    page.evaluate("() => { window.asked = []; window.confirm = (question) => window.asked.push(question) > 0; }")
    button(page, "Print a class set").click()
    settle(page)
    assert page.evaluate("() => window.printed") == before + 1
    pages = int(page.locator("#sheets").get_attribute("data-class-pages"))  # a long job: asked first
    assert page.evaluate("() => window.asked") == ([f"This prints {pages} pages. Print them?"] if pages > 20 else [])
    assert page.locator("#sheet-copies-msg").text_content() == ""
    assert page.get_by_label("Copies", exact=True).get_attribute("aria-invalid") is None
    text, _ = printed(page, tmp_path, "class-set")
    exercises, keys = split_printed(text)
    assert len(exercises) == 3 and list(exercises) == list(keys)
    assert text.index("Answer key") > text.rindex("Exercise · Seed")  # every key after every sheet
    networks = {seed: exercise_data(page, seed) for seed in exercises}
    assert len({json.dumps(data["weights"]) for data in networks.values()}) == 3
    for seed, data in networks.items():
        check_sheet(exercises[seed], keys[seed], data)
    first, second = list(networks)[:2]
    assert wrong_results(keys[first], networks[second])  # a key fits its own sheet, not the next


def test_new_exercise_is_saved_and_its_seed_comes_back_from_the_link(page, browser, base_url):
    open_worksheet(page)
    before = page.get_by_label("Seed", exact=True).input_value()
    button(page, "New exercise").click()
    settle(page)
    seed = page.get_by_label("Seed", exact=True).input_value()
    assert seed != before and page.get_by_role("heading", name=f"Exercise · Seed {seed}").is_visible()
    assert saved_state(page).worksheet_seed == int(seed)
    field = page.get_by_label("Seed", exact=True)  # typed by keyboard alone
    field.fill("x")
    field.press("Enter")
    settle(page)
    assert page.locator("#sheet-seed-msg").text_content() == "Seed is not a number: 'x'"
    field.fill("4242")
    field.press("Enter")
    settle(page)
    assert page.locator("#sheet-seed-msg").text_content() == ""
    assert page.get_by_role("heading", name="Exercise · Seed 4242").is_visible()
    button(page, "Close worksheet").click()
    button(page, "Copy link").click()
    settle(page)
    link = page.url
    assert "#state=" in link
    context = browser.new_context()
    other, _ = open_live(context, link)
    open_worksheet(other)
    assert other.get_by_role("heading", name="Exercise · Seed 4242").is_visible()
    assert other.get_by_label("Seed", exact=True).input_value() == "4242"
    context.close()


def test_close_worksheet_brings_the_page_back(page):
    open_worksheet(page)
    button(page, "Close worksheet").click()
    assert page.locator("#worksheet-view").count() == 0
    assert page.locator("#architecture").is_visible() and page.locator("#formulas").is_visible()
    assert page.evaluate("() => document.activeElement.id") == "worksheet"
    assert page.evaluate("() => document.adoptedStyleSheets.length") == 0
    settle(page)
