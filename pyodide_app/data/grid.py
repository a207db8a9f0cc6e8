"""The network over a grid of the plane: what the decision boundary and each neuron's map show.

The plane [−6, 6]² is cut into n × n cells, row by row from the top (x₂ = 6) down, each taken
at its centre. The forward pass runs layer by layer over every cell at once, with the formula
of network.forward: z_j = b_j + Σ_i a_i · w_ji, a = f(z); one pass gives every neuron's
activation in every cell.
"""

from __future__ import annotations

from functools import reduce
from itertools import repeat

from ..activations import ACTIVATIONS
from ..network import Network

try:
    from math import sumprod  # Python 3.12+, as in Pyodide
except ImportError:
    sumprod = None
from .generators import HALF_WIDTH
from .inputs import feature_columns


def centres(n: int) -> tuple[list[float], list[float]]:
    """(x₁, x₂) of each cell's centre, row by row from the top."""
    side = 2 * HALF_WIDTH / n
    along = [-HALF_WIDTH + side * (k + 0.5) for k in range(n)]
    return [x1 for _ in along for x1 in along], [x2 for x2 in reversed(along) for _ in along]


def passes_over(net: Network, columns: list[list[float]]) -> tuple[list[list[list[float]]], list[list[list[float]]]]:
    """(sums, activations), each [layer][neuron][cell]: every neuron's z and a in every cell;
    layer 0 of the activations is the inputs (of the sums, empty). Cell by cell, each neuron's
    z = Σ_i a_i · w_ji + 1 · b_j is one sumprod of the cell's activations (and a 1 for the bias)
    with the neuron's weights (and its bias), mapped over the cells, and f is mapped over a
    neuron's sums as over a layer's (elementwise): the work per cell runs in C, not in
    bytecode."""
    sums_by_layer, layers = [[]], [columns]
    count = len(columns[0]) if columns else 0
    for weights, biases, key in zip(net.weights, net.biases, net.activations):
        f = ACTIVATIONS[key]
        if sumprod:
            cells = list(zip(*columns, repeat(1.0, count)))  # [cell]: its activations, then 1
            sums = [list(map(sumprod, repeat(row + [b]), cells)) for row, b in zip(weights, biases)]
        else:  # Python 3.11: no Σ in C, so each weight times a whole column, added in one pass
            sums = [reduce(lambda z, wx: [s + wx[0] * x for s, x in zip(z, wx[1])], zip(row, columns), [b] * count)
                    for row, b in zip(weights, biases)]
        if f.mixes_layer:  # each cell's outputs depend on all its sums
            columns = [list(column) for column in zip(*(f.forward(list(cell)) for cell in zip(*sums)))]
        else:
            columns = [list(map(f.function, z)) for z in sums]
        sums_by_layer.append(sums)
        layers.append(columns)
    return sums_by_layer, layers


def layers_over(net: Network, columns: list[list[float]]) -> list[list[list[float]]]:
    """[layer][neuron][cell]: every neuron's activation in every cell; layer 0 is the inputs."""
    return passes_over(net, columns)[1]


def grid(net: Network, features: list[str], n: int) -> list[list[list[float]]]:
    """Every neuron's activation over an n × n grid of the plane, inputs first."""
    x1s, x2s = centres(n)
    return layers_over(net, feature_columns(features, x1s, x2s))


def shades(values: list[float], low: float, high: float) -> bytes:
    """Each value as one byte, 0 at `low` to 255 at `high` (clamped): what the page paints."""
    scale = 255 / (high - low)
    return bytes([0 if x <= low else 255 if x >= high else int((x - low) * scale + 0.5) for x in values])
