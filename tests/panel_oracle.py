"""What the page must show for any network, computed by the numpy oracle and written with
the page's one set of number-formatting rules (every data-v text, keyed as the page keys it)."""

from __future__ import annotations

import numpy as np

import oracle
from operands import with_operands
from pyodide_app.notation.numbers import number, rate
from pyodide_app.view.page import UPDATES_NEXT

COMBINED = {("cross_entropy", "sigmoid"), ("cross_entropy", "softmax")}  # δ = o − t: no ∂L/∂a shown


def expected_texts(data: dict, shown_everywhere: bool = False) -> dict[str, str]:
    """Every data-v text for the saved state `data` (format 2), before any Step.
    `shown_everywhere`: also the slopes the page leaves out where δ = o − t (as the view has them)."""
    net = oracle.Net.from_data(data)
    inputs, targets, lr = data["inputs"], data["targets"], data["learning_rate"]
    p = oracle.full_pass(net, inputs, targets)
    L = len(net.weights)
    output = net.activations[-1]
    out = {"lr": rate(lr), "epoch": f"{data['epoch']:,}", "loss": number(p.loss, "precise"),
           "updates-when": UPDATES_NEXT}
    z_out, o = p.sums[L], p.activations[L]
    for j, t in enumerate(targets):
        out[f"t-{j}"] = number(t)
        if net.loss == "mse":
            out[f"ld-{j}"] = number(o[j] - t)
            out[f"lq-{j}"] = number((o[j] - t) ** 2, "precise")
        elif output == "softmax":
            log_o = z_out[j] - np.logaddexp.reduce(z_out)
            out[f"ll-{j}"] = number(log_o, "precise")
            out[f"lt-{j}"] = number(-t * log_o, "precise")
        else:
            log_o, log_c = -np.logaddexp(0.0, -z_out[j]), -np.logaddexp(0.0, z_out[j])
            out[f"ll-{j}"] = number(log_o, "precise")
            out[f"lc-{j}"] = number(log_c, "precise")
            out[f"lt-{j}"] = number(-(t * log_o + (1 - t) * log_c), "precise")
    if net.loss == "mse":
        out["lss"] = number(2 * p.loss, "precise")
    for l, acts in enumerate(p.activations):
        for j, a in enumerate(acts):
            out[f"a-{l}-{j}"] = number(a)
    for l in range(1, L + 1):
        w, b, kind = net.weights[l - 1], net.biases[l - 1], net.activations[l - 1]
        J = oracle.jacobian(kind, p.sums[l], p.activations[l])
        weighted = w @ p.activations[l - 1]
        for j in range(len(b)):
            k = f"{l}-{j}"
            out.update({f"z-{k}": number(p.sums[l][j]), f"s-{k}": number(weighted[j]), f"b-{k}": number(b[j]),
                        f"sp-{k}": number(J[j, j]), f"d-{k}": number(p.deltas[l][j], "precise")})
            if not (l == L and (net.loss, output) in COMBINED):
                out[f"e-{k}"] = number(p.errors[l][j], "precise")
            elif not shown_everywhere:
                del out[f"sp-{k}"]  # the page writes δ = o − t there, without the slope
            if l == L and kind == "softmax" and net.loss == "mse":
                for m in range(len(b)):
                    out[f"j-{k}-{m}"] = number(J[m, j], "precise")
            for i in range(w.shape[1]):
                out[f"w-{k}-{i}"] = number(w[j, i])
                _update(out, f"w-{k}-{i}", w[j, i], p.weight_gradients[l - 1][j, i], lr)
            _update(out, f"b-{k}", b[j], p.bias_gradients[l - 1][j], lr)
    # the worked update, of the first weight into the first output: gradient = δ × a
    out[f"sd-{L}-0"], out[f"sa-{L - 1}-0"] = number(p.deltas[L][0], "precise"), number(p.activations[L - 1][0])
    sizes = [len(inputs)] + [len(b) for b in net.biases]
    return with_operands(out, sizes, net.loss, net.activations)


def _update(out: dict, key: str, old: float, gradient: float, lr: float) -> None:
    kind, rest = key.split("-", 1)
    out[f"o{kind}-{rest}"] = number(old, "precise")
    out[f"g{kind}-{rest}"] = number(gradient, "precise")
    out[f"u{kind}-{rest}"] = number(lr * gradient, "precise")
    out[f"n{kind}-{rest}"] = number(old - lr * gradient, "precise")
