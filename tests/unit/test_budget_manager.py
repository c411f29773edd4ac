"""BudgetManager over both ledgers: scopes, caps, periods, alerts, idempotency, leases, streaming settles."""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from a3m_integrations.budget import Budget, BudgetAlert, BudgetManager, MemoryLedger, SQLiteLedger
from a3m_integrations.budget.periods import get_timezone
from a3m_integrations.errors import BudgetExceeded, ConfigError, InvalidRequest, LedgerError
from a3m_integrations.events import Event, EventBus
from a3m_integrations.types import RequestContext

BERLIN = get_timezone("Europe/Berlin")
D = Decimal


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start.timestamp()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(params=["memory", "sqlite"])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MemoryLedger | SQLiteLedger]:
    led = MemoryLedger() if request.param == "memory" else SQLiteLedger(tmp_path / "ledger.sqlite3")
    yield led
    led.close()


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2025, 3, 29, 22, 0, tzinfo=BERLIN))  # the night before the spring DST change


def manager(
    ledger: MemoryLedger | SQLiteLedger, clock: Clock, config: dict[str, object], events: EventBus | None = None
) -> BudgetManager:
    return BudgetManager.from_config({"timezone": "Europe/Berlin", **config}, ledger=ledger, clock=clock, events=events)


CTX = RequestContext(user="u1", team="eng", api_key_id="k1", tags=("beta", "beta", "chat"), route="support")


def test_implements_the_budget_protocol(ledger: MemoryLedger, clock: Clock) -> None:
    assert isinstance(manager(ledger, clock, {}), Budget)


def test_scopes_and_limits_from_context(ledger: MemoryLedger, clock: Clock) -> None:
    config = {
        "global": {"monthly": "100"},
        "teams": {"eng": {"daily": "10"}},
        "users": {"*": {"daily": "1"}, "u1": {"weekly": "3"}},
        "api_keys": {"k1": {"total": "50"}},
        "tags": {"beta": {"daily": "2"}, "*": {"weekly": "9"}},
        "routes": {"support": {"monthly": "7"}},
    }
    m = manager(ledger, clock, config)
    assert m.scopes_for(CTX) == ("global", "team:eng", "user:u1", "key:k1", "tag:beta", "tag:chat", "route:support")
    limits = {(lim.scope, lim.period): lim for lim in m.limits_for(CTX)}
    assert set(limits) == {
        ("global", "monthly"),
        ("team:eng", "daily"),
        ("user:u1", "weekly"),
        ("user:u1", "daily"),
        ("key:k1", "total"),
        ("tag:beta", "daily"),
        ("tag:beta", "weekly"),
        ("tag:chat", "weekly"),
        ("route:support", "monthly"),
    }
    assert limits[("user:u1", "daily")].cap == 1_000_000  # the "*" default, u1 has no daily cap of its own
    assert limits[("team:eng", "daily")].key == "2025-03-29"
    assert m.limits_for(RequestContext()) == [limits[("global", "monthly")]]


def test_hard_cap_refuses_before_any_call_and_names_everything(ledger: MemoryLedger, clock: Clock) -> None:
    m = manager(ledger, clock, {"global": {"monthly": "10"}, "users": {"u1": {"daily": "1"}}})
    first = m.reserve(CTX, "0.6")
    m.settle(first, "0.5")
    held = m.reserve(CTX, "0.3")
    with pytest.raises(BudgetExceeded) as info:
        m.reserve(CTX, "0.25")
    err = info.value
    assert err.scope == "user:u1" and err.period == "daily"
    assert err.cap == D("1") and err.spent == D("0.8") and err.requested == D("0.25")
    assert err.resets_at == datetime(2025, 3, 30, tzinfo=BERLIN)
    assert "resets at 2025-03-30T00:00:00+01:00" in str(err)
    # nothing was held for the refused request, under any scope
    status = {(s.scope, s.period): s for s in m.status(CTX)}
    assert status[("user:u1", "daily")].reserved == D("0.3")
    assert status[("global", "monthly")].reserved == D("0.3") and status[("global", "monthly")].spent == D("0.5")
    assert ledger.open_reservations() == 1
    m.release(held)
    m.reserve(CTX, "0.5")  # fits again once the hold is released


