"""Compare's second network: a network of its own beside the first, learning from the same data.

It is the state's `second` field (state.py; read by state_values), a JSON object: its layer
sizes, activations, loss, random seed, biases, weights and epochs, and, when not the first's,
its input features and learning rate. Both networks take the same batches in the same order
(training.train_on_batches steps them together), so any difference between them is theirs.

Each function here returns a new, checked State, or raises StateError; the state given is
left alone. The second network may have hidden layers wider than the first's: it shows no
formulas, only its diagram, its plot and its figures.
"""

from __future__ import annotations

from . import design
from .architecture import parse_sizes
from .data.settings import is_own
from .data.settings import new as new_data
from .equal_size import WIDEST, equal_size
from .limits import StateError
from .network import Network
from .notation.names import layer_title
from .state import FORMAT_VERSION, State, from_data, to_data
from .state_values import SECOND_WIDEST
from .translation import _

assert SECOND_WIDEST == WIDEST  # a proposal of Equal size is always a network the state can hold
FIRST_NARROWEST = 8  # the first network's widest layer (architecture.MAX_NEURONS): Swap's limit


def network_of(second: dict) -> Network:
    """The second network as a Network sharing its lists: training it trains the record."""
    return Network(second["weights"], second["biases"], second["activations"], second["loss"])


def data_of(second: dict, data: dict) -> dict:
    """The data as the second network sees it: the same points, its own input features."""
    return data if "inputs" not in second else {**data, "inputs": second["inputs"]}


def learning_rate(state: State) -> float:
    return state.second.get("learning_rate", state.learning_rate)


def record(sizes: list[int], activations: list[str], loss: str, seed: int, **own) -> dict:
    """A new second network, its weights drawn from `seed` (design.py), untrained; `own`:
    inputs and learning_rate, when they are its own."""
    weights, biases = design.random_parameters(sizes, activations, seed)
    return {"sizes": sizes, "activations": activations, "loss": loss, "random_seed": seed, "biases": biases,
            "weights": weights, "epoch": 0, **own}


def with_second(state: State, second: dict | None) -> State:
    """The state with this second network (None: Compare off), checked as any saved state is."""
    saved = to_data(state)
    saved.pop("second", None)
    if second is not None:
        saved["second"] = second
    return from_data(saved)


def proposed(state: State) -> State:
    """Compare turned on: a second network of the same size and another depth if there is one
    (Equal size), else the same layers, with its own weights (the next random seed)."""
    net = state.network
    sizes = equal_size(net.sizes) or net.sizes[:]
    return with_second(state, record(sizes, _activations(net.activations, len(sizes)), net.loss,
                                     state.random_seed + 1))


def restarted(second: dict | None, state: State) -> dict | None:
    """The second network as it goes on beside a first network started afresh (Reset, another
    design, other data): its hidden layers and activations, untrained again, its input and output
    layers fitted to `state`'s data; None without data or if it no longer fits."""
    if second is None or state.data is None:
        return None
    own = {key: second[key] for key in ("inputs", "learning_rate") if key in second}
    if "inputs" in own and is_own(state.data):  # own data: its columns feed both
        del own["inputs"]
    inputs = len(own.get("inputs", state.data["inputs"]))
    sizes = [inputs, *second["sizes"][1:-1], state.network.sizes[-1]]
    activations = second["activations"][:-1] + state.network.activations[-1:]
    try:
        return with_second(state, record(sizes, activations, state.network.loss, second["random_seed"], **own)).second
    except StateError:
        return None


def with_sizes(state: State, text: str) -> State | None:
    """The second network's Layer sizes typed; None when they are its sizes already. Its input
    and output layers are the data's: only the hidden layers are its own."""
    second = state.second
    try:
        sizes = parse_sizes(text, widest=WIDEST)
    except StateError as error:
        raise StateError("second.sizes", str(error)) from None
    if sizes == second["sizes"]:
        return None
    ends = second["sizes"][0], second["sizes"][-1]
    if (sizes[0], sizes[-1]) != ends:
        raise StateError("second.sizes", _("must keep %(inputs)s inputs and %(outputs)s outputs, as its data has: "
                                           "e.g. %(inputs)s-8-%(outputs)s") % {"inputs": ends[0], "outputs": ends[1]})
    return with_second(state, record(sizes, _activations(second["activations"], len(sizes)), second["loss"],
                                     second["random_seed"], **_own(second)))


