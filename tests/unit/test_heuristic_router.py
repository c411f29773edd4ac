from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from a3m_integrations.catalog import Catalog
from a3m_integrations.errors import ConfigError, InvalidRequest, NoCapableModel
from a3m_integrations.routing.base import ROUTERS, Requirements, choose_models, get_router, tier_for_complexity
from a3m_integrations.routing.heuristic import HeuristicRouter
from a3m_integrations.signals import analyze_text
from a3m_integrations.types import TIERS, ChatRequest, ImagePart, Message, ResponseFormat, TextPart, ToolSpec

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "routing"


def _accuracy(rows: list[dict[str, str]]) -> tuple[float, float]:
    exact = adjacent = 0
    for row in rows:
        got = TIERS.index(tier_for_complexity(analyze_text(row["query"]).complexity))
        want = TIERS.index(row["expected_tier"])
        exact += got == want
        adjacent += abs(got - want) <= 1
    return exact / len(rows), adjacent / len(rows)


def test_tier_accuracy_on_the_authors_labelled_queries(data_dir: Path) -> None:
    rows = json.loads((data_dir / "a3m-tier-labels" / "routing-benchmark-v2.queries.json").read_text())
    exact, adjacent = _accuracy(rows)
    assert exact >= 0.96, exact  # the target 0.85; the original router: 0.67; now 0.985
    assert adjacent >= 0.99, adjacent  # the original router: 0.96; now 1.0


@pytest.mark.parametrize("name", ["tier_dev_set.json", "tier_blind_set.json", "tier_blind_set_2.json"])
def test_tier_accuracy_on_sets_used_while_building(name: str) -> None:
    rows = json.loads((FIXTURES / name).read_text())["queries"]
    exact, adjacent = _accuracy(rows)
    assert exact >= 0.95, exact  # now 0.992 (dev), 0.98 (set 1), 0.995 (set 2)
    assert adjacent >= 0.99, adjacent  # now 1.0 on each


def test_tier_accuracy_on_the_third_blind_set() -> None:
    """Written blind (no code, no earlier sets) and scored once with the signals frozen: 80.0% / 95.0%.

    It was later used for error analysis (with the other four sets), so its figure now, 97.5% / 100%,
    is no longer an unseen-set figure; this guards against regressions.
    """
    rows = json.loads((FIXTURES / "tier_blind_set_3.json").read_text())["queries"]
    exact, adjacent = _accuracy(rows)
    assert exact >= 0.95, exact
    assert adjacent >= 0.99, adjacent


def test_tier_accuracy_on_the_fourth_blind_set() -> None:
    """Written blind to the code and the other sets, labelled after the A3M author's 200; scored once.

    86.5% / 98.5% with the signals before the error analysis of sets 1-3, 90.5% / 98.0% after it
    (each revision scored once, the set unseen by whoever changed the signals). It was then used for
    error analysis (round 2, with the other sets and the stress set), so its figure now, 99.0% /
    100%, is no longer an unseen-set figure; this guards against regressions.
    """
    rows = json.loads((FIXTURES / "tier_blind_set_4.json").read_text())["queries"]
    exact, adjacent = _accuracy(rows)
    assert exact >= 0.95, exact
    assert adjacent >= 0.99, adjacent


def test_tier_accuracy_on_the_fifth_blind_set() -> None:
    """Written blind to the code and the other sets, labelled after the A3M author's 200; scored once.

    89.0% / 99.0% after round 1, 92.0% / 100% after round 2 (each revision scored once, the set
    unseen by whoever changed the signals; 86.5% / 99.0% with the code before both rounds). Not
    used for error analysis; a regression guard.
    """
    rows = json.loads((FIXTURES / "tier_blind_set_5.json").read_text())["queries"]
    exact, adjacent = _accuracy(rows)
    assert exact >= 0.90, exact
    assert adjacent >= 0.99, adjacent


def test_tier_accuracy_on_the_stress_set() -> None:
    """Written (round 2, before scoring it) from the mechanisms of two-tier misses and chat-style requests.

    87.3% / 93.1% with the signals before round 2 (seven two-tier misses), 96.1% / 100% after it.
    """
    rows = json.loads((FIXTURES / "tier_stress_set.json").read_text())["queries"]
    exact, adjacent = _accuracy(rows)
    assert exact >= 0.93, exact
    assert adjacent >= 0.99, adjacent


