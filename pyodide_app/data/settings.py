"""What a state keeps of its data: a generator's settings, the inputs ticked, the batch size,
the sample shown and how far the epoch has gone. The points themselves are made again from
the settings (generators.py), so a link carries a dataset in a few dozen characters.

    {"dataset": "spiral", "points": 500, "noise": 0, "test_share": 50, "seed": 1,
     "inputs": ["x1", "x2"], "batch_size": 10, "shown": 0, "position": 0}

points 10 … 1,000; noise 0 … 50 and test_share 10 … 90, in per cent; seed 0 … 1,000,000;
inputs: feature keys (inputs.py), x1 and x2 first, each once, one per input neuron;
batch_size 1 … the training points (a batch of them all is one update per epoch); shown: the
index of the point whose forward pass and δs the page shows; position: the batches of this
epoch already taken. Own data (own_data.py) keeps its rows instead of a generator's settings.
"""

from __future__ import annotations

import math

from ..activations import ACTIVATIONS
from ..limits import Limit, StateError, has_exactly
from . import own_data
from .dataset import Dataset, generated, outputs_needed, samples
from .generators import GENERATORS
from .inputs import ALWAYS, FEATURES
from .own_data import OWN, is_own
from ..translation import _

KEYS = ("dataset", "points", "noise", "test_share", "seed", "inputs", "batch_size", "shown", "position")
LIMITS = {
    "points": Limit(10, 1000, integer=True),
    "noise": Limit(0, 50, integer=True),
    "test_share": Limit(10, 90, integer=True),
    "seed": Limit(0, 1e6, integer=True),
}
DEFAULTS = {"points": 500, "noise": 0, "test_share": 50, "seed": 1, "inputs": list(ALWAYS), "batch_size": 10,
            "shown": 0, "position": 0}
MAX_POINTS = int(LIMITS["points"].high)


def new(dataset: str, old: dict | None = None) -> dict:
    """The settings of `dataset`, keeping what `old` had chosen (its points, inputs, batch size)."""
    keys = ("points", "noise", "test_share", "seed", "batch_size") + (("inputs",) if not is_own(old) else ())
    kept = {key: old[key] for key in keys if old and key in old}
    return {"dataset": dataset, **DEFAULTS, **kept, "shown": 0, "position": 0}


def copy(data: dict | None) -> dict | None:
    return None if data is None else {**data, "inputs": data["inputs"][:]}


# ---- the points, made once for each setting -------------------------------------------------------

_MADE: dict[tuple, Dataset] = {}


def dataset_of(data: dict) -> Dataset:
    if is_own(data):
        return own_data.made(data).dataset
    key = (data["dataset"], data["points"], data["noise"], data["test_share"], data["seed"])
    found = _MADE.get(key)
    if found is None:
        if len(_MADE) > 8:
            _MADE.clear()
        found = _MADE[key] = generated(data["dataset"], data["points"], data["noise"] / 100,
                                       data["test_share"] / 100, data["seed"])
    return found


_SAMPLES: dict[tuple, object] = {}


def samples_of(data: dict, output: str):
    """Every point's input neurons and targets, for a network whose outputs are `output`."""
    if is_own(data):
        return own_data.samples(data, output)
    key = (data["dataset"], data["points"], data["noise"], data["test_share"], data["seed"], tuple(data["inputs"]),
           output)
    found = _SAMPLES.get(key)
    if found is None:
        if len(_SAMPLES) > 8:
            _SAMPLES.clear()
        found = _SAMPLES[key] = samples(dataset_of(data), data["inputs"], output)
    return found


def points_key(data: dict) -> tuple:
    """What the plot's points follow: a generator's settings, or own data's rows (the list
    itself: it is never changed in place) and columns."""
    if is_own(data):
        return data["rows"], data["target"], tuple(data["inputs"]), data["scale"], data["test_share"], data["seed"]
    return tuple(data[key] for key in ("dataset", "points", "noise", "test_share", "seed"))


def drawn_key(data: dict | None):
    """What of the data the page's HTML is drawn for: whether there is any, and of own data the
    columns to choose from and the classes a drawn point can have."""
    if not is_own(data):
        return data is not None
    return OWN, tuple(data["columns"]), data["target"], tuple(data["inputs"]), data["scale"], \
        tuple(own_data.made(data).classes)


