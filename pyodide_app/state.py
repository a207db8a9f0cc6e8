"""The one description of a page state, and its one serialise/parse pair.

The URL fragment, local storage, Export/Import and the command line's `--state FILE`
all go through `serialise` and `parse`, so every path accepts and refuses exactly the
same things. The limits of the values are in limits.py, the networks there can be in
architecture.py.

Format version 2 (what `serialise` writes):
    version 2, sizes [3, 4, 3, 2, 2], activations ["sigmoid", …] (one per layer after
    the input), loss "mse" | "cross_entropy", preset (a key of presets.PRESETS, or null
    once the network is no longer one), random_seed (the seed for new random weights),
    inputs, targets, learning_rate, weights, biases, epoch, settings {"speed"}, and, only
    while practising, practice {"kinds": [kinds hidden and asked, see practice.py],
    "answers": {question key: the text typed}} (optional: a state without it is not
    practising, so every state written before still loads, and reads the same)
Version 1 (links, files and storage written before) had no sizes, activations, loss,
preset or random_seed: it reads as sigmoid everywhere, mean squared error, no preset,
random seed 0.
Optional keys of version 2, written only when they differ from their default, so every state
written before them loads as it did: worksheet_seed (the seed of the worksheet's exercise,
default 1; see design.exercise).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import architecture
from .limits import (LIMITS, MAX_NUMBER_LENGTH, StateError, check_value, field_limits,  # noqa: F401
                     parse_number, shorten, within_limits)  # (several are read from here by the page)
from .network import Network
from .practice import KEY, KINDS, MAX_ANSWER_LENGTH
from .presets import PRESETS

FORMAT_VERSION = 2
MAX_TEXT_LENGTH = 256 * 1024  # a state of the largest network the page allows is ~10 KB
MAX_NESTING = 16  # a state is 4 levels deep; deep nesting overflows the WebAssembly stack
STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
BRACKETS = re.compile(r"[\[\]{}]")
SPEEDS = ("slow", "fast")
VERSION_1_KEYS = ("version", "inputs", "targets", "learning_rate", "weights", "biases", "epoch", "settings")
KEYS = {1: VERSION_1_KEYS,
        2: ("version", "sizes", "activations", "loss", "preset", "random_seed") + VERSION_1_KEYS[1:]}
SETTINGS = {"speed": SPEEDS}
OPTIONAL_KEYS = {1: (), 2: ("practice", "worksheet_seed")}  # keys version 2 may leave out
MAX_ANSWERS = 500  # more than the largest network has questions (441)
DEFAULT_WORKSHEET_SEED = 1


@dataclass
class State:
    inputs: list[float]
    targets: list[float]
    learning_rate: float
    network: Network
    epoch: int = 0
    settings: dict = field(default_factory=lambda: {"speed": "fast"})
    preset: str | None = None  # the preset this network is, if it is one
    random_seed: int = 0  # new random weights (Randomise, a layer grown) come from this seed
    practice: dict | None = None  # {"kinds": [...], "answers": {key: text}} while practising
    worksheet_seed: int = DEFAULT_WORKSHEET_SEED  # the worksheet's exercise is drawn from this seed

    def copy(self) -> State:
        return State(self.inputs[:], self.targets[:], self.learning_rate, self.network.copy(),
                     self.epoch, dict(self.settings), self.preset, self.random_seed,
                     practice=copy_practice(self.practice), worksheet_seed=self.worksheet_seed)

    def limits(self) -> dict:
        """The limit of each field of this state: the targets' follow the output activation."""
        return field_limits(self.network.activations[-1])


def copy_practice(practice: dict | None) -> dict | None:
    return None if practice is None else {"kinds": practice["kinds"][:], "answers": dict(practice["answers"])}


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
        raise StateError("state", f"is not valid JSON ({shorten(str(error))})") from None
    return from_data(data, sizes)


def from_data(data, sizes: list[int] | None = None) -> State:
    """A parsed JSON value → State, or StateError naming the first field refused."""
    if not isinstance(data, dict):
        raise StateError("state", "must be a JSON object")
    unknown = [key for key in data if key not in KEYS[FORMAT_VERSION] + OPTIONAL_KEYS[FORMAT_VERSION]]
    if unknown:
        raise StateError(shorten(str(unknown[0])) or '""', "is not part of a saved state")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, (int, float)) or version not in KEYS:
        raise StateError("version", f"must be 1 or {FORMAT_VERSION}: this is not a saved state of this page's format")
    extra = [key for key in data if key not in KEYS[version] + OPTIONAL_KEYS[version]]
    if extra:
        raise StateError(extra[0], f"is not part of a saved state of version {version}")
    missing = [key for key in KEYS[version] if key not in data]
    if missing:
        raise StateError(missing[0], "is missing")
    read = _version_1 if version == 1 else _version_2
    inputs, biases, activations, loss, preset, random_seed = read(data, sizes)
    found = [len(inputs)] + [len(layer) for layer in biases]
    if sizes is not None and found != list(sizes):
        raise StateError("sizes", f"describe layers {found}, this page has {list(sizes)}")
    weights = _weights(data["weights"], found)
    targets = _vector(data["targets"], "targets", found[-1], field_limits(activations[-1]))
    loss = architecture.check_loss(loss, activations[-1], targets)
    learning_rate = _number(data["learning_rate"], "learning_rate")
    epoch = int(_number(data["epoch"], "epoch"))
    settings = _settings(data["settings"])
    worksheet_seed = int(_number(data.get("worksheet_seed", DEFAULT_WORKSHEET_SEED), "worksheet_seed"))
    return State(inputs, targets, learning_rate, Network(weights, biases, activations, loss), epoch, settings,
                 preset, random_seed, practice=_practice(data.get("practice")), worksheet_seed=worksheet_seed)


