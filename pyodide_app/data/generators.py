"""Datasets of points in the plane [−6, 6]², made by `random.Random(seed)`: the build, the
worker and the command line make the same points from the same settings.

A generator makes `count` points (x₁, x₂, label): for classes the label is the class, 0 or 1,
half the points each; for regression it is a value in [−1, 1]. `noise` (0 … 0.5) moves each
point by up to that share of the plane's half-width before it is labelled, so classes overlap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from random import Random
from typing import Callable
from ..translation import N_, _

HALF_WIDTH = 6.0  # the plane is [−HALF_WIDTH, HALF_WIDTH]²
Point = tuple[float, float, float]


@dataclass(frozen=True)
class Generator:
    key: str  # as saved in a state: "spiral"
    label: str  # as a person reads it, in English: "Spiral" (`name` in the reader's language)
    regression: bool
    make: Callable[[Random, int, float], list[Point]]

    @property
    def name(self) -> str:
        return _(self.label)


def _clamped(x: float) -> float:
    return max(-HALF_WIDTH, min(HALF_WIDTH, x))


def _jitter(rng: Random, noise: float) -> float:
    return rng.uniform(-1.0, 1.0) * noise * HALF_WIDTH


def _halves(count: int) -> tuple[int, int]:
    """Points of class 0 and of class 1: as even as the count allows."""
    return count - count // 2, count // 2


def xor(rng: Random, count: int, noise: float) -> list[Point]:
    """Class 1 where x₁ · x₂ ≥ 0 (two opposite quadrants), kept a little off the axes. Points
    come in fours, one in each quadrant, mirrored: no straight line does better than chance."""
    points = []
    while len(points) < count:
        x1, x2 = rng.uniform(0.3, 5.0), rng.uniform(0.3, 5.0)
        for s1, s2 in ((1, 1), (-1, -1), (-1, 1), (1, -1))[:count - len(points)]:
            a, b = s1 * x1 + _jitter(rng, noise), s2 * x2 + _jitter(rng, noise)
            points.append((_clamped(a), _clamped(b), 1 if s1 == s2 else 0))
    return points


def circle(rng: Random, count: int, noise: float) -> list[Point]:
    """Class 1 inside radius 2.5, class 0 in the ring from 3.5 to 5."""
    points = []
    for label, n in zip((1, 0), reversed(_halves(count))):
        low, high = (0.0, 2.5) if label else (3.5, 5.0)
        for _point in range(n):
            r, angle = rng.uniform(low, high), rng.uniform(0.0, 2 * math.pi)
            points.append((_clamped(r * math.sin(angle) + _jitter(rng, noise)),
                           _clamped(r * math.cos(angle) + _jitter(rng, noise)), label))
    return points


def two_clusters(rng: Random, count: int, noise: float) -> list[Point]:
    """Two round clouds, class 1 around (2, 2) and class 0 around (−2, −2); noise widens them."""
    spread = 0.5 + 3.5 * noise / 0.5 if noise else 0.5
    points = []
    for label, n in zip((1, 0), reversed(_halves(count))):
        centre = 2.0 if label else -2.0
        for _point in range(n):
            points.append((_clamped(rng.gauss(centre, spread)), _clamped(rng.gauss(centre, spread)), label))
    return points


def spiral(rng: Random, count: int, noise: float) -> list[Point]:
    """Two arms winding 1.75 turns out from the centre, the second turned by half a turn."""
    points = []
    for label, n in zip((1, 0), reversed(_halves(count))):
        turn = 0.0 if label else math.pi
        for i in range(n):
            r = 5.0 * i / n
            t = 1.75 * 2 * math.pi * i / n + turn
            points.append((_clamped(r * math.sin(t) + _jitter(rng, noise) / 6),
                           _clamped(r * math.cos(t) + _jitter(rng, noise) / 6), label))
    return points


def moons(rng: Random, count: int, noise: float) -> list[Point]:
    """Two interlocking half circles of radius 3: class 1 the upper, class 0 the lower."""
    points = []
    for label, n in zip((1, 0), reversed(_halves(count))):
        for _point in range(n):
            t = rng.uniform(0.0, math.pi)
            x1, x2 = (3 * math.cos(t) - 1.5, 3 * math.sin(t) - 0.75) if label else \
                (3 * math.cos(t + math.pi) + 1.5, 3 * math.sin(t + math.pi) + 0.75)
            points.append((_clamped(x1 + _jitter(rng, noise)), _clamped(x2 + _jitter(rng, noise)), label))
    return points


def plane(rng: Random, count: int, noise: float) -> list[Point]:
    """The value (x₁ + x₂) / 12, from −1 to 1 across the plane."""
    points = []
    for _point in range(count):
        x1, x2 = rng.uniform(-HALF_WIDTH, HALF_WIDTH), rng.uniform(-HALF_WIDTH, HALF_WIDTH)
        value = (x1 + _jitter(rng, noise) + x2 + _jitter(rng, noise)) / (2 * HALF_WIDTH)
        points.append((x1, x2, max(-1.0, min(1.0, value))))
    return points


BUMPS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def bumps(rng: Random, count: int, noise: float) -> list[Point]:
    """Six bumps, up and down in turn: the value is the bump nearest in effect, e^(−d²/2) signed."""
    points = []
    for _point in range(count):
        x1, x2 = rng.uniform(-HALF_WIDTH, HALF_WIDTH), rng.uniform(-HALF_WIDTH, HALF_WIDTH)
        n1, n2 = x1 + _jitter(rng, noise), x2 + _jitter(rng, noise)
        value = max((sign * math.exp(-((n1 - cx) ** 2 + (n2 - cy) ** 2) / 2) for cx, cy, sign in BUMPS), key=abs)
        points.append((x1, x2, value))
    return points


GENERATORS = {g.key: g for g in (
    Generator("xor", N_("XOR"), False, xor),
    Generator("circle", N_("Circle"), False, circle),
    Generator("two_clusters", N_("Two clusters"), False, two_clusters),
    Generator("spiral", N_("Spiral"), False, spiral),
    Generator("moons", N_("Moons"), False, moons),
    Generator("plane", N_("Plane"), True, plane),
    Generator("bumps", N_("Bumps"), True, bumps),
)}


def generate(key: str, count: int, noise: float, seed: int) -> list[Point]:
    """The dataset `key`'s points for these settings: the same every time."""
    return GENERATORS[key].make(Random(seed), count, noise)
