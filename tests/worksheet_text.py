"""Reading a worksheet as a person does, from its HTML or from the text of its printed PDF, and
what the numpy oracle says its answers are. Shared by test_worksheet.py and
test_worksheet_live.py.

Numbers are read back as floats; "−" is the page's minus sign. An answer counts as found when
it is within half a unit of its last decimal of the oracle's value.
"""

from __future__ import annotations

import html
import re

import oracle

NUMBER = re.compile(r"−?\d+\.\d+")
EXERCISE = re.compile(r"Exercise · Seed (\d+)")
KEY = re.compile(r"Answer key · Seed (\d+)")


def value(text: str) -> float:
    return float(text.replace("−", "-"))


def fmt(x: float, decimals: int) -> str:
    """The oracle's number as the page writes it: fixed decimals, a true minus, no −0."""
    text = f"{x:.{decimals}f}"
    if text.startswith("-"):
        text = "−" + text[1:] if text.strip("-0.") else text[1:]
    return text


def html_text(markup: str) -> str:
    """The text of a piece of HTML, a line per paragraph or table row."""
    markup = re.sub(r"</(p|tr|h\d|li|caption|div)>", "\n", re.sub(r"</t[dh]>", " ", markup))
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def articles(markup: str, key: bool) -> list[str]:
    """The text of each exercise (or answer key) article of the sheets' HTML, in order."""
    pattern = r'<article class="sheet key".*?</article>' if key else r'<article class="sheet" .*?</article>'
    return [html_text(a) for a in re.findall(pattern, markup, re.S)]


def split_printed(text: str) -> tuple[dict[int, str], dict[int, str]]:
    """pdftotext's text → ({seed: its exercise pages}, {seed: its key pages}); every page's
    header names its sheet."""
    marks = sorted([(m.start(), "exercise", int(m.group(1))) for m in EXERCISE.finditer(text)] +
                   [(m.start(), "key", int(m.group(1))) for m in KEY.finditer(text)])
    exercises, keys = {}, {}
    for k, (start, kind, seed) in enumerate(marks):
        end = marks[k + 1][0] if k + 1 < len(marks) else len(text)
        pages = exercises if kind == "exercise" else keys
        pages[seed] = pages.get(seed, "") + text[start:end]
    return exercises, keys


def numbers(text: str) -> list[float]:
    return [value(n) for n in NUMBER.findall(text)]


def answers(data: dict, kinds=("forward", "loss", "deltas", "weights")) -> dict[str, list[tuple[float, int]]]:
    """kind → [(the oracle's answer, the decimals it is written with)] for a state's data."""
    net = oracle.Net.from_data(data)
    p = oracle.full_pass(net, data["inputs"], data["targets"])
    new = oracle.step(net, data["inputs"], data["targets"], data["learning_rate"])
    out = {
        "forward": [(x, 4) for l in range(1, len(p.sums)) for x in (*p.sums[l], *p.activations[l])],
        "loss": [(p.loss, 6)],
        "deltas": [(x, 6) for l in range(1, len(p.deltas)) for x in p.deltas[l]],
        "weights": [(x, 6) for w, b in zip(new.weights, new.biases) for x in (*w.ravel(), *b)],
    }
    return {kind: out[kind] for kind in kinds}


def givens(data: dict) -> set[str]:
    """The numbers a sheet gives, as written: inputs, targets, weights and biases."""
    weights = [w for layer in data["weights"] for row in layer for w in row]
    biases = [b for layer in data["biases"] for b in layer]
    return {fmt(x, 4) for x in data["inputs"] + data["targets"] + weights + biases}


def found(expected: float, decimals: int, written: list[float]) -> bool:
    return any(abs(x - expected) <= 0.5 * 10 ** -decimals + 1e-12 for x in written)


def missing_answers(text: str, data: dict, kinds=("forward", "loss", "deltas", "weights")) -> list:
    """The oracle's answers that a key's text does not hold."""
    written = numbers(text)
    return [(kind, x) for kind, values in answers(data, kinds).items() for x, decimals in values
            if not found(x, decimals, written)]


def answers_shown(text: str, data: dict, kinds=("forward", "loss", "deltas", "weights")) -> set[str]:
    """Answers an exercise's text gives away: written numbers that are an answer, not a given."""
    written = set(NUMBER.findall(text)) - givens(data)
    return {fmt(x, d) for values in answers(data, kinds).values() for x, d in values} & written


def neuron(l: int, j: int, layers: int) -> str:
    return f"In-{j + 1}" if l == 0 else f"Out-{j + 1}" if l == layers - 1 else f"H{l}-{j + 1}"


def expected_results(data: dict, kinds=("forward", "loss", "deltas", "weights")) -> dict[str, tuple[float, int]]:
    """What each line of a key must end with, by what the line starts with: "zH1-1", "L",
    "δOut-2", "new wIn-1→H1-1", "new bH1-1" → (the oracle's value, its decimals)."""
    net = oracle.Net.from_data(data)
    p = oracle.full_pass(net, data["inputs"], data["targets"])
    new = oracle.step(net, data["inputs"], data["targets"], data["learning_rate"])
    layers = len(data["sizes"])
    out = {}
    for l in range(1, layers):
        for j in range(data["sizes"][l]):
            name = neuron(l, j, layers)
            if "forward" in kinds:
                out |= {f"z{name}": (p.sums[l][j], 4), f"a{name}": (p.activations[l][j], 4)}
            if "deltas" in kinds:
                out[f"δ{name}"] = (p.deltas[l][j], 6)
            if "weights" in kinds:
                out[f"new b{name}"] = (new.biases[l - 1][j], 6)
                for i in range(data["sizes"][l - 1]):
                    out[f"new w{neuron(l - 1, i, layers)}→{name}"] = (new.weights[l - 1][j][i], 6)
    if "loss" in kinds:
        out["L"] = (p.loss, 6)
    return out


def statements(text: str) -> list[str]:
    """The lines of a text, a line wrapped on paper joined again: a line that goes on starts
    with a number, a bracket or an operator, a new one with a symbol or a word."""
    out: list[str] = []
    for line in text.replace("\f", "\n").split("\n"):
        line = line.strip()
        if out and line and line[0] in "(+−=×0123456789":
            out[-1] += " " + line
        elif line:
            out.append(line)
    return out


def key_results(text: str) -> dict[str, str]:
    """{what a line starts with: the number it ends with} for every "… = …" line of a key."""
    out = {}
    for line in statements(text):
        if " = " in line and NUMBER.search(line):
            out[line.split(" = ")[0]] = NUMBER.findall(line)[-1]
    return out


def wrong_results(text: str, data: dict, kinds=("forward", "loss", "deltas", "weights")) -> list:
    """Lines of a key that are missing or do not end with the oracle's answer."""
    results = key_results(text)
    return [(head, results.get(head), x) for head, (x, decimals) in expected_results(data, kinds).items()
            if head not in results or abs(value(results[head]) - x) > 0.5 * 10 ** -decimals + 1e-12]
