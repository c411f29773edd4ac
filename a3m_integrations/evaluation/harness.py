"""Scoring routers on tables: knob sweeps, k-fold cross-validation, held-out tests, reports.

Nothing here scores a router on a query it trained on: `cross_validate` predicts each fold with
a model trained on the other folds (rows with the same query text share a fold), and
`score_file` drops the test queries whose text hash is in the router file's training set.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from a3m_integrations.errors import ConfigError
from a3m_integrations.evaluation.metrics import (
    Average,
    Point,
    baselines,
    choice_point,
    outcome_point,
    pareto_frontier,
    summarize_curve,
)
from a3m_integrations.evaluation.table import RoutingTable, kfold_indices

if TYPE_CHECKING:
    from a3m_integrations.routing.learned._base import QualityModel

__all__ = [
    "DEFAULT_KNOBS",
    "BenchReport",
    "Predictions",
    "Progress",
    "cross_validate",
    "knob_curve",
    "predict_table",
    "report",
]

#: Knob values swept for a router's curve (0 = cheapest, 1 = best predicted quality).
DEFAULT_KNOBS: tuple[float, ...] = (
    0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75,
    0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 1.0,
)  # fmt: skip

Progress = Callable[[str, int, int], None]


#: (row positions in the predicted table, quality, cost, knob) -> (score, paid cost) per row
Simulate = Callable[[np.ndarray, np.ndarray, np.ndarray, float], tuple[np.ndarray, np.ndarray]]


@dataclass
class Predictions:
    """A router's out-of-sample predictions on a table: quality and cost per (query, model).

    `simulate`, for cascades, plays the policy on a table that keeps the answers and returns the
    (score, paid cost) per query at a knob value; plain routers choose one model per query.
    """

    name: str
    quality: np.ndarray
    cost: np.ndarray
    rows: np.ndarray | None = None  # the table rows they cover (None: all)
    notes: list[str] = field(default_factory=list)
    simulate: Simulate | None = None


def knob_curve(
    table: RoutingTable,
    quality: np.ndarray,
    cost: np.ndarray,
    *,
    name: str,
    knobs: Sequence[float] = DEFAULT_KNOBS,
    average: Average = "task",
) -> list[Point]:
    """The router's point at every knob value, choosing with `routing.learned.choose`."""
    from a3m_integrations.routing.learned._knob import choose

    return [choice_point(table, choose(quality, cost, k), name=name, knob=float(k), average=average) for k in knobs]


def cross_validate(
    table: RoutingTable,
    make: Callable[[], QualityModel],
    *,
    folds: int = 5,
    seed: int = 0,
    name: str | None = None,
    progress: Progress | None = None,
) -> Predictions:
    """Out-of-fold predictions: each fold predicted by a model trained on the other folds."""
    quality = np.zeros((len(table), table.n_models))
    cost = np.zeros_like(quality)
    label = name or "router"
    fold_models: list[tuple[np.ndarray, Any]] = []
    for f, (train, test) in enumerate(kfold_indices(len(table), folds, seed=seed, groups=table.queries)):
        if progress:
            progress(f"{label}: fold {f + 1}/{folds}", f, folds)
        model = make().fit(table.subset(train))
        q, c = _predict_aligned(model, table.subset(test))
        quality[test], cost[test] = q, c
        fold_models.append((test, model))
    if progress:
        progress(f"{label}: done", folds, folds)
    simulate = None
    if table.responses is not None and all(hasattr(m, "simulate") for _, m in fold_models):
        simulate = _fold_simulator(table, fold_models)
    return Predictions(label, quality, cost, notes=[f"{folds}-fold cross-validation, seed {seed}"], simulate=simulate)


def _fold_simulator(table: RoutingTable, fold_models: list[tuple[np.ndarray, Any]]) -> Simulate:
    """A simulate() over the whole table that runs each fold's own model on its rows."""

    def run(rows: np.ndarray, quality: np.ndarray, cost: np.ndarray, knob: float) -> tuple[np.ndarray, np.ndarray]:
        score, paid = np.zeros(len(rows)), np.zeros(len(rows))
        for test, model in fold_models:
            mine = np.isin(rows, test)
            if mine.any():
                score[mine], paid[mine] = model.simulate(table.subset(rows[mine]), quality[mine], cost[mine], knob)
        return score, paid

    return run


def _predict_aligned(model: QualityModel, table: RoutingTable) -> tuple[np.ndarray, np.ndarray]:
    """(quality, cost) in the table's model order; ConfigError if the model lacks a table model."""
    missing = [m for m in table.models if m not in model.models]
    if missing:
        raise ConfigError(
            f"the router was not trained on model(s) {', '.join(missing)} of table {table.name}",
            field="models",
            hint="Score it on a table of the same models, or retrain with data that covers them.",
        )
    cols = [model.models.index(m) for m in table.models]
    quality, cost = model.predict_both(table.queries)
    return quality[:, cols], cost[:, cols]


