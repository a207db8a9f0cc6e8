"""A worksheet as text: the exercise's givens and computations with blanks, and its answer key.

A line is a list of pieces: text, or (symbol, subscript) such as ("z", "H1-1"), which the
template writes as z with H1-1 below it. An exercise line plugs in every given number and
names the student's own earlier results by their symbols; ends with "=", and the template
adds a box to write in. A key line writes every number, the products in between included.

Kinds of computation (the worksheet's checkboxes): "forward" (each neuron's z and a), "loss",
"deltas" (each δ), "weights" (each new weight and bias). What a sheet does not ask for but
needs is given: the sums and activations, the δs.
"""

from __future__ import annotations

from ..activations import ACTIVATIONS, RULES
from ..losses import DELTA_RULES, LOSSES
from ..trace import trace
from ..notation import names
from . import diagram, page
from ..notation.numbers import MINUS, as_operand, number

KINDS = {"forward": "Activations", "loss": "Loss", "deltas": "δs", "weights": "New weights"}
TITLES = {"forward": "Forward pass", "loss": "Loss", "deltas": "Backpropagation: the δs",
          "weights": "New weights and biases"}
ROUNDING = "Write sums and activations to 4 decimals; the loss, the δs and new weights to 6."


def sheet(state, seed: int, kinds: tuple[str, ...]) -> dict:
    """The template's context for one sheet: `state` is design.exercise's network for `seed`."""
    t = trace(state)
    lines = Lines(t, page.every_text(t, state.targets), kinds)
    sizes, count = t["sizes"], len(t["sizes"])
    return {
        "seed": seed,
        "layout": diagram.layout(sizes),
        "picture": "The network: " + ", ".join(f"{n} in the {names.layer_title(l, count)}"
                                                for l, n in enumerate(sizes)),
        "inputs": [(names.neuron(0, j, count), lines.v[f"a-0-{j}"]) for j in range(sizes[0])],
        "targets": [(names.neuron(count - 1, j, count), lines.v[f"t-{j}"]) for j in range(sizes[-1])],
        "rate": lines.v["lr"],
        "functions": [(names.layer_title(l, count), ACTIVATIONS[key].name) for l, key in enumerate(t["activations"], 1)],
        "loss": LOSSES[t["loss"]["function"]].name,
        "tables": [lines.parameter_table(l) for l in range(1, count)],
        "given": lines.given_results(),
        "formulas": formulas(t),
        "sections": [{"title": TITLES[kind], "tasks": getattr(lines, kind)()} for kind in KINDS if kind in kinds],
    }


def formulas(t: dict) -> list[str]:
    """The formulas a student needs, in words and symbols, for this network's functions and loss."""
    used = [ACTIVATIONS[key] for key in dict.fromkeys(t["activations"])]
    output = t["activations"][-1]
    rule = t["layers"][-1]["neurons"][0]["delta_rule"]
    return ["z = Σ (a × w) + b, over the neurons of the layer before; a = f(z)",
            *(f.formula.text for f in used),
            *(r.formula.text for f in used for r in f.rules),
            LOSSES[t["loss"]["function"]].formula(output).text,
            f"Output layer: {DELTA_RULES[rule].text}" + (", with ∂L/∂a = a − t" if rule != "combined" else ""),
            "Hidden layers: δ = (Σ δ × w, over the neurons it feeds) × f′(z)",
            "new w = w − α × δ × a (a of the neuron the weight comes from); new b = b − α × δ",
            ROUNDING]


factor = as_operand  # a number inside a formula: a negative one in brackets


def joined(parts: list[list], between: str = " + ") -> list:
    out = []
    for k, part in enumerate(parts):
        out += ([between] if k else []) + part
    return out


