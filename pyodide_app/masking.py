"""What Practice hides, taken out of a trace before anything is formatted.

`masked(t, kinds, step)` is a copy of the trace in which every hidden value, and every value
from which one follows in a single operation, is `HIDDEN` (written "?"). Every view formats
the copy: the page's values, the diagram's names, the structure's HTML, the selection's chain
rule, the gradient check, the loss curve's loss labels, Show how. What judges answers keeps the
trace itself.

Hidden with each kind (l: a layer after the input, L the output layer):
    activations   a; of the outputs ∂L/∂a (a − t, −t/a …), the loss's terms ((o − t), (o − t)²,
                  ln o, ln(1 − o), each cross-entropy term) and a combined δ = o − t with its
                  bias gradient; the weight gradients into layers 2 … L (gradient / δ = a); the
                  sum Σ a × w of a neuron with one input from a hidden layer (s / w = a);
                  the loss itself where it is one output's term (−ln o); with α = 1 the
                  updates of those gradients too (each is then its gradient)
    deltas        δ; every gradient (a bias's is its δ, a weight's is δ × a) and update
                  (α × δ); ∂L/∂a = δ × w of a neuron whose next layer has a single neuron
    loss          L; the loss's last worked line (½ × Σ (o − t)², the cross-entropy terms);
                  ln o (or ln(1 − o)) where L is −ln o of a single output
    new_weights   the new weights and biases, and the updates (new = old − update)
On data, with the activations or the δs: the batch's shares δ × a and their sum (sum / n is a gradient);
and wherever L is hidden and the shown point is in the batch: its loss L_s among the batch's, their
sum and their mean (the others' and the sum give it away).
The step whose updates the page shows after Step (the one just taken) keeps its gradients and
copies of a and δ: they belong to the network before it, not to the questions asked now; its
new values are the network's weights, shown in the editor and the forward pass.
"""

from __future__ import annotations

import math

from .notation.numbers import HIDDEN


def masked(t: dict, kinds, step: dict | None = None) -> tuple[dict, dict | None]:
    """(the trace, the step shown) as the page may show them while `kinds` are hidden."""
    if not kinds:
        return t, step
    shown = _copy(t)
    if "activations" in kinds:
        _hide_activations(shown)
    if "deltas" in kinds and t["gradients"]:
        _hide_deltas(shown)
    if "loss" in kinds:
        _hide_loss(shown["loss"])
    if "new_weights" in kinds and t["gradients"]:
        _hide_new_values(shown)
    if ("activations" in kinds or "deltas" in kinds) and shown.get("batch"):  # each share is δ × a, their mean a gradient
        _hide_batch(shown)
    if shown["loss"]["total"] is HIDDEN and shown.get("batch_loss") and shown["batch_loss"]["shown_at"] is not None:
        _hide_batch_loss(shown)
    if step is None:
        return shown, None
    step = _copy(step)
    if "new_weights" in kinds:
        _hide_new_values(step)
    return shown, step


def _hide_batch(t: dict) -> None:
    batch = t["batch"]
    t["batch"] = dict(batch, shares=[HIDDEN] * len(batch["shares"]), sum=HIDDEN, largest=None)


def _hide_batch_loss(t: dict) -> None:
    batch = t["batch_loss"]
    losses = list(batch["losses"])
    if batch["shown_at"] < len(losses):
        losses[batch["shown_at"]] = HIDDEN
    t["batch_loss"] = dict(batch, losses=losses, sum=HIDDEN, mean=HIDDEN)


def _copy(t: dict) -> dict:
    """A copy deep enough that hiding a value leaves the trace alone."""
    layers = []
    for layer in t["layers"]:
        layers.append(dict(layer, neurons=[_neuron(n) for n in layer["neurons"]]))
    loss = dict(t["loss"], terms=[dict(term) for term in t["loss"]["terms"]])
    return dict(t, layers=layers, loss=loss)


