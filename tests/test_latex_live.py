"""Copy LaTeX and the downloads on the live page, over http and from file://.

In Chromium, Firefox and WebKit (tests/engines.py): Copy LaTeX puts a card's LaTeX on the
clipboard (read back by pasting it into a text box, as a reader would) and says "Copied"
beside the button; Download notebook, Download Python script and the worksheet's Download
LaTeX save the files the command line writes for the same network. In Chromium also: every
card and the selection's chain rule, with the clipboard read by the page (permission granted),
and the LaTeX shown selected where there is no clipboard. The expected texts come from
pyodide_app's functions for the seed, which tests/test_latex.py checks against KaTeX and the
numpy oracle; the page's Content-Security-Policy is the one the build writes (test_site.py).
"""

from __future__ import annotations

import re
import time

import pytest
from live_page import LIVE_TIMEOUT
from playwright.sync_api import expect

from test_engines import engine_params, new_page, started_engines, url_of  # noqa: F401 (fixtures)
from pyodide_app import design
from pyodide_app.state import load_seed
from pyodide_app.trace import trace
from pyodide_app.view import code_export, latex
from pyodide_app.view.cards import cards
from pyodide_app.view.worksheet import KINDS

SEED = load_seed()
CARDS = ("f1-0", "L", "b4-0", "b1-3", "u")  # cards.py's ids
PASTE = "latex-pasted"  # a text box the test adds to the page, to paste into


def expected_worksheet() -> str:
    seed = SEED.worksheet_seed
    return latex.worksheet([(design.exercise(SEED, seed), seed)], tuple(KINDS))


def pasted(page, tries: int = 20) -> str:
    """What Ctrl+V puts into a text box the test adds, in view wherever the page is scrolled:
    the clipboard's text (tried again for a while, should a paste come before the copy's end)."""
    page.evaluate(f"document.body.append(Object.assign(document.createElement('textarea'), {{id: '{PASTE}'}}))")
    page.evaluate(f"document.getElementById('{PASTE}').style = 'position: fixed; top: 0; left: 0; z-index: 99'")
    text = ""
    for _ in range(tries):
        page.paste_into(f"#{PASTE}")
        if text := page.evaluate(f"document.getElementById('{PASTE}').value"):
            break
        time.sleep(0.5)
    page.evaluate(f"document.getElementById('{PASTE}').remove()")  # it covered the page's controls
    return text


# ---- every engine --------------------------------------------------------------------------------

@pytest.mark.parametrize("engine_path", engine_params(("http", "file-site")))
def test_copy_latex_and_the_downloads_work_in_every_engine(request, site, engine_path):
    engine, path = engine_path
    page = new_page(request, engine)
    try:
        page.open(url_of(request, path, site))
        assert page.wait_state() == "live"
        page.click_at("[data-latex='f1-0']")
        page.wait_for("(document.querySelector(\"[data-latex='f1-0'] + .copied\") || {}).textContent"
                      " === 'Copied'", 30)
        assert pasted(page) == latex.card(trace(SEED), "f1-0")
        for button, name, text in (("Download notebook", "neural-network-epoch-0.ipynb", code_export.notebook(SEED)),
                                   ("Download Python script", "neural-network-epoch-0.py", code_export.script(SEED))):
            page.click(button)
            assert page.downloaded(name) == text, name
        page.click("Worksheet")
        page.wait_for("document.getElementById('sheet-latex') && !document.getElementById('sheet-latex').disabled", 60)
        page.click("Download LaTeX")
        assert page.downloaded(f"worksheet-seed-{SEED.worksheet_seed}.tex") == expected_worksheet()
        assert page.errors() == []
    finally:
        page.close()


# ---- Chromium: every card, the chain rule, no clipboard ----------------------------------------

def open_page(browser, base_url, site, where: str, clipboard: bool = True):
    context = browser.new_context(accept_downloads=True)
    if clipboard:
        context.grant_permissions(["clipboard-read", "clipboard-write"])
    else:  # as on a page served over plain http from another machine: no clipboard at all
        context.add_init_script("Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined})")
    page, errors = context.new_page(), []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base_url if where == "http" else (site / "index.html").as_uri())
    page.wait_for_selector("body[data-state=live]", timeout=LIVE_TIMEOUT)
    return context, page, errors


@pytest.mark.parametrize("where", ["http", "file"])
def test_copy_latex_copies_each_card_and_the_selected_line_s_chain_rule(browser, base_url, site, where):
    context, page, errors = open_page(browser, base_url, site, where)
    try:
        t = trace(SEED)
        buttons = page.get_by_role("button", name="Copy LaTeX", exact=True)
        expect(buttons).to_have_count(sum(1 for _ in cards(t).every()))
        for card in CARDS:
            page.locator(f"[data-latex='{card}']").click()
            expect(page.locator(f"[data-latex='{card}'] + .copied")).to_have_text("Copied")
            assert page.evaluate("navigator.clipboard.readText()") == latex.card(t, card), card
        page.locator("#edge-2-1-0").click()  # a click selects the line
        page.locator("#selection").get_by_role("button", name="Copy LaTeX", exact=True).click()
        expect(page.locator("#selection .copied")).to_have_text("Copied")
        assert page.evaluate("navigator.clipboard.readText()") == latex.chain_rule(("edge", 2, 1, 0), t)
        expect(page.locator("[data-latex='L'] + .copied")).to_have_text("", timeout=5000)  # it goes
        assert errors == []
    finally:
        context.close()


def test_without_a_clipboard_the_latex_is_shown_selected_to_copy_by_hand(browser, base_url, site):
    context, page, errors = open_page(browser, base_url, site, "http", clipboard=False)
    try:
        page.locator("[data-latex='b2-1']").click()
        box = page.locator("#backprop-2-1 textarea")
        expect(box).to_have_value(latex.card(trace(SEED), "b2-1"))
        expect(box).to_be_focused()
        assert page.evaluate("[document.activeElement.selectionStart, document.activeElement.selectionEnd]") \
            == [0, len(latex.card(trace(SEED), "b2-1"))]
        status = page.locator("#backprop-2-1 .copied")
        expect(status).to_have_text(re.compile(r"^(Copied|Press Ctrl\+C \(⌘C on a Mac\) to copy\.)$"))
        assert errors == []
    finally:
        context.close()


@pytest.mark.parametrize("where", ["http", "file"])
def test_download_latex_saves_the_worksheet_and_its_key(browser, base_url, site, tmp_path, where):
    context, page, errors = open_page(browser, base_url, site, where)
    try:
        page.get_by_role("button", name="Worksheet", exact=True).click()
        with page.expect_download() as info:
            page.get_by_role("button", name="Download LaTeX", exact=True).click()
        assert info.value.suggested_filename == f"worksheet-seed-{SEED.worksheet_seed}.tex"
        info.value.save_as(tmp_path / "sheet.tex")
        assert (tmp_path / "sheet.tex").read_text(encoding="utf-8") == expected_worksheet()
        assert errors == []
    finally:
        context.close()
