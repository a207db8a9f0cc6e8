"""Every worked line of a network, described once: what it equates, with which numbers.

`Lines(t)` holds the lines of a trace's structure (sizes, functions, loss, the case of each
derivative and δ rule) as chains of formula trees (notation/expressions.py): lhs = stage =
… = result. The records supply their own parts (an activation's a = f(z) and f′, a loss's
∂L/∂a and its worked loss, a δ rule); the rest (sums, updates) is the network's own. The
page, `explain`, the walk's captions, the worksheet, Show how and the selection's chain rule
write these chains (cards.py chooses their decimals); none writes a worked line of its own.

A number is Num(key, kind), its key as the page's (view/page.py): a-l-j, z-l-j, w-l-j-i, …;
`values(t, step, keys)` reads them from a trace (`step`: the trace of the step whose updates
are shown, for sa-, sd-, and the update's gw-, uw-, ow-, nw-). Numbers only the worksheet's
key writes: p-l-j-i (a × w), q-l-j-k (δ × w), jq-l-j-k (∂L/∂a × ∂a/∂z).

On data, a gradient is the mean over the batch (trace.py): ∂L/∂w = (Σ_s δ_s × a_s) / n. The
worked weight's lines then add the batch's shares up (bc-k, each sample's δ × a; bs-l-j-i their
sum; blc-k, bls-… the largest gradient's), all where the page lists them all; any other
weight's line names the mean. The batch's loss is worked alike: each sample's loss (lossb-k)
added up (lossb-sum), divided by n (lossb-mean)."""

from __future__ import annotations

from ..activations import ACTIVATIONS, RULES
from ..losses import DELTA_RULES, ERROR_SYMBOL, LOSSES
from ..notation import names
from ..notation.expressions import (Call, Chain, Const, Diff, Expr, Num, Over, Partial, Product, Quotient, Sum, Sym,
                                   bind, plus)
from ..notation.writing import text, tokens
from .reading import reader

BATCH_LISTED = 10  # as trace.BATCH_LISTED: the shares of a batch listed one by one
UPDATE_FIELDS = {"g": "gradient", "u": "update", "o": "old", "n": "new"}


