"""The fault matrix: 240 requests through providers and executor while the wire server misbehaves.

Four candidate models on three providers; the last one is never faulted, so some model is always
healthy. Each request (sync call, sync stream, async call, async stream in turn) gets faults drawn
from a seeded menu for the first three models: 5xx, 429 with Retry-After in seconds and as an
HTTP-date, hangs past the timeout, connection resets, malformed JSON, streams cut before and after
their first chunk, in-stream error events, quota and concurrency codes in provider bodies. Two
outage windows make the primary fail every call, so its breaker opens, probes and closes.

Shown: every request is answered by some model, except the ones whose stream was cut after
chunks were delivered, which raise StreamInterrupted (typed, saying how much arrived); every
attempt the executor logged is one request the server received (no hidden or multiplied
retries); every Retry-After was honoured; the breaker went closed -> open -> half-open -> closed;
retries and breaker transitions are logged.
"""

from __future__ import annotations

import itertools
import logging
import random
from collections import Counter
from typing import Any

import pytest

from a3m_integrations.errors import StreamInterrupted
from a3m_integrations.events import Event, EventBus
from a3m_integrations.providers.registry import ProviderRegistry
from a3m_integrations.resilience.breaker import BreakerBoard
from a3m_integrations.resilience.executor import CallResult, Executor
from a3m_integrations.resilience.retry import RetryPolicy
from a3m_integrations.types import ChatChunk, ChatRequest
from tests.servers.wire import WireServer

CANDIDATES = ("wire-openai/m1", "wire-zhipu/m1", "wire-anthropic/m1", "wire-openai/m2")
WIRE_NAMES = {m: m.replace("/", "-") for m in CANDIDATES}
REQUESTS = 240
OUTAGES = (range(60, 100), range(170, 190))  # the primary fails every call
MID_STREAM = "cut:2"

# (fault specs queued for one request, weight); retries are 3 per model
PRIMARY_MENU: list[tuple[tuple[str, ...], int]] = [
    ((), 30),
    (("503",), 8),
    (("500", "502"), 6),
    (("503", "503", "503"), 5),  # exhausts the retries: fallback
    (("429:retry-after=0.25",), 5),
    (("429:retry-after-date=1",), 3),
    (("reset",), 5),
    (("malformed",), 5),
    (("hang:1.5",), 2),  # past the 1 s timeout below, with room for a loaded CI machine
    (("401",), 3),  # never retried: fallback
    (("body:openai-quota",), 3),  # quota: never retried
    (("cut:0",), 4),
    (("stream-error:0",), 4),
    ((MID_STREAM,), 3),  # on a stream: interrupted after chunks; on a call: retried
]
SECOND_MENU: list[tuple[tuple[str, ...], int]] = [
    ((), 6),
    (("body:zhipu-1302",), 2),  # concurrency limit: retried
    (("body:zhipu-1113",), 1),  # arrears: never retried
    (("503", "503", "503"), 1),
]
THIRD_MENU: list[tuple[tuple[str, ...], int]] = [
    ((), 8),
    (("body:anthropic-overloaded",), 1),
    (("529", "529", "529"), 1),
]


def pick(rng: random.Random, menu: list[tuple[tuple[str, ...], int]]) -> tuple[str, ...]:
    return rng.choices([m[0] for m in menu], weights=[m[1] for m in menu])[0]


