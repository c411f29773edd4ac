from __future__ import annotations

import numpy as np
import pytest

from a3m_integrations.errors import ConfigError
from a3m_integrations.evaluation.metrics import (
    Point,
    acc_at_cost,
    baselines,
    choice_point,
    oracle_choice,
    pareto_dist,
    pareto_frontier,
    summarize_curve,
)
from a3m_integrations.evaluation.table import RoutingTable


def tiny() -> RoutingTable:
    # 4 queries, tasks a,a,a,b; models cheap / mid / dear
    scores = np.array([[1, 1, 1], [0, 1, 1], [0, 0, 1], [1, 0, 0]], dtype=float)
    costs = np.array([[1, 2, 10], [1, 2, 10], [1, 2, 10], [1, 4, 20]], dtype=float) / 1000
    return RoutingTable("tiny", ["q1", "q2", "q3", "q4"], ["a", "a", "a", "b"], ["cheap", "mid", "dear"], scores, costs)


def test_choice_point_averages_per_task_and_per_query() -> None:
    t = tiny()
    dear = np.full(4, 2)
    p = choice_point(t, dear)
    assert p.accuracy == pytest.approx((1.0 + 0.0) / 2)  # task a: 3/3, task b: 0/1
    assert p.cost == pytest.approx((10 + 10 + 10 + 20) / 4 / 1000)
    assert choice_point(t, dear, average="query").accuracy == pytest.approx(3 / 4)


def test_baselines_by_hand() -> None:
    b = baselines(tiny())
    # per model macro accuracy: cheap (1/3 + 1)/2 = 2/3, mid (2/3 + 0)/2 = 1/3, dear (1 + 0)/2 = 1/2
    assert b["model:cheap"].accuracy == pytest.approx(2 / 3)
    assert b["model:mid"].accuracy == pytest.approx(1 / 3)
    assert b["random"].accuracy == pytest.approx((2 / 3 + 1 / 3 + 1 / 2) / 3)
    assert b["random"].cost == pytest.approx(np.mean([1.0, 2.5, 12.5]) / 1000)
    assert b["best_single"].name == "best_single (cheap)" and b["best_single"].accuracy == pytest.approx(2 / 3)
    assert b["cheapest"].name == "cheapest (cheap)"
    # oracle: q1 cheap (tie, cheapest), q2 mid, q3 dear, q4 cheap -> accuracy 1, cost (1+2+10+1)/4
    assert list(oracle_choice(tiny())) == [0, 1, 2, 0]
    assert b["oracle"].accuracy == pytest.approx(1.0)
    assert b["oracle"].cost == pytest.approx(14 / 4 / 1000)


def test_pareto_frontier_and_distance() -> None:
    pts = [Point("a", 0.5, 1.0), Point("b", 0.7, 2.0), Point("c", 0.6, 3.0), Point("d", 0.9, 5.0), Point("e", 0.5, 0.5)]
    front = pareto_frontier(pts)
    assert [p.name for p in front] == ["e", "b", "d"]
    assert acc_at_cost(front, 2.5) == pytest.approx(0.7)
    assert acc_at_cost(front, 0.1) is None
    # c at cost 3 could have had 0.7: gap 0.1; a at cost 1 could have had 0.5: gap 0
    assert pareto_dist([pts[2], pts[0]], front) == pytest.approx(0.05)
    assert pareto_dist(front, front) == pytest.approx(0.0)


def test_summarize_curve_by_hand() -> None:
    base = {
        "best_single": Point("best", 0.8, 10.0),
        "random": Point("random", 0.5, 5.0),
        "oracle": Point("oracle", 1.0, 2.0),
    }
    curve = [
        Point("r", 0.6, 1.0, 0.0),
        Point("r", 0.8, 4.0, 0.5),
        Point("r", 0.84, 8.0, 0.9),
        Point("r", 0.82, 9.0, 1.0),
    ]
    f = summarize_curve(curve, base)
    assert f["avg_acc"] == pytest.approx(0.82)  # the knob-1 point
    assert f["gain_at_random"] == pytest.approx(0.82 / 0.5 - 1)
    assert f["gain_at_best"] == pytest.approx(0.82 / 0.8 - 1)
    assert f["gap_at_oracle"] == pytest.approx(0.18)
    assert f["max_acc"] == pytest.approx(0.84) and f["perf_gain"] == pytest.approx(0.05)
    assert f["cost_save"] == pytest.approx(1 - 4.0 / 10.0)  # cheapest point reaching 0.8
    assert f["cost_save_95"] == pytest.approx(1 - 4.0 / 10.0)  # 0.76 is first reached at cost 4 too
    assert f["acc_at_best_cost"] == pytest.approx(0.84)
    assert f["acc_at_random_cost"] == pytest.approx(0.8)
    never = summarize_curve([Point("r", 0.7, 1.0, 1.0)], base)
    assert never["cost_save"] is None and never["perf_gain"] == pytest.approx(-0.125)


def test_bad_inputs() -> None:
    t = tiny()
    with pytest.raises(ConfigError):
        choice_point(t, np.array([0, 1]))
    with pytest.raises(ConfigError):
        choice_point(t, np.array([0, 1, 2, 3]))
    holes = t.scores.copy()
    holes[0, 0] = np.nan
    with pytest.raises(ConfigError, match="complete"):
        baselines(RoutingTable("h", t.queries, t.tasks, t.models, holes, t.costs))
    with pytest.raises(ConfigError, match="outside"):
        RoutingTable("x", ["q"], ["t"], ["m"], np.array([[1.5]]), np.array([[0.1]]))
    with pytest.raises(ConfigError):
        summarize_curve([], {"best_single": Point("b", 1, 1), "random": Point("r", 1, 1), "oracle": Point("o", 1, 1)})
