"""How the network does on its dataset, worked out once for each network: the status bar, the
plot's summary, the loss curve and the loss card all read the one Evaluation (evaluation.py),
and while training it costs a pass over every point, so it is not worked out twice."""

from __future__ import annotations

import time

from ..network import Network
from .evaluation import Evaluation, evaluate

NOT_THE_POINTS = ("shown", "position", "batch_size")  # the rest of the data's settings make the points
_LAST: list = [None, None, 0.0]  # (the network and dataset it was for, its Evaluation, when)


def evaluated(net: Network, data: dict) -> Evaluation:
    key = (repr(net.weights), repr(net.biases), tuple(net.activations), net.loss,
           repr([(name, value) for name, value in data.items() if name not in NOT_THE_POINTS]))
    if _LAST[0] != key:
        _LAST[:] = key, evaluate(net, data), time.perf_counter()
    return _LAST[1]


def age() -> float:
    """Seconds since the last evaluation was worked out."""
    return time.perf_counter() - _LAST[2]
