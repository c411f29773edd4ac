"""SemanticCache against real SQLite files and real faiss indexes."""

from __future__ import annotations

import asyncio
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from a3m_integrations.cache import HashingEmbedder, ResponseCache, RoutePolicy, SemanticCache
from a3m_integrations.errors import CacheError
from a3m_integrations.types import ChatResponse, Message, RequestContext, ToolCall, ToolSpec
from tests.unit.cache.conftest import Clock, answer, req

Q = "How do I reverse a list in Python?"
PARA = "What's the easiest way to reverse a Python list?"
TRAP = "How do I reverse a list in Java?"


def test_implements_the_protocol() -> None:
    assert isinstance(SemanticCache(), ResponseCache)


def test_exact_hit_costs_nothing_and_reports_the_saving(ctx: RequestContext) -> None:
    cache = SemanticCache()
    assert cache.lookup(req(Q), ctx) is None
    cache.store(req(Q), ctx, answer("Use reversed().", cost="0.0021"))
    hit = cache.lookup(req(Q), ctx)
    assert hit is not None and hit.level == "exact" and hit.similarity == 1.0
    assert hit.saved_cost == Decimal("0.0021")
    assert hit.response.cost == 0 and hit.response.cache_hit and hit.response.saved_cost == Decimal("0.0021")
    assert hit.response.text == "Use reversed()." and hit.response.metadata["cache"]["level"] == "exact"
    assert cache.stats()["hits_exact"] == 1 and cache.stats()["misses"] == 1


def test_semantic_hit_for_a_paraphrase_and_none_for_a_trap(ctx: RequestContext) -> None:
    cache = SemanticCache()
    cache.store(req(Q), ctx, answer("Use reversed()."))
    hit = cache.lookup(req(PARA), ctx)
    assert hit is not None and hit.level == "semantic" and 0.92 <= hit.similarity < 1.0
    assert cache.lookup(req(TRAP), ctx) is None
    cache.store(req("How do I enable 2FA on GitHub?"), ctx, answer("Settings > Security > Enable."))
    assert cache.lookup(req("How do I disable 2FA on GitHub?"), ctx) is None
    loose = SemanticCache(policy=RoutePolicy(threshold=0.3))  # similarity lets it through; the guards do not
    loose.store(req("How do I enable 2FA on GitHub?"), ctx, answer("Settings > Security > Enable."))
    assert loose.lookup(req("How do I disable 2FA on GitHub?"), ctx) is None
    assert loose.stats()["rejected"] == {"antonym": 1}


@pytest.mark.parametrize(
    "other",
    [
        {"model": "another-model"},
        {"temperature": 0.9},
        {"tools": (ToolSpec("search"),)},
        {"system": "Answer like a pirate."},
        {"max_tokens": 5},
    ],
)
def test_hits_never_cross_models_settings_or_system_prompts(ctx: RequestContext, other: dict[str, Any]) -> None:
    cache = SemanticCache()
    cache.store(req(Q), ctx, answer("Use reversed()."))
    assert cache.lookup(req(Q, **other), ctx) is None
    assert cache.lookup(req(PARA, **other), ctx) is None


def test_tenants_are_isolated_unless_shared() -> None:
    alice, bob = RequestContext(user="alice", team="red"), RequestContext(user="bob", team="red")
    cache = SemanticCache()
    cache.store(req(Q), alice, answer("a"))
    assert cache.lookup(req(Q), bob) is None and cache.lookup(req(PARA), bob) is None
    team = SemanticCache(policy=RoutePolicy(namespace_scope="team"))
    team.store(req(Q), alice, answer("a"))
    assert team.lookup(req(PARA), bob) is not None
    assert team.lookup(req(Q), RequestContext(user="carol", team="blue")) is None
    shared = SemanticCache(routes={"faq": {"namespace_scope": "global"}})
    faq_alice, faq_eve = RequestContext(user="alice", route="faq"), RequestContext(user="eve", route="faq")
    shared.store(req(Q), faq_alice, answer("a"))
    assert shared.lookup(req(Q), faq_eve) is not None
    assert shared.lookup(req(Q), RequestContext(user="eve")) is None  # other route: not shared


def test_model_filter_serves_only_that_models_answers(ctx: RequestContext) -> None:
    cache = SemanticCache()
    cache.store(req(Q, model="auto"), ctx, answer("x", model="cheap-model"))
    assert cache.lookup(req(Q, model="auto"), ctx, model="cheap-model") is not None
    assert cache.lookup(req(Q, model="auto"), ctx, model="premium-model") is None
    assert cache.lookup(req(PARA, model="auto"), ctx, model="premium-model") is None


