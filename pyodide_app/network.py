"""A fully connected feed-forward network, written out neuron by neuron.

Notation used throughout (layer l = 1 … L, layer 0 is the input):

    z[l][j] = Σ_i a[l-1][i] · w[l][j][i] + b[l][j]      the sum
    a[l][j] = f_l(z[l][j])                                the activation (activations.py)
    Loss    = e.g. ½ Σ_j (a[L][j] − t[j])²                 the loss (losses.py)
    δ[l][j] = ∂Loss/∂z[l][j]                              found backwards by the chain rule

`weights[l-1][j][i]` is the weight into neuron j of layer l from neuron i of the
layer before: row j of a layer's matrix holds neuron j's incoming weights.
`activations[l-1]` names f_l, the activation of layer l; `loss` names the loss.

Standard library only: this module runs unchanged in CPython and in Pyodide.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import mul

from .activations import ACTIVATIONS, Activation
from .losses import LOSSES, delta_rule

try:
    from math import sumprod as dot  # Python 3.12+: Σ a·b in one call, with extended precision
except ImportError:  # Python 3.11
    def dot(a: list[float], b: list[float]) -> float:
        return sum(map(mul, a, b))


@dataclass
class Network:
    weights: list[list[list[float]]]
    biases: list[list[float]]
    activations: list[str] | None = None  # one per layer after the input; None: sigmoid everywhere
    loss: str = "mse"

    def __post_init__(self):
        if self.activations is None:
            self.activations = ["sigmoid"] * len(self.biases)

    @property
    def sizes(self) -> list[int]:
        return [len(self.weights[0][0])] + [len(layer) for layer in self.biases]

    def layer_activations(self) -> list[Activation]:
        return [ACTIVATIONS[key] for key in self.activations]

    def copy(self) -> Network:
        return Network([[row[:] for row in layer] for layer in self.weights],
                       [layer[:] for layer in self.biases], self.activations[:], self.loss)


def forward(net: Network, inputs: list[float]) -> tuple[list[list[float]], list[list[float]]]:
    """Returns (sums, activations); activations[0] is the input, sums[0] is empty."""
    sums: list[list[float]] = [[]]
    activations = [list(inputs)]
    for weights, biases, f in zip(net.weights, net.biases, net.layer_activations()):
        previous = activations[-1]
        z = [dot(previous, row) + b for row, b in zip(weights, biases)]
        sums.append(z)
        activations.append(f.forward(z))
    return sums, activations


def loss(net: Network, sums: list[list[float]], activations: list[list[float]], targets: list[float]) -> float:
    """The loss of the outputs a[L] against the targets, e.g. ½ Σ (a[L][j] − t[j])²"""
    return LOSSES[net.loss].value(sums[-1], activations[-1], targets, net.activations[-1])


def total_loss(net: Network, inputs: list[float], targets: list[float]) -> float:
    """Loss(w, b) for these inputs: what every gradient is the slope of."""
    sums, activations = forward(net, inputs)
    return loss(net, sums, activations, targets)


def output_errors(net: Network, outputs: list[float], targets: list[float]) -> list[float] | None:
    """∂Loss/∂a[L][j], e.g. a[L][j] − t[j]; None where the loss only gives δ = o − t directly."""
    gradient = LOSSES[net.loss].gradient
    return None if gradient is None else gradient(outputs, targets)


def output_deltas(net: Network, sums: list[float], outputs: list[float], targets: list[float]) -> list[float]:
    """δ[L] = ∂Loss/∂a[L] through the output activation's slope; o − t where loss and activation
    cancel (cross-entropy with sigmoid or softmax)."""
    return _output_delta(net)(sums, outputs, targets)


def _output_delta(net: Network):
    """output_deltas as a function of (z[L], a[L], t), the records looked up once."""
    f, cost = ACTIVATIONS[net.activations[-1]], LOSSES[net.loss]
    if delta_rule(net.loss, f.key) == "combined":
        return lambda sums, outputs, targets: [o - t for o, t in zip(outputs, targets)]
    gradient, delta = cost.gradient, f.delta
    return lambda sums, outputs, targets: delta(sums, outputs, gradient(outputs, targets))


def hidden_errors(next_weights: list[list[float]], next_deltas: list[float]) -> list[float]:
    """∂Loss/∂a[l][j] = Σ_k δ[l+1][k] · w[l+1][k][j]  (every path out of neuron j)"""
    return [dot(next_deltas, column) for column in zip(*next_weights)]


def backward(net: Network, sums: list[list[float]], activations: list[list[float]],
             targets: list[float]) -> list[list[float]]:
    """δ for every neuron of every layer by the exact chain rule; deltas[0] is empty.

    δ[l] = f_l′(z[l]) · ∂Loss/∂a[l], layer by layer from the output back."""
    kinds = net.layer_activations()
    deltas = [output_deltas(net, sums[-1], activations[-1], targets)]
    for l in range(len(net.weights) - 1, 0, -1):
        errors = hidden_errors(net.weights[l], deltas[0])
        deltas.insert(0, kinds[l - 1].delta(sums[l], activations[l], errors))
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
    loop with the layers' functions looked up once. Training runs thousands of steps per
    second in the page. The tests check that it matches step() to the last bit.
    """
    kinds = net.layer_activations()
    if any(f.output_only for f in kinds[:-1]):  # states never hold one; a hand-made Network might
        raise ValueError("an output-only activation (softmax) in a hidden layer")
    weights_by_layer, biases_by_layer = net.weights, net.biases
    layers = list(zip(weights_by_layer, biases_by_layer, [f.forward for f in kinds]))
    # f′ of the layer below each weight matrix: hidden layers, so elementwise, δ_j = error_j · f′(z_j)
    slopes = [None] + [f.derivative for f in kinds[:-1]]
    output_delta = _output_delta(net)
    for _ in range(steps):
        sums, activations = [[]], [inputs]
        for weights, biases, f in layers:
            previous = activations[-1]
            z = [dot(previous, row) + b for row, b in zip(weights, biases)]
            sums.append(z)
            activations.append(f(z))
        # δ of the output layer, then layer by layer backwards; each layer's weights are
        # updated only after the δ below them were taken from the old values
        deltas = output_delta(sums[-1], activations[-1], targets)
        for l in range(len(weights_by_layer) - 1, -1, -1):
            weights, biases, previous = weights_by_layer[l], biases_by_layer[l], activations[l]
            slope = slopes[l]  # δ below = (Σ_k δ_k·w_kj) · f′(z_j), as backward() takes it
            below = [dot(deltas, column) * slope(z, a)
                     for column, z, a in zip(zip(*weights), sums[l], previous)] if l else []  # no δ for inputs
            for j, d in enumerate(deltas):
                weights[j] = [w - learning_rate * (d * a) for w, a in zip(weights[j], previous)]
                biases[j] -= learning_rate * d
            deltas = below
