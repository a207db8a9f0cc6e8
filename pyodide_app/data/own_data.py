"""Own data in a state: the file's columns and rows as read (own.py), which column is the
target, which are the inputs, whether the inputs are scaled to −1 … 1; the training and test
points are split as a generated dataset's are, by the test share and the data seed.

    {"dataset": "own", "columns": ["age", "height", "passed"], "rows": [[14, 1.6, 1], …],
     "target": "passed", "inputs": ["age", "height"], "scale": true, "test_share": 50,
     "seed": 1, "batch_size": 10, "shown": 0, "position": 0}

Every column is kept, so another target or other inputs can be chosen later. The targets
make classes (2 … 8 distinct values, each class its index among them in order) or else a
regression. The plot shows the first input across and the second up (the middle with one
input): each axis runs over its input's values as the network sees them, widened by a tenth
on each side, mapped onto the plot's plane [−6, 6]².
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..limits import LARGEST_INPUT, StateError, has_exactly
from ..notation.numbers import localized
from . import own
from .dataset import Dataset, Samples, split, targets_of
from .generators import HALF_WIDTH
from .grid import centres
from ..translation import N_, _, ngettext

OWN = "own"
NAME = N_("Your own data")  # shown translated
KEYS = ("dataset", "columns", "rows", "target", "inputs", "scale", "test_share", "seed", "batch_size", "shown",
        "position")
MIN_ROWS = 2  # one to train on, one more to make a dataset of it


@dataclass
class Made:
    dataset: Dataset  # the points as the plot places them, each its class or value
    inputs: list[list[float]]  # each row's input neurons' values (scaled if chosen)
    classes: list[float]  # the target values that are the classes, in order; [] for a regression
    ranges: list[tuple[float, float]]  # each input column's lowest and highest value as written
    axes: list[tuple[float, float]]  # the plot's x₁ and x₂ ends, in the input neurons' values


def is_own(data: dict | None) -> bool:
    return data is not None and data.get("dataset") == OWN


def new(table: own.Table, old: dict | None = None) -> dict:
    """The settings of a file just read: its last column the target, the first (at most 8)
    others the inputs, scaled; the split and the batch size as `old` had them."""
    if len(table.rows) < MIN_ROWS:
        raise own.DataError(f"The file needs at least {MIN_ROWS} rows of numbers.")
    target = table.names[-1]
    inputs = [name for name in table.names if name != target][:own.MAX_INPUTS]
    kept = {key: old[key] for key in ("test_share", "seed", "batch_size") if old and key in old}
    data = {"dataset": OWN, "columns": table.names[:], "rows": table.rows, "target": target, "inputs": inputs,
            "scale": True, "test_share": 50, "seed": 1, "batch_size": 10, **kept, "shown": 0, "position": 0}
    return fitted(data)


def fitted(data: dict) -> dict:
    """`data` with its batch size at most its training points, and its shown point one it has."""
    training = len(made(data).dataset.training_indices)
    return {**data, "batch_size": max(1, min(data["batch_size"], training)),
            "shown": min(data["shown"], len(data["rows"]) - 1)}


# ---- the points, made once for each setting -------------------------------------------------

_MADE: dict[tuple, tuple[list, Made]] = {}


def made(data: dict) -> Made:
    """The points of `data`: the rows list is never changed in place (a drawn point makes a new
    one), so it is known by its identity."""
    rows = data["rows"]
    key = (id(rows), data["target"], tuple(data["inputs"]), data["scale"], data["test_share"], data["seed"])
    found = _MADE.get(key)
    if found is None or found[0] is not rows:
        if len(_MADE) > 8:
            _MADE.clear()
        found = _MADE[key] = (rows, _make(data))
    return found[1]


PLOTTED = 2  # the plot's axes are the first two inputs


def _make(data: dict) -> Made:
    columns, rows = data["columns"], data["rows"]
    raw = [[row[columns.index(name)] for row in rows] for name in data["inputs"]]
    ranges = [(min(column), max(column)) for column in raw]
    values = own.scaled(raw) if data["scale"] else raw
    targets = [row[columns.index(data["target"])] for row in rows]
    classes = own.classes_of(targets)
    labels = [float(classes.index(t)) for t in targets] if classes else targets
    axes = [_axis(values[k]) for k in range(min(PLOTTED, len(values)))]
    across = [_to_plot(x, axes[0]) for x in values[0]]
    up = [_to_plot(x, axes[1]) for x in values[1]] if len(values) > 1 else [0.0] * len(rows)
    test = split(len(rows), data["test_share"] / 100, data["seed"])
    return Made(Dataset(list(zip(across, up)), labels, len(classes), test), [list(r) for r in zip(*values)],
                classes, ranges, axes)


def _axis(column: list[float]) -> tuple[float, float]:
    low, high = min(column), max(column)
    pad = (high - low) / 10 if high > low else 1.0
    return low - pad, high + pad


def _to_plot(x: float, axis: tuple[float, float]) -> float:
    low, high = axis
    return -HALF_WIDTH + 2 * HALF_WIDTH * (x - low) / (high - low)


def _from_plot(p: float, axis: tuple[float, float]) -> float:
    low, high = axis
    return low + (p + HALF_WIDTH) / (2 * HALF_WIDTH) * (high - low)


def samples(data: dict, output: str) -> Samples:
    m = made(data)
    return Samples([x[:] for x in m.inputs],
                   [targets_of(label, m.dataset.classes, output) for label in m.dataset.labels])


def cell_columns(data: dict, n: int) -> list[list[float]]:
    """The input neurons over the plot's n × n cells: the first two inputs along the axes, any
    others at the middle of their values (0 when scaled)."""
    m = made(data)
    across, up = centres(n)
    columns = [[_from_plot(p, m.axes[0]) for p in across]]
    if len(m.axes) > 1:
        columns.append([_from_plot(p, m.axes[1]) for p in up])
    for k in range(2, len(data["inputs"])):
        low, high = m.ranges[k]
        columns.append([0.0 if data["scale"] else (low + high) / 2] * len(across))
    return columns


# ---- points drawn on the plot ---------------------------------------------------------------

def drawn(data: dict, across: float, up: float, label: float, near: float) -> dict:
    """`data` with the point nearest (across, up) on the plot taken away if it is within
    `near`, else with a point of class (or value) `label` added there."""
    m = made(data)
    if len(data["inputs"]) != 2:
        raise own.DataError(_("Points can be drawn with two inputs: the plot is their plane."))
    points = m.dataset.points
    nearest = min(range(len(points)), key=lambda k: (points[k][0] - across) ** 2 + (points[k][1] - up) ** 2)
    if math.dist(points[nearest], (across, up)) <= near:
        if len(points) <= MIN_ROWS:
            raise own.DataError(_("The data needs at least %(min_rows)s points.") % {"min_rows": MIN_ROWS})
        rows = data["rows"][:nearest] + data["rows"][nearest + 1:]
        return fitted({**data, "rows": rows, "shown": 0 if data["shown"] == nearest else
                       data["shown"] - (data["shown"] > nearest), "position": 0})
    if len(points) >= own.MAX_ROWS:
        raise own.DataError(_("The data has %(max_rows)s points already, as many as the page takes.")
                            % {"max_rows": f'{own.MAX_ROWS:,}'})
    columns = data["columns"]
    # a column neither input nor target: its mean
    row = [sum(row[k] for row in data["rows"]) / len(data["rows"]) for k in range(len(columns))]
    for name, value, (low, high) in zip(data["inputs"], (_from_plot(across, m.axes[0]), _from_plot(up, m.axes[1])),
                                        m.ranges):
        row[columns.index(name)] = low + (value + 1) / 2 * (high - low) if data["scale"] and high > low else value
    row[columns.index(data["target"])] = label
    row = [float(f"{x:.4g}") for x in row]
    return fitted({**data, "rows": data["rows"] + [row], "position": 0})


# ---- reading a saved one --------------------------------------------------------------------

def read(value: dict, check) -> dict:
    """The own-data part of a saved `data` (its columns, rows, target, inputs, scaling);
    `check(value, key)` reads the settings a generated dataset has too."""
    has_exactly(value, KEYS, "data", _("a setting of own data"))
    columns = value["columns"]
    if not isinstance(columns, list) or not 2 <= len(columns) <= own.MAX_COLUMNS \
            or any(not isinstance(c, str) or not c for c in columns) or len(set(columns)) < len(columns):
        raise StateError("data.columns", _("must name 2 to %(max_columns)s columns, each once")
                                         % {"max_columns": own.MAX_COLUMNS})
    rows = value["rows"]
    if not isinstance(rows, list) or not MIN_ROWS <= len(rows) <= own.MAX_ROWS:
        raise StateError("data.rows", _("must be a list of %(min_rows)s to %(max_rows)s rows")
                                      % {"min_rows": MIN_ROWS, "max_rows": f'{own.MAX_ROWS:,}'})
    for k, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != len(columns) or any(
                isinstance(x, bool) or not isinstance(x, (int, float)) or not abs(x) <= LARGEST_INPUT for x in row):
            raise StateError(f"data.rows[{k}]", _("must be %(count)s numbers, each within ±1,000,000")
                                                % {"count": len(columns)})
    if not isinstance(value["target"], str) or not isinstance(value["inputs"], list) \
            or any(not isinstance(name, str) for name in value["inputs"]):
        raise StateError("data.target", _("and data.inputs must name columns"))
    try:
        target, inputs = own.chosen_columns(columns, value["target"], value["inputs"] or None)
    except own.DataError as error:
        raise StateError("data.inputs", str(error)) from None
    if not isinstance(value["scale"], bool):
        raise StateError("data.scale", _("must be true or false"))
    if any(type(x) is not float for row in rows for x in row):  # kept as it is where it can be: see `made`
        rows = [[float(x) for x in row] for row in rows]
    data = {"dataset": OWN, "columns": columns[:], "rows": rows,
            "target": target, "inputs": inputs, "scale": value["scale"]}
    for key in ("test_share", "seed"):
        data[key] = check(value[key], key)
    return data


# ---- what the page shows of it ----------------------------------------------------------------

def _written(x: float) -> str:
    return localized(f"{x:.4g}")


def table_values(data: dict) -> dict:
    """The table of points' x₁ and x₂: the first two inputs as the network sees them."""
    m = made(data)
    return {"tx": [round(x[0], 4) for x in m.inputs],
            "ty": [round(x[1], 4) if len(x) > 1 else "" for x in m.inputs]}