class Lines:
    def __init__(self, t: dict):
        self.sizes = t["sizes"]
        self.count = len(self.sizes)
        self.last = self.count - 1
        self.functions = [None] + [ACTIVATIONS[layer["activation"]] for layer in t["layers"][1:]]
        self.loss = LOSSES[t["loss"]["function"]]
        self.work = self.loss.worked(t["activations"][-1])
        self.term_fields = set(t["loss"]["terms"][0])
        self.slope_rules = [[]] + [[n["derivative_rule"] for n in layer["neurons"]] for layer in t["layers"][1:]]
        self.delta_rule = t["layers"][-1]["neurons"][0]["delta_rule"]
        self.batch = t.get("batch_size", 0)  # the samples of the batch whose mean the updates take; 0: one sample
        self.inputs, self.readers = names.inputs_of(t), {}  # input neurons' features; key → reader (trace, step)
        self.kinds: dict[str, str] = {}

    # ---- numbers --------------------------------------------------------------------------------

    def num(self, key: str, kind: str, *where) -> Num:
        """`where`: ("layer", l, j, field, *deeper) in the trace, or ("step", …) in the step shown, or ("loss", …)."""
        if key not in self.readers:
            self.readers[key], self.kinds[key] = reader(where), kind
        return Num(key, kind)

    def a(self, l: int, j: int) -> Num:
        return self.num(f"a-{l}-{j}", "value", "layer", l, j, "activation")

    def z(self, l: int, j: int) -> Num:
        return self.num(f"z-{l}-{j}", "value", "layer", l, j, "sum")

    def w(self, l: int, j: int, i: int) -> Num:
        return self.num(f"w-{l}-{j}-{i}", "weight", "layer", l, j, "terms", i, "weight")

    def b(self, l: int, j: int) -> Num:
        return self.num(f"b-{l}-{j}", "value", "layer", l, j, "bias")

    def t(self, j: int) -> Num:
        return self.num(f"t-{j}", "value", "loss", "terms", j, "target")

    def e(self, l: int, j: int) -> Num:
        return self.num(f"e-{l}-{j}", "precise", "layer", l, j, "error")

    def d(self, l: int, j: int) -> Num:
        return self.num(f"d-{l}-{j}", "precise", "layer", l, j, "delta")

    def step_number(self, key: str, kind: str, l: int, j: int, *field) -> Num:
        return self.num(key, kind, "step", l, j, *field)

    def update(self, kind: str, l: int, j: int, i: int | None) -> Num:
        """gw-, uw-, ow-, nw-l-j-i of a weight (i) or gb-, … of a bias (None), in the step shown;
        the old value with 4 decimals or more, as a weight or a bias is."""
        field = ("weight_updates", i) if i is not None else ("bias_update",)
        key = f"{kind}{'w' if i is not None else 'b'}-{l}-{j}" + (f"-{i}" if i is not None else "")
        return self.step_number(key, "value" if kind == "o" else "precise", l, j, *field, UPDATE_FIELDS[kind])

    def rate(self) -> Num:
        return self.num("lr", "rate", "rate")

    def name(self, l: int, j: int) -> str:
        return names.neuron(l, j, self.count, self.inputs)

    def neurons(self, l: int) -> range:
        return range(self.sizes[l])

    # ---- forward --------------------------------------------------------------------------------

    def forward_sum(self, l: int, j: int) -> Chain:
        """z = a × w + … + b (= the products + b, on a worksheet's key) = Σ a × w + b = z"""
        b = self.b(l, j)
        products = [self.num(f"p-{l}-{j}-{i}", "value", "layer", l, j, "terms", i, "product") for i in self.neurons(l - 1)]
        return Chain(Sym("z", self.name(l, j)),
                     (plus(*(Product(self.a(l - 1, i), self.w(l, j, i)) for i in self.neurons(l - 1)), b),
                      plus(*products, b),
                      Sum((self.num(f"s-{l}-{j}", "value", "layer", l, j, "weighted_sum"), b))),
                     self.z(l, j), breaks=frozenset({2}), detail=frozenset({1}))

    def activation(self, l: int, j: int) -> Chain:
        f = self.functions[l]
        stage = bind(f.worked, {"z": self.z(l, j)}, [{"z": self.z(l, k)} for k in self.neurons(l)])
        return Chain(Sym("a", self.name(l, j)), (stage,), self.a(l, j))

    # ---- loss -----------------------------------------------------------------------------------

    def loss_field(self, field: str, j: int | None = None) -> Num:
        key, kind = self.work.keys[field]
        if j is None:
            return self.num(key, kind, "loss", field)
        return self.num(f"{key}-{j}", kind, "loss", "terms", j, field)

    def output_slots(self, j: int) -> dict[str, Expr]:
        out = {"a": self.a(self.last, j), "t": self.t(j)}
        return out | {field: self.loss_field(field, j) for field in self.work.keys if field in self.term_fields}

    def loss_lines(self) -> list[Chain]:
        """Each output's term where the loss works them out one by one, then L itself."""
        work, outputs = self.work, range(self.sizes[-1])
        lines = [Chain(Sym(work.term_symbol, self.name(self.last, j), named=True) if work.term_symbol else None,
                       tuple(bind(stage, self.output_slots(j)) for stage in work.term),
                       self.loss_field(work.term_result, j)) for j in outputs if work.term]
        totals = {field: self.loss_field(field) for field in work.keys if field not in self.term_fields}
        each = [self.output_slots(j) for j in outputs]
        return lines + [Chain(Sym("L"), tuple(bind(stage, totals, each) for stage in work.total),
                              totals[work.total_result])]

    def batch_loss_lines(self) -> list[Chain]:
        """The batch's mean loss L_B: its samples' losses added up (when the page lists them
        all), then divided by the batch's size."""
        total = self.num("lossb-sum", "precise", "batch_loss", "sum")
        listed = [self.num(f"lossb-{k}", "precise", "batch_loss", "losses", k) for k in range(self.batch)] \
            if self.batch <= BATCH_LISTED else []
        each = Over("s", Sym("L", index="s"))
        lines = [Chain(each, (plus(*listed),), total)] if len(listed) > 1 else []
        return lines + [Chain(Sym("L", index="B"), (Quotient(each, Sym("n")), Quotient(total, Const(str(self.batch)))),
                              self.num("lossb-mean", "precise", "batch_loss", "mean"))]

    # ---- backpropagation ------------------------------------------------------------------------

    def error(self, l: int, j: int) -> Chain:
        """∂L/∂a: from the loss for an output, else Σ δ × w over the neurons it feeds."""
        lhs = Partial(Sym("L"), Sym("a", self.name(l, j)))
        if l == self.last:
            stages = (bind(self.loss.error, {"a": Sym("a"), "t": Sym("t")}),
                      bind(self.loss.error, {"a": self.a(l, j), "t": self.t(j)}))
            return Chain(lhs, stages, self.e(l, j))
        later = self.neurons(l + 1)
        products = [self.num(f"q-{l}-{j}-{k}", "precise", "layer", l, j, "error_terms", k, "product") for k in later]
        return Chain(lhs, (Over("k", Product(Sym("δ", index="k"), Sym("w", index="kj"))),
                           plus(*(Product(self.d(l + 1, k), self.w(l + 1, k, j)) for k in later)), plus(*products)),
                     self.e(l, j), detail=frozenset({2}))

    def slopes(self, l: int, j: int) -> list[Chain]:
        """f′(z) worked out (a constant one as its case: "1, as 0.7200 > 0"); for a layer the
        function mixes, ∂a_k/∂z_j for every k."""
        f = self.functions[l]
        if f.mixes_layer:
            same, other = f.jacobian
            return [Chain(Partial(Sym("a", self.name(l, k), named=True), Sym("z", self.name(l, j), named=True)),
                          (bind(same if k == j else other, {"a": self.a(l, j), "other": self.a(l, k)}),),
                          self.num(f"j-{l}-{j}-{k}", "precise", "layer", l, j, "jacobian_terms", k, "jacobian"))
                    for k in self.neurons(l)]
        rule = RULES[self.slope_rules[l][j]]
        stage = bind(rule.worked, {"a": self.a(l, j), "z": self.z(l, j)})
        slope = None if rule.constant else self.num(f"sp-{l}-{j}", "value", "layer", l, j, "derivative")
        return [Chain(self.slope_symbol(l, j), (stage,), slope)]

    def slope_symbol(self, l: int, j: int) -> Expr:
        return Call(self.functions[l].symbol, Sym("z", self.name(l, j)), prime=True)

    def delta(self, l: int, j: int) -> Chain:
        rule = self.delta_rule if l == self.last else "chain"
        worked, lhs = DELTA_RULES[rule].worked, Sym("δ", self.name(l, j))
        if rule == "combined":
            stages = (bind(worked, {"a": Sym("a"), "t": Sym("t")}), bind(worked, {"a": self.a(l, j), "t": self.t(j)}))
        elif rule == "jacobian":
            k_terms = [{"error": self.e(l, k), "jacobian": self.num(f"j-{l}-{j}-{k}", "precise", "layer", l, j,
                                                                      "jacobian_terms", k, "jacobian")}
                       for k in self.neurons(l)]
            products = [self.num(f"jq-{l}-{j}-{k}", "precise", "layer", l, j, "jacobian_terms", k, "product")
                        for k in self.neurons(l)]
            symbols = Over("k", Product(Partial(Sym("L"), Sym("a", index="k")),
                                        Partial(Sym("a", index="k"), Sym("z", index="j"))))
            return Chain(lhs, (symbols, bind(worked, {}, k_terms), plus(*products)), self.d(l, j),
                         detail=frozenset({2}))
        else:
            slope = self.num(f"sp-{l}-{j}", "value", "layer", l, j, "derivative")
            stages = (bind(worked, {"error": ERROR_SYMBOL, "slope": self.slope_symbol(l, j)}),
                      bind(worked, {"error": self.e(l, j), "slope": slope}))
        return Chain(lhs, stages, self.d(l, j))

    def backward(self, l: int, j: int) -> list[Chain]:
        """A neuron's δ card: ∂L/∂a, the slope and δ; δ alone where loss and function combine."""
        if l == self.last and self.delta_rule == "combined":
            return [self.delta(l, j)]
        return [self.error(l, j), *self.slopes(l, j), self.delta(l, j)]

    # ---- updates --------------------------------------------------------------------------------

    def batch_mean(self, i: int | None) -> Expr:
        """(Σ_s δ_s × a_s) / n, a bias's (Σ_s δ_s) / n: the mean over the batch, in symbols."""
        share = Product(Sym("δ", index="s"), Sym("a", index="s")) if i is not None else Sym("δ", index="s")
        return Quotient(Over("s", share), Sym("n"))

    def batch_lines(self, l: int, j: int, i: int, largest: bool = False) -> list[Chain]:
        """The worked weight's (`largest`: the largest gradient's) gradient on a batch: its
        shares added up (when the page lists them all), then divided by the batch's size."""
        where, x = (("batch", "largest"), "l") if largest else (("batch",), "")
        total = self.num(f"b{x}s-{l}-{j}-{i}", "precise", *where, "sum")
        listed = self.batch <= BATCH_LISTED
        shares = [self.num(f"b{x}c-{k}", "precise", *where, "shares", k) for k in range(self.batch)] if listed else []
        lines = [Chain(Over("s", Product(Sym("δ", index="s"), Sym("a", index="s"))), (plus(*shares),), total)] \
            if len(shares) > 1 else []
        n = Const(str(self.batch))
        return lines + [Chain(Partial(Sym("L"), Sym("w")), (self.batch_mean(i), Quotient(total, n)),
                              self.update("g", l, j, i))]

    def batch_shares(self) -> list[Chain]:
        """Each listed sample's share of the largest gradient: δ_j × a_i = share (the walk's table)."""
        return [Chain(None, (Product(self.num(f"bld-{k}", "precise", "batch", "largest", "deltas", k),
                                     self.num(f"bla-{k}", "value", "batch", "largest", "inputs", k)),),
                      self.num(f"blc-{k}", "precise", "batch", "largest", "shares", k))
                for k in range(min(self.batch, BATCH_LISTED))]

    def gradient(self, l: int, j: int, i: int | None) -> Chain:
        """gradient = δ × a (a bias's: δ), of the step shown; on a batch, the mean of these."""
        g = self.update("g", l, j, i)
        if self.batch:
            return Chain(Partial(Sym("L"), Sym("w" if i is not None else "b")), (self.batch_mean(i),), g)
        d = self.step_number(f"sd-{l}-{j}", "precise", l, j, "delta")
        if i is None:
            return Chain(Partial(Sym("L"), Sym("b")), (Sym("δ", self.name(l, j)), d), g)
        a = self.step_number(f"sa-{l - 1}-{i}", "value", l - 1, i, "activation")
        return Chain(Partial(Sym("L"), Sym("w")), (Product(Sym("δ", self.name(l, j)), Sym("a", self.name(l - 1, i))),
                                                  Product(d, a)), g)

    def step_size(self, l: int, j: int, i: int | None) -> Chain:
        """update = α × gradient"""
        return Chain(Sym("update"), (Product(Sym("α"), Sym("gradient")), Product(self.rate(), self.update("g", l, j, i))),
                     self.update("u", l, j, i))

    def new_value(self, l: int, j: int, i: int | None, worked: bool = False) -> Chain:
        """new = old − update; `worked`: w − α × ∂L/∂w first, then old − α × gradient (and old −
        α × δ × a before it, on a worksheet's key)."""
        x = "w" if i is not None else "b"
        old, g = self.update("o", l, j, i), self.update("g", l, j, i)
        stages = [Diff(old, self.update("u", l, j, i))]
        if self.batch and worked:  # no one sample's δ × a: the mean of the batch's
            stages = [Diff(Sym(x), Product(Sym("α"), Partial(Sym("L"), Sym(x)))), Diff(old, Product(self.rate(), g)),
                      *stages]
            return Chain(Sym(x, "new", named=True), tuple(stages), self.update("n", l, j, i))
        if not worked:
            return Chain(Sym(x, "new", named=True), tuple(stages), self.update("n", l, j, i))
        d = self.step_number(f"sd-{l}-{j}", "precise", l, j, "delta")
        gradient = Product(d, self.step_number(f"sa-{l - 1}-{i}", "value", l - 1, i, "activation")) \
            if i is not None else d
        stages = [Diff(Sym(x), Product(Sym("α"), Partial(Sym("L"), Sym(x)))),
                  Diff(old, Product(self.rate(), gradient)), Diff(old, Product(self.rate(), g)), *stages]
        return Chain(Sym(x, "new", named=True), tuple(stages), self.update("n", l, j, i), detail=frozenset({1}))


def symbols(expr: Expr, a: str = "output", t: str = "target") -> str:
    """A record's formula of an output (a loss's ∂L/∂a) in symbols: output − target, a − t."""
    return text(tokens(bind(expr, {"a": Sym(a), "t": Sym(t)})), None)


def values(lines: Lines, t: dict, step: dict | None, keys) -> dict[str, float]:
    """{key: its value} for these keys, from the trace (and the step shown); HIDDEN stays."""
    step = step or t
    readers = lines.readers
    return {key: readers[key](t, step) for key in keys}
