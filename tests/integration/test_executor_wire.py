"""The executor (retry, Retry-After, breakers, fallback, streams) against the loopback wire server."""

from __future__ import annotations

import asyncio

import pytest

from a3m_integrations.errors import AllModelsFailed, AuthError, RateLimited, ServerError, StreamInterrupted, Timeout
from a3m_integrations.events import Event, EventBus
from a3m_integrations.providers.registry import ProviderRegistry
from a3m_integrations.resilience.executor import Executor
from a3m_integrations.resilience.retry import RetryPolicy
from a3m_integrations.types import ChatRequest
from tests.integration.conftest import FakeSleep
from tests.servers.wire import WireServer

PRIMARY, SECOND, THIRD = "wire-openai/m1", "wire-anthropic/m1", "wire-openai/m2"
P1, P2, P3 = "wire-openai-m1", "wire-anthropic-m1", "wire-openai-m2"
WORDS = "alpha beta gamma delta epsilon zeta eta theta"


@pytest.fixture
def events() -> list[Event]:
    return []


@pytest.fixture
def sleeper() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
def executor(registry: ProviderRegistry, events: list[Event], sleeper: FakeSleep) -> Executor:
    policy = RetryPolicy(base_delay=0.01, timeout=2.0, max_attempts=3, deadline=30.0)
    return Executor(registry, policy=policy, events=EventBus([events.append]), sleep=sleeper, asleep=sleeper.asleep)


def kinds(events: list[Event]) -> list[str]:
    return [e.kind for e in events]


def test_retries_then_answers(executor: Executor, wire: WireServer, sleeper: FakeSleep, events: list[Event]) -> None:
    wire.faults.push(P1, "503", "502")
    result = executor.call(ChatRequest.of("hello"), (PRIMARY, SECOND), request_id="r1")
    assert result.response.text == "Echo: hello"
    assert result.model.id == PRIMARY
    assert result.attempts == 3
    assert result.response.attempts == 3
    assert result.errors == ()
    assert [r.status for r in wire.requests] == [503, 502, 200]
    assert len(sleeper.delays) == 2
    assert kinds(events) == ["attempt", "retry", "attempt", "retry", "attempt"]
    assert [e.data["status"] for e in events if e.kind == "retry"] == [503, 502]
    assert all(e.request_id == "r1" for e in events)


def test_retry_after_is_honoured(executor: Executor, wire: WireServer, sleeper: FakeSleep) -> None:
    wire.faults.push(P1, "429:retry-after=1.5", "429:retry-after-ms=250")
    result = executor.call(ChatRequest.of("x"), (PRIMARY,))
    assert result.attempts == 3
    assert sleeper.delays == [1.5, 0.25]


def test_long_retry_after_falls_back_at_once(executor: Executor, wire: WireServer, sleeper: FakeSleep) -> None:
    wire.faults.push(P1, "429:retry-after=600")
    result = executor.call(ChatRequest.of("x"), (PRIMARY, SECOND))
    assert result.model.id == SECOND
    assert sleeper.delays == []
    assert isinstance(result.errors[0], RateLimited)


def test_falls_back_after_retries_and_reports_errors(executor: Executor, wire: WireServer, events: list[Event]) -> None:
    wire.faults.always(P1, "500")
    result = executor.call(ChatRequest.of("hello"), (PRIMARY, SECOND))
    assert result.model.id == SECOND
    assert result.response.model == SECOND
    assert result.response.provider == "wire-anthropic"
    assert result.response.text == "Echo: hello"
    assert result.attempts == 4
    assert [type(e) for e in result.errors] == [ServerError]
    fallback = [e for e in events if e.kind == "fallback"]
    assert [(e.data["from"], e.data["to"]) for e in fallback] == [(PRIMARY, SECOND)]


def test_non_retryable_error_falls_back_without_retrying(
    executor: Executor, wire: WireServer, sleeper: FakeSleep
) -> None:
    wire.faults.push(P1, "401")
    result = executor.call(ChatRequest.of("x"), (PRIMARY, SECOND))
    assert result.model.id == SECOND
    assert sleeper.delays == []
    assert isinstance(result.errors[0], AuthError)
    assert len(wire.requests_for(P1)) == 1


def test_breaker_opens_and_the_model_is_skipped(executor: Executor, wire: WireServer, events: list[Event]) -> None:
    executor.policy = RetryPolicy(max_attempts=1, base_delay=0.01, timeout=2.0)
    wire.faults.always(P1, "503")
    for _ in range(3):
        assert executor.call(ChatRequest.of("x"), (PRIMARY, SECOND)).model.id == SECOND
    assert len(wire.requests_for(P1)) == 3
    assert executor.breakers.get("wire-openai", PRIMARY).state == "open"
    assert not executor.health.is_healthy(PRIMARY)
    for _ in range(5):
        assert executor.call(ChatRequest.of("x"), (PRIMARY, SECOND)).model.id == SECOND
    assert len(wire.requests_for(P1)) == 3  # not called while open
    transitions = [(e.data["model"], e.data["state"]) for e in events if e.kind == "breaker"]
    assert transitions == [(PRIMARY, "open")]


def test_hang_times_out_then_retry_answers(executor: Executor, wire: WireServer) -> None:
    executor.policy = RetryPolicy(base_delay=0.01, timeout=0.3)
    wire.faults.push(P1, "hang:2")
    result = executor.call(ChatRequest.of("x"), (PRIMARY,))
    assert result.attempts == 2
    assert result.response.text == "Echo: x"