def axes_text(data: dict) -> str:
    """The plot's axes in words."""
    m = made(data)
    names = data["inputs"]
    said = (_("Across: %(name)s, %(low)s to %(high)s in the file"), _("up: %(name)s, %(low)s to %(high)s in the file"))
    parts = [where % {"name": name, "low": _written(low), "high": _written(high)}
             for where, name, (low, high) in zip(said, names, m.ranges)]
    text = "; ".join(parts) + (_("; one input, so up means nothing") if len(names) == 1 else "")
    if data["scale"]:
        text += _(", each scaled to −1 … 1 as the network sees it")
    if len(names) > 2:
        text += _("; behind the points, the other inputs are held at the middle of their values")
    return text + "."


def panel(data: dict | None) -> dict | None:
    """What the Data panel draws for own data: the columns to choose from, the classes a drawn
    point can have, and what the data make."""
    if not is_own(data):
        return None
    m = made(data)
    classes = [(repr(value), _("class %(number)s (%(value)s)") % {"number": k, "value": _written(value)})
               for k, value in enumerate(m.classes)]
    if m.classes and len(m.classes) < own.MAX_CLASSES:
        extra = float(math.floor(max(m.classes)) + 1)
        classes.append((repr(extra), _("a new class (%(written)s)") % {"written": _written(extra)}))
    distinct = len(set(m.dataset.labels))
    kind = (ngettext("%(num)d class", "%(num)d classes", len(m.classes)) % {"num": len(m.classes)} if m.classes
            else _("a regression (%(distinct)s distinct values)") % {"distinct": f"{distinct:,}"})
    return {"columns": data["columns"], "target": data["target"], "inputs": data["inputs"], "scale": data["scale"],
            "classes": classes,
            "drawable": len(data["inputs"]) == 2 and bool(m.classes),
            "summary": (_("%(count)s rows; the target '%(target)s' makes %(kind)s.")
                        % {"count": f"{len(data['rows']):,}", "target": data["target"], "kind": kind})}
