"""The panel beside the diagram for a selected line or neuron: its chain rule with numbers.

A line (weight w from neuron i to neuron j), as MathML in pieces the panel wraps between:
    ∂L/∂w = δ_j × a_i   = … × …   = …
    w_new = w − α × ∂L/∂w   = … − … × …   = …
A neuron: the same for its bias, ∂L/∂b = δ_j. An input has no bias: its value only.

The numbers are written as the update table writes them. `rule` is the part that changes
while training; `panel` adds a title and the panel's buttons. Names and numbers need no
escaping: they are made of letters, digits, "-", "." and "−".
"""

from __future__ import annotations

from ..notation import names
from ..notation.numbers import number, rate

APPLIED = "The update the last step applied: the new value is the one in use now."
NEXT = "The update the next step applies."


def title(found: tuple, sizes: list[int]) -> str:
    kind, l, j, *i = found
    if i:
        return names.weight(l, j, i[0], len(sizes))
    return ("Neuron " if l else "Input ") + names.neuron(l, j, len(sizes))


def rule(found: tuple, step: dict, applied: bool) -> str:
    """The formulas, from the trace `step` (numbers only), for the step just applied or the next."""
    kind, l, j, *i = found
    count = len(step["layers"])
    n = step["layers"][l]["neurons"][j]
    if not l:
        return _math(_sub("a", names.neuron(0, j, count)), "=", _mn(n["activation"], "value"))
    x, u = ("w", n["weight_updates"][i[0]]) if i else ("b", n["bias_update"])
    gradient = [_math(_partial(x), "=", _sub("δ", names.neuron(l, j, count)))]
    if i:
        gradient = [_math(_partial(x), "=", _sub("δ", names.neuron(l, j, count)), "×",
                          _sub("a", names.neuron(l - 1, i[0], count))),
                    _math("=", _mn(n["delta"]), "×", _mn(n["terms"][i[0]]["activation"], "value"))]
    update = [_math(_sub(x, "new"), "=", f"<mi>{x}</mi>", "−", "<mi>α</mi>", "×", _partial(x)),
              _math("=", _mn(u["old"]), "−", f"<mn>{rate(step['learning_rate'])}</mn>", "×", _mn(u["gradient"])),
              _math("=", _mn(u["new"]))]
    return (f"<p>{' '.join(gradient)} {_math('=', _mn(u['gradient']))}</p><p>{' '.join(update)}</p>"
            f"<p>{APPLIED if applied else NEXT}</p>")


def panel(found: tuple, sizes: list[int], formulas: str) -> str:
    """Title, the chain rule (in #chain, re-written while training) and the buttons."""
    kind, l, j, *i = found
    field, what = (f"w-{l}-{j}-{i[0]}", "weight") if i else (f"b-{l}-{j}", "bias") if l else (f"inputs-{j}", "input")
    return (f'<h3>{title(found, sizes)}</h3><div id="chain">{formulas}</div><div class="buttons">'
            f'<button type="button" data-edit="field-{field}">Edit {what}</button>'
            '<button type="button" id="clear-selection">Clear selection</button></div>')


def _math(*parts: str) -> str:
    return "<math>" + "".join(f"<mo>{p}</mo>" if p in ("=", "×", "−") else p for p in parts) + "</math>"


def _mn(x: float, kind: str = "precise") -> str:
    return f"<mn>{number(x, kind)}</mn>"


def _sub(symbol: str, name: str) -> str:
    return f"<msub><mi>{symbol}</mi><mtext>{name}</mtext></msub>"


def _partial(x: str) -> str:
    """∂L/∂x as a fraction."""
    return f"<mfrac><mrow><mo>∂</mo><mi>L</mi></mrow><mrow><mo>∂</mo><mi>{x}</mi></mrow></mfrac>"
