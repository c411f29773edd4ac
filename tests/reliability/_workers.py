"""Worker processes for the reliability tests: `python -m tests.reliability._workers <mode> ...`.

load   fire reservations of random sizes at a cap from N threads, settle/release/retry them, print totals
hold   reserve an amount, print the reservation id, then wait to be killed
churn  reserve and settle as fast as possible from 2 threads until killed
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from decimal import Decimal
from typing import Any

from a3m_integrations.budget import BudgetManager, SQLiteLedger
from a3m_integrations.budget.ledger import from_micros
from a3m_integrations.errors import BudgetExceeded
from a3m_integrations.types import RequestContext

CONFIG = {"global": {"total": "1.00"}, "users": {"*": {"daily": "0.40"}}, "alerts": [0.5, 0.8, 1.0]}


def fire(manager: BudgetManager, count: int, seed: int, stop: threading.Event | None = None) -> dict[str, int]:
    """Reserve `count` random amounts; settle most (some twice), release some. Returns micro-dollar totals."""
    rng = random.Random(seed)
    out = {"accepted": 0, "refused": 0, "charged": 0, "released": 0, "retried": 0}
    for i in range(count):
        if stop is not None and stop.is_set():
            break
        ctx = RequestContext(user=f"u{rng.randrange(4)}", team="eng", tags=("load",), request_id=f"{seed}-{i}")
        amount = rng.randint(1, 2000)  # micro-dollars
        try:
            reservation = manager.reserve(ctx, from_micros(amount))
        except BudgetExceeded:
            out["refused"] += 1
            continue
        out["accepted"] += 1
        roll = rng.random()
        if roll < 0.1:
            manager.release(reservation)
            out["released"] += 1
            continue
        actual = amount if roll < 0.2 else rng.randint(0, amount)
        manager.settle(reservation, from_micros(actual), attribution={"model": "m", "request_id": ctx.request_id})
        out["charged"] += actual
        if roll > 0.9:  # a retried settle must not charge again
            manager.settle(reservation, from_micros(actual))
            out["retried"] += 1
    return out


def run_threads(manager: BudgetManager, threads: int, count: int, seed: int) -> dict[str, int]:
    results: list[dict[str, int]] = []
    lock = threading.Lock()

    def work(k: int) -> None:
        r = fire(manager, count, seed * 100 + k)
        with lock:
            results.append(r)

    pool = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    total = {key: sum(r[key] for r in results) for key in results[0]}
    total["threads"] = len(results)
    return total


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["load", "hold", "churn"])
    parser.add_argument("--ledger", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--amount", default="0.6")
    parser.add_argument("--lease", type=float, default=600.0)
    args = parser.parse_args(argv)
    manager = BudgetManager.from_config({**CONFIG, "lease_seconds": args.lease}, ledger=SQLiteLedger(args.ledger))
    if args.mode == "load":
        print(json.dumps(run_threads(manager, args.threads, args.count, args.seed)), flush=True)
        return 0
    if args.mode == "hold":
        reservation = manager.reserve(RequestContext(route="crasher"), Decimal(args.amount))
        print(json.dumps({"id": reservation.id}), flush=True)
        time.sleep(600)  # killed by the test between reserve and settle
        return 0
    stop = threading.Event()
    pool = [threading.Thread(target=fire, args=(manager, 10**9, k, stop)) for k in range(2)]
    for t in pool:
        t.start()
    print(json.dumps({"started": True}), flush=True)
    for t in pool:
        t.join()
    return 0


def summary(ledger: SQLiteLedger) -> dict[str, Any]:
    """Ledger-side totals for the invariants the tests check."""
    db = ledger._db
    with ledger._lock:
        counters = {(r[0], r[1]): (int(r[3]), int(r[4])) for r in db.execute("SELECT * FROM counters")}
        open_rows = db.execute("SELECT amount, holds FROM reservations WHERE status = 'open'").fetchall()
        charges = db.execute("SELECT COALESCE(SUM(cost), 0), COUNT(*) FROM charges").fetchone()
    return {"counters": counters, "open": open_rows, "charged": int(charges[0]), "calls": int(charges[1])}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
