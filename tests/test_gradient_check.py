"""The gradient check (pyodide_app/gradient_check.py and its section) against the numpy oracle:
its central differences are the oracle's own, of the oracle's own loss; its gradients are the
oracle's backpropagation; and the verdict says when the two disagree."""

from __future__ import annotations

import math
import re
import time
from html.parser import HTMLParser

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings

import oracle
from replies import feature
from pyodide_app import gradient_check
from pyodide_app import network as core_network
from pyodide_app.features import gradient_check as section_feature
from pyodide_app.features.gradient_check import GradientCheck
from pyodide_app.session import Session
from pyodide_app.state import State, load_seed
from pyodide_app.view import gradient_check as section
from strategies import losses_for, problems, state_of
from live_page import as_float

H = 1e-5


def run_check(state: State) -> list[gradient_check.Entry]:
    return gradient_check.check(state.network, state.inputs, state.targets)


def oracle_check(net: oracle.Net, inputs, targets):
    """(backpropagated, central differences, loss), each a list in the check's order: layer by
    layer, neuron by neuron, its weights then its bias."""
    p = oracle.full_pass(net, inputs, targets)
    fw, fb = oracle.numeric_gradients(net, lambda n: oracle.loss_at(n, inputs, targets), h=H)
    g, d = [], []
    for l in range(len(net.weights)):
        for j in range(len(net.biases[l])):
            g += list(p.weight_gradients[l][j]) + [p.bias_gradients[l][j]]
            d += list(fw[l][j]) + [fb[l][j]]
    return g, d, p.loss


def near_a_kink(net: oracle.Net, inputs, margin: float) -> bool:
    """A ReLU or leaky ReLU sum within `margin` of 0, where a step of h may cross the corner."""
    sums, _ = oracle.forward(net, inputs)
    return any(kind in ("relu", "leaky_relu") and np.min(np.abs(sums[l + 1])) < margin
               for l, kind in enumerate(net.activations))


def test_the_seed_agrees_with_the_oracles_central_differences():
    state = load_seed()
    entries = run_check(state)
    g, d, loss = oracle_check(oracle.seed_net(), state.inputs, state.targets)
    assert len(entries) == len(g) == 12 + 4 + 12 + 3 + 6 + 2 + 4 + 2
    for e, expected_g, expected_d in zip(entries, g, d):
        assert math.isclose(e.gradient, expected_g, rel_tol=1e-12, abs_tol=1e-15)
        assert math.isclose(e.central, expected_d, rel_tol=1e-6, abs_tol=1e-11)
        assert e.relative < 1e-6
    assert section.verdict(entries, 5).endswith(": backpropagation agrees with the definition of the derivative.")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(problems(max_hidden=3, max_width=5, input_bound=2.0, weight_bound=2.0))
def test_any_network_matches_the_oracle_and_agrees_away_from_kinks(problem):
    """Every activation and loss: the central differences are the oracle's (the two losses differ
    in rounding only, which the division by 2h magnifies to about 10⁻¹⁰·L), the gradients are the
    oracle's backpropagation, and away from a ReLU's kink the verdict is agreement."""
    net, inputs, targets, rate = problem
    g, d, loss = oracle_check(net, inputs, targets)
    assume(np.all(np.isfinite(g)) and np.all(np.isfinite(d)))
    entries = run_check(state_of(net, inputs, targets, rate))
    noise = 1e-9 * max(abs(loss), 1.0)
    for e, expected_g, expected_d in zip(entries, g, d, strict=True):
        assert math.isclose(e.gradient, expected_g, rel_tol=1e-9, abs_tol=1e-12 * max(abs(loss), 1.0))
        assert abs(e.central - expected_d) <= noise + 1e-6 * abs(expected_d), (e, expected_d)
        assert e.relative == gradient_check.relative_difference(e.gradient, e.central, loss) or \
            math.isclose(e.relative, gradient_check.relative_difference(e.gradient, e.central, loss), rel_tol=1e-9)
    if not near_a_kink(net, inputs, 1e-3):
        worst = gradient_check.largest(entries)
        assert worst.relative <= gradient_check.AGREES, worst


PAIRS = [(hidden, output, loss) for hidden in oracle.ELEMENTWISE for output in oracle.ACTIVATIONS
         for loss in losses_for(output)]


@pytest.mark.parametrize("hidden, output, loss", PAIRS)
def test_every_activation_and_loss_matches_the_oracle(hidden, output, loss):
    """Each pairing at least once, whatever hypothesis draws: a 3-4-3-2 network with weights
    from a fixed random generator, its sums kept away from ReLU's kink."""
    rng = np.random.default_rng(len(PAIRS) + PAIRS.index((hidden, output, loss)))
    sizes = [3, 4, 3, 2]
    net = oracle.Net([rng.uniform(-1.5, 1.5, (sizes[l + 1], sizes[l])) for l in range(3)],
                     [rng.uniform(-1, 1, n) for n in sizes[1:]], [hidden, hidden, output], loss)
    inputs = list(rng.uniform(-1, 1, 3))
    targets = [0.3, 0.7] if output in ("sigmoid", "softmax") else [0.3, -0.6 if output != "relu" else 0.6]
    assert not near_a_kink(net, inputs, 1e-3)
    g, d, _ = oracle_check(net, inputs, targets)
    entries = run_check(state_of(net, inputs, targets))
    for e, expected_g, expected_d in zip(entries, g, d, strict=True):
        assert math.isclose(e.gradient, expected_g, rel_tol=1e-9, abs_tol=1e-13)
        assert math.isclose(e.central, expected_d, rel_tol=1e-6, abs_tol=1e-10)
    assert gradient_check.largest(entries).relative <= gradient_check.AGREES


