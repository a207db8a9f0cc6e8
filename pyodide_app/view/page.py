"""The page's numbers as text, keyed by what they are.

`values(...)` turns a trace into {key: text}. Every element showing a number carries
`data-v="<key>"`; the build writes the text into the template, the live page writes it
into the same elements. One function, so the two can never disagree.

Keys (l = layer, j = neuron, i = neuron of the layer before):
    a-l-j activation   z-l-j sum   s-l-j Σ a·w   b-l-j bias   w-l-j-i weight   t-j target
    e-l-j ∂L/∂a (none where δ = o − t)   sp-l-j f′(z)   d-l-j δ   lss, loss
    j-l-j-k ∂a_k/∂z_j of a softmax output layer with mean squared error
    ld-j, lq-j mean squared error terms; ll-j ln o, lc-j ln(1 − o), lt-j cross-entropy terms
    gw-/uw-/ow-/nw-l-j-i and gb-/ub-/ob-/nb-l-j: gradient, update, old and new value,
    sa-l-0, sd-l-0: activation and δ of the step those updates belong to (the worked example)

A key starting with "(" is the same number as an operand, where a formula writes it after an
operator: "(w-1-0-0" is "(−0.3000)" where "w-1-0-0" would be "−0.3000" (numbers.operand). The
templates write these with n(key, op=true), and only those numbers have one: the weights and
softmax ∂a/∂z (after ×), the targets (after −), the biases of the forward sums, every term of a
sum after the first, f′(z) in δ = ∂L/∂a × f′(z) and the worked update's a, gradient and update.
A number never written without an operator before it has no plain key (w-, j-, lss). A sigmoid
or softmax output after "1 −" keeps its plain key: it is never negative.

The keys fall into parts, one per section of the page ("network" is the diagram, the
controls and the bias list, and is always written). While training, the live page writes
only the parts on screen; a part is written in full as soon as it scrolls into view.
"""

from __future__ import annotations

from ..activations import RULES
from . import diagram
from ..notation.numbers import as_plain, number, operand, rate

UPDATES_NEXT = "The updates one training step would apply now. Press Step to apply them."
UPDATES_JUST_APPLIED = "The updates the last step just applied: the new values are the network's weights now."
PARTS = ("forward", "loss", "backprop", "updates")  # the page reads them from protocol.js (protocol.shared_with_page)


def values(trace: dict, targets: list[float], shown_step: dict | None = None,
           parts: tuple[str, ...] = PARTS, blocks: dict[str, set[int]] | None = None) -> dict[str, str]:
    """`shown_step`: the trace whose updates the page shows (the step just taken), else `trace`.
    `blocks`: of the forward pass and backpropagation, only these layers' blocks ({part:
    layer numbers}); a part it does not name is written whole."""
    out = _network(trace, targets)
    every = range(1, len(trace["layers"]))
    forward = (blocks or {}).get("forward", every) if "forward" in parts else ()
    backprop = (blocks or {}).get("backprop", every) if "backprop" in parts else ()
    _weights(out, trace, {*forward, *(l + 1 for l in backprop)})  # block l of backprop shows w of l + 1
    _forward(out, trace, forward)
    if "loss" in parts:
        _loss(out, trace["loss"])
    _backprop(out, trace, backprop)
    if "updates" in parts:
        _updates(out, shown_step or trace)
        out["updates-when"] = UPDATES_JUST_APPLIED if shown_step else UPDATES_NEXT
    return out


def every_text(trace: dict, targets: list[float], shown_step: dict | None = None) -> dict[str, str]:
    """`values`, with the plain text of every number the page writes only as an operand, and
    the activation and δ of every neuron of the step shown: what worked lines written
    elsewhere (worksheets, practice's Show how) take their numbers from."""
    out = values(trace, targets, shown_step)
    out |= {key[1:]: as_plain(text) for key, text in out.items() if key.startswith("(")}
    step = shown_step or trace
    out |= {f"sa-0-{j}": number(n["activation"]) for j, n in enumerate(step["layers"][0]["neurons"])}
    for key, n in _neurons(step):
        out[f"sa-{key}"], out[f"sd-{key}"] = number(n["activation"]), number(n["delta"], "precise")
    return out


def attributes(trace: dict, labels: bool = True) -> dict[str, dict[str, str]]:
    """{element id: {attribute: value}} for the diagram's nodes and edges.

    Without `labels`, the accessible names stay as they are: while training they would
    change sixty times a second, which helps no one and costs a good part of each frame.
    """
    edges = diagram.edge_attributes(trace, labels)
    return {**diagram.node_attributes(trace), **edges} if labels else edges


def _neurons(trace: dict, layers=None):
    """(key "l-j", neuron) for every neuron after the input layer (or of these layers)."""
    for l, layer in enumerate(trace["layers"][1:], start=1):
        if layers is None or l in layers:
            for j, n in enumerate(layer["neurons"]):
                yield f"{l}-{j}", n


