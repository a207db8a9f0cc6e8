"""What the live page should show, and how the live-page tests read and watch it.

`Model` is the independent model of a network state; `expected_texts` is every number text
the page must show for it, computed by tests/oracle.py and formatted by
pyodide_app.notation.numbers, never read back from the page. The rest reads a page's texts
and fields, opens a watched page, and checks it raised no errors.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

import oracle
from operands import with_operands
from shown import Expected, wrong_texts
from pyodide_app.notation.numbers import number, rate
from pyodide_app.view.page import UPDATES_JUST_APPLIED, UPDATES_NEXT

STORAGE_KEY = "neural-network-demonstration/state"
LIVE_TIMEOUT = 90_000
SIZES = [3, 4, 3, 2, 2]


# ---- the independent model of what the page should show ------------------------------------

@dataclass
class Model:
    inputs: list[float]
    targets: list[float]
    learning_rate: float
    net: oracle.Net
    epoch: int = 0
    speed: str = "normal"

    @classmethod
    def from_data(cls, data: dict) -> Model:
        return cls(list(map(float, data["inputs"])), list(map(float, data["targets"])),
                   float(data["learning_rate"]), oracle.Net.from_lists(data["weights"], data["biases"]),
                   int(data["epoch"]), data["settings"]["speed"])

    def copy(self) -> Model:
        return Model(self.inputs[:], self.targets[:], self.learning_rate, self.net.copy(), self.epoch, self.speed)

    def get(self, name: str) -> float:
        kind, idx = split_field(name)
        if kind == "learning_rate":
            return self.learning_rate
        if kind in ("inputs", "targets"):
            return getattr(self, kind)[idx[0]]
        if kind == "weights":
            return float(self.net.weights[idx[0]][idx[1], idx[2]])
        return float(self.net.biases[idx[0]][idx[1]])

    def set(self, name: str, value: float) -> None:
        kind, idx = split_field(name)
        if kind == "learning_rate":
            self.learning_rate = value
        elif kind in ("inputs", "targets"):
            getattr(self, kind)[idx[0]] = value
        elif kind == "weights":
            self.net.weights[idx[0]][idx[1], idx[2]] = value
        else:
            self.net.biases[idx[0]][idx[1]] = value

    def step(self) -> Model:
        after = self.copy()
        after.net = oracle.step(self.net, self.inputs, self.targets, self.learning_rate)
        after.epoch += 1
        return after


def split_field(name: str):
    kind, *rest = name.replace("]", "").split("[")
    return kind, [int(i) for i in rest]


def field_names() -> list[str]:
    names = [f"inputs[{i}]" for i in range(SIZES[0])] + [f"targets[{j}]" for j in range(SIZES[-1])]
    names.append("learning_rate")
    for l in range(1, len(SIZES)):
        for j in range(SIZES[l]):
            names += [f"weights[{l - 1}][{j}][{i}]" for i in range(SIZES[l - 1])]
            names.append(f"biases[{l - 1}][{j}]")
    return names


def expected_texts(m: Model, shown: Model | None = None) -> Expected:
    """Every data-v text the page must show for state `m`; `shown`: the state before the step
    whose updates the page shows (after Step), else the updates the next step would apply."""
    p = oracle.full_pass(m.net, m.inputs, m.targets)
    out = Expected({"lr": rate(m.learning_rate), "epoch": f"{m.epoch:,}"})
    out.put("loss", p.loss, "precise")
    out.put("lss", 2 * p.loss, "precise")
    for j, t in enumerate(m.targets):
        out.put(f"t-{j}", t)
        diff = p.activations[-1][j] - t
        out.put(f"ld-{j}", diff)
        out.put(f"lq-{j}", diff * diff, "precise")
    for l, acts in enumerate(p.activations):
        for j, a in enumerate(acts):
            out.put(f"a-{l}-{j}", a)
    for l in range(1, len(p.activations)):
        w, b = m.net.weights[l - 1], m.net.biases[l - 1]
        weighted = w @ p.activations[l - 1]
        for j in range(len(b)):
            k = f"{l}-{j}"
            a = p.activations[l][j]
            for key, x, kind in ((f"z-{k}", p.sums[l][j], "value"), (f"s-{k}", weighted[j], "value"),
                                 (f"b-{k}", b[j], "value"), (f"e-{k}", p.errors[l][j], "precise"),
                                 (f"sp-{k}", a * (1 - a), "value"), (f"d-{k}", p.deltas[l][j], "precise")):
                out.put(key, x, kind)
            for i in range(w.shape[1]):
                out.put(f"w-{k}-{i}", w[j, i])
    s = shown or m
    sp = oracle.full_pass(s.net, s.inputs, s.targets)
    L = len(sp.activations) - 1  # the worked update, of the first weight into the first output: δ × a
    out.put(f"sd-{L}-0", sp.deltas[L][0], "precise")
    out.put(f"sa-{L - 1}-0", sp.activations[L - 1][0])
    for l in range(1, len(sp.activations)):
        w, b = s.net.weights[l - 1], s.net.biases[l - 1]
        for j in range(len(b)):
            k = f"{l}-{j}"
            for i in range(w.shape[1]):
                g = sp.weight_gradients[l - 1][j, i]
                _update(out, f"w-{k}-{i}", w[j, i], g, s.learning_rate)
            _update(out, f"b-{k}", b[j], sp.bias_gradients[l - 1][j], s.learning_rate)
    out["updates-when"] = UPDATES_JUST_APPLIED if shown else UPDATES_NEXT
    return with_operands(out, [len(m.inputs)] + [len(b) for b in m.net.biases], "mse", ["sigmoid"] * len(m.net.biases))


def _update(out: Expected, key: str, old: float, gradient: float, lr: float) -> None:
    kind, rest = key.split("-", 1)
    update = lr * gradient
    out.put(f"o{kind}-{rest}", old, "precise")
    out.numbers[f"o{kind}-{rest}"] = (float(old), "value")  # in a worked line, written as the weight it is
    out.put(f"g{kind}-{rest}", gradient, "precise")
    out.put(f"u{kind}-{rest}", update, "precise")
    out.put(f"n{kind}-{rest}", old - update, "precise")


# ---- reading the page ---------------------------------------------------------------------------

class StaticTexts(HTMLParser):
    """The build-time rendering: data-v texts and number-field values of site/index.html."""

    def __init__(self):
        super().__init__()
        self.texts: dict[str, list[str]] = {}
        self.fields: dict[str, str] = {}
        self._key = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-v" in a:
            self._key, self._buffer = a["data-v"], []
        if "data-field" in a:
            self.fields[a["data-field"]] = a.get("value", "")

    def handle_data(self, data):
        if self._key is not None:
            self._buffer.append(data)

    def handle_endtag(self, tag):
        if self._key is not None:
            self.texts.setdefault(self._key, []).append("".join(self._buffer))
            self._key = None


def static_page(site) -> StaticTexts:
    parser = StaticTexts()
    parser.feed((site / "index.html").read_text(encoding="utf-8"))
    return parser


TEXTS_JS = """() => {
  const out = {};
  for (const el of document.querySelectorAll('[data-v]')) (out[el.dataset.v] ||= []).push(el.textContent);
  return out;
}"""
FIELDS_JS = """() => Object.fromEntries([...document.querySelectorAll('[data-field]')]
                                     .map(el => [el.dataset.field, el.value]))"""


def open_editor(page) -> None:
    """Opens "Edit every weight and bias": Python draws its fields when it is first opened."""
    if not page.locator("details#parameters").evaluate("d => d.open"):
        page.locator("details#parameters > summary").click()
    expect(page.locator("#field-w-1-0-0")).to_be_attached()
    page.evaluate("() => pageEvents.settled()")


def page_texts(page) -> dict[str, list[str]]:
    return page.evaluate(TEXTS_JS)


def compare(page, expected: dict[str, str]) -> None:
    """Every number text on the page equals the oracle's (the loss curve's axis labels apart),
    once Python has answered: the parts off screen follow the answer to an edit."""
    page.evaluate("() => pageEvents.settled()")
    assert_texts(page_texts(page), expected)


def assert_texts(texts: dict[str, list[str]], expected: Expected) -> None:
    """The data-v texts of a page (`page_texts`) are the oracle's, curve labels apart (shown.py)."""
    missing, extra, wrong = wrong_texts(texts, expected)
    assert not missing, f"numbers the page does not show: {missing[:20]}"
    assert not extra, f"keys the test does not know: {extra[:20]}"
    assert not wrong, f"{len(wrong)} texts differ from the oracle (shown, expected): " \
                      f"{dict(list(sorted(wrong.items()))[:15])}"


