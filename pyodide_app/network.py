"""A fully connected feed-forward network, written out neuron by neuron.

Notation used throughout (layer l = 1 … L, layer 0 is the input):

    z[l][j] = Σ_i a[l-1][i] · w[l][j][i] + b[l][j]      the sum
    a[l][j] = σ(z[l][j])                                  the activation
    Loss    = ½ Σ_j (a[L][j] − t[j])²

`weights[l-1][j][i]` is the weight into neuron j of layer l from neuron i of the
layer before: row j of a layer's matrix holds neuron j's incoming weights.

Standard library only: this module runs unchanged in CPython and in Pyodide.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from operator import mul

try:
    from math import sumprod as dot  # Python 3.12+: Σ a·b in one call, with extended precision
except ImportError:  # Python 3.11
    def dot(a: list[float], b: list[float]) -> float:
        return sum(map(mul, a, b))


def sigmoid(z: float) -> float:
    """σ(z) = 1 / (1 + e^(−z)), evaluated so that e^(…) never overflows."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)  # z < 0, so 0 < e < 1
    return e / (1.0 + e)


def sigmoid_prime(activation: float) -> float:
    """σ'(z) = σ(z) · (1 − σ(z)), from the activation already computed."""
    return activation * (1.0 - activation)


@dataclass
class Network:
    weights: list[list[list[float]]]
    biases: list[list[float]]

    @property
    def sizes(self) -> list[int]:
        return [len(self.weights[0][0])] + [len(layer) for layer in self.biases]

    def copy(self) -> Network:
        return Network([[row[:] for row in layer] for layer in self.weights],
                       [layer[:] for layer in self.biases])


def forward(net: Network, inputs: list[float]) -> tuple[list[list[float]], list[list[float]]]:
    """Returns (sums, activations); activations[0] is the input, sums[0] is empty."""
    sums: list[list[float]] = [[]]
    activations = [list(inputs)]
    for weights, biases in zip(net.weights, net.biases):
        previous = activations[-1]
        z = [dot(previous, row) + b for row, b in zip(weights, biases)]
        sums.append(z)
        activations.append([sigmoid(zj) for zj in z])
    return sums, activations


def loss(outputs: list[float], targets: list[float]) -> float:
    """Loss = ½ Σ (a[L][j] − t[j])²"""
    return 0.5 * math.fsum((a - t) ** 2 for a, t in zip(outputs, targets))


def output_errors(outputs: list[float], targets: list[float]) -> list[float]:
    """∂Loss/∂a[L][j] = a[L][j] − t[j]"""
    return [a - t for a, t in zip(outputs, targets)]


def hidden_errors(next_weights: list[list[float]], next_deltas: list[float]) -> list[float]:
    """∂Loss/∂a[l][j] = Σ_k δ[l+1][k] · w[l+1][k][j]  (every path out of neuron j)"""
    return [dot(next_deltas, column) for column in zip(*next_weights)]


def delta(errors: list[float], activations: list[float]) -> list[float]:
    """δ[l][j] = ∂Loss/∂z[l][j] = ∂Loss/∂a[l][j] · σ'(z[l][j])"""
    return [e * sigmoid_prime(a) for e, a in zip(errors, activations)]


def backward(net: Network, activations: list[list[float]], targets: list[float]) -> list[list[float]]:
    """δ for every neuron of every layer by the exact chain rule; deltas[0] is empty."""
    deltas = [delta(output_errors(activations[-1], targets), activations[-1])]
    for l in range(len(net.weights) - 1, 0, -1):
        errors = hidden_errors(net.weights[l], deltas[0])
        deltas.insert(0, delta(errors, activations[l]))
    return [[]] + deltas


def step(net: Network, activations: list[list[float]], deltas: list[list[float]],
         learning_rate: float) -> None:
    """w ← w − α · (δ[l][j] · a[l-1][i]);  b ← b − α · δ[l][j]

    `deltas` were all taken at the weights before this call, so the update is simultaneous.
    """
    for l, (weights, biases) in enumerate(zip(net.weights, net.biases), start=1):
        previous = activations[l - 1]
        for j, d in enumerate(deltas[l]):
            weights[j] = [w - learning_rate * (d * a) for w, a in zip(weights[j], previous)]
            biases[j] -= learning_rate * d


def train(net: Network, inputs: list[float], targets: list[float], learning_rate: float,
          steps: int) -> None:
    """`steps` gradient-descent steps in place, building no trace.

    The same arithmetic as forward, backward and step, in the same order, fused into one
    loop: no sums kept, no per-layer function calls. Training runs thousands of steps per
    second in the page, and this makes each one about an eighth cheaper. The tests check
    that it matches step() to the last bit.
    """
    weights_by_layer, biases_by_layer = net.weights, net.biases
    for _ in range(steps):
        activations = [inputs]
        for weights, biases in zip(weights_by_layer, biases_by_layer):
            previous = activations[-1]
            activations.append([sigmoid(dot(previous, row) + b) for row, b in zip(weights, biases)])
        # δ of the output layer, then layer by layer backwards; each layer's weights are
        # updated only after the δ below them were taken from the old values
        deltas = [(a - t) * sigmoid_prime(a) for a, t in zip(activations[-1], targets)]
        for l in range(len(weights_by_layer) - 1, -1, -1):
            weights, biases, previous = weights_by_layer[l], biases_by_layer[l], activations[l]
            below = [dot(deltas, column) * sigmoid_prime(a)
                     for column, a in zip(zip(*weights), previous)] if l else []  # no δ for inputs
            for j, d in enumerate(deltas):
                weights[j] = [w - learning_rate * (d * a) for w, a in zip(weights[j], previous)]
                biases[j] -= learning_rate * d
            deltas = below
