"""Benchmark (issue 9): A3MLLM.chat against LlamaIndex's own OpenAILike, same loopback server, same prompts.

Both LLMs talk to the project's wire server (OpenAI format), run in its own process so it does
not share this process's GIL. OpenAILike goes LlamaIndex -> openai SDK -> HTTP; A3MLLM goes
LlamaIndex -> conversion -> the whole gateway (routing with the complexity signals, pricing,
events, retry plan, breaker, health) -> httpx -> conversion. The calls alternate request by
request (the order flipping each time) so both see the same machine load; medians are reported.

Workloads: sync `chat` (the issue's figure), async `achat`, and `stream_chat` read to the end.
Target: A3MLLM / OpenAILike <= 1.10 on sync chat. Run: `python3 tasks.py bench llamaindex`.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from llama_index.core.llms import ChatMessage  # noqa: E402
from llama_index.llms.openai_like import OpenAILike  # noqa: E402

from a3m_integrations.catalog import Catalog  # noqa: E402
from a3m_integrations.gateway import A3MGateway  # noqa: E402
from llamaindex_a3m import A3MLLM  # noqa: E402

TARGET = 1.10
SYNC, ASYNC, STREAMS = 400, 200, 100
KEY = "sk-bench-llamaindex-0123456789"
PROMPTS = [
    "What is the capital of France?",
    "Summarize the main arguments for and against a four-day work week.",
    "Write a Python function that removes duplicates from a list while keeping order.",
    "Explain how TCP congestion control works, step by step.",
    "Translate 'where is the train station' into Japanese.",
]


def start_server() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.servers.wire"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    base = proc.stdout.readline().strip()
    if not base.startswith("http://"):
        proc.kill()
        raise RuntimeError(f"wire server did not start: {base!r}")
    return proc, f"{base}/v1"


def build(base: str) -> tuple[A3MLLM, OpenAILike]:
    os.environ["BENCH_WIRE_KEY"] = KEY
    model = {
        "id": "bench/m1", "provider": "bench", "name": "bench-m1", "tier": "cheap", "input_per_1m": "0.5",
        "output_per_1m": "1.5", "context_window": 16000, "max_output": 2000, "capabilities": ["tools", "streaming"],
        "price_date": "2025-01-01", "price_source": "bench",
    }  # fmt: skip
    provider = {"api": "openai", "base_url": base, "api_key_env": "BENCH_WIRE_KEY"}
    catalog = Catalog.load({"providers": {"bench": provider}, "models": [model]}, base=Catalog.empty())
    gateway = A3MGateway(catalog=catalog, pool=["bench/m1"], baseline_model=None)
    # the same settings on both sides: no SDK retries, and the same max_tokens (the gateway always sends one)
    ours = A3MLLM(gateway, max_tokens=256)
    theirs = OpenAILike(
        model="bench-m1", api_base=base, api_key=KEY, is_chat_model=True, max_retries=0, max_tokens=256, timeout=30
    )
    return ours, theirs


Timer = Callable[[], object]


def paired(theirs: Timer, ours: Timer, n: int) -> tuple[list[float], list[float]]:
    a: list[float] = []
    b: list[float] = []
    for i in range(n):
        for fn, out in ((theirs, a), (ours, b)) if i % 2 == 0 else ((ours, b), (theirs, a)):
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
    return a, b


async def apaired(theirs: Callable[[], Awaitable[object]], ours: Callable[[], Awaitable[object]], n: int) -> tuple[
    list[float], list[float]
]:  # fmt: skip
    a: list[float] = []
    b: list[float] = []
    for i in range(n):
        for fn, out in ((theirs, a), (ours, b)) if i % 2 == 0 else ((ours, b), (theirs, a)):
            t = time.perf_counter()
            await fn()
            out.append(time.perf_counter() - t)
    return a, b


def messages(i: int) -> list[ChatMessage]:
    return [ChatMessage(role="user", content=PROMPTS[i % len(PROMPTS)])]


def report(name: str, theirs: list[float], ours: list[float], *, target: bool) -> float:
    t, o = statistics.median(theirs) * 1e3, statistics.median(ours) * 1e3
    ratio = o / t
    goal = f"   target <= {TARGET:.2f}: {'met' if ratio <= TARGET else 'MISSED'}" if target else ""
    print(f"{name:12} OpenAILike {t:7.3f} ms   A3MLLM {o:7.3f} ms   ratio {ratio:5.3f}   ({o - t:+.3f} ms){goal}")
    return ratio


def main() -> None:
    proc, base = start_server()
    try:
        ours, theirs = build(base)

        # the same prompt reaches both sides: it advances once per pair
        def pair_prompt() -> Callable[[], list[ChatMessage]]:
            state = {"i": 0, "used": 0}

            def get() -> list[ChatMessage]:
                out = messages(state["i"])
                state["used"] += 1
                if state["used"] == 2:
                    state["i"], state["used"] = state["i"] + 1, 0
                return out

            return get

        prompt = pair_prompt()
        assert ours.chat(prompt()).message.content == theirs.chat(prompt()).message.content  # same answer
        paired(lambda: theirs.chat(prompt()), lambda: ours.chat(prompt()), 30)  # warm-up
        print(f"A3MLLM.chat vs OpenAILike.chat on the loopback wire server ({len(PROMPTS)} prompts, medians)")
        sync_ratio = report(
            "chat", *paired(lambda: theirs.chat(prompt()), lambda: ours.chat(prompt()), SYNC), target=True
        )

        async def run_async() -> tuple[tuple[list[float], list[float]], tuple[list[float], list[float]]]:
            async def a_theirs() -> object:
                return await theirs.achat(prompt())

            async def a_ours() -> object:
                return await ours.achat(prompt())

            async def s_theirs() -> object:
                return [c async for c in await theirs.astream_chat(prompt())]

            async def s_ours() -> object:
                return [c async for c in await ours.astream_chat(prompt())]

            await apaired(a_theirs, a_ours, 20)
            plain = await apaired(a_theirs, a_ours, ASYNC)
            await apaired(s_theirs, s_ours, 10)
            return plain, await apaired(s_theirs, s_ours, STREAMS)

        plain, streams = asyncio.run(run_async())
        report("achat", *plain, target=False)
        report("astream_chat", *streams, target=False)
        print(f"issue 9 target: A3MLLM.chat / OpenAILike.chat <= {TARGET:.2f}; measured {sync_ratio:.3f}")
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
