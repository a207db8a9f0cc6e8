"""A worksheet as text: the exercise's givens and computations with blanks, and its answer key.

A line is a list of pieces: text, or (symbol, subscript) such as ("z", "H1-1"), which the
template writes as z with H1-1 below it. The lines are the network's worked lines (lines.py).
An exercise line is a line's first stage with numbers, every given number plugged in and the
student's own earlier results named by their symbols; it ends with "=", and the template adds
a box to write in. A key line writes the whole line, the products in between included, with
the decimals it needs to add up (notation/checking.py).

Kinds of computation (the worksheet's checkboxes): "forward" (each neuron's z and a), "loss",
"deltas" (each δ), "weights" (each new weight and bias). What a sheet does not ask for but
needs is given: the sums and activations, the δs.
"""

from __future__ import annotations

from dataclasses import replace

from ..activations import ACTIVATIONS
from ..losses import DELTA_RULES, LOSSES
from ..notation import names
from ..notation.checking import Group, Shown, solve
from ..notation.expressions import Call, Chain, Expr, Partial, Sym, bind, substitute, symbolic
from ..notation.latex import chain_latex, latex
from ..notation.numbers import as_operand, number
from ..notation.writing import chain_rows, pieces, tokens
from ..trace import trace
from . import diagram
from .cards import cards
from .lines import symbols, values
from ..translation import N_, _

# in English, shown translated (kind_labels, TITLES through _)
KINDS = {"forward": N_("Activations"), "loss": N_("Loss"), "deltas": "δs", "weights": N_("New weights")}
TITLES = {"forward": N_("Forward pass"), "loss": N_("Loss"), "deltas": N_("Backpropagation: the δs"),
          "weights": N_("New weights and biases")}
ROUNDING = N_("Write sums and activations to 4 decimals; the loss, the δs and new weights to 6.")


def kind_labels() -> dict[str, str]:
    """{kind: its label in the reader's language}, in the worksheet's order."""
    return {kind: _(label) for kind, label in KINDS.items()}
MM = 0.18  # millimetres of paper per unit of the diagram: names 8 pt high, 8-8-8-8-8-8 163 mm tall


def sheet(state, label: str, kinds: tuple[str, ...], source: str = "", in_latex: bool = False) -> dict:
    """The template's context for one sheet of the network `state`: `label` names it on every
    page ("Seed 1"), `source` says where its weights and biases come from; `in_latex`: its lines
    written in LaTeX (notation/latex.py) instead of pieces."""
    t = trace(state)
    s = Sheet(t, kinds, in_latex)
    sizes, count = t["sizes"], len(t["sizes"])
    layout = diagram.layout(sizes)
    return {
        "label": label,
        "source": source,
        "layout": layout,
        "size": (f"{layout['width'] * MM:.1f}mm", f"{layout['height'] * MM:.1f}mm"),
        "picture": _("The network: %(layers)s") % {"layers": ", ".join(
            _("%(count)d in the %(layer)s") % {"count": n, "layer": names.layer_title(l, count)}
            for l, n in enumerate(sizes))},
        "inputs": [(names.neuron(0, j, count), number(a)) for j, a in enumerate(state.inputs)],
        "targets": [(names.neuron(count - 1, j, count), number(x)) for j, x in enumerate(state.targets)],
        "rate": number(t["learning_rate"], "rate"),
        "functions": [(names.layer_title(l, count), ACTIVATIONS[key].name) for l, key in enumerate(t["activations"], 1)],
        "loss": LOSSES[t["loss"]["function"]].name,
        "tables": [s.parameter_table(l) for l in range(1, count)],
        "given": s.given_results(),
        "formulas": formulas(t),
        "sections": [{"kind": kind, "title": _(TITLES[kind]), "tasks": getattr(s, kind)()} for kind in KINDS if kind in kinds],
    }