def test_a_wrong_backpropagation_is_caught_and_named(monkeypatch):
    """The check fails a backpropagation whose δ of one neuron is 1 % off."""
    right = core_network.backward

    def wrong(*args):
        deltas = right(*args)
        deltas[2][1] *= 1.01
        return deltas

    monkeypatch.setattr(core_network, "backward", wrong)  # as every sample's δs are taken
    state = load_seed()
    entries = run_check(state)
    worst = gradient_check.largest(entries)
    assert (worst.l, worst.j) == (2, 1) and 0.005 < worst.relative < 0.02
    assert all(e.relative < 1e-6 for e in entries if (e.l, e.j) != (2, 1))
    text = section.verdict(entries, 5)
    assert f"({section.parameter(worst, 5)}): backpropagation and the central difference disagree" in text
    assert "H2-2" in text


def test_the_relative_difference_measures_slopes_too_small_to_resolve_against_a_floor():
    assert gradient_check.relative_difference(0.02, 0.0201, 1.0) == pytest.approx(0.0001 / 0.0201)
    assert gradient_check.relative_difference(-0.02, 0.02, 1.0) == 2.0
    assert gradient_check.relative_difference(0.0, 3e-12, 0.5) == pytest.approx(3e-7)  # a dead ReLU's 0
    assert gradient_check.relative_difference(0.0, 2.9e-11, 0.0) == pytest.approx(2.9e-6)  # h² at a minimum
    assert gradient_check.relative_difference(2.6446e-7, 2.6432e-7, 0.69) == pytest.approx(1.4e-5)  # rounding
    assert gradient_check.relative_difference(0.0, 1e-6, 1e6) == pytest.approx(1e-7)  # rounding of a large L
    assert gradient_check.relative_difference(1e-7, -1e-7, 1e-3) == pytest.approx(0.02)  # still seen
    assert gradient_check.relative_difference(0.0, 0.0, 0.0) == 0.0


def test_the_check_leaves_the_network_as_it_was():
    state = load_seed()
    before = state.network.copy()
    run_check(state)
    assert state.network == before


# ---- the section, through the session ----------------------------------------------------------

