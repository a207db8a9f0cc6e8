"""The trace as readable text, in the page's sections, for the command line: the page's cards
(cards.py), written as text with the decimals the page shows.

On data, one batch step: the data and the shown point first, the shown point's forward pass and
δs, then the batch (each sample's share δ × a of the largest gradient, their sum and mean, the
update: the walk-through's lines, captions.batch_card), then every update with the batch's mean.
"""

from __future__ import annotations

from ..activations import ACTIVATIONS
from ..data.generators import GENERATORS
from ..losses import LOSSES
from ..notation import names
from ..notation.numbers import number, rate
from .captions import batch_card
from .cards import Written, cards


def explain(trace: dict, targets: list[float], data: dict | None = None) -> str:
    """`data`: the state's data settings, while it learns from a dataset."""
    page, count = cards(trace), len(trace["layers"])
    lines = _data(trace, targets, data) if data else []
    lines.append("Forward Calculations")
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
    if trace["batch"]:
        lines += _batch(trace)
    mean = ", each gradient the mean over the batch" if trace["batch"] else ""
    lines += [f"\nWeight Updates (learning rate α = {rate(trace['learning_rate'])}{mean})"]
    for l, layer in enumerate(trace["layers"][1:], start=1):
        for j, n in enumerate(layer["neurons"]):
            for i, u in enumerate(n["weight_updates"]):
                lines.append(f"  {names.weight(l, j, i, count, names.inputs_of(trace))}: "
                             + _update(page, trace, l, j, i, u))
            lines.append(f"  {names.bias(l, j, count)}: " + _update(page, trace, l, j, None, n["bias_update"]))
    return "\n".join(lines)


def _data(trace: dict, targets: list[float], data: dict) -> list[str]:
    inputs = names.inputs_of(trace)
    point = ", ".join(f"{names.feature(key)} = {number(n['activation'])}"
                      for key, n in zip(inputs, trace["layers"][0]["neurons"]))
    aims = ", ".join(number(t) for t in targets)
    return [f"Data: {GENERATORS[data['dataset']].name}, {data['points']:,} points, noise {data['noise']} %, test share "
            f"{data['test_share']} %, data seed {data['seed']}; inputs {', '.join(map(names.feature, inputs))}; batch "
            f"size {data['batch_size']}, epoch {trace['epoch']:,}, batch {data['position'] + 1} of the epoch.",
            f"Shown: point {data['shown'] + 1:,}, {point}; target{'s' if len(targets) > 1 else ''} {aims}.", ""]


def _batch(trace: dict) -> list[str]:
    """The batch's shares of the largest gradient, one line a sample, their sum, mean and update."""
    largest, size, count = trace["batch"]["largest"], trace["batch_size"], len(trace["sizes"])
    l, j, i = largest["weight"]
    inputs = names.inputs_of(trace)
    card = batch_card(trace)
    w = Written(card, trace, trace)
    listed = len(largest["shares"])
    lines = [f"\nThe Batch: {size:,} samples, each forward and back as the shown one",
             f"  Each sample's share δ × a of the largest gradient, {names.weight(l, j, i, count, inputs)}"
             f" (δ of {names.neuron(l, j, count)} × a of {names.neuron(l - 1, i, count, inputs)}):"]
    lines += [f"    point {k + 1:,}: {w.text(chain)}" for k, chain in zip(largest["indices"], card.chains[:listed])]
    if size > listed:
        lines.append(f"    … and {size - listed:,} more")
    return lines + ["  " + w.text(chain) for chain in card.chains[listed:]]


def _written(card, trace: dict, indent: str = "    ") -> list[str]:
    w = Written(card, trace)
    return [indent + row for chain in card.chains for row in w.text(chain, rows=True).split("\n")]


def _update(page, trace: dict, l: int, j: int, i: int | None, u: dict) -> str:
    card = page.extra(f"n{l}-{j}" + (f"-{i}" if i is not None else ""), lambda lines: [lines.new_value(l, j, i)])
    return Written(card, trace).text(card.chains[0]) + f"  (gradient {number(u['gradient'], 'precise')})"
