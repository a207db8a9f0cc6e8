"""Timings of the core's two hot paths, each checked against the oracle as it is timed."""

from __future__ import annotations

import oracle
from pyodide_app import network
from pyodide_app.state import load_seed
from pyodide_app.trace import trace

SEED = oracle.seed_data()


def test_bench_one_training_step(benchmark):
    state = load_seed()
    nets = []

    def setup():
        net = state.network.copy()
        nets.append(net)
        return (net, state.inputs, state.targets, state.learning_rate, 1), {}

    benchmark.pedantic(network.train, setup=setup, rounds=300, iterations=1, warmup_rounds=10)

    expected = oracle.step(oracle.seed_net(), SEED["inputs"], SEED["targets"], SEED["learning_rate"])
    assert nets  # (one call only under --benchmark-disable)
    for net in nets:  # every timed call took exactly one correct step from the seed
        for l in range(len(expected.weights)):
            oracle.assert_close(net.weights[l], expected.weights[l], f"weights[{l}]")
            oracle.assert_close(net.biases[l], expected.biases[l], f"biases[{l}]")
    assert state.network == load_seed().network  # the seed itself was never trained


def test_bench_one_full_trace(benchmark):
    state = load_seed()
    result = benchmark.pedantic(trace, args=(state,), rounds=300, iterations=1, warmup_rounds=10)

    expected_loss = oracle.loss_at(oracle.seed_net(), SEED["inputs"], SEED["targets"])
    assert oracle.close(result["loss"]["total"], expected_loss)
    oracle.assert_trace_matches(result, oracle.seed_net(), SEED["inputs"], SEED["targets"], SEED["learning_rate"])
    assert state.network == load_seed().network  # tracing changes nothing
