"""kNN quality model: a query's predicted quality is its nearest training queries' scores.

Neighbours come from a faiss inner-product index over L2-normalised embeddings (cosine
similarity). The estimate per model is a similarity-weighted mean of the neighbours' observed
scores, shrunk toward the model's training mean by `prior_weight` pseudo-neighbours, so a model
seen on few neighbours is not trusted on them alone. `k="auto"` (the default) picks k and the
prior weight by 3-fold cross-validation inside the training data (nested CV when the caller
cross-validates too), minimising the squared error of the predictions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from a3m_integrations.errors import ConfigError
from a3m_integrations.routing.learned._base import QualityModel

__all__ = ["KNNModel"]

_K_GRID = (5, 10, 20, 40, 80)
_PRIOR_GRID = (0.5, 2.0, 8.0)


def _index(x: np.ndarray) -> Any:
    import faiss

    index = faiss.IndexFlatIP(x.shape[1])
    index.add(np.ascontiguousarray(x, dtype=np.float32))
    return index


def _estimate(
    sims: np.ndarray, idx: np.ndarray, y: np.ndarray, mask: np.ndarray, prior: np.ndarray, w0: float
) -> np.ndarray:
    valid = idx >= 0
    w = np.where(valid, np.maximum(sims, 0.0) + 1e-6, 0.0)  # (n, k)
    rows = np.where(valid, idx, 0)
    m = mask[rows] * w[:, :, None]  # (n, k, models)
    num = (m * y[rows]).sum(axis=1) + w0 * prior
    den = m.sum(axis=1) + w0
    return np.asarray(num / den)


class KNNModel(QualityModel):
    """Similarity-weighted kNN over embeddings, shrunk toward each model's mean.

    Args:
        k: neighbours per query, or "auto" to choose by inner cross-validation.
        prior_weight: pseudo-neighbours at the model's mean (used when k is fixed).
        embedder: any Embedder (default: hashed n-grams projected to 128 dimensions).
    """

    kind: ClassVar[str] = "knn"
    default_features: ClassVar[Mapping[str, Any]] = {"dim": 128}

    def __init__(
        self, *, k: int | str = "auto", prior_weight: float = 2.0, embedder: Any = None, seed: int = 0
    ) -> None:
        super().__init__(embedder=embedder, seed=seed)
        if k != "auto" and (not isinstance(k, int) or k < 1):
            raise ConfigError(f"k must be a positive integer or 'auto', not {k!r}", field="k")
        self.k_setting = k
        self.k = 20 if k == "auto" else int(k)
        self.prior_weight = float(prior_weight)
        self._x = np.zeros((0, 0), dtype=np.float32)
        self._y = np.zeros((0, 0), dtype=np.float32)
        self._mask = np.zeros((0, 0), dtype=bool)
        self._faiss: Any = None

    def _fit(self, x: np.ndarray, y: np.ndarray, mask: np.ndarray) -> None:
        self._x = np.ascontiguousarray(x, dtype=np.float32)
        self._y = y.astype(np.float32)
        self._mask = mask
        if self.k_setting == "auto" and len(x) >= 60:
            self.k, self.prior_weight = self._select(x, y, mask)
        self._faiss = _index(self._x)  # built here, not on first use: routing threads share it read-only

    def _select(self, x: np.ndarray, y: np.ndarray, mask: np.ndarray) -> tuple[int, float]:
        """(k, prior weight) with the least squared error over 3 inner folds."""
        rng = np.random.default_rng(self.seed)
        fold = rng.permutation(len(x)) % 3
        kmax = min(max(_K_GRID), len(x) * 2 // 3 - 1)
        err = np.zeros((len(_K_GRID), len(_PRIOR_GRID)))
        for f in range(3):
            tr, te = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
            prior = (y[tr] * mask[tr]).sum(0) / np.maximum(mask[tr].sum(0), 1)
            sims, idx = _index(x[tr]).search(np.ascontiguousarray(x[te]), kmax)
            for a, k in enumerate(_K_GRID):
                for b, w0 in enumerate(_PRIOR_GRID):
                    pred = _estimate(sims[:, :k], idx[:, :k], y[tr], mask[tr], prior, w0)
                    err[a, b] += (((pred - y[te]) ** 2) * mask[te]).sum()
        best = np.unravel_index(np.argmin(err), err.shape)
        return int(_K_GRID[int(best[0])]), float(_PRIOR_GRID[int(best[1])])

    def _predict(self, x: np.ndarray) -> np.ndarray:
        k = min(self.k, len(self._x))
        sims, idx = self._faiss.search(np.ascontiguousarray(x, dtype=np.float32), k)
        return _estimate(sims, idx, self._y, self._mask, self.prior, self.prior_weight)

    def _state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        settings = {"k": self.k, "prior_weight": self.prior_weight, "k_setting": self.k_setting}
        arrays = {"x": self._x.astype(np.float16), "y": self._y.astype(np.float16), "mask": self._mask}
        return settings, arrays

    def _restore(self, settings: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        self.k = int(settings["k"])
        self.k_setting = settings.get("k_setting", self.k)
        self.prior_weight = float(settings["prior_weight"])
        self._x = np.ascontiguousarray(arrays["x"], dtype=np.float32)
        self._y = arrays["y"].astype(np.float32)
        self._mask = arrays["mask"].astype(bool)
        self._faiss = _index(self._x)
