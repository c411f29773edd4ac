"""The routing path's shortcuts give what the long way gives (scripts/route_equivalence.py checks data sets)."""

from __future__ import annotations

from a3m_integrations.routing.base import Requirements, choose_models
from a3m_integrations.routing.heuristic import HeuristicRouter
from a3m_integrations.signals import analyze_text
from a3m_integrations.types import TIERS, ChatRequest, Message, ToolSpec


def test_remembered_choice_equals_choose_models_for_every_tier() -> None:
    router = HeuristicRouter()
    for tier in TIERS:
        for _ in range(2):  # the first call fills the memory, the second reads it
            got = router._choose(tier, Requirements(min_context=100))
            assert got == choose_models(router.pool, tier, Requirements(min_context=100), presorted=True)


def test_memory_is_bypassed_for_large_contexts_tools_and_health_checks() -> None:
    router = HeuristicRouter()
    router._choose("cheap", Requirements())
    smallest = min(m.context_window for m in router.pool)
    big = Requirements(min_context=smallest + 1)
    assert router._choose("cheap", big) == choose_models(router.pool, "cheap", big, presorted=True)
    tools = Requirements(tools=True)
    assert router._choose("cheap", tools) == choose_models(router.pool, "cheap", tools, presorted=True)
    down = {m.id for m in router.pool[:3]}
    router.healthy = lambda model_id: model_id not in down
    primary, _, why = router._choose("free", Requirements())
    assert primary.id not in down and why


def test_memory_follows_a_replaced_pool() -> None:
    router = HeuristicRouter()
    first = router.route(ChatRequest.of("hi")).model
    router.pool = tuple(m for m in router.pool if m.id != first)
    assert router.route(ChatRequest.of("hi")).model != first


def test_long_request_still_filtered_by_context_window() -> None:
    router = HeuristicRouter()
    smallest = min(m.context_window for m in router.pool)
    text = "word " * (smallest * 4 + 100)
    decision = router.route(ChatRequest((Message.user(text),), tools=(ToolSpec("t"),)))
    chosen = router.catalog.model(decision.model)
    assert chosen.context_window >= smallest and "tools" in chosen.capabilities


def test_phrases_of_two_three_and_four_words_are_found_only_when_adjacent() -> None:
    hit = analyze_text("Write a memo on the breach of contract and the statute of limitations for our client.")
    apart = analyze_text("Write a memo on the breach, of course, of the contract for our client.")
    assert "legal" in dict(hit.domains)
    assert dict(hit.domains).get("legal", 0) > dict(apart.domains).get("legal", 0)


def test_a_verb_after_a_connector_is_a_further_task_unless_it_opened_the_text() -> None:
    assert analyze_text("Summarize the report and then translate it into French.").verb_class is not None
    two = analyze_text("Summarize the report and then design a rollout.")
    assert any(name == "several tasks" for name, _ in two.reasons)
    again = analyze_text("Design a rollout and design a rollback.")  # the lead verb again: not a second task
    assert not any(name == "several tasks" for name, _ in again.reasons)


def test_hyphenated_words_count_by_their_parts_and_enumeration_needs_a_real_and() -> None:
    parts = analyze_text("Build a fault-tolerant, highly-available, rock-and-roll playlist service")
    whole = analyze_text("Build a fault tolerant, highly available, rock and roll playlist service")
    assert any(r.startswith("scale") for r, _ in parts.reasons) == any(r.startswith("scale") for r, _ in whole.reasons)
    assert not any(name == "enumerated items" for name, _ in parts.reasons)  # "and" only inside a word
    assert any(name == "enumerated items" for name, _ in whole.reasons)
