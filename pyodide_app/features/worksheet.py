"""The worksheet view: exercise pages and their answer key, for printing.

The view is rendered here from site_src/templates/worksheet.html and sent as HTML, with its
styles (worksheet.css, whose @page rule sets the paper); the page cuts the sheets into pages
(worksheet.js). Its seed is the state's `worksheet_seed`, so it is saved, and kept in the link
like the rest of the network. While the view is open, any change of what the sheets show
re-draws them (`show`). A class set is drawn when its Copies are typed, so that Print a class
set prints at once, in the reader's click.

The exercise is the page's design, inputs, targets and learning rate with weights and biases
drawn from the seed, or the page's own (WEIGHTS): none of the page's own results is on a sheet,
so Practice hides nothing here.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass

from .. import design
from ..limits import Limit, StateError, parse_number
from ..presets import PRESETS
from ..view import latex, render
from ..view.worksheet import KINDS, kind_labels, sheet
from .base import Answer, Context, Feature, Reply
from ..translation import N_, _

SEEDS = 10 ** 6 + 1  # seeds run 0 … 1,000,000, as state.LIMITS allow; a class set wraps around
COPIES = {"copies": Limit(1, 60, integer=True)}


@dataclass(frozen=True)
class Paper:
    name: str
    size: str  # of CSS's @page
    width: str  # of a page
    height: str


PAPERS = {"a4": Paper("A4", "A4", "210mm", "297mm"), "letter": Paper(N_("Letter"), "letter", "8.5in", "11in")}
# where a sheet's weights and biases come from: the seed, or the network as the page poses it
WEIGHTS = {"seed": N_("Drawn from the seed"), "page": N_("This page's")}  # shown translated


class Worksheet(Feature):
    messages = ("worksheet", "sheetClose", "sheetOptions", "sheetSeed", "sheetNew", "classSet", "sheetLatex")
    saved = "worksheet_seed"

    def __init__(self, context: Context):
        self.ctx = context
        self.open = False
        self.paper = "a4"
        self.kinds = tuple(KINDS)
        self.weights = "seed"
        self.copies = 1
        self.drawn = None  # what the sheets on the page were drawn from

    # ---- messages -----------------------------------------------------------------------

    def on_worksheet(self) -> Reply:
        self.open, self.copies = True, 1
        self.drawn = self.basis()
        papers = {key: _(paper.name) for key, paper in PAPERS.items()}
        weights = {key: _(label) for key, label in WEIGHTS.items()}
        html = self.render("worksheet.html", seed=self.seed, papers=papers, chosen_paper=self.paper,
                           copies=self.copies, weights=weights, chosen_weights=self.weights)
        return {"worksheet": {"css": self.css(), "view": html}}

    def on_sheet_close(self) -> Reply:
        self.open = False
        return {}

    def on_sheet_options(self, paper: str, kinds: list, weights: str = "seed") -> Reply:
        """The paper, the kinds of computation ticked and the weights chosen (any other values
        are left out)."""
        reply = {}
        if paper in PAPERS and paper != self.paper:
            self.paper = paper
            reply["css"] = self.css()
        self.weights = weights if weights in WEIGHTS else "seed"
        self.kinds = tuple(kind for kind in KINDS if isinstance(kinds, list) and kind in kinds)
        return self.with_sheets(reply)

    def on_sheet_seed(self, text: str) -> Reply:
        try:
            seed = int(parse_number(text, "worksheet_seed"))
        except StateError as error:
            return {"worksheet": {"errors": {"seed": (_("Seed %(error)s")
                                                      % {"error": error})}}}  # named as the field is labelled
        return self.new_seed(seed)

    def on_sheet_new(self) -> Reply:
        """New exercise: a seed drawn afresh (the worker seeds `random` when it starts)."""
        seed = self.seed
        while seed == self.seed:
            seed = random.randrange(SEEDS)
        return self.new_seed(seed)

    def on_class_set(self, text: str) -> Reply:
        """The Copies of a class set typed: one print job, a sheet per seed from the worksheet's
        seed on (or copies of the page's), then every key, drawn now to be printed at once."""
        try:
            copies = int(parse_number(text, "copies", COPIES))
        except StateError as error:
            return {"worksheet": {"errors": {"copies": _("Copies %(error)s") % {"error": error}}}}
        self.copies = copies
        return self.with_sheets({"errors": {"copies": ""}})

    def on_sheet_latex(self) -> Reply:
        """Download LaTeX: the sheets as they are drawn (view/latex.py), exercises then keys."""
        seeds = [(self.seed + k) % SEEDS for k in range(self.copies)]
        text = latex.worksheet([(design.exercise(self.ctx.state, seed), seed) for seed in seeds], self.kinds, self.paper)
        return {"download": {"name": f"worksheet-seed-{self.seed}.tex", "text": text}}

    # ---- drawing ------------------------------------------------------------------------

    @property
    def seed(self) -> int:
        return self.ctx.state.worksheet_seed

    def new_seed(self, seed: int) -> Reply:
        reply = {"errors": {"seed": ""}}
        if seed == self.seed:
            return self.with_sheets(reply)
        changed = self.ctx.change(lambda state: setattr(state, "worksheet_seed", seed))  # saved, and in the link
        return changed | {"worksheet": reply | changed.get("worksheet", {})}

    def show(self, answer: Answer) -> Reply:
        """Called whenever the page's values are sent: the sheets again if what they show changed."""
        return self.with_sheets({}) if self.open else {}

    def with_sheets(self, reply: dict) -> Reply:
        basis = self.basis()
        if basis != self.drawn:
            self.drawn = basis
            reply = {"sheets": self.render("worksheet_sheets.html"), "seed": str(self.seed)} | reply
        return {"worksheet": reply} if reply else {}

    def basis(self) -> tuple:
        """Everything the sheets depend on: the design, inputs, targets, rate; seed, kinds, copies;
        with the page's weights, those weights and the preset they may be."""
        state = self.ctx.state
        net = state.network
        own = copy.deepcopy((net.weights, net.biases, state.preset)) if self.weights == "page" else None
        return (tuple(net.sizes), tuple(net.activations), net.loss, tuple(state.inputs), tuple(state.targets),
                state.learning_rate, self.seed, self.kinds, self.copies, own)

    def sheets(self) -> tuple[list[dict], list[dict]]:
        """(the exercises, their keys): a sheet per seed, or copies of the page's network and one key."""
        state = self.ctx.state
        if self.weights == "page":
            label = PRESETS[state.preset].name if state.preset else _("This page's network")
            own = sheet(as_posed(state), label, self.kinds, _("Weights and biases as posed on the page"))
            return [own] * self.copies, [own]
        seeds = [(self.seed + k) % SEEDS for k in range(self.copies)]
        drawn = [sheet(design.exercise(state, seed), _("Seed %(seed)s") % {"seed": seed}, self.kinds,
                       _("Weights and biases drawn from seed %(seed)s") % {"seed": seed}) for seed in seeds]
        return drawn, drawn

    def render(self, name: str, **extra) -> str:
        template = render.environment().get_template(name)
        exercises, keys = self.sheets() if self.kinds else ([], [])
        context = {"sheets": exercises, "keys": keys, "chosen": self.kinds, "kinds": kind_labels(), **extra}
        return render.collapse_whitespace(template.render(context)).strip()

    def css(self) -> str:
        paper = PAPERS[self.paper]
        return render.environment().get_template("worksheet.css").render(size=paper.size, width=paper.width,
                                                                         height=paper.height)


def as_posed(state):
    """The page's network as a sheet gives it: a weight or bias moved by training is written
    with 6 decimals (numbers.weight_decimals), so the key works from those 6."""
    posed = state.copy()
    for layer in posed.network.weights:
        for row in layer:
            row[:] = [round(w, 6) + 0.0 for w in row]
    for layer in posed.network.biases:
        layer[:] = [round(b, 6) + 0.0 for b in layer]
    return posed
