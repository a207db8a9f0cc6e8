"""The types of a saved state's values: how each is read from JSON, and copied.

Each reader takes what the JSON parser gave, checks it (against the fields read before it,
see state.FIELDS), and returns the value a State holds, or raises StateError naming the
value ("inputs[2]", "settings.speed") and saying in one line what is wrong. The limits of
the numbers are in limits.py, the networks there can be in architecture.py.
"""

from __future__ import annotations

import math

from . import architecture
from .data import settings as data_settings
from .limits import LIMITS, StateError, check_value, field_limits, shorten
from .practice import KEY, KINDS, MAX_ANSWER_LENGTH
from .presets import PRESETS
from .schema import Reading, Type
from .translation import _

SPEEDS = ("slow", "normal", "fast")
SETTING_CHOICES = {"speed": SPEEDS}
MAX_ANSWERS = 500  # more than the largest network has questions (441)


def number(value, field: str, limits=LIMITS) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StateError(field, _("must be a number"))
    try:
        number = float(value)
    except OverflowError:
        raise StateError(field, _("is too large to be a number")) from None
    if not math.isfinite(number):
        raise StateError(field, _("must be a finite number"))
    return check_value(number, field, limits)


def whole(value, field: str) -> int:
    return int(number(value, field))


def numbers(value, field: str, length: int | None, limits=LIMITS) -> list[float]:
    if not isinstance(value, list) or not value:
        raise StateError(field, _("must be a non-empty list of numbers"))
    if length is not None and len(value) != length:
        raise StateError(field, _("must hold %(length)s numbers, not %(count)s")
                                % {"length": length, "count": len(value)})
    return [number(item, f"{field}[{i}]", limits) for i, item in enumerate(value)]


def matrix(value, field: str, lengths: list[int] | None, limits=LIMITS) -> list[list[float]]:
    if not isinstance(value, list):
        raise StateError(field, _("must be a list of lists"))
    if lengths is not None and len(value) != len(lengths):
        raise StateError(field, _("must hold %(count)s lists, not %(count2)s")
                                % {"count": len(lengths), "count2": len(value)})
    return [numbers(row, f"{field}[{i}]", lengths[i] if lengths else None, limits) for i, row in enumerate(value)]


def weights(value, sizes: list[int]) -> list[list[list[float]]]:
    if not isinstance(value, list) or len(value) != len(sizes) - 1:
        raise StateError("weights", _("must hold %(number)s layers") % {"number": len(sizes) - 1})
    return [matrix(layer, f"weights[{l}]", [sizes[l]] * sizes[l + 1]) for l, layer in enumerate(value)]


def preset(value) -> str | None:
    if value is not None and (not isinstance(value, str) or value not in PRESETS):
        raise StateError("preset", _("must be null or one of %(choices)s") % {"choices": ', '.join(PRESETS)})
    return value


def practice(value) -> dict | None:
    """What is practised and the answers typed; absent (None) when not practising."""
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"kinds", "answers"}:
        raise StateError("practice", _('must be null or a JSON object of "kinds" and "answers"'))
    kinds, answers = value["kinds"], value["answers"]
    if not isinstance(kinds, list) or any(kind not in KINDS for kind in kinds) or len(set(kinds)) < len(kinds):
        raise StateError("practice.kinds", _("must list some of %(choices)s, each once")
                                           % {"choices": ', '.join(KINDS)})
    if not isinstance(answers, dict) or len(answers) > MAX_ANSWERS:
        raise StateError("practice.answers", _("must be a JSON object of at most %(max_answers)s answers")
                                             % {"max_answers": MAX_ANSWERS})
    for key, text in answers.items():
        if not KEY.fullmatch(key) or not isinstance(text, str) or len(text) > MAX_ANSWER_LENGTH:
            raise StateError(f"practice.answers.{shorten(key)}",
                             _("must be a question's key and the text typed, at most %(count)d characters")
                             % {"count": MAX_ANSWER_LENGTH})
    return {"kinds": [kind for kind in KINDS if kind in kinds], "answers": dict(answers)}


def settings(value) -> dict:
    if not isinstance(value, dict):
        raise StateError("settings", _("must be a JSON object"))
    for key in value:
        if key not in SETTING_CHOICES:
            raise StateError(f"settings.{shorten(str(key))}", _("is not a setting"))
    speed = value.get("speed", "normal")
    if speed not in SPEEDS:
        raise StateError("settings.speed", _("must be one of %(choices)s") % {"choices": ', '.join(SPEEDS)})
    return {"speed": speed}


def copy_list(values: list) -> list:
    return values[:]


def copy_rows(rows: list[list]) -> list[list]:
    return [row[:] for row in rows]


def copy_layers(layers: list[list[list]]) -> list[list[list]]:
    return [[row[:] for row in layer] for layer in layers]


def copy_practice(practice: dict | None) -> dict | None:
    return None if practice is None else {"kinds": practice["kinds"][:], "answers": dict(practice["answers"])}


# ---- the types, and the sizes of version 1, which had none ----------------------------------------

def as_demanded(found: list[int], reading: Reading) -> list[int]:
    """The layer sizes found, if they are the ones the page asks for (when it asks)."""
    wanted = reading.demands.get("sizes")
    if wanted is not None and found != list(wanted):
        raise StateError("sizes", _("describe layers %(found)s, this page has %(wanted)s")
                                  % {"found": found, "wanted": list(wanted)})
    return found


def sizes_of_version_1(reading: Reading) -> list[int]:
    """Version 1 had no sizes: the inputs, then one layer for each list of biases."""
    biases = matrix(reading.data["biases"], "biases", None)
    if not biases:
        raise StateError("biases", _("must list at least one layer"))
    wanted = reading.demands.get("sizes")
    inputs = numbers(reading.data["inputs"], "inputs", wanted[0] if wanted else None)
    return as_demanded(architecture.check_sizes([len(inputs)] + [len(layer) for layer in biases]), reading)


