"""The page's numbers as text, keyed by what they are.

`values(...)` turns a trace into {key: text}. Every element showing a number carries
`data-v="<key>"`; the build writes the text into the template, the live page writes it
into the same elements. One function, so the two can never disagree.

A number's own key (l = layer, j = neuron, i = neuron of the layer before), written with its
kind's decimals (notation/numbers.py) wherever it stands alone:
    a-l-j activation (the diagram's circles)   b-l-j bias (the diagram, the bias list)
    loss (the readout)   lr learning rate   epoch
    gw-/uw-/ow-/nw-l-j-i and gb-/ub-/ob-/nb-l-j: gradient, update, old and new value (the table)
The worked lines are written in cards (cards.py), each number keyed by its card, with the
decimals its card needs: "a-1-0@f2-0", "(a-1-0@f2-1" after an operator, "eq1@b3-0" for the "="
that may be "≈"; the weights, "(w-2-0-1", are written alike in every card. Keys of the lines
(lines.py): z-l-j sum, s-l-j Σ a·w, t-j target, e-l-j ∂L/∂a, sp-l-j f′(z), d-l-j δ, j-l-j-k
∂a_k/∂z_j of a layer that mixes, the loss's own (ld-j, lq-j, lss; ll-j, lc-j, lt-j), and sa-,
sd-l-j, the activation and δ of the step whose updates are shown.

A hidden value (HIDDEN, masking.py) is "?" wherever it is written, in every card.

The keys fall into parts, one per section of the page ("network" is the diagram, the
controls and the bias list, and is always written). While training, the live page writes
only the parts on screen; a part is written in full as soon as it scrolls into view.
"""

from __future__ import annotations

from . import diagram
from .cards import cards
from .lines import values as values_of
from ..notation.checking import Shown, solve
from ..notation.numbers import MINUS, localized, negative, number, rate
from ..translation import N_, _

UPDATES_NEXT = N_("The updates one training step would apply now. Press Step to apply them.")
UPDATES_JUST_APPLIED = N_("The updates the last step just applied: the new values are the network's weights now.")
PARTS = ("forward", "loss", "backprop", "updates")  # the page reads them from protocol.js (protocol.shared_with_page)


def values(trace: dict, targets: list[float], shown_step: dict | None = None,
           parts: tuple[str, ...] = PARTS, blocks: dict[str, set[int]] | None = None) -> dict[str, str]:
    """`shown_step`: the trace whose updates the page shows (the step just taken), else `trace`.
    `blocks`: of the forward pass and backpropagation, only these layers' blocks ({part:
    layer numbers}); a part it does not name is written whole."""
    out = _network(trace)
    page = cards(trace)
    every = range(1, len(trace["layers"]))
    forward = (blocks or {}).get("forward", every) if "forward" in parts else ()
    backprop = (blocks or {}).get("backprop", every) if "backprop" in parts else ()
    written = [card for l in forward for card in page.forward[l]]
    if "loss" in parts:
        written += [page.loss, page.batch_loss] if page.batch_loss else [page.loss]
    written += [card for l in backprop for card in page.backprop[l]]
    if "updates" in parts:
        step = shown_step or trace
        _updates(out, step)
        out["updates-when"] = _(UPDATES_JUST_APPLIED if shown_step else UPDATES_NEXT)
        written.append(page.updates)
    keys = {key for card in written for key in card.group.kinds}
    shown = Shown(values_of(page.lines, trace, shown_step, keys), page.lines.kinds)
    for card in written:
        texts, approximate = solve(card.group, shown)
        out.update(zip(card.plain[0], map(texts.__getitem__, card.plain[1])))
        out.update(zip(card.operands[0], [f"({text})" if text[0] == MINUS or negative(text) else text
                                          for text in map(texts.__getitem__, card.operands[1])]))
        for key, index in card.relations:
            out[key] = "≈" if index in approximate else "="
    return out


def attributes(trace: dict, labels: bool = True) -> dict[str, dict[str, str]]:
    """{element id: {attribute: value}} for the diagram's nodes and edges.

    Without `labels`, the accessible names stay as they are: while training they would
    change sixty times a second, which helps no one and costs a good part of each frame.
    """
    edges = diagram.edge_attributes(trace, labels)
    return {**diagram.node_attributes(trace), **edges} if labels else edges


def _neurons(trace: dict):
    """(key "l-j", neuron) for every neuron after the input layer."""
    for l, layer in enumerate(trace["layers"][1:], start=1):
        for j, n in enumerate(layer["neurons"]):
            yield f"{l}-{j}", n


def _network(trace: dict) -> dict[str, str]:
    out = {"lr": rate(trace["learning_rate"]), "epoch": localized(f"{trace['epoch']:,}"),
           "loss": number(trace["loss"]["total"], "precise")}
    for j, n in enumerate(trace["layers"][0]["neurons"]):
        out[f"a-0-{j}"] = number(n["activation"])
    for key, n in _neurons(trace):
        out[f"a-{key}"] = number(n["activation"])
        out[f"b-{key}"] = number(n["bias"])
    return out


def _updates(out: dict[str, str], step: dict) -> None:
    """ow-, gw-, uw-, nw-1-0-2 (and ob-, … of the biases): old value, gradient, update, new value."""
    for key, n in _neurons(step):
        for i, u in enumerate(n["weight_updates"]):
            _update(out, "w", f"{key}-{i}", u)
        _update(out, "b", key, n["bias_update"])


def _update(out: dict[str, str], kind: str, key: str, u: dict) -> None:
    out[f"o{kind}-{key}"] = number(u["old"], "precise")
    out[f"g{kind}-{key}"] = number(u["gradient"], "precise")
    out[f"u{kind}-{key}"] = number(u["update"], "precise")
    out[f"n{kind}-{key}"] = number(u["new"], "precise")
