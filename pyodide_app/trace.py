"""Everything the page shows, from one forward and one backward pass.

A trace is plain data (dicts, lists, floats) so it prints as JSON and crosses into the
browser unchanged. It holds numbers only; how they are written is the view's business.

    trace["layers"][l]["neurons"][j]   neuron j of layer l (layer 0 is the input)
    trace["loss"]                      the loss and its per-output terms
"""

from __future__ import annotations

from .network import Network, backward, dot, forward, hidden_errors, loss, output_errors, sigmoid_prime
from .state import State


def trace(state: State) -> dict:
    net, inputs, targets, rate = state.network, state.inputs, state.targets, state.learning_rate
    sums, activations = forward(net, inputs)
    deltas = backward(net, activations, targets)
    last = len(net.weights)
    layers = [{"neurons": [{"activation": a} for a in inputs]}]
    for l in range(1, last + 1):
        if l == last:
            errors = output_errors(activations[l], targets)
        else:
            errors = hidden_errors(net.weights[l], deltas[l + 1])
        layers.append({"neurons": [
            _neuron(net, activations, sums, deltas, errors, rate, l, j)
            for j in range(len(net.biases[l - 1]))
        ]})
    return {
        "sizes": net.sizes,
        "learning_rate": rate,
        "epoch": state.epoch,
        "layers": layers,
        "loss": _loss(activations[-1], targets),
    }


def _neuron(net: Network, activations, sums, deltas, errors, rate, l: int, j: int) -> dict:
    incoming = net.weights[l - 1][j]
    bias = net.biases[l - 1][j]
    previous = activations[l - 1]
    d = deltas[l][j]
    return {
        # forward: z = Σ a·w + b, a = σ(z)
        "terms": [{"activation": a, "weight": w, "product": a * w} for a, w in zip(previous, incoming)],
        "weighted_sum": dot(previous, incoming),
        "bias": bias,
        "sum": sums[l][j],
        "activation": activations[l][j],
        # backward: δ = ∂L/∂a · σ'(z), with ∂L/∂a = Σ_k δ_k·w_kj for hidden neurons
        "error_terms": _error_terms(net, deltas, l, j),
        "error": errors[j],
        "sigmoid_prime": sigmoid_prime(activations[l][j]),
        "delta": d,
        # update: ∂L/∂w = δ·a_prev, ∂L/∂b = δ, new = old − α·gradient
        "weight_updates": [_update(w, d * a, rate) for w, a in zip(incoming, previous)],
        "bias_update": _update(bias, d, rate),
    }


def _error_terms(net: Network, deltas, l: int, j: int) -> list[dict]:
    if l == len(net.weights):
        return []
    return [{"delta": dk, "weight": row[j], "product": dk * row[j]}
            for dk, row in zip(deltas[l + 1], net.weights[l])]


def _update(old: float, gradient: float, rate: float) -> dict:
    update = rate * gradient
    return {"old": old, "gradient": gradient, "update": update, "new": old - update}


def _loss(outputs: list[float], targets: list[float]) -> dict:
    terms = [{"predicted": a, "target": t, "difference": a - t, "squared": (a - t) ** 2}
             for a, t in zip(outputs, targets)]
    total = loss(outputs, targets)
    return {"terms": terms, "sum_squared": 2 * total, "total": total}
