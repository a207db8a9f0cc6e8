"""The panel beside the diagram for a selected line or neuron: its chain rule with numbers.

A line (weight w from neuron i to neuron j), as MathML in pieces the panel wraps between:
    ∂L/∂w = δ_j × a_i   = … × …   = …
    w_new = w − α × ∂L/∂w   = … − … × …   = …
A neuron: the same for its bias, ∂L/∂b = δ_j. An input has no bias: its value only.

The numbers are written as the update table writes them. `rule` is the part that changes
while training; `panel` adds a title and the panel's buttons.
"""

from __future__ import annotations

from html import escape

from . import names
from .numbers import number, rate

APPLIED = "The update the last step applied: the new value is the one in use now."
NEXT = "The update the next step applies."
EDITS = {"edge": "weight", "node": "bias", "input": "input"}  # what the panel's Edit button edits


def title(found: tuple, sizes: list[int]) -> str:
    kind, l, j, *i = found
    if kind == "edge":
        return names.weight(l, j, i[0], len(sizes))
    return ("Input " if l == 0 else "Neuron ") + names.neuron(l, j, len(sizes))


def rule(found: tuple, step: dict, applied: bool) -> str:
    """The formulas, from the trace `step` (numbers only), for the step just applied or the next."""
    kind, l, j, *i = found
    count = len(step["layers"])
    n = step["layers"][l]["neurons"][j]
    delta = _sub("δ", names.neuron(l, j, count))
    if l == 0:
        return _math(_sub("a", names.neuron(0, j, count)), "=", _mn(number(n["activation"]), ""))
    if kind == "edge":
        u, x = n["weight_updates"][i[0]], "w"
        chain = [_math(_partial(x), "=", delta, "×", _sub("a", names.neuron(l - 1, i[0], count))),
                 _math("=", _mn(n["delta"]), "×", _mn(number(n["terms"][i[0]]["activation"]), ""))]
    else:
        u, x = n["bias_update"], "b"
        chain = [_math(_partial(x), "=", delta)]
    update = [_math(_sub(x, "new"), "=", f"<mi>{x}</mi>", "−", "<mi>α</mi>", "×", _partial(x)),
              _math("=", _mn(u["old"]), "−", _mn(rate(step["learning_rate"]), ""), "×", _mn(u["gradient"])),
              _math("=", _mn(u["new"]))]
    return (f"<p>{' '.join(chain)} {_math('=', _mn(u['gradient']))}</p><p>{' '.join(update)}</p>"
            f"<p>{APPLIED if applied else NEXT}</p>")


def panel(found: tuple, sizes: list[int], formulas: str) -> str:
    """Title, the chain rule (in #chain, re-written while training) and the buttons."""
    kind, l, j, *i = found
    field = f"field-w-{l}-{j}-{i[0]}" if i else f"field-inputs-{j}" if l == 0 else f"field-b-{l}-{j}"
    return (f'<h3 id="selection-title">{escape(title(found, sizes))}</h3><div id="chain">{formulas}</div>'
            f'<div class="buttons"><button type="button" data-edit="{field}">Edit {EDITS[kind if l else "input"]}</button>'
            '<button type="button" id="clear-selection">Clear selection</button></div>')


def _math(*parts: str) -> str:
    return "<math>" + "".join(f"<mo>{p}</mo>" if p in "=×−" else p for p in parts) + "</math>"


def _mn(x, kind="precise") -> str:
    """A number of the update table (6 decimals), or `x` already written when kind is ""."""
    return f"<mn>{escape(number(x, kind) if kind else x)}</mn>"


def _sub(symbol: str, name: str) -> str:
    return f"<msub><mi>{symbol}</mi><mtext>{escape(name)}</mtext></msub>"


def _partial(x: str) -> str:
    return f"<mfrac><mrow><mo>∂</mo><mi>L</mi></mrow><mrow><mo>∂</mo><mi>{x}</mi></mrow></mfrac>"
