"""The worked lines as LaTeX (pyodide_app/view/latex.py): every card of the page, the selection's
chain rule and the worksheet render in KaTeX (npm, `throwOnError: true`), row for row the text
of the page's own card, and their results are the numpy oracle's."""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings

import oracle
from line_check import math_text
from shown import is_written, numbers_in
from strategies import problems, state_of
from pyodide_app import design
from pyodide_app.__main__ import main
from pyodide_app.state import from_preset, load_seed
from pyodide_app.trace import trace
from pyodide_app.view import chain, latex, page
from pyodide_app.view.cards import cards, page_mathml
from pyodide_app.view.worksheet import KINDS, sheet

ROOT = oracle.ROOT
DISPLAY = re.compile(r"\\begin\{align\*\}.*?\\end\{align\*\}", re.S)
INLINE = re.compile(r"\$([^$]+)\$")


def katex(sources: list[tuple[str, bool]]) -> list[str]:
    """KaTeX's MathML of each (LaTeX, display mode); fails on the first error KaTeX raises."""
    done = subprocess.run(["node", str(ROOT / "tests" / "katex_render.mjs")], input=json.dumps(sources),
                          capture_output=True, text=True, encoding="utf-8", timeout=120, check=True)
    out = json.loads(done.stdout)
    errors = [(source, o["error"]) for source, o in zip(sources, out) if "error" in o]
    assert not errors, errors[:3]
    return [o["mathml"] for o in out]


def flat(text: str) -> str:
    return re.sub(r"[\s\u2061]", "", text)


def katex_rows(mathml: str) -> list[str]:
    """The rows of a rendered align*, each as text (line_check.math_text), without spaces; a
    power of ten as the page writes it, 10⁻⁷ (KaTeX sets 10^{-7} as a superscript)."""
    tree = ET.fromstring(mathml.replace(' xmlns="http://www.w3.org/1998/Math/MathML"', ""))
    return [SUPERSCRIPTED.sub(lambda m: m.group(1).translate(SUPERSCRIPT), flat(math_text(ET.tostring(row, encoding="unicode"))))
            for row in tree.iter("mtr")]


SUPERSCRIPTED = re.compile(r"(?<=×10)\^([−-]?\d+)")
SUPERSCRIPT = str.maketrans("−-0123456789", "⁻⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def page_rows(html: str) -> list[str]:
    return [flat(math_text(m)) for m in re.findall(r"<math[^>]*>.*?</math>", html, re.S)]


def lines_of(rows: list[str]) -> list[str]:
    """Rows joined into lines: a row that starts with "=" continues the line before it."""
    lines: list[str] = []
    for row in rows:
        if row.startswith(("=", "≈")) and lines:
            lines[-1] += row
        else:
            lines.append(row)
    return lines


def result(line: str) -> str:
    return numbers_in(re.sub(r"×10(?=[⁻⁰¹²³⁴⁵⁶⁷⁸⁹])", " × 10", line))[-1]  # spaced again, as shown.NUMBER reads it


def expected_results(card: str, p: oracle.Pass, net: oracle.Net, rate: float) -> list[tuple[int, float, str]]:
    """(line, oracle's value, kind) of a card's results: a forward card's z and a; a δ card's ∂L/∂a
    (unless δ = o − t) and δ; the loss; the worked update's gradient, update and new weight."""
    if card == "L":
        return [(-1, p.loss, "precise")]
    L = len(net.weights)
    if card == "u":
        g = p.weight_gradients[L - 1][0][0]
        return [(0, g, "precise"), (1, rate * g, "precise"), (2, net.weights[L - 1][0][0] - rate * g, "precise")]
    l, j = map(int, card[1:].split("-"))
    if card[0] == "f":
        return [(0, p.sums[l][j], "value"), (1, p.activations[l][j], "value")]
    combined = l == L and net.loss == "cross_entropy"
    return ([] if combined else [(0, p.errors[l][j], "precise")]) + [(-1, p.deltas[l][j], "precise")]


def check_cards(state, net: oracle.Net, inputs, targets, rate: float) -> None:
    """Every card of the page: KaTeX renders its LaTeX, its rows are the page's, its results the oracle's."""
    t = trace(state)
    v = page.values(t, state.targets)
    every = list(cards(t).every())
    sources = [latex.card(t, c.id) for c in every]
    rendered = katex([(source, True) for source in sources])
    p = oracle.full_pass(net, inputs, targets)
    for card, source, mathml in zip(every, sources, rendered):
        rows = katex_rows(mathml)
        assert rows == page_rows(page_mathml(card, v)), (card.id, source)
        lines = lines_of(rows)
        for line, x, kind in expected_results(card.id, p, net, rate):
            assert is_written(result(lines[line]), x, kind), (card.id, lines[line], x)


def test_the_seed_s_cards_in_latex_render_in_katex_and_are_the_page_s_and_the_oracle_s():
    data = oracle.seed_data()
    check_cards(load_seed(), oracle.seed_net(), data["inputs"], data["targets"], data["learning_rate"])


@pytest.mark.parametrize("preset", ["softmax", "mazur", "dead-relu"])
def test_a_preset_s_cards_in_latex_are_the_page_s_and_the_oracle_s(preset):
    state = from_preset(preset)
    net = oracle.Net.from_lists(state.network.weights, state.network.biases, state.network.activations,
                                state.network.loss)
    check_cards(state, net, state.inputs, state.targets, state.learning_rate)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_hidden=2, max_width=4))
