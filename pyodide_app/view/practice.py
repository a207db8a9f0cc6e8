"""Practice mode as the page shows it: the panel's markup, the names of the kinds, and the
"Show how" text of each question: the lines of its card, with the hidden numbers named
instead of written and the result left for the student."""

from __future__ import annotations

from html import escape

from ..activations import ACTIVATIONS, RULES
from ..losses import LOSSES
from ..practice import Question
from ..notation.numbers import as_operand

PANEL = """<section id="practice-panel" class="practice" aria-labelledby="practice-title">
<h3 id="practice-title">Practice</h3>
<fieldset><legend>Hide and ask</legend>{choices}</fieldset>
<p id="practice-score" class="score"></p>
<p id="practice-said" role="status"></p>
<p class="hint">Type each hidden value in its box (to the decimals the page shows; a decimal comma is fine) and press Enter.</p>
</section>"""
CHOICE = '<label><input type="checkbox" value="{key}"> {label}</label>'


def kind_labels(t: dict) -> dict[str, str]:
    """{kind: its name in the checklist}; the activations by their own symbols: 'Activations (σ)'."""
    symbols = dict.fromkeys(ACTIVATIONS[key].symbol for key in t["activations"])
    return {"activations": f"Activations ({', '.join(symbols)})", "loss": "Loss", "deltas": "δs",
            "new_weights": "New weights and biases"}


def panel(t: dict) -> str:
    return PANEL.format(choices="".join(CHOICE.format(key=key, label=escape(label))
                                        for key, label in kind_labels(t).items()))


def score_text(right: int, asked: int) -> str:
    return f"Score: {right} of {asked}"


def how(q: Question, t: dict, v: dict[str, str], hidden: dict[str, str]) -> str:
    """`v`: the page's texts (page.values); `hidden`: {key: label} of the numbers hidden, which
    are named, not written."""
    def n(key: str, *indices: int) -> str:  # a number as its card shows it; a negative one in brackets
        key = "-".join([key, *map(str, indices)])
        return as_operand(hidden.get(key) or v[key])

    if q.kind == "loss":
        return _loss(t, n)
    l, j, *i = (int(part) for part in q.key.split("-")[1:])
    if q.kind == "activations":
        return _activation(q, t, l, j, n)
    if q.kind == "deltas":
        return _delta(q, t, l, j, n)
    kind, at = ("w", (l, j, *i)) if i else ("b", (l, j))
    gradient = f"δ × a = {n('sd', l, j)} × {n('sa', l - 1, *i)}" if i else f"δ = {n('sd', l, j)}"
    return (f"gradient = {gradient} = {n('g' + kind, *at)}\n"
            f"{q.label} = old − α × gradient = {n('o' + kind, *at)} − {n('lr')} × {n('g' + kind, *at)}"
            f" = {n('o' + kind, *at)} − {n('u' + kind, *at)}")


def _activation(q: Question, t: dict, l: int, j: int, n) -> str:
    f = ACTIVATIONS[t["layers"][l]["activation"]]
    if f.function is not None:
        return f"{f.formula.text}\n{q.label} = {f.symbol}({n('z', l, j)})"
    every = " + ".join("e^" + n("z", l, k) for k in range(len(t["layers"][l]["neurons"])))
    return f"{f.formula.text}\n{q.label} = e^{n('z', l, j)} / ({every})"


def _loss(t: dict, n) -> str:
    loss, output = t["loss"], t["activations"][-1]
    outputs = range(len(loss["terms"]))
    first = LOSSES[loss["function"]].formula(output).text
    if loss["function"] == "mse":
        squares = " + ".join(n("ld", j) + "²" for j in outputs)
        terms = " + ".join(n("lq", j) for j in outputs)
        return f"{first}\nL = 0.5 × [{squares}] = 0.5 × [{terms}] = 0.5 × {n('lss')}"
    return f"{first}\nL = " + " + ".join(n("lt", j) for j in outputs)


def _delta(q: Question, t: dict, l: int, j: int, n) -> str:
    neuron, last = t["layers"][l]["neurons"][j], len(t["layers"]) - 1
    f = ACTIVATIONS[t["layers"][l]["activation"]]
    if neuron["delta_rule"] == "combined":
        return f"δ = predicted − target\n{q.label} = {n('a', l, j)} − {n('t', j)}"
    if l == last:
        error = f"∂L/∂a = {n('a', l, j)} − {n('t', j)}"
    else:
        error = "∂L/∂a = Σ δ × w = " + " + ".join(
            f"{n('d', l + 1, k)} × {n('w', l + 1, k, j)}" for k in range(len(neuron["error_terms"])))
    error += f" = {n('e', l, j)}"
    if neuron["delta_rule"] == "jacobian":
        terms = " + ".join(f"{n('e', l, k)} × {n('j', l, j, k)}" for k in range(len(neuron["jacobian_terms"])))
        return f"{error}\n{q.label} = Σ ∂L/∂a × ∂a/∂z = {terms}"
    rule = RULES[neuron["derivative_rule"]]
    slope = rule.worked.text.format(a=n("a", l, j), z=n("z", l, j))
    if not rule.constant:
        slope += f" = {n('sp', l, j)}"
    return (f"{error}\n{f.symbol}′(z) = {slope}\n"
            f"{q.label} = ∂L/∂a × {f.symbol}′(z) = {n('e', l, j)} × {n('sp', l, j)}")
