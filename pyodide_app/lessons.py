"""Guided set-ups: two networks on the same data, and two sentences on what they show.

Each lesson's claim holds with its seeds (tests/test_lessons.py trains both networks in CPython
and checks it with the numpy oracle), so a lesson never shows the opposite of what it says.
Both networks see the same points, the same split and the same batches in the same order;
each has its own inputs, layer sizes, activations, learning rate and weights. This module is
data only.
"""

from __future__ import annotations

from dataclasses import dataclass

from .translation import N_, _

PLANE = ("x1", "x2")


@dataclass(frozen=True)
class Contender:
    """One of a lesson's two networks; `sizes` starts with its input count."""
    sizes: tuple[int, ...]
    activations: tuple[str, ...]
    inputs: tuple[str, ...] = PLANE
    learning_rate: float = 0.03
    seed: int = 1  # of its weights


@dataclass(frozen=True)
class Lesson:
    key: str
    label: str  # in English, as its instruction (`name` and `instruction` in the reader's language)
    instruction_words: str  # two sentences, shown above the plot
    dataset: str
    data_seed: int  # of the points, the split and the batches' order
    epochs: int  # how long to train to see the claim
    first: Contender
    second: Contender
    points: int = 500
    test_share: int = 50  # %
    batch_size: int = 10

    @property
    def name(self) -> str:
        return _(self.label)

    @property
    def instruction(self) -> str:
        return _(self.instruction_words)


LESSONS: dict[str, Lesson] = {lesson.key: lesson for lesson in (
    Lesson("xor-needs-a-hidden-layer", N_("XOR needs a hidden layer"),
           N_("A network with no hidden layer draws one straight line, and no line parts XOR's four corners. "
              "Train both: the network with four hidden neurons gets nearly every test point right, the other "
              "stays near a coin's toss."),
           "xor", 4, 500,
           Contender((2, 1), ("tanh",), seed=4),
           Contender((2, 4, 1), ("tanh", "tanh"), seed=4)),
    Lesson("features-can-replace-layers", N_("Features can replace layers"),
           N_("Given x₁² and x₂² as inputs, a network with no hidden layer only has to draw a circle as a "
              "straight line in those new inputs. Train both: it learns the circle as well as a hidden layer "
              "of four neurons does from x₁ and x₂ alone, with 5 weights and biases instead of 17."),
           "circle", 1, 200,
           Contender((4, 1), ("tanh",), inputs=("x1", "x2", "x1_squared", "x2_squared")),
           Contender((2, 4, 1), ("tanh", "tanh"))),
    Lesson("deep-or-wide", N_("Deep or wide?"),
           N_("Both networks have 105 weights and biases: two hidden layers of 8, or one of 26. Train them for "
              "1,500 epochs: the wide one keeps up for a while, but the deep one ends with the lower test loss."),
           "spiral", 1, 1500,
           Contender((2, 8, 8, 1), ("tanh", "tanh", "tanh")),
           Contender((2, 26, 1), ("tanh", "tanh"))),
    Lesson("vanishing-gradients", N_("Vanishing gradients"),
           N_("Each sigmoid multiplies the error flowing back by at most 0.25, so after four hidden layers little "
              "reaches the first. Compare the first layer's gradients: with ReLU they are over a hundred times "
              "larger, and that network learns while the other barely moves."),
           "circle", 1, 100,
           Contender((2, 8, 8, 8, 8, 1), ("sigmoid",) * 5),
           Contender((2, 8, 8, 8, 8, 1), ("relu",) * 4 + ("sigmoid",))),
    Lesson("too-large-a-learning-rate", N_("Too large a learning rate"),
           N_("The same network learns with a learning rate of 0.03 and of 3. With 3 each step overshoots: "
              "the loss jumps up and down and stays high, while with 0.03 it falls steadily."),
           "circle", 1, 100,
           Contender((2, 4, 1), ("tanh", "tanh")),
           Contender((2, 4, 1), ("tanh", "tanh"), learning_rate=3.0)),
)}