def formulas(t: dict) -> list[str]:
    """The formulas a student needs, in words and symbols, for this network's functions and loss."""
    used = [ACTIVATIONS[key] for key in dict.fromkeys(t["activations"])]
    output, loss = t["activations"][-1], LOSSES[t["loss"]["function"]]
    rule = t["layers"][-1]["neurons"][0]["delta_rule"]
    error = _(", with ∂L/∂a = %(error)s") % {"error": symbols(loss.error, "a", "t")} if rule != "combined" else ""
    return [_("z = Σ (a × w) + b, over the neurons of the layer before; a = f(z)"),
            *(f.formula.text for f in used),
            *(r.formula.text for f in used for r in f.rules),
            loss.formula(output).text,
            _("Output layer: %(rule)s%(error)s") % {"rule": DELTA_RULES[rule].formula.text, "error": error},
            _("Hidden layers: δ = (Σ δ × w, over the neurons it feeds) × f′(z)"),
            _("new w = w − α × δ × a (a of the neuron the weight comes from); new b = b − α × δ"),
            _(ROUNDING)]


class Sheet:
    """The exercise and key lines of one sheet; each task is {"exercise": line, "key": [lines]}."""

    def __init__(self, t: dict, kinds: tuple[str, ...], in_latex: bool = False):
        self.t, self.kinds, self.in_latex = t, kinds, in_latex
        self.lines = cards(t).lines
        self.count, self.last = len(t["sizes"]), len(t["sizes"]) - 1
        self.asked = self.results()

    def name(self, l: int, j: int) -> str:
        return names.neuron(l, j, self.count)

    def results(self) -> dict[str, Expr]:
        """The student's own results an exercise line names by symbol: {key: its symbol}."""
        out: dict[str, Expr] = {}
        for l in range(1, self.count):
            for j in self.lines.neurons(l):
                name = self.name(l, j)
                if "forward" in self.kinds:
                    out |= {f"a-{l}-{j}": Sym("a", name), f"sa-{l}-{j}": Sym("a", name), f"z-{l}-{j}": Sym("z", name)}
                if "deltas" in self.kinds:
                    out |= {f"d-{l}-{j}": Sym("δ", name), f"sd-{l}-{j}": Sym("δ", name)}
        work = self.lines.work
        for j, chain in enumerate(self.lines.loss_lines()[:-1]):  # an output's term, in L's sum
            out[chain.result.key] = chain.lhs if chain.lhs is not None else substitute(chain.stages[0], out)
        return out

    def given(self, key: str) -> str:
        return number(values(self.lines, self.t, None, [key])[key], self.lines.kinds[key])

    # ---- givens ---------------------------------------------------------------------------------

    def parameter_table(self, l: int) -> dict:
        sources, neurons = self.lines.neurons(l - 1), self.t["layers"][l]["neurons"]
        return {"title": names.layer_title(l, self.count), "sources": [self.name(l - 1, i) for i in sources],
                "rows": [(self.name(l, j), [number(neurons[j]["terms"][i]["weight"], "weight") for i in sources],
                          number(neurons[j]["bias"], "weight"))
                         for j in self.lines.neurons(l)]}

    def given_results(self) -> dict:
        """Results the sheet needs but does not ask for: {"heads": [...], "rows": [(name, texts)]}."""
        heads = []
        if "forward" not in self.kinds and self.kinds:
            heads += [("z", "z"), ("a", "a")]
        if "deltas" not in self.kinds and "weights" in self.kinds:
            heads += [("δ", "d")]
        rows = [(self.name(l, j), [self.given(f"{key}-{l}-{j}") for _, key in heads])
                for l in range(1, self.count) for j in self.lines.neurons(l)]
        return {"heads": [symbol for symbol, _ in heads], "rows": rows if heads else []}

    # ---- tasks ----------------------------------------------------------------------------------

    def task(self, name: str, make) -> dict:
        """The task `make()` describes, (its exercise line's lhs = stage, its key's lines), made
        once for the structure: the exercise is the stage, results named; the key the lines, each
        number with the decimals its task needs."""
        lhs, stage, key, group = cards(self.t).remember(("sheet", name), lambda: _with_group(*make()))
        items = (tokens(lhs) + [("rel", "=")] if lhs is not None else []) + tokens(substitute(stage, self.asked))
        texts, approximate = solve(group, Shown(values(self.lines, self.t, None, group.kinds), group.kinds))

        def written(num, operand):
            return as_operand(texts[num.key]) if operand else texts[num.key]

        def plugged(num, operand):
            text = self.given(num.key)
            return as_operand(text) if operand else text
        if self.in_latex:  # a row per stage: a sum of eight products is as wide as the page
            return {"exercise": latex(items, plugged, align=True),
                    "key": [row for k, chain in enumerate(key) for row in chain_latex(
                        replace(chain, breaks=frozenset(range(1, len(chain.stages)))), written,
                        "≈" if k in approximate else "=")]}
        return {"run": name.rsplit("-", 1)[0],  # tasks of a run (a layer's sums, …) share rows
                "exercise": pieces(items, plugged),
                "key": [pieces([item for row in chain_rows(chain, "≈" if k in approximate else "=") for item in row],
                               written) for k, chain in enumerate(key)]}

    def line(self, chain: Chain) -> tuple:
        """A task of one line: its lhs = its first stage with numbers."""
        return chain.lhs, next(stage for stage in chain.stages if not symbolic(stage)), [chain]

    def forward(self) -> list[dict]:
        """Layer by layer, its sums, then its activations (short lines, several to a row)."""
        lines = self.lines
        return [self.task(f"{kind}{l}-{j}", lambda kind=kind, l=l, j=j: self.line(
                    lines.forward_sum(l, j) if kind == "z" else lines.activation(l, j)))
                for l in range(1, self.count) for kind in "za" for j in lines.neurons(l)]

    def loss(self) -> list[dict]:
        last = len(self.lines.loss_lines()) - 1  # each output's term, then L: a run of its own
        return [self.task(f"term-{k}" if k < last else "L", lambda k=k: self.line(self.lines.loss_lines()[k]))
                for k in range(last + 1)]

    def deltas(self) -> list[dict]:
        return [self.task(f"d{l}-{j}", lambda l=l, j=j: self.delta_task(l, j))
                for l in range(self.last, 0, -1) for j in self.lines.neurons(l)]

    def delta_task(self, l: int, j: int) -> tuple:
        """δ in one exercise line: ∂L/∂a's first stage with numbers, times the slope (δ = a − t
        where loss and function combine; Σ over the outputs where the function mixes them)."""
        key, lines = self.lines.backward(l, j), self.lines
        delta = key[-1]
        if len(key) == 1:  # δ = o − t
            lhs, stage, _ = self.line(delta)
            return lhs, stage, key
        error = next(stage for stage in key[0].stages if not symbolic(stage))
        rule = lines.delta_rule if l == self.last else "chain"
        if rule == "jacobian":
            each = [{"error": bind(lines.loss.error, {"a": lines.a(l, k), "t": lines.t(k)}),
                     "jacobian": Partial(Sym("a", self.name(l, k)), Sym("z", self.name(l, j)))}
                    for k in lines.neurons(l)]
            stage = bind(DELTA_RULES[rule].worked, {}, each)
        else:
            slope = Call(lines.functions[l].symbol, lines.z(l, j), prime=True)
            stage = bind(DELTA_RULES[rule].worked, {"error": error, "slope": slope})
        return delta.lhs, stage, key

    def weights(self) -> list[dict]:
        return [self.task(f"n{l}-{j}-{i}", lambda l=l, j=j, i=i: self.update_task(l, j, i))
                for l in range(1, self.count) for j in self.lines.neurons(l)
                for i in [*self.lines.neurons(l - 1), None]]

    def update_task(self, l: int, j: int, i: int | None) -> tuple:
        """new w = w − α × δ × a (a bias: no a) = … = the new value."""
        chain = self.lines.new_value(l, j, i, worked=True)
        label = f"{self.name(l - 1, i)}→{self.name(l, j)}" if i is not None else self.name(l, j)
        chain = replace(chain, lhs=Sym(f"new {'w' if i is not None else 'b'}", label))
        return chain.lhs, chain.stages[1], [chain]


def _with_group(lhs, stage, key: list[Chain]) -> tuple:
    return lhs, stage, key, Group(key)
