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
from ..translation import _, ngettext


def explain(trace: dict, targets: list[float], data: dict | None = None) -> str:
    """`data`: the state's data settings, while it learns from a dataset."""
    page, count = cards(trace), len(trace["layers"])
    lines = _data(trace, targets, data) if data else []
    lines.append(_("Forward Calculations"))
    for l, layer in enumerate(trace["layers"][1:], start=1):
        lines.append(f"\n{names.layer_title(l, count)} ({ACTIVATIONS[layer['activation']].name})")
        for j, card in enumerate(page.forward[l]):
            lines += [f"  {names.neuron(l, j, count)}:", *_written(card, trace)]
    loss = LOSSES[trace["loss"]["function"]]
    lines += ["\n" + _("Loss Calculation (%(loss)s)") % {"loss": loss.name.title()},
              f"  {loss.formula(trace['activations'][-1]).text}",
              *_written(page.loss, trace, "  ")]
    lines.append("\n" + _("Backpropagation: Gradients for Each Layer"))
    for l in range(count - 1, 0, -1):
        lines.append(f"\n{names.layer_title(l, count)}")
        for j, card in enumerate(page.backprop[l]):
            lines += [f"  {names.neuron(l, j, count)}:", *_written(card, trace)]
    if trace["batch"]:
        lines += _batch(trace)
    mean = _(", each gradient the mean over the batch") if trace["batch"] else ""
    lines += ["\n" + _("Weight Updates (learning rate α = %(rate)s%(mean)s)")
              % {"rate": rate(trace['learning_rate']), "mean": mean}]
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
    said = _("Data: %(dataset)s, %(points)s points, noise %(noise)s %%, test share %(test_share)s %%, data seed "
             "%(seed)s; inputs %(inputs)s; batch size %(batch_size)s, epoch %(epoch)s, batch %(batch)s of the epoch.") % {
        "dataset": GENERATORS[data['dataset']].name, "points": f"{data['points']:,}", "noise": data['noise'],
        "test_share": data['test_share'], "seed": data['seed'], "inputs": ', '.join(map(names.feature, inputs)),
        "batch_size": data['batch_size'], "epoch": f"{trace['epoch']:,}", "batch": data['position'] + 1}
    shown = ngettext("Shown: point %(point)s, %(where)s; target %(aims)s.",
                     "Shown: point %(point)s, %(where)s; targets %(aims)s.", len(targets)) % {
        "point": f"{data['shown'] + 1:,}", "where": point, "aims": aims}
    return [said, shown, ""]


def _batch(trace: dict) -> list[str]:
    """The batch's shares of the largest gradient, one line a sample, their sum, mean and update."""
    largest, size, count = trace["batch"]["largest"], trace["batch_size"], len(trace["sizes"])
    l, j, i = largest["weight"]
    inputs = names.inputs_of(trace)
    card = batch_card(trace)
    w = Written(card, trace, trace)
    listed = len(largest["shares"])
    lines = ["\n" + _("The Batch: %(size)s samples, each forward and back as the shown one") % {"size": f'{size:,}'},
             "  " + _("Each sample's share δ × a of the largest gradient, %(weight)s (δ of %(neuron)s × a of "
                      "%(source)s):") % {"weight": names.weight(l, j, i, count, inputs),
                                         "neuron": names.neuron(l, j, count),
                                         "source": names.neuron(l - 1, i, count, inputs)}]
    lines += ["    " + _("point %(point)s: %(shares)s") % {"point": f"{k + 1:,}", "shares": w.text(chain)}
              for k, chain in zip(largest["indices"], card.chains[:listed])]
    if size > listed:
        lines.append("    " + _("… and %(count)s more") % {"count": f'{size - listed:,}'})
    return lines + ["  " + w.text(chain) for chain in card.chains[listed:]]


def _written(card, trace: dict, indent: str = "    ") -> list[str]:
    w = Written(card, trace)
    return [indent + row for chain in card.chains for row in w.text(chain, rows=True).split("\n")]


def _update(page, trace: dict, l: int, j: int, i: int | None, u: dict) -> str:
    card = page.extra(f"n{l}-{j}" + (f"-{i}" if i is not None else ""), lambda lines: [lines.new_value(l, j, i)])
    gradient = _("(gradient %(gradient)s)") % {"gradient": number(u["gradient"], "precise")}
    return Written(card, trace).text(card.chains[0]) + "  " + gradient
