"""The live page in real Chromium: every number it shows after an action, against the oracle.

One page (one Pyodide load) for the whole module; the tests run in file order and each
one knows the network state the previous ones left behind (`MODEL`), so every expected
number is computed independently by tests/oracle.py and formatted by
pyodide_app.notation.numbers, never read back from the page.
"""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import urlsplit

import numpy as np
import pytest
from playwright.sync_api import expect

import oracle
from shown import base
from live_page import (BATCHES_OF_AN_EDIT_JS, FIELDS_JS, Model, as_float, compare, epoch_of,
                       expected_texts, field_names, loss_of, numbers_only, open_editor, open_live,
                       page, page_texts, seed_model, split_field, static_page, stored)  # noqa: F401 (page: a fixture)
from pyodide_app.notation.numbers import number


@pytest.fixture(scope="module")
def live(browser, base_url):
    context = browser.new_context()
    yield open_live(context, base_url)
    context.close()


MODEL: dict[str, Model] = {}


# ---- the tests, in order ------------------------------------------------------------------------

def test_page_becomes_live_showing_the_seed(live, page, site):
    _, w = live
    assert page.get_attribute("body", "data-state") == "live"
    assert w.errors == []
    expect(page.locator("#load-error")).to_be_hidden()
    for name in ("Step", "Train", "Reset", "Copy link", "Export"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_enabled()
    # the live rendering of the seed is the oracle's, and is the build's
    compare(page, expected_texts(seed_model()))
    assert numbers_only(page_texts(page)) == numbers_only(static_page(site).texts)
    MODEL["now"] = seed_model()


def test_the_weight_editor_is_drawn_when_first_opened(page, site):
    assert "field-w-" not in (site / "index.html").read_text(encoding="utf-8")  # the build's page is smaller
    assert page.locator("#parameter-fields input").count() == 0
    page.get_by_label("Input 1", exact=True).fill("0.25")  # an edit before: the editor shows its moment
    page.keyboard.press("Enter")
    page.evaluate("() => pageEvents.settled()")
    m = MODEL["now"].copy()
    m.set("inputs[0]", 0.25)
    m.set("weights[2][1][0]", 1.25)
    page.evaluate("() => pageEvents.send('field', {field: 'weights[2][1][0]', text: '1.25'})")
    open_editor(page)
    fields = page.evaluate(FIELDS_JS)
    assert set(fields) == set(field_names())
    wrong = {name: (fields[name], m.get(name)) for name in field_names() if not oracle.close(float(fields[name]), m.get(name))}
    assert not wrong, wrong
    expect(page.get_by_label("Weight H2-1 → H3-2", exact=True)).to_be_enabled()
    assert page.evaluate("() => document.querySelector('#field-w-3-1-0').inputMode") == "decimal"
    compare(page, expected_texts(m))
    MODEL["now"] = m


def test_input_changes_every_dependent_number(page):
    field = page.get_by_label("Input 1", exact=True)
    field.fill("0.9")
    field.press("Enter")
    expect(page.locator("#main [data-v=a-0-0]").first).to_have_text("0.9000")
    assert field.get_attribute("aria-invalid") is None
    m = MODEL["now"].copy()
    m.set("inputs[0]", 0.9)
    compare(page, expected_texts(m))
    # every sum, activation and loss term downstream of Input 1 moved
    seed, now = expected_texts(seed_model()), expected_texts(m)
    for key in seed:
        if re.fullmatch(r"[za]-[1-4]-\d|lq-\d|loss", key):
            assert seed[key] != now[key], key
    assert stored(page)["inputs"] == [0.9, 0.3, 0.8]
    MODEL["now"] = m


def test_an_edits_answer_holds_the_parts_on_screen_and_the_rest_follows(page):
    """Python learns which formula sections are on screen as soon as it starts, so the answer to
    an edit carries only those; the others follow it."""
    page.evaluate("() => scrollTo(0, 0)")
    page.evaluate("() => pageEvents.settled()")
    answer, *rest = page.evaluate(BATCHES_OF_AN_EDIT_JS, ["inputs[0]", "0.7"])
    assert "a-0-0" in answer and "loss" in answer  # the diagram and the status line: on screen
    later = {"z-1-0@f", "d-4-0@b", "nw-1-0-0"}  # H1-1's sum in its forward card, Out-1's δ in its card
    assert not later & set(answer), "formulas off screen came in the answer"
    assert rest and later <= set(rest[0])
    page.evaluate("() => document.getElementById('forward').scrollIntoView()")
    page.wait_for_function("() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))")
    page.evaluate("() => pageEvents.settled()")
    answer, *rest = page.evaluate(BATCHES_OF_AN_EDIT_JS, ["inputs[0]", "0.9"])
    assert "z-1-0@f" in answer  # the forward pass, now on screen, comes with the answer
    page.evaluate("() => scrollTo(0, 0)")
    compare(page, expected_texts(MODEL["now"]))  # the same value as before: every number as the oracle's


def test_step_moves_every_weight_by_minus_alpha_times_gradient(page):
    before = MODEL["now"]
    open_editor(page)
    fields_before = page.evaluate(FIELDS_JS)
    page.get_by_role("button", name="Step", exact=True).click()
    expect(page.locator("#main [data-v=epoch]").first).to_have_text("1")
    after = before.step()
    compare(page, expected_texts(after, shown=before))
    # the fields hold the new parameters: old − α·∂L/∂w, from the oracle's gradients
    p = oracle.full_pass(before.net, before.inputs, before.targets)
    fields = page.evaluate(FIELDS_JS)
    for name in field_names():
        kind, idx = split_field(name)
        if kind == "weights":
            want = before.net.weights[idx[0]][idx[1], idx[2]] - 0.1 * p.weight_gradients[idx[0]][idx[1], idx[2]]
        elif kind == "biases":
            want = before.net.biases[idx[0]][idx[1]] - 0.1 * p.bias_gradients[idx[0]][idx[1]]
        else:
            want = before.get(name)
            assert fields[name] == fields_before[name], name
        assert oracle.close(float(fields[name]), want), f"{name}: field {fields[name]}, oracle {want!r}"
        assert oracle.close(float(fields[name]), after.get(name)), name
        if kind in ("weights", "biases"):
            assert fields[name] != fields_before[name], f"{name} did not move"
    s = stored(page)
    assert s["epoch"] == 1
    oracle.assert_close(np.concatenate([np.ravel(w) for w in s["weights"]]),
                        np.concatenate([np.ravel(w) for w in after.net.weights]), "stored weights")
    MODEL["now"] = after


def test_train_then_pause_lowers_the_loss(page):
    train = page.locator("#train")
    loss_before, epoch_before = loss_of(page), epoch_of(page)
    expect(train).to_have_text("Train")
    page.get_by_label("Speed", exact=True).select_option(label="Fast")  # thousands of steps
    page.evaluate("() => pageEvents.settled()")
    train.click()
    expect(train).to_have_text("Pause")
    page.wait_for_function("() => +document.querySelector('#main [data-v=epoch]').textContent"
                           ".replace(/,/g, '') > 2000", timeout=30_000)
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(train).to_have_text("Train")
    expect(page.locator("#training-message")).to_contain_text("Paused at epoch")
    epoch = epoch_of(page)
    assert epoch > epoch_before + 2000
    assert loss_of(page) < loss_before
    page.wait_for_timeout(300)
    assert epoch_of(page) == epoch, "training went on after Pause"
    # what the page shows after training is what the oracle computes for its saved state
    m = Model.from_data(stored(page))
    assert m.epoch == epoch
    compare(page, expected_texts(m))
    # and training is the oracle's gradient descent: its loss after as many steps
    trained = oracle.train(MODEL["now"].net, m.inputs, m.targets, m.learning_rate, epoch - MODEL["now"].epoch)
    oracle.assert_close(np.concatenate([np.ravel(w) for w in m.net.weights]),
                        np.concatenate([np.ravel(w) for w in trained.weights]), "trained weights",
                        abs_tol=1e-9, rel_tol=1e-9)
    # the loss curve got its points
    points = page.get_attribute("#curve-line", "points").split()
    assert len(points) >= 2
    _, _, width, height = map(float, page.get_attribute("#loss-curve", "viewBox").split())
    for point in points:
        x, y = map(float, point.split(","))
        assert 0 <= x <= width and 0 <= y <= height
    x_max = page.locator("[data-curve=x_max], [data-v=curve-x_max]").first.text_content()
    assert x_max.replace(",", "") == str(epoch)
    MODEL["now"] = m


def test_a_part_scrolled_into_view_while_training_shows_the_current_numbers(page):
    """While training, each frame writes only the parts of the page on screen. A part that
    scrolls into view must show the numbers of the epoch shown in that same frame; Pause
    brings the rest, and the diagram's names, up to date."""
    page.get_by_role("button", name="Reset", exact=True).click()  # far from trained: every number moves
    # the seed's numbers on the page before `stale` is read: else the Reset's own answer, arriving
    # late, could pass for the part's first frame while training
    page.evaluate("() => pageEvents.settled()")
    start = seed_model()
    page.evaluate("window.scrollTo(0, 0)")
    stale = page.locator("#updates [data-v=ow-4-0-0]").first.text_content()
    page.locator("#train").click()
    page.wait_for_function("() => +document.querySelector('#main [data-v=epoch]').textContent"
                           ".replace(/,/g, '') > 300", timeout=30_000)
    page.locator("#updates").scroll_into_view_if_needed()
    page.wait_for_function(f"() => document.querySelector('#updates [data-v=ow-4-0-0]').textContent !== {stale!r}",
                           timeout=10_000)
    snapshot = page.evaluate("""() => ({
        epoch: document.querySelector('#main [data-v=epoch]').textContent,
        shown: Object.fromEntries([...document.querySelectorAll('#updates [data-v]')]
                                  .map(e => [e.dataset.v, e.textContent]))})""")
    page.get_by_role("button", name="Pause", exact=True).click()
    epoch = int(snapshot["epoch"].replace(",", ""))
    m = start.copy()
    m.net = oracle.train(start.net, m.inputs, m.targets, m.learning_rate, epoch - start.epoch)
    m.epoch = epoch
    expected = expected_texts(m)
    for key, text in snapshot["shown"].items():
        if key in ("lr", "updates-when") or key.startswith("="):
            assert text == expected.get(key, "="), key
        else:  # to the digits shown; the oracle sums in another order, over hundreds of steps
            unit = 10.0 ** -len(text.strip("()").partition(".")[2])
            assert abs(as_float(text) - expected.numbers[base(key)][0]) <= unit / 2 + 1.5e-6, (key, text)
    # after Pause: every number of the saved state, and every line's name
    m = Model.from_data(stored(page))
    compare(page, expected_texts(m))
    labels = page.evaluate("() => Object.fromEntries([...document.querySelectorAll('.edge')]"
                           ".map(e => [e.id, e.getAttribute('aria-label')]))")
    for edge_id, label in labels.items():
        l, j, i = map(int, edge_id.split("-")[1:])
        assert label.endswith(f" = {number(float(m.net.weights[l - 1][j, i]))}"), (edge_id, label)
    MODEL["now"] = m


def test_editing_a_weight_from_the_diagram(page):
    edge = page.locator("#edge-2-0-1")
    page.mouse.move(0, 0)  # off the diagram: a line that scrolls under a resting pointer is pointed at
    edge.focus()
    expect(page.locator("#edge-readout")).to_contain_text("Weight H1-2 → H2-1 =")
    page.keyboard.press("Enter")
    expect(page.locator("details#parameters")).to_have_attribute("open", "")
    expect(page.locator("#field-w-2-0-1")).to_be_focused()
    page.keyboard.type("1.5")
    page.keyboard.press("Enter")
    expect(page.locator('#main [data-v="(w-2-0-1"]').first).to_have_text("1.5000")
    m = MODEL["now"].copy()
    m.set("weights[1][0][1]", 1.5)
    compare(page, expected_texts(m))
    assert edge.get_attribute("aria-label") == "Weight H1-2 → H2-1 = 1.5000"
    assert page.input_value("#field-w-2-0-1") == "1.5"
    # a click selects a line (a tap must not jump away); the panel's Edit weight opens its field
    page.locator("#field-w-1-0-0").focus()
    page.locator("#edge-4-1-0").dispatch_event("click")
    edit = page.get_by_role("button", name="Edit weight", exact=True)
    expect(edit).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "field-w-1-0-0"
    edit.click()
    assert page.evaluate("document.activeElement.id") == "field-w-4-1-0"
    page.get_by_role("button", name="Clear selection", exact=True).click()
    expect(page.locator("#selection")).to_be_hidden()
    MODEL["now"] = m


def test_slider_syncs_its_field_and_the_formulas(page):
    slider = page.get_by_label("Input 2 slider")
    slider.fill("0.25")
    expect(page.locator("#field-inputs-1")).to_have_value("0.25")
    m = MODEL["now"].copy()
    m.set("inputs[1]", 0.25)
    compare(page, expected_texts(m))
    # and the other way: the field moves the slider
    field = page.get_by_label("Input 2", exact=True)
    field.fill("0.75")
    field.press("Enter")
    expect(slider).to_have_value("0.75")
    m.set("inputs[1]", 0.75)
    compare(page, expected_texts(m))
    # a target slider too
    page.get_by_label("Target 2 slider").fill("0.6")
    expect(page.locator("#field-targets-1")).to_have_value("0.6")
    m.set("targets[1]", 0.6)
    compare(page, expected_texts(m))
    MODEL["now"] = m


def test_keyboard_alone_reaches_and_works_the_controls(page):
    page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    wanted = {"field-inputs-0", "field-inputs-1", "field-inputs-2", "field-targets-0", "field-targets-1",
              "slider Input 1", "slider Input 2", "slider Input 3", "slider Target 1", "slider Target 2",
              "field-learning_rate", "field-speed", "step", "train", "reset", "copy-link", "export",
              "import", "parameters summary", "edge-1-0-0", "edge-4-1-1"}
    reached = []
    for _ in range(200):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("""() => {
          const e = document.activeElement;
          if (e.type === 'range') return 'slider ' + e.getAttribute('aria-label').replace(' slider', '');
          if (['import', 'import-file', 'import-label'].includes(e.id)) return 'import';
          if (e.tagName === 'SUMMARY') return e.parentElement.id + ' summary';
          return e.id || e.tagName;
        }"""))
        if wanted <= set(reached):
            break
    assert wanted <= set(reached), f"never reached by Tab: {sorted(wanted - set(reached))}"
    # and they work from the keyboard: Enter on Step, Space on Train
    m = MODEL["now"]
    page.locator("#step").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#main [data-v=epoch]").first).to_have_text(f"{m.epoch + 1:,}")
    compare(page, expected_texts(m.step(), shown=m))
    page.locator("#train").focus()
    page.keyboard.press(" ")
    expect(page.locator("#train")).to_have_text("Pause")
    page.wait_for_timeout(300)
    page.keyboard.press(" ")
    expect(page.locator("#train")).to_have_text("Train")
    assert epoch_of(page) > m.epoch + 1


