"""Which networks there can be: layer sizes, and activations and a loss that suit them.

    1–8 inputs, 0–4 hidden layers of 1–8 neurons each, 1–8 outputs

Written as "3-4-3-2-2"; commas or spaces between the numbers do as well as dashes.
"""

from __future__ import annotations

import re

from .activations import ACTIVATIONS, placement_problem
from .limits import StateError, shorten
from .losses import LOSSES, pairing_problem
from .notation.names import layer_title

MAX_NEURONS = 8
MAX_HIDDEN_LAYERS = 4
MAX_SIZES_TEXT = 60  # characters: the longest sensible text, "8-8-8-8-8-8", with room for spaces
SEPARATOR = re.compile(r"\s*[-,]\s*|\s+")


def parse_sizes(text: str, widest: int = MAX_NEURONS) -> list[int]:
    """'3-4-3-2-2', '3, 4, 3, 2, 2' or '3 4 3 2 2' → [3, 4, 3, 2, 2]; anything else is refused, saying why.
    `widest`: the most neurons a hidden layer may have."""
    if not isinstance(text, str):
        raise StateError("sizes", "must be text such as 3-4-3-2-2")
    cleaned = text.strip()
    if not cleaned:
        raise StateError("sizes", "are missing: type the number of neurons of each layer, e.g. 3-4-3-2-2")
    if len(cleaned) > MAX_SIZES_TEXT:
        raise StateError("sizes", f"are too long: at most {MAX_HIDDEN_LAYERS + 2} layers of at most "
                                  f"{MAX_NEURONS} neurons, e.g. 3-4-3-2-2")
    parts = SEPARATOR.split(cleaned)
    if "" in parts:
        raise StateError("sizes", "have an empty layer: write one number for each layer, e.g. 3-4-2")
    if not all(part.isascii() and part.isdigit() for part in parts):
        quoted = shorten(" ".join(cleaned.split()))  # on one line, however it was typed
        raise StateError("sizes", f"must be numbers such as 3-4-3-2-2, not '{quoted}'")
    return check_sizes([int(part) for part in parts], widest=widest)


def check_sizes(sizes, field: str = "sizes", widest: int = MAX_NEURONS) -> list[int]:
    """The sizes, if the page can draw that network; `widest`: the most neurons a hidden layer may
    have (Compare's second network shows no formulas, so it may be wider)."""
    if not isinstance(sizes, list) or any(isinstance(n, bool) or not isinstance(n, int) for n in sizes):
        raise StateError(field, "must be a list of whole numbers, one for each layer")
    if len(sizes) < 2:
        raise StateError(field, "need an input layer and an output layer at least, e.g. 2-1")
    if len(sizes) > MAX_HIDDEN_LAYERS + 2:
        raise StateError(field, f"give {len(sizes)} layers: at most {MAX_HIDDEN_LAYERS + 2}, an input layer, up to "
                                f"{MAX_HIDDEN_LAYERS} hidden layers and an output layer")
    for l, n in enumerate(sizes):
        most = widest if 0 < l < len(sizes) - 1 else MAX_NEURONS
        if not 1 <= n <= most:
            raise StateError(field, f"{layer_title(l, len(sizes))} cannot have {n} neurons: "
                                    + (f"each layer has 1 to {most}" if most == MAX_NEURONS else
                                       f"a hidden layer has 1 to {most}, the input and output layers 1 to {MAX_NEURONS}"))
    return sizes


def check_activations(keys, sizes: list[int]) -> list[str]:
    """One known activation for each layer after the input, softmax only where it can work."""
    if not isinstance(keys, list) or len(keys) != len(sizes) - 1:
        raise StateError("activations", f"must list {len(sizes) - 1} activations, one for each layer after the input")
    for l, key in enumerate(keys):
        if not isinstance(key, str) or key not in ACTIVATIONS:
            raise StateError(f"activations[{l}]", f"There is no activation '{shorten(str(key))}': choose one of "
                                                  f"{', '.join(f.name for f in ACTIVATIONS.values())}")
    problem = placement_problem(keys, sizes[-1])
    if problem:
        raise StateError(*problem)
    return keys


def check_loss_name(loss) -> str:
    """A known loss."""
    if not isinstance(loss, str) or loss not in LOSSES:
        raise StateError("loss", f"There is no loss '{shorten(str(loss))}': choose "
                                 f"{' or '.join(record.name.lower() for record in LOSSES.values())}")
    return loss


def check_loss(loss, output_activation: str, targets: list[float]) -> str:
    """A known loss that makes sense with the outputs and these targets."""
    problem = pairing_problem(check_loss_name(loss), output_activation, targets)
    if problem:
        raise StateError(*problem)
    return loss