def test_every_model_failing_raises_all_models_failed(executor: Executor, wire: WireServer) -> None:
    wire.faults.always(P1, "503")
    wire.faults.always(P2, "body:anthropic-overloaded")
    wire.faults.always(P3, "400")
    with pytest.raises(AllModelsFailed) as info:
        executor.call(ChatRequest.of("x"), (PRIMARY, SECOND, THIRD))
    errors = info.value.errors
    assert [e.model for e in errors] == [PRIMARY, SECOND, THIRD]
    assert [e.status_code for e in errors] == [503, 529, 400]
    assert "3 models failed" in str(info.value)


def test_stream_falls_back_before_its_first_chunk(executor: Executor, wire: WireServer) -> None:
    wire.faults.push(P1, "cut:0", "cut:0", "cut:0")  # the connection drops before any content
    chunks = list(executor.stream(ChatRequest.of(WORDS), (PRIMARY, SECOND)))
    assert "".join(c.text for c in chunks) == f"Echo: {WORDS}"
    assert all(c.model == SECOND for c in chunks)
    last = chunks[-1]
    assert last.usage is not None
    assert last.response is not None
    assert last.response.model == SECOND
    assert last.response.attempts == 4


def test_stream_failing_mid_way_says_how_much_arrived(executor: Executor, wire: WireServer) -> None:
    wire.faults.push(P1, "cut:3")
    received: list[str] = []

    def consume() -> None:
        for chunk in executor.stream(ChatRequest.of(WORDS), (PRIMARY, SECOND)):
            received.append(chunk.text)

    with pytest.raises(StreamInterrupted) as info:
        consume()
    err = info.value
    assert "".join(received) == "Echo: alpha beta "
    assert err.chunks_received == len(received)
    assert err.chars_received == len("Echo: alpha beta ")
    assert err.model == PRIMARY
    assert "ConnectionFailed" in (err.cause or "")
    assert len(wire.requests_for(P2)) == 0  # no silent restart on another model
    assert executor.breakers.get("wire-openai", PRIMARY).status().consecutive_failures == 1


def test_closing_an_executor_stream_closes_the_connection(
    executor: Executor, registry: ProviderRegistry, wire: WireServer
) -> None:
    wire.faults.push(P1, "slow:0.05")
    stream = executor.stream(ChatRequest.of(" ".join(f"w{i}" for i in range(50))), (PRIMARY,))
    assert next(stream).text
    stream.close()
    assert wire.wait_streams_closed(5.0)
    assert wire.requests[-1].aborted
    provider = registry.get("wire-openai")
    assert len(provider._sync_client()._transport._pool._requests) == 0  # type: ignore[attr-defined]
    assert executor.breakers.get("wire-openai", PRIMARY).state == "closed"


async def test_async_call_retries_and_falls_back(executor: Executor, wire: WireServer, sleeper: FakeSleep) -> None:
    wire.faults.push(P1, "503", "429:retry-after=0.5", "500")
    result = await executor.acall(ChatRequest.of("async"), (PRIMARY, SECOND))
    assert result.model.id == SECOND
    assert result.attempts == 4
    assert sleeper.delays[1] == 0.5
    await executor.registry.aclose()


async def test_async_stream_fallback_and_interruption(executor: Executor, wire: WireServer) -> None:
    wire.faults.push(P1, "503", "503", "503")
    chunks = [c async for c in executor.astream(ChatRequest.of(WORDS), (PRIMARY, SECOND))]
    assert chunks[-1].model == SECOND
    assert "".join(c.text for c in chunks) == f"Echo: {WORDS}"
    wire.faults.push(P2, "stream-error:2")
    with pytest.raises(StreamInterrupted) as info:
        async for _ in executor.astream(ChatRequest.of(WORDS), (SECOND,)):
            pass
    assert info.value.chunks_received == 2
    await executor.registry.aclose()


async def test_cancelling_an_async_executor_stream_closes_the_connection(
    executor: Executor, registry: ProviderRegistry, wire: WireServer
) -> None:
    wire.faults.push(P1, "slow:0.05")
    first = asyncio.Event()

    async def consume() -> None:
        async for chunk in executor.astream(ChatRequest.of(" ".join(f"w{i}" for i in range(50))), (PRIMARY,)):
            if chunk.text:
                first.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(first.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert wire.wait_streams_closed(5.0)
    assert wire.requests[-1].aborted
    provider = registry.get("wire-openai")
    assert len(provider._async_client()._transport._pool._requests) == 0  # type: ignore[attr-defined]
    await registry.aclose()


def test_health_scores_reflect_what_happened(executor: Executor, wire: WireServer) -> None:
    wire.faults.always(P1, "503")
    for _ in range(4):
        executor.call(ChatRequest.of("x"), (PRIMARY, SECOND))
    snap = {h.provider: h for h in executor.health.snapshot()}
    assert snap["wire-openai"].failures >= 3
    assert snap["wire-openai"].last_error is not None
    assert "503" in snap["wire-openai"].last_error
    assert snap["wire-anthropic"].failures == 0
    assert snap["wire-anthropic"].score > snap["wire-openai"].score
    assert executor.health.is_healthy(SECOND)


def test_timeout_of_the_request_applies_per_attempt(executor: Executor, wire: WireServer) -> None:
    executor.policy = RetryPolicy(base_delay=0.01, timeout=30.0, max_attempts=1)
    wire.faults.push(P1, "hang:2")
    with pytest.raises(AllModelsFailed) as info:
        executor.call(ChatRequest.of("x", timeout=0.2), (PRIMARY,))
    assert isinstance(info.value.errors[0], Timeout)
