"""Benchmark: overhead of the provider + resilience layer over a raw httpx POST.

The loopback wire server runs in its own process (so it does not share this process's GIL).
Three workloads, each run side by side with its baseline, alternating request by request (plain)
or batch by batch (streams) so both see the same machine load; medians are reported:

1. sync: sequential plain requests. Baseline: `httpx.Client.post` of a prebuilt JSON body and
   `response.json()`. Ours: `Executor.call` (request building, provider, error mapping, parsing,
   retry plan, breaker, health, events) with one candidate.
2. async: the same with `httpx.AsyncClient` against `Executor.acall`.
3. 100 concurrent streams (asyncio.gather). Baseline: `AsyncClient.stream` reading SSE lines
   to `[DONE]`. Ours: `Executor.astream` yielding ChatChunks with the final usage chunk.

Target (issue 4): ours / baseline <= 1.10x. Prints per-request times, the ratio and the absolute
overhead per request. Run: `python3 tasks.py bench providers` (or this file directly).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from a3m_integrations.catalog import Catalog  # noqa: E402
from a3m_integrations.providers.registry import ProviderRegistry  # noqa: E402
from a3m_integrations.resilience.executor import Executor  # noqa: E402
from a3m_integrations.types import ChatRequest  # noqa: E402

TARGET = 1.10
ROUNDS = 15
PLAIN = 1000
STREAMS = 100
PROMPT = "please repeat these words back to me " * 4  # ~30 chunks when streamed
MODEL = "bench/m1"
KEY = "sk-bench-0123456789"


def start_server() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.servers.wire"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    base = proc.stdout.readline().strip()
    if not base.startswith("http://"):
        proc.kill()
        raise RuntimeError(f"wire server did not start: {base!r}")
    return proc, base


def build(base: str) -> tuple[Catalog, ProviderRegistry, Executor]:
    catalog = Catalog.load(
        {
            "providers": {"bench": {"api": "openai", "base_url": f"{base}/v1", "api_key_env": None}},
            "models": [
                {"id": MODEL, "provider": "bench", "name": "m1", "tier": "cheap", "input_per_1m": "1",
                 "output_per_1m": "2", "context_window": 8000, "max_output": 1000, "price_date": "x",
                 "price_source": "x"}
            ],
        },
        base=Catalog.empty(),
    )  # fmt: skip
    registry = ProviderRegistry(catalog, provider_options={"bench": {"api_key": KEY}})
    return catalog, registry, Executor(registry)


def raw_body(stream: bool) -> bytes:
    body: dict[str, object] = {"model": "m1", "messages": [{"role": "user", "content": PROMPT}]}
    if stream:
        body["stream"] = True
        body["stream_options"] = {"include_usage": True}
    return json.dumps(body).encode()


HEADERS = {"content-type": "application/json", "authorization": f"Bearer {KEY}"}
LIMITS = httpx.Limits(max_connections=200, max_keepalive_connections=50)


Sample = tuple[float, float]  # (wall seconds, CPU seconds of this thread)


def paired(raw: Callable[[], object], mine: Callable[[], object], n: int) -> tuple[list[Sample], list[Sample]]:
    """Alternate the two calls request by request (the order flips each time); time each one."""
    raws: list[Sample] = []
    ours: list[Sample] = []
    wall, cpu = time.perf_counter, time.thread_time
    for i in range(n):
        for fn, out in ((raw, raws), (mine, ours)) if i % 2 == 0 else ((mine, ours), (raw, raws)):
            w, c = wall(), cpu()
            fn()
            out.append((wall() - w, cpu() - c))
    return raws, ours


async def apaired(
    raw: Callable[[], Awaitable[object]], mine: Callable[[], Awaitable[object]], n: int
) -> tuple[list[Sample], list[Sample]]:
    """Async `paired` (the event loop's thread is the only one doing client work)."""
    raws: list[Sample] = []
    ours: list[Sample] = []
    wall, cpu = time.perf_counter, time.thread_time
    for i in range(n):
        for fn, out in ((raw, raws), (mine, ours)) if i % 2 == 0 else ((mine, ours), (raw, raws)):
            w, c = wall(), cpu()
            await fn()
            out.append((wall() - w, cpu() - c))
    return raws, ours


def medians(samples: list[Sample]) -> Sample:
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def bench_sync(base: str, executor: Executor) -> tuple[Sample, Sample]:
    url, body = f"{base}/v1/chat/completions", raw_body(False)
    request = ChatRequest.of(PROMPT)
    with httpx.Client(transport=httpx.HTTPTransport(retries=0, limits=LIMITS), timeout=30) as client:

        def raw() -> object:
            r = client.post(url, content=body, headers=HEADERS)
            return r.json()["choices"][0]["message"]["content"]

        def mine() -> object:
            return executor.call(request, (MODEL,)).response.text

        paired(raw, mine, 20)  # warm-up: connections, imports
        raws, ours = paired(raw, mine, PLAIN)
    return medians(raws), medians(ours)


async def bench_async(base: str, executor: Executor) -> tuple[Sample, Sample]:
    url, body = f"{base}/v1/chat/completions", raw_body(False)
    request = ChatRequest.of(PROMPT)
    async with httpx.AsyncClient(transport=httpx.AsyncHTTPTransport(retries=0, limits=LIMITS), timeout=30) as client:

        async def raw() -> object:
            r = await client.post(url, content=body, headers=HEADERS)
            return r.json()["choices"][0]["message"]["content"]

        async def mine() -> object:
            return (await executor.acall(request, (MODEL,))).response.text

        await apaired(raw, mine, 20)
        raws, ours = await apaired(raw, mine, PLAIN)
    return medians(raws), medians(ours)


async def bench_streams(base: str, executor: Executor) -> tuple[Sample, Sample, int, int]:
    url, body = f"{base}/v1/chat/completions", raw_body(True)
    request = ChatRequest.of(PROMPT)
    raws: list[Sample] = []
    ours: list[Sample] = []
    raw_chunks, our_chunks = 0, 0
    async with httpx.AsyncClient(transport=httpx.AsyncHTTPTransport(retries=0, limits=LIMITS), timeout=60) as client:

        async def raw_one() -> int:
            n = 0
            async with client.stream("POST", url, content=body, headers=HEADERS) as r:
                async for line in r.aiter_lines():
                    if line.startswith("data: "):
                        if line == "data: [DONE]":
                            break
                        json.loads(line[6:])
                        n += 1
            return n

        async def our_one() -> int:
            n = 0
            async for _chunk in executor.astream(request, (MODEL,)):
                n += 1
            return n

        async def many(fn: Callable[[], Awaitable[int]]) -> tuple[Sample, int]:
            w, c = time.perf_counter(), time.thread_time()
            counts = await asyncio.gather(*(fn() for _ in range(STREAMS)))
            return (time.perf_counter() - w, time.thread_time() - c), sum(counts)

        await many(raw_one)
        await many(our_one)
        for i in range(ROUNDS):
            order = ((raw_one, raws), (our_one, ours)) if i % 2 == 0 else ((our_one, ours), (raw_one, raws))
            for fn, out in order:
                t, count = await many(fn)
                out.append(t)
                if fn is raw_one:
                    raw_chunks = count
                else:
                    our_chunks = count
    return medians(raws), medians(ours), raw_chunks, our_chunks


def bench_layer_cpu(registry: ProviderRegistry, catalog: Catalog) -> dict[str, tuple[float, float]]:
    """Our layer's own CPU cost, free of network and server: both sides on httpx.MockTransport.

    The minimum over many runs of each (raw, a3m) pair is robust to other processes' load.
    """
    from a3m_integrations.providers.openai_compat import OpenAICompatibleProvider
    from tests.servers._dialects import OPENAI
    from tests.servers._scripted import answer

    plain_req, stream_req = json.loads(raw_body(False)), json.loads(raw_body(True))
    prompt = OPENAI.prompt(plain_req)
    ans = answer(prompt)
    plain = json.dumps(OPENAI.completion(plain_req, prompt, ans, usage=True)).encode()
    sse = b"".join(e.data for e in OPENAI.events(stream_req, prompt, ans, usage=True))

    def handler(request: httpx.Request) -> httpx.Response:
        if b'"stream":true' in request.content.replace(b" ", b""):
            return httpx.Response(200, content=sse, headers={"content-type": "text/event-stream"})
        return httpx.Response(200, content=plain, headers={"content-type": "application/json"})

    mock = httpx.MockTransport(handler)
    provider = OpenAICompatibleProvider(catalog.provider("bench"), api_key=KEY, transport=mock, async_transport=mock)
    registry.register("bench", provider)
    executor = Executor(registry)
    request = ChatRequest.of(PROMPT)
    url, plain_body, stream_body = "http://mock/v1/chat/completions", raw_body(False), raw_body(True)
    out: dict[str, tuple[float, float]] = {}
    cpu = time.thread_time

    with httpx.Client(transport=mock) as client:

        def raw() -> None:
            client.post(url, content=plain_body, headers=HEADERS).json()

        def mine() -> None:
            executor.call(request, (MODEL,))

        best = [1.0, 1.0]
        for _ in range(2000):
            for i, fn in enumerate((raw, mine)):
                start = cpu()
                fn()
                best[i] = min(best[i], cpu() - start)
        out["sync plain request"] = (best[0], best[1])

    async def streams() -> tuple[float, float]:
        async with httpx.AsyncClient(transport=mock) as client:

            async def raw() -> None:
                async with client.stream("POST", url, content=stream_body, headers=HEADERS) as r:
                    async for line in r.aiter_lines():
                        if line.startswith("data: ") and line != "data: [DONE]":
                            json.loads(line[6:])

            async def mine() -> None:
                async for _chunk in executor.astream(request, (MODEL,)):
                    pass

            best = [1.0, 1.0]
            for _ in range(2000):
                for i, fn in enumerate((raw, mine)):
                    start = cpu()
                    await fn()
                    best[i] = min(best[i], cpu() - start)
            return best[0], best[1]

    out["one stream (32 events)"] = asyncio.run(streams())
    return out


def main() -> int:
    proc, base = start_server()
    try:
        catalog, registry, executor = build(base)
        sync_raw, sync_ours = bench_sync(base, executor)
        async_raw, async_ours = asyncio.run(bench_async(base, executor))
        stream_raw, stream_ours, raw_chunks, our_chunks = asyncio.run(bench_streams(base, executor))
        registry.close()
        layer = bench_layer_cpu(ProviderRegistry(catalog), catalog)
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)
    rows = [
        ("sync plain request", sync_raw, sync_ours, "per request"),
        ("async plain request", async_raw, async_ours, "per request"),
        (f"{STREAMS} concurrent streams", stream_raw, stream_ours, "per batch"),
    ]
    print(
        f"provider + resilience overhead vs raw httpx (loopback wire server in its own process; plain: median of "
        f"{PLAIN} paired requests; streams: median of {ROUNDS} alternating batches)"
    )
    head = f"{'workload':<22} {'wall raw':>11} {'wall a3m':>11} {'ratio':>7} |"
    print(f"{head} {'cpu raw':>10} {'cpu a3m':>10} {'ratio':>7} {'cpu +':>9}")
    worst = 0.0
    for name, raw, ours, unit in rows:
        wall_ratio, cpu_ratio = ours[0] / raw[0], ours[1] / raw[1]
        worst = max(worst, wall_ratio)
        print(
            f"{name:<22} {raw[0] * 1e3:>8.3f} ms {ours[0] * 1e3:>8.3f} ms {wall_ratio:>6.3f}x |"
            f" {raw[1] * 1e3:>7.3f} ms {ours[1] * 1e3:>7.3f} ms {cpu_ratio:>6.3f}x {(ours[1] - raw[1]) * 1e6:>6.0f} us"
            f"  ({unit})"
        )
    print(f"stream chunks per batch: raw {raw_chunks} SSE events parsed, a3m {our_chunks} ChatChunks")
    verdict = "met" if worst <= TARGET else "MISSED"
    print(f"target: wall-clock ratio <= {TARGET:.2f}x -> worst {worst:.3f}x: {verdict}")
    print("(cpu = client-side CPU time of the calling thread; the server's work is not in it)")
    print("\nour layer's own CPU cost, no network (httpx.MockTransport both sides, min of 2000 runs):")
    for name, (raw_cpu, our_cpu) in layer.items():
        print(
            f"  {name:<24} raw httpx {raw_cpu * 1e6:7.1f} us   a3m {our_cpu * 1e6:7.1f} us"
            f"   +{(our_cpu - raw_cpu) * 1e6:6.1f} us ({our_cpu / raw_cpu:.2f}x of the client-side work)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
