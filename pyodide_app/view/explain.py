"""The trace as readable text, in the page's sections, for the command line."""

from __future__ import annotations

from ..activations import ACTIVATIONS, RULES
from ..losses import LOSSES
from ..notation import names
from ..notation.numbers import number, operand, rate


def explain(trace: dict, targets: list[float]) -> str:
    count = len(trace["layers"])
    lines = ["Forward Calculations"]
    for l, layer in enumerate(trace["layers"][1:], start=1):
        f = ACTIVATIONS[layer["activation"]]
        lines.append(f"\n{names.layer_title(l, count)} ({f.name})")
        for j, n in enumerate(layer["neurons"]):
            terms = _products((t["activation"], t["weight"]) for t in n["terms"])
            lines += [f"  {names.neuron(l, j, count)}:",
                      f"    sum = {terms} + bias",
                      f"    sum = {number(n['weighted_sum'])} + {operand(n['bias'])} = {number(n['sum'])}",
                      _activation(f, layer, j, n)]
    lines += _loss(trace["loss"], trace["activations"][-1], count)
    lines.append("\nBackpropagation: Gradients for Each Layer")
    for l in range(count - 1, 0, -1):
        f = ACTIVATIONS[trace["layers"][l]["activation"]]
        lines.append(f"\n{names.layer_title(l, count)}")
        for j, n in enumerate(trace["layers"][l]["neurons"]):
            lines.append(f"  {names.neuron(l, j, count)}:")
            lines += _delta(f, n, operand(targets[j]) if l == count - 1 else "")
    lines += [f"\nWeight Updates (learning rate α = {rate(trace['learning_rate'])})"]
    for l, layer in enumerate(trace["layers"][1:], start=1):
        for j, n in enumerate(layer["neurons"]):
            for i, u in enumerate(n["weight_updates"]):
                lines.append(f"  {names.weight(l, j, i, count)}: " + _update(u))
            lines.append(f"  {names.bias(l, j, count)}: " + _update(n["bias_update"]))
    return "\n".join(lines)


def _activation(f, layer: dict, j: int, n: dict) -> str:
    if f.function is None:  # softmax: a_j = e^(z_j − m) / Σ_k e^(z_k − m), m the largest sum
        s = layer["softmax"]
        return (f"    {f.symbol}: e^(sum − {operand(s['shift'])}) / Σ = {number(s['exponentials'][j])} / "
                f"{operand(s['sum'])} = {number(n['activation'])}")
    return f"    {f.symbol}({number(n['sum'])}) = {number(n['activation'])}"


def _loss(loss: dict, output: str, count: int) -> list[str]:
    record = LOSSES[loss["function"]]
    lines = [f"\nLoss Calculation ({record.name.title()})",
             f"  {record.formula(output).text}"]
    if record.key == "mse":
        return lines + [
            "  Loss = 0.5 × [" + " + ".join(
                f"({number(t['predicted'])} − {operand(t['target'])})²" for t in loss["terms"]) + "]",
            "  Loss = 0.5 × [" + " + ".join(f"({number(t['difference'])})²" for t in loss["terms"]) + "]",
            "  Loss = 0.5 × [" + _sum(t["squared"] for t in loss["terms"]) + "]",
            f"  Loss = 0.5 × {operand(loss['sum_squared'], 'precise')} = {number(loss['total'], 'precise')}"]
    for j, t in enumerate(loss["terms"]):
        target, log_o = number(t["target"]), number(t["log_predicted"], "precise")
        if "log_complement" in t:
            log_c = number(t["log_complement"], "precise")
            worked = f"−[{target} × ({log_o}) + (1 − {operand(t['target'])}) × ({log_c})]"
        else:
            worked = f"−({target} × ({log_o}))"
        lines.append(f"  {names.neuron(count - 1, j, count)}: {worked} = {number(t['term'], 'precise')}")
    return lines + ["  Loss = " + _sum(t["term"] for t in loss["terms"]) + f" = {number(loss['total'], 'precise')}"]


def _delta(f, n: dict, target: str) -> list[str]:
    a, d = number(n["activation"]), number(n["delta"], "precise")
    if n["delta_rule"] == "combined":
        return [f"    δ = predicted − target = {a} − {target} = {d}"]
    if n["error_terms"]:
        terms = _products(((t["delta"], t["weight"]) for t in n["error_terms"]), "precise")
        lines = [f"    error = Σ δ·w = {terms} = {number(n['error'], 'precise')}"]
    else:
        lines = [f"    error = predicted − target = {a} − {target} = {number(n['error'], 'precise')}"]
    if n["delta_rule"] == "jacobian":
        terms = _products(((t["error"], t["jacobian"]) for t in n["jacobian_terms"]), "precise")
        return lines + [f"    δ = Σ error·∂a/∂sum = {terms} = {d}"]
    rule = RULES[n["derivative_rule"]]
    worked = rule.worked.text.format(a=a, z=number(n["sum"]))
    slope = worked if rule.constant else f"{worked} = {number(n['derivative'])}"
    return lines + [f"    {f.symbol}′(sum) = {slope}",
                    f"    δ = {number(n['error'], 'precise')} × {operand(n['derivative'])} = {d}"]


def _update(u: dict) -> str:
    return (f"{number(u['old'], 'precise')} − {operand(u['update'], 'precise')} = {number(u['new'], 'precise')}"
            f"  (gradient {number(u['gradient'], 'precise')})")


def _sum(values, kind: str = "precise") -> str:
    """'x₀ + x₁ + …', each term after the first an operand: 0.3400 + (−0.2000)."""
    return " + ".join((operand if i else number)(x, kind) for i, x in enumerate(values))


def _products(pairs, first_kind: str = "value") -> str:
    """'x₀ × y₀ + x₁ × y₁ + …' (y always a value), every number after an operator an operand."""
    return " + ".join(f"{(operand if i else number)(x, first_kind)} × {operand(y)}" for i, (x, y) in enumerate(pairs))
