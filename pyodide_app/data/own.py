"""A class's own data: a CSV file with a header row and numeric columns.

One column is the target (the last unless chosen), the others, or those chosen, the inputs (at
most 8). Two distinct targets make two classes, up to 8 make classes for softmax, more make a
regression. Inputs may be scaled to −1 … 1, column by column: x′ = 2 (x − min) / (max − min) − 1.
A file that cannot be read says where: the row as a spreadsheet numbers it (the header is row 1)
and the column by its name.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

MAX_ROWS = 1000
MAX_INPUTS = 8
MAX_CLASSES = 8


class DataError(ValueError):
    """A file the page cannot use, said as a sentence for the page."""


@dataclass
class Table:
    names: list[str]  # the inputs' columns, then the target's
    rows: list[list[float]]  # each row's inputs, then its target


def _number(text: str, row: int, column: str) -> float:
    cleaned = text.strip().replace("\u2212", "-")
    try:
        value = float(cleaned)
    except ValueError:
        value = math.nan
    if not cleaned or not math.isfinite(value):
        raise DataError(f"Row {row}, column '{column}': '{text.strip()}' is not a number.")
    return value


def read(text: str, target: str | None = None, chosen: list[str] | None = None) -> Table:
    """The table of a CSV text: its inputs (`chosen`, else every other column), then `target`
    (else the last column)."""
    lines = [row for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if any(cell.strip() for cell in row)]
    if len(lines) < 2:
        raise DataError("The file needs a header row and at least one row of numbers.")
    header = [name.strip() for name in lines[0]]
    if len(set(header)) != len(header) or not all(header):
        raise DataError("Every column needs a name of its own in the header row.")
    if len(header) < 2:
        raise DataError("The file needs at least two columns: one input and the target.")
    if len(lines) - 1 > MAX_ROWS:
        raise DataError(f"The file has {len(lines) - 1:,} rows; the page takes at most {MAX_ROWS:,}.")
    target = target or header[-1]
    if target not in header:
        raise DataError(f"There is no column '{target}'.")
    inputs = chosen or [name for name in header if name != target]
    unknown = [name for name in inputs if name not in header or name == target]
    if unknown:
        raise DataError(f"Column '{unknown[0]}' cannot be an input.")
    if len(inputs) > MAX_INPUTS:
        raise DataError(f"Choose at most {MAX_INPUTS} input columns; the file has {len(inputs)}.")
    where = [header.index(name) for name in inputs + [target]]
    rows = []
    for number, cells in enumerate(lines[1:], start=2):
        if len(cells) != len(header):
            raise DataError(f"Row {number} has {len(cells)} cells; the header has {len(header)}.")
        rows.append([_number(cells[k], number, header[k]) for k in where])
    return Table(inputs + [target], rows)


def classes_of(targets: list[float]) -> list[float]:
    """The distinct targets, in order, if they make classes (2 … 8 of them); else []."""
    distinct = sorted(set(targets))
    return distinct if 2 <= len(distinct) <= MAX_CLASSES else []


def scaled(columns: list[list[float]]) -> list[list[float]]:
    """Each column mapped onto −1 … 1 (a constant column onto 0)."""
    out = []
    for column in columns:
        low, high = min(column), max(column)
        out.append([0.0 if high == low else 2 * (x - low) / (high - low) - 1 for x in column])
    return out
