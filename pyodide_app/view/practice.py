"""Practice mode as the page shows it: the panel's markup, the names of the kinds, and the
"Show how" text of each question: the lines of its card, with the hidden numbers named
instead of written and the result left for the student."""

from __future__ import annotations

from html import escape

from ..activations import ACTIVATIONS
from ..losses import LOSSES
from ..practice import Question
from .cards import Written, cards
from ..translation import _

PANEL = """<section id="practice-panel" class="practice" aria-labelledby="practice-title">
<h3 id="practice-title">{title}</h3>
<fieldset><legend>{legend}</legend>{choices}</fieldset>
<p id="practice-score" class="score"></p>
<p id="practice-said" role="status"></p>
<p class="hint">{hint}</p>
</section>"""
CHOICE = '<label><input type="checkbox" value="{key}"> {label}</label>'


def kind_labels(t: dict) -> dict[str, str]:
    """{kind: its name in the checklist}; the activations by their own symbols: 'Activations (σ)'."""
    symbols = dict.fromkeys(ACTIVATIONS[key].symbol for key in t["activations"])
    return {"activations": _("Activations (%(symbols)s)") % {"symbols": ", ".join(symbols)}, "loss": _("Loss"),
            "deltas": "δs", "new_weights": _("New weights and biases")}


def panel(t: dict) -> str:
    hint = _("Type each hidden value in its box (to the decimals the page shows; a decimal comma is fine) and "
             "press Enter.")
    return PANEL.format(title=escape(_("Practice")), legend=escape(_("Hide and ask")), hint=escape(hint),
                        choices="".join(CHOICE.format(key=key, label=escape(label))
                                        for key, label in kind_labels(t).items()))


def score_text(right: int, asked: int) -> str:
    return _("Score: %(right)s of %(asked)s") % {"right": right, "asked": asked}


def how(q: Question, t: dict, step: dict | None, hidden: dict[str, str]) -> str:
    """The working of the question's card, its lines as the page writes them (cards.py), the
    hidden numbers named by `hidden` ({key: label}), the asked line's result left out. `step`:
    the step whose updates the page shows (the one just taken), else None."""
    page = cards(t)
    if q.kind == "loss":
        card = page.loss
        w = Written(card, t, hidden=hidden)
        *terms, total = card.chains
        return "\n".join([LOSSES[t["loss"]["function"]].formula(t["activations"][-1]).text,
                          *(w.text(chain) for chain in terms), w.asked(total, q.label)])
    l, j, *i = (int(part) for part in q.key.split("-")[1:])
    if q.kind == "activations":
        card = page.forward[l][j]
        formula = ACTIVATIONS[t["layers"][l]["activation"]].formula.text
        return f"{formula}\n{Written(card, t, hidden=hidden).asked(card.chains[-1], q.label)}"
    if q.kind == "deltas":
        card = page.backprop[l][j]
    else:
        i = i[0] if i else None
        card = page.extra(f"c{l}-{j}" + (f"-{i}" if i is not None else ""),
                          lambda lines: [lines.gradient(l, j, i), lines.new_value(l, j, i, True)])
    w = Written(card, t, step, hidden=hidden)
    *given, asked = card.chains
    return "\n".join([*(w.text(chain) for chain in given), w.asked(asked, q.label)])
