"""Budgets through the gateway: reserve before the call, settle after it, on every path."""

from __future__ import annotations

import asyncio
import gc
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from a3m_integrations.budget import BudgetManager, MemoryLedger, SQLiteLedger, make_cap
from a3m_integrations.budget.ledger import from_micros, to_micros
from a3m_integrations.catalog import Catalog
from a3m_integrations.errors import AllModelsFailed, BudgetExceeded, StreamInterrupted
from a3m_integrations.events import Event
from a3m_integrations.gateway import A3MGateway
from a3m_integrations.providers.registry import ProviderRegistry
from a3m_integrations.resilience.executor import Executor
from a3m_integrations.types import RequestContext
from tests.integration.conftest import FakeSleep
from tests.servers.wire import WireServer

POOL = ["wire-openai/m1", "wire-anthropic/m1", "wire-openai/m2"]


@pytest.fixture
def ledger() -> Iterator[MemoryLedger]:
    led = MemoryLedger()
    yield led
    led.close()


@pytest.fixture
def events() -> list[Event]:
    return []


def make(registry: ProviderRegistry, catalog: Catalog, budget: BudgetManager, events: list[Event]) -> A3MGateway:
    sleep = FakeSleep()
    return A3MGateway(
        catalog=catalog,
        executor=Executor(registry, catalog, sleep=sleep, asleep=sleep.asleep),
        pool=POOL,
        budget=budget,
        baseline_model="wire-openai/m2",
        listeners=[events.append],
    )


def spent(budget: BudgetManager, scope: str) -> Decimal:
    return Decimal(budget.spend(scope, "total"))


def charged(cost: Decimal) -> Decimal:
    """What the ledger charges for `cost`: integer micro-dollars, rounded up."""
    return from_micros(to_micros(cost))


def test_a_call_reserves_then_settles_its_actual_cost(
    registry: ProviderRegistry, wire_catalog: Catalog, ledger: MemoryLedger, events: list[Event]
) -> None:
    budget = BudgetManager(ledger, caps=[make_cap("user:u1", "total", "1.00")])
    gw = make(registry, wire_catalog, budget, events)
    response = gw.chat("Write a SQL query for the top customers", RequestContext(user="u1"))
    assert spent(budget, "user:u1") == charged(response.cost) > 0
    assert ledger.open_reservations() == 0
    kinds = [e.kind for e in events]
    assert kinds.index("budget_reserved") < kinds.index("attempt") < kinds.index("budget_settled")
    reserved = Decimal(next(e for e in events if e.kind == "budget_reserved").data["amount"])
    assert reserved >= response.cost  # the reservation bounds the bill


def test_over_a_hard_cap_nothing_is_sent(
    registry: ProviderRegistry, wire_catalog: Catalog, ledger: MemoryLedger, events: list[Event], wire: WireServer
) -> None:
    budget = BudgetManager(ledger, caps=[make_cap("team:eng", "total", "0.000001")])
    gw = make(registry, wire_catalog, budget, events)
    before = len(wire.requests)
    with pytest.raises(BudgetExceeded) as err:
        gw.chat("Write a poem about budgets", RequestContext(team="eng"))
    assert err.value.scope == "team:eng"
    assert len(wire.requests) == before
    assert spent(budget, "team:eng") == 0


def test_a_failed_call_releases_its_reservation(
    registry: ProviderRegistry, wire_catalog: Catalog, ledger: MemoryLedger, events: list[Event], wire: WireServer
) -> None:
    budget = BudgetManager(ledger, caps=[make_cap("user:u2", "total", "1.00")])
    gw = make(registry, wire_catalog, budget, events)
    for model in POOL:
        wire.faults.always(wire_catalog.model(model).name, "500")
    with pytest.raises(AllModelsFailed):
        gw.chat("hello", RequestContext(user="u2"))
    assert spent(budget, "user:u2") == 0
    assert ledger.open_reservations() == 0


def test_a_stream_settles_when_it_ends(
    registry: ProviderRegistry, wire_catalog: Catalog, ledger: MemoryLedger, events: list[Event]
) -> None:
    budget = BudgetManager(ledger, caps=[make_cap("user:u3", "total", "1.00")])
    gw = make(registry, wire_catalog, budget, events)
    chunks = list(gw.stream("Explain TCP congestion control in detail", RequestContext(user="u3")))
    final = chunks[-1].response
    assert final is not None and spent(budget, "user:u3") == charged(final.cost) > 0
    assert ledger.open_reservations() == 0


