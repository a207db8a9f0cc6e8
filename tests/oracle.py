"""An independent oracle for the network core, in numpy matrix form.

Nothing here imports pyodide_app's arithmetic: the tests compare the core, which works
neuron by neuron in plain Python, against this vectorised derivation of the same maths.

    z[l] = W[l] @ a[l-1] + b[l]          a[l] = f_l(z[l])
    J[l] = ∂a[l]/∂z[l]                   the activation's Jacobian: diag(f′(z)) for an
                                         elementwise f, diag(a) − a aᵀ for softmax
    g    = ∂L/∂a[L]                      MSE: a − t;  binary cross-entropy: −t/a + (1 − t)/(1 − a);
                                         categorical cross-entropy: −t/a
    δ[L] = J[L].T @ g                    (no shortcut: the core's δ = o − t is checked against this)
    δ[l] = J[l].T @ (W[l+1].T @ δ[l+1])
    ∂L/∂W[l] = δ[l] ⊗ a[l-1]             ∂L/∂b[l] = δ[l]
    W ← W − α ∂L/∂W,  b ← b − α ∂L/∂b    (every gradient from the weights before the step)

Losses: MSE ½ Σ (a − t)²; cross-entropy from the sums with logaddexp, binary
−Σ [t log σ(z) + (1 − t) log(1 − σ(z))] for sigmoid outputs, categorical −Σ t log softmax(z)
for softmax outputs.

Also the small shared helpers of the core test files (tolerances, loading the seed, random
networks for hypothesis).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SEED_PATH = ROOT / "pyodide_app" / "seed.json"
FIXTURES = ROOT / "tests" / "fixtures"

# Agreement demanded between the core and the oracle: both are double precision, but they
# sum in different orders (fsum vs BLAS), so allow a few ulps relative to the magnitudes.
ABS_TOL = 1e-12
REL_TOL = 1e-12

ELEMENTWISE = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
ACTIVATIONS = ELEMENTWISE + ("softmax",)
LOSSES = ("mse", "cross_entropy")
# output ranges, as the page's limits must follow them
OUTPUT_RANGE = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, math.inf),
                "leaky_relu": (-math.inf, math.inf), "linear": (-math.inf, math.inf), "softmax": (0.0, 1.0)}


def sigmoid(z):
    """σ(z) in the logaddexp form: σ(z) = exp(−log(1 + e^(−z))), stable for every z."""
    z = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0.0, -z))


def activate(kind: str, z: np.ndarray) -> np.ndarray:
    if kind == "sigmoid":
        return sigmoid(z)
    if kind == "tanh":
        return np.tanh(z)
    if kind == "relu":
        return np.where(z > 0, z, 0.0)
    if kind == "leaky_relu":
        return np.where(z > 0, z, 0.01 * z)
    if kind == "linear":
        return z.copy()
    if kind == "softmax":
        return np.exp(z - np.logaddexp.reduce(z))
    raise ValueError(kind)


def jacobian(kind: str, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """J[k, j] = ∂a_k/∂z_j; σ′ as σ(z)·σ(−z), which keeps its digits where σ(z) is near 1."""
    if kind == "softmax":
        return np.diag(a) - np.outer(a, a)
    slope = {"sigmoid": lambda: a * sigmoid(-z), "tanh": lambda: 1.0 - np.tanh(z) ** 2,
             "relu": lambda: (z > 0).astype(float), "leaky_relu": lambda: np.where(z > 0, 1.0, 0.01),
             "linear": lambda: np.ones_like(z)}[kind]()
    return np.diag(slope)


@dataclass
class Net:
    weights: list[np.ndarray]  # weights[l] has shape (n[l+1], n[l])
    biases: list[np.ndarray]
    activations: list[str] = field(default_factory=list)  # one per layer after the input; [] = sigmoid
    loss: str = "mse"

    def __post_init__(self):
        if not self.activations:
            self.activations = ["sigmoid"] * len(self.weights)

    @classmethod
    def from_lists(cls, weights, biases, activations=None, loss="mse") -> Net:
        return cls([np.array(w, dtype=float) for w in weights], [np.array(b, dtype=float) for b in biases],
                   list(activations or []), loss)

    @classmethod
    def from_data(cls, data: dict) -> Net:
        return cls.from_lists(data["weights"], data["biases"], data.get("activations"), data.get("loss", "mse"))

    def copy(self) -> Net:
        return Net([w.copy() for w in self.weights], [b.copy() for b in self.biases], self.activations[:],
                   self.loss)

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
    for w, b, kind in zip(net.weights, net.biases, net.activations):
        z = w @ a + b
        a = activate(kind, z)
        sums.append(z)
        activations.append(a)
    return sums, activations


def loss(net: Net, z, a, targets) -> float:
    t = np.asarray(targets, dtype=float)
    if net.loss == "mse":
        diff = np.asarray(a, dtype=float) - t
        return float(0.5 * diff @ diff)
    if net.activations[-1] == "softmax":
        return float(-(t @ (z - np.logaddexp.reduce(z))))
    return float(np.sum(t * np.logaddexp(0.0, -z) + (1.0 - t) * np.logaddexp(0.0, z)))


def loss_gradient(net: Net, z, a, targets) -> np.ndarray:
    """g = ∂L/∂a[L], straight from the definition of each loss."""
    t = np.asarray(targets, dtype=float)
    if net.loss == "mse":
        return a - t
    if net.activations[-1] == "softmax":
        return -t / a
    return -t / a + (1.0 - t) / sigmoid(-z)  # 1 − σ(z) = σ(−z), without losing digits near 1


def full_pass(net: Net, inputs, targets) -> Pass:
    """One pass; cross-entropy's ∂L/∂a is ±inf (and δ nan) where an output underflowed to 0 or 1."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return _full_pass(net, inputs, targets)


