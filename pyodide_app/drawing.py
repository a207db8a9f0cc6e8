"""The drawing worker's entry: the plot's pictures of the networks it is sent, JSON in and out.

While the page trains on data, a second worker (its own Python, restored from the same
snapshot) draws what the plot shows of each network, the boundary and every neuron's map
(data/evaluation.py's `picture`, one pass), from the weights the training worker sends it, so
training never stops to draw. A request is {"networks": [{"weights", "biases", "activations",
"loss", and "inputs" if its input neurons are not the data's}, …], "cells": n, and "data" when
the data changed since the last}; the answer, a reply the page applies as it applies the
worker's, is {"plot": the first network's picture, "otherPlots": [the others', in order]}: a
second network (Compare) gets otherPlots[0] (draw.js hands it on).
"""

from __future__ import annotations

import json

from .data import evaluation
from .network import Network


class Drawer:
    def __init__(self):
        self.data = None  # the data, as last sent

    def draw(self, text: str) -> str:
        request = json.loads(text)
        self.data = request.get("data", self.data)
        if self.data is None:
            return "{}"
        plots = []
        for net in request["networks"]:
            network = Network(net["weights"], net["biases"], net["activations"], net["loss"])
            data = {**self.data, "inputs": net["inputs"]} if "inputs" in net else self.data
            plots.append({"on": True} | evaluation.picture(network, data, request["cells"]))
        return json.dumps({"plot": plots[0]} | ({"otherPlots": plots[1:]} if len(plots) > 1 else {}))

