"""The page's "Gradient check" section as HTML: a table of every weight's and bias's
backpropagated gradient beside its central difference (pyodide_app/gradient_check.py), and a
verdict, drawn from site_src/templates/gradient_check.html. A hidden gradient (and so its
central difference, the same number to six decimals) is written "?". On data, L is the batch's
mean loss (trace["batch_loss"]).
"""

from __future__ import annotations

from .. import gradient_check
from ..notation import names
from . import render
from ..notation.numbers import number, relative, scientific
from ..translation import N_, _

FAILED = N_("The check could not be worked out for these numbers; every other number on the page stands.")


def verdict(entries: list[gradient_check.Entry], layer_count: int) -> str:
    worst = gradient_check.largest(entries)
    text = _("Largest relative difference %(relative)s") % {"relative": relative(worst.relative)}
    if worst.relative <= gradient_check.AGREES:
        return _("%(text)s: backpropagation agrees with the definition of the derivative.") % {"text": text}
    return (_("%(text)s (%(parameter)s): backpropagation and the central difference disagree. Where a ReLU's "
              "sum lies within h of 0, the central difference straddles its kink and is not the slope.")
            % {"text": text, "parameter": parameter(worst, layer_count)})


def parameter(entry: gradient_check.Entry, layer_count: int) -> str:
    return names.bias(entry.l, entry.j, layer_count) if entry.i is None else \
        names.weight(entry.l, entry.j, entry.i, layer_count)


def html(entries: list[gradient_check.Entry], t: dict) -> str:
    count = len(t["layers"])
    layers = [{"title": names.layer_title(l, count), "rows": []} for l in range(1, count)]
    for e in entries:
        layers[e.l - 1]["rows"].append({
            "name": parameter(e, count), "bias": e.i is None, "gradient": number(e.gradient, "precise"),
            "central": number(e.central, "precise"), "relative": relative(e.relative)})
    template = render.environment().get_template("gradient_check.html")
    return render.collapse_whitespace(template.render(
        layers=layers, h=scientific(gradient_check.H, 0), floor=scientific(gradient_check.FLOOR, 0),
        loss=number(t["batch_loss"]["mean"] if t.get("batch_loss") else t["loss"]["total"], "precise"),
        batch=t["batch_loss"]["size"] if t.get("batch_loss") else 0,
        verdict=verdict(entries, count))).strip()
