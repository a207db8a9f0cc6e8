"""Where the page writes a number after an operator, stated here apart from pyodide_app.view.page,
so the tests' expected texts do not come from the code they check.

A number after ×, + or − is parenthesised when it is negative, as textbooks write it:
0.3000 × (−0.3000). The page keys such a number "(" + its key ("(w-1-0-0"); see view/page.py.
"""

from __future__ import annotations

MINUS = "\u2212"


def parenthesised(text: str) -> str:
    """The rule, on the text of a number: in parentheses iff it shows a minus sign."""
    return f"({text})" if text.startswith(MINUS) else text


def operand_keys(sizes: list[int], loss: str, activations: list[str]) -> tuple[list[str], list[str]]:
    """(keys the formulas write after an operator, keys they write only there), for a network
    with these layer sizes, loss and activations (one per layer after the input)."""
    L, output = len(sizes) - 1, activations[-1]
    # how the output layer's δ is found: δ = o − t, through softmax's Jacobian, or δ = ∂L/∂a × f′(z)
    output_rule = "combined" if loss == "cross_entropy" else "jacobian" if output == "softmax" else "chain"
    weights = [f"w-{l}-{j}-{i}" for l in range(1, L + 1) for j in range(sizes[l]) for i in range(sizes[l - 1])]
    only = list(weights)
    keys = [f"t-{j}" for j in range(sizes[-1])]  # o − t
    if (loss, output) != ("cross_entropy", "sigmoid"):  # −[t × ln(o) + …] is the only t after no operator
        only += keys
    keys += [f"a-{l}-{i}" for l in range(L) for i in range(1, sizes[l])]  # z = a × w + a × w + …
    keys += [f"b-{l}-{j}" for l in range(1, L + 1) for j in range(sizes[l])]  # … + b
    if loss == "mse":  # L = 0.5 × [q + q + …] = 0.5 × Σ
        only += [f"lq-{j}" for j in range(1, sizes[-1])] + ["lss"]
    else:  # L = L₁ + L₂ + …
        keys += [f"lt-{j}" for j in range(1, sizes[-1])]
    slopes = [f"sp-{l}-{j}" for l in range(1, L + 1) for j in range(sizes[l])  # δ = ∂L/∂a × f′(z)
              if l < L or output_rule == "chain"]
    keys += slopes  # and f′(z) = … = the slope, unless it is a constant: "1, as 0.7200 > 0"
    only += [key for key in slopes if activations[int(key.split("-")[1]) - 1] in ("relu", "leaky_relu", "linear")]
    keys += [f"d-{l}-{j}" for l in range(2, L + 1) for j in range(1, sizes[l])]  # ∂L/∂a = δ × w + δ × w + …
    if output_rule == "jacobian":  # δ = e × ∂a/∂z + e × ∂a/∂z + …
        only += [f"j-{L}-{j}-{k}" for j in range(sizes[L]) for k in range(sizes[L])]
        keys += [f"e-{L}-{j}" for j in range(1, sizes[L])]
    keys += [f"sa-{L - 1}-0", f"gw-{L}-0-0", f"uw-{L}-0-0"]  # the worked update: δ × a, α × g, w − update
    only.append(f"sa-{L - 1}-0")
    return list(dict.fromkeys(keys + only)), only


def with_operands(texts: dict[str, str], sizes: list[int], loss: str, activations: list[str]) -> dict[str, str]:
    """`texts` (every number's plain text, by key) as the page shows them: with the operand form
    of every number written after an operator, without the plain form of those written only there."""
    keys, only = operand_keys(sizes, loss, activations)
    out = type(texts)(texts)
    for key in keys:
        out["(" + key] = parenthesised(texts[key])
    for key in only:
        del out[key]
    return out
