"""LLMRouterBench's metrics and baselines over a `RoutingTable`.

A router's choice on a table is one model index per query; its *point* is (accuracy, cost):

- accuracy (AvgAcc): the mean score of the chosen answers, averaged per task and then across
  tasks (LLMRouterBench averages datasets; `average="query"` averages queries instead);
- cost: the mean USD per query of the chosen answers (multiply by the query count for a total).

A router with a knob gives a *curve* of points, cheapest to best quality. From a curve and the
baselines (`baselines`):

- Gain@Random, Gain@Best-single: relative accuracy gain of the best-quality point over the
  random baseline (the expected accuracy and cost of a uniformly random model) and over the best
  single model (highest AvgAcc);
- Gap@Oracle: relative accuracy gap of that point below the oracle (per query the best score,
  the cheapest model among ties);
- PerfGain: relative gain of the curve's most accurate point over the best single model;
- CostSave: 1 - (cheapest cost at which the curve reaches the best single model's accuracy) /
  (the best single model's cost); None when the curve never reaches it; CostSave@95 is the same
  at 95 % of the best single model's accuracy (RouteLLM's "95 % of GPT-4 quality");
- Pareto frontier: the points of every router, baseline (but the oracle) and single model that
  no other point beats on both cost and accuracy;
- ParetoDist: the mean, over a curve's points, of the accuracy the frontier reaches at that
  point's cost (or less) minus the point's accuracy: accuracy left on the table at equal spend,
  0 for a curve on the frontier;
- acc_at_cost(c): the best accuracy a curve reaches at cost <= c (for "beat X at equal cost").

Relative gains are fractions (0.04 = 4 %).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np

from a3m_integrations.errors import ConfigError
from a3m_integrations.evaluation.table import RoutingTable

__all__ = [
    "Average",
    "Point",
    "acc_at_cost",
    "baselines",
    "choice_point",
    "oracle_choice",
    "outcome_point",
    "pareto_dist",
    "pareto_frontier",
    "summarize_curve",
]

Average = Literal["task", "query"]


@dataclass(frozen=True, slots=True)
class Point:
    """One operating point: accuracy and mean cost per query, with the knob value that made it."""

    name: str
    accuracy: float
    cost: float
    knob: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check(table: RoutingTable) -> None:
    if len(table) == 0:
        raise ConfigError(f"table {table.name} has no rows to score", source=table.name)
    if not table.observed.all():
        raise ConfigError(
            f"table {table.name} has unknown scores or costs",
            source=table.name,
            hint="Score on table.complete() (rows where every model has a score and a cost).",
        )


def _mean(values: np.ndarray, table: RoutingTable, average: Average) -> float:
    if average == "query":
        return float(values.mean())
    task = table.task_index()
    sums = np.bincount(task, weights=values)
    counts = np.bincount(task)
    return float((sums / counts).mean())


def choice_point(
    table: RoutingTable,
    choice: np.ndarray,
    *,
    name: str = "router",
    knob: float | None = None,
    average: Average = "task",
) -> Point:
    """The point of choosing model `choice[i]` for query `i`."""
    _check(table)
    rows = np.arange(len(table))
    ch = np.asarray(choice, dtype=np.int64)
    if ch.shape != (len(table),) or ch.min() < 0 or ch.max() >= table.n_models:
        raise ConfigError(f"a choice needs one model index per query (0..{table.n_models - 1})", field="choice")
    return outcome_point(table, table.scores[rows, ch], table.costs[rows, ch], name=name, knob=knob, average=average)


def outcome_point(
    table: RoutingTable,
    scores: np.ndarray,
    costs: np.ndarray,
    *,
    name: str = "router",
    knob: float | None = None,
    average: Average = "task",
) -> Point:
    """The point of per-query outcomes (score, paid cost): for policies that may call several models."""
    return Point(name, _mean(np.asarray(scores, dtype=np.float64), table, average), float(np.mean(costs)), knob)


def oracle_choice(table: RoutingTable) -> np.ndarray:
    """Per query, the model with the best score; the cheapest among ties."""
    best = table.scores.max(axis=1, keepdims=True)
    masked = np.where(np.isclose(table.scores, best), table.costs, np.inf)
    return np.asarray(np.argmin(masked, axis=1))


def baselines(table: RoutingTable, *, average: Average = "task") -> dict[str, Point]:
    """random, best_single, cheapest and oracle points, plus every single model as `model:<name>`."""
    _check(table)
    out: dict[str, Point] = {}
    singles = [
        choice_point(table, np.full(len(table), j), name=f"model:{m}", average=average)
        for j, m in enumerate(table.models)
    ]
    out["random"] = Point(
        "random",
        float(np.mean([p.accuracy for p in singles])),
        float(np.mean([p.cost for p in singles])),
    )
    best = max(singles, key=lambda p: (p.accuracy, -p.cost))
    out["best_single"] = Point(f"best_single ({best.name[6:]})", best.accuracy, best.cost)
    cheap = min(singles, key=lambda p: (p.cost, -p.accuracy))
    out["cheapest"] = Point(f"cheapest ({cheap.name[6:]})", cheap.accuracy, cheap.cost)
    out["oracle"] = choice_point(table, oracle_choice(table), name="oracle", average=average)
    for p in singles:
        out[p.name] = p
    return out


def pareto_frontier(points: Iterable[Point]) -> list[Point]:
    """The points no other point beats on both cost (lower) and accuracy (higher), cheapest first."""
    ordered = sorted(points, key=lambda p: (p.cost, -p.accuracy))
    frontier: list[Point] = []
    best = -np.inf
    for p in ordered:
        if p.accuracy > best + 1e-12:
            frontier.append(p)
            best = p.accuracy
    return frontier


def acc_at_cost(curve: Sequence[Point], cost: float) -> float | None:
    """The best accuracy among `curve`'s points costing at most `cost` (None if all cost more)."""
    eligible = [p.accuracy for p in curve if p.cost <= cost * (1 + 1e-9)]
    return max(eligible) if eligible else None


