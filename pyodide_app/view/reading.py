"""Where a worked line's number is read from: a trace's neurons, its loss, its batch, or the
step whose updates the page shows (lines.Lines.num names the place)."""

from __future__ import annotations


def reader(where: tuple):
    """A function (trace, step shown) → the number at `where` (see Lines.num)."""
    source, *path = where
    if source == "batch":
        return lambda t, step: _along(step["batch"], path)
    if source == "batch_loss":  # of the network now, as the loss card is
        return lambda t, step: _along(t["batch_loss"], path)
    if source == "rate":
        return lambda t, step: t["learning_rate"]
    if source == "loss":
        return lambda t, step: _along(t["loss"], path)
    l, j, *path = path
    if len(path) == 1:
        field = path[0]
        if source == "layer":
            return lambda t, step: t["layers"][l]["neurons"][j][field]
        return lambda t, step: step["layers"][l]["neurons"][j][field]

    def read_deeper(t, step):
        node = (t if source == "layer" else step)["layers"][l]["neurons"][j]
        for part in path:
            node = node[part]
        return node
    return read_deeper


def _along(node, path):
    """The value at `path` (keys and indices) under `node`."""
    for part in path:
        node = node[part]
    return node
