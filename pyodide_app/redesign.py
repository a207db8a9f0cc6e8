"""A change of the network's design asked for on the live page, by the control it came from:
the layer sizes typed, an activation or the loss chosen, a preset, the random seed.

Each returns the new, checked State, or raises StateError; the state given is left alone.
The design itself (random weights, resizing, other activations) is in design.py.
"""

from __future__ import annotations

import math

from . import design, presets
from .architecture import check_loss, parse_sizes
from .limits import StateError
from .losses import targets_add_up_to_one
from .state import State, from_preset


def with_sizes(state: State, text: str) -> State | None:
    """None when the sizes typed are the network's already."""
    sizes = parse_sizes(text)
    return None if sizes == state.network.sizes else design.resized(state, sizes)


def with_activation(state: State, layer: int, key: str) -> State:
    activations = state.network.activations[:]
    if not isinstance(layer, int) or not 0 <= layer < len(activations):
        raise StateError(f"activations[{layer}]", "is not a layer of this network")
    activations[layer] = key
    return design.redesigned(state, activations=activations)


def with_loss(state: State, key: str) -> State:
    return design.redesigned(state, loss=key)


def preset(key: str) -> State:
    if key not in presets.PRESETS:
        raise StateError("preset", "is not one of the presets")
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
