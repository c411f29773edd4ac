"""Benchmark: how long `Catalog.load()` takes for the shipped catalog, beside `json.loads` of the same file.

`a3m route` has an 80 ms cold-start budget and loads the catalog once per process, so the load
should stay well under 5 ms. Prints median and p90 over repeated loads (after one warm-up), the
json.loads baseline, the ratio, and where the time goes (parse+validate vs index build).

    python tests/bench/bench_catalog.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from a3m_integrations.catalog import DEFAULT_CATALOG_PATH as _CATALOG_FILE
from a3m_integrations.catalog import Catalog
from a3m_integrations.catalog._loader import parse_catalog

CATALOG_PATH = Path(_CATALOG_FILE)

RUNS = 60
TARGET_MS = 5.0


def _times(fn: Callable[[], object], runs: int = RUNS) -> list[float]:
    fn()  # warm-up: first-call imports and file cache
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1e3)
    return out


def _summary(name: str, ms: list[float]) -> float:
    med = statistics.median(ms)
    p90 = statistics.quantiles(ms, n=10)[-1]
    print(f"  {name:<34} median {med:7.3f} ms   p90 {p90:7.3f} ms")
    return med


def main() -> int:
    """Run the timings and print the comparison."""
    text = CATALOG_PATH.read_text(encoding="utf-8")
    data = json.loads(text)
    print(
        f"catalog: {CATALOG_PATH.name}, {len(text.encode()) // 1024} KB, "
        f"{len(data['providers'])} providers, {len(data['models'])} models; {RUNS} runs each"
    )
    load = _summary("Catalog.load()", _times(lambda: Catalog.load(base=None)))
    base = _summary("baseline: json.loads(read_text())", _times(lambda: json.loads(CATALOG_PATH.read_text())))
    parse = _summary("  of which parse_catalog()", _times(lambda: parse_catalog(data, source="bench")))
    providers, models, pools, raw = parse_catalog(data, source="bench")
    index = _summary("  of which Catalog(...) index", _times(lambda: Catalog(providers, models, pools, raw=raw)))
    per_model_us = parse / len(data["models"]) * 1e3
    print(f"ratio load/json.loads: {load / base:.1f}x; validate {per_model_us:.1f} us/model; index {index:.3f} ms")
    verdict = "meets" if load < TARGET_MS else "MISSES"
    print(f"target: Catalog.load() < {TARGET_MS} ms (80 ms cold-start budget for `a3m route`) -> {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
