"""Own data on the live page, in real Chromium: a CSV imported through the file input draws its
points, and the forward pass shows its inputs scaled to −1…1; a CSV with a bad cell is refused
with its row and column named and the page unchanged; pasted text works; drawing adds a point
and a click on it takes it away; own data round-trip through Export/Import and the link, and a
link too long for them leaves them out and says so. Every expected number is worked out here
from the CSV text, never read from the page."""

from __future__ import annotations

import base64
import json
from random import Random

import numpy as np
import pytest
from playwright.sync_api import expect

from axe import violations
from live_page import open_live
from pyodide_app.notation.numbers import number

SETTLE = "async () => { await pageEvents.settled(); }"
STORED_JS = """() => { for (let i = 0; i < localStorage.length; i++) {
  const key = localStorage.key(i); if (key.startsWith('neural-network-demonstration/state')) return localStorage.getItem(key); }
  return null; }"""


def csv_text(rows: int = 40, seed: int = 3) -> tuple[str, np.ndarray]:
    """age, height and passed (1 above 40 years): the text and its numbers."""
    rng = Random(seed)
    table = []
    for _ in range(rows):
        age, height = rng.randint(10, 80), round(rng.uniform(1.4, 2.0), 2)
        table.append((age, height, 1 if age > 40 else 0))
    return "age,height,passed\n" + "".join(f"{a},{h},{p}\n" for a, h, p in table), np.array(table, dtype=float)


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(context, base_url):
    page, w = open_live(context, base_url)
    yield page
    assert w.errors == [], "console or page errors"


def settle(page):
    page.evaluate(SETTLE)


def stored(page) -> dict:
    return json.loads(page.evaluate(STORED_JS))


def import_csv(page, text: str, name: str = "people.csv"):
    page.locator("#own-file").set_input_files(files=[{"name": name, "mimeType": "text/csv",
                                                       "buffer": text.encode()}])
    page.wait_for_function("() => document.getElementById('own-message').textContent !== ''")
    settle(page)


def test_an_imported_csv_is_drawn_and_the_forward_pass_shows_its_scaled_inputs(page):
    expect(page.get_by_role("button", name="Import CSV")).to_be_enabled()
    text, table = csv_text()
    import_csv(page, text)
    expect(page.locator("#own-message")).to_have_text("Read 40 rows of 3 columns.")
    state = stored(page)
    assert state["data"]["rows"] == table.tolist() and state["sizes"][0] == 2 and state["sizes"][-1] == 1
    assert len(page.evaluate("() => pagePlot.state.points.x")) == 40
    expect(page.locator("#data-plot")).to_be_visible()
    shown = state["data"]["shown"]
    low, high = table[:, :2].min(axis=0), table[:, :2].max(axis=0)
    scaled = 2 * (table[shown, :2] - low) / (high - low) - 1
    for i, x in enumerate(scaled):
        assert page.locator(f'[data-v="a-0-{i}"]').first.text_content() == number(float(x))
    expect(page.locator("#own-scaled")).to_contain_text("The formulas show the scaled values")
    expect(page.get_by_label("Scale inputs to −1…1")).to_be_checked()
    # unscaled, the forward pass shows the file's own numbers
    page.get_by_label("Scale inputs to −1…1").uncheck()
    settle(page)
    for i, x in enumerate(table[shown, :2]):
        assert page.locator(f'[data-v="a-0-{i}"]').first.text_content() == number(float(x))
    # the target chosen: height from age alone is a regression, on one linear output
    page.get_by_label("Target", exact=True).select_option("height")
    settle(page)
    page.get_by_label("passed").uncheck()
    settle(page)
    state = stored(page)
    assert state["data"]["target"] == "height" and state["data"]["inputs"] == ["age"]
    assert state["sizes"][0] == 1 and state["activations"][-1] == "linear"


def test_a_csv_with_a_bad_cell_is_refused_and_nothing_changes(page):
    text, _ = csv_text()
    import_csv(page, text)
    before = stored(page)
    points = page.evaluate("() => pagePlot.state.points")
    forward = page.locator('[data-v="a-0-0"]').first.text_content()
    lines = text.splitlines()
    lines[16] = "n/a," + lines[16].split(",", 1)[1]  # the 17th row as a spreadsheet counts it
    page.evaluate("() => document.getElementById('own-message').textContent = ''")
    import_csv(page, "\n".join(lines) + "\n", "bad.csv")
    expect(page.locator("#own-message")).to_have_text("Row 17, column 'age': 'n/a' is not a number.")
    expect(page.locator("#own-message")).to_have_class("own-message error")
    assert stored(page) == before
    assert page.evaluate("() => pagePlot.state.points") == points
    assert page.locator('[data-v="a-0-0"]').first.text_content() == forward
    assert "Traceback" not in page.locator("body").text_content()


def test_pasted_csv_text_is_used(page):
    page.locator("summary", has_text="Paste CSV").click()
    page.get_by_label("Paste CSV").fill("a,b,c,label\n1,2,3,0\n4,5,6,1\n7,8,9,2\n2,2,2,1\n")
    page.get_by_role("button", name="Use these data").click()
    page.wait_for_function("() => document.getElementById('own-message').textContent !== ''")
    settle(page)
    state = stored(page)
    assert state["data"]["columns"] == ["a", "b", "c", "label"] and state["data"]["inputs"] == ["a", "b", "c"]
    assert state["sizes"][0] == 3 and state["sizes"][-1] == 3  # three classes: one softmax output each
    assert state["activations"][-1] == "softmax" and state["loss"] == "cross_entropy"
    assert len(page.evaluate("() => pagePlot.state.points.x")) == 4


