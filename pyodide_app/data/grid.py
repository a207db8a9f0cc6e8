"""The network over a grid of the plane: what the decision boundary and each neuron's map show.

The plane [−6, 6]² is cut into n × n cells, row by row from the top (x₂ = 6) down, each taken
at its centre. The forward pass runs layer by layer over every cell at once, with the formula
of network.forward: z_j = b_j + Σ_i a_i · w_ji, a = f(z); one pass gives every neuron's
activation in every cell.
"""

from __future__ import annotations

from ..activations import ACTIVATIONS
from ..network import Network
from .generators import HALF_WIDTH
from .inputs import feature_columns


def centres(n: int) -> tuple[list[float], list[float]]:
    """(x₁, x₂) of each cell's centre, row by row from the top."""
    side = 2 * HALF_WIDTH / n
    along = [-HALF_WIDTH + side * (k + 0.5) for k in range(n)]
    return [x1 for _ in along for x1 in along], [x2 for x2 in reversed(along) for _ in along]


def layers_over(net: Network, columns: list[list[float]]) -> list[list[list[float]]]:
    """[layer][neuron][cell]: every neuron's activation in every cell; layer 0 is the inputs.
    Column by column: each weight times a whole column of the layer before, added to the sums
    in one pass over the cells, and f applied to a neuron's column as to a layer (elementwise),
    so the work per cell is arithmetic, not calls: a 100 × 100 grid in a few hundredths of a second."""
    layers = [columns]
    for weights, biases, key in zip(net.weights, net.biases, net.activations):
        f = ACTIVATIONS[key]
        sums = []
        for row, b in zip(weights, biases):
            z = [b] * len(columns[0])
            for w, column in zip(row, columns):
                z = [s + w * x for s, x in zip(z, column)]
            sums.append(z)
        if f.mixes_layer:  # each cell's outputs depend on all its sums
            columns = [list(column) for column in zip(*(f.forward(list(cell)) for cell in zip(*sums)))]
        else:
            columns = [f.forward(z) for z in sums]
        layers.append(columns)
    return layers


def grid(net: Network, features: list[str], n: int) -> list[list[list[float]]]:
    """Every neuron's activation over an n × n grid of the plane, inputs first."""
    x1s, x2s = centres(n)
    return layers_over(net, feature_columns(features, x1s, x2s))


def shades(values: list[float], low: float, high: float) -> bytes:
    """Each value as one byte, 0 at `low` to 255 at `high` (clamped): what the page paints."""
    scale = 255 / (high - low)
    return bytes(0 if x <= low else 255 if x >= high else int((x - low) * scale + 0.5) for x in values)
