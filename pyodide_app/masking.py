"""What Practice hides, taken out of a trace before anything is formatted.

`masked(t, kinds, step)` is a copy of the trace in which every hidden value, and every value
from which one follows in a single operation, is `HIDDEN` (written "?"). Every view formats
the copy: the page's values, the diagram's names, the structure's HTML, the selection's chain
rule, the gradient check, the loss curve's top label, Show how. What judges answers keeps the
trace itself.

Hidden with each kind (l: a layer after the input, L the output layer):
    activations   a; of the outputs ∂L/∂a (a − t, −t/a …), the loss's terms ((o − t), (o − t)²,
                  ln o, ln(1 − o), each cross-entropy term) and a combined δ = o − t with its
                  bias gradient; the weight gradients into layers 2 … L (gradient / δ = a); the
                  sum Σ a × w of a neuron with one input from a hidden layer (s / w = a);
                  softmax's e^(z − m) and their sum; the loss itself where it is one output's
                  term (−ln o)
    deltas        δ; every gradient (a bias's is its δ, a weight's is δ × a) and update
                  (α × δ); ∂L/∂a = δ × w of a neuron whose next layer has a single neuron
    loss          L; the loss's last worked line (½ × Σ (o − t)², the cross-entropy terms);
                  ln o (or ln(1 − o)) where L is −ln o of a single output
    new_weights   the new weights and biases, and the updates (new = old − update)
The step whose updates the page shows after Step (the one just taken) keeps its gradients and
copies of a and δ: they belong to the network before it, not to the questions asked now; its
new values are the network's weights, shown in the editor and the forward pass.
"""

from __future__ import annotations

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
    if step is None:
        return shown, None
    step = _copy(step)
    if "new_weights" in kinds:
        _hide_new_values(step)
    return shown, step


def _copy(t: dict) -> dict:
    """A copy deep enough that hiding a value leaves the trace alone."""
    layers = []
    for layer in t["layers"]:
        copied = dict(layer, neurons=[_neuron(n) for n in layer["neurons"]])
        if "softmax" in layer:
            copied["softmax"] = dict(layer["softmax"])
        layers.append(copied)
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


def _neurons(t: dict, first: int = 1):
    for l, layer in enumerate(t["layers"][first:], start=first):
        for n in layer["neurons"]:
            yield l, n


def _hide_activations(t: dict) -> None:
    last = len(t["layers"]) - 1
    for l, n in _neurons(t):
        n["activation"] = HIDDEN
        for term in n["terms"]:
            if l > 1:  # a of the layer before, a hidden one: in its terms and its gradients
                term["activation"] = term["product"] = HIDDEN
        if l > 1:
            for u in n.get("weight_updates", ()):
                u["gradient"] = HIDDEN
            if len(n["terms"]) == 1:
                n["weighted_sum"] = HIDDEN
    if "softmax" in t["layers"][last]:
        parts = t["layers"][last]["softmax"]
        parts["exponentials"], parts["sum"] = [HIDDEN] * len(parts["exponentials"]), HIDDEN
    for n in t["layers"][last]["neurons"]:
        if n.get("error") is not None:
            n["error"] = HIDDEN
        for term in n.get("jacobian_terms", ()):
            term["error"] = term["product"] = HIDDEN
        if n["delta_rule"] == "combined" and "delta" in n:  # δ = o − t, and ∂L/∂b = δ
            n["delta"] = n["bias_update"]["gradient"] = HIDDEN
    if last > 1 and t["gradients"] and t["layers"][last]["neurons"][0]["delta_rule"] == "combined":
        for n in t["layers"][last - 1]["neurons"]:
            for term in n["error_terms"]:
                term["delta"] = term["product"] = HIDDEN
    loss = t["loss"]
    for term in loss["terms"]:
        for key in ("predicted", "difference", "squared", "log_predicted", "log_complement", "term"):
            if key in term:
                term[key] = HIDDEN
    if len(loss["terms"]) == 1 and "sum_squared" in loss:
        loss["sum_squared"] = HIDDEN  # (o − t)² itself
    if _one_term(loss):
        loss["total"] = HIDDEN  # one output's term: −ln o


def _hide_deltas(t: dict) -> None:
    last = len(t["layers"]) - 1
    for l, n in _neurons(t):
        n["delta"] = HIDDEN
        for term in n["error_terms"]:
            term["delta"] = term["product"] = HIDDEN
        for u in [*n["weight_updates"], n["bias_update"]]:
            u["gradient"] = u["update"] = HIDDEN
        if l < last and len(t["layers"][l + 1]["neurons"]) == 1:
            n["error"] = HIDDEN  # δ × w of the one neuron it feeds


def _hide_loss(loss: dict) -> None:
    loss["total"] = HIDDEN
    if "sum_squared" in loss:
        loss["sum_squared"] = HIDDEN  # L = 0.5 × Σ
    for term in loss["terms"]:
        if "term" in term:
            term["term"] = HIDDEN  # L = Σ of them
    term = _one_term(loss)
    if term and term["target"] in (0, 1):  # L = −ln o (t = 1) or −ln(1 − o) (t = 0)
        term["log_predicted" if term["target"] == 1 else "log_complement"] = HIDDEN


def _one_term(loss: dict) -> dict | None:
    """The one output's term a cross-entropy loss is made of, if only one output has a term."""
    if loss["function"] == "mse":
        return None
    contributing = [term for term in loss["terms"] if term["target"] != 0 or "log_complement" in term]
    return contributing[0] if len(contributing) == 1 else None


def _hide_new_values(t: dict) -> None:
    for _, n in _neurons(t):
        for u in [*n["weight_updates"], n["bias_update"]]:
            u["new"] = u["update"] = HIDDEN
