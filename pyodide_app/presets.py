"""Networks ready to load, each with one sentence on what to look at.

Each is a saved state (format version 2) in all but its version and key, so it goes
through the same checks as a link or a file: `state.from_preset(key)` reads it. This module
is data only, so the state schema can check a preset's key against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from .translation import N_, _



@dataclass(frozen=True)
class Preset:
    key: str
    label: str  # in English, as all its texts (`name` and `look_at` in the reader's language)
    look_at_words: str  # one sentence: what this network shows
    data: dict | None  # the state's fields; None: the seed file

    @property
    def name(self) -> str:
        return _(self.label)

    @property
    def look_at(self) -> str:
        return _(self.look_at_words)


def _network(sizes, activations, loss, inputs, targets, rate, weights, biases) -> dict:
    return {"sizes": sizes, "activations": activations, "loss": loss, "random_seed": 0, "inputs": inputs,
            "targets": targets, "learning_rate": rate, "weights": weights, "biases": biases, "epoch": 0,
            "settings": {"speed": "normal"}}


PRESETS: dict[str, Preset] = {p.key: p for p in (
    Preset("seed", N_("Seed network (3-4-3-2-2)"),
           N_("Every number of a deep sigmoid network: follow one input through three hidden layers, and the "
              "error back."), None),
    Preset("mazur", N_("Mazur's worked example (2-2-2)"),
           N_("Matt Mazur's published example: the loss is 0.298371109 and one step makes w5 0.35891648 and "
              "w1 0.149780716, where w5 is the weight H1-1 → Out-1 and w1 In-1 → H1-1."),
           _network([2, 2, 2], ["sigmoid", "sigmoid"], "mse", [0.05, 0.10], [0.01, 0.99], 0.5,
                    [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
                    [[0.35, 0.35], [0.60, 0.60]])),
    Preset("vanishing-gradient", N_("Saturated sigmoids (vanishing gradient)"),
           N_("The hidden sums are far from 0, so every σ′ there is close to 0 and the δs shrink layer by layer "
              "towards the input: compare the updates of the first layer's weights with the last layer's."),
           _network([2, 3, 3, 2], ["sigmoid", "sigmoid", "sigmoid"], "mse", [1.0, 0.8], [0.9, 0.1], 0.5,
                    [[[6.0, 5.0], [-5.5, -6.0], [7.0, 4.5]], [[5.0, -6.0, 4.0], [-4.5, 5.5, -5.0], [6.0, 4.0, 5.5]],
                     [[0.5, -0.4, 0.3], [-0.3, 0.6, -0.5]]],
                    [[2.0, -2.0, 1.5], [-1.0, 1.0, -2.0], [0.1, -0.1]])),
    Preset("dead-relu", N_("A dead ReLU neuron"),
           N_("H1-2's sum is below 0, so ReLU′ = 0 there: its δ and the gradients of every weight into it are "
              "exactly 0, and training never brings it back."),
           _network([2, 3, 1], ["relu", "sigmoid"], "mse", [0.5, 0.8], [0.9], 0.5,
                    [[[0.6, 0.4], [0.4, -0.6], [-0.3, 0.8]], [[0.7, 0.5, -0.6]]],
                    [[0.1, -1.0, 0.2], [0.0]])),
    Preset("softmax", N_("Softmax classification (3 classes)"),
           N_("With softmax and cross-entropy each output's δ is simply o − t: the three δs add up to 0, and "
              "only the target class has a negative one."),
           _network([3, 4, 3], ["tanh", "softmax"], "cross_entropy", [0.6, -0.2, 0.9], [0.0, 1.0, 0.0], 0.5,
                    [[[0.5, -0.3, 0.2], [-0.4, 0.6, 0.3], [0.2, 0.1, -0.5], [0.7, -0.2, 0.4]],
                     [[0.3, -0.5, 0.4, 0.6], [-0.2, 0.4, -0.6, 0.1], [0.5, 0.2, 0.3, -0.4]]],
                    [[0.1, -0.1, 0.0, 0.2], [0.0, 0.1, -0.1]])),
)}