def test_ttl_per_route(ctx: RequestContext, clock: Clock) -> None:
    cache = SemanticCache(policy=RoutePolicy(ttl=100), routes={"news": {"ttl": 10}}, clock=clock)
    news = RequestContext(user="alice", team="red", route="news")
    cache.store(req(Q), ctx, answer("a"))
    cache.store(req(Q), news, answer("b"))
    clock.advance(11)
    assert cache.lookup(req(Q), news) is None and cache.lookup(req(PARA), news) is None
    assert cache.lookup(req(Q), ctx) is not None
    clock.advance(90)
    assert cache.lookup(req(PARA), ctx) is None
    assert len(cache) == 0  # both expired entries were dropped when met
    cache.store(req(TRAP), ctx, answer("c"))
    clock.advance(100)
    assert cache.purge_expired() == 1 and len(cache) == 0 and cache.stats()["expired"] == 3


def test_lru_eviction(ctx: RequestContext, clock: Clock) -> None:
    cache = SemanticCache(max_entries=3, clock=clock)
    for i, text in enumerate(["What is a monad?", "What is a functor?", "What is a lens?"]):
        clock.advance(1)
        cache.store(req(text), ctx, answer(str(i)))
    clock.advance(1)
    assert cache.lookup(req("What is a monad?"), ctx) is not None  # monad is now the most recent
    clock.advance(1)
    cache.store(req("What is a prism?"), ctx, answer("3"))
    assert len(cache) == 3 and cache.stats()["evicted"] == 1
    assert cache.lookup(req("What is a functor?"), ctx) is None
    assert cache.lookup(req("What is a monad?"), ctx) is not None


def test_temperature_policy_and_per_request_control(ctx: RequestContext) -> None:
    cache = SemanticCache(policy=RoutePolicy(max_temperature=0.5))
    cache.store(req(Q, temperature=0.9), ctx, answer("hot"))
    assert len(cache) == 0
    cache.store(req(Q, temperature=0.2), ctx, answer("cool"))
    assert cache.lookup(req(Q, temperature=0.2), ctx) is not None
    no_store = RequestContext(user="alice", team="red", metadata={"cache": "no-store"})
    cache.store(req(TRAP), no_store, answer("x"))
    assert len(cache) == 1
    refresh = RequestContext(user="alice", team="red", metadata={"cache": "no-cache"})
    assert cache.lookup(req(Q, temperature=0.2), refresh) is None
    assert cache.stats()["bypassed"] == 3


def test_persistence_across_restarts(tmp_path: Path, ctx: RequestContext) -> None:
    with SemanticCache(tmp_path / "c") as cache:
        cache.store(req(Q), ctx, answer("Use reversed().", cost="0.5"))
        cache.store(req("What is the capital of France?"), ctx, answer("Paris"))
    reopened = SemanticCache(tmp_path / "c")
    assert len(reopened) == 2
    assert reopened.lookup(req(Q), ctx).saved_cost == Decimal("0.5")  # type: ignore[union-attr]
    hit = reopened.lookup(req("What's France's capital?"), ctx)
    assert hit is not None and hit.level == "semantic" and hit.response.text == "Paris"
    reopened.close()


def test_embedder_change_reembeds_on_open(tmp_path: Path, ctx: RequestContext) -> None:
    with SemanticCache(tmp_path, embedder=HashingEmbedder(dim=128)) as cache:
        cache.store(req(Q), ctx, answer("a"))
    with SemanticCache(tmp_path, embedder=HashingEmbedder(dim=384)) as cache:
        assert cache.stats()["embedder"].endswith("/384")
        hit = cache.lookup(req(PARA), ctx)
        assert hit is not None and hit.level == "semantic"


def test_corrupt_database_is_reset_or_raises(tmp_path: Path, ctx: RequestContext) -> None:
    (tmp_path / "cache.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(CacheError, match="cannot open"):
        SemanticCache(tmp_path, on_corrupt="raise")
    cache = SemanticCache(tmp_path)
    cache.store(req(Q), ctx, answer("a"))
    assert cache.lookup(req(Q), ctx) is not None
    assert list(tmp_path.glob("cache.sqlite3.corrupt-*"))
    cache.close()


def test_unusable_directory_raises_cache_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CacheError, match="cache directory"):
        SemanticCache(blocker / "sub")


class FlakyEmbedder:
    """Works until `broken` is set, then fails the way a remote embedding service does."""

    dim = 8
    name = "flaky"
    broken = False

    def embed(self, texts: Any) -> np.ndarray:
        if self.broken:
            raise RuntimeError("embedding service down: key sk-secret")
        return np.ones((len(texts), 8), dtype=np.float32) / np.sqrt(8)


def test_failures_surface_as_cache_error_without_details(ctx: RequestContext) -> None:
    embedder = FlakyEmbedder()
    cache = SemanticCache(embedder=embedder)
    cache.store(req(Q), ctx, answer("a"))
    embedder.broken = True
    with pytest.raises(CacheError) as err:
        cache.store(req(TRAP), ctx, answer("b"))
    assert "sk-secret" not in str(err.value) and "RuntimeError" in str(err.value)
    assert cache.lookup(req(Q), ctx) is not None  # the exact level needs no embedding
    with pytest.raises(CacheError):
        cache.lookup(req(PARA), ctx)
    assert cache.stats()["errors"] == 2
    closed = SemanticCache()
    closed.close()
    with pytest.raises(CacheError):
        closed.lookup(req(Q), ctx)


