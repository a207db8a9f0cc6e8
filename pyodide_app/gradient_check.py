"""The gradient check: every backpropagated gradient against the definition of the derivative.

For each weight and bias p, the central difference

    d = (L(p + h) − L(p − h)) / 2h,   h = 10⁻⁵

approaches ∂L/∂p as h shrinks. On data, L is the batch's mean loss L_B = (1/n) Σ_s L_s, and
its gradient the mean of the samples' δ × a (batch.py): the check is of that mean. It is off by two errors: the formula's own, h²·|L‴|/6, about
10⁻¹¹·|L‴| (10⁻¹⁰ and more where L curves sharply), and the rounding of L, known to about
10⁻¹⁴·L after rounding in every layer, which the division by 2h magnifies to about 10⁻⁹·L.
Backpropagation gives ∂L/∂p to rounding. Their relative difference

    r = |g − d| / max(|g|, |d|, 10⁻⁵·max(1, L))

is then about 10⁻⁸ or less. The floor keeps a slope too small for d to resolve (a dead ReLU's
zero, a saturated sigmoid's 10⁻¹², any slope at a minimum) from dividing those errors by almost
nothing: below it, the difference counts in units of the floor, so a gradient of 10⁻⁷ that
is wrong still shows, as r ≈ 10⁻². Where r stays at most 10⁻⁴ for every parameter, backpropagation
agrees with the definition. At a kink of ReLU (a sum within h of 0) the central difference
straddles the corner and is not the slope there.

Standard library only, like the rest of the core.
"""

from __future__ import annotations

from dataclasses import dataclass

from .batch import mean_gradients, mean_loss, sample_step
from .network import Network

H = 1e-5
FLOOR = 1e-5  # the smallest slope d resolves, times max(1, L) (see above)
AGREES = 1e-4  # the largest relative difference that still counts as agreement


@dataclass(frozen=True)
class Entry:
    l: int  # layer of the neuron the parameter feeds (1 … L)
    j: int  # that neuron
    i: int | None  # neuron of the layer before, for a weight; None for the bias
    gradient: float  # by backpropagation
    central: float  # by the central difference
    relative: float  # their relative difference


def central_difference(loss_now, values: list[float], k: int) -> float:
    """(L(p + h) − L(p − h)) / ((p + h) − (p − h)) for p = values[k], a weight or bias of the
    network `loss_now()` evaluates; divided by the step the floats actually took, not 2h. p is
    put back after."""
    p = values[k]
    up, down = p + H, p - H
    values[k] = up
    above = loss_now()
    values[k] = down
    below = loss_now()
    values[k] = p
    return (above - below) / (up - down)


def relative_difference(gradient: float, central: float, loss: float) -> float:
    scale = max(abs(gradient), abs(central), FLOOR * max(1.0, abs(loss)))
    return abs(gradient - central) / scale


def check(net: Network, inputs: list[float], targets: list[float]) -> list[Entry]:
    """One entry per weight and bias, layer by layer, each neuron's weights before its bias.
    g is backpropagation's ∂L/∂w = δ_j × a_i and ∂L/∂b = δ_j, as the page shows them. `net` is not changed."""
    return check_batch(net, [inputs], [targets])


def check_batch(net: Network, inputs: list[list[float]], targets: list[list[float]]) -> list[Entry]:
    """As `check`, of the batch's mean loss (1/n) Σ_s L_s: g is the mean of the samples'
    δ_j × a_i (of δ_j for a bias), as the Weight Updates table shows it. For one sample that
    is the sample's own δ_j × a_i and L, to the last bit."""
    net = net.copy()
    steps = [sample_step(net, k, x, t) for k, (x, t) in enumerate(zip(inputs, targets))]
    weight_gradients, bias_gradients = mean_gradients(steps)
    loss_now = lambda: mean_loss(net, inputs, targets)  # noqa: E731
    loss = loss_now()
    entries = []
    for l, (weights, biases) in enumerate(zip(net.weights, net.biases), start=1):
        for j, row in enumerate(weights):
            for i in range(len(row)):
                entries.append(_entry(l, j, i, weight_gradients[l - 1][j][i], central_difference(loss_now, row, i), loss))
            entries.append(_entry(l, j, None, bias_gradients[l - 1][j], central_difference(loss_now, biases, j), loss))
    return entries


def _entry(l: int, j: int, i: int | None, gradient: float, central: float, loss: float) -> Entry:
    return Entry(l, j, i, gradient, central, relative_difference(gradient, central, loss))


def largest(entries: list[Entry]) -> Entry:
    return max(entries, key=lambda e: e.relative)
