"""Compare, as the page shows it: the second network's diagram (values only), both networks'
losses on one chart, and the table of their figures. Formatting only: the numbers come from
features/compare.py, the chart's scales from curve.py's rules.
"""

from __future__ import annotations

import math
from html import escape

from ..notation.names import layer_title
from ..notation.numbers import localized
from ..translation import N_, _
from . import curve
from .curve import BOTTOM, HEIGHT, LEFT, RIGHT, TOP

DIAGRAM_WIDTH, DIAGRAM_HEIGHT, MARGIN = 480, 300, 28
# the chart's four lines: (history, loss column, CSS class, legend's name)
LINES = (("first", 1, "first", N_("First, training")), ("first", 2, "first test", N_("First, test")),
         ("second", 1, "second", N_("Second, training")), ("second", 2, "second test", N_("Second, test")))
HEADINGS = (N_("Network"), N_("Layer sizes"), N_("Weights and biases"), N_("Epochs"), N_("Training loss"),
            N_("Test loss"), N_("Test accuracy"), N_("Reached the target loss at epoch"))


def diagram(sizes: list[int], weights: list, activations: list[list[float]]) -> str:
    """The second network's diagram as SVG: each neuron a circle shaded by its activation on the
    shown point (its value in its title), each line's colour its weight's sign, its thickness
    its size."""
    layers = len(sizes)
    xs = [MARGIN + (DIAGRAM_WIDTH - 2 * MARGIN) * l / (layers - 1) for l in range(layers)]
    rows = [[MARGIN + (DIAGRAM_HEIGHT - 2 * MARGIN) * (j + 0.5) / n for j in range(n)] for n in sizes]
    radius = max(3.0, min(14.0, (DIAGRAM_HEIGHT - 2 * MARGIN) / max(sizes) * 0.38))
    largest = max((abs(w) for layer in weights for row in layer for w in row), default=1.0) or 1.0
    parts = []
    for l, layer in enumerate(weights):
        for j, row in enumerate(layer):
            for i, w in enumerate(row):
                parts.append(f'<line class="edge {"positive" if w >= 0 else "negative"}" x1="{xs[l]:.1f}" '
                             f'y1="{rows[l][i]:.1f}" x2="{xs[l + 1]:.1f}" y2="{rows[l + 1][j]:.1f}" '
                             f'stroke-width="{0.4 + 3.6 * abs(w) / largest:.2f}"/>')
    for l, values in enumerate(activations):
        kind = "input" if l == 0 else "output" if l == layers - 1 else "hidden"
        for j, a in enumerate(values):
            shade = max(0.0, min(1.0, (math.tanh(a) + 1) / 2))
            parts.append(f'<circle class="{kind}" cx="{xs[l]:.1f}" cy="{rows[l][j]:.1f}" r="{radius:.1f}" '
                         f'fill-opacity="{0.15 + 0.85 * shade:.2f}"><title>{escape(layer_title(l, layers))}, '
                         f'neuron {j + 1}: {number(a)}</title></circle>')
            if radius >= 11:
                parts.append(f'<text x="{xs[l]:.1f}" y="{rows[l][j] + 4:.1f}">{number(a, 2)}</text>')
    return "".join(parts)


def description(sizes: list[int], outputs: list[float]) -> str:
    return (_("The second network, %(sizes)s: its neurons shaded by their activations on the shown point, its "
              "lines by their weights; its output there is %(outputs)s.")
            % {"sizes": "-".join(map(str, sizes)), "outputs": ", ".join(number(x) for x in outputs)})


def chart(histories: dict[str, list[tuple]]) -> str:
    """Both networks' training (solid) and test (dashed) losses against the epochs, on curve.py's
    scales: the epochs logarithmic from 0, the loss fitted to every loss shown."""
    points = {key: [p for p in history if all(math.isfinite(x) and x >= 0 for x in p[1:])]
              for key, history in histories.items()}
    last = max((p[-1][0] for p in points.values() if p), default=0)
    span = math.log10(1 + last) or 1.0
    to_x = lambda e: LEFT + (RIGHT - LEFT) * math.log10(1 + e) / span  # noqa: E731
    to_y, y_ticks, scale = curve.loss_axis([x for p in points.values() for point in p for x in point[1:]])
    parts = [f'<rect class="plot" x="{LEFT}" y="{TOP}" width="{RIGHT - LEFT}" height="{BOTTOM - TOP}"/>']
    for y, text in y_ticks[:curve.Y_SLOTS]:
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text class="tick" x="{LEFT - 8}" y="{y:.1f}" dy=".35em">{escape(text)}</text>')
    x_max = f"{last:,}" if last else ""
    for d, text in curve.epoch_ticks(last, to_x, "0", x_max, 0):
        x = to_x(d)
        parts.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{BOTTOM}"/>'
                     f'<text class="tick middle" x="{x:.1f}" y="{BOTTOM + 22}">{escape(text)}</text>')
    parts.append(f'<text class="tick start" x="{LEFT}" y="{BOTTOM + 22}">0</text>'
                 f'<text class="tick" x="{RIGHT}" y="{BOTTOM + 22}">{x_max}</text>'
                 f'<line class="axis" x1="{LEFT}" y1="{BOTTOM}" x2="{RIGHT}" y2="{BOTTOM}"/>'
                 f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{BOTTOM}"/>'
                 f'<text class="axis-label start" x="4" y="{TOP - 14}">{_("Loss (log scale)") if scale == "log" else _("Loss")}'
                 f'</text><text class="axis-label" x="{(LEFT + RIGHT) / 2:.1f}" y="{HEIGHT - 6}">{_("Epoch (log scale)")}</text>')
    for key, column, kind, _name in LINES:
        xy = " ".join(f"{to_x(p[0]):.1f},{to_y(p[column]):.1f}" for p in points[key])
        parts.append(f'<polyline class="curve {kind}" points="{xy}"/>')
    return "".join(parts)


def chart_summary(rows: list[dict]) -> str:
    """The chart in words: where each network's losses are now."""
    return " ".join(_("%(name)s network at epoch %(epoch)s: training loss %(training_loss)s, test loss %(test_loss)s.")
                    % {"name": _name_of(row), "epoch": localized(f"{row['epoch']:,}"),
                       "training_loss": localized(f"{row['training_loss']:.6f}"),
                       "test_loss": localized(f"{row['test_loss']:.6f}")} for row in rows)


def _name_of(row: dict) -> str:
    name = row["name"]  # N_("First") or N_("Second"), translated as shown
    return _(name)


def table(rows: list[dict]) -> str:
    """The table's body: one row a network."""
    out = []
    for row in rows:
        reached = localized(f"{row['reached']:,}") if row["reached"] is not None else _("not yet")
        accuracy = localized(f"{100 * row['accuracy']:.1f} %") if row["accuracy"] is not None else "—"
        cells = (row["sizes"], localized(f"{row['parameters']:,}"), localized(f"{row['epoch']:,}"),
                 localized(f"{row['training_loss']:.6f}"), localized(f"{row['test_loss']:.6f}"), accuracy, reached)
        out.append(f'<tr class="{row["kind"]}"><th scope="row">{escape(_name_of(row))}</th>'
                   + "".join(f"<td>{escape(cell)}</td>" for cell in cells) + "</tr>")
    return "".join(out)


def number(x: float, decimals: int = 4) -> str:
    return f"{x:.{decimals}f}".replace("-", "−") if math.isfinite(x) else str(x)
