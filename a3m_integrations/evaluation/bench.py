"""What `a3m bench` runs: load each data set, get every router's out-of-sample predictions, report.

With several cross-validation seeds, each learned router's curve is the mean, knob by knob, of
its per-seed curves (accuracy and cost averaged), and its figures are read off that mean curve;
the per-seed CostSave and PerfGain are kept in the notes so their spread is visible.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from a3m_integrations.errors import ConfigError
from a3m_integrations.evaluation.datasets import load_table, load_tables
from a3m_integrations.evaluation.harness import BenchReport, Predictions, cross_validate, predict_table, report
from a3m_integrations.evaluation.metrics import Average, Point, pareto_dist, pareto_frontier, summarize_curve
from a3m_integrations.evaluation.table import RoutingTable

__all__ = ["heuristic_complexities", "run_bench"]


class _Steps:
    """Adapts a progress bar (or nothing) to the two calls the bench makes."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar

    def advance(self, label: str) -> None:
        if self.bar is not None:
            self.bar.advance(label)

    def __call__(self, label: str, done: int, total: int) -> None:
        if self.bar is not None:
            if done < total:
                self.bar.advance(label)
            else:
                self.bar(label, done, total)


def heuristic_complexities(table: RoutingTable) -> tuple[np.ndarray, tuple[float, float, float]] | None:
    """(complexity per query, tier cuts) of the heuristic router, or None if it is not available."""
    try:
        from a3m_integrations.routing.heuristic import HeuristicRouter
    except ImportError:  # pragma: no cover - only in builds without the heuristic router
        return None
    from a3m_integrations.evaluation.tiers import complexities

    router = HeuristicRouter()
    cuts = router.tier_cuts
    return complexities(router.score, table), (float(cuts[0]), float(cuts[1]), float(cuts[2]))


def _mean_curves(curves: Sequence[list[Point]]) -> list[Point]:
    first = curves[0]
    return [
        Point(
            first[i].name,
            float(np.mean([c[i].accuracy for c in curves])),
            float(np.mean([c[i].cost for c in curves])),
            first[i].knob,
        )
        for i in range(len(first))
    ]


def _merge(reports: Sequence[BenchReport], seeded: set[str]) -> BenchReport:
    """One report from per-seed reports: mean curves for the cross-validated routers."""
    base = reports[0]
    if len(reports) == 1:
        return base
    curves = {name: _mean_curves([r.curves[name] for r in reports]) if name in seeded else curve
              for name, curve in base.curves.items()}  # fmt: skip
    every = [p for c in curves.values() for p in c] + [b for k, b in base.baselines.items() if k != "oracle"]
    frontier = pareto_frontier(every)
    figures = {}
    notes = {name: list(n) for name, n in base.notes.items()}
    for name, curve in curves.items():
        if name not in seeded:  # the same curve every seed: keep its figures, measure it on the new frontier
            figures[name] = {**base.figures[name], "pareto_dist": pareto_dist(curve, frontier)}
            continue
        figures[name] = summarize_curve(curve, base.baselines, frontier)
        if name in seeded:
            per = [r.figures[name] for r in reports]
            saves = ", ".join("-" if f["cost_save"] is None else f"{f['cost_save']:.1%}" for f in per)
            gains = ", ".join(f"{f['perf_gain']:+.1%}" for f in per)
            notes.setdefault(name, []).append(
                f"mean curve over {len(reports)} seeds; per seed CostSave {saves}; PerfGain {gains}"
            )
    return BenchReport(base.table, base.queries, base.average, base.baselines, curves, figures, frontier, notes)


def run_bench(
    data: Sequence[str | Path],
    *,
    router_files: Sequence[str | Path] = (),
    kinds: Sequence[str] = (),
    train: Sequence[str | Path] = (),
    folds: int = 5,
    seeds: int = 1,
    params: Mapping[str, Any] | None = None,
    average: Average = "task",
    heuristic: bool = True,
    root: str | Path | None = None,
    progress: Any = None,
) -> list[BenchReport]:
    """A report per data set (see the module and `cli._bench` docs)."""
    from a3m_integrations.routing.learned._base import load_quality_model
    from a3m_integrations.routing.learned.router import make_quality_model

    steps = _Steps(progress)
    settings = dict(params or {})

    def maker(kind: str, seed: int) -> Callable[[], Any]:
        return lambda: make_quality_model(kind, strict=False, seed=seed, **settings)

    files = [(Path(f).stem, load_quality_model(f)) for f in router_files]
    trained: list[tuple[str, Any]] = []
    if train:
        train_table = load_tables(train, root=root)
        for kind in kinds:
            steps.advance(f"training {kind} on {train_table.name}")
            trained.append((kind, maker(kind, 0)().fit(train_table)))
    reports = []
    for source in data:
        table = load_table(source, root=root)
        steps.advance(f"loaded {table.name}: {len(table)} queries x {table.n_models} models")
        fixed: list[Predictions] = []
        for name, model in [*files, *trained]:
            steps.advance(f"scoring {name}")
            try:
                fixed.append(predict_table(model, table, name=name))
            except ConfigError as exc:
                if len(data) == 1:
                    raise
                steps.advance(f"skipped {name} on {table.name}: {exc.message}")
        tier = None
        if heuristic:
            found = heuristic_complexities(table)
            tier = {"heuristic": found} if found is not None else None
        per_seed = []
        cv_names: set[str] = set()
        for seed in range(seeds if not train else 1):
            preds = list(fixed)
            if not train:
                for kind in kinds:
                    preds.append(
                        cross_validate(table, maker(kind, seed), folds=folds, seed=seed, name=kind, progress=steps)
                    )
                    cv_names.add(kind)
            per_seed.append(report(table, preds, tier_routers=tier, average=average))
        reports.append(_merge(per_seed, cv_names))
    return reports
