"""The one description of a page state, and its one serialise/parse pair.

The URL fragment, local storage, Export/Import and the command line's `--state FILE`
all go through `serialise` and `parse`, so every path accepts and refuses exactly the
same things. The limits of the values are in limits.py, the networks there can be in
architecture.py.

The state's fields are one table, FIELDS, in the order they are read and written; reading,
writing, copying and reading older versions follow from it (schema.py). Format version 4
(what `serialise` writes): version 4, sizes [3, 4, 3, 2, 2], activations ["sigmoid", …] (one
per layer after the input), loss "mse" | "cross_entropy", preset (a key of presets.PRESETS,
or null once the network is no longer one), random_seed (the seed for new random weights),
inputs, targets, learning_rate, biases, weights, epoch, settings {"speed"}, and four keys it
may leave out: practice, only while practising, {"kinds": [kinds hidden and asked, see
practice.py], "answers": {question key: the text typed}}; worksheet_seed (the seed of the
worksheet's exercise, see design.exercise), only when it is not 1; data, only while the page
learns from a dataset (data/settings.py: the generator's settings, the inputs ticked, the batch
size, the point shown, the batch reached), and then the inputs and targets are that point's;
second, only while Compare is on (second.py): the second network, {"sizes", "activations",
"loss", "random_seed", "biases", "weights", "epoch"} and, when not the first's, its "inputs"
(feature keys) and "learning_rate". Version 3 is version 4 without a second network.
Version 2 is version 3 without data: it reads as one sample, as the page was.
Version 1 (links, files and storage written before) had no sizes, activations, loss,
preset or random_seed: it reads as sigmoid everywhere, mean squared error, no preset,
random seed 0, its layers as its biases list them.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from pathlib import Path

from .limits import (LIMITS, MAX_NUMBER_LENGTH, StateError, check_value, field_limits,  # noqa: F401
                     parse_number, shorten, within_limits)  # (several are read from here by the page)
from .network import Network
from .presets import PRESETS
from .schema import Field, Schema
from .state_values import (ACTIVATIONS, BIASES, DATA, INPUTS, LOSS, NUMBER, PRACTICE, PRESET, SETTINGS, SIZES,
                           SECOND, TARGETS, WEIGHTS, WHOLE, sizes_of_version_1)
from .state_values import SPEEDS  # noqa: F401 (read from here by the features)
from .translation import _

FORMAT_VERSION = 4
MAX_TEXT_LENGTH = 256 * 1024  # a state of the largest network the page allows is ~10 KB
FRAGMENT_PREFIX = "state="  # a link's fragment: this, then the state's JSON in base64url
MAX_NESTING = 16  # a state is 4 levels deep; deep nesting overflows the WebAssembly stack
STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
BRACKETS = re.compile(r"[\[\]{}]")


# The fields of a state, in the order they are read and written. Each is checked against the
# ones before it: the biases come before the weights, so a layer of the wrong size is named by
# its biases. `since`: the format version it came in; in a state saved before, it is `older`
# (worked out from the fields before it) or else `default`, which is also a new State's value.
# `optional`: a saved state may leave it out, and it is written only when it is not `default`.
FIELDS = (
    #     key               type
    Field("sizes",          SIZES,       since=2, older=sizes_of_version_1, part="network", derived=True),
    Field("activations",    ACTIVATIONS, since=2, older=lambda r: ["sigmoid"] * (len(r.values["sizes"]) - 1),
          part="network"),
    Field("loss",           LOSS,        since=2, default="mse", part="network"),
    Field("preset",         PRESET,      since=2, default=None),  # the preset this network is, if it is one
    Field("random_seed",    WHOLE,       since=2, default=0),  # new random weights (Randomise, a layer grown)
    Field("inputs",         INPUTS),
    Field("targets",        TARGETS),
    Field("learning_rate",  NUMBER),
    Field("biases",         BIASES,      part="network"),
    Field("weights",        WEIGHTS,     part="network"),
    Field("epoch",          WHOLE,       default=0),
    Field("settings",       SETTINGS,    default={"speed": "normal"}),
    Field("practice",       PRACTICE,    since=2, default=None, optional=True),  # while practising
    Field("worksheet_seed", WHOLE,       since=2, default=1, optional=True),  # the worksheet's exercise
    Field("data",           DATA,        since=3, default=None, optional=True),  # a dataset; None: one sample
    Field("second",         SECOND,      since=4, default=None, optional=True),  # Compare's second network
)


class StateMethods:
    def limits(self) -> dict:
        """The limit of each field of this state: the targets' follow the output activation."""
        return field_limits(self.network.activations[-1])


SCHEMA = Schema("State", FIELDS, versions=(1, 2, 3, FORMAT_VERSION), parts={"network": Network}, base=StateMethods)
State = SCHEMA.cls
State.__module__ = __name__
State.__doc__ = """A page state: the fields of FIELDS, the network's held by `network`.
`copy()` gives one that shares nothing with this one."""


def parse(text: str, sizes: list[int] | None = None) -> State:
    """JSON text → State, or StateError. `sizes` demands that exact architecture."""
    if not isinstance(text, str):
        raise StateError("state", _("must be JSON text"))
    if len(text) > MAX_TEXT_LENGTH:
        raise StateError("state", _("is too large (%(count)s characters; at most %(max_text_length)s)")
                                  % {"count": f'{len(text):,}', "max_text_length": f'{MAX_TEXT_LENGTH:,}'})
    if _nesting(text) > MAX_NESTING:
        raise StateError("state", _("is nested more than %(max_nesting)s levels deep") % {"max_nesting": MAX_NESTING})
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except StateError:
        raise
    except json.JSONDecodeError as error:  # where, not Python's English words for what
        raise StateError("state", _("is not valid JSON (line %(line)d, column %(column)d)")
                         % {"line": error.lineno, "column": error.colno}) from None
    except (ValueError, RecursionError):
        raise StateError("state", _("is not valid JSON")) from None
    return from_data(data, sizes)


def from_data(data, sizes: list[int] | None = None) -> State:
    """A parsed JSON value → State, or StateError naming the first field refused."""
    return SCHEMA.from_data(data, sizes=sizes)


def to_data(state: State) -> dict:
    """The state as a JSON object of the newest format version, sharing nothing with it."""
    return SCHEMA.to_data(state)


def serialise(state: State) -> str:
    """State → JSON text; repr-exact floats, so parse(serialise(s)) == s."""
    return json.dumps(to_data(state), separators=(",", ":"), allow_nan=False)


def to_fragment(state: State) -> str:
    """State → the part of a link after '#': 'state=' + base64url of the JSON."""
    encoded = base64.urlsafe_b64encode(serialise(state).encode()).decode().rstrip("=")
    return FRAGMENT_PREFIX + encoded


def from_fragment(fragment: str, sizes: list[int] | None = None) -> State:
    fragment = fragment.lstrip("#")
    if not fragment.startswith(FRAGMENT_PREFIX):
        raise StateError("link", _("does not hold a saved state"))
    encoded = fragment.removeprefix(FRAGMENT_PREFIX)
    if len(encoded) > MAX_TEXT_LENGTH * 4 // 3 + 4:
        raise StateError("link", _("is too long"))
    try:
        text = base64.b64decode(encoded + "=" * (-len(encoded) % 4), altchars=b"-_", validate=True).decode()
    except (binascii.Error, ValueError):
        raise StateError("link", _("is damaged: it does not decode")) from None
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
    raise StateError("state", _("holds %(name)s, which is not a finite number") % {"name": name})