def test_drawing_adds_a_point_and_a_click_on_it_takes_it_away(page):
    text = "x,y,class\n0,0,0\n10,0,1\n0,10,0\n10,10,1\n"
    import_csv(page, text)
    page.get_by_label("Draw points").check()
    page.get_by_label("Class", exact=True).select_option(label="class 1 (1)")
    canvas = page.locator("#plot-points")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    # the plot's axes run over the scaled values −1 … 1, widened by a tenth each side: −1.2 … 1.2
    at = (0.25, 0.5)  # a quarter across, half way up
    page.mouse.click(box["x"] + at[0] * box["width"], box["y"] + at[1] * box["height"])
    settle(page)
    rows = stored(page)["data"]["rows"]
    assert len(rows) == 5
    scaled = (-1.2 + 2.4 * at[0], 1.2 - 2.4 * at[1])
    expected = [(s + 1) / 2 * 10 for s in scaled]  # back to the file's values, 0 … 10
    assert rows[-1][2] == 1 and np.allclose(rows[-1][:2], expected, atol=0.05)
    assert len(page.evaluate("() => pagePlot.state.points.x")) == 5
    page.mouse.click(box["x"] + at[0] * box["width"] + 2, box["y"] + at[1] * box["height"] - 2)
    settle(page)
    assert stored(page)["data"]["rows"] == [[0, 0, 0], [10, 0, 1], [0, 10, 0], [10, 10, 1]]
    assert len(page.evaluate("() => pagePlot.state.points.x")) == 4
    expect(page.get_by_label("Draw points")).to_be_checked()


def test_own_data_round_trip_through_export_import_and_the_link(page, context, base_url, tmp_path):
    text, table = csv_text(30)
    import_csv(page, text)
    saved = stored(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Export", exact=True).click()
    path = tmp_path / "own.json"
    info.value.save_as(path)
    assert json.loads(path.read_text())["data"]["rows"] == table.tolist()
    page.get_by_label("Dataset", exact=True).select_option(label="One sample")
    settle(page)
    assert "data" not in stored(page)
    page.locator("#import-file").set_input_files(str(path))
    expect(page.locator("#notice")).to_contain_text("Loaded own.json")
    settle(page)
    assert stored(page) == saved
    assert len(page.evaluate("() => pagePlot.state.points.x")) == 30
    # the link carries the data while it is short
    page.get_by_role("button", name="Copy link", exact=True).click()
    expect(page.locator("#share-message")).not_to_have_text("")
    encoded = page.url.split("#state=", 1)[1]
    assert json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))) == saved
    other = context.browser.new_context()
    try:
        second, w = open_live(other, page.url)
        expect(second.locator("#notice")).to_contain_text("Loaded the network from the link")
        assert json.loads(second.evaluate(STORED_JS)) == saved
        assert len(second.evaluate("() => pagePlot.state.points.x")) == 30
        assert w.errors == []
    finally:
        other.close()
    # a thousand rows make too long a link: it leaves the data out, and the page says so
    big, _ = csv_text(1000)
    import_csv(page, big, "big.csv")
    page.get_by_role("button", name="Copy link", exact=True).click()
    expect(page.locator("#notice")).to_contain_text("The link leaves your own data out")
    expect(page.locator("#notice")).to_contain_text("Export")
    encoded = page.url.split("#state=", 1)[1]
    assert len(page.url) < 8 * 1024
    assert "data" not in json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))


def test_a_csv_dropped_on_the_plot_is_read(page):
    import_csv(page, "p,q,r\n1,2,0\n2,1,1\n3,3,0\n")
    page.evaluate("() => document.getElementById('own-message').textContent = ''")
    page.evaluate("""(text) => { const data = new DataTransfer();
        data.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
        document.getElementById('plot-points').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true })); }""",
                  "u,v,w\n1,1,0\n2,2,1\n3,1,0\n4,2,1\n5,5,0\n")
    page.wait_for_function("() => document.getElementById('own-message').textContent !== ''")
    settle(page)
    assert stored(page)["data"]["columns"] == ["u", "v", "w"]
    assert len(page.evaluate("() => pagePlot.state.points.x")) == 5


@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)])
def test_the_panel_with_own_data_has_no_accessibility_violations(browser, base_url, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page, w = open_live(context, base_url)
        page.get_by_label("Dataset", exact=True).select_option(label="Your own data")
        expect(page.locator("#own-message")).to_contain_text("Import a CSV file")
        expect(page.get_by_label("Paste CSV")).to_be_visible()  # where to paste opens
        expect(page.get_by_role("button", name="Import CSV")).to_be_focused()
        page.get_by_role("button", name="Use these data").click()  # the example it holds
        page.wait_for_function("() => /^Read/.test(document.getElementById('own-message').textContent)")
        settle(page)
        page.get_by_label("Draw points").check()
        assert violations(page) == []
        assert w.errors == []
    finally:
        context.close()
