"""What each step of the walk-through says: a plain sentence and the step's worked lines.

A step is (kind, l, j): ("forward", l, j) neuron j of layer l adds up and activates; ("loss", L, 0);
("backward", l, j) its δ; on data, ("batch", L, 0) the other samples' shares of the largest
gradient, as a table, and ("mean", L, 0) their mean and the update it makes; ("update", l, 0)
the weights and biases into layer l; ("apply", L, 0) the update applied. The lines are the
page's own (cards.py), with the decimals the page shows.
"""

from __future__ import annotations

from ..activations import ACTIVATIONS
from ..losses import LOSSES
from ..notation import names
from ..notation.numbers import number, rate
from .cards import Written, cards
from ..translation import _


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
    if kind == "batch":
        return batch(updates)
    if kind == "mean":
        return mean(updates)
    if kind == "update":
        return update(updates, l)
    return (_("Step applied, as the Step button does: every weight and bias now has its new value (epoch %(epoch)s), "
              "and the loss curve has its new point. The loss was %(before)s; with the new values it is %(after)s. "
              "Next training step walks through the next one; Previous takes this one back.")
            % {"epoch": f"{t['epoch']:,}", "before": number(loss_before, 'precise'),
               "after": number(t['loss']['total'], 'precise')})


def _said(card, t: dict, step: dict | None = None) -> str:
    w = Written(card, t, step)
    return "; ".join(w.text(chain) for chain in card.chains)


def forward(t: dict, l: int, j: int) -> str:
    return (_("%(name)s adds its inputs times their weights, and its bias, then applies its activation: %(said)s.")
            % {"name": _name(t, l, j), "said": _said(cards(t).forward[l][j], t)})


def loss(t: dict) -> str:
    return (_("The loss, %(loss)s, compares the outputs with their targets: %(said)s.")
            % {"loss": LOSSES[t['loss']['function']].name.lower(), "said": _said(cards(t).loss, t)})


def backward(t: dict, l: int, j: int) -> str:
    name, last = _name(t, l, j), len(t["sizes"]) - 1
    if t["layers"][l]["neurons"][j]["delta_rule"] == "combined":
        how = (_("With %(loss)s, %(name)s's δ is simply output minus target")
               % {"loss": LOSSES[t['loss']['function']].name.lower(), "name": name})
    elif l == last and ACTIVATIONS[t["layers"][l]["activation"]].mixes_layer:
        how = (_("%(name)s's ∂L/∂a comes from the loss; %(activation)s mixes the outputs, so its δ gathers ∂L/∂a of "
                 "every output times ∂a/∂z")
               % {"name": name, "activation": ACTIVATIONS[t['layers'][l]['activation']].name})
    elif l == last:
        how = _("%(name)s's ∂L/∂a comes from the loss, and its δ is ∂L/∂a times its activation's slope") % {"name": name}
    else:
        how = _("%(name)s gathers the δ of each neuron it feeds, times the weight between, for its δ") % {"name": name}
    return f"{how}: {_said(cards(t).backprop[l][j], t)}."


def largest(t: dict, l: int) -> tuple[int, int]:
    """(j, i) of the weight into layer l whose gradient is largest: the one its update step works."""
    neurons = t["layers"][l]["neurons"]
    return max(((j, i) for j, n in enumerate(neurons) for i in range(len(n["terms"]))),
               key=lambda ji: abs(neurons[ji[0]]["weight_updates"][ji[1]]["gradient"]))


def update(t: dict, l: int) -> str:
    """The layer's rule, worked for the weight that changes most; the page lights the layer's rows
    of the table of every weight and bias, that weight's in bold."""
    count = len(t["sizes"])
    j, i = largest(t, l)
    title = ("the " if l == count - 1 else "") + names.layer_title(l, count)
    card = cards(t).extra(f"g{l}-{j}-{i}", lambda lines: [lines.gradient(l, j, i), lines.new_value(l, j, i)])
    row = f"{names.neuron(l - 1, i, count)} → {names.neuron(l, j, count)}"
    return (_("Every weight and bias into %(title)s moves against its gradient: new = old − α × gradient, with α = "
              "%(rate)s. Their rows of the table are lit; the largest change, %(row)s, is in bold: %(said)s.")
            % {"title": title, "rate": rate(t['learning_rate']), "row": row, "said": _said(card, t, t)})


