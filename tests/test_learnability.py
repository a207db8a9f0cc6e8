"""The data's lessons hold in CPython with their seeds: a network that should learn a dataset
does, on points it has not seen, and one that cannot does not. The accuracy is the numpy
oracle's, on the weights the page's training loop left (learning rate 0.03, batch size 10)."""

from __future__ import annotations

import numpy as np

import batch_oracle
import oracle
from pyodide_app import batch
from pyodide_app.data import dataset
from pyodide_app.design import random_parameters
from pyodide_app.network import Network


def test_accuracy(key: str, sizes: list[int], activations: list[str], epochs: int, seed: int, enough: float):
    """Trains up to `epochs`, looking every 250; the test accuracy of the first look at or above
    `enough` (or of the last)."""
    data = dataset.generated(key, 500, 0.0, 0.5, seed)
    points = dataset.samples(data, ["x1", "x2"], activations[-1])
    train, test = data.training_indices, data.test_indices
    X, T = [points.inputs[k] for k in train], [points.targets[k] for k in train]
    net = Network(*random_parameters(sizes, activations, seed), activations, "mse")
    accuracy = 0.0
    for epoch in range(epochs):
        batch.train_batches(net, X, T, batch.batches_of(batch.epoch_order(len(X), seed, epoch), 10), 0.03)
        if (epoch + 1) % 250 == 0 or epoch == epochs - 1:
            trained = oracle.Net.from_lists(net.weights, net.biases, activations, "mse")
            accuracy = batch_oracle.accuracy(trained, np.array(points.inputs)[test], np.array(points.targets)[test])
            if accuracy >= enough:
                break
    return accuracy


test_accuracy.__test__ = False  # a helper, not a test


def test_xor_needs_a_hidden_layer():
    assert test_accuracy("xor", [2, 4, 1], ["tanh", "tanh"], 500, 1, 0.9) >= 0.9
    # one straight line can be right on three quadrants of four at best; from this seed
    # gradient descent ends near chance
    assert test_accuracy("xor", [2, 1], ["tanh"], 500, 3, 1.0) <= 0.6


def test_the_spiral_is_learnt_by_two_hidden_layers():
    assert test_accuracy("spiral", [2, 8, 8, 1], ["tanh", "tanh", "tanh"], 2000, 1, 0.9) >= 0.9