def test_reset_restores_the_seed_exactly(page, site):
    static = static_page(site)
    assert numbers_only(page_texts(page)) != numbers_only(static.texts)
    page.get_by_role("button", name="Reset", exact=True).click()
    page.evaluate("() => pageEvents.settled()")
    expect(page.locator("#notice")).to_contain_text("Back to the starting network")
    assert numbers_only(page_texts(page)) == numbers_only(static.texts)
    fields = page.evaluate(FIELDS_JS)  # the build has no weight fields: the editor draws them
    assert {name: fields[name] for name in static.fields} == static.fields
    seed = seed_model()
    assert {name: float(fields[name]) for name in field_names()} == {name: seed.get(name) for name in field_names()}
    for j, value in enumerate(oracle.seed_data()["inputs"]):
        assert float(page.get_by_label(f"Input {j + 1} slider").input_value()) == value
    assert page.text_content("#train") == "Train"
    assert page.input_value("#field-speed") == "normal"
    compare(page, expected_texts(seed_model()))


def test_no_request_leaves_localhost(live, page):
    _, w = live
    assert w.requests, "the route saw no requests"
    assert w.foreign == []
    assert all(urlsplit(u).hostname == "127.0.0.1" for u in w.requests)


# ---- last: the tests that found bugs (see the report) --------------------------------------------

