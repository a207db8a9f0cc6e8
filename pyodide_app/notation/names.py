"""Names of layers, neurons, connections and fields, as the page and its messages use them."""

from __future__ import annotations

import re
from functools import cache

from ..translation import N_, _


def layer_title(l: int, layer_count: int) -> str:
    """layer_count counts the input layer: the seed network has 5."""
    if l == 0:
        return _("Input Layer")
    if l == layer_count - 1:
        return _("Output Layer")
    return _("Hidden Layer %(number)d") % {"number": l}


# The input neurons a dataset of the plane can feed (data/inputs.py), by their key as a state
# saves them: named so in the diagram and the formulas. Own data's columns are their own names.
FEATURES = {"x1": "x₁", "x2": "x₂", "x1_squared": "x₁²", "x2_squared": "x₂²", "x1_times_x2": "x₁x₂",
            "sin_x1": "sin x₁", "sin_x2": "sin x₂"}


def feature(key: str) -> str:
    return FEATURES.get(key, key)


@cache  # asked for on every redraw; there are only a few dozen names
def neuron(l: int, j: int, layer_count: int, inputs: tuple[str, ...] = ()) -> str:
    """`inputs`: the keys of the features the input neurons are, while the page learns from
    data (trace["input_features"]); without them, In-1, In-2 …"""
    if l == 0:
        return feature(inputs[j]) if inputs else f"In-{j + 1}"
    if l == layer_count - 1:
        return f"Out-{j + 1}"
    return f"H{l}-{j + 1}"


def weight(l: int, j: int, i: int, layer_count: int, inputs: tuple[str, ...] = ()) -> str:
    """The weight into neuron j of layer l from neuron i of layer l − 1."""
    return _("Weight %(connection)s") % {"connection": connection(l, j, i, layer_count, inputs)}


@cache  # names only, no words: the same in every language
def connection(l: int, j: int, i: int, layer_count: int, inputs: tuple[str, ...] = ()) -> str:
    """'In-1 → H1-1': the neurons a weight joins."""
    return f"{neuron(l - 1, i, layer_count, inputs)} → {neuron(l, j, layer_count)}"


# Symbols that are words (update = α × gradient, w_new, output − target): written in the
# reader's language, where one-letter symbols and neurons' names stay as they are.
WORDS = frozenset((N_("update"), N_("gradient"), N_("new"), N_("old"), N_("output"), N_("target"), N_("new w"),
                   N_("new b")))


def symbol(name: str) -> str:
    """A symbol's name as it is written: a word translated, any other as it is."""
    return _(name) if name in WORDS else name


# The words between a formula's symbols: "1, as 0.72 > 0", "z if z > 0, else 0.01 × z", "for k ≠ j".
JOINING = re.compile(r"\b(%s)\b" % "|".join((N_("as"), N_("if"), N_("else"), N_("for"))))


def joining(text: str) -> str:
    """A formula's text, or its MathML, with the words between its symbols translated."""
    return JOINING.sub(lambda word: _(word.group()), text)


def inputs_of(t: dict) -> tuple[str, ...]:
    """The feature keys of a trace's input neurons (trace["input_features"]); () for one sample."""
    return tuple(t.get("input_features") or ())


def bias(l: int, j: int, layer_count: int) -> str:
    return _("Bias %(neuron)s") % {"neuron": neuron(l, j, layer_count)}


def field_label(field: str, layer_count: int) -> str:
    """'inputs[0]' → 'Input 1', 'weights[1][2][0]' → 'Weight H1-1 → H2-3', 'activations[3]' →
    'Activation, Output Layer', as the page's fields and selects are labelled."""
    name, *indices = re.findall(r"\w+", field)
    numbers = [int(i) for i in indices if i.isdigit()]
    if name == "activations" and len(numbers) == 1:
        return _("Activation, %(layer)s") % {"layer": layer_title(numbers[0] + 1, layer_count)}
    if name == "inputs" and len(numbers) == 1:
        return _("Input %(number)d") % {"number": numbers[0] + 1}
    if name == "targets" and len(numbers) == 1:
        return _("Target %(number)d") % {"number": numbers[0] + 1}
    if name == "weights" and len(numbers) == 3:
        return weight(numbers[0] + 1, numbers[1], numbers[2], layer_count)
    if name == "biases" and len(numbers) == 2:
        return bias(numbers[0] + 1, numbers[1], layer_count)
    if name in LABELS:
        return _(LABELS[name])
    return field.replace("_", " ").capitalize()


LABELS = {"learning_rate": N_("Learning rate"), "sizes": N_("Layer sizes"), "random_seed": N_("Random seed"),
          "state": N_("State"), "link": N_("Link")}