def _name(t: dict, l: int, j: int) -> str:
    return names.neuron(l, j, len(t["sizes"]), names.inputs_of(t))


# ---- a batch: the other samples' shares of the largest gradient, their mean --------------------------

def batch_card(updates: dict):
    """The table's lines (each sample's δ × a), their sum and mean, the update: one card, so a
    number shows the same digits in the table and in the mean."""
    l, j, i = updates["batch"]["largest"]["weight"]
    return cards(updates).extra(f"bw{l}-{j}-{i}", lambda lines: [
        *lines.batch_shares(), *lines.batch_lines(l, j, i, largest=True), lines.step_size(l, j, i),
        lines.new_value(l, j, i)])


def _weight(updates: dict) -> str:
    l, j, i = updates["batch"]["largest"]["weight"]
    return f"{_name(updates, l - 1, i)} → {_name(updates, l, j)}"


def batch(updates: dict) -> str:
    """The other samples of the batch, told by their shares of the largest gradient (the table)."""
    size, listed = updates["batch_size"], len(updates["batch"]["largest"]["shares"])
    l, j, i = updates["batch"]["largest"]["weight"]
    card = batch_card(updates)
    w = Written(card, updates, updates)
    share = (_("The weight %(weight)s has the largest gradient: its share from a sample is that sample's δ of "
               "%(neuron)s times its a of %(source)s.")
             % {"weight": _weight(updates), "neuron": _name(updates, l, j), "source": _name(updates, l - 1, i)})
    if size == 1:
        return (_("This batch has one sample, so there are no others: its share δ × a of each weight's gradient is "
                  "the whole gradient. %(share)s The table shows it.")
                % {"share": share})
    listing = (_("The table lists the share of each of the %(size)s samples") % {"size": size} if listed == size else
               _("The table lists the shares of the first %(listed)s of the %(size)s samples, and … stands for the "
                 "rest")
               % {"listed": listed, "size": f'{size:,}'})
    # the sum is a line then
    added = _("; added up, %(sum)s") % {"sum": w.text(card.chains[listed])} if size == listed else ""
    return (_("The other samples of the batch go forward and back the same way, each with its own δs, and each gives "
              "every weight a share δ × a of its gradient. %(share)s %(listing)s%(added)s.")
            % {"share": share, "listing": listing, "added": added})


def table(updates: dict) -> dict:
    """The batch step's table: each listed sample's point, δ, a and δ × a, as its caption says
    them; a last row of … when the batch has more samples than listed."""
    largest, size = updates["batch"]["largest"], updates["batch_size"]
    l, j, i = largest["weight"]
    card = batch_card(updates)
    w = Written(card, updates, updates)
    rows = []
    for k, chain in enumerate(card.chains[:len(largest["shares"])]):
        delta, a = chain.stages[0].left, chain.stages[0].right
        rows.append([f"{largest['indices'][k] + 1:,}", w.number(delta), w.number(a), w.number(chain.result)])
    if size > len(rows):
        rows.append(["…"] * 4)
    return {"caption": _("Each sample's share of the gradient of the weight %(weight)s") % {"weight": _weight(updates)},
            "head": [_("Point"), _("δ of %(neuron)s") % {"neuron": _name(updates, l, j)},
                     _("a of %(neuron)s") % {"neuron": _name(updates, l - 1, i)}, "δ × a"],
            "rows": rows}


def mean(updates: dict) -> str:
    card = batch_card(updates)
    w = Written(card, updates, updates)
    *_shares, gradient, step_size, new = (w.text(chain) for chain in card.chains)  # the card ends with these three
    return (_("The batch's gradient for the weight %(weight)s is the mean of the shares: %(gradient)s. Every "
              "weight's gradient is such a mean, and the update uses it as it used one sample's gradient: "
              "%(step_size)s; %(new)s.")
            % {"weight": _weight(updates), "gradient": gradient, "step_size": step_size, "new": new})
