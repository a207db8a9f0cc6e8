"""The page's network as code a student can run: a Python script with NumPy alone, and the same
cells as a Jupyter notebook (nbformat 4).

One template, site_src/templates/export/network.py.j2, writes the script in cells (the percent
format: "# %% [markdown]" and "# %%" start a cell), so the notebook's code is the script's, line
for line. The prose and formulas come from the activation and loss records; the NumPy of each
record's maths is in ACTIVATION_CODE and LOSS_CODE below. The template has the context of the page's
own templates (view/render.py), so it names layers, neurons, records and notes as the page does. Standard library and Jinja only: the
page's worker makes these files too.
"""

from __future__ import annotations

import json

from ..activations import LEAK
from ..state import State
from . import render

STEPS = 1000  # training steps the code takes after the one it prints in full
MARKDOWN, CODE = "# %% [markdown]", "# %%"

# NumPy for each activation, keyed by the record's key: the body of f(z), and of f′(z, a) (None where
# the activation mixes its layer: its slope is a Jacobian, written out where the δ is found).
ACTIVATION_CODE = {
    "sigmoid": ("    with np.errstate(over=\"ignore\"):  # e^(−z) may be ∞: 1 / (1 + ∞) = 0 is right\n"
                "        return 1 / (1 + np.exp(-z))", "    return a * (1 - a)"),
    "tanh": ("    return np.tanh(z)", "    return 1 - a ** 2"),
    "relu": ("    return np.where(z > 0, z, 0.0)", "    return np.where(z > 0, 1.0, 0.0)"),
    "leaky_relu": (f"    return np.where(z > 0, z, {LEAK} * z)", f"    return np.where(z > 0, 1.0, {LEAK})"),
    "linear": ("    return z", "    return np.ones_like(z)"),
    "softmax": ("    e = np.exp(z - np.max(z))  # the same fractions as e^z, and no e^z overflows\n"
                "    return e / np.sum(e)", None),
}
# The body of loss(z, o, t), keyed like each loss record's formulas: by output activation, "" for any
# other. Cross-entropy takes its logarithms from the sums, as losses.py does: an output rounded to
# exactly 0 or 1 still gives a finite loss.
LOSS_CODE = {
    "mse": {"": "    return 0.5 * np.sum((o - t) ** 2)"},
    "cross_entropy": {
        "sigmoid": "    ln_o, ln_1_minus_o = -np.logaddexp(0, -z), -np.logaddexp(0, z)  # ln σ(z), ln(1 − σ(z))\n"
                   "    return -np.sum(t * ln_o + (1 - t) * ln_1_minus_o)",
        "": "    ln_o = z - np.logaddexp.reduce(z)  # ln softmax(z)\n"
            "    return -np.sum(t * ln_o)",
    },
}


def script(state: State, steps: int = STEPS) -> str:
    """network.py: runs with NumPy alone, printing what the page shows, then training `steps` steps."""
    # the page's own Jinja environment: its templates are compiled before the start-up snapshot
    return render.environment().get_template("export/network.py.j2").render(_context(state, steps))


def notebook(state: State, steps: int = STEPS) -> str:
    """network.ipynb: the script's cells, as JSON of nbformat 4.5."""
    cells = [{"cell_type": kind, "id": f"{kind}-{n}", "metadata": {}, "source": source.splitlines(keepends=True),
              **({"execution_count": None, "outputs": []} if kind == "code" else {})}
             for n, (kind, source) in enumerate(cells_of(script(state, steps)), start=1)]
    return json.dumps({"cells": cells, "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}, ensure_ascii=False, indent=1)


def cells_of(text: str) -> list[tuple[str, str]]:
    """[(kind, source)] of a script in the percent format; a markdown cell's lines lose their "# "."""
    cells: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line in (MARKDOWN, CODE):
            cells.append(("markdown" if line == MARKDOWN else "code", []))
        elif cells:
            cells[-1][1].append(line.removeprefix("#").removeprefix(" ") if cells[-1][0] == "markdown" else line)
    return [(kind, "\n".join(lines).strip("\n")) for kind, lines in cells]


def f_string(translated: str, **expressions: str) -> str:
    """A translated message as a Python f-string literal: each %(name)s becomes {expression}.
    f_string(_("Into %(layer)s"), layer="titles[l]") → f"Into {titles[l]}"; without placeholders, a
    plain string."""
    text = translated.replace("\\", "\\\\").replace('"', '\\"')
    if not expressions:
        return f'"{text}"'
    text = text.replace("{", "{{").replace("}", "}}")
    for name, expression in expressions.items():
        text = text.replace(f"%({name})s", "{" + expression + "}")
    return f'f"{text.replace("%%", "%")}"'


def _context(state: State, steps: int) -> dict:
    """The page's own template context (the same names, records and notes), and the code's."""
    loss_code = LOSS_CODE[state.network.loss]
    return render.context(state, steps=steps, every=max(1, steps // 10), code=ACTIVATION_CODE, f_string=f_string,
                          loss_code=loss_code.get(state.network.activations[-1]) or loss_code[""])