def predict_table(model: QualityModel, table: RoutingTable, *, name: str | None = None) -> Predictions:
    """Predictions of a trained model on a test table, leaving out queries it trained on."""
    unseen = ~model.seen(table.queries)
    dropped = int((~unseen).sum())
    sub = table.subset(unseen)
    if len(sub) == 0:
        raise ConfigError(
            f"every query of {table.name} was in the router's training data; nothing to score",
            hint="Score it on a held-out split, or let `a3m bench --kinds ...` cross-validate on this data.",
        )
    q, c = _predict_aligned(model, sub)
    notes = [f"trained on {', '.join(model.trained_on)}"]
    if dropped:
        notes.append(f"left out {dropped} test queries the router trained on")
    simulate: Simulate | None = None
    if table.responses is not None and hasattr(model, "simulate"):
        play = model.simulate

        def simulate(
            rows: np.ndarray, quality: np.ndarray, cost: np.ndarray, knob: float
        ) -> tuple[np.ndarray, np.ndarray]:
            return play(table.subset(rows), quality, cost, knob)  # type: ignore[no-any-return]

    return Predictions(name or model.kind, q, c, rows=np.flatnonzero(unseen), notes=notes, simulate=simulate)


@dataclass
class BenchReport:
    """Everything `a3m bench` prints: baselines, each router's curve and figures, the frontier."""

    table: str
    queries: int
    average: Average
    baselines: dict[str, Point]
    curves: dict[str, list[Point]]
    figures: dict[str, dict[str, Any]]
    frontier: list[Point]
    notes: dict[str, list[str]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "queries": self.queries,
            "average": self.average,
            "baselines": {k: v.to_dict() for k, v in self.baselines.items()},
            "routers": {
                name: {
                    "figures": self.figures[name],
                    "curve": [p.to_dict() for p in self.curves[name]],
                    "notes": self.notes.get(name, []),
                }
                for name in self.curves
            },
            "frontier": [p.to_dict() for p in self.frontier],
        }


def report(
    table: RoutingTable,
    predictions: Sequence[Predictions],
    *,
    tier_routers: Mapping[str, tuple[np.ndarray, Sequence[float]]] | None = None,
    knobs: Sequence[float] = DEFAULT_KNOBS,
    average: Average = "task",
) -> BenchReport:
    """Figures of every router against the baselines on the rows all of them cover.

    Rows missing a score or cost for any model are left out first (the metrics need complete
    rows); rows a router file trained on are left out for every router, so all compare alike.
    `tier_routers` maps a name to (complexity per table row, tier cuts): scored through
    `evaluation.tiers` (the heuristic router).
    """
    complete = table.observed.all(axis=1)
    keep = complete.copy()
    for p in predictions:
        if p.rows is not None:
            covered = np.zeros(len(table), dtype=bool)
            covered[p.rows] = True
            keep &= covered
    if not keep.any():
        raise ConfigError(f"no complete rows of {table.name} are left to score", source=table.name)
    sub = table.subset(keep)
    base = baselines(sub, average=average)
    curves: dict[str, list[Point]] = {}
    notes: dict[str, list[str]] = {}
    for p in predictions:
        kept = np.flatnonzero(keep)
        if p.rows is None:
            q, c = p.quality[keep], p.cost[keep]
        else:
            pos = np.full(len(table), -1)
            pos[p.rows] = np.arange(len(p.rows))
            q, c = p.quality[pos[keep]], p.cost[pos[keep]]
        if p.simulate is not None:
            sim = p.simulate
            curves[p.name] = [
                outcome_point(sub, *sim(kept, q, c, float(k)), name=p.name, knob=float(k), average=average)
                for k in knobs
            ]
        else:
            curves[p.name] = knob_curve(sub, q, c, name=p.name, knobs=knobs, average=average)
        notes[p.name] = list(p.notes)
    reference: dict[str, float] = {}
    for name, (complexity, cuts) in (tier_routers or {}).items():
        from a3m_integrations.evaluation.tiers import tier_curve

        curves[name] = tier_curve(np.asarray(complexity)[keep], cuts, sub, name=name, average=average)
        reference[name] = 0.0
        notes[name] = ["tiers stand for the data set's models by price (evaluation.tiers)"]
    every = [pt for curve in curves.values() for pt in curve] + [b for k, b in base.items() if k != "oracle"]
    frontier = pareto_frontier(every)
    figures = {
        name: summarize_curve(curve, base, frontier, reference_knob=reference.get(name, 1.0))
        for name, curve in curves.items()
    }
    skipped = int(len(table) - keep.sum())
    if skipped:
        for n in notes.values():
            n.append(f"{skipped} of {len(table)} rows left out (incomplete or trained on)")
    return BenchReport(sub.name, len(sub), average, base, curves, figures, frontier, notes)