def test_all_or_none_across_scopes(ledger: MemoryLedger, clock: Clock) -> None:
    caps = {"global": {"total": "1"}, "teams": {"eng": {"total": "5"}}, "users": {"u2": {"total": "5"}}}
    m = manager(ledger, clock, caps)
    m.reserve(RequestContext(user="u2"), "0.9")
    with pytest.raises(BudgetExceeded) as info:
        m.reserve(CTX, "0.2")  # team and user would fit; global would not
    assert info.value.scope == "global"
    assert {s.scope: s.reserved for s in m.status(CTX)}["team:eng"] == 0


def test_cap_of_zero_blocks_even_free_calls(ledger: MemoryLedger, clock: Clock) -> None:
    m = manager(ledger, clock, {"routes": {"support": {"daily": "0"}}})
    with pytest.raises(BudgetExceeded) as info:
        m.reserve(CTX, "0")
    assert info.value.cap == 0 and info.value.scope == "route:support"
    m.reserve(RequestContext(route="other"), "5")  # other routes are not blocked


def test_soft_cap_allows_and_alerts_once(ledger: MemoryLedger, clock: Clock) -> None:
    m = manager(ledger, clock, {"users": {"u1": {"daily": "1", "soft": True}}})
    alerts: list[BudgetAlert] = []
    m.on_alert(alerts.append)
    for _ in range(3):
        r = m.reserve(CTX, "0.6")
        m.settle(r, "0.6")
    assert m.spend("user:u1", "daily") == D("1.8")
    assert [(a.threshold, a.trigger) for a in alerts] == [(0.5, "spend"), (1.0, "soft_cap"), (0.8, "spend")]
    assert all(a.soft and a.scope == "user:u1" for a in alerts)


def test_alerts_fire_once_per_period_and_again_next_period(ledger: MemoryLedger, clock: Clock) -> None:
    events: list[Event] = []
    caps = {"teams": {"eng": {"daily": "1"}}, "alerts": [0.5, 0.8, 1.0]}
    m = manager(ledger, clock, caps, events=EventBus([events.append]))
    alerts: list[BudgetAlert] = []
    m.on_alert(alerts.append)
    m.on_alert(lambda a: 1 / 0)  # a failing callback is logged and never breaks the request
    for amount in ("0.3", "0.3", "0.3", "0.1"):
        m.settle(m.reserve(CTX, amount), amount)
    day = "2025-03-29"
    assert [(a.threshold, a.period_key) for a in alerts] == [(0.5, day), (0.8, day), (1.0, day)]
    assert alerts[-1].spent == D("1") and alerts[-1].resets_at == datetime(2025, 3, 30, tzinfo=BERLIN)
    with pytest.raises(BudgetExceeded):
        m.reserve(CTX, "0.01")
    assert [a.trigger for a in alerts][-1] == "refused"
    clock.advance(3 * 3600)  # past midnight in Berlin: a new day, a new budget
    m.settle(m.reserve(CTX, "0.6"), "0.6")
    assert [(a.threshold, a.period_key) for a in alerts[-1:]] == [(0.5, "2025-03-30")]
    kinds = [e.kind for e in events]
    assert kinds.count("budget_alert") == len(alerts) and "budget_reserved" in kinds and "budget_settled" in kinds


def test_alerts_exactly_once_under_concurrency(ledger: MemoryLedger, clock: Clock) -> None:
    m = manager(ledger, clock, {"global": {"total": "10"}})
    alerts: list[BudgetAlert] = []
    lock = threading.Lock()

    def record(alert: BudgetAlert) -> None:
        with lock:
            alerts.append(alert)

    m.on_alert(record)

    def worker() -> None:
        for _ in range(25):
            m.settle(m.reserve(RequestContext(), "0.05"), "0.05")

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert m.spend("global") == D("10")
    assert sorted(a.threshold for a in alerts) == [0.5, 0.8, 1.0]


def test_settle_is_idempotent(ledger: MemoryLedger, clock: Clock) -> None:
    m = manager(ledger, clock, {"global": {"total": "1"}})
    r = m.reserve(CTX, "0.5")
    m.settle(r, "0.4", attribution={"model": "openai/gpt-4o"})
    m.settle(r, "0.4")
    m.settle(r, "0.3")
    assert m.spend("global") == D("0.4") and len(ledger.charges()) == 1
    # the same idempotency key on a retried request (a new reservation) charges once too
    a = m.reserve(CTX, "0.2")
    b = m.reserve(CTX, "0.2")
    m.settle(a, "0.1", idempotency_key="req-42")
    m.settle(b, "0.1", idempotency_key="req-42")
    assert m.spend("global") == D("0.5")
    assert ledger.open_reservations() == 0  # the duplicate's hold was freed
    m.release(r)  # releasing a settled reservation is a no-op
    assert m.spend("global") == D("0.5")


