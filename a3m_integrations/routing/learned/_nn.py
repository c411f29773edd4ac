"""A small numpy trainer shared by the MLP and matrix-factorisation models.

Masked binary cross-entropy on soft targets in [0, 1] (unobserved cells weigh nothing), L2 weight
decay, Adam, mini-batches (smaller for small data, so each epoch takes at least ~8 steps), and
early stopping on a held-out tenth of the training rows: training
stops when the validation loss has not improved for `patience` epochs and the best weights are
kept. Deterministic for a given seed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["GradFn", "bce", "sigmoid", "train"]

Params = dict[str, np.ndarray]
#: (params, x, y, mask) -> (loss, grads); grads has the keys of params.
GradFn = Callable[[Params, np.ndarray, np.ndarray, np.ndarray], tuple[float, Params]]


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Numerically safe logistic function."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def bce(logits: np.ndarray, y: np.ndarray, mask: np.ndarray) -> tuple[float, np.ndarray]:
    """(mean masked BCE, d loss / d logits)."""
    p = sigmoid(logits)
    n = max(1.0, float(mask.sum()))
    eps = 1e-7
    loss = -float((mask * (y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))).sum()) / n
    return loss, mask * (p - y) / n


def train(
    params: Params,
    grad: GradFn,
    x: np.ndarray,
    y: np.ndarray,
    mask: np.ndarray,
    *,
    l2: float,
    lr: float = 3e-3,
    epochs: int = 80,
    batch: int = 128,
    patience: int = 6,
    seed: int = 0,
) -> Params:
    """Fit `params` in place with Adam and early stopping; returns the best parameters."""
    rng = np.random.default_rng(seed)
    n = len(x)
    order = rng.permutation(n)
    n_val = max(1, n // 10) if n >= 50 else 0
    val, tr = order[:n_val], order[n_val:]
    batch = min(batch, max(16, len(tr) // 8))  # small data: at least ~8 steps an epoch
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v = {k: np.zeros_like(v) for k, v in params.items()}
    b1, b2, step = 0.9, 0.999, 0
    best = {k: p.copy() for k, p in params.items()}
    best_loss, stale = np.inf, 0
    for _ in range(epochs):
        rng.shuffle(tr)
        for start in range(0, len(tr), batch):
            idx = tr[start : start + batch]
            _, g = grad(params, x[idx], y[idx], mask[idx])
            step += 1
            for k in params:
                gk = g[k] + (l2 * params[k] if not k.startswith("b") else 0.0)
                m[k] = b1 * m[k] + (1 - b1) * gk
                v[k] = b2 * v[k] + (1 - b2) * gk * gk
                params[k] -= lr * (m[k] / (1 - b1**step)) / (np.sqrt(v[k] / (1 - b2**step)) + 1e-8)
        if n_val == 0:
            best = {k: p.copy() for k, p in params.items()}
            continue
        loss, _ = grad(params, x[val], y[val], mask[val])
        if loss < best_loss - 1e-5:
            best_loss, stale = loss, 0
            best = {k: p.copy() for k, p in params.items()}
        else:
            stale += 1
            if stale >= patience:
                break
    return best
