"""The Network panel in real Chromium, over http and from file://: networks built through it,
every number then shown checked against the numpy oracle; bad input; lesson pages."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from generator import csp
from generator.__main__ import SCRIPTS
from generator.render import context, render
from panel_oracle import expected_texts
from shown import wrong_texts
from pyodide_app.state import from_preset
from pyodide_app.state import load_seed, serialise
from live_page import BATCHES_OF_AN_EDIT_JS, compare, open_editor, open_live, page_texts

SETTLE = "async () => { await pageEvents.settled(); }"
STORED_JS = """() => { for (let i = 0; i < localStorage.length; i++) {
  const key = localStorage.key(i); if (key.startsWith('neural-network-demonstration/state')) return localStorage.getItem(key); }
  return null; }"""
SNAPSHOT_JS = "() => [...document.querySelectorAll('[data-v]')].map(e => e.textContent).join('\\u0001')"


def open_page(context_, url):
    """open_live over http (requests to other origins refused and recorded); from a file, the
    page with its errors recorded (file:// has no origin to route)."""
    if not url.startswith("file:"):
        return open_live(context_, url)
    page = context_.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    page.wait_for_selector("body[data-state=live]", timeout=90_000)
    return page, SimpleNamespace(errors=errors)


def settle(page):
    page.evaluate(SETTLE)


def state_of(page) -> dict:
    """The network the page saved: its numbers are the oracle's input, never its answer."""
    return json.loads(page.evaluate(STORED_JS))


def whole_text(page) -> str:
    """Everything the page says about the network (the panel's choices of activation apart)."""
    return page.evaluate("""() => { const body = document.body.cloneNode(true);
      body.querySelector('#network-panel').remove(); return body.textContent; }""")


def build_sizes(page, text):
    field = page.get_by_role("textbox", name="Layer sizes", exact=True)
    field.fill(text)
    field.press("Enter")
    settle(page)


def choose(page, label, option_label):
    page.get_by_label(label, exact=True).select_option(label=option_label)
    settle(page)


def check_every_number(page, data: dict):
    compare(page, expected_texts(data))
    text = whole_text(page)
    sizes = data["sizes"]
    if "sigmoid" not in data["activations"]:
        assert "sigmoid" not in text.lower() and "σ" not in text
    if len(sizes) < 5:
        assert "Hidden Layer 3" not in text and "5 layers" not in text.lower()
    if sizes[0] != 3:
        assert "three inputs" not in text.lower() and "Three nodes" not in text


def build_mazur(page):
    choose(page, "Preset", "Mazur's worked example (2-2-2)")


def build_tanh_relu(page):
    build_sizes(page, "3, 3 2 2")
    choose(page, "Activation, Hidden Layer 1", "Tanh")
    choose(page, "Activation, Hidden Layer 2", "ReLU")
    choose(page, "Activation, Output Layer", "Linear")


def build_softmax(page):
    build_sizes(page, "2-3-3")
    choose(page, "Activation, Output Layer", "Softmax")
    choose(page, "Loss", "Cross-entropy")


BUILDS = {"mazur": (build_mazur, [2, 2, 2], ["sigmoid", "sigmoid"], "mse"),
          "tanh-relu": (build_tanh_relu, [3, 3, 2, 2], ["tanh", "relu", "linear"], "mse"),
          "softmax": (build_softmax, [2, 3, 3], ["sigmoid", "softmax"], "cross_entropy")}


@pytest.fixture
def fresh(browser, base_url):
    context_ = browser.new_context()
    page, w = open_live(context_, base_url)
    yield page
    assert w.errors == [] and w.foreign == []
    context_.close()


@pytest.mark.parametrize("name", BUILDS)
def test_a_network_built_in_the_panel_shows_the_oracles_numbers(fresh, name):
    build, sizes, activations, loss = BUILDS[name]
    build(fresh)
    data = state_of(fresh)
    assert (data["sizes"], data["activations"], data["loss"]) == (sizes, activations, loss)
    check_every_number(fresh, data)
    fresh.get_by_role("button", name="Step").click()
    settle(fresh)
    after = state_of(fresh)
    assert after["epoch"] == 1
    shown = {k: v for k, v in page_texts(fresh).items() if k.startswith(("a-", "loss", "w-"))}
    missing, extra, wrong = wrong_texts(shown, expected_texts(after))
    assert shown and extra == [] and wrong == {}


def test_on_the_largest_network_an_edits_answer_holds_the_layer_blocks_on_screen(fresh):
    build_sizes(fresh, "8-8-8-8-8-8")
    settle(fresh)
    fresh.evaluate("() => document.getElementById('forward-1').scrollIntoView()")
    fresh.wait_for_function("() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))")
    settle(fresh)
    answer, *rest = fresh.evaluate(BATCHES_OF_AN_EDIT_JS, ["inputs[0]", "0.7"])
    assert {"z-1-0@f", "s-1-7@f"} <= set(answer)  # the first layer's block, on screen (in its cards)
    assert not {"z-5-0@f", "d-1-0@b"} & set(answer)  # the last block is screens away; no δ on screen
    assert rest and {"z-5-0@f", "d-1-0@b"} <= set(rest[0])
    check_every_number(fresh, state_of(fresh))


def test_mazur_shows_his_published_numbers(fresh):
    build_mazur(fresh)
    assert fresh.text_content("#main [data-v=loss]") == "0.298371"
    fresh.get_by_role("button", name="Step").click()
    settle(fresh)
    open_editor(fresh)  # its fields are drawn on opening
    assert abs(float(fresh.input_value("#field-w-2-0-0")) - 0.35891648) < 5e-9  # w5
    assert abs(float(fresh.input_value("#field-w-1-0-0")) - 0.149780716) < 5e-10  # w1


BAD_SIZES = ["0-2", "3-9-2", "3--2", "abc", "-".join(["2"] * 20), "7" * 10_000]


def test_bad_layer_sizes_get_a_message_and_the_network_stays(fresh):
    field = fresh.get_by_role("textbox", name="Layer sizes", exact=True)
    before = fresh.evaluate(SNAPSHOT_JS)
    for text in BAD_SIZES:
        build_sizes(fresh, text)
        message = fresh.text_content("#msg-field-sizes").strip()
        assert message.startswith(("Layer sizes ", "Input Layer ", "Hidden Layer ", "Output Layer ")), text[:20]
        assert field.get_attribute("aria-invalid") == "true"
        assert fresh.evaluate(SNAPSHOT_JS) == before, text[:20]
    build_sizes(fresh, "2-2-1")
    assert fresh.text_content("#msg-field-sizes") == "" and field.get_attribute("aria-invalid") is None
    choose(fresh, "Activation, Output Layer", "Softmax")
    assert fresh.text_content("#msg-field-activations-1").startswith("Softmax needs two output neurons or more")
    assert state_of(fresh)["activations"] == ["sigmoid", "sigmoid"]
    choose(fresh, "Activation, Output Layer", "Tanh")
    choose(fresh, "Loss", "Cross-entropy")
    assert "between 0 and 1" in fresh.text_content("#msg-field-loss")
    assert state_of(fresh)["loss"] == "mse"


def test_randomise_uses_the_seed_shown_and_keeps_it_in_the_link(fresh):
    seed = fresh.get_by_label("Random seed", exact=True)
    seed.fill("42")
    seed.press("Enter")
    fresh.get_by_role("button", name="Randomise").click()
    settle(fresh)
    data = state_of(fresh)
    assert data["random_seed"] == 42
    from pyodide_app.design import random_parameters
    assert [data["weights"], data["biases"]] == list(random_parameters(data["sizes"], data["activations"], 42))
    check_every_number(fresh, data)


def lesson_site(site_copy, state_text):
    """The page `python -m generator --state FILE` builds, in a copy of the site."""
    from pyodide_app.state import parse
    html = render(context(parse(state_text), csp.SITE, SCRIPTS))
    (site_copy / "index.html").write_text(html, encoding="utf-8")
    return site_copy


def other_architecture() -> str:
    return serialise(from_preset("softmax"))


def same_architecture() -> str:
    state = load_seed()
    state.inputs[0], state.network.weights[0][0][0] = 0.9, -1.25
    return serialise(state)


@pytest.mark.parametrize("lesson", [same_architecture, other_architecture])
@pytest.mark.parametrize("path", ["http", "file"])
def test_a_lesson_page_starts_from_its_own_network_and_resets_to_it(browser, site_copy, lesson, path):
    from conftest import serve
    text = lesson()
    lesson_site(site_copy, text)
    server = serve(site_copy) if path == "http" else None
    url = f"http://127.0.0.1:{server.server_address[1]}/" if server else (site_copy / "index.html").as_uri()
    context_ = browser.new_context()
    try:
        page, w = open_page(context_, url)
        settle(page)
        data = json.loads(text)
        check_every_number(page, data)  # live numbers: the file's, never the seed's
        page.get_by_label("Input 1", exact=True).fill("0.125")
        settle(page)
        page.get_by_role("button", name="Reset").click()
        settle(page)
        check_every_number(page, data)
        assert w.errors == []
    finally:
        context_.close()
        if server:
            server.shutdown()


def test_file_page_builds_a_softmax_network(browser, site):
    context_ = browser.new_context()
    try:
        page, w = open_page(context_, (site / "index.html").as_uri())
        build_softmax(page)
        check_every_number(page, state_of(page))
        assert w.errors == []
    finally:
        context_.close()


def test_a_version_1_link_of_another_architecture_loads(fresh, base_url):
    from pathlib import Path
    link = (Path(__file__).parent / "fixtures" / "v1-mazur-2-2-2-link.txt").read_text().strip()
    fragment = link[link.index("#"):] if "#" in link else "#" + link
    fresh.goto(base_url + fragment)
    fresh.wait_for_selector("body[data-state=live]", timeout=90_000)
    settle(fresh)
    data = state_of(fresh)
    assert data["sizes"] == [2, 2, 2]
    check_every_number(fresh, data)
    assert re.search(r"2 Input → 2 Hidden → 2 Output", fresh.text_content("#lede"))


def test_storage_that_refuses_writes_gets_one_notice_and_the_page_works_on(browser, base_url):
    context_ = browser.new_context()
    context_.add_init_script("Storage.prototype.setItem = function () { "
                             "throw new DOMException('full', 'QuotaExceededError'); };")
    page, w = open_live(context_, base_url)
    field = page.get_by_label("Input 1", exact=True)
    notice = page.locator("#notice")
    field.fill("0.25")
    settle(page)
    expect(notice).to_contain_text("does not let the page keep your work")
    expect(notice).to_have_class(re.compile(r"\berror\b"))
    page.locator("#notice").evaluate("element => { element.textContent = ''; }")
    field.fill("0.35")
    settle(page)
    page.get_by_role("button", name="Step", exact=True).click()
    settle(page)
    assert notice.text_content() == "", "the notice came again"
    assert page.locator("#main [data-v=epoch]").text_content() == "1"  # the page works on
    assert w.errors == []
    context_.close()
