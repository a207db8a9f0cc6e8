"""The trace as readable text, in the page's sections, for the command line: the page's cards
(cards.py), written as text with the decimals the page shows."""

from __future__ import annotations

from ..activations import ACTIVATIONS
from ..losses import LOSSES
from ..notation import names
from ..notation.numbers import number, rate
from .cards import Written, cards


def explain(trace: dict, targets: list[float]) -> str:
    page, count = cards(trace), len(trace["layers"])
    lines = ["Forward Calculations"]
    for l, layer in enumerate(trace["layers"][1:], start=1):
        lines.append(f"\n{names.layer_title(l, count)} ({ACTIVATIONS[layer['activation']].name})")
        for j, card in enumerate(page.forward[l]):
            lines += [f"  {names.neuron(l, j, count)}:", *_written(card, trace)]
    loss = LOSSES[trace["loss"]["function"]]
    lines += [f"\nLoss Calculation ({loss.name.title()})", f"  {loss.formula(trace['activations'][-1]).text}",
              *_written(page.loss, trace, "  ")]
    lines.append("\nBackpropagation: Gradients for Each Layer")
    for l in range(count - 1, 0, -1):
        lines.append(f"\n{names.layer_title(l, count)}")
        for j, card in enumerate(page.backprop[l]):
            lines += [f"  {names.neuron(l, j, count)}:", *_written(card, trace)]
    lines += [f"\nWeight Updates (learning rate α = {rate(trace['learning_rate'])})"]
    for l, layer in enumerate(trace["layers"][1:], start=1):
        for j, n in enumerate(layer["neurons"]):
            for i, u in enumerate(n["weight_updates"]):
                lines.append(f"  {names.weight(l, j, i, count)}: " + _update(page, trace, l, j, i, u))
            lines.append(f"  {names.bias(l, j, count)}: " + _update(page, trace, l, j, None, n["bias_update"]))
    return "\n".join(lines)


def _written(card, trace: dict, indent: str = "    ") -> list[str]:
    w = Written(card, trace)
    return [indent + row for chain in card.chains for row in w.text(chain, rows=True).split("\n")]


def _update(page, trace: dict, l: int, j: int, i: int | None, u: dict) -> str:
    card = page.extra(f"n{l}-{j}" + (f"-{i}" if i is not None else ""), lambda lines: [lines.new_value(l, j, i)])
    return Written(card, trace).text(card.chains[0]) + f"  (gradient {number(u['gradient'], 'precise')})"
