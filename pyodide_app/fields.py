"""A state's number fields, by the names the page's fields carry: "inputs[0]",
"weights[1][2][0]", "learning_rate".
"""

from __future__ import annotations

import functools
import re

from .limits import StateError, slider_range
from .state import State
from .translation import _


def field_names(sizes: list[int]) -> dict[str, bool]:
    """Every number field of the page, and whether it has a slider (inputs and targets do)."""
    names = {f"inputs[{i}]": True for i in range(sizes[0])}
    names |= {f"targets[{j}]": True for j in range(sizes[-1])}
    names["learning_rate"] = False
    for l in range(1, len(sizes)):
        for j in range(sizes[l]):
            names |= {f"weights[{l - 1}][{j}][{i}]": False for i in range(sizes[l - 1])}
            names[f"biases[{l - 1}][{j}]"] = False
    return names


def slider_ends(state: State, field: str) -> tuple[float, float]:
    """The ends of a field's slider (inputs and targets have one)."""
    return slider_range(state.limits()["targets"] if field.startswith("targets") else None)


def slider(state: State, field: str, value: float) -> str:
    """The slider's value for a field's value: within its ends."""
    low, high = slider_ends(state, field)
    return str(min(max(value, low), high))


def field_values(state: State) -> list[float]:
    """The value of every field, in the order of field_names (no name parsed: edits stay fast)."""
    values = [*state.inputs, *state.targets, state.learning_rate]
    for weights, biases in zip(state.network.weights, state.network.biases):
        for row, bias in zip(weights, biases):
            values += row
            values.append(bias)
    return values


def get_field(state: State, field: str) -> float:
    """'inputs[0]', 'weights[1][2][0]', 'learning_rate' → the value it names."""
    container, index = _locate(state, field)
    return container[index] if index is not None else state.learning_rate


def index_of(field: str) -> int:
    """'targets[3]' → 3, 'inputs[0]' → 0: where an input's or a target's field is in its list."""
    name, indices = _field_path(field)
    if name not in ("inputs", "targets"):
        raise StateError(field, _("is not an input or a target"))
    return indices[0]


def set_field(state: State, field: str, value: float) -> None:
    container, index = _locate(state, field)
    if index is None:
        state.learning_rate = value
    else:
        container[index] = value


def _locate(state: State, field: str):
    name, indices = _field_path(field)
    if name == "learning_rate":
        return None, None
    container = {"inputs": state.inputs, "targets": state.targets,
                 "weights": state.network.weights, "biases": state.network.biases}[name]
    try:
        for i in indices[:-1]:
            container = container[i]
        container[indices[-1]]
    except IndexError:
        raise StateError(field, _("is not a field of the state")) from None
    return container, indices[-1]


@functools.lru_cache(maxsize=256)
def _field_path(field: str) -> tuple[str, tuple[int, ...]]:
    """'weights[1][2][0]' → ('weights', (1, 2, 0)); read once per field name."""
    name, *indices = field.replace("]", "").split("[")
    depth = {"learning_rate": 0, "inputs": 1, "targets": 1, "weights": 3, "biases": 2}.get(name)
    if depth is None or len(indices) != depth or not all(re.fullmatch(r"[0-9]{1,3}", i) for i in indices):
        raise StateError(field, _("is not a field of the state"))
    return name, tuple(int(i) for i in indices)
