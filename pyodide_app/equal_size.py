"""Networks of equal size: a fair "deep or wide?" compares networks with the same number of
weights and biases, or "deeper is better" is only "bigger is better".

    count(n₀-n₁-…-n_L) = Σ_l (n_{l-1} + 1) · n_l

2-8-8-1 has (2+1)·8 + (8+1)·8 + (8+1)·1 = 105, as has 2-26-1: (2+1)·26 + (26+1)·1.
"""

from __future__ import annotations

import itertools

WIDEST = 64  # the widest hidden layer a proposal may have
DEEPEST = 4  # the most hidden layers a proposal may have
# the search tries every width for all hidden layers but the last: fewer the deeper it goes
HEAD_WIDEST = {2: WIDEST, 3: 16, 4: 8}


def parameter_count(sizes: list[int]) -> int:
    """Σ_l (n_{l-1} + 1) · n_l: each neuron's weights from the layer before, and its bias."""
    return sum((n_in + 1) * n_out for n_in, n_out in zip(sizes, sizes[1:]))


def _depths_to_try(hidden: int) -> list[int]:
    """Another depth: a deep network (two hidden layers or more) is matched by the shallowest
    network that fits, a shallow one by a deeper one."""
    others = [d for d in range(1, DEEPEST + 1) if d != hidden]
    return others if hidden >= 2 else sorted(others, key=lambda d: (d < hidden, d))


def _widths(n_in: int, n_out: int, depth: int, count: int) -> list[int] | None:
    """The most even hidden widths of `depth` layers with exactly `count` parameters, or None."""
    if depth == 1:
        width, left = divmod(count - n_out, n_in + 1 + n_out)
        return [width] if left == 0 and 1 <= width <= WIDEST else None
    best = None
    for head in itertools.product(range(1, HEAD_WIDEST[depth] + 1), repeat=depth - 1):
        # the last hidden layer's width w solves (h + 1)·w + (w + 1)·n_out = rest
        sizes = [n_in, *head]
        rest = count - parameter_count(sizes) - n_out
        width, left = divmod(rest, sizes[-1] + 1 + n_out)
        if left == 0 and 1 <= width <= WIDEST:
            widths = [*head, width]
            if best is None or max(widths) - min(widths) < max(best) - min(best):
                best = widths
    return best


def equal_size(sizes: list[int]) -> list[int] | None:
    """Layer sizes of another depth, with the same inputs and outputs and exactly as many
    weights and biases as `sizes`; None when no network within the limits has as many."""
    count, hidden = parameter_count(sizes), len(sizes) - 2
    for depth in _depths_to_try(hidden):
        widths = _widths(sizes[0], sizes[-1], depth, count)
        if widths:
            return [sizes[0], *widths, sizes[-1]]
    return None