def _network(trace: dict, targets: list[float]) -> dict[str, str]:
    out = {"lr": rate(trace["learning_rate"]), "epoch": f"{trace['epoch']:,}",
           "loss": number(trace["loss"]["total"], "precise")}
    for j, t in enumerate(targets):
        out[f"(t-{j}"] = operand(t)  # o − t, 1 − t, −t
    for j, n in enumerate(trace["layers"][0]["neurons"]):
        out[f"a-0-{j}"] = number(n["activation"])
    for key, n in _neurons(trace):
        out[f"a-{key}"] = number(n["activation"])
        out[f"b-{key}"] = number(n["bias"])
    return out


def _weights(out: dict[str, str], trace: dict, layers) -> None:
    for key, n in _neurons(trace, layers):
        for i, term in enumerate(n["terms"]):
            out[f"(w-{key}-{i}"] = operand(term["weight"])  # a × w, δ × w


def _later_terms(out: dict[str, str], items: list[dict], key: str, field: str, kind: str = "precise") -> None:
    """item[field] of each item, as the terms of a sum: every term after the first follows a +."""
    for j, item in enumerate(items[1:], start=1):
        out[f"({key}-{j}"] = operand(item[field], kind)


def _forward(out: dict[str, str], trace: dict, layers) -> None:
    for l in layers:  # z = a × w + a × w + … + b, over the layer before
        _later_terms(out, trace["layers"][l - 1]["neurons"], f"a-{l - 1}", "activation", "value")
    for key, n in _neurons(trace, layers):
        out[f"s-{key}"] = number(n["weighted_sum"])
        out[f"(b-{key}"] = operand(n["bias"])
        out[f"z-{key}"] = number(n["sum"])


def _loss(out: dict[str, str], loss: dict) -> None:
    if loss["function"] != "mse":
        for j, term in enumerate(loss["terms"]):
            out[f"ll-{j}"] = number(term["log_predicted"], "precise")
            if "log_complement" in term:  # −[t × ln(o) + (1 − t) × ln(1 − o)]
                out[f"t-{j}"] = number(term["target"])
                out[f"lc-{j}"] = number(term["log_complement"], "precise")
            out[f"lt-{j}"] = number(term["term"], "precise")
        _later_terms(out, loss["terms"], "lt", "term")
        return
    for j, term in enumerate(loss["terms"]):
        out[f"ld-{j}"] = number(term["difference"])
    out["lq-0"] = number(loss["terms"][0]["squared"], "precise")
    _later_terms(out, loss["terms"], "lq", "squared")
    out["(lss"] = operand(loss["sum_squared"], "precise")  # 0.5 × Σ


def _backprop(out: dict[str, str], trace: dict, layers) -> None:
    last = len(trace["layers"]) - 1
    for key, n in _neurons(trace, layers):
        if n["error"] is not None:  # δ = o − t needs no ∂L/∂a
            out[f"e-{key}"] = number(n["error"], "precise")
        if not RULES[n["derivative_rule"]].constant:  # "1, as 0.7200 > 0" needs no "= 1"
            out[f"sp-{key}"] = number(n["derivative"])
        if n["delta_rule"] == "chain":
            out[f"(sp-{key}"] = operand(n["derivative"])  # δ = ∂L/∂a × f′(z)
        for k, term in enumerate(n["jacobian_terms"]):
            out[f"(j-{key}-{k}"] = operand(term["jacobian"], "precise")
        out[f"d-{key}"] = number(n["delta"], "precise")
    for l in layers:  # a hidden neuron's ∂L/∂a = δ × w + δ × w + …, over the layer after
        if l < last:
            _later_terms(out, trace["layers"][l + 1]["neurons"], f"d-{l + 1}", "delta")
    if last in layers and trace["layers"][last]["neurons"][0]["delta_rule"] == "jacobian":  # δ = e × ∂a/∂z + …
        _later_terms(out, trace["layers"][last]["neurons"], f"e-{last}", "error")


def _updates(out: dict[str, str], step: dict) -> None:
    for key, n in _neurons(step):
        for i, u in enumerate(n["weight_updates"]):
            _update(out, "w", f"{key}-{i}", u)
        _update(out, "b", key, n["bias_update"])
    # the worked example, the first weight into the first output: δ × a, α × gradient, old − update
    layers, last = step["layers"], len(step["layers"]) - 1
    first = layers[last]["neurons"][0]
    out[f"sd-{last}-0"] = number(first["delta"], "precise")
    out[f"(sa-{last - 1}-0"] = operand(layers[last - 1]["neurons"][0]["activation"])
    out[f"(gw-{last}-0-0"] = operand(first["weight_updates"][0]["gradient"], "precise")
    out[f"(uw-{last}-0-0"] = operand(first["weight_updates"][0]["update"], "precise")


def _update(out: dict[str, str], kind: str, key: str, u: dict) -> None:
    """ow-, gw-, uw-, nw-1-0-2 (kind "w"): old value, gradient, update, new value."""
    out[f"o{kind}-{key}"] = number(u["old"], "precise")
    out[f"g{kind}-{key}"] = number(u["gradient"], "precise")
    out[f"u{kind}-{key}"] = number(u["update"], "precise")
    out[f"n{kind}-{key}"] = number(u["new"], "precise")
