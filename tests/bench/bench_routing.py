"""Routing benchmarks (issue 3): decision latency, cold start of `a3m route`, tier accuracy.

Targets: decision for a 200-word prompt p50 <= 50 us and p99 <= 200 us; `a3m route "hi"` within
80 ms of a bare `python -c pass` (median of paired runs); tier accuracy on the A3M author's 200
labelled queries >= 85% exact and >= 99% within one tier (the original router: 67% / 96%).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("A3M_DATA_DIR", ROOT.parent / "shared" / "data"))

PROMPT_200 = (
    "We are a mid-sized payments company. Our checkout service is a Django monolith that talks to "
    "three card processors and a fraud model. Latency at the 99th percentile has crept up to 1.8 "
    "seconds during peak hours and we have had two partial outages this quarter. First, analyze the "
    "likely causes given that the database is a single Postgres primary with two replicas, that the "
    "fraud model is called synchronously, and that processor timeouts are set to 30 seconds. Then "
    "design a target architecture that keeps p99 under 400 ms, isolates processor failures, and lets "
    "us deploy the fraud model independently. Finally, write a migration plan in phases that a team "
    "of six engineers can execute over two quarters without downtime, including the metrics we "
    "should watch, the rollback criteria for each phase, and the risks we should flag to the board. "
    "Be specific about queues, timeouts, circuit breakers, idempotency keys and data consistency "
    "between the ledger and the processors, and say which parts you would not change. We also need a "
    "one-page summary for the finance team that explains what the new setup will cost each month, how "
    "long each phase takes, and what could delay it the most."
)


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def _time_decisions(n: int) -> tuple[list[float], list[float]]:
    """Microseconds per `HeuristicRouter.route` and per `signals.analyze` of the bench prompt, n times each."""
    from a3m_integrations.routing.heuristic import HeuristicRouter
    from a3m_integrations.signals import analyze
    from a3m_integrations.types import ChatRequest

    router = HeuristicRouter()
    request = ChatRequest.of(PROMPT_200)
    for _ in range(200):
        router.route(request)
    route_t, signal_t = [], []
    for _ in range(n):
        t0 = time.perf_counter_ns()
        router.route(request)
        t1 = time.perf_counter_ns()
        analyze(request)
        t2 = time.perf_counter_ns()
        route_t.append((t1 - t0) / 1000)
        signal_t.append((t2 - t1) / 1000)
    return route_t, signal_t


def _pure_python_figures(n: int) -> dict[str, float]:
    """The same timing in a child process with the C scanner off (A3M_NO_SPEEDUPS=1): the baseline."""
    env = {**os.environ, "A3M_NO_SPEEDUPS": "1"}
    out = subprocess.run(
        [sys.executable, __file__, "--decision-json", str(n)], env=env, cwd=ROOT, capture_output=True, text=True
    )
    out.check_returncode()
    figures: dict[str, float] = json.loads(out.stdout)
    return figures


def _figures(route_t: list[float], signal_t: list[float]) -> dict[str, float]:
    return {
        "route_p50": _pct(route_t, 0.5),
        "route_p99": _pct(route_t, 0.99),
        "analyze_p50": _pct(signal_t, 0.5),
        "analyze_p99": _pct(signal_t, 0.99),
    }


def bench_decision(n: int = 5000) -> None:
    from a3m_integrations.signals import SCANNER

    words = len(PROMPT_200.split())
    baseline = _pure_python_figures(n) if SCANNER != "python" else None
    now = _figures(*_time_decisions(n))
    # baseline: the cheapest thing a router could do, a keyword scan with str.lower() + `in`
    keywords = ["legal", "contract", "medical", "clinical", "design", "analyze", "code", "function", "write"]
    text = PROMPT_200
    base_t = []
    for _ in range(n):
        t0 = time.perf_counter_ns()
        low = text.lower()
        sum(k in low for k in keywords)
        base_t.append((time.perf_counter_ns() - t0) / 1000)
    print(f"decision, {words}-word prompt, {n} runs (microseconds); scanner: {SCANNER}")
    print(
        f"  HeuristicRouter.route   p50 {now['route_p50']:7.1f}  p99 {now['route_p99']:7.1f}"
        "   target p50 <= 50, p99 <= 200"
    )
    print(f"  signals.analyze only    p50 {now['analyze_p50']:7.1f}  p99 {now['analyze_p99']:7.1f}")
    if baseline is not None:
        print(
            f"  route, pure-Python scan p50 {baseline['route_p50']:7.1f}  p99 {baseline['route_p99']:7.1f}"
            f"   (A3M_NO_SPEEDUPS=1; C/Python p50 ratio {now['route_p50'] / baseline['route_p50']:.2f}x)"
        )
        print(f"  analyze, pure-Python    p50 {baseline['analyze_p50']:7.1f}  p99 {baseline['analyze_p99']:7.1f}")
    else:
        print("  (pure-Python scanner: the C extension is not built, or A3M_NO_SPEEDUPS is set)")
    print(
        f"  baseline 9-keyword scan p50 {_pct(base_t, 0.5):7.1f}  p99 {_pct(base_t, 0.99):7.1f}"
        f"   (route/baseline p50 ratio {now['route_p50'] / max(_pct(base_t, 0.5), 1e-9):.1f}x)"
    )


def bench_cold_start(pairs: int = 15) -> None:
    """Paired runs of a bare interpreter and `a3m route`, both from bytecode (as after pip install).

    The bytecode is compiled first because an installed package ships it; environments that set
    PYTHONDONTWRITEBYTECODE (this one does) would otherwise recompile every module on every run.
    """
    import compileall

    compileall.compile_dir(str(ROOT / "a3m_integrations"), quiet=1)
    py = sys.executable
    route_cmd = [py, "-c", "import sys; from a3m_integrations.cli import main; sys.exit(main(['route', 'hi']))"]
    bare_cmd = [py, "-c", "pass"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def once(cmd: list[str]) -> float:
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True, env=env, cwd=ROOT)
        return (time.perf_counter() - t0) * 1000

    once(route_cmd)
    once(bare_cmd)
    diffs, routes, bares = [], [], []
    for _ in range(pairs):
        b = once(bare_cmd)
        r = once(route_cmd)
        bares.append(b)
        routes.append(r)
        diffs.append(r - b)
    print(f"cold start, {pairs} paired runs, bytecode compiled (milliseconds):")
    print(f"  python -c pass          median {statistics.median(bares):6.1f}")
    print(f"  a3m route 'hi'          median {statistics.median(routes):6.1f}")
    print(
        f"  difference              median {statistics.median(diffs):6.1f}   target <= 80"
        f"   (ratio {statistics.median(routes) / statistics.median(bares):.1f}x)"
    )


def bench_accuracy() -> None:
    from a3m_integrations.routing.base import tier_for_complexity
    from a3m_integrations.signals import analyze_text
    from a3m_integrations.types import TIERS

    sets = [
        ("A3M author's 200 labelled queries", DATA / "a3m-tier-labels" / "routing-benchmark-v2.queries.json"),
        ("developers' dev set (120)", ROOT / "tests" / "fixtures" / "routing" / "tier_dev_set.json"),
        ("blind set 1 (200; used while building)", ROOT / "tests" / "fixtures" / "routing" / "tier_blind_set.json"),
        ("blind set 2 (200; used while building)", ROOT / "tests" / "fixtures" / "routing" / "tier_blind_set_2.json"),
        ("blind set 3 (200; then error analysis)", ROOT / "tests" / "fixtures" / "routing" / "tier_blind_set_3.json"),
        ("blind set 4 (200; then error analysis)", ROOT / "tests" / "fixtures" / "routing" / "tier_blind_set_4.json"),
        ("stress set (102; round 2)", ROOT / "tests" / "fixtures" / "routing" / "tier_stress_set.json"),
        ("blind set 5 (200; scored once)", ROOT / "tests" / "fixtures" / "routing" / "tier_blind_set_5.json"),
    ]
    print("tier accuracy (exact / within one tier):")
    for label, path in sets:
        if not path.exists():
            print(f"  {label}: missing ({path})")
            continue
        data = json.loads(path.read_text())
        rows = data["queries"] if isinstance(data, dict) else data
        exact = adjacent = 0
        for row in rows:
            got = TIERS.index(tier_for_complexity(analyze_text(row["query"]).complexity))
            want = TIERS.index(row["expected_tier"])
            exact += got == want
            adjacent += abs(got - want) <= 1
        print(f"  {label:42s} {exact / len(rows):6.1%} / {adjacent / len(rows):6.1%}")
    print("  targets on the A3M set: >= 85% / >= 99%   (the original A3M router: 67% / 96%)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--decision-json"]:  # the pure-Python baseline, run by bench_decision
        print(json.dumps(_figures(*_time_decisions(int(sys.argv[2])))))
        sys.exit(0)
    bench_decision()
    bench_cold_start()
    bench_accuracy()