def _neuron(n: dict) -> dict:
    copied = dict(n)
    for key in ("terms", "error_terms", "jacobian_terms", "weight_updates"):
        if key in n:
            copied[key] = [dict(item) for item in n[key]]
    if "bias_update" in n:
        copied["bias_update"] = dict(n["bias_update"])
    return copied


def _neurons(t: dict):
    for l, layer in enumerate(t["layers"][1:], start=1):
        for n in layer["neurons"]:
            yield l, n


def _hide(items, *keys) -> None:
    """Each of these values, where an item has it, HIDDEN."""
    for item in items:
        for key in keys:
            if key in item:
                item[key] = HIDDEN


def _hide_activations(t: dict) -> None:
    layers, loss = t["layers"], t["loss"]
    outputs = layers[-1]["neurons"]
    given_away = ("gradient", "update") if t["learning_rate"] == 1 else ("gradient",)  # α × g = g
    for l, n in _neurons(t):
        n["activation"] = HIDDEN
        if l > 1:  # a of the layer before is hidden: its terms, the gradients δ × a, a lone a × w
            _hide(n["terms"], "activation", "product")
            _hide(n.get("weight_updates", ()), *given_away)
            if len(n["terms"]) == 1:
                n["weighted_sum"] = HIDDEN
    for n in outputs:
        if n.get("error") is not None:
            n["error"] = HIDDEN  # a − t, −t / a …
        _hide(n.get("jacobian_terms", ()), "error", "product")
        if n["delta_rule"] == "combined" and "delta" in n:  # δ = o − t, ∂L/∂b = δ, and δ × w in ∂L/∂a before
            n["delta"] = HIDDEN
            _hide([n["bias_update"]], *given_away)
            for before in layers[-2]["neurons"]:
                _hide(before.get("error_terms", ()), "delta", "product")
    _hide(loss["terms"], "predicted", "difference", "squared", "log_predicted", "log_complement", "term")
    if len(outputs) == 1:
        _hide([loss], "sum_squared")  # (o − t)² itself
    if _one_term(loss):
        loss["total"] = HIDDEN  # one output's term: −ln o


def _hide_deltas(t: dict) -> None:
    layers = t["layers"]
    for l, n in _neurons(t):
        if _reads_as(n.get("error"), n["delta"]):  # f′(z) = 1 (linear, ReLU past 0): ∂L/∂a is δ itself
            n["error"] = HIDDEN
        n["delta"] = HIDDEN
        _hide(n["error_terms"], "delta", "product")
        _hide([*n["weight_updates"], n["bias_update"]], "gradient", "update")
        if l + 1 < len(layers) and len(layers[l + 1]["neurons"]) == 1:
            n["error"] = HIDDEN  # δ × w of the one neuron it feeds


def _reads_as(value, other) -> bool:
    """Two numbers alike to the digits the page shows (6 significant at the least)."""
    return isinstance(value, float) and isinstance(other, float) and math.isclose(value, other, rel_tol=1e-6)


def _hide_loss(loss: dict) -> None:
    _hide([loss], "total", "sum_squared")  # L = 0.5 × Σ
    _hide(loss["terms"], "term")  # L = Σ of them
    term = _one_term(loss)
    if term and term["target"] in (0, 1):  # L = −ln o (t = 1) or −ln(1 − o) (t = 0)
        term["log_predicted" if term["target"] == 1 else "log_complement"] = HIDDEN


def _one_term(loss: dict) -> dict | None:
    """The one output's term a loss of terms (cross-entropy) is made of, if only one output has one."""
    if "term" not in loss["terms"][0]:
        return None
    contributing = [term for term in loss["terms"] if term["target"] != 0 or "log_complement" in term]
    return contributing[0] if len(contributing) == 1 else None


def _hide_new_values(t: dict) -> None:
    for _, n in _neurons(t):
        _hide([*n["weight_updates"], n["bias_update"]], "new", "update")