class Clock:
    """Monotonic time for the breakers and the deadline: advanced by the test and by sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def matrix(registry: ProviderRegistry) -> tuple[Executor, Clock, list[Event], list[float]]:
    clock, events, delays = Clock(), [], []
    log = logging.getLogger("a3m.faultmatrix")

    def listen(event: Event) -> None:
        events.append(event)
        if event.kind in ("retry", "breaker", "fallback"):
            log.info("%s %s", event.kind, dict(event.data))

    def sleep(seconds: float) -> None:
        delays.append(seconds)
        clock.now += seconds

    async def asleep(seconds: float) -> None:
        sleep(seconds)

    bus = EventBus([listen])
    executor = Executor(
        registry,
        policy=RetryPolicy(base_delay=0.05, timeout=2.0, max_attempts=3, deadline=120.0),
        policies={"wire-openai": RetryPolicy(base_delay=0.05, timeout=1.0, max_attempts=3, deadline=120.0)},
        breakers=BreakerBoard(recovery_time=8.0, clock=clock, events=bus),
        events=bus,
        clock=clock,
        sleep=sleep,
        asleep=asleep,
        rng=random.Random(3),
    )
    return executor, clock, events, delays


async def test_fault_matrix(
    matrix: tuple[Executor, Clock, list[Event], list[float]],
    wire: WireServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="a3m.faultmatrix")
    executor, clock, events, delays = matrix
    rng = random.Random(20240601)
    answered: Counter[str] = Counter()
    interrupted: list[StreamInterrupted] = []
    expected_interruptions = 0
    retry_after_faults = 0
    for i in range(REQUESTS):
        mode = ("call", "stream", "acall", "astream")[i % 4]
        wire.faults.clear()
        primary = pick(rng, PRIMARY_MENU)
        if any(i in window for window in OUTAGES):
            primary = ()
            wire.faults.always(WIRE_NAMES[CANDIDATES[0]], "503")
        primary_open = executor.breakers.is_open("wire-openai", CANDIDATES[0])
        wire.faults.push(WIRE_NAMES[CANDIDATES[0]], *primary)
        wire.faults.push(WIRE_NAMES[CANDIDATES[1]], *pick(rng, SECOND_MENU))
        wire.faults.push(WIRE_NAMES[CANDIDATES[2]], *pick(rng, THIRD_MENU))
        if primary and not primary_open:
            retry_after_faults += sum(1 for f in primary if f.startswith("429"))
            if mode.endswith("stream") and primary == (MID_STREAM,):
                expected_interruptions += 1
        request = ChatRequest.of(f"request {i}: alpha beta gamma delta epsilon")
        try:
            result = await _run(executor, mode, request, f"req-{i}")
        except StreamInterrupted as exc:
            interrupted.append(exc)
        else:
            assert result.text == f"Echo: request {i}: alpha beta gamma delta epsilon", (i, mode, result)
            assert result.model in CANDIDATES
            assert result.usage.output_tokens > 0
            answered[result.model] += 1
        clock.now += 1.0

    # every request answered, except the streams cut after their first chunk (typed, with counts)
    assert sum(answered.values()) + len(interrupted) == REQUESTS
    assert len(interrupted) == expected_interruptions
    assert expected_interruptions > 0
    for exc in interrupted:
        assert exc.chunks_received == 2
        assert exc.chars_received == len("Echo: request ")
        assert exc.model == CANDIDATES[0]
    assert answered[CANDIDATES[0]] == max(answered.values())  # the primary did the most work
    assert answered[CANDIDATES[1]] > 0
    assert answered[CANDIDATES[2]] + answered[CANDIDATES[3]] > 0

    # one attempt event per request the server received: no hidden, multiplied or lost retries
    attempts = [e for e in events if e.kind == "attempt"]
    assert len(attempts) == len(wire.requests)
    by_model = Counter(e.data["model"] for e in attempts)
    for model_id, wire_name in WIRE_NAMES.items():
        assert by_model[model_id] == len(wire.requests_for(wire_name)), model_id
    assert len(wire.requests) > REQUESTS * 1.3  # plenty of retries and fallbacks happened

    # retries: logged with their delay and error; Retry-After honoured exactly
    retries = [e for e in events if e.kind == "retry"]
    assert len(retries) > 50
    assert {"ServerError", "RateLimited", "ConnectionFailed", "BadResponse", "Timeout"} <= {
        e.data["error"] for e in retries
    }
    assert len(retries) == len(delays)
    rate_limited = [e for e in retries if e.data["error"] == "RateLimited" and e.data["model"] == CANDIDATES[0]]
    assert len(rate_limited) == retry_after_faults
    for e in rate_limited:
        assert e.data["delay"] == 0.25 or 0.0 <= e.data["delay"] <= 1.0  # seconds, or an HTTP-date 1 s ahead
    # the breaker went through full cycles during the outages
    transitions = [
        (e.data["previous"], e.data["state"])
        for e in events
        if e.kind == "breaker" and e.data["model"] == CANDIDATES[0]
    ]
    assert ("closed", "open") in transitions
    assert ("open", "half_open") in transitions
    assert ("half_open", "open") in transitions  # a probe during the outage failed
    assert ("half_open", "closed") in transitions  # a probe after it succeeded
    valid = {("closed", "open"), ("open", "half_open"), ("half_open", "closed"), ("half_open", "open")}
    assert set(transitions) <= valid
    for a, b in itertools.pairwise(transitions):
        assert a[1] == b[0], transitions  # each change starts where the last one ended
    assert executor.breakers.get("wire-openai", CANDIDATES[0]).state == "closed"

    # logged for people, too
    assert caplog.text.count("retry {") == len(retries)
    assert "breaker {" in caplog.text
    assert "fallback {" in caplog.text
    health = {h.provider: h for h in executor.health.snapshot()}
    assert health["wire-openai"].failures > 0
    assert health["wire-openai"].last_error
    await executor.registry.aclose()


async def _run(executor: Executor, mode: str, request: ChatRequest, request_id: str) -> Any:
    """One request in one of the four modes; returns the final ChatResponse."""
    if mode == "call":
        result: CallResult = executor.call(request, CANDIDATES, request_id=request_id)
        assert result.response.model == result.model.id
        assert result.attempts >= 1
        return result.response
    if mode == "acall":
        result = await executor.acall(request, CANDIDATES, request_id=request_id)
        return result.response
    chunks: list[ChatChunk] = []
    if mode == "stream":
        chunks.extend(executor.stream(request, CANDIDATES, request_id=request_id))
    else:
        chunks.extend([c async for c in executor.astream(request, CANDIDATES, request_id=request_id)])
    last = chunks[-1]
    assert last.response is not None
    assert last.usage is not None
    assert last.model == last.response.model
    assert "".join(c.text for c in chunks) == last.response.text
    return last.response
