"""Learned-router benchmark (issue 10): decision time per query, embedding included.

Each learned kind is trained once on LLMRouter's dcrouter train split (5,608 queries, 9 models;
a catalog-id model map makes it a gateway router), then `LearnedRouter.route(ChatRequest)` is
timed on the 500 dcrouter test queries and on 300 RouterBench few-shot prompts (~1,500 chars):
featurising, predicting, pricing every candidate from the catalog, ranking and the decision.
Baseline side by side: the heuristic router on the same requests.

Target: p50 <= 1 ms per decision. The run is repeated in a child process with BLAS/OpenMP
threads left at the library defaults, because multi-threaded BLAS on a one-row product is the
thing that breaks the target on a busy machine (see docs/routing-learned.md).
"""

from __future__ import annotations

import os
import sys

if "--child" not in sys.argv:
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_var, "1")

import json
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("A3M_DATA_DIR", str(ROOT.parent / "shared" / "data"))

TARGET_MS = 1.0
KINDS = ("knn", "cluster", "logistic", "mlp", "mf", "cascade")
#: dcrouter's models stand in for catalog models of similar size and price (timing only).
MODEL_MAP = {
    "llama-3.1-8b-instruct": "groq/llama-3.1-8b-instant",
    "qwen2.5-7b-instruct": "openai/gpt-4.1-nano",
    "gemma-2-9b-it": "google/gemini-2.0-flash",
    "mistral-7b-instruct-v0.3": "openai/gpt-4o-mini",
    "llama-3.3-nemotron-super-49b-v1": "groq/llama-3.3-70b-versatile",
    "llama-3.1-nemotron-51b-instruct": "deepseek/deepseek-chat",
    "llama3-chatqa-1.5-70b": "openai/gpt-4.1-mini",
    "codegemma-7b": "local/smollm2-135m-instruct",
    "llama3-chatqa-1.5-8b": "google/gemini-2.5-flash",
}


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def _time(route, requests, repeat: int = 3) -> list[float]:  # type: ignore[no-untyped-def]
    for r in requests[:20]:
        route(r)
    out = []
    for _ in range(repeat):
        for r in requests:
            t0 = time.perf_counter_ns()
            route(r)
            out.append((time.perf_counter_ns() - t0) / 1e6)
    return out


def measure() -> dict[str, dict[str, float]]:
    from a3m_integrations.evaluation.datasets import load_table
    from a3m_integrations.routing.heuristic import HeuristicRouter
    from a3m_integrations.routing.learned import LearnedRouter, make_quality_model
    from a3m_integrations.types import ChatRequest

    train = load_table("dcrouter-train")
    requests = [ChatRequest.of(q) for q in load_table("dcrouter").queries]
    long = [ChatRequest.of(q) for q in load_table("routerbench").queries[::7][:300]]
    results: dict[str, dict[str, float]] = {}
    heuristic = HeuristicRouter()
    for label, reqs in (("dcrouter", requests), ("routerbench-long", long)):
        t = _time(heuristic.route, reqs)
        results[f"heuristic/{label}"] = {"p50": _pct(t, 0.5), "p90": _pct(t, 0.9), "p99": _pct(t, 0.99)}
    for kind in KINDS:
        t0 = time.perf_counter()
        model = make_quality_model(kind).fit(train)
        fit_s = time.perf_counter() - t0
        router = LearnedRouter(model, model_map=MODEL_MAP, quality=0.7)
        for label, reqs in (("dcrouter", requests), ("routerbench-long", long)):
            t = _time(router.route, reqs)
            embed = model.embedder.embed
            emb = _time(lambda r, embed=embed: embed([r.last_user_text]), reqs, repeat=1)
            results[f"{kind}/{label}"] = {
                "p50": _pct(t, 0.5),
                "p90": _pct(t, 0.9),
                "p99": _pct(t, 0.99),
                "embed_p50": _pct(emb, 0.5),
                "fit_s": fit_s,
            }
    return results


def _print(results: dict[str, dict[str, float]], title: str) -> None:
    print(title)
    cols = f"{'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'embed p50':>10} {'vs heur.':>9}"
    print(f"  {'router/requests':32} {cols}  target")
    for name, r in results.items():
        base = results[f"heuristic/{name.split('/')[1]}"]["p50"]
        ok = "ok" if r["p50"] <= TARGET_MS else "MISSED"
        emb = f"{r['embed_p50']:.3f}" if "embed_p50" in r else "-"
        print(f"  {name:32} {r['p50']:8.3f} {r['p90']:8.3f} {r['p99']:8.3f} {emb:>10} {r['p50'] / base:8.1f}x  "
              f"p50 <= {TARGET_MS} ms: {ok}")  # fmt: skip


def main() -> None:
    if "--child" in sys.argv:
        print(json.dumps(measure()))
        return
    print(__doc__.split("\n\n")[0])
    single = measure()
    _print(single, "\nBLAS/OpenMP single-threaded (OPENBLAS_NUM_THREADS=1, as `a3m` commands set):")
    threads = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    env = {k: v for k, v in os.environ.items() if k not in threads}
    out = subprocess.run([sys.executable, __file__, "--child"], capture_output=True, text=True, env=env, check=False)
    if out.returncode == 0:
        _print(json.loads(out.stdout.strip().splitlines()[-1]), "\nBLAS/OpenMP threads at library defaults:")
    else:
        print("default-threads run failed:", out.stderr[-500:])
    print(f"\nmachine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} when finished")


if __name__ == "__main__":
    main()
