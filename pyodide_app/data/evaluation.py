"""How a network does on a dataset: every point's output, the mean loss over the training
points and over the test points, and for classes how many of each it classifies right; and
its output over the plane as one byte per cell, the heatmap the page paints, with every
neuron's map (its activation over the plane) taken from the same pass.

The losses are batch.mean_loss's: (1/n) Σ_s L_s over each set, in the order of the points.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass

from ..activations import ACTIVATIONS
from ..losses import LOSSES
from ..network import Network
from . import own_data
from .dataset import class_levels, predicted_class
from .grid import centres, layers_over, passes_over, shades
from .maps import neuron_maps
from .inputs import feature_columns
from .settings import dataset_of, samples_of, value_range


@dataclass
class Evaluation:
    outputs: list[float]  # each point's output as the plot reads it (see `plotted`)
    predicted: list[int]  # each point's class as the network gives it (classes only)
    training_loss: float
    test_loss: float
    training_right: int  # points of the set classified right (classes only)
    test_right: int
    training_count: int
    test_count: int


def plotted(outputs: list[float]) -> float:
    """The one number the plot shows of a point's outputs: the output itself, or of a layer
    of one output per class, the second class's."""
    return outputs[-1] if len(outputs) > 1 else outputs[0]


def output_range(net: Network, classes: int, values: tuple[float, float] = (-1.0, 1.0)) -> tuple[float, float]:
    """The values the heatmap's colours run between: the class targets' (0 … 1 for σ and
    softmax, −1 … 1 for tanh), or a regression's targets' (`values`: −1 … 1 for a generator's)."""
    if not classes:
        return values
    output = net.activations[-1]
    return (0.0, 1.0) if ACTIVATIONS[output].mixes_layer else class_levels(output)


def evaluate(net: Network, data: dict) -> Evaluation:
    """Every point through the network at once (grid.passes_over, the heatmap's pass), then
    each point's loss, class and whether it is right."""
    output = net.activations[-1]
    made, d = samples_of(data, output), dataset_of(data)
    sums, layers = passes_over(net, point_columns(made))
    point_sums, point_outputs = list(zip(*sums[-1])), list(zip(*layers[-1]))
    value, cost = LOSSES[net.loss].value, LOSSES[net.loss].alone
    if cost:
        losses = list(map(cost, point_outputs, made.targets))
    else:
        losses = [value(list(z), list(a), t, output) for z, a, t in zip(point_sums, point_outputs, made.targets)]
    outputs = [plotted(a) for a in point_outputs]
    predicted, right = [], []
    if d.classes:
        predicted = [predicted_class(a, output) for a in point_outputs]
        right = [p == label for p, label in zip(predicted, d.labels)]
    training, test = d.training_indices, d.test_indices

    def mean(indices):
        return sum(losses[k] for k in indices) / len(indices) if indices else 0.0

    return Evaluation(outputs, predicted, mean(training), mean(test),
                      sum(1 for k in training if right and right[k]), sum(1 for k in test if right and right[k]),
                      len(training), len(test))


_POINTS: dict[int, tuple] = {}


def point_columns(made) -> list[list[float]]:
    """The input neurons over the points, one list per input neuron: made once per dataset."""
    found = _POINTS.get(id(made))
    if found is None or found[0] is not made:
        if len(_POINTS) > 8:
            _POINTS.clear()
        found = _POINTS[id(made)] = (made, [list(column) for column in zip(*made.inputs)])
    return found[1]


_COLUMNS: dict[tuple, list[list[float]]] = {}


def cell_columns(features: list[str], n: int) -> list[list[float]]:
    """The input neurons over the grid's cells: the same for every network, made once."""
    key = (tuple(features), n)
    if key not in _COLUMNS:
        if len(_COLUMNS) > 8:
            _COLUMNS.clear()
        _COLUMNS[key] = feature_columns(features, *centres(n))
    return _COLUMNS[key]


def heatmap(net: Network, data: dict, n: int) -> str:
    """The network's output over an n × n grid of the plane, row by row from the top, one byte a
    cell (0 at the range's low end, 255 at its high end), in base64. Of a layer of one output
    per class, the last class's output (`plotted`); for more than two classes, the class each
    cell is given (its largest output), one byte its number."""
    return output_shades(net, data, layers_over(net, grid_columns(data, n))[-1])


def grid_columns(data: dict, n: int) -> list[list[float]]:
    return own_data.cell_columns(data, n) if own_data.is_own(data) else cell_columns(data["inputs"], n)


def output_shades(net: Network, data: dict, outputs: list[list[float]]) -> str:
    if len(outputs) > 2:
        return base64.b64encode(bytes(predicted_class(list(cell), net.activations[-1])
                                      for cell in zip(*outputs))).decode()
    low, high = output_range(net, dataset_of(data).classes, value_range(data))
    values = [x if math.isfinite(x) else low for x in outputs[-1]]
    return base64.b64encode(shades(values, low, high)).decode()


def picture(net: Network, data: dict, n: int) -> dict:
    """What the plot paints of a network, from one pass over an n × n grid: "heat", its output
    (heatmap's bytes, the range they run over, the classes when more than two), and "maps",
    every neuron's activation over the plane (maps.neuron_maps), on a plane of two inputs."""
    layers = layers_over(net, grid_columns(data, n))
    classes = dataset_of(data).classes
    low, high = output_range(net, classes, value_range(data))
    out = {"heat": {"n": n, "bytes": output_shades(net, data, layers[-1]), "low": low, "high": high,
                    "classes": classes if classes > 2 else 0}}
    if len(data["inputs"]) == 2 or not own_data.is_own(data):
        out["maps"] = neuron_maps(layers, n, net.activations)
    return out
