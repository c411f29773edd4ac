"""Benchmark of the semantic cache: quality on the fixture, index lookup latency, inserts, memory.

    python3 tasks.py bench cache                 # quality, 10k/100k flat+HNSW, 1M flat+numpy, end to end
    python tests/bench/bench_cache.py --full      # also the 1M HNSW (its build takes 8-15 min on 2 busy cores)
    python tests/bench/bench_cache.py --quick     # 10k and 100k only
    A3M_BENCH_CACHE_SIZES=10000,100000 python tests/bench/bench_cache.py

Index figures use synthetic unit vectors (384 dims): 2,000 random cluster centres plus Gaussian
noise, normalised, so neighbours exist as they do for real embeddings. Queries are near-duplicates
of stored vectors (noise added, like a paraphrase) and fresh random vectors (misses). Each query is
timed alone (one vector, top-4), the way the cache searches. 10k and 100k go through the cache's
own `Partition` class; the 1M HNSW index is built with faiss directly (same parameters). The
baseline is a plain numpy scan (matrix-vector product + argpartition) in the same run.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # a single-threaded baseline, like the cache's searches
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from a3m_integrations.cache import HashingEmbedder, SemanticCache  # noqa: E402
from a3m_integrations.cache._index import IndexConfig, Partition  # noqa: E402
from a3m_integrations.types import ChatRequest, ChatResponse, Message, RequestContext  # noqa: E402
from tests.unit.cache.quality import evaluate  # noqa: E402

DIM = 384
TARGET_P99_MS = {100_000: 2.0, 1_000_000: 5.0}


def index_bytes(index: Any) -> int:
    """Bytes of a faiss index as serialised (vectors, graph links, metadata)."""
    import faiss

    return int(faiss.serialize_index(index).nbytes)


def rss_mb() -> float:
    """Resident memory of this process in MiB (Linux /proc)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def vectors(n: int, rng: np.random.Generator, centres: np.ndarray) -> np.ndarray:
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        block = centres[rng.integers(0, len(centres), m)] + 0.06 * rng.standard_normal((m, DIM), dtype=np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start : start + m] = block
    return out


def perturb(x: np.ndarray, rng: np.random.Generator, noise: float = 0.01) -> np.ndarray:
    q = x + noise * rng.standard_normal(x.shape, dtype=np.float32)
    return q / np.linalg.norm(q, axis=1, keepdims=True)


CPU_TIMES: list[np.ndarray] = []  # CPU-time twin of the last timed() call


