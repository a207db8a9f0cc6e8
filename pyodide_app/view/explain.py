"""The trace as readable text, in the page's sections, for the command line."""

from __future__ import annotations

from . import names
from .numbers import number, rate


def explain(trace: dict, targets: list[float]) -> str:
    count = len(trace["layers"])
    lines = ["Forward Calculations"]
    for l, layer in enumerate(trace["layers"][1:], start=1):
        lines.append(f"\n{names.layer_title(l, count)}")
        for j, n in enumerate(layer["neurons"]):
            terms = " + ".join(f"{number(t['activation'])} × {number(t['weight'])}" for t in n["terms"])
            lines += [f"  {names.neuron(l, j, count)}:",
                      f"    sum = {terms} + bias",
                      f"    sum = {number(n['weighted_sum'])} + {number(n['bias'])} = {number(n['sum'])}",
                      f"    σ({number(n['sum'])}) = {number(n['activation'])}"]
    loss = trace["loss"]
    lines += ["\nLoss Calculation (Mean Squared Error)",
              "  Loss = 0.5 × Σ(predicted − target)²",
              "  Loss = 0.5 × [" + " + ".join(
                  f"({number(t['predicted'])} − {number(t['target'])})²" for t in loss["terms"]) + "]",
              "  Loss = 0.5 × [" + " + ".join(f"({number(t['difference'])})²" for t in loss["terms"]) + "]",
              "  Loss = 0.5 × [" + " + ".join(number(t["squared"], "precise") for t in loss["terms"]) + "]",
              f"  Loss = 0.5 × {number(loss['sum_squared'], 'precise')} = {number(loss['total'], 'precise')}",
              "\nBackpropagation: Gradients for Each Layer"]
    for l in range(count - 1, 0, -1):
        lines.append(f"\n{names.layer_title(l, count)}")
        for j, n in enumerate(trace["layers"][l]["neurons"]):
            lines.append(f"  {names.neuron(l, j, count)}:")
            if n["error_terms"]:
                terms = " + ".join(f"({number(t['delta'], 'precise')} × {number(t['weight'])})"
                                   for t in n["error_terms"])
                lines.append(f"    error = Σ δ·w = {terms} = {number(n['error'], 'precise')}")
            else:
                lines.append(f"    error = predicted − target = {number(n['activation'])} − "
                             f"{number(targets[j])} = {number(n['error'], 'precise')}")
            a = number(n["activation"])
            lines += [f"    σ'(sum) = {a} × (1 − {a}) = {number(n['sigmoid_prime'])}",
                      f"    δ = {number(n['error'], 'precise')} × {number(n['sigmoid_prime'])} = "
                      f"{number(n['delta'], 'precise')}"]
    lines += [f"\nWeight Updates (learning rate α = {rate(trace['learning_rate'])})"]
    for l, layer in enumerate(trace["layers"][1:], start=1):
        for j, n in enumerate(layer["neurons"]):
            for i, u in enumerate(n["weight_updates"]):
                lines.append(f"  {names.weight(l, j, i, count)}: " + _update(u))
            lines.append(f"  {names.bias(l, j, count)}: " + _update(n["bias_update"]))
    return "\n".join(lines)


def _update(u: dict) -> str:
    return (f"{number(u['old'], 'precise')} − {number(u['update'], 'precise')} = {number(u['new'], 'precise')}"
            f"  (gradient {number(u['gradient'], 'precise')})")
