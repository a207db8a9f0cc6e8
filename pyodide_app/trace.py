"""Everything the page shows, from one forward and one backward pass.

A trace is plain data (dicts, lists, floats, strings), so it prints as JSON (`python -m
pyodide_app trace`) and the view reads it without the maths. It holds numbers and the keys of
the rules that produced them; how they are written is the view's business.

    trace["activations"], trace["loss"]["function"]   keys into activations.py, losses.py
    trace["layers"][l]["neurons"][j]                   neuron j of layer l (layer 0 is the input)
    trace["layers"][l]["activation"]                   f_l's key
    trace["loss"]                                      the loss, its per-output terms

Each neuron after the input says which rules apply: "derivative_rule" names the case of
f′ (e.g. "relu-positive", a key of activations.Rule), "delta_rule" how δ was found:
    "chain"     δ = ∂L/∂a × f′(z)                   every hidden neuron; outputs with an elementwise f
    "jacobian"  δ_j = Σ_k ∂L/∂a_k × ∂a_k/∂z_j     softmax outputs with mean squared error
    "combined"  δ = o − t                           cross-entropy with sigmoid or softmax outputs;
                                                    there "error" (∂L/∂a) is None: it is not used

While the page learns from data (state.data), the forward pass and the δs are the shown
point's, and every update is the next batch's: its gradient the mean over the batch of each
sample's δ × a (batch.mean_gradients). trace["batch"] then says which samples, and each one's
share δ × a of the worked weight (the first into the first output) with their sum; and
trace["batch_loss"] each one's loss L_s, their sum and mean L_B = (1/n) Σ_s L_s, the loss a
step lowers (with or without `gradients`).
"""

from __future__ import annotations

from . import training
from .activations import softmax_jacobian
from .batch import mean_gradients, sample_step
from .data import settings as data_settings
from .losses import LOSSES, delta_rule
from .network import Network, backward, dot, forward, hidden_errors, output_errors, total_loss
from .state import State

BATCH_LISTED = 10  # the shares of a batch a page lists; more are summed, not listed


def trace(state: State, gradients: bool = True) -> dict:
    """Without `gradients`, the forward pass and the loss alone (trace["gradients"] says
    which): no ∂L/∂a, f′, δ or update. An edit's answer shows those first; on a large network
    the backward pass is most of the work, and it follows with the parts off screen."""
    net, inputs, targets, rate = state.network, state.inputs, state.targets, state.learning_rate
    sums, activations = forward(net, inputs)
    deltas = backward(net, sums, activations, targets) if gradients else None
    kinds = net.layer_activations()
    last = len(net.weights)
    indices = training.current_batch(state) if state.data is not None else []
    batch = _batch(state, indices) if gradients and indices else None
    mean = mean_gradients(batch) if batch else None
    layers = [{"neurons": [{"activation": a} for a in inputs]}]
    for l in range(1, last + 1):
        rule = delta_rule(net.loss, net.activations[-1]) if l == last else "chain"
        f = kinds[l - 1]
        neurons = [_forward_neuron(net, activations, sums, l, j, f, rule) for j in range(len(net.biases[l - 1]))]
        if gradients:
            errors = output_errors(net, activations[l], targets) if l == last else hidden_errors(net.weights[l], deltas[l + 1])
            for j, neuron in enumerate(neurons):
                neuron |= _backward_neuron(net, activations, sums, deltas, errors, rate, l, j, f, rule)
                if mean:
                    _mean_updates(neuron, mean[0][l - 1][j], mean[1][l - 1][j], rate)
        layers.append({"activation": f.key, "neurons": neurons})
    loss = LOSSES[net.loss].terms(sums[-1], activations[-1], targets, net.activations[-1])
    return {
        "sizes": net.sizes,
        "activations": net.activations[:],
        "learning_rate": rate,
        "epoch": state.epoch,
        "layers": layers,
        "loss": {"function": net.loss, **loss},
        "gradients": gradients,
        "batch_size": len(indices),  # 0: one sample, no batch
        "batch": batch and _batch_shares(batch, last) | {"largest": _largest_shares(batch, mean[0])},
        "input_features": state.data["inputs"][:] if state.data is not None else None,
        "batch_loss": _batch_loss(state, indices, batch) if indices else None,
    }


def _batch(state: State, indices: list[int]) -> list:
    """Each sample of the next batch, forward and back (batch.SampleStep)."""
    made = data_settings.samples_of(state.data, state.network.activations[-1])
    return [sample_step(state.network, k, made.inputs[k], made.targets[k]) for k in indices]


