"""Benchmark: budget reserve+settle throughput, and token counting speed.

1. Reserve+settle pairs per second through BudgetManager with 8 threads on SQLiteLedger (a
   real WAL file in a temp dir), beside MemoryLedger as the baseline, and the same with 1
   thread. Each reservation is held under 3 caps (global, team, user). Target (issue 5):
   >= 5,000 pairs/s on SQLite with 8 threads. CPU seconds per pair are printed too, since the
   machine may be shared.
2. Token counting: count_request (tiktoken o200k_base, chat framing) vs the estimate
   (approx_request_tokens) on real prompts from the shared data sets, plus the cold load time
   of the offline encodings.

    python tests/bench/bench_budget.py            # or: python3 tasks.py bench budget
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from a3m_integrations.budget import BudgetManager, MemoryLedger, SQLiteLedger  # noqa: E402
from a3m_integrations.types import ChatRequest, Message, RequestContext  # noqa: E402

TARGET_PAIRS = 5000
CONFIG = {"global": {"monthly": "1000000"}, "teams": {"*": {"daily": "100000"}}, "users": {"*": {"daily": "10000"}}}


def pairs_per_second(manager: BudgetManager, threads: int, pairs: int) -> tuple[float, float]:
    """(pairs/s wall, CPU microseconds per pair) for `pairs` reserve+settle pairs split over threads."""
    per = pairs // threads
    amount, actual = Decimal("0.0021"), Decimal("0.0017")

    def work(k: int) -> None:
        ctx = RequestContext(user=f"user{k}", team=f"team{k % 2}")
        for _ in range(per):
            reservation = manager.reserve(ctx, amount)
            manager.settle(reservation, actual, attribution={"model": "openai/gpt-4o-mini", "provider": "openai"})

    pool = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    wall, cpu = time.perf_counter(), time.process_time()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return per * threads / wall, cpu / (per * threads) * 1e6


def bench_budget() -> None:
    print("reserve+settle pairs/s (3 caps per request)")
    print(f"{'ledger':<10} {'threads':>7} {'pairs/s':>10} {'cpu us/pair':>12}")
    results: dict[tuple[str, int], float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for threads in (8, 1):
            for name in ("memory", "sqlite"):
                ledger = MemoryLedger() if name == "memory" else SQLiteLedger(Path(tmp) / f"bench{threads}.sqlite3")
                manager = BudgetManager.from_config(CONFIG, ledger=ledger)
                pairs_per_second(manager, threads, 400)  # warm up: counters, statement cache
                best = max(pairs_per_second(manager, threads, 6000) for _ in range(2))
                rate, cpu = best
                results[(name, threads)] = rate
                print(f"{name:<10} {threads:>7} {rate:>10,.0f} {cpu:>12,.0f}")
                ledger.close()
    sqlite8, memory8 = results[("sqlite", 8)], results[("memory", 8)]
    verdict = "meets" if sqlite8 >= TARGET_PAIRS else "MISSES"
    print(f"SQLite/memory ratio at 8 threads: {sqlite8 / memory8:.2f}")
    print(f"target >= {TARGET_PAIRS:,} pairs/s on SQLite with 8 threads: {sqlite8:,.0f} -> {verdict} the target")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"(machine: {os.cpu_count()} cores, 1-minute load average {load:.1f} while measuring)")


def _prompts() -> list[ChatRequest]:
    data = Path(os.environ.get("A3M_DATA_DIR", ROOT.parent / "shared" / "data"))
    texts: list[str] = []
    mt = data / "routellm-evals/mt_bench/question.jsonl"
    arena = data / "routerarena-cached/claude-3-haiku-20240307.jsonl"
    if mt.exists() and arena.exists():
        texts += [json.loads(line)["turns"][0] for line in mt.read_text().splitlines()]
        texts += [json.loads(line)["question"] for line in arena.read_text().splitlines()]
    else:  # without the data sets: synthetic prompts of mixed length
        texts = [("Explain the difference between a list and a tuple in Python. " * (1 + i % 20)) for i in range(900)]
    system = Message.system("You are a careful assistant. Answer precisely.")
    return [ChatRequest((system, Message.user(t))) for t in texts]


def bench_tokens() -> None:
    from a3m_integrations.cost import _bpe
    from a3m_integrations.cost.estimate import approx_request_tokens
    from a3m_integrations.cost.tokens import count_request

    requests = _prompts()
    start = time.perf_counter()
    _bpe.load_encoding("o200k_base")
    load = time.perf_counter() - start
    chars = sum(len(m.text) for r in requests for m in r.messages)
    print(f"\ntoken counting: {len(requests)} real prompts, {chars / 1e6:.2f} M characters")
    print(f"o200k_base cold load from the shipped files: {load * 1000:.0f} ms (once per process)")
    rows = []
    for name, fn in (
        ("tiktoken count_request", lambda r: count_request(r, "openai/gpt-4o")),
        ("estimate approx_request_tokens", approx_request_tokens),
        ("estimate count_request (claude)", lambda r: count_request(r, "anthropic/claude-3-5-haiku")),
    ):
        best = float("inf")
        total = 0
        for _ in range(3):
            t = time.perf_counter()
            total = sum(fn(r) for r in requests)
            best = min(best, time.perf_counter() - t)
        rows.append((name, len(requests) / best, chars / best / 1e6, best / len(requests) * 1e6, total))
    print(f"{'counter':<34} {'requests/s':>11} {'M chars/s':>10} {'us/request':>11} {'tokens':>10}")
    for name, rps, mcs, us, total in rows:
        print(f"{name:<34} {rps:>11,.0f} {mcs:>10.2f} {us:>11.1f} {total:>10,}")
    print(f"tiktoken/estimate time ratio: {rows[0][3] / rows[1][3]:.1f}x")


if __name__ == "__main__":
    bench_budget()
    bench_tokens()
