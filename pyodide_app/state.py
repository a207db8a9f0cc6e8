"""The one description of a page state, and its one serialise/parse pair.

The URL fragment, local storage, Export/Import and the command line's `--state FILE`
all go through `serialise` and `parse`; every number field on the page goes through
`parse_number`. So every path accepts and refuses exactly the same things.

Limits, and why:
    inputs          −1,000,000 … 1,000,000   any real input; beyond that every sigmoid
                                             is saturated and nothing more can be seen
    targets         0 … 1                    a sigmoid output never leaves (0, 1)
    learning rate   0 < α ≤ 100              α ≤ 0 never learns; 100 already diverges
    weights, biases −1e9 … 1e9               wide enough for any training run; training
                                             stops and says so if a parameter leaves it
    epoch           whole number 0 … 1e15
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from .network import Network

FORMAT_VERSION = 1
MAX_TEXT_LENGTH = 256 * 1024  # a state of the largest network the page allows is ~30 KB
MAX_NUMBER_LENGTH = 40  # characters in one typed number
MAX_NESTING = 16  # a state is 4 levels deep; deep nesting overflows the WebAssembly stack
STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
BRACKETS = re.compile(r"[\[\]{}]")
SPEEDS = ("slow", "fast")


@dataclass(frozen=True)
class Limit:
    low: float
    high: float
    low_inclusive: bool = True
    integer: bool = False

    def admits(self, value: float) -> bool:
        above = value >= self.low if self.low_inclusive else value > self.low
        return above and value <= self.high and (not self.integer or value == int(value))

    def describe(self) -> str:
        if self.integer:
            return f"a whole number from {self.low:g} to {self.high:g}"
        if not self.low_inclusive:
            return f"more than {self.low:g} and at most {self.high:g}"
        return f"between {self.low:g} and {self.high:g}"


LIMITS = {
    "inputs": Limit(-1e6, 1e6),
    "targets": Limit(0.0, 1.0),
    "learning_rate": Limit(0.0, 100.0, low_inclusive=False),
    "weights": Limit(-1e9, 1e9),
    "biases": Limit(-1e9, 1e9),
    "epoch": Limit(0, 1e15, integer=True),
}
KEYS = ("version", "inputs", "targets", "learning_rate", "weights", "biases", "epoch", "settings")
SETTINGS = {"speed": SPEEDS}


class StateError(ValueError):
    """A refused value: `field` names it (e.g. "inputs[0]"), str() says why in one line."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass
class State:
    inputs: list[float]
    targets: list[float]
    learning_rate: float
    network: Network
    epoch: int = 0
    settings: dict = field(default_factory=lambda: {"speed": "fast"})

    def copy(self) -> State:
        return State(self.inputs[:], self.targets[:], self.learning_rate, self.network.copy(),
                     self.epoch, dict(self.settings))


def within_limits(net: Network) -> bool:
    """Every weight and bias inside its limit: training must not leave a state that cannot be saved."""
    high = LIMITS["weights"].high
    return all(-high <= x <= high for layer in net.weights for row in layer for x in row) and \
        all(-high <= b <= high for layer in net.biases for b in layer)


def parse_number(text: str, field: str) -> float:
    """A number typed by a person: '0.5', ' 0,5 ', '-1e3'. Refuses anything else, saying why."""
    if not isinstance(text, str):
        raise StateError(field, "must be a number")
    cleaned = text.strip()
    if not cleaned:
        raise StateError(field, "is empty: type a number")
    if len(cleaned) > MAX_NUMBER_LENGTH:
        raise StateError(field, f"is too long: at most {MAX_NUMBER_LENGTH} characters")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # decimal comma, as typed in much of Europe
    if cleaned.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise StateError(field, f"must be a finite number, not {cleaned}")
    try:
        value = float(cleaned)
    except ValueError:
        raise StateError(field, f"is not a number: '{_shorten(cleaned)}'") from None
    if not math.isfinite(value):
        raise StateError(field, f"is too large: {_shorten(cleaned)} is beyond the largest number")
    return check_value(value, field)


def check_value(value: float, field: str) -> float:
    limit = LIMITS[field.split("[")[0]]
    if not limit.admits(value):
        raise StateError(field, f"must be {limit.describe()}")
    return value


def get_field(state: State, field: str) -> float:
    """'inputs[0]', 'weights[1][2][0]', 'learning_rate' → the value it names."""
    container, index = _locate(state, field)
    return container[index] if index is not None else state.learning_rate


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
        raise StateError(field, "is not a field of the state") from None
    return container, indices[-1]


@functools.lru_cache(maxsize=256)
def _field_path(field: str) -> tuple[str, tuple[int, ...]]:
    """'weights[1][2][0]' → ('weights', (1, 2, 0)); read once per field name."""
    name, *indices = field.replace("]", "").split("[")
    depth = {"learning_rate": 0, "inputs": 1, "targets": 1, "weights": 3, "biases": 2}.get(name)
    if depth is None or len(indices) != depth or not all(re.fullmatch(r"[0-9]{1,3}", i) for i in indices):
        raise StateError(field, "is not a field of the state")
    return name, tuple(int(i) for i in indices)