def test_streaming_late_settle_after_lease_expiry(ledger: MemoryLedger, clock: Clock) -> None:
    m = manager(ledger, clock, {"global": {"total": "1"}, "lease_seconds": 30})
    stream = m.reserve(CTX, "0.6")
    clock.advance(60)  # the stream outlives its lease; the hold is freed when it blocks someone
    other = m.reserve(CTX, "0.7")
    assert ledger.open_reservations() == 1
    m.settle(stream, "0.25")  # the late settle still charges what the stream cost
    assert m.spend("global") == D("0.25")
    assert {s.scope: (s.spent, s.reserved) for s in m.status()}["global"] == (D("0.25"), D("0.7"))
    assert [c.status for c in ledger.charges()] == ["late"]
    m.settle(other, "0.7")
    with pytest.raises(BudgetExceeded):
        m.reserve(CTX, "0.1")


def test_extend_keeps_a_long_stream_alive(ledger: MemoryLedger, clock: Clock) -> None:
    m = manager(ledger, clock, {"global": {"total": "1"}, "lease_seconds": 30})
    r = m.reserve(CTX, "0.6")
    clock.advance(25)
    r = m.extend(r, 60)
    clock.advance(30)
    with pytest.raises(BudgetExceeded):
        m.reserve(CTX, "0.6")  # still held: the lease was extended
    m.settle(r, "0.6")
    with pytest.raises(InvalidRequest, match="no longer open"):
        m.extend(r)


@pytest.mark.parametrize("amount", ["-0.01", "NaN", "inf", "-inf", "abc", True, None])
def test_bad_amounts_are_typed_errors_and_charge_nothing(ledger: MemoryLedger, clock: Clock, amount: object) -> None:
    m = manager(ledger, clock, {"global": {"total": "1"}})
    with pytest.raises(InvalidRequest):
        m.reserve(CTX, amount)  # type: ignore[arg-type]
    r = m.reserve(CTX, "0.1")
    with pytest.raises(InvalidRequest):
        m.settle(r, amount)  # type: ignore[arg-type]
    if amount is not None:  # None means "no baseline given"
        with pytest.raises(InvalidRequest):
            m.settle(r, "0.1", baseline_cost=amount)  # type: ignore[arg-type]
    assert ledger.charges() == [] and ledger.open_reservations() == 1
    assert m.status()[0].reserved == D("0.1")


def test_unknown_scope_and_unknown_reservation(ledger: MemoryLedger, clock: Clock) -> None:
    m = manager(ledger, clock, {})
    with pytest.raises(ConfigError, match="scope"):
        m.set_cap("org:acme", "daily", "1")
    with pytest.raises(ConfigError, match="scope"):
        m.spend("planet:x")
    from a3m_integrations.budget import Reservation

    with pytest.raises(LedgerError, match="unknown reservation"):
        m.settle(Reservation("nope", D(1), (), 0.0), "0.1")
    assert ledger.charges() == []


def test_attribution_and_baseline_are_stored(ledger: MemoryLedger, clock: Clock) -> None:
    m = manager(ledger, clock, {})
    r = m.reserve(CTX, "0.01", request_id="req-1")
    m.settle(
        r,
        "0.004",
        attribution={
            "model": "openai/gpt-4o-mini",
            "provider": "openai",
            "tier": "mid",
            "baseline_cost": "0.02",
            "input_tokens": "120",
            "output_tokens": "30",
            "request_id": "req-1",
            "router": "heuristic",
        },
    )
    (row,) = ledger.charges()
    assert (row.model, row.provider, row.tier, row.route, row.user, row.team, row.api_key_id) == (
        "openai/gpt-4o-mini",
        "openai",
        "mid",
        "support",
        "u1",
        "eng",
        "k1",
    )
    assert row.tags == ("beta", "chat") and row.request_id == "req-1"
    assert (row.cost, row.baseline, row.input_tokens, row.output_tokens) == (4000, 20000, 120, 30)
    assert row.extra == {"router": "heuristic"}


