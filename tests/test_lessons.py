"""Every built-in lesson shows what it says, with its seeds: both networks are trained by the
page's own loop in CPython on the same batches, and judged by the numpy oracle (test loss,
accuracy, first-layer gradients). Equal-size proposals have exactly as many weights and biases."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

import batch_oracle
import oracle
from pyodide_app import batch
from pyodide_app.data import dataset
from pyodide_app.design import random_parameters
from pyodide_app.equal_size import equal_size, parameter_count
from pyodide_app.lessons import LESSONS, Contender, Lesson
from pyodide_app.network import Network


@dataclass
class Look:
    epoch: int
    test_loss: float
    accuracy: float


def points(lesson: Lesson, contender: Contender):
    data = dataset.generated(lesson.dataset, lesson.points, 0.0, lesson.test_share / 100, lesson.data_seed)
    made = dataset.samples(data, list(contender.inputs), contender.activations[-1])
    return data, np.array(made.inputs), np.array(made.targets)


def oracle_net(net: Network, contender: Contender) -> oracle.Net:
    return oracle.Net.from_lists(net.weights, net.biases, list(contender.activations), "mse")


def trained(lesson: Lesson, contender: Contender, every: int) -> list[Look]:
    """The contender trained for the lesson's epochs, looked at every `every` epochs."""
    data, X, T = points(lesson, contender)
    train, test = data.training_indices, data.test_indices
    inputs, targets = X[train].tolist(), T[train].tolist()
    activations = list(contender.activations)
    net = Network(*random_parameters(list(contender.sizes), activations, contender.seed), activations, "mse")
    looks = []
    for epoch in range(lesson.epochs):
        order = batch.epoch_order(len(inputs), lesson.data_seed, epoch)  # the same for both contenders
        batch.train_batches(net, inputs, targets, batch.batches_of(order, lesson.batch_size), contender.learning_rate)
        if (epoch + 1) % every == 0:
            judged = oracle_net(net, contender)
            looks.append(Look(epoch + 1, batch_oracle.batch_loss(judged, X[test], T[test]),
                              batch_oracle.accuracy(judged, X[test], T[test])))
    return looks


def test_every_lesson_is_well_formed():
    for lesson in LESSONS.values():
        assert lesson.instruction.count(". ") + lesson.instruction.count(": ") >= 1
        for contender in (lesson.first, lesson.second):
            assert contender.sizes[0] == len(contender.inputs)
            assert len(contender.activations) == len(contender.sizes) - 1


def test_xor_needs_a_hidden_layer():
    lesson = LESSONS["xor-needs-a-hidden-layer"]
    assert lesson.first.sizes == (2, 1) and lesson.second.sizes == (2, 4, 1)
    assert all(look.accuracy <= 0.6 for look in trained(lesson, lesson.first, 100))
    assert trained(lesson, lesson.second, lesson.epochs)[-1].accuracy >= 0.95


def test_features_can_replace_layers():
    lesson = LESSONS["features-can-replace-layers"]
    assert len(lesson.first.sizes) == 2  # no hidden layer
    assert {"x1_squared", "x2_squared"} <= set(lesson.first.inputs) and lesson.second.inputs == ("x1", "x2")
    counts = parameter_count(list(lesson.first.sizes)), parameter_count(list(lesson.second.sizes))
    assert f"with {counts[0]} weights and biases instead of {counts[1]}" in lesson.instruction
    assert trained(lesson, lesson.first, lesson.epochs)[-1].accuracy >= 0.95
    assert trained(lesson, lesson.second, lesson.epochs)[-1].accuracy >= 0.95


def test_deep_or_wide():
    lesson = LESSONS["deep-or-wide"]
    count = parameter_count(list(lesson.first.sizes))
    assert count == parameter_count(list(lesson.second.sizes)) == 105 and f"{count} weights" in lesson.instruction
    assert equal_size(list(lesson.first.sizes)) == list(lesson.second.sizes)
    deep, wide = trained(lesson, lesson.first, 250), trained(lesson, lesson.second, 250)
    assert deep[-1].epoch == wide[-1].epoch == lesson.epochs
    assert deep[-1].test_loss < wide[-1].test_loss
    # "the wide one keeps up for a while": at some earlier look it is as good or better
    assert any(w.test_loss <= d.test_loss for d, w in zip(deep[:-1], wide[:-1]))


def first_layer_gradient(lesson: Lesson, contender: Contender) -> float:
    """Mean |∂L/∂w| of the first layer's weights over the training points, before training."""
    data, X, T = points(lesson, contender)
    activations = list(contender.activations)
    weights, biases = random_parameters(list(contender.sizes), activations, contender.seed)
    net = oracle.Net.from_lists(weights, biases, activations, "mse")
    weight_gradients, _ = batch_oracle.mean_gradients(net, X[data.training_indices], T[data.training_indices])
    return float(np.mean(np.abs(weight_gradients[0])))


def test_vanishing_gradients():
    lesson = LESSONS["vanishing-gradients"]
    sigmoid, relu = lesson.first, lesson.second
    assert sigmoid.sizes == relu.sizes and set(sigmoid.activations) == {"sigmoid"}
    assert first_layer_gradient(lesson, relu) >= 100 * first_layer_gradient(lesson, sigmoid)
    assert trained(lesson, relu, lesson.epochs)[-1].accuracy >= 0.9
    assert trained(lesson, sigmoid, lesson.epochs)[-1].accuracy <= 0.6


def test_too_large_a_learning_rate():
    lesson = LESSONS["too-large-a-learning-rate"]
    assert (lesson.first.sizes, lesson.first.activations) == (lesson.second.sizes, lesson.second.activations)
    assert (lesson.first.learning_rate, lesson.second.learning_rate) == (0.03, 3.0)
    steady, jumpy = trained(lesson, lesson.first, 20), trained(lesson, lesson.second, 20)
    assert all(b.test_loss < a.test_loss for a, b in zip(steady, steady[1:]))  # falls steadily
    assert any(b.test_loss > a.test_loss for a, b in zip(jumpy, jumpy[1:]))  # jumps up
    assert steady[-1].test_loss < 0.05 and jumpy[-1].test_loss > 5 * steady[-1].test_loss


def test_equal_size_matches_the_count_with_another_depth():
    assert equal_size([2, 8, 8, 1]) == [2, 26, 1] and equal_size([2, 26, 1]) == [2, 8, 8, 1]
    rng = random.Random(20)
    for _ in range(20):
        hidden = [rng.randint(2, 8) for _ in range(rng.randint(1, 4))]
        first = [rng.randint(1, 8), *hidden, rng.randint(1, 8)]
        proposed = equal_size(first)
        assert proposed is not None, first
        assert parameter_count(proposed) == parameter_count(first), (first, proposed)
        assert len(proposed) != len(first) and proposed[0] == first[0] and proposed[-1] == first[-1]
        assert all(1 <= width <= 64 for width in proposed[1:-1])


def test_equal_size_counts_by_hand_and_says_when_none_fits():
    # (2+1)·8 + (8+1)·8 + (8+1)·1 and (3+1)·4 + (4+1)·3 + (3+1)·2 + (2+1)·2, written out
    assert parameter_count([2, 8, 8, 1]) == 24 + 72 + 9
    assert parameter_count([3, 4, 3, 2, 2]) == 16 + 15 + 8 + 6
    assert equal_size([2, 1]) is None  # 3 parameters: every network with a hidden layer has more