def _batch_shares(steps: list, last: int) -> dict:
    """The batch's samples, and each one's share δ × a of the worked weight (into the first
    output from the first neuron before it), the first BATCH_LISTED listed, all summed."""
    shares = [s.deltas[last][0] * s.activations[last - 1][0] for s in steps]
    return {"size": len(steps), "indices": [s.index for s in steps], "shares": shares[:BATCH_LISTED],
            "sum": sum(shares)}


def _largest_shares(steps: list, weight_gradients) -> dict:
    """The weight whose mean gradient is largest (the first of equals): each sample's δ_j and
    a_i and their product, the first BATCH_LISTED listed, all summed."""
    l, j, i = max(((l, j, i) for l, layer in enumerate(weight_gradients, start=1) for j, row in enumerate(layer)
                   for i in range(len(row))), key=lambda lji: abs(weight_gradients[lji[0] - 1][lji[1]][lji[2]]))
    deltas = [s.deltas[l][j] for s in steps]
    inputs = [s.activations[l - 1][i] for s in steps]
    shares = [d * a for d, a in zip(deltas, inputs)]
    return {"weight": [l, j, i], "indices": [s.index for s in steps][:BATCH_LISTED],
            "deltas": deltas[:BATCH_LISTED], "inputs": inputs[:BATCH_LISTED], "shares": shares[:BATCH_LISTED],
            "sum": sum(shares)}


def _batch_loss(state: State, indices: list[int], steps: list | None) -> dict:
    """The batch's losses, the first BATCH_LISTED listed, their sum and mean; where the shown
    point is among them (None: not in this batch)."""
    if steps:
        losses = [s.loss for s in steps]
    else:
        made = data_settings.samples_of(state.data, state.network.activations[-1])
        losses = [total_loss(state.network, made.inputs[k], made.targets[k]) for k in indices]
    shown = state.data["shown"]
    return {"size": len(losses), "losses": losses[:BATCH_LISTED], "sum": sum(losses), "mean": sum(losses) / len(losses),
            "shown_at": indices.index(shown) if shown in indices else None}


def _mean_updates(neuron: dict, weight_gradients: list[float], bias_gradient: float, rate: float) -> None:
    neuron["weight_updates"] = [_update(u["old"], g, rate) for u, g in zip(neuron["weight_updates"], weight_gradients)]
    neuron["bias_update"] = _update(neuron["bias_update"]["old"], bias_gradient, rate)


def _forward_neuron(net: Network, activations, sums, l: int, j: int, f, rule: str) -> dict:
    """z = Σ a·w + b, a = f(z); and which case of f′ and of δ applies."""
    incoming, previous = net.weights[l - 1][j], activations[l - 1]
    return {
        "terms": [{"activation": x, "weight": w, "product": x * w} for x, w in zip(previous, incoming)],
        "weighted_sum": dot(previous, incoming),
        "bias": net.biases[l - 1][j],
        "sum": sums[l][j],
        "activation": activations[l][j],
        "derivative_rule": f.rule(sums[l][j]).key,
        "delta_rule": rule,
    }


def _backward_neuron(net: Network, activations, sums, deltas, errors, rate, l: int, j: int, f, rule: str) -> dict:
    """δ = ∂L/∂a · f′(z), with ∂L/∂a = Σ_k δ_k·w_kj for hidden neurons; ∂L/∂w = δ·a_prev,
    ∂L/∂b = δ, new = old − α·gradient."""
    incoming, bias, previous = net.weights[l - 1][j], net.biases[l - 1][j], activations[l - 1]
    z, a, d = sums[l][j], activations[l][j], deltas[l][j]
    return {
        "error_terms": _error_terms(net, deltas, l, j),
        "error": None if errors is None else errors[j],
        "derivative": f.derivative(z, a),
        "jacobian_terms": _jacobian_terms(activations[l], errors, j) if rule == "jacobian" else [],
        "delta": d,
        "weight_updates": [_update(w, d * x, rate) for w, x in zip(incoming, previous)],
        "bias_update": _update(bias, d, rate),
    }


def _error_terms(net: Network, deltas, l: int, j: int) -> list[dict]:
    if l == len(net.weights):
        return []
    return [{"delta": dk, "weight": row[j], "product": dk * row[j]}
            for dk, row in zip(deltas[l + 1], net.weights[l])]


def _jacobian_terms(outputs: list[float], errors: list[float], j: int) -> list[dict]:
    """∂L/∂a_k × ∂a_k/∂z_j for every output k: the terms of a softmax output's δ."""
    terms = []
    for k, e in enumerate(errors):
        jacobian = softmax_jacobian(outputs, k, j)
        terms.append({"error": e, "jacobian": jacobian, "product": e * jacobian})
    return terms


def _update(old: float, gradient: float, rate: float) -> dict:
    update = rate * gradient
    return {"old": old, "gradient": gradient, "update": update, "new": old - update}
