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
from itertools import repeat
from operator import add, mul
from random import Random

from . import network
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


def train_batches(net: Network, inputs: list[list[float]], targets: list[list[float]],
                  batches: list[list[int]], learning_rate: float) -> None:
    """One update per batch of sample indices, in place: the arithmetic of sample_step,
    mean_gradients and apply fused into one loop, the layers' functions looked up once. This
    is the page's hot path while training on data; the tests hold it to the readable version."""
    kinds = net.layer_activations()
    if any(f.output_only for f in kinds[:-1]):
        raise ValueError("an output-only activation (softmax) in a hidden layer")
    weights_by_layer, biases_by_layer = net.weights, net.biases
    layers = list(zip(weights_by_layer, biases_by_layer, [f.forward for f in kinds]))
    slopes = [None] + [f.derivative for f in kinds[:-1]]
    output_delta = network._output_delta(net)
    depth = len(weights_by_layer)
    for batch in batches:
        columns = [list(zip(*weights)) for weights in weights_by_layer]  # [l][i]: the weights out of neuron i
        by_sample_deltas = [[] for _ in range(depth)]
        by_sample_inputs = [[] for _ in range(depth)]
        for s in batch:
            sums, activations = [[]], [inputs[s]]
            for weights, biases, f in layers:
                previous = activations[-1]
                z = list(map(add, map(dot, repeat(previous), weights), biases))  # Σ_i a_i·w_ji + b_j
                sums.append(z)
                activations.append(f(z))
            deltas = output_delta(sums[-1], activations[-1], targets[s])
            for l in range(depth - 1, -1, -1):
                by_sample_deltas[l].append(deltas)
                by_sample_inputs[l].append(activations[l])
                if l:  # δ below = (Σ_k δ_k·w_kj) · f′(z_j), as network.backward takes it
                    deltas = list(map(mul, map(dot, repeat(deltas), columns[l]),
                                      map(slopes[l], sums[l], activations[l])))
        n = len(batch)
        for weights, biases, sample_deltas, sample_inputs in zip(weights_by_layer, biases_by_layer,
                                                                 by_sample_deltas, by_sample_inputs):
            inputs_across = list(zip(*sample_inputs))
            for j, d in enumerate(zip(*sample_deltas)):
                weights[j] = [w - learning_rate * (dot(d, a) / n) for w, a in zip(weights[j], inputs_across)]
                biases[j] -= learning_rate * (sum(d) / n)
