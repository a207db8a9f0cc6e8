"""What the page must show for any network, computed by the numpy oracle and written with
the page's one set of number-formatting rules (every data-v text, keyed as the page keys it)."""

from __future__ import annotations

import numpy as np

import oracle
from operands import with_operands
from pyodide_app.notation.numbers import rate
from shown import Expected
from pyodide_app.view.page import UPDATES_NEXT

COMBINED = {("cross_entropy", "sigmoid"), ("cross_entropy", "softmax")}  # δ = o − t: no ∂L/∂a shown


def expected_texts(data: dict, shown_everywhere: bool = False) -> Expected:
    """Every data-v text for the saved state `data` (format 2), before any Step.
    `shown_everywhere`: also the slopes the page leaves out where δ = o − t (as the view has them)."""
    net = oracle.Net.from_data(data)
    inputs, targets, lr = data["inputs"], data["targets"], data["learning_rate"]
    p = oracle.full_pass(net, inputs, targets)
    L = len(net.weights)
    output = net.activations[-1]
    out = Expected({"lr": rate(lr), "epoch": f"{data['epoch']:,}", "updates-when": UPDATES_NEXT})
    out.put("loss", p.loss, "precise")
    z_out, o = p.sums[L], p.activations[L]
    for j, t in enumerate(targets):
        out.put(f"t-{j}", t)
        if net.loss == "mse":
            out.put(f"ld-{j}", o[j] - t)
            out.put(f"lq-{j}", (o[j] - t) ** 2, "precise")
        elif output == "softmax":
            log_o = z_out[j] - np.logaddexp.reduce(z_out)
            out.put(f"ll-{j}", log_o, "precise")
            out.put(f"lt-{j}", -t * log_o, "precise")
        else:
            log_o, log_c = -np.logaddexp(0.0, -z_out[j]), -np.logaddexp(0.0, z_out[j])
            out.put(f"ll-{j}", log_o, "precise")
            out.put(f"lc-{j}", log_c, "precise")
            out.put(f"lt-{j}", -(t * log_o + (1 - t) * log_c), "precise")
    if net.loss == "mse":
        out.put("lss", 2 * p.loss, "precise")
    for l, acts in enumerate(p.activations):
        for j, a in enumerate(acts):
            out.put(f"a-{l}-{j}", a)
    for l in range(1, L + 1):
        w, b, kind = net.weights[l - 1], net.biases[l - 1], net.activations[l - 1]
        J = oracle.jacobian(kind, p.sums[l], p.activations[l])
        weighted = w @ p.activations[l - 1]
        for j in range(len(b)):
            k = f"{l}-{j}"
            for key, x, precision in ((f"z-{k}", p.sums[l][j], "value"), (f"s-{k}", weighted[j], "value"),
                                      (f"b-{k}", b[j], "value"), (f"sp-{k}", J[j, j], "value"),
                                      (f"d-{k}", p.deltas[l][j], "precise")):
                out.put(key, x, precision)
            if not (l == L and (net.loss, output) in COMBINED):
                out.put(f"e-{k}", p.errors[l][j], "precise")
            elif not shown_everywhere:
                del out[f"sp-{k}"]  # the page writes δ = o − t there, without the slope
            if l == L and kind == "softmax" and net.loss == "mse":
                for m in range(len(b)):
                    out.put(f"j-{k}-{m}", J[m, j], "precise")
            for i in range(w.shape[1]):
                out.put(f"w-{k}-{i}", w[j, i])
                _update(out, f"w-{k}-{i}", w[j, i], p.weight_gradients[l - 1][j, i], lr)
            _update(out, f"b-{k}", b[j], p.bias_gradients[l - 1][j], lr)
    # the worked update, of the first weight into the first output: gradient = δ × a
    out.put(f"sd-{L}-0", p.deltas[L][0], "precise")
    out.put(f"sa-{L - 1}-0", p.activations[L - 1][0])
    sizes = [len(inputs)] + [len(b) for b in net.biases]
    return with_operands(out, sizes, net.loss, net.activations)


def _update(out: Expected, key: str, old: float, gradient: float, lr: float) -> None:
    kind, rest = key.split("-", 1)
    out.put(f"o{kind}-{rest}", old, "precise")
    out.numbers[f"o{kind}-{rest}"] = (float(old), "value")  # in a worked line, written as the weight it is
    out.put(f"g{kind}-{rest}", gradient, "precise")
    out.put(f"u{kind}-{rest}", lr * gradient, "precise")
    out.put(f"n{kind}-{rest}", old - lr * gradient, "precise")
