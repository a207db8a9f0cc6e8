"""Each neuron's map: its activation over the plane, MAP_CELLS × MAP_CELLS cells, taken from the
pass that draws the boundary (grid.layers_over), so the maps cost no forward pass of their own.

A map's cell is the cell of the boundary's grid at its centre: the grid has an odd number of
its cells to a map's cell across (3 of 60, 5 of 100), so the middle one's centre is the map
cell's centre, and a map is every neuron's value at the 20 × 20 cells' centres exactly.
"""

from __future__ import annotations

import base64
import math
from operator import itemgetter

from ..activations import ACTIVATIONS
from .grid import shades

MAP_CELLS = 20
FLAT = 1e-12  # the smallest span a map's colours run over


def map_cells(n: int) -> list[int]:
    """Of an n × n grid (row by row), the cells whose centres are the map's cells' centres."""
    stride = n // MAP_CELLS
    if stride * MAP_CELLS != n or stride % 2 == 0:
        raise ValueError(f"a {n} × {n} grid has no cell at each of the maps' {MAP_CELLS} × {MAP_CELLS} centres")
    along = range(stride // 2, n, stride)
    return [row * n + column for row in along for column in along]


def value_range(values: list[float], key: str | None) -> tuple[float, float]:
    """What a map's colours run between: its activation's range where it is bounded (σ 0 … 1,
    tanh −1 … 1); else (an input's feature, ReLU, linear) the values' own, lowest to highest."""
    record = ACTIVATIONS[key] if key else None
    finite = [x for x in values if math.isfinite(x)] or [0.0]
    low = record.low if record and math.isfinite(record.low) else min(finite)
    high = record.high if record and math.isfinite(record.high) else max(finite)
    # a span too small to divide into 255 shades is one value everywhere: a span of 2 around it
    return (low, high) if high - low > FLAT else (low - 1.0, low + 1.0)


def neuron_maps(layers: list[list[list[float]]], n: int, activations: list[str]) -> dict:
    """Every neuron's map, layer by layer (the inputs first), one byte a cell as the heatmap's,
    all in one base64 text; "ranges": each map's (low, high); "sizes": the layers'."""
    pick = itemgetter(*map_cells(n))
    chunks, ranges = [], []
    for l, layer in enumerate(layers):
        for column in layer:
            values = list(pick(column))
            low, high = value_range(values, activations[l - 1] if l else None)
            chunks.append(shades([x if math.isfinite(x) else low for x in values], low, high))
            ranges.append([low, high])
    return {"n": MAP_CELLS, "bytes": base64.b64encode(b"".join(chunks)).decode(), "ranges": ranges,
            "sizes": [len(layer) for layer in layers]}
