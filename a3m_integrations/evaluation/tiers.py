"""Scoring a tier router (the heuristic) on a data set whose models are not catalog models.

A tier router maps a query to a tier (free, cheap, mid, premium); a data set has its own models.
The bridge is price: the data set's models are sorted by their mean cost per query and split into
three groups of near-equal size (cheap, mid, premium terciles). Each tier is represented by the
dearest model of its group (the best its budget buys); "free" maps to the cheapest model of all.

The router's curve comes from shifting its three complexity cuts together by `shift` (from -0.7,
every query premium, to +0.7, every query cheap); the point at shift 0 is its default setting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from a3m_integrations.evaluation.metrics import Average, Point, choice_point
from a3m_integrations.evaluation.table import RoutingTable

__all__ = ["DEFAULT_SHIFTS", "complexities", "tier_curve", "tier_models"]

DEFAULT_SHIFTS: tuple[float, ...] = tuple(round(x, 2) for x in np.linspace(-0.7, 0.7, 29))


def tier_models(table: RoutingTable) -> dict[str, int]:
    """Tier -> the data set model (column index) that stands for it (see module doc)."""
    mean_cost = np.nanmean(np.where(np.isfinite(table.costs), table.costs, np.nan), axis=0)
    order = np.argsort(mean_cost, kind="stable")
    groups = np.array_split(order, 3) if len(order) >= 3 else [order[:1], order[: len(order) // 2 + 1], order]
    out = {"free": int(order[0])}
    for tier, group in zip(("cheap", "mid", "premium"), groups):
        out[tier] = int(group[-1]) if len(group) else int(order[-1])
    return out


def complexities(score: Callable[[Any], tuple[float, Sequence[str]]], table: RoutingTable) -> np.ndarray:
    """The tier router's complexity of every query (`router.score(ChatRequest)`)."""
    from a3m_integrations.types import ChatRequest

    return np.array([score(ChatRequest.of(q))[0] for q in table.queries], dtype=np.float64)


def tier_curve(
    complexity: np.ndarray,
    cuts: Sequence[float],
    table: RoutingTable,
    *,
    name: str = "heuristic",
    shifts: Sequence[float] = DEFAULT_SHIFTS,
    average: Average = "task",
) -> list[Point]:
    """The tier router's point at every cut shift (knob = the shift; 0 = its default cuts)."""
    from a3m_integrations.routing.base import tier_for_complexity

    models = tier_models(table)
    points = []
    for shift in shifts:
        moved = [min(0.999, max(0.001, c + shift)) for c in cuts]
        choice = np.array([models[tier_for_complexity(float(c), moved)] for c in complexity])
        points.append(choice_point(table, choice, name=name, knob=float(shift), average=average))
    return points