def _full_pass(net: Net, inputs, targets) -> Pass:
    sums, activations = forward(net, inputs)
    L = len(net.weights)
    deltas: list[np.ndarray] = [np.zeros(0)] * (L + 1)
    errors: list[np.ndarray] = [np.zeros(0)] * (L + 1)
    errors[L] = loss_gradient(net, sums[L], activations[L], targets)
    for l in range(L, 0, -1):
        if l < L:
            errors[l] = net.weights[l].T @ deltas[l + 1]
        deltas[l] = jacobian(net.activations[l - 1], sums[l], activations[l]).T @ errors[l]
    weight_gradients = [np.outer(deltas[l], activations[l - 1]) for l in range(1, L + 1)]
    bias_gradients = [deltas[l].copy() for l in range(1, L + 1)]
    return Pass(sums, activations, loss(net, sums[L], activations[L], targets), deltas, errors,
                weight_gradients, bias_gradients)


def step(net: Net, inputs, targets, learning_rate: float) -> Net:
    """One simultaneous gradient step; returns a new Net, the argument is left alone."""
    p = full_pass(net, inputs, targets)
    return Net([w - learning_rate * g for w, g in zip(net.weights, p.weight_gradients)],
               [b - learning_rate * g for b, g in zip(net.biases, p.bias_gradients)], net.activations[:], net.loss)


def train(net: Net, inputs, targets, learning_rate: float, steps: int) -> Net:
    for _ in range(steps):
        net = step(net, inputs, targets, learning_rate)
    return net


def loss_at(net: Net, inputs, targets) -> float:
    sums, activations = forward(net, inputs)
    return loss(net, sums[-1], activations[-1], targets)


# --- shared helpers -----------------------------------------------------------------------

def seed_data() -> dict:
    return json.loads(SEED_PATH.read_text(encoding="utf-8"))


def seed_net() -> Net:
    return Net.from_data(seed_data())


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


def assert_trace_matches(t: dict, net: Net, inputs, targets, learning_rate: float,
                         abs_tol: float = ABS_TOL, rel_tol: float = REL_TOL):
    """Every number of a trace dict (as trace() returns it, or as the CLI prints it) against
    one oracle pass and one oracle step from `net`."""
    tol = dict(abs_tol=abs_tol, rel_tol=rel_tol)
    p = full_pass(net, inputs, targets)
    after = step(net, inputs, targets, learning_rate)
    sizes = [len(inputs)] + [len(b) for b in net.biases]
    assert t["sizes"] == sizes
    assert t["activations"] == net.activations and t["loss"]["function"] == net.loss
    assert t["learning_rate"] == learning_rate
    assert [n["activation"] for n in t["layers"][0]["neurons"]] == list(inputs)
    assert_close(t["loss"]["total"], p.loss, "loss", **tol)
    for l in range(1, len(sizes)):
        layer = t["layers"][l]
        neurons = layer["neurons"]
        assert len(neurons) == sizes[l] and layer["activation"] == net.activations[l - 1]
        assert_close([n["sum"] for n in neurons], p.sums[l], f"sums[{l}]", **tol)
        assert_close([n["activation"] for n in neurons], p.activations[l], f"activations[{l}]", **tol)
        J = jacobian(net.activations[l - 1], p.sums[l], p.activations[l])
        assert_close([n["derivative"] for n in neurons], np.diag(J), f"f′[{l}]", **tol)
        if neurons[0]["delta_rule"] == "combined":  # δ = o − t: ∂L/∂a is not used
            assert l == len(sizes) - 1 and all(n["error"] is None for n in neurons)
        else:
            assert_close([n["error"] for n in neurons], p.errors[l], f"errors[{l}]", **tol)
        assert_close([n["delta"] for n in neurons], p.deltas[l], f"deltas[{l}]", **tol)
        for j, n in enumerate(neurons):
            if n["jacobian_terms"]:
                assert_close([term["jacobian"] for term in n["jacobian_terms"]], J[:, j], f"J[{l}][:, {j}]", **tol)
                assert_close(sum(term["product"] for term in n["jacobian_terms"]), p.deltas[l][j], "Σ J terms", **tol)
        assert_close([[u["old"] for u in n["weight_updates"]] for n in neurons], net.weights[l - 1], f"W[{l}]")
        assert_close([[u["gradient"] for u in n["weight_updates"]] for n in neurons],
                     p.weight_gradients[l - 1], f"dL/dW[{l}]", **tol)
        assert_close([[u["new"] for u in n["weight_updates"]] for n in neurons], after.weights[l - 1],
                     f"new W[{l}]", **tol)
        assert_close([n["bias_update"]["old"] for n in neurons], net.biases[l - 1], f"b[{l}]")
        assert_close([n["bias_update"]["gradient"] for n in neurons], p.bias_gradients[l - 1], f"dL/db[{l}]",
                     **tol)
        assert_close([n["bias_update"]["new"] for n in neurons], after.biases[l - 1], f"new b[{l}]", **tol)
