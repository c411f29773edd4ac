"""Budgets hold under load, across processes and through SIGKILL; bad input charges nothing.

The cap is $1.00 global (plus $0.40 per user per day); reservations are 1-2000 micro-dollars,
so the cap is reached early and most of the run happens at the cap, where races would show.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from a3m_integrations.budget import BudgetManager, MemoryLedger, SQLiteLedger
from a3m_integrations.budget.ledger import to_micros
from a3m_integrations.errors import BudgetExceeded, ConfigError, InvalidRequest, LedgerError
from a3m_integrations.types import RequestContext
from tests.reliability._workers import CONFIG, run_threads, summary

ROOT = Path(__file__).resolve().parents[2]
CAP = 1_000_000  # $1.00 in micro-dollars


def worker(mode: str, ledger: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "tests.reliability._workers", mode, "--ledger", str(ledger), *args]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def check_invariants(ledger: SQLiteLedger) -> dict[str, object]:
    """Spend within the cap; counters equal the rows they summarise; integrity ok."""
    s = summary(ledger)
    spent, reserved = s["counters"][("global", "total")]
    assert spent <= CAP
    assert spent == s["charged"], "the global counter must equal the sum of settled rows to the micro-dollar"
    assert reserved == sum(int(amount) for amount, _ in s["open"]), "reserved must equal the open reservations"
    for (scope, _period), (user_spent, user_reserved) in s["counters"].items():
        if scope.startswith("user:"):
            assert user_spent + user_reserved <= 400_000
    assert ledger.integrity_check() == "ok"
    return s


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.sqlite3"


@pytest.fixture
def monitor() -> Iterator[list[tuple[int, int]]]:
    """Filled by tests with (spent, reserved) samples taken while load runs."""
    samples: list[tuple[int, int]] = []
    yield samples
    assert all(spent + reserved <= CAP for spent, reserved in samples)


def sample_while(ledger: SQLiteLedger | MemoryLedger, done: threading.Event, samples: list[tuple[int, int]]) -> None:
    from a3m_integrations.budget.ledger import Limit

    limit = Limit("global", "total", "total", float("-inf"), float("inf"), CAP, True)
    while not done.wait(0.02):
        t = ledger.tally(limit)
        samples.append((t.spent, t.reserved))


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_eight_threads_ten_thousand_reservations(kind: str, ledger_path: Path, monitor: list[tuple[int, int]]) -> None:
    ledger = MemoryLedger() if kind == "memory" else SQLiteLedger(ledger_path)
    manager = BudgetManager.from_config(CONFIG, ledger=ledger)
    done = threading.Event()
    sampler = threading.Thread(target=sample_while, args=(ledger, done, monitor))
    sampler.start()
    try:
        totals = run_threads(manager, threads=8, count=1250, seed=7)
    finally:
        done.set()
        sampler.join()
    assert totals["accepted"] + totals["refused"] == 10_000
    assert totals["refused"] > 1000, "the cap must actually be reached"
    spent = to_micros(manager.spend("global"))
    assert spent == totals["charged"] <= CAP
    assert sum(c.cost for c in ledger.charges()) == spent
    assert ledger.open_reservations() == 0
    assert all(s.reserved == 0 for s in manager.status())
    if isinstance(ledger, SQLiteLedger):
        check_invariants(ledger)
    assert len(monitor) > 3


@pytest.mark.slow
def test_four_processes_ten_thousand_reservations(ledger_path: Path) -> None:
    SQLiteLedger(ledger_path).close()
    procs = [worker("load", ledger_path, "--threads", "2", "--count", "1250", "--seed", str(k)) for k in range(4)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
        results.append(json.loads(out))
    ledger = SQLiteLedger(ledger_path)
    s = check_invariants(ledger)
    assert sum(r["accepted"] + r["refused"] for r in results) == 10_000
    assert sum(r["refused"] for r in results) > 1000
    assert s["charged"] == sum(r["charged"] for r in results)  # what the workers paid is what the ledger holds
    assert s["calls"] == sum(r["accepted"] - r["released"] for r in results)
    assert ledger.open_reservations() == 0


def test_sigkill_between_reserve_and_settle(ledger_path: Path) -> None:
    SQLiteLedger(ledger_path).close()
    proc = worker("hold", ledger_path, "--amount", "0.6", "--lease", "2")
    assert proc.stdout is not None
    line = proc.stdout.readline()
    held = json.loads(line)["id"]
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    ledger = SQLiteLedger(ledger_path)
    assert ledger.integrity_check() == "ok"
    assert ledger.open_reservations() == 1
    check_invariants(ledger)
    now = BudgetManager.from_config(CONFIG, ledger=ledger)
    with pytest.raises(BudgetExceeded) as info:
        now.reserve(RequestContext(route="next"), "0.5")  # the dead process's $0.60 still holds the cap
    assert info.value.spent == Decimal("0.6")
    later = BudgetManager.from_config(CONFIG, ledger=ledger, clock=lambda: time.time() + 5)
    r = later.reserve(RequestContext(route="next"), "0.9")  # the lease ran out: the cap is usable again
    later.settle(r, "0.39")
    assert ledger.open_reservations() == 0
    s = check_invariants(ledger)
    assert s["charged"] == 390_000
    # a late settle from the dead process's id (if it came back) would still charge exactly once
    assert later.ledger.settle(held, 100, now=time.time()).status == "late"
    assert later.ledger.settle(held, 100, now=time.time()).status == "duplicate"
    assert check_invariants(ledger)["charged"] == 390_100


@pytest.mark.slow
def test_sigkill_during_heavy_writes_leaves_a_sound_ledger(ledger_path: Path) -> None:
    SQLiteLedger(ledger_path).close()
    for delay in (0.3, 0.8, 1.5):
        proc = worker("churn", ledger_path)
        assert proc.stdout is not None
        assert json.loads(proc.stdout.readline())["started"]
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        ledger = SQLiteLedger(ledger_path)
        check_invariants(ledger)  # committed state is whole: counters match rows exactly
        ledger.close()
    ledger = SQLiteLedger(ledger_path)
    manager = BudgetManager.from_config(CONFIG, ledger=ledger, clock=lambda: time.time() + 3600)
    manager.expire()  # leases of the killed processes run out
    assert ledger.open_reservations() == 0
    s = check_invariants(ledger)
    assert s["counters"][("global", "total")][1] == 0


def test_bad_input_is_typed_and_charges_nothing(ledger_path: Path) -> None:
    ledger = SQLiteLedger(ledger_path)
    manager = BudgetManager.from_config({**CONFIG, "routes": {"blocked": {"total": "0"}}}, ledger=ledger)
    ctx = RequestContext(user="u1")
    ok = manager.reserve(ctx, "0.01")
    before = summary(ledger)
    for bad in ("-0.01", "NaN", "Infinity", "-Infinity", "1e999999", "", "12abc"):
        with pytest.raises(InvalidRequest):
            manager.reserve(ctx, bad)
        with pytest.raises(InvalidRequest):
            manager.settle(ok, bad)
    with pytest.raises(InvalidRequest):
        manager.reserve(ctx, float("nan"))  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="scope"):
        manager.set_cap("galaxy:milky-way", "daily", "1")
    with pytest.raises(ConfigError, match="scope"):
        manager.remove_cap("nope")
    with pytest.raises(ConfigError):
        BudgetManager.from_config({"global": {"daily": "-5"}}, ledger=":memory:")
    with pytest.raises(BudgetExceeded) as info:
        manager.reserve(RequestContext(route="blocked"), "0")  # a cap of 0 blocks the route
    assert info.value.cap == 0
    after = summary(ledger)
    after["counters"] = {k: v for k, v in after["counters"].items() if v != (0, 0)}  # a new, empty counter
    assert after == before  # nothing was held or charged by any of it
    manager.settle(ok, "0.01")
    assert summary(ledger)["charged"] == 10_000


def test_corrupt_ledger_file_gives_ledger_error(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    path.write_bytes(b"\x00garbage" * 512)
    with pytest.raises(LedgerError):
        BudgetManager(path)
    with pytest.raises(LedgerError):
        BudgetManager.from_config({"ledger": str(path), "global": {"total": "1"}})
    assert path.read_bytes() == b"\x00garbage" * 512
