"""A change of the network's design asked for on the live page, by the control it came from:
the layer sizes typed, an activation or the loss chosen, a preset, the random seed, a dataset.

Each returns the new, checked State, or raises StateError; the state given is left alone.
The design itself (random weights, resizing, other activations) is in design.py.
"""

from __future__ import annotations

import math

from . import design, presets, second
from .activations import ACTIVATIONS
from .architecture import check_loss, check_sizes, parse_sizes
from .data import settings as data_settings
from .data.settings import dataset_of
from .limits import StateError
from .losses import LOSSES, targets_add_up_to_one
from .state import State, from_data, from_preset, to_data
from .translation import _


def with_sizes(state: State, text: str) -> State | None:
    """None when the sizes typed are the network's already."""
    sizes = parse_sizes(text)
    return None if sizes == state.network.sizes else design.resized(state, sizes)


def with_activation(state: State, layer: int, key: str) -> State:
    activations = state.network.activations[:]
    if not isinstance(layer, int) or not 0 <= layer < len(activations):
        raise StateError(f"activations[{layer}]", _("This network has no such layer: it has %(count)s after the "
                                                    "input layer")
                                                  % {"count": len(activations)}, sentence=True)
    activations[layer] = key
    return design.redesigned(state, activations=activations)


def with_loss(state: State, key: str) -> State:
    return design.redesigned(state, loss=key)


def preset(key: str) -> State:
    if key not in presets.PRESETS:
        raise StateError("preset", _("There is no such preset: choose one of %(choices)s")
                                   % {"choices": ', '.join(presets.PRESETS)}, sentence=True)
    return from_preset(key)


def randomised(state: State) -> State:
    """Random weights from the state's seed, Xavier or He by each layer's activation (design.py)."""
    return design.randomised(state, state.random_seed)


def with_target(state: State, j: int, value: float) -> State:
    """Target j set to `value`. With softmax and cross-entropy the targets are probabilities
    adding up to 1, so the others share the rest, in proportion (equally if all were 0)."""
    changed = state.copy()
    targets = changed.targets
    targets[j] = value
    net = state.network
    if targets_add_up_to_one(net.loss, net.activations[-1]) and len(targets) > 1:
        others = [k for k in range(len(targets)) if k != j]
        rest = math.fsum(targets[k] for k in others)
        for k in others:
            targets[k] = (1.0 - value) * (targets[k] / rest if rest > 0 else 1.0 / len(others))
        targets[others[-1]] = 1.0 - value - math.fsum(targets[k] for k in others[:-1])
        targets[others[-1]] = max(targets[others[-1]], 0.0)
    check_loss(net.loss, net.activations[-1], targets)
    return changed


def with_data(state: State, data: dict | None) -> State:
    """The state learning from `data` (data/settings.py), or from one sample again (None): the
    input layer as many neurons as inputs ticked, the output layer what the data needs (one
    output for two classes, or one per class on softmax; a linear one for a regression), the
    hidden layers as they were. Weights that still fit are kept; the inputs and targets become
    the shown point's (state_values reads them so). Compare's second network goes on learning
    beside it if it still fits the data, else starts afresh fitted to it."""
    saved = to_data(state)
    saved["data"] = None
    saved.pop("second", None)
    if data is None:
        return from_data(saved)
    net = state.network
    output, loss = net.activations[-1], net.loss
    classes = dataset_of(data).classes
    if not classes and not ACTIVATIONS[output].linear:  # a regression's output is its sum
        output = next(key for key, f in ACTIVATIONS.items() if f.linear)
    if classes > 2 and not ACTIVATIONS[output].mixes_layer:  # more classes: one probability each
        output, loss = next(key for key, f in ACTIVATIONS.items() if f.mixes_layer), "cross_entropy"
    if LOSSES[loss].outputs is not None and output not in LOSSES[loss].outputs:
        loss = "mse"
    needed = data_settings.needed_outputs(data, output)
    sizes = [len(data["inputs"])] + net.sizes[1:-1] + [needed]
    changed = from_data(saved)
    if sizes != net.sizes:
        changed = design.resized(changed, check_sizes(sizes))
    if output != changed.network.activations[-1] or loss != changed.network.loss:
        changed = design.redesigned(changed, activations=changed.network.activations[:-1] + [output], loss=loss)
    saved = to_data(changed)
    saved["data"] = data_settings.copy(data)
    if sizes == net.sizes and output == net.activations[-1] and loss == net.loss:
        saved["epoch"] = state.epoch  # the same network learning on: its epochs go on counting
    if state.second is None:
        return from_data(saved)
    try:
        return from_data({**saved, "second": state.second})
    except StateError:
        changed = from_data(saved)
        return second.with_second(changed, second.restarted(state.second, changed))