def value_range(data: dict) -> tuple[float, float]:
    """A regression's targets run from −1 to 1, or for own data between its lowest and highest."""
    if not is_own(data):
        return -1.0, 1.0
    labels = own_data.made(data).dataset.labels
    low, high = min(labels), max(labels)
    return (low, high) if high > low else (low - 1, high + 1)


def point_count(data: dict) -> int:
    return len(dataset_of(data).points)


def name_of(data: dict) -> str:
    return _(own_data.NAME) if is_own(data) else GENERATORS[data["dataset"]].name


def batch_count(data: dict) -> int:
    """Batches in one epoch: the last may be smaller."""
    return math.ceil(len(dataset_of(data).training_indices) / data["batch_size"])


# ---- reading a saved one -----------------------------------------------------------------------

def _whole(value, key: str, limit: Limit) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not limit.admits(value):
        raise StateError(f"data.{key}", _("must be %(describe)s") % {"describe": limit.describe()})
    return int(value)


def read(value, sizes: list[int], output: str) -> dict | None:
    """A saved `data` value, checked against the network it feeds: as many inputs ticked as
    input neurons, as many outputs as the data needs."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise StateError("data", _("must be null or a JSON object of a dataset's settings"))
    if is_own(value):
        data = own_data.read(value, lambda number, key: _whole(number, key, LIMITS[key]))
        if len(data["inputs"]) != sizes[0]:
            raise StateError("data.inputs", _("choose %(count)s input columns, the Input Layer has %(sizes)s neurons")
                                            % {"count": len(data['inputs']), "sizes": sizes[0]})
        return _common(value, data, output, sizes)
    has_exactly(value, KEYS, "data", _("a setting of the data"))
    if not isinstance(value["dataset"], str) or value["dataset"] not in GENERATORS:
        raise StateError("data.dataset", _("must be one of %(choices)s") % {"choices": ', '.join(GENERATORS)})
    data = {"dataset": value["dataset"]}
    for key, limit in LIMITS.items():
        data[key] = _whole(value[key], key, limit)
    data["inputs"] = read_inputs(value["inputs"], sizes[0])
    return _common(value, data, output, sizes)


def _common(value: dict, data: dict, output: str, sizes: list[int]) -> dict:
    """The settings every dataset has: the batch size, the point shown, the batches taken."""
    training = len(dataset_of(data).training_indices)
    data["batch_size"] = _whole(value["batch_size"], "batch_size", Limit(1, training, integer=True))
    data["shown"] = _whole(value["shown"], "shown", Limit(0, point_count(data) - 1, integer=True))
    data["position"] = _whole(value["position"], "position", Limit(0, batch_count(data) - 1, integer=True))
    classes = dataset_of(data).classes
    if classes > 2 and not ACTIVATIONS[output].mixes_layer:
        raise StateError("activations", _("give the Output Layer softmax: %(classes)s classes need one output each")
                                        % {"classes": classes})
    needed = needed_outputs(data, output)
    if sizes[-1] != needed:
        raise StateError("sizes", _("give the Output Layer %(sizes)s neurons: this data needs %(needed)s")
                                  % {"sizes": sizes[-1], "needed": needed})
    return data


def read_inputs(value, count: int | None) -> list[str]:
    if not isinstance(value, list) or any(not isinstance(key, str) or key not in FEATURES for key in value) \
            or len(set(value)) < len(value) or value[:len(ALWAYS)] != list(ALWAYS):
        raise StateError("data.inputs", _("must list %(choices)s, then any of %(choices2)s, each once")
                                        % {"choices": ' and '.join(ALWAYS),
                                           "choices2": ', '.join((k for k in FEATURES if k not in ALWAYS))})
    if count is not None and len(value) != count:
        raise StateError("data.inputs", _("tick %(count)s inputs, the Input Layer has %(count2)s neurons")
                                        % {"count": len(value), "count2": count})
    return value[:]


def needed_outputs(data: dict, output: str) -> int:
    return outputs_needed(dataset_of(data).classes, output)


def shown_sample(data: dict, output: str) -> tuple[list[float], list[float]]:
    """(inputs, targets) of the shown point."""
    made = samples_of(data, output)
    k = data["shown"]
    return made.inputs[k][:], made.targets[k][:]
