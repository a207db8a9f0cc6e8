"""What each step of the walk-through says: one or two plain sentences, with the numbers.

A step is (kind, l, j): ("forward", l, j) neuron j of layer l adds up and activates; ("loss", L, 0);
("backward", l, j) its δ; ("update", l, 0) the weights and biases into layer l; ("apply", L, 0)
the update applied. Numbers are written as everywhere else, by numbers.number.
"""

from __future__ import annotations

from ..activations import ACTIVATIONS, RULES
from ..losses import LOSSES
from ..notation import names
from ..notation.numbers import number, operand, rate


def caption(step: tuple[str, int, int], t: dict, updates: dict, loss_before: float | None) -> str:
    """`updates`: the trace whose updates the page shows; `loss_before`: the loss before the
    update the last step applied."""
    kind, l, j = step
    if kind == "forward":
        return forward(t, l, j)
    if kind == "loss":
        return loss(t)
    if kind == "backward":
        return backward(t, l, j)
    if kind == "update":
        return update(updates, l)
    return (f"Step applied, as the Step button does: every weight and bias now has its new value (epoch "
            f"{t['epoch']:,}). The loss was {number(loss_before, 'precise')}; with the new values it is "
            f"{number(t['loss']['total'], 'precise')}.")


def forward(t: dict, l: int, j: int) -> str:
    layer = t["layers"][l]
    n, f = layer["neurons"][j], ACTIVATIONS[layer["activation"]]
    terms = _products((x["activation"], x["weight"]) for x in n["terms"])
    z, a = number(n["sum"]), number(n["activation"])
    if f.function is None:  # softmax: e^(z − m) / Σ_k e^(z_k − m), m the layer's largest sum
        s = layer["softmax"]
        m = number(s["shift"])
        out = (f"Softmax: e^({z} − {operand(s['shift'])}) = {number(s['exponentials'][j])}, where {m} is the largest "
               f"sum; divided by the sum of these over the outputs, {number(s['sum'])}: a = {a}")
    else:
        out = f"{f.symbol}({z}) = {a}"
    return (f"{_name(t, l, j)} adds {terms} = {number(n['weighted_sum'])}, plus its bias {number(n['bias'])}: "
            f"z = {z}. {out}.")


def loss(t: dict) -> str:
    record, terms, total = LOSSES[t["loss"]["function"]], t["loss"]["terms"], number(t["loss"]["total"], "precise")
    if record.key == "mse":
        squares = " + ".join(f"({number(x['predicted'])} − {operand(x['target'])})²" for x in terms)
        return (f"Mean squared error compares each output with its target: L = 0.5 × [{squares}] = 0.5 × "
                f"{operand(t['loss']['sum_squared'], 'precise')} = {total}.")
    if "log_complement" in terms[0]:
        parts = " − ".join(f"[{number(x['target'])} × ({number(x['log_predicted'], 'precise')}) + (1 − "
                           f"{operand(x['target'])}) × ({number(x['log_complement'], 'precise')})]" for x in terms)
        return (f"Binary cross-entropy adds −[t × ln(o) + (1 − t) × ln(1 − o)] over the outputs: "
                f"L = −{parts} = {total}.")
    parts = " + ".join(f"{(operand if k else number)(x['target'])} × ({number(x['log_predicted'], 'precise')})"
                       for k, x in enumerate(terms))
    return f"Cross-entropy adds −t × ln(o) over the outputs: L = −[{parts}] = {total}."


def backward(t: dict, l: int, j: int) -> str:
    layer = t["layers"][l]
    n, f = layer["neurons"][j], ACTIVATIONS[layer["activation"]]
    name, a, d = _name(t, l, j), number(n["activation"]), number(n["delta"], "precise")
    target = operand(t["loss"]["terms"][j]["target"]) if l == len(t["sizes"]) - 1 else ""
    if n["delta_rule"] == "combined":
        return (f"With {LOSSES[t['loss']['function']].name.lower()} and {f.name} outputs, {name}'s δ is simply "
                f"output minus target: δ = {a} − {target} = {d}.")
    e = number(n["error"], "precise")
    if n["error_terms"]:
        terms = _products(((x["delta"], x["weight"]) for x in n["error_terms"]), "precise")
        first = f"{name} gathers the δ of each neuron it feeds, times the weight between: ∂L/∂a = {terms} = {e}."
    else:
        first = f"{name}'s error is its output minus its target: ∂L/∂a = {a} − {target} = {e}."
    if n["delta_rule"] == "jacobian":
        terms = _products(((x["error"], x["jacobian"]) for x in n["jacobian_terms"]), "precise")
        return f"{first} Softmax mixes the outputs, so δ = Σ ∂L/∂a_k × ∂a_k/∂z = {terms} = {d}."
    rule, slope = RULES[n["derivative_rule"]], number(n["derivative"])
    worked = rule.worked.text.format(a=a, z=number(n["sum"]))
    return (f"{first} δ = ∂L/∂a × {f.symbol}′(z) = {e} × {operand(n['derivative'])} = {d}, "
            f"where {f.symbol}′(z) = {worked if rule.constant else f'{worked} = {slope}'}.")


def update(t: dict, l: int) -> str:
    """The layer's rule, worked for the weight that changes most."""
    neurons, count = t["layers"][l]["neurons"], len(t["sizes"])
    j, i = max(((j, i) for j, n in enumerate(neurons) for i in range(len(n["terms"]))),
               key=lambda ji: abs(neurons[ji[0]]["weight_updates"][ji[1]]["gradient"]))
    u, a = neurons[j]["weight_updates"][i], t["layers"][l - 1]["neurons"][i]["activation"]
    title = ("the " if l == count - 1 else "") + names.layer_title(l, count)
    return (f"Every weight and bias into {title} moves against its gradient: new = old − α × "
            f"gradient, with α = {rate(t['learning_rate'])}. The largest, {names.weight(l, j, i, count)}: gradient "
            f"= δ × a = {number(neurons[j]['delta'], 'precise')} × {operand(a)} = "
            f"{number(u['gradient'], 'precise')}, "
            f"so {number(u['old'], 'precise')} − {operand(u['update'], 'precise')} = {number(u['new'], 'precise')}.")


def _products(pairs, first_kind: str = "value") -> str:
    """'x₀ × y₀ + x₁ × y₁ + …' (y a value), each number after an operator an operand:
    0.3000 × (−0.3000)."""
    return " + ".join(f"{(operand if k else number)(x, first_kind)} × {operand(y)}" for k, (x, y) in enumerate(pairs))


def _name(t: dict, l: int, j: int) -> str:
    return names.neuron(l, j, len(t["sizes"]))