class Rows(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self.cell = ""

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self.rows[-1].append(self.cell)
            self.cell = None


def rows_of(html: str) -> dict[str, list[str]]:
    parser = Rows()
    parser.feed(html)
    return {row[0]: row[1:] for row in parser.rows if len(row) == 4 and row[0] != "Parameter p"}


def assert_shows_the_oracle(html: str, net: oracle.Net, inputs, targets):
    g, d, _ = oracle_check(net, inputs, targets)
    rows = rows_of(html)
    assert len(rows) == len(g)
    for (gradient, central, relative), expected_g, expected_d in zip(rows.values(), g, d):
        assert abs(as_float(gradient) - expected_g) <= 5.1e-7
        assert abs(as_float(central) - expected_d) <= 5.1e-7
        assert re.fullmatch(r"0|\d\.\d × 10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+", relative), relative
    assert "agrees with the definition of the derivative" in html


def test_the_section_is_worked_out_only_while_open_and_follows_edits():
    session = Session()
    session.start("", None)
    assert "check" not in session.handle("field", "inputs[0]", "0.4")
    html = session.handle("check", True)["check"]
    data = oracle.seed_data()
    net = oracle.seed_net()
    assert_shows_the_oracle(html, net, [0.4] + data["inputs"][1:], data["targets"])
    assert "h = 1 × 10⁻⁵" in html and "Weight In-1 → H1-1" in html and "Bias Out-2" in html
    reply = session.handle("field", "weights[0][0][0]", "-1.5")
    net.weights[0][0, 0] = -1.5
    assert_shows_the_oracle(reply["check"], net, [0.4] + data["inputs"][1:], data["targets"])
    assert session.handle("check", False) == {}
    assert "check" not in session.handle("field", "inputs[0]", "0.6")


def test_a_check_that_fails_leaves_the_edit_standing(monkeypatch):
    session = Session()
    session.start("", None)
    session.handle("check", True)

    def broken(*args):
        raise OverflowError("math range error")

    monkeypatch.setattr(gradient_check, "check", broken)
    reply = session.handle("field", "inputs[0]", "0.9")
    assert reply["check"] == f"<p>{section.FAILED}</p>" and "notice" not in reply
    assert session.state.inputs[0] == 0.9 and reply["batch"]["text"]["a-0-0"] == "0.9000"


def test_while_training_the_section_is_refreshed_at_most_once_a_second():
    session = Session()
    session.start("", None)
    before = time.perf_counter()
    session.handle("check", True)
    assert feature(session, GradientCheck).next_refresh >= before + section_feature.REFRESH_WHILE_TRAINING
    session.handle("train")
    feature(session, GradientCheck).next_refresh = time.perf_counter() + 60  # as if refreshed just now
    for _ in range(5):
        session.handle("drawn")
        assert "check" not in session.tick()
    feature(session, GradientCheck).next_refresh = 0.0  # a second later
    session.handle("drawn")
    assert "check" in session.tick()
    assert "check" in session.handle("train")  # Pause brings it up to date at once


# ---- the section on the live page (Chromium) -----------------------------------------------------

SUMMARY = "Every gradient against the definition of the derivative"
ROWS_JS = """() => [...document.querySelectorAll('#check-body tbody tr:not(.group)')]
    .map(tr => [...tr.children].map(cell => cell.textContent))"""


def assert_live_rows_show_the_oracle(live, net: oracle.Net, inputs, targets):
    g, d, _ = oracle_check(net, inputs, targets)
    rows = live.evaluate(ROWS_JS)
    assert len(rows) == len(g)
    for (name, gradient, central, relative), expected_g, expected_d in zip(rows, g, d):
        assert abs(as_float(gradient) - expected_g) <= 5.1e-7, name
        assert abs(as_float(central) - expected_d) <= 5.1e-7, name
        assert re.fullmatch(r"0|\d\.\d × 10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+", relative), relative
    verdict = live.locator("#check-body strong").text_content()
    assert re.fullmatch(r"Largest relative difference \d\.\d × 10⁻[⁰¹²³⁴⁵⁶⁷⁸⁹]+: backpropagation agrees with "
                        r"the definition of the derivative\.", verdict), verdict


def toggle_section(live):
    """Its summary clicked, once the section's toggle event (which comes a moment after the
    click) has told Python, and Python has answered."""
    live.evaluate("() => { window.toggled = new Promise(resolve => document.getElementById('check')"
                  ".addEventListener('toggle', resolve, { once: true })); }")
    live.get_by_text(SUMMARY, exact=True).click()
    live.evaluate("() => window.toggled")
    live.evaluate("() => pageEvents.settled()")


def test_the_live_section_shows_the_oracles_check_for_the_seed_and_after_an_edit(browser, base_url):
    import axe
    from live_page import open_live

    context = browser.new_context()
    live, w = open_live(context, base_url)
    assert live.get_by_role("heading", name="Gradient check", exact=True).is_visible()
    assert not live.locator("#check-body table").count()  # nothing worked out while closed
    toggle_section(live)
    data = oracle.seed_data()
    net = oracle.seed_net()
    assert_live_rows_show_the_oracle(live, net, data["inputs"], data["targets"])
    assert live.get_by_role("table", name=re.compile("^Every weight and bias p")).is_visible()
    assert "h = 1 × 10⁻⁵" in live.locator("#check-body").text_content()

    live.get_by_label("Input 1", exact=True).fill("-1")
    live.get_by_text("Edit every weight and bias", exact=True).click()
    live.get_by_label("Weight In-2 → H1-1", exact=True).fill("2.5")
    live.evaluate("() => pageEvents.settled()")
    net.weights[0][0, 1] = 2.5
    assert_live_rows_show_the_oracle(live, net, [-1.0] + data["inputs"][1:], data["targets"])

    assert axe.violations(live) == []

    toggle_section(live)  # closed: edits no longer work it out
    shown = live.evaluate(ROWS_JS)
    live.get_by_label("Input 1", exact=True).fill("0.5")
    live.evaluate("() => pageEvents.settled()")
    assert live.evaluate(ROWS_JS) == shown
    assert w.errors == [] and w.foreign == []
    context.close()


def test_opened_before_the_page_is_live_it_is_worked_out_once_live(browser, base_url):
    """Opened while Python is still starting (Pyodide's files held back here), the section is
    reported as open as soon as the page is live."""
    context = browser.new_context()
    held, released = [], []

    def hold(route):
        if released or route.request.url.endswith("/jinja.js"):  # jinja.js: a script of the page itself
            route.continue_()
        else:
            held.append(route)

    context.route("**/pyodide/**", hold)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base_url)
    while not held:
        page.wait_for_timeout(50)
    page.get_by_text(SUMMARY, exact=True).click()
    assert page.evaluate("() => document.body.dataset.state") == "loading"
    released.append(True)
    for route in held:
        route.continue_()
    page.wait_for_selector("body[data-state=live]", timeout=90_000)
    page.wait_for_selector("#check-body table", timeout=30_000)
    data = oracle.seed_data()
    assert_live_rows_show_the_oracle(page, oracle.seed_net(), data["inputs"], data["targets"])
    assert errors == []
    context.close()
