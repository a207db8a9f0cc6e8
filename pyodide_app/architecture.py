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
from .translation import _

MAX_NEURONS = 8
MAX_HIDDEN_LAYERS = 4
MAX_SIZES_TEXT = 60  # characters: the longest sensible text, "8-8-8-8-8-8", with room for spaces
SEPARATOR = re.compile(r"\s*[-,]\s*|\s+")


def parse_sizes(text: str, widest: int = MAX_NEURONS) -> list[int]:
    """'3-4-3-2-2', '3, 4, 3, 2, 2' or '3 4 3 2 2' → [3, 4, 3, 2, 2]; anything else is refused, saying why.
    `widest`: the most neurons a hidden layer may have."""
    if not isinstance(text, str):
        raise StateError("sizes", _("must be text such as 3-4-3-2-2"))
    cleaned = text.strip()
    if not cleaned:
        raise StateError("sizes", _("are missing: type the number of neurons of each layer, e.g. 3-4-3-2-2"))
    if len(cleaned) > MAX_SIZES_TEXT:
        raise StateError("sizes", _("are too long: at most %(number)s layers of at most %(max_neurons)s neurons, "
                                    "e.g. 3-4-3-2-2")
                                  % {"number": MAX_HIDDEN_LAYERS + 2, "max_neurons": MAX_NEURONS})
    parts = SEPARATOR.split(cleaned)
    if "" in parts:
        raise StateError("sizes", _("have an empty layer: write one number for each layer, e.g. 3-4-2"))
    if not all(part.isascii() and part.isdigit() for part in parts):
        quoted = shorten(" ".join(cleaned.split()))  # on one line, however it was typed
        raise StateError("sizes", _("must be numbers such as 3-4-3-2-2, not '%(quoted)s'") % {"quoted": quoted})
    return check_sizes([int(part) for part in parts], widest=widest)


def check_sizes(sizes, field: str = "sizes", widest: int = MAX_NEURONS) -> list[int]:
    """The sizes, if the page can draw that network; `widest`: the most neurons a hidden layer may
    have (Compare's second network shows no formulas, so it may be wider)."""
    if not isinstance(sizes, list) or any(isinstance(n, bool) or not isinstance(n, int) for n in sizes):
        raise StateError(field, _("must be a list of whole numbers, one for each layer"))
    if len(sizes) < 2:
        raise StateError(field, _("need an input layer and an output layer at least, e.g. 2-1"))
    if len(sizes) > MAX_HIDDEN_LAYERS + 2:
        raise StateError(field, _("give %(count)s layers: at most %(number)s, an input layer, up to "
                                  "%(max_hidden_layers)s hidden layers and an output layer")
                                % {"count": len(sizes), "number": MAX_HIDDEN_LAYERS + 2,
                                   "max_hidden_layers": MAX_HIDDEN_LAYERS})
    for l, n in enumerate(sizes):
        most = widest if 0 < l < len(sizes) - 1 else MAX_NEURONS
        if not 1 <= n <= most:
            title = layer_title(l, len(sizes))
            raise StateError(field, (_("%(layer_title)s cannot have %(n)s neurons: each layer has 1 to %(max_neurons)s")
                                     if most == MAX_NEURONS else
                                     _("%(layer_title)s cannot have %(n)s neurons: a hidden layer has 1 to %(most)s, the "
                                       "input and output layers 1 to %(max_neurons)s"))
                             % {"layer_title": title, "n": n, "max_neurons": MAX_NEURONS, "most": most}, sentence=True)
    return sizes


def check_activations(keys, sizes: list[int]) -> list[str]:
    """One known activation for each layer after the input, softmax only where it can work."""
    if not isinstance(keys, list) or len(keys) != len(sizes) - 1:
        raise StateError("activations", _("must list %(number)s activations, one for each layer after the input")
                                        % {"number": len(sizes) - 1})
    for l, key in enumerate(keys):
        if not isinstance(key, str) or key not in ACTIVATIONS:
            raise StateError(f"activations[{l}]", _("There is no activation '%(key)s': choose one of %(choices)s")
                                                  % {"key": shorten(str(key)),
                                                     "choices": ', '.join((f.name for f in ACTIVATIONS.values()))},
                                                     sentence=True)
    problem = placement_problem(keys, sizes[-1])
    if problem:
        raise StateError(*problem, sentence=True)  # it names the activation first
    return keys


def check_loss_name(loss) -> str:
    """A known loss."""
    if not isinstance(loss, str) or loss not in LOSSES:
        raise StateError("loss", _("There is no loss '%(loss)s': choose %(choices)s")
                                 % {"loss": shorten(str(loss)),
                                    "choices": ' or '.join((record.name.lower() for record in LOSSES.values()))},
                                    sentence=True)
    return loss


def check_loss(loss, output_activation: str, targets: list[float]) -> str:
    """A known loss that makes sense with the outputs and these targets."""
    problem = pairing_problem(check_loss_name(loss), output_activation, targets)
    if problem:
        raise StateError(*problem, sentence=problem[0] == "loss")  # the loss's names it first
    return loss
