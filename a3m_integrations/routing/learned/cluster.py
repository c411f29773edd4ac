"""Per-cluster quality model, after Avengers-Pro: k-means clusters, each model's mean per cluster.

A query's predicted quality is the similarity-weighted mean over its `top` nearest clusters of
each model's cluster mean, every cluster mean shrunk toward the model's overall mean by
`prior_weight` pseudo-queries (a small cluster does not get the last word). `clusters="auto"`
picks the number of clusters by 3-fold cross-validation inside the training data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from a3m_integrations.errors import ConfigError
from a3m_integrations.routing.features import matmul
from a3m_integrations.routing.learned._base import QualityModel

__all__ = ["ClusterModel"]

_CLUSTER_GRID = (8, 16, 32, 64)


def _kmeans(x: np.ndarray, k: int, seed: int) -> np.ndarray:
    """(k, d) L2-normalised centroids (spherical k-means, faiss)."""
    import faiss

    km = faiss.Kmeans(x.shape[1], k, niter=25, seed=seed, spherical=True, verbose=False, min_points_per_centroid=1)
    km.train(np.ascontiguousarray(x, dtype=np.float32))
    return np.asarray(km.centroids, dtype=np.float32)


class ClusterModel(QualityModel):
    """k-means clusters of queries with shrunk per-cluster model means.

    Args:
        clusters: number of clusters, or "auto" (inner cross-validation).
        top: clusters blended per query.
        prior_weight: pseudo-queries at the model's overall mean per cluster.
        embedder: any Embedder (default: hashed n-grams projected to 128 dimensions).
    """

    kind: ClassVar[str] = "cluster"
    default_features: ClassVar[Mapping[str, Any]] = {"dim": 128}

    def __init__(
        self,
        *,
        clusters: int | str = "auto",
        top: int = 3,
        prior_weight: float = 5.0,
        embedder: Any = None,
        seed: int = 0,
    ) -> None:
        super().__init__(embedder=embedder, seed=seed)
        if clusters != "auto" and (not isinstance(clusters, int) or clusters < 1):
            raise ConfigError(f"clusters must be a positive integer or 'auto', not {clusters!r}", field="clusters")
        self.clusters_setting = clusters
        self.top = int(top)
        self.prior_weight = float(prior_weight)
        self.centroids = np.zeros((0, 0), dtype=np.float32)
        self.table = np.zeros((0, 0), dtype=np.float32)  # (clusters, models) shrunk means

    def _cluster_table(self, x: np.ndarray, y: np.ndarray, mask: np.ndarray, centroids: np.ndarray) -> np.ndarray:
        assign = np.argmax(x @ centroids.T, axis=1)
        k = len(centroids)
        sums = np.zeros((k, y.shape[1]))
        counts = np.zeros((k, y.shape[1]))
        np.add.at(sums, assign, y * mask)
        np.add.at(counts, assign, mask)
        prior = (y * mask).sum(0) / np.maximum(mask.sum(0), 1)
        return np.asarray((sums + self.prior_weight * prior) / (counts + self.prior_weight), dtype=np.float32)

    def _blend(self, x: np.ndarray, centroids: np.ndarray, table: np.ndarray) -> np.ndarray:
        sims = matmul(x, centroids.T)
        top = min(self.top, len(centroids))
        idx = np.argpartition(-sims, top - 1, axis=1)[:, :top]
        w = np.maximum(np.take_along_axis(sims, idx, axis=1), 0.0) + 1e-6
        w = w / w.sum(axis=1, keepdims=True)
        return np.asarray(np.einsum("nt,ntm->nm", w, table[idx]))

    def _fit(self, x: np.ndarray, y: np.ndarray, mask: np.ndarray) -> None:
        k = self.clusters_setting
        if k == "auto":
            k = self._select(x, y, mask)
        k = int(min(int(k), max(1, len(x) // 4)))
        self.centroids = _kmeans(x, k, self.seed)
        self.table = self._cluster_table(x, y, mask, self.centroids)

    def _select(self, x: np.ndarray, y: np.ndarray, mask: np.ndarray) -> int:
        grid = [k for k in _CLUSTER_GRID if k <= len(x) // 8] or [max(1, len(x) // 8)]
        rng = np.random.default_rng(self.seed)
        fold = rng.permutation(len(x)) % 3
        err = np.zeros(len(grid))
        for f in range(3):
            tr, te = fold != f, fold == f
            for a, k in enumerate(grid):
                cents = _kmeans(x[tr], k, self.seed)
                pred = self._blend(x[te], cents, self._cluster_table(x[tr], y[tr], mask[tr], cents))
                err[a] += (((pred - y[te]) ** 2) * mask[te]).sum()
        return int(grid[int(np.argmin(err))])

    def _predict(self, x: np.ndarray) -> np.ndarray:
        return self._blend(x, self.centroids, self.table)

    def _state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        settings = {"top": self.top, "prior_weight": self.prior_weight, "clusters": len(self.centroids)}
        return settings, {"centroids": self.centroids.astype(np.float16), "table": self.table}

    def _restore(self, settings: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        self.top = int(settings["top"])
        self.prior_weight = float(settings["prior_weight"])
        self.clusters_setting = int(settings["clusters"])
        self.centroids = np.asarray(arrays["centroids"], dtype=np.float32)
        self.table = np.asarray(arrays["table"], dtype=np.float32)
