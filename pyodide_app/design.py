"""Changing a network's design: random weights from a seed, other layer sizes, other
activations or another loss. Each returns a new, checked State; the one given is left alone.

Random weights into a layer of n_out neurons from n_in, by the layer's activation:
    Xavier/Glorot (sigmoid, tanh, linear, softmax)   w ~ U(−√(6 / (n_in + n_out)), +√(6 / (n_in + n_out)))
    He (ReLU, leaky ReLU)                            w ~ U(−√(6 / n_in), +√(6 / n_in))
drawn from random.Random(seed) in a fixed order and rounded to two decimals, so that a
student can work with them by hand. Mersenne Twister, one multiplication and a square root
give the same numbers in CPython and in Pyodide, so a seed names one network everywhere.
Biases start at 0.

A worksheet's exercise (`exercise`) is the page's design, inputs, targets and learning rate
with weights drawn as above and biases too, from the worksheet's seed: the seed printed on a
sheet names its network, so its answer key can be made again.
"""

from __future__ import annotations

import math
import random

from .activations import ACTIVATIONS
from .architecture import check_activations, check_sizes
from .losses import LOSSES, adds_up_to_one, targets_add_up_to_one
from .state import State, from_data, to_data

NEW_VALUE = 0.5  # an input or target a grown layer gains


def random_parameters(sizes: list[int], activations: list[str], seed: int):
    """(weights, biases) drawn from `seed` for a network of these sizes and activations."""
    rng = random.Random(seed)
    weights, biases = [], []
    for l in range(1, len(sizes)):
        n_in, n_out = sizes[l - 1], sizes[l]
        fan = n_in if ACTIVATIONS[activations[l - 1]].init == "he" else n_in + n_out
        bound = math.sqrt(6.0 / fan)
        weights.append([[round(rng.uniform(-bound, bound), 2) + 0.0 for _ in range(n_in)] for _ in range(n_out)])
        biases.append([0.0] * n_out)
    return weights, biases


def randomised(state: State, seed: int) -> State:
    """The same design with random weights from `seed`, untrained."""
    data = to_data(state)
    data["weights"], data["biases"] = random_parameters(data["sizes"], data["activations"], seed)
    data.update(random_seed=seed, preset=None, epoch=0)
    return from_data(data)


def exercise(state: State, seed: int) -> State:
    """The worksheet's network for `seed`: biases between −0.5 and 0.5, to two decimals."""
    drawn = randomised(state, seed)
    rng = random.Random(f"biases {seed}")  # a string seed: the same numbers in every Python since 3.2
    for layer in drawn.network.biases:
        layer[:] = [round(rng.uniform(-0.5, 0.5), 2) + 0.0 for _ in layer]
    return drawn


def resized(state: State, sizes: list[int]) -> State:
    """Every weight and bias that still exists keeps its value; new ones are random from the
    state's seed (the values Randomise would give them).

    A weight still exists if both its neurons do and their layers still meet: hidden layer l
    stays hidden layer l, the output layer stays the output layer. A new hidden layer takes
    the activation of the last hidden layer (sigmoid if there was none); inputs and targets
    keep their values, new ones are 0.5."""
    old = state.network
    count, old_count = len(check_sizes(sizes)), len(old.sizes)
    hidden = old.activations[:-1] or ["sigmoid"]
    activations = [hidden[min(l, len(hidden) - 1)] for l in range(count - 2)] + old.activations[-1:]
    weights, biases = random_parameters(sizes, activations, state.random_seed)
    for l in range(1, count):
        m = _old_layer(l, count, old_count)
        if m is None:
            continue
        _keep(biases[l - 1], old.biases[m - 1])
        if _old_layer(l - 1, count, old_count) == m - 1:
            for row, old_row in zip(weights[l - 1], old.weights[m - 1]):
                _keep(row, old_row)
    data = to_data(state)
    data.update(sizes=sizes, activations=activations, weights=weights, biases=biases, preset=None, epoch=0,
                inputs=_resize(state.inputs, sizes[0]))
    data["targets"] = _fitting_targets(_resize(state.targets, sizes[-1]), activations[-1], old.loss)
    return from_data(data)


def redesigned(state: State, activations: list[str] | None = None, loss: str | None = None) -> State:
    """Other activations or another loss, with the same weights. Targets move into the new
    output range where they have to (and, for softmax with cross-entropy, add up to 1)."""
    data = to_data(state)
    if activations is not None:
        data["activations"] = check_activations(activations, data["sizes"])
    if loss is not None:
        data["loss"] = loss
    if isinstance(data["loss"], str) and data["loss"] in LOSSES:
        data["targets"] = _fitting_targets(state.targets, data["activations"][-1], data["loss"])
    data["preset"] = None
    return from_data(data)


def _old_layer(l: int, count: int, old_count: int) -> int | None:
    """The index layer l of a network of `count` layers had among `old_count`, if it was there."""
    if l == 0 or l == count - 1:
        return 0 if l == 0 else old_count - 1
    return l if l < old_count - 1 else None


def _keep(new: list[float], old: list[float]) -> None:
    new[:min(len(new), len(old))] = old[:len(new)]


def _resize(values: list[float], length: int) -> list[float]:
    return values[:length] + [NEW_VALUE] * (length - len(values))


def _fitting_targets(targets: list[float], output: str, loss: str) -> list[float]:
    """Targets clipped into the outputs' range; for softmax with cross-entropy, one class (the
    largest target's) unless they already add up to 1."""
    f = ACTIVATIONS[output]
    fitted = [min(max(t, f.low), f.high) for t in targets]
    if targets_add_up_to_one(loss, output) and not adds_up_to_one(fitted):
        chosen = fitted.index(max(fitted))
        fitted = [1.0 if j == chosen else 0.0 for j in range(len(fitted))]
    return fitted