def test_after_reset_every_data_v_text_is_the_builds_loss_curve_included(page, site):
    """Reset (done above) shows the seed; the build rendered the same seed. Every data-v
    text, the loss curve's axis labels among them, must read the same."""
    shown, static = page_texts(page), static_page(site).texts
    differ = {k: (shown.get(k), static[k]) for k in static if shown.get(k) != static[k]}
    assert not differ, f"live after Reset vs build (live, build): {differ}"


def test_fields_follow_a_network_loaded_while_a_field_has_focus(page):
    """A link pasted into the address bar (hashchange) while the cursor was last in a number
    field: once the field is left, every field must show the network the page now uses."""
    data = oracle.seed_data()
    data.update(inputs=[0.9, 0.3, 0.8], learning_rate=0.5, epoch=3)
    m = Model.from_data(data)
    page.locator("#field-inputs-0").focus()
    fragment = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    page.evaluate("f => { location.hash = f; }", "#state=" + fragment)
    expect(page.locator("#notice")).to_contain_text("Loaded the network from the link")
    compare(page, expected_texts(m))
    # leave the field, take one step: the numbers and every field follow the state
    page.locator("#step").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#main [data-v=epoch]").first).to_have_text("4")
    after = m.step()
    compare(page, expected_texts(after, shown=m))
    open_editor(page)
    fields = page.evaluate(FIELDS_JS)
    stale = {name: (fields[name], after.get(name)) for name in field_names()
             if not oracle.close(float(fields[name]), after.get(name))}
    assert not stale, f"fields showing another value than the state (field, state): {stale}"