def with_activation(state: State, layer: int, key: str) -> State:
    second = state.second
    activations = second["activations"][:]
    if not isinstance(layer, int) or not 0 <= layer < len(activations):
        raise StateError("second.activations", _("The second network has no such layer: it has %(count)s after the "
                                                 "input layer") % {"count": len(activations)}, sentence=True)
    activations[layer] = key
    try:
        return with_second(state, record(second["sizes"], activations, second["loss"], second["random_seed"],
                                         **_own(second)))
    except StateError as error:
        raise StateError("second.activations", str(error)) from None


def equal_sized(state: State) -> State:
    """Layer sizes with exactly as many weights and biases as the first network, another depth."""
    sizes = equal_size(state.network.sizes)
    if sizes is None:
        raise StateError("second.sizes", _("No network of another depth has exactly as many weights and biases as "
                                           "%(sizes)s") % {"sizes": "-".join(map(str, state.network.sizes))}, sentence=True)
    second = state.second
    own = _own(second)
    own.pop("inputs", None)  # the same size as the first: its inputs too
    return with_second(state, record(sizes, _activations(state.network.activations, len(sizes)),
                                     state.network.loss, second["random_seed"], **own))


def swapped(state: State) -> State:
    """The first network becomes the second and the second the first, each with its weights,
    epochs, inputs and learning rate; the data stays."""
    second = state.second
    widest = max(second["sizes"])
    if widest > FIRST_NARROWEST:
        raise StateError("second.sizes", _("Swap needs layers of at most %(most)s neurons, as the first network shows "
                                           "every formula: the second has a layer of %(widest)s")
                         % {"most": FIRST_NARROWEST, "widest": widest}, sentence=True)
    saved = to_data(state)
    first = {"sizes": saved["sizes"], "activations": saved["activations"], "loss": saved["loss"],
             "random_seed": saved["random_seed"], "biases": saved["biases"], "weights": saved["weights"],
             "epoch": saved["epoch"], "inputs": saved["data"]["inputs"], "learning_rate": saved["learning_rate"]}
    if is_own(state.data):  # own data: both learn from its columns
        del first["inputs"]
    saved.update({key: second[key] for key in ("sizes", "activations", "loss", "random_seed", "biases",
                                               "weights", "epoch")},
                 preset=None, learning_rate=second.get("learning_rate", saved["learning_rate"]))
    if "inputs" in second:
        saved["data"]["inputs"] = second["inputs"]
    if first.get("inputs") == saved["data"]["inputs"]:
        del first["inputs"]
    if first["learning_rate"] == saved["learning_rate"]:
        del first["learning_rate"]
    saved["second"] = first
    return from_data(saved)


def _own(second: dict) -> dict:
    return {key: second[key] for key in ("inputs", "learning_rate") if key in second}


def _activations(model: list[str], layers: int) -> list[str]:
    """Activations for `layers` layers (input included) after `model`'s: its hidden layers' first
    kind in every hidden layer, its output activation last."""
    hidden = model[0] if len(model) > 1 else "tanh"
    return [hidden] * (layers - 2) + model[-1:]


def layer_names(second: dict) -> list[str]:
    """Each layer after the input, as its activation's select is labelled."""
    return [layer_title(l, len(second["sizes"])) for l in range(1, len(second["sizes"]))]


def from_lesson(lesson) -> State:
    """A lesson's set-up (lessons.py): its data, its first network as the page's, its second
    beside it, each untrained with its own seed."""
    first, other = lesson.first, lesson.second
    weights, biases = design.random_parameters(list(first.sizes), list(first.activations), first.seed)
    data = {**new_data(lesson.dataset), "points": lesson.points, "noise": 0, "test_share": lesson.test_share,
            "seed": lesson.data_seed, "inputs": list(first.inputs), "batch_size": lesson.batch_size}
    own = {key: value for key, value in (("inputs", list(other.inputs)), ("learning_rate", other.learning_rate))
           if value != {"inputs": list(first.inputs), "learning_rate": first.learning_rate}[key]}
    return from_data({
        "version": FORMAT_VERSION, "sizes": list(first.sizes), "activations": list(first.activations), "loss": "mse",
        "preset": None, "random_seed": first.seed, "inputs": [0.0] * first.sizes[0], "targets": [0.0] * first.sizes[-1],
        "learning_rate": first.learning_rate, "biases": biases, "weights": weights, "epoch": 0,
        "settings": {"speed": "fast"}, "data": data,
        "second": record(list(other.sizes), list(other.activations), "mse", other.seed, **own)})