class Lines:
    """The exercise and key lines of one sheet; each task is {"exercise": line, "key": [lines]}."""

    def __init__(self, t: dict, v: dict[str, str], kinds: tuple[str, ...]):
        self.t, self.v, self.kinds = t, v, kinds
        self.count = len(t["sizes"])
        self.last = self.count - 1

    def name(self, l: int, j: int) -> str:
        return names.neuron(l, j, self.count)

    def neuron(self, l: int, j: int) -> dict:
        return self.t["layers"][l]["neurons"][j]

    def ref(self, symbol: str, key: str, l: int, j: int, asked: str, lead=False):
        """A result in an exercise line: its symbol where the sheet asks for it, else its number
        (a negative one in brackets unless it `lead`s its bracket: "(−0.39 − 0.20)²")."""
        if l and asked in self.kinds:
            return symbol, self.name(l, j)
        return self.v[f"{key}-{l}-{j}"] if lead else factor(self.v[f"{key}-{l}-{j}"])

    def a(self, l, j, key=False, lead=False):
        if key:
            return self.v[f"a-{l}-{j}"] if lead else factor(self.v[f"a-{l}-{j}"])
        return self.ref("a", "a", l, j, "forward", lead)

    def z(self, l, j, key=False):  # always inside brackets: σ(z), exp(z)
        return ("z", self.name(l, j)) if not key and "forward" in self.kinds else self.v[f"z-{l}-{j}"]

    def d(self, l, j, key=False):
        return factor(self.v[f"d-{l}-{j}"]) if key else self.ref("δ", "d", l, j, "deltas")

    def target(self, j: int) -> str:
        return factor(self.v[f"t-{j}"])

    # ---- givens -------------------------------------------------------------------------

    def parameter_table(self, l: int) -> dict:
        sources = range(len(self.t["layers"][l - 1]["neurons"]))
        return {"title": names.layer_title(l, self.count),
                "sources": [self.name(l - 1, i) for i in sources],
                "rows": [(self.name(l, j), [self.v[f"w-{l}-{j}-{i}"] for i in sources], self.v[f"b-{l}-{j}"])
                         for j in range(len(self.t["layers"][l]["neurons"]))]}

    def given_results(self) -> dict:
        """Results the sheet needs but does not ask for: {"heads": [...], "rows": [(name, texts)]}."""
        heads = []
        if "forward" not in self.kinds and self.kinds:
            heads += [("z", "z"), ("a", "a")]
        if "deltas" not in self.kinds and "weights" in self.kinds:
            heads += [("δ", "d")]
        rows = [(self.name(l, j), [self.v[f"{key}-{l}-{j}"] for _, key in heads])
                for l in range(1, self.count) for j in range(len(self.t["layers"][l]["neurons"]))]
        return {"heads": [symbol for symbol, _ in heads], "rows": rows if heads else []}

    # ---- the computations ---------------------------------------------------------------

    def forward(self) -> list[dict]:
        tasks = []
        for l in range(1, self.count):
            for j, n in enumerate(self.t["layers"][l]["neurons"]):
                tasks += [self.sum_task(l, j, n), self.activation_task(l, j)]
        return tasks

    def sum_task(self, l: int, j: int, n: dict) -> dict:
        k, z = f"{l}-{j}", ("z", self.name(l, j))

        def terms(key):
            return joined([[self.a(l - 1, i, key), " × ",
                            factor(self.v[f"w-{k}-{i}"])] for i in range(len(n["terms"]))])
        bias = [" + ", factor(self.v[f"b-{k}"])]
        products = joined([[factor(number(term["product"]))] for term in n["terms"]])
        return {"exercise": [z, " = ", *terms(False), *bias, " ="],
                "key": [[z, " = ", *terms(True), *bias, " = ", *products, *bias, " = ", self.v[f"z-{k}"]]]}

    def activation_task(self, l: int, j: int) -> dict:
        a, f = ("a", self.name(l, j)), ACTIVATIONS[self.t["layers"][l]["activation"]]
        if f.function:
            return {"exercise": [a, f" = {f.symbol}(", self.z(l, j), ") ="],
                    "key": [[a, f" = {f.symbol}({self.z(l, j, True)}) = ", self.v[f"a-{l}-{j}"]]]}
        layer = range(len(self.t["layers"][l]["neurons"]))

        def softmax(key):
            return ["exp(", self.z(l, j, key), ") ÷ (", *joined([["exp(", self.z(l, k, key), ")"] for k in layer]), ")"]
        return {"exercise": [a, " = ", *softmax(False), " ="],
                "key": [[a, " = ", *softmax(True), " = ", self.v[f"a-{l}-{j}"]]]}

    def loss(self) -> list[dict]:
        out, v = self.last, self.v
        outputs = range(len(self.t["layers"][out]["neurons"]))
        mse = self.t["loss"]["function"] == "mse"
        tasks = [self.loss_term(out, j, mse) for j in outputs]
        if mse:
            squares = joined([["(", self.a(out, j, lead=True), " − ", self.target(j), ")²"] for j in outputs])
            return tasks + [{"exercise": ["L = ½ × [", *squares, "] ="],
                             "key": [["L = ½ × (", *joined([[v[f"lq-{j}"]] for j in outputs]), ") = ½ × ", v["lss"],
                                      " = ", v["loss"]]]}]
        terms = [("L", self.name(out, j)) for j in outputs]
        return tasks + [{"exercise": ["L = ", *joined([[term] for term in terms]), " ="],
                         "key": [["L = ", *joined([[factor(v[f"lt-{j}"])] for j in outputs]), " = ", v["loss"]]]}]

    def loss_term(self, out: int, j: int, mse: bool) -> dict:
        v, t = self.v, self.target(j)
        if mse:
            return {"exercise": ["(", self.a(out, j, lead=True), " − ", t, ")² ="],
                    "key": [["(", self.a(out, j, True, True), " − ", t, ")² = (", v[f"ld-{j}"], ")² = ", v[f"lq-{j}"]]]}
        name = ("L", self.name(out, j))
        if f"lc-{j}" not in v:  # softmax: −t × ln a
            def term(a):
                return [name, " = −", t, " × ln(", a, ")"]
            return {"exercise": [*term(self.a(out, j)), " ="],
                    "key": [[*term(self.a(out, j, True)), " = −", t, " × ", factor(v[f"ll-{j}"]), " = ",
                             v[f"lt-{j}"]]]}

        def binary(a, b):
            return [name, " = −[", t, " × ", a, " + (1 − ", t, ") × ", b, "]"]
        a = self.a(out, j)
        return {"exercise": [*binary(["ln(", a, ")"], ["ln(1 − ", a, ")"]), " ="],
                "key": [[*binary(factor(v[f"ll-{j}"]), factor(v[f"lc-{j}"])), " = ", v[f"lt-{j}"]]]}

    def deltas(self) -> list[dict]:
        return [self.delta_task(l, j) for l in range(self.last, 0, -1)
                for j in range(len(self.t["layers"][l]["neurons"]))]

    def delta_task(self, l: int, j: int) -> dict:
        v, n, name, k = self.v, self.neuron(l, j), self.name(l, j), f"{l}-{j}"
        delta, error = ("δ", name), ["∂L/∂", ("a", name), " = "]
        rule = n["delta_rule"]
        if rule == "combined":
            return {"exercise": [delta, " = ", self.a(l, j, lead=True), " − ", self.target(j), " ="],
                    "key": [[delta, " = ", self.a(l, j, True, True), " − ", self.target(j), " = ", v[f"d-{k}"]]]}
        if l == self.last:  # mean squared error: ∂L/∂a = a − t
            error_line = [*error, self.a(l, j, True, True), " − ", self.target(j), " = ", v[f"e-{k}"]]
            if rule == "jacobian":
                return self.softmax_delta(l, j, error_line)
            asked = ["(", self.a(l, j, lead=True), " − ", self.target(j), ")"]
        else:
            def weighted(key):
                return joined([[self.d(l + 1, m, key), " × ", factor(v[f"w-{l + 1}-{m}-{j}"])]
                               for m in range(len(n["error_terms"]))])
            asked = ["(", *weighted(False), ")"]
            products = joined([[factor(number(term["product"], "precise"))] for term in n["error_terms"]])
            error_line = [*error, *weighted(True), " = ", *products, " = ", v[f"e-{k}"]]
        symbol = ACTIVATIONS[self.t["layers"][l]["activation"]].symbol
        rule = RULES[n["derivative_rule"]]
        slope_line = [f"{symbol}′(", ("z", name), ") = ", rule.worked.text.format(a=v[f"a-{k}"], z=v[f"z-{k}"])]
        if not rule.constant:  # "1, as 0.2890 > 0" is its own value
            slope_line += [" = ", v[f"sp-{k}"]]
        return {"exercise": [delta, " = ", *asked, f" × {symbol}′(", self.z(l, j), ") ="],
                "key": [error_line, slope_line,
                        [delta, " = ", factor(v[f"e-{k}"]), " × ", factor(v[f"sp-{k}"]), " = ", v[f"d-{k}"]]]}

    def softmax_delta(self, l: int, j: int, error_line: list) -> dict:
        """Softmax with mean squared error: δ_j = Σ_k (a_k − t_k) × ∂a_k/∂z_j, where ∂a_j/∂z_j =
        a_j × (1 − a_j) and ∂a_k/∂z_j = −a_k × a_j."""
        v, name = self.v, self.name(l, j)
        layer = range(len(self.t["layers"][l]["neurons"]))

        def slope(k):
            return ["∂", ("a", self.name(l, k)), "/∂", ("z", name), " = "]
        a_j = self.a(l, j, True)
        key = [error_line]
        for k in layer:
            a_k = self.a(l, k, True)
            worked = [a_j, " × (1 − ", a_j, ")"] if k == j else [MINUS, a_k, " × ", a_j]
            key.append([*slope(k), *worked, " = ", v[f"j-{l}-{j}-{k}"]])
        products = joined([[factor(number(term["product"], "precise"))] for term in self.neuron(l, j)["jacobian_terms"]])
        key.append([("δ", name), " = ", *joined([[factor(v[f"e-{l}-{k}"]), " × ", factor(v[f"j-{l}-{j}-{k}"])]
                                                 for k in layer]), " = ", *products, " = ", v[f"d-{l}-{j}"]])
        asked = joined([["(", self.a(l, k, lead=True), " − ", self.target(k), ") × ", *slope(k)[:-1]] for k in layer])
        return {"exercise": [("δ", name), " = ", *asked, " ="], "key": key}

    def weights(self) -> list[dict]:
        tasks = []
        for l in range(1, self.count):
            for j, n in enumerate(self.t["layers"][l]["neurons"]):
                for i in range(len(n["terms"])):
                    tasks.append(self.update_task(l, j, f"w-{l}-{j}-{i}", f"{l}-{j}-{i}", "w",
                                                  f"{self.name(l - 1, i)}→{self.name(l, j)}", i))
                tasks.append(self.update_task(l, j, f"b-{l}-{j}", f"{l}-{j}", "b", self.name(l, j), None))
        return tasks

    def update_task(self, l, j, given, key, kind, label, i) -> dict:
        """new w = w − α × δ × a (a bias: no a): the gradient, then the update, then the new value."""
        v = self.v
        old, rate = v[given], v["lr"]

        def formula(key_):
            return [old, " − ", rate, " × ", self.d(l, j, key_),
                    *([" × ", self.a(l - 1, i, key_)] if i is not None else [])]
        new = ["new ", (kind, label), " = "]
        steps = [" = ", old, " − ", rate, " × ", factor(v[f"g{kind}-{key}"])] if i is not None else []
        return {"exercise": [*new, *formula(False), " ="],
                "key": [[*new, *formula(True), *steps, " = ", old, " − ", factor(v[f"u{kind}-{key}"]), " = ",
                         v[f"n{kind}-{key}"]]]}