def test_import_takes_a_visible_keyboard_focus(page):
    """Tab from Export reaches Import; the element holding focus must be the visible Import
    control, not a 1×1 px clipped file input; Space and Enter there open the file input."""
    page.locator("#export").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => {
      const e = document.activeElement, r = e.getBoundingClientRect();
      return {id: e.id, width: r.width, height: r.height};
    }""")
    assert focused["id"] in ("import", "import-label", "import-file"), focused
    assert focused["width"] >= 16 and focused["height"] >= 16, f"keyboard focus is invisible: {focused}"
    # Both keys must make the page open its file input. Headless Chromium at times opens the
    # chooser without reporting it to Playwright (the input was clicked every time: 36 of 36
    # presses), so the click is what the test can rely on. A page has one chooser at a time:
    # each is closed when it is reported.
    page.evaluate("""() => { window.__picks = 0;
        document.getElementById('import-file').addEventListener('click', () => window.__picks++); }""")
    page.once("filechooser", lambda opened: opened.set_files([]))
    page.keyboard.press("Space")
    page.wait_for_function("() => window.__picks === 1", timeout=5000)
    page.once("filechooser", lambda opened: opened.set_files([]))
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.__picks === 2", timeout=5000)


def test_a_message_protocol_py_does_not_name_is_refused_before_it_is_sent(page):
    """The page knows the message kinds from protocol.js, which the build writes from protocol.py."""
    refused = page.evaluate("""() => {
      try { pageEvents.send("noSuchMessage"); return null; } catch (error) { return error.message; }
    }""")
    assert refused and "noSuchMessage" in refused
    page.evaluate("() => pageEvents.settled()")  # nothing was counted as waiting for an answer
