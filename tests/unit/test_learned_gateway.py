from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from a3m_integrations.errors import ConfigError, NoCapableModel
from a3m_integrations.evaluation.table import RoutingTable
from a3m_integrations.routing.base import ROUTERS, Router, get_router
from a3m_integrations.routing.features import HashedNgramEmbedder
from a3m_integrations.routing.learned import LearnedRouter, make_quality_model
from a3m_integrations.types import ChatRequest, ToolSpec

CHEAP, DEAR, LOCAL = "openai/gpt-4o-mini", "openai/gpt-4o", "local/smollm2-135m-instruct"


def outcome_table(models: list[str]) -> RoutingTable:
    """Code needs the dear model; trivia any model does (model names as given)."""
    rng = np.random.default_rng(1)
    queries, p = [], []
    for i in range(160):
        if i % 2:
            queries.append(f"write a python function that parses {['json', 'csv', 'xml', 'yaml'][i % 4]} files {i}")
            p.append([0.15, 0.95, 0.05])
        else:
            queries.append(f"what is the capital of {['france', 'peru', 'japan', 'chile'][i % 4]}? {i}")
            p.append([0.9, 0.95, 0.85])
    scores = (rng.random((160, 3)) < np.array(p)).astype(float)
    return RoutingTable("log", queries, ["t"] * 160, models, scores, np.tile([1e-4, 3e-3, 1e-6], (160, 1)))


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    model = make_quality_model("knn", k=10, embedder=HashedNgramEmbedder(buckets=1024, dim=32))
    model.fit(outcome_table([CHEAP, DEAR, LOCAL]))
    return model.save(tmp_path_factory.mktemp("r") / "knn.npz")


def test_registered_and_routes_by_predicted_quality(trained: Path) -> None:
    assert {"knn", "cluster", "mlp", "mf", "cascade", "learned", "adaptive"} <= set(ROUTERS)
    router = get_router("knn", path=trained, quality=0.5)
    assert isinstance(router, Router)
    code = router.route(ChatRequest.of("write a python function that parses toml files"))
    trivia = router.route(ChatRequest.of("what is the capital of norway?"))
    assert code.model == DEAR and trivia.model != DEAR
    assert set(code.scores) == {CHEAP, DEAR, LOCAL} and code.scores[DEAR] > code.scores[CHEAP]
    assert code.router == "learned-knn" and code.estimated_cost > trivia.estimated_cost
    assert len(code.fallbacks) == 2 and code.model not in code.fallbacks
    assert "predicted quality" in code.reasons[0] and 0.0 <= code.complexity <= 1.0
    cheapest = get_router("knn", path=trained, quality=0.0).route(ChatRequest.of("write a python parser"))
    assert cheapest.model == LOCAL


def test_requirements_filter_candidates(trained: Path) -> None:
    router = LearnedRouter(trained, quality=0.0)
    request = ChatRequest.of("what is the capital of peru?", tools=(ToolSpec("lookup"),))
    decision = router.route(request)
    assert decision.model != LOCAL and LOCAL not in decision.fallbacks  # the local model has no tools
    assert any("lacking tools" in r for r in decision.reasons)


def test_pinned_model_is_honoured(trained: Path) -> None:
    router = LearnedRouter(trained)
    decision = router.route(ChatRequest.of("hi", model=CHEAP))
    assert decision.model == CHEAP and decision.reasons == ("model pinned by the request",)
    with pytest.raises(NoCapableModel):
        router.route(ChatRequest.of("hi", model=LOCAL, tools=(ToolSpec("t"),)))


def test_model_map_and_tier_mode(tmp_path: Path) -> None:
    model = make_quality_model("knn", k=10, embedder=HashedNgramEmbedder(buckets=1024, dim=32))
    model.fit(outcome_table(["small-7b", "big-70b", "tiny-1b"]))
    with pytest.raises(ConfigError, match="model_map"):
        LearnedRouter(model)
    mapped = LearnedRouter(model, model_map={"small-7b": CHEAP, "big-70b": DEAR}, quality=0.5)
    assert mapped.route(ChatRequest.of("write a python function that parses ini files")).model == DEAR
    tiers = {"small-7b": "cheap", "big-70b": "premium", "tiny-1b": "free"}
    tiered = LearnedRouter(model, tiers=tiers, quality=0.5)
    code = tiered.route(ChatRequest.of("write a python function that parses ini files"))
    assert code.tier == "premium" and "tier premium" in code.reasons[0]
    model.meta["tiers"] = tiers
    again = LearnedRouter(model.save(tmp_path / "tiered.npz"))
    assert again.tiers == tiers
    with pytest.raises(ConfigError, match="not one of"):
        LearnedRouter(model, tiers={"small-7b": "gold"})


def test_named_kinds_need_a_file_and_the_right_kind(trained: Path) -> None:
    with pytest.raises(ConfigError, match="needs a trained file"):
        get_router("mlp")
    with pytest.raises(ConfigError, match="not 'mlp'"):
        get_router("mlp", path=trained)
    with pytest.raises(ConfigError, match="quality"):
        LearnedRouter(trained, quality=2.0)