def parse(text: str, sizes: list[int] | None = None) -> State:
    """JSON text → State, or StateError. `sizes` demands that exact architecture."""
    if not isinstance(text, str):
        raise StateError("state", "must be JSON text")
    if len(text) > MAX_TEXT_LENGTH:
        raise StateError("state", f"is too large ({len(text):,} characters; at most {MAX_TEXT_LENGTH:,})")
    if _nesting(text) > MAX_NESTING:
        raise StateError("state", f"is nested more than {MAX_NESTING} levels deep")
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except StateError:
        raise
    except (ValueError, RecursionError) as error:
        raise StateError("state", f"is not valid JSON ({_shorten(str(error))})") from None
    return from_data(data, sizes)


def from_data(data, sizes: list[int] | None = None) -> State:
    if not isinstance(data, dict):
        raise StateError("state", "must be a JSON object")
    unknown = [key for key in data if key not in KEYS]
    if unknown:
        raise StateError(_shorten(str(unknown[0])) or '""', "is not part of a saved state")
    version = data.get("version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise StateError("version", f"must be {FORMAT_VERSION}: this is not a saved state of this page's format")
    missing = [key for key in KEYS if key not in data]
    if missing:
        raise StateError(missing[0], "is missing")
    biases = _matrix(data["biases"], "biases", None)
    if not biases:
        raise StateError("biases", "must list at least one layer")
    inputs = _vector(data["inputs"], "inputs", sizes[0] if sizes else None)
    found = [len(inputs)] + [len(layer) for layer in biases]
    if sizes is not None and found != list(sizes):
        raise StateError("biases", f"describe layers {found}, this page has {list(sizes)}")
    weights = _weights(data["weights"], found)
    targets = _vector(data["targets"], "targets", found[-1])
    learning_rate = _number(data["learning_rate"], "learning_rate")
    epoch = int(_number(data["epoch"], "epoch"))
    settings = _settings(data["settings"])
    return State(inputs, targets, learning_rate, Network(weights, biases), epoch, settings)


def to_data(state: State) -> dict:
    return {
        "version": FORMAT_VERSION,
        "inputs": state.inputs,
        "targets": state.targets,
        "learning_rate": state.learning_rate,
        "weights": state.network.weights,
        "biases": state.network.biases,
        "epoch": state.epoch,
        "settings": state.settings,
    }


def serialise(state: State) -> str:
    """State → JSON text; repr-exact floats, so parse(serialise(s)) == s."""
    return json.dumps(to_data(state), separators=(",", ":"), allow_nan=False)


def to_fragment(state: State) -> str:
    """State → the part of a link after '#': 'state=' + base64url of the JSON."""
    encoded = base64.urlsafe_b64encode(serialise(state).encode()).decode().rstrip("=")
    return "state=" + encoded


def from_fragment(fragment: str, sizes: list[int] | None = None) -> State:
    fragment = fragment.lstrip("#")
    if not fragment.startswith("state="):
        raise StateError("link", "does not hold a saved state")
    encoded = fragment[len("state="):]
    if len(encoded) > MAX_TEXT_LENGTH * 4 // 3 + 4:
        raise StateError("link", "is too long")
    try:
        text = base64.b64decode(encoded + "=" * (-len(encoded) % 4), altchars=b"-_", validate=True).decode()
    except (binascii.Error, ValueError):
        raise StateError("link", "is damaged: it does not decode") from None
    return parse(text, sizes)


def load_seed() -> State:
    return parse((Path(__file__).parent / "seed.json").read_text(encoding="utf-8"))


def _nesting(text: str) -> int:
    """How deep arrays and objects nest, brackets inside strings not counted."""
    depth = deepest = 0
    for bracket in BRACKETS.findall(STRINGS.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _refuse_constant(name: str):
    raise StateError("state", f"holds {name}, which is not a finite number")


def _number(value, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StateError(field, "must be a number")
    try:
        number = float(value)
    except OverflowError:
        raise StateError(field, "is too large to be a number") from None
    if not math.isfinite(number):
        raise StateError(field, "must be a finite number")
    return check_value(number, field)


def _vector(value, field: str, length: int | None) -> list[float]:
    if not isinstance(value, list) or not value:
        raise StateError(field, "must be a non-empty list of numbers")
    if length is not None and len(value) != length:
        raise StateError(field, f"must hold {length} numbers, not {len(value)}")
    return [_number(item, f"{field}[{i}]") for i, item in enumerate(value)]


def _matrix(value, field: str, lengths: list[int] | None) -> list[list[float]]:
    if not isinstance(value, list):
        raise StateError(field, "must be a list of lists")
    if lengths is not None and len(value) != len(lengths):
        raise StateError(field, f"must hold {len(lengths)} lists, not {len(value)}")
    return [_vector(row, f"{field}[{i}]", lengths[i] if lengths else None) for i, row in enumerate(value)]


def _weights(value, sizes: list[int]) -> list[list[list[float]]]:
    if not isinstance(value, list) or len(value) != len(sizes) - 1:
        raise StateError("weights", f"must hold {len(sizes) - 1} layers")
    return [_matrix(layer, f"weights[{l}]", [sizes[l]] * sizes[l + 1]) for l, layer in enumerate(value)]


def _settings(value) -> dict:
    if not isinstance(value, dict):
        raise StateError("settings", "must be a JSON object")
    for key in value:
        if key not in SETTINGS:
            raise StateError(f"settings.{_shorten(str(key))}", "is not a setting")
    speed = value.get("speed", "fast")
    if speed not in SPEEDS:
        raise StateError("settings.speed", f"must be one of {', '.join(SPEEDS)}")
    return {"speed": speed}


def _shorten(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
