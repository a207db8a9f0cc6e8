"""The page's numbers as text, keyed by what they are.

`values(...)` turns a trace into {key: text}. Every element showing a number carries
`data-v="<key>"`; the build writes the text into the template, the live page writes it
into the same elements. One function, so the two can never disagree.

Keys (l = layer, j = neuron, i = neuron of the layer before):
    a-l-j activation   z-l-j sum   s-l-j Σ a·w   b-l-j bias   w-l-j-i weight   t-j target
    e-l-j ∂L/∂a   sp-l-j σ'   d-l-j δ   ld-j, lq-j loss terms   lss, loss
    gw-/uw-/ow-/nw-l-j-i and gb-/ub-/ob-/nb-l-j: gradient, update, old and new value,
    sa-l-j, sd-l-j: activation and δ of the step those updates belong to
"""

from __future__ import annotations

from . import diagram

UPDATES_NEXT = "The updates one training step would apply now. Press Step to apply them."
UPDATES_JUST_APPLIED = "The updates the last step just applied: the new values are the network's weights now."
from .numbers import number, rate


def values(trace: dict, targets: list[float], shown_step: dict | None = None) -> dict[str, str]:
    """`shown_step`: the trace whose updates the page shows (the step just taken), else `trace`."""
    out = {"lr": rate(trace["learning_rate"]), "epoch": f"{trace['epoch']:,}",
           "loss": number(trace["loss"]["total"], "precise")}
    for j, t in enumerate(targets):
        out[f"t-{j}"] = number(t)
    for l, layer in enumerate(trace["layers"]):
        for j, n in enumerate(layer["neurons"]):
            out[f"a-{l}-{j}"] = number(n["activation"])
            if l:
                out.update(_neuron(l, j, n))
    for l, layer in enumerate((shown_step or trace)["layers"]):
        for j, n in enumerate(layer["neurons"]):
            out[f"sa-{l}-{j}"] = number(n["activation"])
            if not l:
                continue
            out[f"sd-{l}-{j}"] = number(n["delta"], "precise")
            for i, u in enumerate(n["weight_updates"]):
                out.update(_update(f"{l}-{j}-{i}", "w", u))
            out.update(_update(f"{l}-{j}", "b", n["bias_update"]))
    _loss(out, trace["loss"])
    out["updates-when"] = (UPDATES_JUST_APPLIED if shown_step else UPDATES_NEXT)
    return out


def attributes(trace: dict) -> dict[str, dict[str, str]]:
    """{element id: {attribute: value}} for the diagram's nodes and edges."""
    return {**diagram.node_attributes(trace), **diagram.edge_attributes(trace)}


def _neuron(l: int, j: int, n: dict) -> dict[str, str]:
    key = f"{l}-{j}"
    out = {f"z-{key}": number(n["sum"]), f"s-{key}": number(n["weighted_sum"]),
           f"b-{key}": number(n["bias"]), f"e-{key}": number(n["error"], "precise"),
           f"sp-{key}": number(n["sigmoid_prime"]), f"d-{key}": number(n["delta"], "precise")}
    for i, term in enumerate(n["terms"]):
        out[f"w-{key}-{i}"] = number(term["weight"])
    return out


def _update(key: str, kind: str, u: dict) -> dict[str, str]:
    return {f"o{kind}-{key}": number(u["old"], "precise"), f"g{kind}-{key}": number(u["gradient"], "precise"),
            f"u{kind}-{key}": number(u["update"], "precise"), f"n{kind}-{key}": number(u["new"], "precise")}


def _loss(out: dict[str, str], loss: dict) -> None:
    for j, term in enumerate(loss["terms"]):
        out[f"ld-{j}"] = number(term["difference"])
        out[f"lq-{j}"] = number(term["squared"], "precise")
    out["lss"] = number(loss["sum_squared"], "precise")
