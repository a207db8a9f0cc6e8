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

from ..limits import LARGEST_INPUT
from ..translation import _

MAX_ROWS = 1000
MAX_INPUTS = 8
MAX_CLASSES = 8
MAX_COLUMNS = 16  # a file's columns, all kept so that another target or inputs can be chosen
MAX_CHARACTERS = 200_000  # 1,000 rows of 16 columns of numbers, and room to spare


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
        raise DataError(_("Row %(row)s, column '%(column)s': '%(text)s' is not a number.")
                        % {"row": row, "column": column, "text": text.strip()})
    if abs(value) > LARGEST_INPUT:
        raise DataError(_("Row %(row)s, column '%(column)s': '%(text)s' is beyond ±1,000,000.")
                        % {"row": row, "column": column, "text": text.strip()})
    return value


def read_all(text: str) -> Table:
    """Every column of a CSV text, as written."""
    if len(text) > MAX_CHARACTERS:
        raise DataError(_("The file has %(count)s characters; the page takes at most %(max_characters)s.")
                        % {"count": f'{len(text):,}', "max_characters": f'{MAX_CHARACTERS:,}'})
    lines = [row for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if any(cell.strip() for cell in row)]
    if len(lines) < 2:
        raise DataError(_("The file needs a header row and at least one row of numbers."))
    header = [name.strip() for name in lines[0]]
    if len(set(header)) != len(header) or not all(header):
        raise DataError(_("Every column needs a name of its own in the header row."))
    if len(header) < 2:
        raise DataError(_("The file needs at least two columns: one input and the target."))
    if len(header) > MAX_COLUMNS:
        raise DataError(_("The file has %(count)s columns; the page takes at most %(max_columns)s.")
                        % {"count": len(header), "max_columns": MAX_COLUMNS})
    if len(lines) - 1 > MAX_ROWS:
        raise DataError(_("The file has %(count)s rows; the page takes at most %(max_rows)s.")
                        % {"count": f'{len(lines) - 1:,}', "max_rows": f'{MAX_ROWS:,}'})
    rows = []
    for number, cells in enumerate(lines[1:], start=2):
        if len(cells) != len(header):
            raise DataError(_("Row %(row)s has %(count)s cells; the header has %(columns)s.")
                            % {"row": number, "count": len(cells), "columns": len(header)})
        rows.append([_number(cell, number, name) for cell, name in zip(cells, header)])
    return Table(header, rows)


def chosen_columns(names: list[str], target: str | None = None,
                   chosen: list[str] | None = None) -> tuple[str, list[str]]:
    """(target, inputs) among the columns `names`: the target the last unless chosen, the
    inputs every other column unless chosen."""
    target = target or names[-1]
    if target not in names:
        raise DataError(_("There is no column '%(target)s'.") % {"target": target})
    inputs = chosen or [name for name in names if name != target]
    unknown = [name for name in inputs if name not in names or name == target]
    if unknown:
        raise DataError(_("Column '%(column)s' cannot be an input.") % {"column": unknown[0]})
    if len(set(inputs)) != len(inputs):
        raise DataError(_("Choose each input column once."))
    if len(inputs) > MAX_INPUTS:
        raise DataError(_("Choose at most %(max_inputs)s input columns; the file has %(count)s.")
                        % {"max_inputs": MAX_INPUTS, "count": len(inputs)})
    return target, inputs


def read(text: str, target: str | None = None, chosen: list[str] | None = None) -> Table:
    """The table of a CSV text: its inputs (`chosen`, else every other column), then `target`
    (else the last column)."""
    table = read_all(text)
    target, inputs = chosen_columns(table.names, target, chosen)
    where = [table.names.index(name) for name in inputs + [target]]
    return Table(inputs + [target], [[row[k] for k in where] for row in table.rows])


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