def test_new_cap_counts_spend_already_in_the_ledger(ledger: MemoryLedger, clock: Clock) -> None:
    m = manager(ledger, clock, {})
    m.settle(m.reserve(CTX, "0.5"), "0.5")
    m.settle(m.reserve(RequestContext(user="u2"), "0.3"), "0.3")
    m.set_cap("user:u1", "daily", "0.6")
    with pytest.raises(BudgetExceeded) as info:
        m.reserve(CTX, "0.2")
    assert info.value.spent == D("0.5")
    m.set_cap("tag:chat", "total", "1")
    assert {s.scope: s.spent for s in m.status(CTX)}["tag:chat"] == D("0.5")


def test_limits_follow_the_clock_and_cap_changes(ledger: MemoryLedger, clock: Clock) -> None:
    """Limits are cached per scope owners; a new window or a changed cap is seen at once."""
    m = manager(ledger, clock, {"users": {"*": {"daily": "1"}}, "global": {"monthly": "5"}})
    keys = {(lim.scope, lim.period): lim.key for lim in m.limits_for(CTX)}
    assert keys == {("global", "monthly"): "2025-03", ("user:u1", "daily"): "2025-03-29"}
    assert m.limits_for(CTX) == m.limits_for(CTX)
    clock.advance(2 * 3600)  # past midnight in Berlin
    keys = {(lim.scope, lim.period): lim.key for lim in m.limits_for(CTX)}
    assert keys == {("global", "monthly"): "2025-03", ("user:u1", "daily"): "2025-03-30"}
    m.set_cap("team:eng", "weekly", "2")
    assert ("team:eng", "weekly") in {(lim.scope, lim.period) for lim in m.limits_for(CTX)}
    m.settle(m.reserve(CTX, "0.9"), "0.9")
    m.remove_cap("user:*")
    assert m.reserve(CTX, "0.9").scopes == ("global", "team:eng")  # the user cap is gone: 1.8 > 1 is allowed
    with pytest.raises(BudgetExceeded, match="team:eng"):
        m.reserve(CTX, "0.5")


async def test_async_twins(ledger: MemoryLedger, clock: Clock) -> None:
    m = manager(ledger, clock, {"global": {"total": "1"}})
    r = await m.areserve(CTX, "0.4")
    await m.asettle(r, "0.3")
    r2 = await m.areserve(CTX, "0.4")
    await m.arelease(r2)
    with pytest.raises(BudgetExceeded):
        await m.areserve(CTX, "0.8")
    assert m.spend("global") == D("0.3") and ledger.open_reservations() == 0


def test_settlement_guard_settles_once_however_the_stream_ends(ledger: MemoryLedger, clock: Clock) -> None:
    m = manager(ledger, clock, {"global": {"total": "1"}})
    with m.settlement(m.reserve(CTX, "0.5")) as s:
        s.add("0.01")
        s.add("0.02")
    assert s.done and not s.settle("0.5")  # closed early: charged what streamed, once

    def failing_stream() -> None:
        with m.settlement(m.reserve(CTX, "0.5")) as s2:
            s2.update("0.04")
            raise RuntimeError("provider dropped the stream")

    with pytest.raises(RuntimeError):
        failing_stream()
    dropped = m.settlement(m.reserve(CTX, "0.5"), {"model": "m"})
    dropped.update("0.05")
    del dropped
    gc.collect()
    deadline = time.monotonic() + 10
    while len(ledger.charges()) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    costs = sorted((c.cost, c.extra.get("ended")) for c in ledger.charges())
    assert costs == [(30000, "closed"), (40000, "error"), (50000, "abandoned")]
    unused = m.settlement(m.reserve(CTX, "0.5"))
    assert unused.release() and not unused.settle()
    assert ledger.open_reservations() == 0 and m.spend("global") == D("0.12")


async def test_settlement_guard_on_cancellation(ledger: MemoryLedger, clock: Clock) -> None:
    m = manager(ledger, clock, {"global": {"total": "1"}})
    started = asyncio.Event()

    async def stream() -> None:
        async with m.settlement(await m.areserve(CTX, "0.5")) as s:
            s.add("0.07")
            started.set()
            await asyncio.sleep(30)

    task = asyncio.create_task(stream())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    (row,) = ledger.charges()
    assert row.cost == 70000 and row.extra["ended"] == "cancelled"
    assert ledger.open_reservations() == 0
