"""The input neurons a dataset of the plane can feed: x₁ and x₂ themselves, and features made
from them. A network sees only the features ticked; each is one input neuron, named so in the
diagram and the formulas. Adding a feature is one entry."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from ..notation import names


@dataclass(frozen=True)
class Feature:
    key: str  # as saved in a state: "x1_squared"
    of: Callable[[float, float], float]  # its value at the point (x₁, x₂)

    @property
    def name(self) -> str:
        """As the page writes it: "x₁²" (names.FEATURES)."""
        return names.feature(self.key)


FEATURES = {f.key: f for f in (
    Feature("x1", lambda x1, x2: x1),
    Feature("x2", lambda x1, x2: x2),
    Feature("x1_squared", lambda x1, x2: x1 * x1),
    Feature("x2_squared", lambda x1, x2: x2 * x2),
    Feature("x1_times_x2", lambda x1, x2: x1 * x2),
    Feature("sin_x1", lambda x1, x2: math.sin(x1)),
    Feature("sin_x2", lambda x1, x2: math.sin(x2)),
)}
ALWAYS = ("x1", "x2")  # every dataset of the plane feeds these


def features_of(keys: list[str], x1: float, x2: float) -> list[float]:
    """The input neurons' values at one point, in the order of `keys`."""
    return [FEATURES[key].of(x1, x2) for key in keys]


def feature_columns(keys: list[str], x1s: list[float], x2s: list[float]) -> list[list[float]]:
    """Each feature over many points at once (the plot's grid), one list per input neuron."""
    return [[FEATURES[key].of(a, b) for a, b in zip(x1s, x2s)] for key in keys]
