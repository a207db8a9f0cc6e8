"""Every worked card of the page as one LaTeX document, for the command line
(`python -m pyodide_app latex`): the cards of view/latex.py in the page's sections, under the
network's formulas, from the template site_src/templates/export/cards.tex.j2."""

from __future__ import annotations

from ..activations import ACTIVATIONS
from ..losses import LOSSES
from ..notation import names
from ..notation.numbers import rate
from ..trace import trace
from . import render
from .cards import Card, Written, cards
from .latex import align, formulas, rows, title
from ..translation import _


def document(state, step: dict | None = None) -> str:
    """Every card of the page, in its sections, as one LaTeX document; `step`: the step whose
    update the worked example shows (else the next)."""
    t = trace(state)
    page, count = cards(t), len(t["sizes"])

    def written(found: Card, with_step=None) -> str:
        return align(rows(found, Written(found, t, with_step)))
    sections = [(_("Forward pass"), [(names.neuron(l, j, count), written(c)) for l in page.forward
                                  for j, c in enumerate(page.forward[l])]),
                (_("Loss (%(loss)s)") % {"loss": LOSSES[t["loss"]["function"]].name.lower()},
                 [("", written(page.loss))]),
                (_("Backpropagation"), [(names.neuron(l, j, count), written(c)) for l in sorted(page.backprop, reverse=True)
                                     for j, c in enumerate(page.backprop[l])]),
                (_("Weight update"), [(title(t, "u"), written(page.updates, step))])]
    functions = [(names.layer_title(l, count), ACTIVATIONS[key].name) for l, key in enumerate(t["activations"], 1)]
    return render.environment().get_template("export/cards.tex.j2").render(
        sizes="-".join(map(str, t["sizes"])), epoch=t["epoch"], rate=rate(t["learning_rate"]),
        functions=functions, formulas=formulas(t), sections=sections)