def timed(search: Callable[[np.ndarray], Any], queries: np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """Wall-clock milliseconds per query (and, in CPU_TIMES, this thread's CPU milliseconds)."""
    for q in queries[:20]:  # warm up
        search(q)
    times, cpu, results = [], [], []
    for q in queries:
        t0, c0 = time.perf_counter(), time.thread_time()
        results.append(search(q))
        cpu.append(time.thread_time() - c0)
        times.append(time.perf_counter() - t0)
    CPU_TIMES[:] = [np.array(cpu) * 1e3]
    return np.array(times) * 1e3, results


def pct(ms: np.ndarray) -> str:
    return f"p50 {np.percentile(ms, 50):7.3f}  p90 {np.percentile(ms, 90):7.3f}  p99 {np.percentile(ms, 99):7.3f} ms"


def cpu_pct() -> str:
    ms = CPU_TIMES[0]
    return f"CPU p50 {np.percentile(ms, 50):.3f} p99 {np.percentile(ms, 99):.3f} ms"


# --------------------------------------------------------------------------- quality


def bench_quality() -> None:
    print("\n## Quality on tests/fixtures/cache (store every a, look up every b; one cache, 293 entries)")
    print(f"{'setting':44} {'split':8} {'para hits':>14} {'false hits':>11}")
    rows = [
        ("default (hashing 384, t=0.92, strict)", {}),
        ("hashing 384, t=0.92, facets guard", {"guard": "facets"}),
        ("hashing 384, t=0.85, strict", {"threshold": 0.85}),
        ("hashing 384, t=0.97, strict", {"threshold": 0.97}),
        ("hashing 384, t=0.50, strict (guards only)", {"threshold": 0.5}),
        ("hashing 128, t=0.92, strict", {"embedder": HashingEmbedder(128)}),
        ("hashing 256, t=0.92, strict", {"embedder": HashingEmbedder(256)}),
        ("hashing 768, t=0.92, strict", {"embedder": HashingEmbedder(768)}),
    ]
    for label, kwargs in rows:
        for split in ("dev", "holdout", None):
            if split is not None and kwargs:
                continue
            q = evaluate(split, **kwargs)
            name = split or "all"
            print(f"{label:44} {name:8} {q.paraphrase_hits:>4}/{q.paraphrases:<4} {q.hit_rate:5.1%} {q.false_hits:>8}")
    q = evaluate(None)
    print(f"goal: 0 false hits, >= 60% paraphrase hits -> measured {q.false_hits} false hits, {q.hit_rate:.1%} hits")
    print(f"guard rejections (all splits, default): {q.rejected}")


# --------------------------------------------------------------------------- crossover


def bench_crossover(rng: np.random.Generator, centres: np.ndarray) -> None:
    print("\n## Flat vs HNSW in one partition (single-query top-4; picks the default hnsw_threshold)")
    for n in (1_000, 2_000, 5_000, 10_000, 20_000, 50_000):
        x = vectors(n, rng, centres)
        qs = perturb(x[rng.integers(0, n, 300)], rng)
        line = f"{n:>7,}"
        for kind, threshold in (("flat", n + 1), ("hnsw", 2)):
            p = Partition(DIM, IndexConfig(hnsw_threshold=threshold))
            p.add(np.arange(1, n + 1, dtype=np.int64), x)
            ms, _ = timed(lambda q, p=p: p.search(q, 4), qs)
            line += f"   {kind} p50 {np.percentile(ms, 50):6.3f} p99 {np.percentile(ms, 99):6.3f}"
        print(line + " ms")


# --------------------------------------------------------------------------- index latency


def build_partition(x: np.ndarray, kind: str) -> tuple[Any, float]:
    t0 = time.perf_counter()
    p = Partition(DIM, IndexConfig(hnsw_threshold=len(x) + 1 if kind == "flat" else 2))  # cache defaults otherwise
    ids = np.arange(1, len(x) + 1, dtype=np.int64)
    for start in range(0, len(x), 50_000):
        p.add(ids[start : start + 50_000], x[start : start + 50_000])
    return p, time.perf_counter() - t0


def build_faiss_hnsw(x: np.ndarray) -> tuple[Any, float]:
    import faiss

    t0 = time.perf_counter()
    index = faiss.IndexHNSWFlat(DIM, 16, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = IndexConfig().ef_construction  # the cache's defaults
    index.hnsw.efSearch = IndexConfig().ef_search
    for start in range(0, len(x), 100_000):
        index.add(x[start : start + 100_000])
        print(f"    ... HNSW {start + 100_000:,} / {len(x):,} after {time.perf_counter() - t0:.0f} s", flush=True)
    return index, time.perf_counter() - t0


def bench_index(
    sizes: list[int], rng: np.random.Generator, centres: np.ndarray, *, full: bool
) -> dict[tuple[int, str], float]:
    print("\n## Index lookup latency (384 dims, single query, top-4; 1,000 near-duplicate + 200 miss queries)")
    p99s: dict[tuple[int, str], float] = {}
    for n in sizes:
        base_rss = rss_mb()
        x = vectors(n, rng, centres)
        data_mb = x.nbytes / 2**20
        near, far = (1000, 200) if n < 1_000_000 else (300, 100)  # bounds the 1M scans to about a minute
        picks = rng.integers(0, n, near)
        queries = np.vstack([perturb(x[picks], rng), vectors(far, rng, centres)])
        print(f"\n### {n:,} entries (vectors {data_mb:.0f} MiB)")

        def numpy_scan(q: np.ndarray, x: np.ndarray = x) -> np.ndarray:
            scores = x @ q
            top = np.argpartition(-scores, 4)[:4]
            return top[np.argsort(-scores[top])]

        ms, res = timed(numpy_scan, queries)
        recall = np.mean([r[0] == i for r, i in zip(res[:near], picks)])
        print(f"  numpy scan   {pct(ms)}   recall@1 {recall:.3f}   (baseline)   {cpu_pct()}")
        base_p99 = float(np.percentile(ms, 99))
        p99s[(n, "numpy")] = base_p99
        kinds = ["flat", "hnsw"] if n < 1_000_000 or full else ["flat"]
        if "hnsw" not in kinds:
            print("  hnsw  skipped: pass --full to build the 1M HNSW index (8-15 minutes on this box)")
        for kind in kinds:
            if kind == "hnsw" and n >= 1_000_000:
                index, build_s = build_faiss_hnsw(x)

                def search(q: np.ndarray, index: Any = index) -> list[int]:
                    return [int(i) + 1 for i in index.search(q.reshape(1, -1), 4)[1][0]]

                how = "faiss IndexHNSWFlat directly"
            else:
                part, build_s = build_partition(x, kind)
                index = part

                def search(q: np.ndarray, part: Partition = part) -> list[int]:
                    return [i for i, _ in part.search(q, 4)]

                how = "cache Partition"
            faiss_index = index._index if isinstance(index, Partition) else index
            per_vector = (index_bytes(faiss_index) + (8 * n if isinstance(index, Partition) else 0)) / n
            ms, res = timed(search, queries)
            recall = np.mean([r[0] == i + 1 for r, i in zip(res[:near], picks)])
            p99 = float(np.percentile(ms, 99))
            p99s[(n, kind)] = p99
            p99s[(n, kind + "-cpu")] = float(np.percentile(CPU_TIMES[0], 99))
            target = TARGET_P99_MS.get(n) if kind == "hnsw" else None  # flat is what the cache uses below 10k
            verdict = "" if target is None else f"  target p99 <= {target} ms: {'met' if p99 <= target else 'MISSED'}"
            print(
                f"  {kind:5} ({how}) {pct(ms)}   recall@1 {recall:.3f}   x{base_p99 / p99:5.1f} vs numpy p99{verdict}"
            )
            print(f"        {cpu_pct()}")
            print(
                f"        build {build_s:6.1f} s ({n / build_s:,.0f} vectors/s)   memory {per_vector:,.0f} B/vector "
                f"(serialised index + id map; the raw vector is {DIM * 4} B)"
            )
            del index, faiss_index
        del x, queries
        print(f"  RSS after cleanup {rss_mb():,.0f} MiB (started {base_rss:,.0f})")
    return p99s


# --------------------------------------------------------------------------- end to end


def bench_end_to_end(n: int, tmp: Path | None) -> None:
    where = "SQLite file" if tmp else "memory"
    print(f"\n## SemanticCache end to end ({n:,} entries in one scope, {where}, hashing embedder, default policy)")
    cache = SemanticCache(tmp, max_entries=n + 10)
    ctx = RequestContext(user="bench")
    topics = ["invoice", "router", "kernel", "garden", "passport", "tensor", "violin", "glacier", "mortgage", "vaccine"]
    verbs = ["configure", "repair", "explain", "compare", "install", "measure", "translate", "schedule"]

    def text(i: int) -> str:
        return f"How do I {verbs[i % 8]} the {topics[(i // 8) % 10]} number {i} for project {i // 80}?"

    def request(t: str) -> ChatRequest:
        return ChatRequest(messages=(Message.user(t),), model="m")

    answer = ChatResponse(message=Message.assistant("an answer of a few words"), model="m")
    t0 = time.perf_counter()
    for i in range(n):
        cache.store(request(text(i)), ctx, answer)
    store_s = time.perf_counter() - t0
    rng = np.random.default_rng(7)
    picks = [int(i) for i in rng.integers(0, n, 300)]
    exact = [request(text(i)) for i in picks]
    para = [request(f"What's the best way to {text(i)[9:].rstrip('?')}?") for i in picks]
    miss = [request(text(i).replace(f"number {i} ", f"number {n + i} ")) for i in picks]
    lines = []
    for label, reqs in (("exact hit", exact), ("semantic hit", para), ("miss (number differs)", miss)):
        times, hits = [], 0
        for r in reqs:
            t1 = time.perf_counter()
            hit = cache.lookup(r, ctx)
            times.append(time.perf_counter() - t1)
            hits += hit is not None
        lines.append(f"  lookup {label:22} {pct(np.array(times) * 1e3)}   hits {hits}/{len(reqs)}")
    print(f"  store: {n / store_s:,.0f} entries/s ({store_s * 1e3 / n:.2f} ms each, embedding + SQLite + index)")
    print("\n".join(lines))
    stats = cache.stats()
    print(f"  index: {stats['partitions_by_kind']}, {stats['index_bytes'] / n:,.0f} B/entry in faiss + id map")
    if tmp:
        size = sum(f.stat().st_size for f in tmp.iterdir() if f.is_file())
        print(f"  disk: {size / n:,.0f} B/entry (SQLite with WAL: text, vector, answer JSON, keys)")
    cache.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k and 100k only")
    parser.add_argument("--full", action="store_true", help="also build the 1M HNSW index")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--only-index", action="store_true", help="index latency only")
    args = parser.parse_args(argv)
    env_sizes = os.environ.get("A3M_BENCH_CACHE_SIZES")
    sizes = [int(s) for s in env_sizes.split(",")] if env_sizes else [10_000, 100_000, 1_000_000]
    if args.quick:
        sizes = [s for s in sizes if s <= 100_000]
    import faiss

    print("# bench cache")
    print(
        f"python {platform.python_version()}, faiss {faiss.__version__} ({faiss.omp_get_max_threads()} threads), "
        f"numpy {np.__version__}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start"
    )
    if not (args.skip_quality or args.only_index):
        bench_quality()
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((2_000, DIM), dtype=np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    if not args.only_index:
        bench_crossover(rng, centres)
    p99s = bench_index(sizes, rng, centres, full=args.full)
    if not args.only_index:
        import tempfile

        bench_end_to_end(10_000, None)
        with tempfile.TemporaryDirectory() as tmp:
            bench_end_to_end(10_000, Path(tmp))
    print("\n## Summary against the issue's targets (p99 of one lookup)")
    for n, target in TARGET_P99_MS.items():
        if (n, "hnsw") in p99s:
            got = p99s[(n, "hnsw")]
            cpu = p99s[(n, "hnsw-cpu")]
            print(
                f"  {n:>9,}: HNSW p99 {got:.3f} ms wall ({'met' if got <= target else 'MISSED'}), {cpu:.3f} ms CPU "
                f"({'met' if cpu <= target else 'MISSED'}) vs target {target} ms; "
                f"numpy scan p99 {p99s[(n, 'numpy')]:.3f} ms (ratio x{p99s[(n, 'numpy')] / got:.0f} wall)"
            )
    print(f"load average at end {os.getloadavg()[0]:.1f} (other work on this machine inflates p99)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
