"""Mini-batches against the numpy batch oracle: mean gradients, each sample's contributions,
the fused training loop over shuffled epochs; and the gradient check on a batch's loss."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import batch_oracle
import oracle
from strategies import finite, problems, targets_for
from pyodide_app import batch, network
from pyodide_app.activations import ACTIVATIONS
from pyodide_app.network import Network


@st.composite
def batch_problems(draw, max_samples: int = 12):
    """(oracle.Net, inputs of each sample, targets of each sample, rate)."""
    net, inputs, targets, rate = draw(problems(max_hidden=3, max_width=5, weight_bound=2.0))
    count = draw(st.integers(1, max_samples))
    xs = [inputs] + [draw(st.lists(st.floats(-3, 3, **finite), min_size=len(inputs), max_size=len(inputs)))
                     for _ in range(count - 1)]
    ts = [targets] + [draw(targets_for(net.activations[-1], net.loss, len(targets))) for _ in range(count - 1)]
    return net, xs, ts, min(rate, 1.0)


def core(net: oracle.Net) -> Network:
    weights, biases = net.to_lists()
    return Network(weights, biases, net.activations[:], net.loss)


@settings(max_examples=150, deadline=None)
@given(batch_problems())
def test_mean_gradients_and_contributions_match_the_oracle(problem):
    net, xs, ts, _ = problem
    steps = [batch.sample_step(core(net), k, x, t) for k, (x, t) in enumerate(zip(xs, ts))]
    gw, gb = batch.mean_gradients(steps)
    ow, ob = batch_oracle.mean_gradients(net, xs, ts)
    for l in range(len(ow)):
        oracle.assert_close(np.array(gw[l]), ow[l], f"∂L/∂W[{l + 1}]", abs_tol=1e-10, rel_tol=1e-9)
        oracle.assert_close(np.array(gb[l]), ob[l], f"∂L/∂b[{l + 1}]", abs_tol=1e-10, rel_tol=1e-9)
    shares = batch_oracle.contributions(net, xs, ts)
    for s, step in enumerate(steps):
        for l in range(1, len(step.deltas)):
            mine = np.outer(step.deltas[l], step.activations[l - 1])
            oracle.assert_close(mine, shares[l - 1][s], f"sample {s}, layer {l}", abs_tol=1e-10, rel_tol=1e-9)
    oracle.assert_close(np.mean([s.loss for s in steps]), batch_oracle.batch_loss(net, xs, ts), "batch loss",
                        abs_tol=1e-10, rel_tol=1e-9)


@settings(max_examples=100, deadline=None)
@given(batch_problems(), st.integers(1, 5), st.integers(1, 2), st.integers(0, 10**6))
def test_the_fused_loop_is_the_readable_one_and_the_oracle(problem, batch_size, epochs, seed):
    net, xs, ts, rate = problem
    rate = min(rate, 0.3)
    batches = [b for e in range(epochs) for b in batch.batches_of(batch.epoch_order(len(xs), seed, e), batch_size)]
    fused = core(net)
    batch.train_batches(fused, xs, ts, batches, rate)
    readable = core(net)
    try:
        for b in batches:
            batch.apply(readable, *batch.mean_gradients([batch.sample_step(readable, k, xs[k], ts[k]) for k in b]), rate)
    except OverflowError:  # a diverged network's loss, (o − t)² past the largest float: nothing to compare
        assume(False)
    assert repr(fused) == repr(readable)  # the same arithmetic, to the last bit (nan and all)
    assume(np.isfinite(np.concatenate([np.ravel(w) for w in fused.weights])).all())
    expected = batch_oracle.train(net, xs, ts, batches, rate)
    for l, (w, ow) in enumerate(zip(fused.weights, expected.weights)):
        oracle.assert_close(np.array(w), ow, f"W[{l + 1}] after {len(batches)} batches", abs_tol=1e-8, rel_tol=1e-8)


def test_one_sample_batches_are_todays_single_step():
    """Batch size 1 on the one sample is the page's Step to the last bit."""
    seed = oracle.seed_data()
    single = core(oracle.seed_net())
    network.train(single, seed["inputs"], seed["targets"], seed["learning_rate"], 3)
    batched = core(oracle.seed_net())
    batch.train_batches(batched, [seed["inputs"]], [seed["targets"]], [[0]] * 3, seed["learning_rate"])
    assert batched.weights == single.weights and batched.biases == single.biases


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 300), st.integers(0, 10**9), st.integers(0, 50), st.integers(1, 40))
def test_an_epoch_visits_every_training_sample_once_in_an_order_the_seed_fixes(count, seed, epoch, size):
    order = batch.epoch_order(count, seed, epoch)
    assert sorted(order) == list(range(count))
    assert order == batch.epoch_order(count, seed, epoch)
    cut = batch.batches_of(order, size)
    assert [k for b in cut for k in b] == order and all(len(b) == size for b in cut[:-1])


@settings(max_examples=60, deadline=None)
@given(batch_problems(max_samples=6))
def test_the_gradient_check_holds_on_a_batch_loss(problem):
    """Central differences of the batch's mean loss agree with the mean gradient."""
    net, xs, ts, _ = problem
    sums, _ = batch_oracle.forward(net, xs)
    kinked = [l for l, f in enumerate(net.activations, start=1) if f in ("relu", "leaky_relu")]
    assume(all(np.abs(sums[l]).min() > 1e-4 for l in kinked))  # no derivative at a kink
    steps = [batch.sample_step(core(net), k, x, t) for k, (x, t) in enumerate(zip(xs, ts))]
    gw, _ = batch.mean_gradients(steps)
    h = 1e-6
    for l, w in enumerate(net.weights):
        for (j, i), _ in np.ndenumerate(w):
            up, down = net.copy(), net.copy()
            up.weights[l][j, i] += h
            down.weights[l][j, i] -= h
            numeric = (batch_oracle.batch_loss(up, xs, ts) - batch_oracle.batch_loss(down, xs, ts)) / (2 * h)
            assert abs(numeric - gw[l][j][i]) <= 1e-5 * max(1.0, abs(numeric)), (l, j, i)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([key for key, f in ACTIVATIONS.items() if not f.mixes_layer]),
       st.lists(st.floats(-40, 40, **finite), min_size=1, max_size=8))
def test_a_layers_slopes_are_its_derivative_neuron_by_neuron_to_the_last_bit(key, sums):
    """The fused loop's f′ over a whole layer (LAYER_SLOPES) is f.derivative of each neuron,
    for every activation a hidden layer can have; and every one of them has its layer form."""
    f = ACTIVATIONS[key]
    activations = f.forward(sums)
    assert batch.layer_slopes(f)(sums, activations) == list(map(f.derivative, sums, activations))
    assert key in batch.LAYER_SLOPES


@settings(max_examples=200, deadline=None)
@given(problems(max_hidden=2, max_width=4))
def test_the_fused_output_deltas_are_networks_to_the_last_bit(problem):
    """For every output activation and loss: the δ of the output layer the fused loop takes."""
    net, inputs, targets, _ = problem
    mine = core(net)
    sums, activations = network.forward(mine, inputs)
    expected = network.output_deltas(mine, sums[-1], activations[-1], targets)
    assert repr(batch.output_deltas_of(mine)(sums[-1], activations[-1], targets)) == repr(expected)
