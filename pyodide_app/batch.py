"""Learning from many samples: a mini-batch's gradient is the mean of its samples' gradients.

For a batch B of samples s, each with its own forward pass and δs (network.py):

    ∂L_B/∂w[l][j][i] = (1/|B|) Σ_s δ_s[l][j] · a_s[l-1][i]      L_B = (1/|B|) Σ_s L_s
    ∂L_B/∂b[l][j]    = (1/|B|) Σ_s δ_s[l][j]
    w ← w − α · ∂L_B/∂w,   b ← b − α · ∂L_B/∂b                  one update per batch

An epoch is one pass over the training samples in an order shuffled from the data seed and
the epoch's number, cut into batches of `batch_size` (the last may be smaller).
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import mul, sub
from random import Random

from . import network
from .activations import ACTIVATIONS, LEAK, Activation
from .losses import LOSSES, delta_rule
from .network import Network, dot


@dataclass
class SampleStep:
    """One sample's part of a batch: its forward pass, its δs and its loss."""
    index: int
    sums: list[list[float]]
    activations: list[list[float]]
    deltas: list[list[float]]
    loss: float


def sample_step(net: Network, index: int, inputs: list[float], targets: list[float]) -> SampleStep:
    sums, activations = network.forward(net, inputs)
    return SampleStep(index, sums, activations, network.backward(net, sums, activations, targets),
                      network.loss(net, sums, activations, targets))


def mean_gradients(steps: list[SampleStep]) -> tuple[list[list[list[float]]], list[list[float]]]:
    """(∂L_B/∂w, ∂L_B/∂b): each the mean over the batch of δ_j · a_i (of δ_j for a bias)."""
    n = len(steps)
    weights, biases = [], []
    for l in range(1, len(steps[0].deltas)):
        deltas = list(zip(*(s.deltas[l] for s in steps)))  # [j]: δ_j of every sample
        inputs = list(zip(*(s.activations[l - 1] for s in steps)))  # [i]: a_i of every sample
        weights.append([[dot(d, a) / n for a in inputs] for d in deltas])
        biases.append([sum(d) / n for d in deltas])
    return weights, biases


def apply(net: Network, weight_gradients, bias_gradients, learning_rate: float) -> None:
    """w ← w − α · gradient, b likewise, every gradient taken before the update."""
    for weights, biases, gw, gb in zip(net.weights, net.biases, weight_gradients, bias_gradients):
        for j, (row, grow) in enumerate(zip(weights, gw)):
            weights[j] = [w - learning_rate * g for w, g in zip(row, grow)]
            biases[j] -= learning_rate * gb[j]


def mean_loss(net: Network, inputs: list[list[float]], targets: list[list[float]]) -> float:
    """(1/n) Σ_s L_s over a set of samples; 0 for none."""
    if not inputs:
        return 0.0
    return sum(network.total_loss(net, x, t) for x, t in zip(inputs, targets)) / len(inputs)


def epoch_order(count: int, seed: int, epoch: int) -> list[int]:
    """The training samples' order in epoch `epoch` (0, 1, …): the same for the same seed."""
    order = list(range(count))
    Random(seed * 1_000_003 + epoch).shuffle(order)
    return order


def batches_of(order: list[int], batch_size: int) -> list[list[int]]:
    return [order[k:k + batch_size] for k in range(0, len(order), batch_size)]


# f′ of a whole layer from its sums and activations, as list(map(f.derivative, z, a)) gives it
# to the last bit, written out for the activations a hidden layer can have: one comprehension
# instead of a call per neuron, in the loop that runs for every sample.
LAYER_SLOPES = {
    "sigmoid": lambda sums, activations: [a * (1.0 - a) for a in activations],
    "tanh": lambda sums, activations: [1.0 - a * a for a in activations],
    "relu": lambda sums, activations: [1.0 if z > 0.0 else 0.0 for z in sums],
    "leaky_relu": lambda sums, activations: [1.0 if z > 0.0 else LEAK for z in sums],
    "linear": lambda sums, activations: [1.0] * len(sums),
}


