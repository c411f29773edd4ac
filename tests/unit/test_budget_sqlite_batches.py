"""SQLiteLedger batches: operations sharing one transaction see each other's writes before the flush.

Writes are held in memory until just before COMMIT (`_pending.py`). These tests put chosen
operations into one batch by capturing them instead of running them, then running the captured
operations as one group-commit batch, and check the file afterwards with a separate connection.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from a3m_integrations.budget import SQLiteLedger
from a3m_integrations.budget._groupcommit import Slot
from a3m_integrations.budget.ledger import Limit
from a3m_integrations.errors import LedgerError

GLOBAL = Limit("global", "total", "total", -math.inf, math.inf, 1_000_000, True)
USER = Limit("user:u1", "daily", "2026-11-23", 0.0, 1e12, 500_000, True)


def reserve(ledger: SQLiteLedger, amount: int) -> str:
    outcome = ledger.reserve(amount, [GLOBAL, USER], now=100.0, expires_at=160.0, meta={"user": "u1"})
    assert outcome.accepted and outcome.reservation_id
    return outcome.reservation_id


def one_batch(ledger: SQLiteLedger, *calls: Callable[[], object], transactions: int = 1) -> list[Any]:
    """Run the ledger operations `calls` would start as a single batch; return results (or errors).

    Also checks how many transactions the batch took: one, unless an operation failed and the
    batch was retried one operation at a time (which would hide a batch that misread its own writes).
    """
    captured: list[Callable[[], Any]] = []
    ledger._atomic = captured.append  # type: ignore[method-assign,assignment]
    try:
        for call in calls:
            call()
    finally:
        del ledger._atomic
    slots = [Slot(op) for op in captured]
    runs: list[int] = []
    run_in_one = ledger._run_in_one

    def counted(batch: list[Slot], *, alone: bool) -> bool:
        runs.append(len(batch))
        return run_in_one(batch, alone=alone)

    ledger._run_in_one = counted  # type: ignore[method-assign]
    try:
        with ledger._lock:
            ledger._run_batch(slots)
    finally:
        del ledger._run_in_one
    assert len(runs) == transactions, runs
    return [slot.error if slot.error is not None else slot.result for slot in slots]


def stored(path: Path, query: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def test_two_settles_of_one_reservation_in_one_batch_charge_once(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    led = SQLiteLedger(path)
    rid = reserve(led, 3_000)
    first, second = one_batch(led, lambda: led.settle(rid, 2_000, now=101.0), lambda: led.settle(rid, 2_000, now=101.0))
    assert first.status == "settled" and second.status == "duplicate"
    assert stored(path, "SELECT reservation_id, cost FROM charges") == [(rid, 2_000)]
    assert stored(path, "SELECT COUNT(*) FROM reservations") == [(0,)]
    assert sorted(stored(path, "SELECT scope, spent, reserved FROM counters")) == [
        ("global", 2_000, 0),
        ("user:u1", 2_000, 0),
    ]


def test_an_idempotency_key_used_earlier_in_the_batch_is_a_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    led = SQLiteLedger(path)
    a, b = reserve(led, 1_000), reserve(led, 1_000)
    first, second = one_batch(
        led,
        lambda: led.settle(a, 700, now=101.0, idempotency_key="req-1"),
        lambda: led.settle(b, 700, now=101.0, idempotency_key="req-1"),
    )
    assert (first.status, second.status) == ("settled", "duplicate")
    assert stored(path, "SELECT reservation_id, idem_key FROM charges") == [(a, "req-1")]
    assert stored(path, "SELECT id, status FROM reservations") == [(b, "released")]  # freed, not charged
    assert stored(path, "SELECT spent, reserved FROM counters WHERE scope = 'global'") == [(700, 0)]


def test_reserve_and_settle_in_one_batch_never_store_the_reservation_row(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    led = SQLiteLedger(path)
    rid = "0" * 32
    led_new_id = "a3m_integrations.budget._core.new_reservation_id"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(led_new_id, lambda: rid)
        outcome, settled, tally = one_batch(
            led,
            lambda: led.reserve(900, [GLOBAL], now=100.0, expires_at=160.0, meta={"user": "u1"}),
            lambda: led.settle(rid, 800, now=101.0),
            lambda: led.tally(GLOBAL),
        )
    assert outcome.accepted and outcome.reservation_id == rid
    assert settled.status == "settled" and settled.charged == 800
    assert (tally.spent, tally.reserved) == (800, 0)
    assert stored(path, "SELECT COUNT(*) FROM reservations") == [(0,)]
    assert stored(path, "SELECT reservation_id, cost, reserved FROM charges") == [(rid, 800, 900)]


def test_scans_in_a_batch_see_the_writes_before_them(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    led = SQLiteLedger(path)
    rid = reserve(led, 1_000)
    kept = reserve(led, 1_000)
    settled, open_count, charges, released, open_after = one_batch(
        led,
        lambda: led.settle(rid, 600, now=101.0, attribution={"model": "m1"}),
        led.open_reservations,
        lambda: led.charges(),
        lambda: led.release(kept, now=102.0),
        led.open_reservations,
    )
    assert settled.status == "settled"
    assert open_count == 1 and released is True and open_after == 0
    assert [(c.reservation_id, c.cost, c.model) for c in charges] == [(rid, 600, "m1")]
    assert stored(path, "SELECT id, status FROM reservations") == [(kept, "released")]


def test_expiry_in_a_batch_sees_reservations_made_earlier_in_it(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    led = SQLiteLedger(path)
    short = led.reserve(500, [GLOBAL], now=100.0, expires_at=100.5, meta={}).reservation_id
    assert short is not None
    outcome, expired, tally = one_batch(
        led,
        lambda: led.reserve(400, [GLOBAL], now=100.0, expires_at=101.0, meta={}),
        lambda: led.expire(200.0),
        lambda: led.tally(GLOBAL),
    )
    assert outcome.accepted and expired == 2
    assert (tally.spent, tally.reserved) == (0, 0)
    assert stored(path, "SELECT status, COUNT(*) FROM reservations GROUP BY status") == [("expired", 2)]


def test_a_failing_operation_leaves_the_batch_to_run_alone(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    led = SQLiteLedger(path)
    rid = reserve(led, 1_000)
    settled, missing, other = one_batch(
        led,
        lambda: led.settle(rid, 300, now=101.0),
        lambda: led.settle("no-such-id", 300, now=101.0),
        lambda: led.reserve(200, [GLOBAL], now=101.0, expires_at=160.0, meta={}),
        transactions=4,  # the batch, rolled back, then each operation alone
    )
    assert settled.status == "settled" and other.accepted
    assert isinstance(missing, LedgerError) and "unknown reservation" in str(missing)
    assert stored(path, "SELECT cost FROM charges") == [(300,)]
    assert stored(path, "SELECT spent, reserved FROM counters WHERE scope = 'global'") == [(300, 200)]


def test_a_failed_commit_leaves_nothing_pending(tmp_path: Path) -> None:
    """Writes held for a transaction that failed at the flush are dropped with it; later ones commit."""
    path = tmp_path / "ledger.sqlite3"
    led = SQLiteLedger(path)
    rid = reserve(led, 1_000)
    blocker = sqlite3.connect(path)
    blocker.execute("CREATE TRIGGER no_charges BEFORE INSERT ON charges BEGIN SELECT RAISE(ABORT, 'full'); END")
    blocker.commit()
    with pytest.raises(LedgerError, match="nothing was changed"):
        led.settle(rid, 400, now=101.0)
    assert not led._pending
    blocker.execute("DROP TRIGGER no_charges")
    blocker.commit()
    blocker.close()
    assert led.tally(GLOBAL).reserved == 1_000 and led.tally(GLOBAL).spent == 0
    assert led.settle(rid, 400, now=102.0).status == "settled"
    assert stored(path, "SELECT cost FROM charges") == [(400,)]
    assert stored(path, "SELECT spent, reserved FROM counters WHERE scope = 'global'") == [(400, 0)]