def _targets(value, key: str, reading: Reading) -> list[float]:
    """As many as there are outputs, in the output activation's range, suiting the loss."""
    output = reading.values["activations"][-1]
    targets = numbers(value, key, reading.values["sizes"][-1], field_limits(output))
    architecture.check_loss(reading.values["loss"], output, targets)
    return targets


def _data(value, key: str, reading: Reading) -> dict | None:
    """A dataset's settings (data/settings.py). The page's inputs and targets are then the
    shown point's: whatever was saved for them, they are made again from the settings."""
    sizes, output = reading.values["sizes"], reading.values["activations"][-1]
    data = data_settings.read(value, sizes, output)
    if data is not None:
        inputs, targets = data_settings.shown_sample(data, output)
        reading.values["inputs"] = numbers(inputs, "inputs", sizes[0])
        reading.values["targets"] = _targets(targets, "targets", reading)
    return data


SECOND_KEYS = ("sizes", "activations", "loss", "random_seed", "biases", "weights", "epoch")
SECOND_OPTIONAL = ("inputs", "learning_rate")  # absent: the first network's
SECOND_WIDEST = 64  # the widest hidden layer of the second network (equal_size.WIDEST)
SECOND_LIMITS = {f"second.{key}": LIMITS[key] for key in ("learning_rate", "random_seed", "biases", "weights", "epoch")}


def _second(value, key: str, reading: Reading) -> dict | None:
    """Compare's second network: its own layers, activations, loss, weights and epochs, learning
    from the first's data (`inputs`: its own input features; `learning_rate`: its own)."""
    if value is None:
        return None
    data = reading.values["data"]
    if data is None:
        raise StateError(key, "needs a dataset: both networks learn from the same data")
    if not isinstance(value, dict):
        raise StateError(key, "must be null or a JSON object of a network")
    for name in value:
        if name not in SECOND_KEYS + SECOND_OPTIONAL:
            raise StateError(f"{key}.{shorten(str(name))}", "is not part of the second network")
    for name in SECOND_KEYS:
        if name not in value:
            raise StateError(f"{key}.{name}", "is missing")
    sizes = architecture.check_sizes(value["sizes"], f"{key}.sizes", widest=SECOND_WIDEST)
    try:
        activations = architecture.check_activations(value["activations"], sizes)
        loss = architecture.check_loss_name(value["loss"])
    except StateError as error:
        raise StateError(f"{key}.{error.field}", str(error)) from None
    second = {"sizes": sizes[:], "activations": activations[:], "loss": loss}
    if "inputs" in value:
        if data_settings.is_own(data):
            raise StateError(f"{key}.inputs", "must be left out with own data: both learn from its columns")
        second["inputs"] = data_settings.read_inputs(value["inputs"], None)
    inputs = len(second.get("inputs", data["inputs"]))
    if sizes[0] != inputs:
        raise StateError(f"{key}.sizes", f"give the Input Layer {sizes[0]} neurons: it has {inputs} inputs")
    needed = data_settings.needed_outputs(data, activations[-1])
    if sizes[-1] != needed:
        raise StateError(f"{key}.sizes", f"give the Output Layer {sizes[-1]} neurons: this data needs {needed}")
    if "learning_rate" in value:
        second["learning_rate"] = number(value["learning_rate"], "second.learning_rate", SECOND_LIMITS)
    second["random_seed"] = int(number(value["random_seed"], "second.random_seed", SECOND_LIMITS))
    second["biases"] = matrix(value["biases"], "second.biases", sizes[1:], SECOND_LIMITS)
    if not isinstance(value["weights"], list) or len(value["weights"]) != len(sizes) - 1:
        raise StateError(f"{key}.weights", f"must hold {len(sizes) - 1} layers")
    second["weights"] = [matrix(layer, f"second.weights[{l}]", [sizes[l]] * sizes[l + 1], SECOND_LIMITS)
                         for l, layer in enumerate(value["weights"])]
    second["epoch"] = int(number(value["epoch"], "second.epoch", SECOND_LIMITS))
    return second


def copy_second(second: dict | None) -> dict | None:
    if second is None:
        return None
    return {**second, "sizes": second["sizes"][:], "activations": second["activations"][:],
            "biases": copy_rows(second["biases"]), "weights": copy_layers(second["weights"]),
            **({"inputs": second["inputs"][:]} if "inputs" in second else {})}


SIZES = Type(lambda value, key, r: as_demanded(architecture.check_sizes(value), r), copy_list)
ACTIVATIONS = Type(lambda value, key, r: architecture.check_activations(value, r.values["sizes"]), copy_list)
LOSS = Type(lambda value, key, r: architecture.check_loss_name(value))
PRESET = Type(lambda value, key, r: preset(value))
WHOLE = Type(lambda value, key, r: whole(value, key))
NUMBER = Type(lambda value, key, r: number(value, key))
INPUTS = Type(lambda value, key, r: numbers(value, key, r.values["sizes"][0]), copy_list)
TARGETS = Type(_targets, copy_list)
BIASES = Type(lambda value, key, r: matrix(value, key, r.values["sizes"][1:]), copy_rows)
WEIGHTS = Type(lambda value, key, r: weights(value, r.values["sizes"]), copy_layers)
SETTINGS = Type(lambda value, key, r: settings(value), dict)
PRACTICE = Type(lambda value, key, r: practice(value), copy_practice)
DATA = Type(_data, data_settings.copy)
SECOND = Type(_second, copy_second)