def test_any_network_s_cards_in_latex_are_the_page_s_and_the_oracle_s(problem):
    check_cards(state_of(*problem), *problem)


def test_negative_operands_are_in_parentheses_and_minus_is_ascii():
    source = latex.card(trace(load_seed()), "f1-1")
    assert r"0.3000 \times (-0.3000)" in source and "+ (-0.2000)" in source
    assert source.isascii()


def test_the_selection_s_chain_rule_in_latex_is_the_panel_s():
    t = trace(from_preset("softmax"))
    found = [("edge", 2, 1, 0), ("node", 2, 2), ("edge", 1, 0, 2), ("node", 1, 3)]
    rendered = katex([(latex.chain_rule(f, t), True) for f in found])
    p = oracle.full_pass(*_net_of(from_preset("softmax")))
    for f, mathml in zip(found, rendered):
        rows = katex_rows(mathml)
        assert rows == page_rows(chain.rule(f, t, False)), f
        _, l, j, *i = f
        gradient = p.weight_gradients[l - 1][j][i[0]] if i else p.bias_gradients[l - 1][j]
        assert is_written(result(lines_of(rows)[0]), gradient, "precise"), (f, rows[1])


def _net_of(state):
    n = state.network
    return oracle.Net.from_lists(n.weights, n.biases, n.activations, n.loss), state.inputs, state.targets


def test_an_unknown_card_has_no_latex():
    t = trace(load_seed())
    latex.chain_rule(("edge", 2, 1, 0), t)  # its card, made
    assert [latex.card(t, e) for e in ("f9-9", "b", "formulas", "c2-1-0", "", None, 4)] == [None] * 7


# ---- the worksheet and the whole page as documents ----------------------------------------------

def structure_problems(tex: str) -> list[str]:
    """What would stop LaTeX: anything but ASCII, unbalanced braces or environments, packages other
    than amsmath and geometry, a row of a table or an alignment with the wrong number of cells."""
    out = [] if tex.isascii() else ["not ASCII"]
    depth = 0
    for char in re.sub(r"\\[{}]|%.*", "", tex):
        depth += {"{": 1, "}": -1}.get(char, 0)
        out += ["a } closes nothing"] if depth < 0 else []
    out += [f"{depth} braces left open"] if depth else []
    stack: list[str] = []
    for m in re.finditer(r"\\(begin|end)\{([^}]*)\}", tex):
        if m[1] == "begin":
            stack.append(m[2])
        elif not stack or stack.pop() != m[2]:
            out.append(f"\\end{{{m[2]}}} closes nothing")
    out += [f"{name} left open" for name in stack]
    out += [p for p in re.findall(r"\\usepackage(?:\[[^]]*\])?\{([^}]*)\}", tex) if p not in ("amsmath", "geometry")]
    for m in DISPLAY.finditer(tex):
        out += [f"{row.count('&')} & in {row!r}" for row in m[0].split("\\\\") if row.count("&") != 1]
    for m in re.finditer(r"\\begin\{tabular\}\{([lr]+)\}(.*?)\\end\{tabular\}", tex, re.S):
        out += [f"{row!r} has not {len(m[1])} cells" for row in m[2].split("\\\\")
                if row.strip() and row.strip() != "\\hline" and row.count("&") != len(m[1]) - 1]
    if not re.match(r"\\documentclass(\[[^]]*\])?\{article\}", tex) or "\\begin{document}" not in tex:
        out.append("not a document")
    return out


def rendered_displays(tex: str) -> list[str]:
    """Every display and every inline formula of a document, rendered by KaTeX."""
    body = tex[tex.index("\\begin{document}"):]
    displays = DISPLAY.findall(body)
    inline = INLINE.findall(DISPLAY.sub("", body))
    return katex([(d, True) for d in displays] + [(i, False) for i in inline])[:len(displays)]


