"""MLP quality model: one hidden layer (or none: logistic regression) with a sigmoid per model.

All models share the hidden layer, so a model with few observations borrows what the others
teach about a query. Trained on masked binary cross-entropy with soft targets (see `_nn`).
Fixed sensible defaults (64 ReLU units, L2 1e-4, early stopping on a held-out tenth) rather than
per-data-set tuning.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from a3m_integrations.errors import ConfigError
from a3m_integrations.routing.features import matmul
from a3m_integrations.routing.learned._base import QualityModel
from a3m_integrations.routing.learned._nn import bce, sigmoid, train

__all__ = ["MLPModel"]


class MLPModel(QualityModel):
    """P(good answer) per model from a small numpy MLP.

    Args:
        hidden: hidden units (0 gives one logistic regression per model).
        l2: weight decay.
        epochs: at most this many passes (early stopping usually ends sooner).
        embedder: any Embedder (default: hashed n-grams projected to 256 dimensions).
    """

    kind: ClassVar[str] = "mlp"
    default_features: ClassVar[Mapping[str, Any]] = {"dim": 256}

    def __init__(
        self, *, hidden: int = 64, l2: float = 1e-4, epochs: int = 80, embedder: Any = None, seed: int = 0
    ) -> None:
        super().__init__(embedder=embedder, seed=seed)
        if hidden < 0:
            raise ConfigError("hidden must be 0 or more", field="hidden")
        self.hidden = int(hidden)
        self.l2 = float(l2)
        self.epochs = int(epochs)
        self.params: dict[str, np.ndarray] = {}

    def _forward(self, p: Mapping[str, np.ndarray], x: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        if self.hidden:
            h = np.maximum(matmul(x, p["w1"]) + p["b1"], 0.0)
            return matmul(h, p["w2"]) + p["b2"], h
        return matmul(x, p["w2"]) + p["b2"], None

    def _grad(
        self, p: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray, mask: np.ndarray
    ) -> tuple[float, dict[str, np.ndarray]]:
        logits, h = self._forward(p, x)
        loss, d = bce(logits, y, mask)
        if h is None:
            return loss, {"w2": x.T @ d, "b2": d.sum(0)}
        dh = (d @ p["w2"].T) * (h > 0)
        return loss, {"w2": h.T @ d, "b2": d.sum(0), "w1": x.T @ dh, "b1": dh.sum(0)}

    def _fit(self, x: np.ndarray, y: np.ndarray, mask: np.ndarray) -> None:
        rng = np.random.default_rng(self.seed)
        d, m = x.shape[1], y.shape[1]
        prior_logit = np.log(np.clip(self.prior, 1e-3, 1 - 1e-3) / np.clip(1 - self.prior, 1e-3, 1))
        if self.hidden:
            params = {
                "w1": rng.normal(0, np.sqrt(2.0 / d), (d, self.hidden)),
                "b1": np.zeros(self.hidden),
                "w2": rng.normal(0, np.sqrt(1.0 / self.hidden), (self.hidden, m)) * 0.1,
                "b2": prior_logit.copy(),
            }
        else:
            params = {"w2": np.zeros((d, m)), "b2": prior_logit.copy()}
        fitted = train(
            params, self._grad, x.astype(np.float64), y, mask.astype(np.float64),
            l2=self.l2, epochs=self.epochs, seed=self.seed,
        )  # fmt: skip
        self.params = {k: v.astype(np.float32) for k, v in fitted.items()}

    def _predict(self, x: np.ndarray) -> np.ndarray:
        logits, _ = self._forward(self.params, x)
        return sigmoid(logits)

    def _state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        settings = {"hidden": self.hidden, "l2": self.l2, "epochs": self.epochs}
        return settings, {k: v.astype(np.float16) for k, v in self.params.items()}

    def _restore(self, settings: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        self.hidden = int(settings["hidden"])
        self.l2 = float(settings["l2"])
        self.epochs = int(settings["epochs"])
        self.params = {k: np.asarray(v, dtype=np.float32) for k, v in arrays.items()}
