"""Notation as textbooks write it: a negative number after an operator is parenthesised,
0.3000 × (−0.3000), on the built page, on the live page, for any network, and on the command line."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings

from conftest import ROOT
from pyodide_app.trace import trace
from pyodide_app.view import page, render
from pyodide_app.view.explain import explain
from strategies import problems, state_of
from live_page import open_live

# an operator (×, +, −, /) and then a minus sign: "0.3000 × −0.3000" (after "=" comes a result, not an operand)
OPERATOR_THEN_MINUS = re.compile(r"[×+−/]\s*−")
PARENTHESISED = re.compile(r"\(−[\d.]+( × 10[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?\)")
OPERATORS = ("<mo>×</mo>", "<mo>+</mo>", "<mo>−</mo>")


class Text(HTMLParser):
    """What a reader sees: the text of every element, scripts and styles apart."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def text_of(html: str) -> str:
    parser = Text()
    parser.feed(html)
    return "".join(parser.parts)


def assert_textbook_notation(text: str, negative_operands_expected: bool = True):
    bad = [text[max(m.start() - 30, 0):m.end() + 10] for m in OPERATOR_THEN_MINUS.finditer(text)]
    assert not bad, f"an operator followed by a minus sign: {bad[:5]}"
    assert not re.search(r"\(−0\.0+\)", text), "a value that shows as zero, with a minus sign"
    if negative_operands_expected:  # else this test could not fail
        assert PARENTHESISED.search(text), "no parenthesised negative operand at all"


def assert_operands_are_placed_after_operators(html: str, activations: list[str]):
    """Every "(" key right after an operator; a plain key after one only for a sigmoid or
    softmax output (between 0 and 1: never negative), as view/page.py says."""
    for m in re.finditer(r'<mn data-v="([^"]+)">', html):
        after_operator = html[:m.start()].endswith(OPERATORS)
        key = m.group(1)
        if key.startswith("("):
            assert after_operator, f"{key} is not after an operator"
        elif after_operator:
            kind, l = key.split("-")[:2]
            assert kind == "a" and activations[int(l) - 1] in ("sigmoid", "softmax"), \
                f"{key} follows an operator without its operand form"


# ---- the built page ----------------------------------------------------------------------------

def test_the_built_page_writes_negative_operands_in_parentheses(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    text = text_of(html)
    assert_textbook_notation(text)
    assert "0.3000×(−0.3000)" in text and "0.3400+(−0.2000)" in text  # the examples, from H1-2
    assert_operands_are_placed_after_operators(html, ["sigmoid"] * 4)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_hidden=3, max_width=4))
def test_any_network_is_written_in_textbook_notation_and_sends_only_the_operands_it_shows(problem):
    """Drawn by the templates as the live page re-draws them: no operator followed by a minus
    sign; every operand form the markup holds is sent, and no other."""
    state = state_of(*problem)
    t = trace(state)
    parts = render.render_parts(render.context(state, t))
    html = "".join(parts.values())
    assert_textbook_notation(text_of(html), negative_operands_expected=False)
    assert_operands_are_placed_after_operators(html, state.network.activations)
    shown = {key for key in re.findall(r'data-v="([^"]+)"', html) if key.startswith("(")}
    sent = {key for key in page.values(t, state.targets) if key.startswith("(")}
    assert shown == sent


# ---- the command line --------------------------------------------------------------------------

@pytest.mark.parametrize("args", [(), ("--preset", "softmax"), ("--preset", "dead-relu"),
                                  ("--inputs", "-0.5,-2,0.3", "--steps", "3")])
def test_the_command_line_writes_negative_operands_in_parentheses(args):
    result = subprocess.run([sys.executable, "-m", "pyodide_app", "explain", *args], cwd=ROOT,
                            capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert result.returncode == 0, result.stderr
    assert_textbook_notation(result.stdout)


@settings(max_examples=60, deadline=None)
@given(problems())
def test_the_command_line_explains_any_network_in_textbook_notation(problem):
    state = state_of(*problem)
    assert_textbook_notation(explain(trace(state), state.targets), negative_operands_expected=False)


# ---- the live page -----------------------------------------------------------------------------

WHOLE_TEXT = "() => document.body.textContent"


def test_the_live_page_keeps_textbook_notation_when_values_turn_negative(browser, base_url):
    """Tanh makes activations negative (new markup drawn in the worker), then a negative input
    and weight: the values written by the live page follow the rule too."""
    context = browser.new_context()
    live, w = open_live(context, base_url)
    live.get_by_label("Activation, Hidden Layer 1", exact=True).select_option(label="Tanh")
    live.evaluate("() => pageEvents.settled()")
    live.get_by_label("Input 1", exact=True).fill("-2")
    live.get_by_label("Input 2", exact=True).fill("-0.7")
    live.evaluate("() => pageEvents.settled()")
    text = live.evaluate(WHOLE_TEXT)
    assert_textbook_notation(text)
    assert "+(−" in text  # a negative activation as a later term of a sum: only tanh gives one
    assert live.text_content('#forward-1-0 [data-v="(a-0-1@f1-0"]') == "(−0.7000)"
    assert live.text_content('#forward-2-0 [data-v="(a-1-1@f2-0"]').startswith("(−")
    assert w.errors == [] and w.foreign == []
    context.close()
