"""The architecture diagram: where every node and edge sits, and how an edge shows its weight.

Positions depend only on the layer sizes, so they are fixed at build time; colour and
width follow the weight and change live.
"""

from __future__ import annotations

from ..notation import names
from ..notation.numbers import number

WIDTH, TOP, MARGIN_X, TITLE_Y = 820, 64, 70, 24
# A circle holds its name and its value, "−0.2000" included, in 13-unit type; its bias sits
# below it, no wider than the circle, so the lines, which leave and enter a circle at its sides,
# never run through a text. ROW leaves a gap between a bias and the next circle.
RADIUS, ROW = 37, 104
NAME_Y, VALUE_Y, BIAS_Y = -5, 13, RADIUS + 15
MAX_STROKE, MIN_STROKE, FULL_WIDTH_AT = 7.0, 0.75, 2.0  # |w| ≥ 2 draws the widest edge


def height(sizes: list[int]) -> int:
    return TOP + ROW * max(sizes) + 8


def layout(sizes: list[int], inputs: tuple[str, ...] = ()) -> dict:
    """Everything the template needs to draw the diagram (`inputs`: the input neurons'
    features, names.neuron).

    The y axis runs through the middle of the tallest layer (the viewBox starts above it), so
    that on a narrow screen one transform in style.css can turn the diagram on its side:
    layers become rows, top to bottom, with no second set of coordinates.
    """
    count = len(sizes)
    span = WIDTH - 2 * MARGIN_X
    xs = [MARGIN_X + span * l / (count - 1) for l in range(count)]
    middle = TOP + ROW * max(sizes) / 2 - 6

    def y(l: int, j: int) -> float:
        return ROW * (j - (sizes[l] - 1) / 2)

    layers = [{"x": xs[l], "title": names.layer_title(l, count),
               "kind": "input" if l == 0 else "output" if l == count - 1 else "hidden",
               "nodes": [{"l": l, "j": j, "y": y(l, j), "name": names.neuron(l, j, count, inputs)}
                         for j in range(size)]}
              for l, size in enumerate(sizes)]
    edges = [{"id": f"edge-{l}-{j}-{i}",
              "x1": xs[l - 1] + RADIUS, "y1": y(l - 1, i), "x2": xs[l] - RADIUS, "y2": y(l, j)}
             for l in range(1, count) for j in range(sizes[l]) for i in range(sizes[l - 1])]
    return {"width": WIDTH, "height": height(sizes), "top": -middle, "title_y": TITLE_Y - middle,
            "radius": RADIUS, "name_y": NAME_Y, "value_y": VALUE_Y, "bias_y": BIAS_Y,
            "layers": layers, "edges": edges, "classes": classes(sizes), "names_only_in_rows": max(sizes) >= 6}


def classes(sizes: list[int]) -> str:
    """How style.css lays the diagram out in rows on a narrow screen: c<layers>, and m<most
    neurons in a layer> for 5 and 6, m7 for 7 or 8 (up to 4 get the widest spacing). In rows of
    6 or more a circle has room for its name only: a tap shows its value and bias."""
    return f"c{len(sizes)}" + (f" m{min(max(sizes), 7)}" if max(sizes) > 4 else "")


def node_attributes(trace: dict) -> dict[str, dict[str, str]]:
    """A node's name says what it shows, in the order shown. (Not what it does: a click
    selects it, Enter edits its input or bias, as the caption says.)"""
    count, inputs = len(trace["layers"]), names.inputs_of(trace)
    out = {}
    for l, layer in enumerate(trace["layers"]):
        for j, n in enumerate(layer["neurons"]):
            shown = f"{number(n['activation'])} {names.neuron(l, j, count, inputs)}"
            out[f"node-{l}-{j}"] = {"aria-label": f"{shown} b {number(n['bias'])}" if l else shown}
    return out


def edge_attributes(trace: dict, labels: bool = True) -> dict[str, dict[str, str]]:
    """Colour and width; with `labels`, the name too, which says the weight in words."""
    count = len(trace["layers"])
    out = {}
    for l, layer in enumerate(trace["layers"][1:], start=1):
        for j, n in enumerate(layer["neurons"]):
            for i, term in enumerate(n["terms"]):
                w = term["weight"]
                out[f"edge-{l}-{j}-{i}"] = {"class": "edge " + ("negative" if w < 0 else "positive"),
                                            "stroke-width": f"{stroke(w):.2f}"}
                if labels:
                    out[f"edge-{l}-{j}-{i}"]["aria-label"] = edge_label(l, j, i, w, count, names.inputs_of(trace))
    return out


def edge_label(l: int, j: int, i: int, w: float, layer_count: int, inputs: tuple[str, ...] = ()) -> str:
    return f"{names.weight(l, j, i, layer_count, inputs)} = {number(w)}"


def edge_readout(l: int, j: int, i: int, weights: list, inputs: list[str] | None = None) -> str:
    """The weight of line edge-l-j-i in words, as the line under the diagram says it."""
    return edge_label(l, j, i, weights[l - 1][j][i], len(weights) + 1, tuple(inputs or ()))


def stroke(w: float) -> float:
    return MIN_STROKE + (MAX_STROKE - MIN_STROKE) * min(abs(w), FULL_WIDTH_AT) / FULL_WIDTH_AT
