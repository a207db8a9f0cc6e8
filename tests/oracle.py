"""An independent oracle for the network core, in numpy matrix form.

Nothing here imports pyodide_app's arithmetic: the tests compare the core, which works
neuron by neuron in plain Python, against this vectorised derivation of the same maths.

    z[l] = W[l] @ a[l-1] + b[l]          a[l] = σ(z[l])
    Loss = ½ Σ (a[L] − t)²
    δ[L] = (a[L] − t) · a[L](1 − a[L])
    δ[l] = (W[l+1].T @ δ[l+1]) · a[l](1 − a[l])
    ∂L/∂W[l] = δ[l] ⊗ a[l-1]             ∂L/∂b[l] = δ[l]
    W ← W − α ∂L/∂W,  b ← b − α ∂L/∂b    (every gradient from the weights before the step)

Also the small shared helpers of the core test files (tolerances, loading the seed, random
networks for hypothesis).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SEED_PATH = ROOT / "pyodide_app" / "seed.json"

# Agreement demanded between the core and the oracle: both are double precision, but they
# sum in different orders (fsum vs BLAS), so allow a few ulps relative to the magnitudes.
ABS_TOL = 1e-12
REL_TOL = 1e-12


def sigmoid(z):
    """σ(z) in the logaddexp form: σ(z) = exp(−log(1 + e^(−z))), stable for every z."""
    z = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0.0, -z))


@dataclass
class Net:
    weights: list[np.ndarray]  # weights[l] has shape (n[l+1], n[l])
    biases: list[np.ndarray]

    @classmethod
    def from_lists(cls, weights, biases) -> Net:
        return cls([np.array(w, dtype=float) for w in weights], [np.array(b, dtype=float) for b in biases])

    def copy(self) -> Net:
        return Net([w.copy() for w in self.weights], [b.copy() for b in self.biases])

    def to_lists(self):
        return [w.tolist() for w in self.weights], [b.tolist() for b in self.biases]


@dataclass
class Pass:
    sums: list[np.ndarray]  # sums[0] is the input (no sum), kept for equal indexing
    activations: list[np.ndarray]
    loss: float
    deltas: list[np.ndarray]  # deltas[0] is empty
    errors: list[np.ndarray]  # ∂L/∂a per layer; errors[0] is empty
    weight_gradients: list[np.ndarray]
    bias_gradients: list[np.ndarray]


def forward(net: Net, inputs):
    a = np.array(inputs, dtype=float)
    sums, activations = [np.zeros(0)], [a]
    for w, b in zip(net.weights, net.biases):
        z = w @ a + b
        a = sigmoid(z)
        sums.append(z)
        activations.append(a)
    return sums, activations


def loss(outputs, targets) -> float:
    diff = np.asarray(outputs, dtype=float) - np.asarray(targets, dtype=float)
    return float(0.5 * diff @ diff)


def full_pass(net: Net, inputs, targets) -> Pass:
    sums, activations = forward(net, inputs)
    t = np.array(targets, dtype=float)
    L = len(net.weights)
    deltas: list[np.ndarray] = [np.zeros(0)] * (L + 1)
    errors: list[np.ndarray] = [np.zeros(0)] * (L + 1)
    errors[L] = activations[L] - t
    deltas[L] = errors[L] * activations[L] * (1.0 - activations[L])
    for l in range(L - 1, 0, -1):
        errors[l] = net.weights[l].T @ deltas[l + 1]
        deltas[l] = errors[l] * activations[l] * (1.0 - activations[l])
    weight_gradients = [np.outer(deltas[l], activations[l - 1]) for l in range(1, L + 1)]
    bias_gradients = [deltas[l].copy() for l in range(1, L + 1)]
    return Pass(sums, activations, loss(activations[L], t), deltas, errors, weight_gradients, bias_gradients)


def step(net: Net, inputs, targets, learning_rate: float) -> Net:
    """One simultaneous gradient step; returns a new Net, the argument is left alone."""
    p = full_pass(net, inputs, targets)
    return Net([w - learning_rate * g for w, g in zip(net.weights, p.weight_gradients)],
               [b - learning_rate * g for b, g in zip(net.biases, p.bias_gradients)])


def train(net: Net, inputs, targets, learning_rate: float, steps: int) -> Net:
    for _ in range(steps):
        net = step(net, inputs, targets, learning_rate)
    return net


def loss_at(net: Net, inputs, targets) -> float:
    return full_pass(net, inputs, targets).loss


# --- shared helpers -----------------------------------------------------------------------

def seed_data() -> dict:
    return json.loads(SEED_PATH.read_text(encoding="utf-8"))


def seed_net() -> Net:
    data = seed_data()
    return Net.from_lists(data["weights"], data["biases"])


def close(actual, expected, abs_tol: float = ABS_TOL, rel_tol: float = REL_TOL) -> bool:
    return math.isclose(float(actual), float(expected), abs_tol=abs_tol, rel_tol=rel_tol)


def assert_close(actual, expected, what: str = "", abs_tol: float = ABS_TOL, rel_tol: float = REL_TOL):
    """Elementwise |actual − expected| ≤ abs_tol + rel_tol·|expected|, shapes equal."""
    a = np.asarray(actual, dtype=float)
    e = np.asarray(expected, dtype=float)
    assert a.shape == e.shape, f"{what}: shape {a.shape} != {e.shape}"
    assert np.all(np.isfinite(a)), f"{what}: non-finite {a}"
    bad = np.abs(a - e) > abs_tol + rel_tol * np.abs(e)
    assert not bad.any(), f"{what}: {a[bad]} != {e[bad]} (max diff {np.max(np.abs(a - e))})"


def numeric_gradients(net: Net, loss_of, h: float = 1e-6):
    """Central differences (L(p+h) − L(p−h)) / 2h of `loss_of(Net)` for every weight and bias.

    `loss_of` is any loss function of a Net: the tests pass the core's forward and loss, so
    the core's backward pass is checked against the core's own forward pass.
    """
    weight_grads, bias_grads = [], []
    for l in range(len(net.weights)):
        gw = np.zeros_like(net.weights[l])
        for j, i in np.ndindex(*gw.shape):
            plus, minus = net.copy(), net.copy()
            plus.weights[l][j, i] += h
            minus.weights[l][j, i] -= h
            gw[j, i] = (loss_of(plus) - loss_of(minus)) / (2 * h)
        gb = np.zeros_like(net.biases[l])
        for j in range(gb.shape[0]):
            plus, minus = net.copy(), net.copy()
            plus.biases[l][j] += h
            minus.biases[l][j] -= h
            gb[j] = (loss_of(plus) - loss_of(minus)) / (2 * h)
        weight_grads.append(gw)
        bias_grads.append(gb)
    return weight_grads, bias_grads


def assert_trace_matches(t: dict, net: Net, inputs, targets, learning_rate: float):
    """Every number of a trace dict (as trace() returns it, or as the CLI prints it) against
    one oracle pass and one oracle step from `net`."""
    p = full_pass(net, inputs, targets)
    after = step(net, inputs, targets, learning_rate)
    sizes = [len(inputs)] + [len(b) for b in net.biases]
    assert t["sizes"] == sizes
    assert t["learning_rate"] == learning_rate
    assert [n["activation"] for n in t["layers"][0]["neurons"]] == list(inputs)
    assert_close(t["loss"]["total"], p.loss, "loss")
    for l in range(1, len(sizes)):
        neurons = t["layers"][l]["neurons"]
        assert len(neurons) == sizes[l]
        assert_close([n["sum"] for n in neurons], p.sums[l], f"sums[{l}]")
        assert_close([n["activation"] for n in neurons], p.activations[l], f"activations[{l}]")
        assert_close([n["error"] for n in neurons], p.errors[l], f"errors[{l}]")
        assert_close([n["delta"] for n in neurons], p.deltas[l], f"deltas[{l}]")
        assert_close([[u["old"] for u in n["weight_updates"]] for n in neurons], net.weights[l - 1], f"W[{l}]")
        assert_close([[u["gradient"] for u in n["weight_updates"]] for n in neurons],
                     p.weight_gradients[l - 1], f"dL/dW[{l}]")
        assert_close([[u["new"] for u in n["weight_updates"]] for n in neurons], after.weights[l - 1],
                     f"new W[{l}]")
        assert_close([n["bias_update"]["old"] for n in neurons], net.biases[l - 1], f"b[{l}]")
        assert_close([n["bias_update"]["gradient"] for n in neurons], p.bias_gradients[l - 1], f"dL/db[{l}]")
        assert_close([n["bias_update"]["new"] for n in neurons], after.biases[l - 1], f"new b[{l}]")
