"""The Runs table as the page shows it and as a CSV file: one row per run, the latest last.

A run is kept (features/runs.py) as numbers at full precision; the table rounds them as the
status bar does, and the CSV keeps every digit, so a spreadsheet can compare runs exactly.
"""

from __future__ import annotations

import csv
import io

from ..translation import N_, _

# the row's key → its column's heading, in the order both the table and the CSV give them
COLUMNS = {
    "data": N_("Data"),
    "sizes": N_("Layer sizes"),
    "activations": N_("Activations"),
    "loss": N_("Loss function"),
    "learning_rate": N_("Learning rate"),
    "batch_size": N_("Batch size"),
    "epochs": N_("Epochs"),
    "training_loss": N_("Training loss"),
    "test_loss": N_("Test loss"),
    "training_accuracy": N_("Training accuracy (%)"),
    "test_accuracy": N_("Test accuracy (%)"),
}
FILE_NAME = "neural-network-runs.csv"
NONE = "–"  # a value the run has not got: a test loss in one-sample mode, an accuracy without classes


def table(rows: list[dict]) -> dict:
    """The table's head and rows as texts (a run's number first, as the row's heading)."""
    return {"head": [_("Run"), *map(_, COLUMNS.values())],
            "rows": [[str(k), *(cell(key, row[key]) for key in COLUMNS)] for k, row in enumerate(rows, 1)]}


def cell(key: str, value) -> str:
    if value is None:
        return NONE
    if isinstance(value, str):
        return value
    if key.endswith("_loss"):
        return f"{value:.6f}"
    if key.endswith("_accuracy"):
        return f"{value:.1f}"
    if key == "epochs":
        return f"{value:,.2f}" if value % 1 else f"{value:,.0f}"
    return f"{value:g}"


def csv_text(rows: list[dict]) -> str:
    """Every run as a CSV line under the columns' headings: numbers in full, empty where none."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(map(_, COLUMNS.values()))
    for row in rows:
        writer.writerow("" if row[key] is None else repr(row[key]) if isinstance(row[key], float) else row[key]
                        for key in COLUMNS)
    return out.getvalue()
