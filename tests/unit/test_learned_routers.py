from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from a3m_integrations.errors import ConfigError
from a3m_integrations.evaluation.datasets import load_table
from a3m_integrations.evaluation.metrics import baselines, choice_point
from a3m_integrations.evaluation.table import RoutingTable
from a3m_integrations.routing.features import HashedNgramEmbedder
from a3m_integrations.routing.learned import choose, load_quality_model, make_quality_model, tradeoff_lambda

KINDS = ["knn", "cluster", "mlp", "logistic", "mf", "cascade"]
SMALL = {"knn": {"k": 10}, "cluster": {"clusters": 8}, "mlp": {"hidden": 16, "epochs": 30}, "logistic": {},
         "mf": {"rank": 4, "epochs": 30}, "cascade": {}}  # fmt: skip


def synthetic(n: int = 240, seed: int = 0) -> RoutingTable:
    """Code questions only the dear model gets right; trivia every model gets right."""
    rng = np.random.default_rng(seed)
    topics = ["sorting", "parsing", "graphs", "caching", "regex", "threads", "sockets", "json"]
    places = ["france", "peru", "kenya", "japan", "chile", "norway", "egypt", "canada"]
    queries, tasks, p = [], [], []
    for i in range(n):
        if i % 2:
            queries.append(f"write a python function for {topics[i % 8]} with tests, case {i}")
            tasks.append("code")
            p.append([0.2, 0.95, 0.1])
        else:
            queries.append(f"what is the capital city of {places[i % 8]}? question {i}")
            tasks.append("trivia")
            p.append([0.9, 0.95, 0.85])
    scores = (rng.random((n, 3)) < np.array(p)).astype(float)
    costs = np.tile([1e-4, 5e-3, 5e-5], (n, 1)) * rng.uniform(0.9, 1.1, (n, 1))
    answers = np.array([["A" if s else "I am not sure" for s in row] for row in scores], dtype=object)
    return RoutingTable("synthetic", queries, tasks, ["cheap", "dear", "tiny"], scores, costs, responses=answers)


def small_model(kind: str):  # type: ignore[no-untyped-def]
    return make_quality_model(kind, embedder=HashedNgramEmbedder(buckets=1024, dim=32), **SMALL[kind])


@pytest.mark.parametrize("kind", KINDS)
def test_fit_save_load_round_trip_and_beats_random(kind: str, tmp_path: Path) -> None:
    table = synthetic()
    train, test = table.subset(np.arange(0, 180)), table.subset(np.arange(180, 240))
    model = small_model(kind).fit(train)
    q = model.predict(test.queries)
    assert q.shape == (60, 3) and (q >= 0).all() and (q <= 1).all()
    path = model.save(tmp_path / f"{kind}.npz")
    again = load_quality_model(path)
    assert again.kind == model.kind and again.models == ["cheap", "dear", "tiny"]
    assert np.allclose(again.predict(test.queries), q, atol=2e-3)  # float16 storage
    assert np.allclose(again.predict_cost(test.queries), model.predict_cost(test.queries), rtol=1e-2)
    assert again.seen(train.queries[:3]).all() and not again.seen(["an unseen query"]).any()
    pick = choose(q, model.predict_cost(test.queries), 1.0)
    routed = choice_point(test, pick).accuracy
    assert routed > baselines(test)["random"].accuracy + 0.1
    cheap_pick = choose(q, model.predict_cost(test.queries), 0.4)
    assert (cheap_pick[np.array(test.tasks) == "trivia"] != 1).mean() > 0.8  # trivia leaves the dear model
    assert (cheap_pick[np.array(test.tasks) == "code"] == 1).mean() > 0.8  # code keeps it


def test_real_data_slice_beats_random(data_dir: Path) -> None:
    table = load_table("dcrouter-train", root=data_dir)
    rows = np.random.default_rng(0).permutation(len(table))[:900]
    train, test = table.subset(rows[:700]), table.subset(rows[700:])
    model = make_quality_model("logistic", embedder=HashedNgramEmbedder(buckets=2048, dim=64), epochs=40).fit(train)
    q = model.predict(test.queries)
    routed = choice_point(test, choose(q, model.predict_cost(test.queries), 1.0)).accuracy
    assert routed > baselines(test)["random"].accuracy + 0.1


def test_the_knob_runs_from_cheapest_to_best() -> None:
    q = np.array([[0.5, 0.9, 0.6]])
    c = np.array([[0.01, 1.0, 0.001]])
    assert choose(q, c, 1.0)[0] == 1 and choose(q, c, 0.0)[0] == 2
    assert tradeoff_lambda(1.0) == 0.0 and tradeoff_lambda(0.5) == pytest.approx(0.1) and np.isinf(tradeoff_lambda(0))
    with pytest.raises(ConfigError):
        tradeoff_lambda(1.5)


def test_cascade_pays_for_both_calls_when_it_escalates() -> None:
    table = synthetic(seed=3)
    model = small_model("cascade").fit(table.subset(np.arange(200)))
    test = table.subset(np.arange(200, 240))
    q, c = model.predict_both(test.queries)
    score, paid = model.simulate(test, q, c, 0.9)
    plan = model.plan(q, c, 0.9)
    rows = np.arange(len(test))
    final_cost = test.costs[rows, plan.final]
    drafted = plan.draft >= 0
    draft = np.where(drafted, plan.draft, 0)
    draft_cost = test.costs[rows, draft]
    assert np.allclose(paid[~drafted], final_cost[~drafted])  # no draft: one call
    kept = drafted & np.isclose(paid, draft_cost)
    escalated = drafted & np.isclose(paid, draft_cost + final_cost)
    assert (kept | escalated)[drafted].all()  # a draft is paid alone, or with the final model
    assert kept.any() and escalated.any()
    assert np.allclose(score[kept], test.scores[rows, draft][kept])
    assert np.allclose(score[escalated], test.scores[rows, plan.final][escalated])
    assert score.shape == (40,) and set(np.unique(score)) <= {0.0, 1.0}
    v = model.verify(test.queries[:2], [0, 0], ["A", "I am not sure"])
    assert v.shape == (2,) and ((v >= 0) & (v <= 1)).all()


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_quality_model(tmp_path / "none.npz")
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip")
    with pytest.raises(ConfigError, match="readable"):
        load_quality_model(junk)
    np.savez(tmp_path / "plain.npz", x=np.zeros(3))
    with pytest.raises(ConfigError, match="not an a3m router"):
        load_quality_model(tmp_path / "plain.npz")
    path = small_model("knn").fit(synthetic(60)).save(tmp_path / "k.npz")
    with pytest.raises(ConfigError, match="not 'mlp'"):
        load_quality_model(path, expect="mlp")
    with pytest.raises(ConfigError, match="unknown router kind"):
        make_quality_model("forest")
    with pytest.raises(ConfigError, match="not trained"):
        make_quality_model("knn").predict(["hi"])