def test_decision_is_cheapest_capable_in_tier_with_cross_provider_fallbacks() -> None:
    router = HeuristicRouter()
    d = router.route(ChatRequest.of("Review this contract for liability and indemnification issues"))
    assert d.tier == "premium"
    chosen = router.catalog.model(d.model)
    premium = [m for m in router.pool if m.tier == "premium"]
    assert chosen.blended_per_1m == min(m.blended_per_1m for m in premium)
    assert len(d.fallbacks) == 2
    providers = {chosen.provider, *(router.catalog.model(f).provider for f in d.fallbacks)}
    assert len(providers) == 3
    assert isinstance(d.estimated_cost, Decimal) and d.estimated_cost > 0
    assert d.reasons and d.router == "heuristic"


def test_trivial_prompt_goes_to_the_free_tier() -> None:
    d = HeuristicRouter().route(ChatRequest.of("What is 2+2?"))
    assert d.tier == "free"
    assert d.estimated_cost == Decimal(0)


def test_requirements_filter_before_the_tier() -> None:
    router = HeuristicRouter()
    tools = router.route(ChatRequest.of("hi", tools=(ToolSpec("lookup"),)))
    assert router.catalog.model(tools.model).supports("tools")
    assert all(router.catalog.model(f).supports("tools") for f in tools.fallbacks)
    image = ChatRequest.of([Message("user", (TextPart("what is this?"), ImagePart("https://x/y.png")))])
    vision = router.route(image)
    assert router.catalog.model(vision.model).supports("vision")
    as_json = router.route(ChatRequest.of("hi", response_format=ResponseFormat("json_object")))
    m = router.catalog.model(as_json.model)
    assert m.supports("json") or m.supports("json_schema")
    huge = ChatRequest.of("x " * 10, max_tokens=5_000_000)
    with pytest.raises(NoCapableModel) as err:
        router.route(huge)
    assert "context" in str(err.value)


def test_escalates_when_the_tier_has_no_capable_model() -> None:
    router = HeuristicRouter(pool=["local/smollm2-135m-instruct", "openai/gpt-4o"])
    d = router.route(ChatRequest.of("What is 2+2?", tools=(ToolSpec("calc"),)))
    assert d.model == "openai/gpt-4o"
    assert any("no capable model in tier free" in r for r in d.reasons)


def test_pinned_model_is_honoured_or_refused() -> None:
    router = HeuristicRouter()
    d = router.route(ChatRequest.of("What is 2+2?", model="openai/gpt-4o"))
    assert d.model == "openai/gpt-4o" and "pinned" in d.reasons[0]
    assert "openai/gpt-4o" not in d.fallbacks
    with pytest.raises(NoCapableModel, match="pinned"):
        router.route(ChatRequest.of("hi", model="local/smollm2-135m-instruct", tools=(ToolSpec("x"),)))
    with pytest.raises(InvalidRequest, match="unknown model"):
        router.route(ChatRequest.of("hi", model="nope/nothing"))


def test_unhealthy_models_are_skipped() -> None:
    router = HeuristicRouter()
    first = router.route(ChatRequest.of("What is 2+2?")).model
    sick = HeuristicRouter(healthy=lambda model_id: model_id != first)
    d = sick.route(ChatRequest.of("What is 2+2?"))
    assert d.model != first
    assert any("unhealthy" in r for r in d.reasons)


def test_configuration_errors() -> None:
    with pytest.raises(ConfigError, match="tier_cuts"):
        HeuristicRouter(tier_cuts=(0.5, 0.4, 0.9))
    with pytest.raises(ConfigError, match="unknown signal weight"):
        HeuristicRouter(weights={"nonsense": 1.0})
    with pytest.raises(ConfigError, match="known routers"):
        get_router("no-such-router")
    with pytest.raises(InvalidRequest, match="unknown pool"):
        HeuristicRouter(pool="no-such-pool")
    assert isinstance(get_router("heuristic"), HeuristicRouter)
    assert "heuristic" in ROUTERS


def test_choose_models_reports_what_was_rejected() -> None:
    cat = Catalog.default()
    pool = [cat.model("local/smollm2-135m-instruct")]
    with pytest.raises(NoCapableModel) as err:
        choose_models(pool, "free", Requirements(tools=True))
    assert err.value.rejected == {"local/smollm2-135m-instruct": "no tool calling"}
    assert "tools" in str(err.value)


def test_tier_cuts_move_the_boundaries() -> None:
    request = ChatRequest.of("Write a Python function to reverse a string")
    assert HeuristicRouter().route(request).tier == "cheap"
    assert HeuristicRouter(tier_cuts=(0.5, 0.6, 0.8)).route(request).tier == "free"


def test_a_pinned_model_goes_alone_when_nothing_else_can_take_the_request() -> None:
    router = HeuristicRouter(pool=["openai/gpt-4o", "local/smollm2-135m-instruct"])
    d = router.route(ChatRequest.of("hi", model="openai/gpt-4o", tools=(ToolSpec("lookup"),)))
    assert d.model == "openai/gpt-4o" and d.fallbacks == ()
