"""The base of learned quality models: fit on a table, predict quality per model, save and load.

A quality model answers one question: for a query, how good would each model's answer be
(`predict(queries)` -> (n, m) in [0, 1]). Everything else is shared here: the featurizer (fitted on
the training queries), a per-model cost model (ridge regression of log USD on prompt length and
the query features, so it learns which prompts draw long answers) used when no catalog prices
are at hand, and persistence.

Files are one `.npz` (numpy arrays, loaded with `allow_pickle=False`: no code is ever unpickled)
holding the learned arrays and a JSON header with the kind, the model names, the featurizer's
settings and hashes of the training queries (so a benchmark can refuse to score a router on the
queries it trained on).
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import numpy as np

from a3m_integrations.errors import ConfigError
from a3m_integrations.evaluation.table import RoutingTable
from a3m_integrations.routing.features import HashedNgramEmbedder, as_embedder, matmul

__all__ = ["FORMAT_VERSION", "QUALITY_MODELS", "QualityModel", "load_quality_model", "query_hashes"]

FORMAT_VERSION = 1
_COST_FEATURES_MAX = 1024  # wider embeddings give the cost model only their surface signals
_COST_RIDGE = 1.0
#: kind -> "module:Class" of every quality model, imported on first use.
QUALITY_MODELS: dict[str, str] = {
    "knn": "a3m_integrations.routing.learned.knn:KNNModel",
    "cluster": "a3m_integrations.routing.learned.cluster:ClusterModel",
    "mlp": "a3m_integrations.routing.learned.mlp:MLPModel",
    "mf": "a3m_integrations.routing.learned.mf:MFModel",
    "cascade": "a3m_integrations.routing.learned.cascade:CascadeModel",
}
Q = TypeVar("Q", bound="QualityModel")


def query_hashes(queries: Sequence[str]) -> np.ndarray:
    """(n,) uint64: an 8-byte BLAKE2 digest of each query's text (whitespace-trimmed)."""
    out = np.empty(len(queries), dtype=np.uint64)
    for i, q in enumerate(queries):
        out[i] = int.from_bytes(hashlib.blake2b(q.strip().encode("utf-8"), digest_size=8).digest(), "little")
    return out


def _approx_tokens(queries: Sequence[str]) -> np.ndarray:
    from a3m_integrations.cost.estimate import approx_tokens

    return np.fromiter((approx_tokens(q) for q in queries), dtype=np.float64, count=len(queries))


