"""A dataset as the network sees it: points, each a training or a test point, their input
neurons' values and their targets.

Labels become targets by the output layer's range: for two classes on one output neuron, the
ends of the activation's range where it has them (0 and 1 for σ, −1 and 1 for tanh), else 0
and 1; for a layer that mixes its outputs (softmax), one output per class, the class's 1 among
0s. A regression's value is its own target. The class a network gives a point is the side of
the targets' midpoint its output lies on, or the largest output of a mixed layer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from random import Random

from ..activations import ACTIVATIONS
from .generators import GENERATORS, generate
from .inputs import features_of


@dataclass
class Dataset:
    points: list[tuple[float, float]]  # (x₁, x₂) of each point
    labels: list[float]  # its class (0, 1, …) or its value
    classes: int  # 0 for regression
    test: list[bool]  # whether each point is a test point

    @property
    def training_indices(self) -> list[int]:
        return [k for k, is_test in enumerate(self.test) if not is_test]

    @property
    def test_indices(self) -> list[int]:
        return [k for k, is_test in enumerate(self.test) if is_test]


def split(count: int, test_share: float, seed: int) -> list[bool]:
    """Which points are test points: round(count · share) of them, chosen by the data seed,
    leaving at least one training point."""
    tests = min(count - 1, round(count * test_share))
    chosen = list(range(count))
    Random(seed + 1).shuffle(chosen)
    test = [False] * count
    for k in chosen[:tests]:
        test[k] = True
    return test


def generated(key: str, count: int, noise: float, test_share: float, seed: int) -> Dataset:
    points = generate(key, count, noise, seed)
    classes = 0 if GENERATORS[key].regression else 2
    return Dataset([(x1, x2) for x1, x2, _ in points], [label for _, _, label in points], classes,
                   split(count, test_share, seed))


def class_levels(output: str) -> tuple[float, float]:
    """The targets of class 0 and class 1 on one output neuron: its range's ends where finite."""
    f = ACTIVATIONS[output]
    low = f.low if math.isfinite(f.low) else 0.0
    high = f.high if math.isfinite(f.high) else 1.0
    return (low, high) if low < high and math.isfinite(f.high) else (0.0, 1.0)


def targets_of(label: float, classes: int, output: str) -> list[float]:
    """One point's targets for a network whose output layer has activation `output`."""
    if not classes:
        return [float(label)]
    if ACTIVATIONS[output].mixes_layer:
        return [1.0 if k == label else 0.0 for k in range(classes)]
    low, high = class_levels(output)
    return [high if label else low]


def outputs_needed(classes: int, output: str) -> int:
    """Output neurons the data needs: one per class on a mixed layer, else one."""
    return classes if classes and ACTIVATIONS[output].mixes_layer else 1


def predicted_class(outputs: list[float], output: str) -> int:
    if len(outputs) > 1:
        return max(range(len(outputs)), key=outputs.__getitem__)
    low, high = class_levels(output)
    return 1 if outputs[0] > (low + high) / 2 else 0


@dataclass
class Samples:
    """The network's view of a dataset: every point's input neurons and targets."""
    inputs: list[list[float]]
    targets: list[list[float]]


def samples(data: Dataset, features: list[str], output: str) -> Samples:
    return Samples([features_of(features, x1, x2) for x1, x2 in data.points],
                   [targets_of(label, data.classes, output) for label in data.labels])
