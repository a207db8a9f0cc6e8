"""The worked lines as LaTeX (amsmath): a card of the page, the selection's chain rule, and a
worksheet with its key as one document (every card as one document: latex_document.py).

A card is written from the rows the page sets (cards.py: its lines with numbers only, each
chain's rows as on the page), with the page's decimals (`Written`), so that its numbers and
its layout are the card's: one align* per card, a line per row, aligned at the first "=".
The documents are Jinja templates (site_src/templates/export/*.tex.j2), rendered as the page's
other templates are, in the worker for the live page and on the command line.
"""

from __future__ import annotations

from ..activations import ACTIVATIONS
from ..losses import DELTA_RULES, LOSSES
from ..notation import names
from ..notation.latex import chain_latex, formula_latex, name_latex, number_latex
from ..trace import trace
from . import render
from .cards import Card, Written, cards
from .chain import chain_rule_card
from .lines import symbols
from .worksheet import sheet
from ..translation import N_, _

PAPERS = {"a4": "a4paper", "letter": "letterpaper"}
TITLES = {"forward": N_("Forward pass"), "loss": N_("Loss"), "deltas": N_("Backpropagation: the $\\delta$s"),
          "weights": N_("New weights and biases")}  # worksheet.TITLES, in LaTeX; shown translated


def rows(card: Card, w: Written, chains: list | None = None) -> list[str]:
    """The card's rows as the page sets them (`chains`, else its lines with numbers only), as
    lines of an align*."""
    return [row for k, chain in enumerate(chains or card.shown)
            for row in chain_latex(chain, w.number, w.last(card.chains[k]))]


def align(lines: list[str]) -> str:
    return "\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}\n"


def card(t: dict, card_id: str, step: dict | None = None) -> str | None:
    """The LaTeX of the page's card `card_id` (cards.py: "f2-1", "b2-1", "L", "u"), numbers of the
    trace `t` and (the worked update) of `step`, the step whose updates the page shows; None if
    the page has no such card."""
    found = cards(t).by_id.get(card_id) if isinstance(card_id, str) else None
    if found is None or found.id.startswith(("c", "n")):  # a chain rule's or an update's, not on the page
        return None
    return f"% {title(t, found.id)}\n" + align(rows(found, Written(found, t, step)))


def chain_rule(found: tuple, step: dict) -> str:
    """The selection's chain rule (view/chain.py) for a line or a neuron, numbers of `step`."""
    rule = chain_rule_card(found, step)
    kind, l, j, *i = found
    count = len(step["sizes"])
    if i:
        head = _("Weight %(source)s to %(neuron)s") % {"source": names.neuron(l - 1, i[0], count),
                                                        "neuron": names.neuron(l, j, count)}
    else:
        head = names.bias(l, j, count)
    said = _("%(parameter)s: chain rule and update") % {"parameter": head}
    return f"% {said}\n" + align(rows(rule, Written(rule, step, step), rule.chains))


def title(t: dict, card: str) -> str:
    """What a card shows, in words: "H2-1, forward pass", "Loss", "Out-1, backpropagation"."""
    count = len(t["sizes"])
    if card == "L":
        return _("Loss")
    if card == "LB":
        return _("The batch's mean loss")
    if card == "u":
        return _("Update of the weight %(source)s to %(neuron)s") % {
            "source": names.neuron(count - 2, 0, count), "neuron": names.neuron(count - 1, 0, count)}
    l, j = map(int, card[1:].split("-"))
    return (_("%(neuron)s, forward pass") if card[0] == "f" else _("%(neuron)s, backpropagation")) % {
        "neuron": names.neuron(l, j, count)}


def formulas(t: dict) -> list[tuple[str, str]]:
    """(words, LaTeX) of the records' formulas for this network: its activations and their
    slopes, the loss, the output layer's δ rule (and ∂L/∂a where it is not combined)."""
    used = [ACTIVATIONS[key] for key in dict.fromkeys(t["activations"])]
    loss, rule = LOSSES[t["loss"]["function"]], t["layers"][-1]["neurons"][0]["delta_rule"]
    texts = [*(f.formula.english_text for f in used), *(r.formula.english_text for f in used for r in f.rules),
             loss.formula(t["activations"][-1]).english_text]  # formula_latex translates their words
    out = [("", formula_latex(text)) for text in texts]
    out.append((_("Output layer:") + " ", formula_latex(DELTA_RULES[rule].formula.text)))
    if rule != "combined":
        out.append(("", formula_latex("∂L/∂a = " + symbols(loss.error, "a", "t"))))
    return out


def worksheet(exercises: list[tuple], kinds: tuple[str, ...], paper: str = "a4") -> str:
    """The worksheet of each (state, seed) of `exercises` (design.exercise's networks), its
    lines in LaTeX, as one document: every exercise, then every key."""
    sheets = [sheet(state, _("Seed %(seed)s") % {"seed": seed}, kinds, in_latex=True)
              | {"seed": seed, "formulas_latex": formulas(trace(state))} for state, seed in exercises]
    return render.environment().get_template("export/worksheet.tex.j2").render(
        sheets=sheets, paper=PAPERS[paper], number=number_latex, symbol=name_latex,
        titles={kind: _(title) for kind, title in TITLES.items()})
