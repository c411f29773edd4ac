"""Learned routers: quality models trained on outcomes, the cost-quality knob, the gateway router.

Quality models (`kind`): "knn", "cluster", "mlp", "mf", "cascade". Each is a small class with one
scoring method, `predict(queries)` -> predicted quality per model, trained by `fit(table)` and
saved to / loaded from an `.npz` file. `LearnedRouter` turns one into a gateway `Router`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "QUALITY_MODELS": "a3m_integrations.routing.learned._base",
    "QualityModel": "a3m_integrations.routing.learned._base",
    "load_quality_model": "a3m_integrations.routing.learned._base",
    "choose": "a3m_integrations.routing.learned._knob",
    "rank": "a3m_integrations.routing.learned._knob",
    "tradeoff_lambda": "a3m_integrations.routing.learned._knob",
    "KNNModel": "a3m_integrations.routing.learned.knn",
    "ClusterModel": "a3m_integrations.routing.learned.cluster",
    "MLPModel": "a3m_integrations.routing.learned.mlp",
    "MFModel": "a3m_integrations.routing.learned.mf",
    "CascadeModel": "a3m_integrations.routing.learned.cascade",
    "LearnedRouter": "a3m_integrations.routing.learned.router",
    "make_quality_model": "a3m_integrations.routing.learned.router",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from a3m_integrations.routing.learned._base import QUALITY_MODELS, QualityModel, load_quality_model
    from a3m_integrations.routing.learned._knob import choose, rank, tradeoff_lambda
    from a3m_integrations.routing.learned.cascade import CascadeModel
    from a3m_integrations.routing.learned.cluster import ClusterModel
    from a3m_integrations.routing.learned.knn import KNNModel
    from a3m_integrations.routing.learned.mf import MFModel
    from a3m_integrations.routing.learned.mlp import MLPModel
    from a3m_integrations.routing.learned.router import LearnedRouter, make_quality_model