def test_tool_call_answers_are_exact_only(ctx: RequestContext) -> None:
    cache = SemanticCache()
    call = ChatResponse(
        message=Message.assistant(tool_calls=[ToolCall("c1", "weather", '{"city": "Oslo"}')]), model="gpt-test"
    )
    tools = (ToolSpec("weather"),)
    cache.store(req("What's the weather in Oslo?", tools=tools), ctx, call)
    assert cache.lookup(req("What's the weather in Oslo?", tools=tools), ctx) is not None
    assert cache.lookup(req("What is the weather in Oslo?", tools=tools), ctx) is None


def test_replayed_hits_and_empty_answers_are_not_stored(ctx: RequestContext) -> None:
    cache = SemanticCache()
    cache.store(req(Q), ctx, answer("   "))
    cache.store(req(Q), ctx, answer("x").replace(cache_hit=True))
    assert len(cache) == 0


def test_delete_invalidate_clear(ctx: RequestContext) -> None:
    cache = SemanticCache()
    other = RequestContext(user="bob", team="red")
    cache.store(req(Q), ctx, answer("a"))
    cache.store(req(TRAP), ctx, answer("b"))
    cache.store(req(Q), other, answer("c"))
    hit = cache.lookup(req(Q), ctx)
    assert hit is not None and cache.delete(hit.key) and not cache.delete(hit.key)
    assert cache.lookup(req(PARA), ctx) is None
    assert cache.invalidate(req(TRAP), ctx) and len(cache) == 1
    cache.store(req(Q), ctx, answer("a"))
    assert cache.clear("team=red;user=bob") == 1 and len(cache) == 1
    assert cache.clear() == 1 and len(cache) == 0 and cache.stats()["partitions"] == 0


def test_same_key_replaces_the_answer(ctx: RequestContext) -> None:
    cache = SemanticCache()
    cache.store(req(Q), ctx, answer("old"))
    cache.store(req(Q), ctx, answer("new"))
    assert len(cache) == 1 and cache.stats()["vectors"] == 1
    assert cache.lookup(req(PARA), ctx).response.text == "new"  # type: ignore[union-attr]


def test_hnsw_partition_serves_and_forgets(ctx: RequestContext) -> None:
    cache = SemanticCache(hnsw_threshold=40, hnsw_m=8)
    topics = [f"How do I configure the {w} service on port {i}?" for i, w in enumerate(["api", "db", "web", "mq"] * 15)]
    for i, text in enumerate(topics):
        cache.store(req(text), ctx, answer(f"answer {i}"))
    assert cache.stats()["partitions_by_kind"] == {"hnsw": 1}
    hit = cache.lookup(req("What's the best way to configure the web service on port 10?"), ctx)
    assert hit is not None and hit.response.text == "answer 10"
    assert cache.lookup(req("How do I configure the web service on port 11?"), ctx) is None  # number differs
    cache.delete(hit.key)
    assert cache.lookup(req("What's the best way to configure the web service on port 10?"), ctx) is None


def test_concurrent_stores_and_lookups(tmp_path: Path) -> None:
    cache = SemanticCache(tmp_path, max_entries=150)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        ctx = RequestContext(user=f"user{n % 2}")
        try:
            for i in range(60):
                cache.store(req(f"What is fact number {i} about topic {n}?"), ctx, answer(f"{n}-{i}"))
                hit = cache.lookup(req(f"What is fact number {i} about topic {n}?"), ctx)
                assert hit is not None and hit.response.text == f"{n}-{i}"
                cache.lookup(req(f"Tell me fact number {i} about topic {n}"), ctx)
        except BaseException as exc:  # collected for the main thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert len(cache) == 150 and cache.stats()["vectors"] == 150
    cache.close()
    assert len(SemanticCache(tmp_path)) == 150


async def test_async_api(ctx: RequestContext) -> None:
    cache = SemanticCache()
    await cache.astore(req(Q), ctx, answer("a"))
    hits = await asyncio.gather(*(cache.alookup(req(PARA), ctx) for _ in range(5)))
    assert all(h is not None and h.level == "semantic" for h in hits)
    assert await cache.aclear() == 1


def test_strict_candidates_are_found_even_when_the_vector_search_misses(ctx: RequestContext) -> None:
    # a deliberately poor HNSW graph (m=2, ef=2): the signature lookup still finds every paraphrase
    cache = SemanticCache(hnsw_threshold=2, hnsw_m=2, ef_construction=2, ef_search=2, top_k=1)
    verbs = ["configure", "repair", "explain", "compare", "install"]

    def text(i: int) -> str:
        return f"How do I {verbs[i % 5]} the router number {i} for project {i // 50}?"

    for i in range(400):
        cache.store(req(text(i)), ctx, answer(str(i)))
    assert cache.stats()["partitions_by_kind"] == {"hnsw": 1}
    for i in range(0, 400, 13):
        hit = cache.lookup(req(f"What's the best way to {text(i)[9:]}"), ctx)
        assert hit is not None and hit.response.text == str(i)