@pytest.mark.parametrize("preset", ["seed", "softmax", "mazur"])
def test_the_worksheet_s_tex_is_a_valid_document_whose_key_is_the_printed_key(preset):
    state = from_preset(preset)
    exercises = [(design.exercise(state, seed), seed) for seed in (3, 4)]
    tex = latex.worksheet(exercises, tuple(KINDS))
    assert structure_problems(tex) == []
    displays = rendered_displays(tex)
    sheets = [sheet(e, seed, tuple(KINDS)) for e, seed in exercises]
    keys = [task["key"] for s in sheets for section in s["sections"] for task in section["tasks"]]
    asked = sum(len(s["sections"]) for s in sheets)
    key_displays = displays[asked:]  # the exercises' sections first, a display each; then one per task
    assert len(key_displays) == len(keys)
    for mathml, key in zip(key_displays, keys):
        printed = flat("".join("".join(p if isinstance(p, str) else p[0] + p[1] for p in line) for line in key))
        shown = "".join(katex_rows(mathml)).replace("sym_", "")
        assert numbers_in(shown) == numbers_in(printed), (shown, printed)


def test_the_worksheet_asks_with_a_box_after_each_line():
    tex = latex.worksheet([(design.exercise(load_seed(), 5), 5)], ("forward",))
    exercise = DISPLAY.findall(tex)[0]
    assert exercise.count(r"\boxed") == exercise.count("\\\\") + 1 == 2 * 11


def test_the_command_line_prints_every_card_and_the_worksheet(tmp_path, capsys):
    assert main(["latex", "--preset", "softmax"]) == 0
    tex = capsys.readouterr().out
    assert structure_problems(tex) == []
    t = trace(from_preset("softmax"))
    assert len(DISPLAY.findall(tex)) == sum(1 for _ in cards(t).every())
    assert latex.card(t, "f1-0").split("\n", 1)[1] in tex
    rendered_displays(tex)
    assert main(["latex", "--worksheet", "--preset", "mazur", "--out", str(tmp_path / "sheet.tex")]) == 0
    assert structure_problems((tmp_path / "sheet.tex").read_text(encoding="utf-8")) == []


def test_every_record_s_formula_renders_in_katex():
    from pyodide_app.activations import ACTIVATIONS
    from pyodide_app.losses import DELTA_RULES, LOSSES
    from pyodide_app.notation.latex import formula_latex
    texts = [f.formula.text for f in ACTIVATIONS.values()] + [r.formula.text for f in ACTIVATIONS.values()
                                                              for r in f.rules]
    texts += [loss.formula(output).text for loss in LOSSES.values() for output in ("sigmoid", "softmax")]
    texts += [rule.formula.text for rule in DELTA_RULES.values()]
    sources = [formula_latex(text) for text in texts]
    assert all(source.isascii() for source in sources), sources
    katex([(source, False) for source in sources])


# ---- the live page's messages (features/latex.py, features/worksheet.py) ------------------------

def test_the_worker_answers_latex_with_the_card_or_the_chain_rule_or_nothing():
    from pyodide_app.session import Session
    session = Session()
    session.handle("start", "", None)
    t = trace(load_seed())
    assert session.handle("latex", "b2-1") == {"latex": {"id": "b2-1", "text": latex.card(t, "b2-1")}}
    assert session.handle("latex", "edge-2-1-0")["latex"]["text"] == latex.chain_rule(("edge", 2, 1, 0), t)
    for nothing in ("node-0-1", "edge-9-0-0", "f7-0", 42, None):
        assert session.handle("latex", nothing)["latex"]["text"] == ""


def test_latex_while_practising_writes_a_hidden_value_as_the_card_does():
    from pyodide_app.session import Session
    session = Session()
    session.handle("start", "", None)
    session.handle("practice")
    session.handle("practiceKinds", ["activations"])
    text = session.handle("latex", "f1-0")["latex"]["text"]
    assert r"\text{?}" in text and "0.6985" not in text and "0.8400" in text
    katex([(text, True)])


def test_download_latex_offers_the_worksheet_as_drawn():
    from pyodide_app.session import Session
    session = Session()
    session.handle("start", "", None)
    session.handle("worksheet")
    session.handle("sheetOptions", "letter", ["forward", "deltas"])
    seed = load_seed().worksheet_seed
    download = session.handle("sheetLatex")["download"]
    assert download == {"name": f"worksheet-seed-{seed}.tex", "text": latex.worksheet(
        [(design.exercise(load_seed(), seed), seed)], ("forward", "deltas"), "letter")}
    assert "letterpaper" in download["text"] and "subsection*{Loss}" not in download["text"]