def layer_slopes(f: Activation):
    """f′ over a layer: LAYER_SLOPES's, else one call of f.derivative per neuron."""
    return LAYER_SLOPES.get(f.key) or (lambda sums, activations: list(map(f.derivative, sums, activations)))


def output_deltas_of(net: Network):
    """δ[L] from (z[L], a[L], t): network.output_deltas's arithmetic; for the mean squared error
    through an elementwise output, with a loss whose ∂L/∂o is o − t, (o − t) · f′ over the layer at once."""
    f = ACTIVATIONS[net.activations[-1]]
    if LOSSES[net.loss].error_is_difference and not f.mixes_layer and delta_rule(net.loss, f.key) != "combined":
        slopes = layer_slopes(f)
        return lambda sums, outputs, targets: list(map(mul, map(sub, outputs, targets), slopes(sums, outputs)))
    return network._output_delta(net)


def train_batches(net: Network, inputs: list[list[float]], targets: list[list[float]],
                  batches: list[list[int]], learning_rate: float) -> None:
    """One update per batch of sample indices, in place: the arithmetic of sample_step,
    mean_gradients and apply, in the same order, fused into one loop. This is the page's hot
    path while training on data: each sample's activations and δs go straight into per-layer
    lists, Σ a·w is one `dot` per neuron, f is mapped over a layer, f′ comes a layer at a time
    (LAYER_SLOPES), and the functions are looked up once; the tests hold it to the readable
    version to the last bit."""
    kinds = net.layer_activations()
    if any(f.output_only for f in kinds[:-1]):
        raise ValueError("an output-only activation (softmax) in a hidden layer")
    weights_by_layer, biases_by_layer = net.weights, net.biases
    # f applied neuron by neuron where it is elementwise (what f.forward does), else the layer's
    layers = [(weights, biases, None if f.mixes_layer else f.function, f.forward)
              for weights, biases, f in zip(weights_by_layer, biases_by_layer, kinds)]
    slopes = [None] + [layer_slopes(f) for f in kinds[:-1]]
    output_delta = output_deltas_of(net)
    depth = len(weights_by_layer)
    below = range(depth - 1, 0, -1)
    rate = learning_rate
    for batch in batches:
        columns = [None] + [list(zip(*weights)) for weights in weights_by_layer[1:]]  # [l][i]: weights out of i
        inputs_by_layer = [[] for _ in range(depth)]  # [l][s]: the activations into layer l+1
        deltas_by_layer = [[] for _ in range(depth)]  # [l][s]: δ of layer l+1
        for s in batch:
            a = inputs[s]
            sums, activations = [None], [a]
            for (weights, biases, function, forward), into in zip(layers, inputs_by_layer):
                into.append(a)
                z = [dot(a, w) + b for w, b in zip(weights, biases)]  # Σ_i a_i·w_ji + b_j
                a = list(map(function, z)) if function else forward(z)
                sums.append(z)
                activations.append(a)
            d = output_delta(z, a, targets[s])
            deltas_by_layer[-1].append(d)
            for l in below:  # δ below = (Σ_k δ_k·w_kj) · f′(z_j), as network.backward takes it
                d = [dot(d, c) * slope for c, slope in zip(columns[l], slopes[l](sums[l], activations[l]))]
                deltas_by_layer[l - 1].append(d)
        n = len(batch)
        for weights, biases, sample_inputs, sample_deltas in zip(weights_by_layer, biases_by_layer, inputs_by_layer,
                                                                 deltas_by_layer):
            inputs_across = list(zip(*sample_inputs))
            for j, d in enumerate(zip(*sample_deltas)):  # d: δ_j of every sample; w − α · (Σ_s δ_j·a_i) / n
                weights[j] = [w - rate * (dot(d, a) / n) for w, a in zip(weights[j], inputs_across)]
                biases[j] -= rate * (sum(d) / n)
