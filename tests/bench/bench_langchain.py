"""LangChain benchmark (issue 8): A3MChatModel.invoke vs langchain_openai.ChatOpenAI.invoke, one loopback server.

Both call the same wire server (OpenAI format, deterministic answers) with the same prompts, in
one run, interleaved round by round so machine load hits both alike. A3MChatModel goes through
the whole gateway with routing on, plus guardrails, a budget and the cache miss path whenever
those modules are importable (each prompt is made unique, so the cache always misses). Also the
streaming time to first chunk of both.

Target: A3MChatModel.invoke median <= 1.10 x ChatOpenAI.invoke median.
"""

from __future__ import annotations

import gc
import importlib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TARGET = 1.10
ROUNDS = 30
STREAMS_PER_ROUND = 4
PROMPTS = [
    "What is the capital of France?",
    "Translate 'good morning' into Spanish.",
    "Give me three synonyms for happy.",
    "Summarize: the meeting moved to Tuesday at 3 pm in room 4.",
    "Convert 12 miles to kilometres.",
    "Name a fruit that is yellow.",
    "What day comes after Monday?",
    "Spell the word necessary backwards.",
]


def _optional_steps(catalog: Any) -> tuple[dict[str, Any], list[str]]:
    """Guardrails, budget and cache objects when their modules are importable (and what was skipped)."""
    steps: dict[str, Any] = {}
    missing: list[str] = []
    builders: list[tuple[str, str, Callable[[Any], Any]]] = [
        ("guardrails", "a3m_integrations.guardrails", lambda m: m.GuardrailEngine()),
        ("budget", "a3m_integrations.budget", lambda m: m.BudgetManager.from_config(_BUDGET)),
        ("cache", "a3m_integrations.cache", lambda m: m.SemanticCache(Path(tempfile.mkdtemp()) / "cache.sqlite3")),
    ]
    for name, module, build in builders:
        try:
            steps[name] = build(importlib.import_module(module))
        except (ImportError, AttributeError, TypeError) as exc:
            missing.append(f"{name} ({type(exc).__name__}: {exc})")
    return steps, missing


_BUDGET = {"ledger": ":memory:", "global": {"monthly": "1000"}, "users": {"*": {"daily": "100"}}}


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000.0


def main() -> None:
    from langchain_openai import ChatOpenAI

    from a3m_integrations.types import ChatRequest, RequestContext
    from langchain_a3m import A3MChatModel
    from tests.integration.langchain.wire_setup import WIRE_LC_KEY, wire_catalog, wire_gateway
    from tests.servers.wire import WireServer

    with WireServer() as server:
        assert server._httpd is not None
        server._httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]  # clients closing keep-alive sockets
        catalog = wire_catalog(server.openai_base)
        steps, missing = _optional_steps(catalog)
        gateway = wire_gateway(server.openai_base, catalog=catalog, **steps)
        a3m = A3MChatModel(gateway=gateway, max_retries=0)
        openai = ChatOpenAI(model="wire-cheap", base_url=server.openai_base, api_key=WIRE_LC_KEY, max_retries=0)
        config = {"metadata": {"user": "bench"}}

        def run_a3m(prompt: str) -> Any:
            return a3m.invoke(prompt, config=config)

        def run_openai(prompt: str) -> Any:
            return openai.invoke(prompt, config=config)

        context = RequestContext(user="bench")

        def run_core(prompt: str) -> Any:  # the gateway alone: what the adapter adds is a3m - core
            return gateway.chat(ChatRequest.of(prompt), context.replace(request_id=f"r{next(counter)}"))

        counter = iter(range(10**9))

        def unique(prompt: str) -> str:
            return f"{prompt} (#{next(counter)})"  # a new prompt every call: the cache path always misses

        for _ in range(3):  # warm all: connection pools, imports, tokenizer tables
            for p in PROMPTS:
                run_a3m(unique(p))
                run_openai(unique(p))
                run_core(unique(p))
        routed = {run_a3m(unique(p)).response_metadata["model_name"] for p in PROMPTS}

        models: dict[str, Any] = {"a3m": a3m, "openai": openai}
        times: dict[str, list[float]] = {"a3m": [], "openai": [], "core": []}
        ttfc: dict[str, list[float]] = {"a3m": [], "openai": []}
        gc.collect()
        for round_no in range(ROUNDS):
            order = [("a3m", run_a3m), ("openai", run_openai)]
            if round_no % 2:
                order.reverse()
            for p in PROMPTS:
                for name, fn in [*order, ("core", run_core)]:
                    prompt = unique(p)
                    t0 = time.perf_counter()
                    fn(prompt)
                    times[name].append(time.perf_counter() - t0)
            for i in range(STREAMS_PER_ROUND):
                for name, _ in order:
                    t0 = time.perf_counter()
                    stream = models[name].stream(unique(PROMPTS[(round_no + i) % len(PROMPTS)]), config=config)
                    first = next(s for s in stream if s.content)
                    ttfc[name].append(time.perf_counter() - t0)
                    assert first.content
                    for _ in stream:
                        pass
        gateway.close()
        openai.root_client.close()

    a3m_ms, openai_ms = _median_ms(times["a3m"]), _median_ms(times["openai"])
    # each a3m call was timed right beside an openai call on the same prompt: the median of those
    # paired ratios resists the load swings of a shared machine better than a ratio of medians
    ratio = statistics.median(a / o for a, o in zip(times["a3m"], times["openai"]))
    print("A3MChatModel.invoke vs ChatOpenAI.invoke, same loopback wire server, same prompts, interleaved")
    print(f"  steps on: routing{''.join(', ' + s for s in steps)}; off (not importable here): {missing or 'none'}")
    print(f"  calls: {len(times['a3m'])} each ({ROUNDS} rounds x {len(PROMPTS)} prompts); routed to {sorted(routed)}")
    for name in ("a3m", "openai", "core"):
        xs = sorted(times[name])
        p90 = xs[int(0.9 * (len(xs) - 1))] * 1000
        print(f"  {name:<7} invoke  median {_median_ms(xs):7.2f} ms   p90 {p90:7.2f} ms")
    print(f"  adapter overhead (a3m - core gateway.chat): {a3m_ms - _median_ms(times['core']):+.2f} ms per call")
    verdict = "met" if ratio <= TARGET else "MISSED"
    print(f"  ratio of medians: {a3m_ms / openai_ms:.3f}")
    print(f"  ratio (median of paired a3m/openai calls): {ratio:.3f}   target <= {TARGET:.2f}   {verdict}")
    for name in ("a3m", "openai"):
        first_ms = _median_ms(ttfc[name])
        print(f"  {name:<7} stream  time to first chunk median {first_ms:7.2f} ms ({len(ttfc[name])} streams)")
    print(f"  ttfc ratio: {_median_ms(ttfc['a3m']) / _median_ms(ttfc['openai']):.3f}")


if __name__ == "__main__":
    main()
