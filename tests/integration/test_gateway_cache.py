"""The semantic cache through the gateway: hits cost nothing, never cross tenants, streams replay."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from a3m_integrations.budget import BudgetManager, MemoryLedger, make_cap
from a3m_integrations.cache import SemanticCache
from a3m_integrations.catalog import Catalog
from a3m_integrations.errors import CacheError
from a3m_integrations.events import Event
from a3m_integrations.gateway import A3MGateway
from a3m_integrations.providers.registry import ProviderRegistry
from a3m_integrations.resilience.executor import Executor
from a3m_integrations.types import ChatRequest, ChatResponse, RequestContext
from tests.integration.conftest import FakeSleep, wire_catalog_data
from tests.servers.wire import WireServer

POOL = ["wire-openai/m1", "wire-anthropic/m1", "wire-openai/m2"]
U1 = RequestContext(user="u1")


@pytest.fixture
def events() -> list[Event]:
    return []


@pytest.fixture
def cache() -> Iterator[SemanticCache]:
    c = SemanticCache()
    yield c
    c.close()


def make(registry: ProviderRegistry, catalog: Catalog, cache: object, events: list[Event], **kw: object) -> A3MGateway:
    sleep = FakeSleep()
    return A3MGateway(
        catalog=catalog,
        executor=Executor(registry, catalog, sleep=sleep, asleep=sleep.asleep),
        pool=POOL,
        cache=cache,  # type: ignore[arg-type]
        baseline_model="wire-openai/m2",
        listeners=[events.append],
        **kw,  # type: ignore[arg-type]
    )


def calls(wire: WireServer) -> int:
    return sum(1 for r in wire.requests if r.path.endswith(("/chat/completions", "/messages")))


def test_a_repeat_and_a_paraphrase_are_served_from_the_cache(
    registry: ProviderRegistry, wire_catalog: Catalog, cache: SemanticCache, events: list[Event], wire: WireServer
) -> None:
    gw = make(registry, wire_catalog, cache, events)
    first = gw.chat("What is the capital of France?", U1)
    assert not first.cache_hit and first.cost > 0
    before = calls(wire)
    again = gw.chat("What is the capital of France?", U1)
    reworded = gw.chat("What's the capital of France?", U1)
    assert calls(wire) == before  # no provider call for either
    for hit in (again, reworded):
        assert hit.cache_hit and hit.cost == 0 and hit.saved_cost == first.cost and hit.text == first.text
    assert [e.data["level"] for e in events if e.kind == "cache_hit"] == ["exact", "semantic"]


def test_near_duplicates_that_differ_never_hit(
    registry: ProviderRegistry, wire_catalog: Catalog, cache: SemanticCache, events: list[Event], wire: WireServer
) -> None:
    gw = make(registry, wire_catalog, cache, events)
    gw.chat("How do I enable 2FA on my account?", U1)
    gw.chat("Summarize the 2019 annual report", U1)
    before = calls(wire)
    assert not gw.chat("How do I disable 2FA on my account?", U1).cache_hit
    assert not gw.chat("Summarize the 2020 annual report", U1).cache_hit
    assert calls(wire) == before + 2


def test_hits_never_cross_tenants_or_settings(
    registry: ProviderRegistry, wire_catalog: Catalog, cache: SemanticCache, events: list[Event]
) -> None:
    gw = make(registry, wire_catalog, cache, events)
    gw.chat("Tell me a fact about owls", U1)
    assert not gw.chat("Tell me a fact about owls", RequestContext(user="u2")).cache_hit
    assert not gw.chat(ChatRequest.of("Tell me a fact about owls", temperature=1.3), U1).cache_hit
    assert not gw.chat(ChatRequest.of("Tell me a fact about owls", model="wire-openai/m2"), U1).cache_hit
    assert gw.chat("Tell me a fact about owls", U1).cache_hit


def test_a_cached_answer_replays_as_a_stream_and_streams_are_stored(
    registry: ProviderRegistry, wire_catalog: Catalog, cache: SemanticCache, events: list[Event], wire: WireServer
) -> None:
    gw = make(registry, wire_catalog, cache, events)
    streamed = list(gw.stream("Explain how tides work", U1))
    original = streamed[-1].response
    assert original is not None and not original.cache_hit
    before = calls(wire)
    replay = list(gw.stream("Explain how tides work", U1))
    final = replay[-1].response
    assert calls(wire) == before and len(replay) > 2
    assert final is not None and final.cache_hit and final.cost == 0
    assert "".join(c.text for c in replay) == original.text

    async def again() -> list[str]:
        return [c.text async for c in gw.astream("Explain how tides work", U1)]

    assert "".join(asyncio.run(again())) == original.text


def test_a_hit_reserves_nothing(
    registry: ProviderRegistry, wire_catalog: Catalog, cache: SemanticCache, events: list[Event]
) -> None:
    budget = BudgetManager(MemoryLedger(), caps=[make_cap("user:u1", "total", "1.00")])
    gw = make(registry, wire_catalog, cache, events, budget=budget)
    gw.chat("Name three owls", U1)
    spent = budget.spend("user:u1")
    kinds_before = len([e for e in events if e.kind == "budget_reserved"])
    assert gw.chat("Name three owls", U1).cache_hit
    assert budget.spend("user:u1") == spent
    assert len([e for e in events if e.kind == "budget_reserved"]) == kinds_before


class _BrokenCache:
    """A cache whose storage fails: the gateway must answer anyway."""

    def lookup(self, *args: object, **kwargs: object) -> None:
        raise CacheError("disk full")

    async def alookup(self, *args: object, **kwargs: object) -> None:
        raise CacheError("disk full")

    def store(self, *args: object) -> None:
        raise CacheError("disk full")

    async def astore(self, *args: object) -> None:
        raise CacheError("disk full")


def test_a_broken_cache_is_a_miss_not_a_failure(
    registry: ProviderRegistry, wire_catalog: Catalog, events: list[Event]
) -> None:
    gw = make(registry, wire_catalog, _BrokenCache(), events)
    answer: ChatResponse = gw.chat("hello there", U1)
    assert answer.text and not answer.cache_hit
    assert asyncio.run(gw.achat("hello there", U1)).text


def test_cache_from_the_config_file_survives_a_restart(wire: WireServer, tmp_path: Path) -> None:
    (tmp_path / "models.json").write_text(json.dumps(wire_catalog_data(wire.openai_base)))
    config = tmp_path / "a3m.json"
    config.write_text(
        json.dumps(
            {
                "catalog": ["models.json"],
                "pool": POOL,
                "cache": {"path": "cache", "policy": {"threshold": 0.9}},
            }
        )
    )
    with A3MGateway.from_config(config) as gw:
        first = gw.chat("What is the tallest mountain on Earth?", U1)
    with A3MGateway.from_config(config) as gw:
        again = gw.chat("What is the tallest mountain on Earth?", U1)
    assert (tmp_path / "cache").is_dir()
    assert again.cache_hit and again.text == first.text and again.saved_cost == first.cost > Decimal(0)
