"""The oracle for mini-batches, in numpy over a whole batch at once.

Rows are samples: X has shape (B, n₀), T (B, n_L). Independent of pyodide_app's arithmetic,
and of oracle.py's per-sample pass except for its activation functions and Jacobians:

    Z[l] = A[l-1] @ W[l]ᵀ + b[l]            A[l] = f_l(Z[l])  (row by row for softmax)
    Δ[L] = rows of J_sᵀ g_s                 Δ[l] = rows of J_sᵀ (Δ[l+1] @ W[l+1])
    ∂L_B/∂W[l] = Δ[l]ᵀ @ A[l-1] / B          ∂L_B/∂b[l] = mean of Δ[l]'s rows
    contributions[l][s, j, i] = Δ[l][s, j] · A[l-1][s, i]   (each sample's share before the mean)
"""

from __future__ import annotations

import numpy as np

from oracle import Net, activate, jacobian, loss, loss_gradient, sigmoid


def _activate_rows(kind: str, Z: np.ndarray) -> np.ndarray:
    return np.array([activate(kind, z) for z in Z]) if kind == "softmax" else activate(kind, Z)


def forward(net: Net, X) -> tuple[list[np.ndarray], list[np.ndarray]]:
    A = np.atleast_2d(np.asarray(X, dtype=float))
    sums, activations = [np.zeros((len(A), 0))], [A]
    for w, b, kind in zip(net.weights, net.biases, net.activations):
        Z = A @ w.T + b
        A = _activate_rows(kind, Z)
        sums.append(Z)
        activations.append(A)
    return sums, activations


def deltas(net: Net, X, T) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(Δ per layer, A per layer) for every sample of the batch."""
    Z, A = forward(net, X)
    T = np.atleast_2d(np.asarray(T, dtype=float))
    L = len(net.weights)
    D: list[np.ndarray] = [np.zeros(0)] * (L + 1)
    errors = np.array([loss_gradient(net, z, a, t) for z, a, t in zip(Z[L], A[L], T)])
    for l in range(L, 0, -1):
        if l < L:
            errors = D[l + 1] @ net.weights[l]
        D[l] = np.array([jacobian(net.activations[l - 1], z, a).T @ e for z, a, e in zip(Z[l], A[l], errors)])
    return D, A


def mean_gradients(net: Net, X, T) -> tuple[list[np.ndarray], list[np.ndarray]]:
    D, A = deltas(net, X, T)
    B = len(A[0])
    return ([D[l].T @ A[l - 1] / B for l in range(1, len(D))],
            [D[l].mean(axis=0) for l in range(1, len(D))])


def contributions(net: Net, X, T) -> list[np.ndarray]:
    """[l-1][s, j, i]: sample s's δ_j · a_i for the weights into layer l."""
    D, A = deltas(net, X, T)
    return [np.einsum("sj,si->sji", D[l], A[l - 1]) for l in range(1, len(D))]


def batch_loss(net: Net, X, T) -> float:
    Z, A = forward(net, X)
    return float(np.mean([loss(net, z, a, t) for z, a, t in zip(Z[-1], A[-1], np.atleast_2d(T))]))


def train(net: Net, X, T, batches: list[list[int]], learning_rate: float) -> Net:
    """One update per batch of row indices; returns a new Net."""
    X, T = np.asarray(X, dtype=float), np.asarray(T, dtype=float)
    for batch in batches:
        gw, gb = mean_gradients(net, X[batch], T[batch])
        net = Net([w - learning_rate * g for w, g in zip(net.weights, gw)],
                  [b - learning_rate * g for b, g in zip(net.biases, gb)], net.activations[:], net.loss)
    return net


def accuracy(net: Net, X, T) -> float:
    """Share of samples whose largest output (one output: which side of the targets' midpoint) is right."""
    _, A = forward(net, X)
    out, T = A[-1], np.atleast_2d(np.asarray(T, dtype=float))
    if out.shape[1] > 1:
        return float(np.mean(out.argmax(axis=1) == T.argmax(axis=1)))
    low, high = T.min(), T.max()
    return float(np.mean((out[:, 0] > (low + high) / 2) == (T[:, 0] > (low + high) / 2)))


__all__ = ["forward", "deltas", "mean_gradients", "contributions", "batch_loss", "train", "accuracy", "sigmoid"]