class QualityModel(ABC):
    """Predicts each model's answer quality for a query; trained by `fit(table)`.

    Subclasses set `kind`, implement `_fit(x, y, mask)` and `_predict(x)` on feature rows, and
    `_state()` / `_restore()` for their learned arrays and settings.
    """

    kind: ClassVar[str] = "base"
    #: featurizer settings used when none is given (subclasses may prefer a projected space).
    default_features: ClassVar[Mapping[str, Any]] = {}

    def __init__(self, *, embedder: Any = None, seed: int = 0) -> None:
        self.embedder = as_embedder(embedder) if embedder is not None else HashedNgramEmbedder(**self.default_features)
        self.seed = int(seed)
        self.models: list[str] = []
        self.cost_coef = np.zeros((0, 0))  # (cost features, models) ridge weights of log USD
        self.prior = np.zeros(0)  # per model mean training score
        self.train_hashes = np.zeros(0, dtype=np.uint64)
        self.trained_on: list[str] = []
        self.meta: dict[str, Any] = {}  # free-form JSON saved with the model (e.g. a tier map)
        self.fitted = False

    # -- training ---------------------------------------------------------------------------------
    def fit(self: Q, table: RoutingTable) -> Q:
        """Learn from every observed (query, model) score of `table`; returns self."""
        mask = np.isfinite(table.scores)
        keep = mask.any(axis=1)
        if keep.sum() < 2:
            raise ConfigError(f"table {table.name} has fewer than 2 scored queries to learn from", source=table.name)
        if not keep.all():
            table = table.subset(keep)
            mask = mask[keep]
        self.models = list(table.models)
        self.trained_on = [table.name]
        self.train_hashes = np.unique(query_hashes(table.queries))
        y = np.where(mask, table.scores, 0.0)
        counts = mask.sum(axis=0)
        self.prior = np.where(counts > 0, y.sum(axis=0) / np.maximum(counts, 1), float(y[mask].mean()))
        if isinstance(self.embedder, HashedNgramEmbedder):
            self.embedder.fit(table.queries, seed=self.seed)
        x = self.embedder.embed(table.queries)
        self.cost_coef = self._fit_costs(x, table)
        self._fit(x, y, mask)
        self.fitted = True
        return self

    def _cost_features(self, x: np.ndarray, queries: Sequence[str]) -> np.ndarray:
        """[1, log(1 + prompt tokens), query features] for the cost model (only the signals if wide)."""
        extra = self.embedder.extra_dims if isinstance(self.embedder, HashedNgramEmbedder) else 0
        if x.shape[1] <= _COST_FEATURES_MAX:
            part = x
        elif extra:
            part = x[:, -extra:]
        else:
            part = x[:, :0]
        tokens = np.log1p(_approx_tokens(queries))
        return np.column_stack([np.ones(len(queries)), tokens, part]).astype(np.float64)

    def _fit_costs(self, x: np.ndarray, table: RoutingTable) -> np.ndarray:
        """(features, models) ridge weights predicting log(USD) per model."""
        f = self._cost_features(x, table.queries)
        coef = np.zeros((f.shape[1], table.n_models))
        reg = _COST_RIDGE * np.eye(f.shape[1])
        reg[0, 0] = 0.0
        for j in range(table.n_models):
            ok = np.isfinite(table.costs[:, j]) & (table.costs[:, j] > 0)
            if not ok.any():
                continue  # no cost known: predicted at the floor; catalog prices take over in the gateway
            target = np.log(table.costs[ok, j])
            coef[:, j] = np.linalg.solve(f[ok].T @ f[ok] + reg, f[ok].T @ target)
        return coef

    @abstractmethod
    def _fit(self, x: np.ndarray, y: np.ndarray, mask: np.ndarray) -> None:
        """Learn from features `x` (n, d), scores `y` (n, m) and the observed `mask` (n, m)."""

    # -- prediction -------------------------------------------------------------------------------
    def _require_fitted(self) -> None:
        if not self.fitted:
            raise ConfigError(
                f"the {self.kind} model is not trained",
                hint="Call fit(table) or load a trained file (`a3m router train`).",
            )

    def predict(self, queries: Sequence[str]) -> np.ndarray:
        """(len(queries), n_models) predicted quality in [0, 1]: the one scoring method."""
        self._require_fitted()
        return self.predict_features(self.embedder.embed(list(queries)))

    def predict_both(self, queries: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(quality, cost) predictions, embedding the queries once."""
        self._require_fitted()
        x = self.embedder.embed(list(queries))
        return self.predict_features(x), self.cost_from_features(x, queries)

    def predict_features(self, x: np.ndarray) -> np.ndarray:
        """Predicted quality from already-embedded rows."""
        return np.asarray(np.clip(self._predict(np.asarray(x, dtype=np.float32)), 0.0, 1.0))

    @abstractmethod
    def _predict(self, x: np.ndarray) -> np.ndarray:
        """(n, m) predicted quality of feature rows."""

    def predict_cost(self, queries: Sequence[str]) -> np.ndarray:
        """(len(queries), n_models) USD per answer from the learned cost model."""
        self._require_fitted()
        return self.cost_from_features(self.embedder.embed(list(queries)), queries)

    def cost_from_features(self, x: np.ndarray, queries: Sequence[str]) -> np.ndarray:
        """USD per answer: exp of a ridge regression of log cost on prompt length and query features.

        The query features let it learn that, say, coding prompts get long (dear) answers; models
        with no known cost in the training data get 1e-9 (the gateway prices them from the catalog).
        """
        log_cost = matmul(self._cost_features(np.asarray(x), list(queries)), self.cost_coef)
        known = np.any(self.cost_coef != 0, axis=0)
        return np.where(known, np.exp(np.clip(log_cost, -30.0, 5.0)), 1e-9)

    def seen(self, queries: Sequence[str]) -> np.ndarray:
        """(n,) bool: which queries were in the training data (by text hash)."""
        return np.isin(query_hashes(queries), self.train_hashes)

    # -- persistence ----------------------------------------------------------------------------
    @abstractmethod
    def _state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """(settings, learned arrays) of the subclass."""

    @abstractmethod
    def _restore(self, settings: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        """Set the subclass's settings and arrays back from `_state()` output."""

    def save(self, path: str | Path) -> Path:
        """Write the trained model to `path` (.npz); returns the path written."""
        self._require_fitted()
        if not hasattr(self.embedder, "arrays"):
            raise ConfigError("this embedder cannot be saved; pass it again to load()", field="embedder")
        settings, arrays = self._state()
        header = {
            "format": FORMAT_VERSION,
            "kind": self.kind,
            "models": self.models,
            "trained_on": self.trained_on,
            "seed": self.seed,
            "embedder": self.embedder.config(),
            "settings": settings,
            "meta": self.meta,
        }
        out: dict[str, np.ndarray] = {f"m_{k}": v for k, v in arrays.items()}
        out.update({f"e_{k}": v for k, v in self.embedder.arrays().items()})
        out["cost_coef"] = self.cost_coef.astype(np.float64)
        out["prior"] = self.prior.astype(np.float64)
        out["train_hashes"] = self.train_hashes
        out["header"] = np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8)
        p = Path(path)
        if p.suffix != ".npz":
            p = p.with_name(p.name + ".npz")
        p.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(p, **out)  # type: ignore[arg-type]
        return p

    @classmethod
    def load(cls, path: str | Path, *, embedder: Any = None) -> QualityModel:
        """A trained model from a file written by `save` (of this kind, or any kind via the base)."""
        return load_quality_model(path, embedder=embedder, expect=None if cls is QualityModel else cls.kind)


