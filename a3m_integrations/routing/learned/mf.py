"""Matrix-factorisation quality model, after RouteLLM's `mf` router.

RouteLLM scores a (model, query) pair by projecting the query's embedding into a small latent
space and taking its product with a learned model embedding. Here, with pointwise outcomes:

    logit P(good | model j, query x) = v_j . (W x + c) + b_j

W (rank x d) is shared, v_j (rank) and b_j belong to model j. The low rank lets models with few
outcomes share structure with the rest. Masked binary cross-entropy, Adam, early stopping.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from a3m_integrations.errors import ConfigError
from a3m_integrations.routing.features import matmul
from a3m_integrations.routing.learned._base import QualityModel
from a3m_integrations.routing.learned._nn import bce, sigmoid, train

__all__ = ["MFModel"]


class MFModel(QualityModel):
    """Bilinear (query projection x model embedding) quality model.

    Args:
        rank: latent dimension.
        l2: weight decay.
        embedder: any Embedder (default: hashed n-grams projected to 256 dimensions).
    """

    kind: ClassVar[str] = "mf"
    default_features: ClassVar[Mapping[str, Any]] = {"dim": 256}

    def __init__(
        self, *, rank: int = 16, l2: float = 1e-4, epochs: int = 80, embedder: Any = None, seed: int = 0
    ) -> None:
        super().__init__(embedder=embedder, seed=seed)
        if rank < 1:
            raise ConfigError("rank must be 1 or more", field="rank")
        self.rank = int(rank)
        self.l2 = float(l2)
        self.epochs = int(epochs)
        self.params: dict[str, np.ndarray] = {}

    @staticmethod
    def _logits(p: Mapping[str, np.ndarray], x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        z = matmul(x, p["w"]) + p["c"]  # (n, rank)
        return matmul(z, p["v"]) + p["b"], z  # v: (rank, m)

    def _grad(
        self, p: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray, mask: np.ndarray
    ) -> tuple[float, dict[str, np.ndarray]]:
        logits, z = self._logits(p, x)
        loss, d = bce(logits, y, mask)
        dz = d @ p["v"].T
        return loss, {"v": z.T @ d, "b": d.sum(0), "w": x.T @ dz, "c": dz.sum(0)}

    def _fit(self, x: np.ndarray, y: np.ndarray, mask: np.ndarray) -> None:
        rng = np.random.default_rng(self.seed)
        d, m = x.shape[1], y.shape[1]
        prior_logit = np.log(np.clip(self.prior, 1e-3, 1 - 1e-3) / np.clip(1 - self.prior, 1e-3, 1))
        params = {
            "w": rng.normal(0, np.sqrt(1.0 / d), (d, self.rank)),
            "c": np.zeros(self.rank),
            "v": rng.normal(0, 0.1, (self.rank, m)),
            "b": prior_logit.copy(),
        }
        fitted = train(
            params, self._grad, x.astype(np.float64), y, mask.astype(np.float64),
            l2=self.l2, epochs=self.epochs, seed=self.seed,
        )  # fmt: skip
        self.params = {k: v.astype(np.float32) for k, v in fitted.items()}

    def _predict(self, x: np.ndarray) -> np.ndarray:
        logits, _ = self._logits(self.params, x)
        return sigmoid(logits)

    def _state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        return {"rank": self.rank, "l2": self.l2, "epochs": self.epochs}, {
            k: v.astype(np.float16) for k, v in self.params.items()
        }

    def _restore(self, settings: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        self.rank = int(settings["rank"])
        self.l2 = float(settings["l2"])
        self.epochs = int(settings["epochs"])
        self.params = {k: np.asarray(v, dtype=np.float32) for k, v in arrays.items()}
