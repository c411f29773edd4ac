"""Routing data sets, LLMRouterBench metrics, and the harness behind `a3m bench`.

`load_table(name_or_path)` gives a `RoutingTable` (per-query, per-model score and cost);
`metrics` has AvgAcc, Gain@Random/Best, Gap@Oracle, PerfGain, CostSave, the Pareto frontier and
ParetoDist; `harness` cross-validates routers and builds reports; `bench.run_bench` is `a3m bench`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "DATASETS": "a3m_integrations.evaluation.datasets",
    "load_table": "a3m_integrations.evaluation.datasets",
    "load_tables": "a3m_integrations.evaluation.datasets",
    "read_outcomes": "a3m_integrations.evaluation.outcomes",
    "RoutingTable": "a3m_integrations.evaluation.table",
    "kfold_indices": "a3m_integrations.evaluation.table",
    "Point": "a3m_integrations.evaluation.metrics",
    "baselines": "a3m_integrations.evaluation.metrics",
    "choice_point": "a3m_integrations.evaluation.metrics",
    "pareto_frontier": "a3m_integrations.evaluation.metrics",
    "summarize_curve": "a3m_integrations.evaluation.metrics",
    "BenchReport": "a3m_integrations.evaluation.harness",
    "cross_validate": "a3m_integrations.evaluation.harness",
    "predict_table": "a3m_integrations.evaluation.harness",
    "report": "a3m_integrations.evaluation.harness",
    "run_bench": "a3m_integrations.evaluation.bench",
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
    from a3m_integrations.evaluation.bench import run_bench
    from a3m_integrations.evaluation.datasets import DATASETS, load_table, load_tables
    from a3m_integrations.evaluation.harness import BenchReport, cross_validate, predict_table, report
    from a3m_integrations.evaluation.metrics import Point, baselines, choice_point, pareto_frontier, summarize_curve
    from a3m_integrations.evaluation.outcomes import read_outcomes
    from a3m_integrations.evaluation.table import RoutingTable, kfold_indices