def numbers_only(texts: dict) -> dict:
    """Without the loss curve's axis labels (checked on their own, last)."""
    return {k: v for k, v in texts.items() if not k.startswith("curve-")}


def stored(page) -> dict | None:
    text = page.evaluate(f"localStorage.getItem({json.dumps(STORAGE_KEY)})")
    return None if text is None else json.loads(text)


def epoch_of(page) -> int:
    return int(page.text_content("#main [data-v=epoch]").replace(",", ""))


def loss_of(page) -> float:
    return as_float(page.text_content("#main [data-v=loss]"))


def as_float(text: str) -> float:
    """A number as the page writes it: true minus sign, thousands separators, in parentheses
    when it is negative after an operator, in scientific form (1.2346 × 10⁶, 4.9 × 10⁻⁷)."""
    mantissa, _, power = text.strip("()").replace("\u2212", "-").replace(",", "").partition(" × 10")
    exponent = int(power.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789"))) if power else 0
    return float(mantissa) * 10.0 ** exponent


# ---- the one page ---------------------------------------------------------------------------------

@dataclass
class Watch:
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def watch(context, page) -> Watch:
    w = Watch()

    def route(r):
        url = r.request.url
        w.requests.append(url)
        if urlsplit(url).hostname == "127.0.0.1":
            r.continue_()
        else:
            w.foreign.append(url)
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: w.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: w.errors.append(f"pageerror: {e}"))

    def dialog(d):
        w.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", dialog)
    return w


def open_live(context, url: str, state: str = "live"):
    """A new page of `context` at `url`, watched, once <body> says `state`."""
    page = context.new_page()
    w = watch(context, page)
    page.goto(url)
    page.wait_for_selector(f"body[data-state={state}]", timeout=LIVE_TIMEOUT)
    return page, w


@pytest.fixture
def page(live):
    page, w = live
    before = len(w.errors)
    yield page
    assert w.errors[before:] == [], "console or page errors"
    assert w.dialogs == []


def seed_model() -> Model:
    return Model.from_data(oracle.seed_data())


BATCHES_OF_AN_EDIT_JS = """async ([field, text]) => {
    const write = pageDom.write, keys = [];
    pageDom.write = (batch) => { keys.push(Object.keys(batch.text)); write(batch); };
    const element = document.querySelector(`[data-field="${field}"]`);
    element.value = text;
    element.dispatchEvent(new Event("input", { bubbles: true }));
    await pageEvents.settled();
    pageDom.write = write;
    return keys;
}"""