def _version_1(data: dict, sizes: list[int] | None):
    """Sigmoid everywhere and mean squared error, as every network was; the layers as the biases list them."""
    biases = _matrix(data["biases"], "biases", None)
    if not biases:
        raise StateError("biases", "must list at least one layer")
    inputs = _vector(data["inputs"], "inputs", sizes[0] if sizes else None)
    found = architecture.check_sizes([len(inputs)] + [len(layer) for layer in biases])
    return inputs, biases, ["sigmoid"] * (len(found) - 1), "mse", None, 0


def _version_2(data: dict, sizes: list[int] | None):
    found = architecture.check_sizes(data["sizes"])
    activations = architecture.check_activations(data["activations"], found)
    inputs = _vector(data["inputs"], "inputs", found[0])
    biases = _matrix(data["biases"], "biases", found[1:])
    return inputs, biases, activations, data["loss"], _preset(data["preset"]), \
        int(_number(data["random_seed"], "random_seed"))


def to_data(state: State) -> dict:
    net = state.network
    practice = {} if state.practice is None else {"practice": copy_practice(state.practice)}
    return {
        "version": FORMAT_VERSION,
        "sizes": net.sizes,
        "activations": net.activations,
        "loss": net.loss,
        "preset": state.preset,
        "random_seed": state.random_seed,
        "inputs": state.inputs,
        "targets": state.targets,
        "learning_rate": state.learning_rate,
        "weights": net.weights,
        "biases": net.biases,
        "epoch": state.epoch,
        "settings": state.settings,
        **practice,
    } | ({"worksheet_seed": state.worksheet_seed} if state.worksheet_seed != DEFAULT_WORKSHEET_SEED else {})


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


def from_preset(key: str) -> State:
    """The preset's state, checked as any saved state is; KeyError for an unknown key."""
    preset = PRESETS[key]
    if preset.data is None:
        return load_seed()
    return from_data({"version": FORMAT_VERSION, "preset": key, **preset.data})


def _nesting(text: str) -> int:
    """How deep arrays and objects nest, brackets inside strings not counted."""
    depth = deepest = 0
    for bracket in BRACKETS.findall(STRINGS.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _refuse_constant(name: str):
    raise StateError("state", f"holds {name}, which is not a finite number")


def _number(value, field: str, limits=LIMITS) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StateError(field, "must be a number")
    try:
        number = float(value)
    except OverflowError:
        raise StateError(field, "is too large to be a number") from None
    if not math.isfinite(number):
        raise StateError(field, "must be a finite number")
    return check_value(number, field, limits)


def _vector(value, field: str, length: int | None, limits=LIMITS) -> list[float]:
    if not isinstance(value, list) or not value:
        raise StateError(field, "must be a non-empty list of numbers")
    if length is not None and len(value) != length:
        raise StateError(field, f"must hold {length} numbers, not {len(value)}")
    return [_number(item, f"{field}[{i}]", limits) for i, item in enumerate(value)]


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


def _preset(value) -> str | None:
    if value is not None and (not isinstance(value, str) or value not in PRESETS):
        raise StateError("preset", f"must be null or one of {', '.join(PRESETS)}")
    return value


def _practice(value) -> dict | None:
    """What is practised and the answers typed; absent (None) when not practising."""
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"kinds", "answers"}:
        raise StateError("practice", 'must be null or a JSON object of "kinds" and "answers"')
    kinds, answers = value["kinds"], value["answers"]
    if not isinstance(kinds, list) or any(kind not in KINDS for kind in kinds) or len(set(kinds)) < len(kinds):
        raise StateError("practice.kinds", f"must list some of {', '.join(KINDS)}, each once")
    if not isinstance(answers, dict) or len(answers) > MAX_ANSWERS:
        raise StateError("practice.answers", f"must be a JSON object of at most {MAX_ANSWERS} answers")
    for key, text in answers.items():
        if not KEY.fullmatch(key) or not isinstance(text, str) or len(text) > MAX_ANSWER_LENGTH:
            raise StateError(f"practice.answers.{shorten(key)}",
                             f"must be a question's key and the text typed, at most {MAX_ANSWER_LENGTH} characters")
    return {"kinds": [kind for kind in KINDS if kind in kinds], "answers": dict(answers)}


def _settings(value) -> dict:
    if not isinstance(value, dict):
        raise StateError("settings", "must be a JSON object")
    for key in value:
        if key not in SETTINGS:
            raise StateError(f"settings.{shorten(str(key))}", "is not a setting")
    speed = value.get("speed", "fast")
    if speed not in SPEEDS:
        raise StateError("settings.speed", f"must be one of {', '.join(SPEEDS)}")
    return {"speed": speed}