def _import(target: str) -> type[QualityModel]:
    import importlib

    module, _, name = target.partition(":")
    cls: type[QualityModel] = getattr(importlib.import_module(module), name)
    return cls


def load_quality_model(path: str | Path, *, embedder: Any = None, expect: str | None = None) -> QualityModel:
    """Load any saved quality model; ConfigError naming the file if it is not one (or not `expect`)."""
    p = Path(path)
    try:
        with np.load(p, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except FileNotFoundError:
        raise ConfigError(
            f"router file {p} not found", source=str(p), hint="Train one with `a3m router train`."
        ) from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"router file {p} is not a readable .npz ({exc})", source=str(p)) from exc
    try:
        header = json.loads(arrays.pop("header").tobytes().decode("utf-8"))
        kind = header["kind"]
    except (KeyError, ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p} is not an a3m router file (no header)", source=str(p)) from exc
    if header.get("format") != FORMAT_VERSION:
        raise ConfigError(f"{p} has format {header.get('format')}, this version reads {FORMAT_VERSION}", source=str(p))
    if expect is not None and kind != expect:
        raise ConfigError(f"{p} holds a {kind!r} router, not {expect!r}", source=str(p), field="kind")
    if kind not in QUALITY_MODELS:
        raise ConfigError(f"{p} holds an unknown router kind {kind!r}", source=str(p), field="kind")
    cls = _import(QUALITY_MODELS[kind])
    econf = header["embedder"]
    if embedder is not None:
        emb = as_embedder(embedder)
    elif econf.get("kind") == HashedNgramEmbedder.kind:
        emb = HashedNgramEmbedder.restore(econf, {k[2:]: v for k, v in arrays.items() if k.startswith("e_")})
    else:
        raise ConfigError(
            f"{p} was trained with an external embedder ({econf.get('name')}); pass the same one as embedder=",
            source=str(p),
            field="embedder",
        )
    model = cls(embedder=emb, seed=int(header.get("seed", 0)))
    model.models = list(header["models"])
    model.trained_on = list(header.get("trained_on", []))
    model.meta = dict(header.get("meta") or {})
    model.cost_coef = arrays["cost_coef"]
    model.prior = arrays["prior"]
    model.train_hashes = arrays["train_hashes"]
    model._restore(header.get("settings", {}), {k[2:]: v for k, v in arrays.items() if k.startswith("m_")})
    model.fitted = True
    return model