def test_a_stream_closed_early_charges_what_arrived(
    registry: ProviderRegistry, wire_catalog: Catalog, ledger: MemoryLedger, events: list[Event]
) -> None:
    budget = BudgetManager(ledger, caps=[make_cap("user:u4", "total", "1.00")])
    gw = make(registry, wire_catalog, budget, events)
    stream = gw.stream("Explain TCP congestion control in detail, step by step", RequestContext(user="u4"))
    first = next(stream)
    assert first.text
    stream.close()
    assert ledger.open_reservations() == 0
    charged_total = spent(budget, "user:u4")
    assert charged_total > 0
    settled = [e for e in events if e.kind == "budget_settled"]
    assert settled and settled[-1].data.get("abandoned") is True
    assert charged(Decimal(settled[-1].data["amount"])) == charged_total < Decimal(settled[-1].data["reserved"])


def test_a_stream_garbage_collected_mid_way_is_settled(
    registry: ProviderRegistry, wire_catalog: Catalog, ledger: MemoryLedger, events: list[Event]
) -> None:
    budget = BudgetManager(ledger, caps=[make_cap("user:u5", "total", "1.00")])
    gw = make(registry, wire_catalog, budget, events)
    stream = gw.stream("Explain TCP congestion control in detail", RequestContext(user="u5"))
    next(stream)
    del stream
    gc.collect()
    assert ledger.open_reservations() == 0
    assert spent(budget, "user:u5") > 0


def test_a_stream_broken_mid_way_charges_what_arrived(
    registry: ProviderRegistry, wire_catalog: Catalog, ledger: MemoryLedger, events: list[Event], wire: WireServer
) -> None:
    budget = BudgetManager(ledger, caps=[make_cap("user:u6", "total", "1.00")])
    gw = make(registry, wire_catalog, budget, events)
    primary = gw.route("Explain TCP congestion control in detail").model
    wire.faults.push(wire_catalog.model(primary).name, "cut:2")

    def consume() -> None:
        for _ in gw.stream("Explain TCP congestion control in detail", RequestContext(user="u6")):
            pass

    with pytest.raises(StreamInterrupted):
        consume()
    assert ledger.open_reservations() == 0
    assert spent(budget, "user:u6") > 0
    assert events[-1].kind == "budget_settled" or any(e.kind == "error" for e in events)


def test_an_async_stream_cancelled_mid_way_is_settled(
    registry: ProviderRegistry, wire_catalog: Catalog, ledger: MemoryLedger, events: list[Event], wire: WireServer
) -> None:
    budget = BudgetManager(ledger, caps=[make_cap("user:u7", "total", "1.00")])
    gw = make(registry, wire_catalog, budget, events)
    primary = gw.route("Explain TCP congestion control in detail").model
    wire.faults.push(wire_catalog.model(primary).name, "slow:0.5")

    async def run() -> None:
        async def consume() -> None:
            async for _ in gw.astream("Explain TCP congestion control in detail", RequestContext(user="u7")):
                pass

        task = asyncio.ensure_future(consume())
        for _ in range(200):  # until the first chunk has arrived (bounded)
            await asyncio.sleep(0.02)
            if any(e.kind == "attempt" for e in events):
                break
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(run())
    assert ledger.open_reservations() == 0


def test_async_chat_uses_the_async_budget_path(
    registry: ProviderRegistry, wire_catalog: Catalog, ledger: MemoryLedger, events: list[Event]
) -> None:
    budget = BudgetManager(ledger, caps=[make_cap("global", "total", "1.00")])
    gw = make(registry, wire_catalog, budget, events)
    response = asyncio.run(gw.achat("hello async budget"))
    assert spent(budget, "global") == charged(response.cost)


def test_budget_from_the_config_file_with_alerts(wire: WireServer, tmp_path: Path) -> None:
    from tests.integration.conftest import wire_catalog_data

    (tmp_path / "models.json").write_text(json.dumps(wire_catalog_data(wire.openai_base)))
    (tmp_path / "a3m.json").write_text(
        json.dumps(
            {
                "catalog": ["models.json"],
                "pool": POOL,
                "default_max_tokens": 50,
                "budget": {"ledger": "spend.sqlite3", "users": {"u8": {"total": "0.0003"}}, "alerts": [0.5]},
            }
        )
    )
    events: list[Event] = []
    with A3MGateway.from_config(tmp_path / "a3m.json", listeners=[events.append]) as gw:
        for _ in range(40):  # until the cap refuses (bounded)
            try:
                gw.chat("Write a haiku about money", RequestContext(user="u8"))
            except BudgetExceeded:
                break
        else:
            pytest.fail("the cap never refused")
    assert (tmp_path / "spend.sqlite3").exists()
    alerts = [e.data for e in events if e.kind == "budget_alert"]
    assert [a["threshold"] for a in alerts if a["trigger"] != "refused"] == [0.5], alerts
    assert any(a["trigger"] == "refused" for a in alerts)
    ledger = SQLiteLedger(tmp_path / "spend.sqlite3")
    try:
        assert ledger.integrity_check() == "ok"
        rows = ledger.charges()
        assert rows and all(r.user == "u8" and r.cost > 0 for r in rows)
    finally:
        ledger.close()