def pareto_dist(curve: Sequence[Point], frontier: Sequence[Point]) -> float:
    """Mean accuracy gap of `curve`'s points below the frontier at equal (or lower) cost."""
    gaps = []
    for p in curve:
        reach = acc_at_cost(frontier, p.cost)
        gaps.append(max(0.0, (reach if reach is not None else p.accuracy) - p.accuracy))
    return float(np.mean(gaps)) if gaps else float("nan")


def _rel(a: float, b: float) -> float:
    return (a - b) / b if b else float("nan")


def summarize_curve(
    curve: Sequence[Point],
    base: Mapping[str, Point],
    frontier: Sequence[Point] | None = None,
    *,
    reference_knob: float | None = 1.0,
) -> dict[str, Any]:
    """The LLMRouterBench figures of one router's curve against the baselines (see module doc).

    AvgAcc, cost, Gain@* and Gap@Oracle are read at the point made with `reference_knob` (1.0,
    the pure-quality setting of a learned router; a tier router's default cuts), else at the
    curve's most accurate point.
    """
    if not curve:
        raise ConfigError("a curve needs at least one point", field="curve")
    top = max(curve, key=lambda p: (p.accuracy, -p.cost))
    quality = next((p for p in curve if reference_knob is not None and p.knob == reference_knob), top)
    best, rnd, oracle = base["best_single"], base["random"], base["oracle"]

    def save_at(target: float) -> float | None:
        reaching = [p.cost for p in curve if p.accuracy >= target - 1e-12]
        return (1.0 - min(reaching) / best.cost) if reaching and best.cost > 0 else None

    out: dict[str, Any] = {
        "avg_acc": quality.accuracy,
        "cost": quality.cost,
        "gain_at_random": _rel(quality.accuracy, rnd.accuracy),
        "gain_at_best": _rel(quality.accuracy, best.accuracy),
        "gap_at_oracle": (oracle.accuracy - quality.accuracy) / oracle.accuracy if oracle.accuracy else float("nan"),
        "max_acc": top.accuracy,
        "max_acc_cost": top.cost,
        "perf_gain": _rel(top.accuracy, best.accuracy),
        "cost_save": save_at(best.accuracy),
        "cost_save_95": save_at(0.95 * best.accuracy),
        "acc_at_best_cost": acc_at_cost(curve, best.cost),
        "acc_at_random_cost": acc_at_cost(curve, rnd.cost),
        "points": len(curve),
    }
    if frontier is not None:
        out["pareto_dist"] = pareto_dist(curve, frontier)
    return out
