"""The shipped injection classifier: logistic regression over hashed n-grams, numpy at run time.

Weights live in `data/injection_model.npz` (float16, 2**bits of them) beside a bias and a Platt
calibration (`a`, `c`) fitted on cross-validated predictions, so `probability` is a calibrated
probability that a text is an injection. `scripts/train_injection.py` rebuilds the file.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from a3m_integrations.errors import ConfigError
from a3m_integrations.guardrails._features import bucket_ids, unique_ids

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["DEFAULT_MODEL_PATH", "InjectionModel", "load_default_model"]

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "data" / "injection_model.npz"

_default: list[InjectionModel] = []


@dataclass(frozen=True, eq=False)
class InjectionModel:
    """Linear weights over hashed features, with Platt scaling to a probability."""

    weights: npt.NDArray[np.float32]
    bias: float
    a: float = 1.0
    c: float = 0.0
    alpha: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def bits(self) -> int:
        """log2 of the number of feature buckets."""
        return int(self.weights.shape[0]).bit_length() - 1

    def margin(self, normalized: str) -> float:
        """The raw linear score of normalised text (before calibration).

        With `u` the distinct feature buckets of the text: sum(w[u]) / len(u)**alpha + bias.
        """
        return self.margin_of(bucket_ids(normalized, self.bits))

    def margin_of(self, ids: npt.NDArray[np.int64]) -> float:
        """The raw linear score of a text's feature buckets (from `_features.analyze`, repeats allowed)."""
        if not len(ids):
            return self.bias
        ids = unique_ids(ids, self.bits)
        total = float(self.weights[ids].sum())
        return total / math.pow(len(ids), self.alpha) + self.bias

    def probability(self, normalized: str) -> float:
        """Calibrated probability that normalised text is a prompt injection."""
        return self.probability_of(bucket_ids(normalized, self.bits))

    def probability_of(self, ids: npt.NDArray[np.int64]) -> float:
        """Calibrated probability from a text's feature buckets."""
        z = self.a * self.margin_of(ids) + self.c
        return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0

    def save(self, path: str | Path) -> None:
        """Write the model as a compressed .npz (float16 weights)."""
        import numpy as np

        np.savez_compressed(
            path,
            weights=self.weights.astype(np.float16),
            scalars=np.array([self.bias, self.a, self.c, self.alpha], dtype=np.float64),
            meta=np.array(json.dumps(self.meta, sort_keys=True)),
        )

    @classmethod
    def load(cls, path: str | Path) -> InjectionModel:
        """Read a model written by `save`; ConfigError if the file is missing or malformed."""
        import numpy as np

        try:
            with np.load(path, allow_pickle=False) as data:
                weights = data["weights"].astype(np.float32)
                bias, a, c, alpha = (float(x) for x in data["scalars"])
                meta = json.loads(str(data["meta"]))
        except (OSError, KeyError, ValueError) as exc:
            raise ConfigError(
                f"cannot read the injection model ({type(exc).__name__})",
                source=str(path),
                hint="Rebuild it with `python scripts/train_injection.py`, or reinstall the package.",
            ) from exc
        n = weights.shape[0]
        if weights.ndim != 1 or n < 2 or n & (n - 1):
            raise ConfigError("injection model weights must be a vector of 2**bits floats", source=str(path))
        return cls(weights, bias, a, c, alpha, meta)


def load_default_model() -> InjectionModel:
    """The model shipped in the package, loaded once per process."""
    if not _default:
        _default.append(InjectionModel.load(DEFAULT_MODEL_PATH))
    return _default[0]
