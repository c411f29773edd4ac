"""The executor's sans-I/O plan, driven by hand: every decision is visible without any I/O."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from a3m_integrations.catalog import Catalog
from a3m_integrations.errors import (
    AllModelsFailed,
    AuthError,
    BadRequest,
    CircuitOpen,
    InvalidRequest,
    RateLimited,
    ServerError,
    Timeout,
)
from a3m_integrations.events import Event, EventBus
from a3m_integrations.providers.openai_compat import OpenAICompatibleProvider
from a3m_integrations.providers.registry import ProviderRegistry
from a3m_integrations.resilience.executor import Attempt, Chosen, Executor, Outcome, Sleep
from a3m_integrations.resilience.retry import RetryPolicy
from a3m_integrations.types import ChatRequest, ChatResponse, Message

CATALOG = Catalog.load(
    {
        "providers": {
            "alpha": {"api": "openai", "base_url": "http://127.0.0.1:9/v1", "api_key_env": "ALPHA_API_KEY"},
            "beta": {"api": "openai", "base_url": "http://127.0.0.1:9/v1"},
            "keyless": {"api": "openai", "base_url": "http://127.0.0.1:9/v1", "api_key_env": "KEYLESS_API_KEY"},
        },
        "models": [
            {"id": f"{p}/m{i}", "provider": p, "name": f"m{i}", "tier": "cheap", "input_per_1m": "1",
             "output_per_1m": "2", "context_window": 8000, "max_output": 1000, "price_date": "x", "price_source": "x"}
            for p in ("alpha", "beta", "keyless") for i in (1, 2)
        ],
    },
    base=Catalog.empty(),
)  # fmt: skip


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def setup() -> Iterator[tuple[Executor, Clock, list[Event]]]:
    clock, seen = Clock(), []
    registry = ProviderRegistry(CATALOG)
    for pid in ("alpha", "beta"):
        registry.register(pid, OpenAICompatibleProvider(CATALOG.provider(pid), api_key="k"))
    policy = RetryPolicy(base_delay=1.0, jitter=0.3, max_attempts=3, deadline=60.0, timeout=10.0)
    executor = Executor(registry, policy=policy, events=EventBus([seen.append]), clock=clock, rng=random.Random(1))
    yield executor, clock, seen
    registry.close()


def drive(
    executor: Executor, clock: Clock, outcomes: list[Any], candidates: tuple[str, ...], step: float = 0.5
) -> tuple[Chosen, list[Any]]:
    """Run the plan: each Attempt takes the next outcome (an error or None); Sleep advances the clock."""
    plan = executor.plan(ChatRequest.of("hi"), candidates, "req-1")
    effects: list[Any] = []
    effect = next(plan)
    while True:
        effects.append(effect)
        try:
            if isinstance(effect, Sleep):
                clock.now += effect.seconds
                effect = plan.send(None)
            else:
                clock.now += step
                effect = plan.send(Outcome(outcomes.pop(0), step))
        except StopIteration as done:
            return done.value, effects


def test_first_attempt_succeeds(setup: tuple[Executor, Clock, list[Event]]) -> None:
    executor, clock, seen = setup
    chosen, effects = drive(executor, clock, [None], ("alpha/m1", "beta/m1"))
    assert chosen.model.id == "alpha/m1"
    assert chosen.attempts == 1
    assert chosen.errors == ()
    assert isinstance(effects[0], Attempt)
    assert effects[0].request.timeout == 10.0
    assert [e.kind for e in seen] == ["attempt"]


def test_retries_with_backoff_then_succeeds(setup: tuple[Executor, Clock, list[Event]]) -> None:
    executor, clock, seen = setup
    chosen, effects = drive(executor, clock, [ServerError("a"), ServerError("b"), None], ("alpha/m1",))
    sleeps = [e.seconds for e in effects if isinstance(e, Sleep)]
    assert len(sleeps) == 2
    assert 0.7 <= sleeps[0] <= 1.3
    assert 1.4 <= sleeps[1] <= 2.6
    assert chosen.attempts == 3
    assert [e.kind for e in seen] == ["attempt", "retry", "attempt", "retry", "attempt"]
    retry = next(e for e in seen if e.kind == "retry")
    assert retry.data["error"] == "ServerError"
    assert retry.request_id == "req-1"


def test_retry_after_is_the_delay(setup: tuple[Executor, Clock, list[Event]]) -> None:
    executor, clock, _ = setup
    _, effects = drive(executor, clock, [RateLimited("x", retry_after=2.5), None], ("alpha/m1",))
    assert [e.seconds for e in effects if isinstance(e, Sleep)] == [2.5]


def test_exhausted_retries_fall_back_to_the_next_model(setup: tuple[Executor, Clock, list[Event]]) -> None:
    executor, clock, seen = setup
    outcomes = [ServerError("1"), ServerError("2"), ServerError("3"), None]
    chosen, _ = drive(executor, clock, outcomes, ("alpha/m1", "beta/m1"))
    assert chosen.model.id == "beta/m1"
    assert chosen.attempts == 4
    assert [type(e) for e in chosen.errors] == [ServerError]
    assert chosen.errors[0].model == "alpha/m1"
    fallback = [e for e in seen if e.kind == "fallback"]
    assert [(e.data["from"], e.data["to"]) for e in fallback] == [("alpha/m1", "beta/m1")]
    # three consecutive failures opened alpha/m1's breaker
    assert executor.breakers.get("alpha", "alpha/m1").state == "open"
    assert any(e.kind == "breaker" and e.data["state"] == "open" for e in seen)
    assert not executor.health.is_healthy("alpha/m1")
    # the fallback's health records its own attempt's time, not the time lost on alpha
    answer = ChatResponse(Message.assistant("ok"), "beta/m1")
    result = executor._result(chosen, answer)
    beta = executor.health.provider_health("beta")
    assert beta.median_latency_ms == pytest.approx(500.0)
    assert result.response.latency_ms is not None
    assert result.response.latency_ms > 3000.0  # the caller waited through alpha's three attempts and two sleeps
    assert result.response.attempts == 4


def test_bad_request_is_not_retried_and_does_not_trip_the_breaker(setup: tuple[Executor, Clock, list[Event]]) -> None:
    executor, clock, _ = setup
    chosen, effects = drive(executor, clock, [BadRequest("bad", status_code=400), None], ("alpha/m1", "beta/m1"))
    assert not any(isinstance(e, Sleep) for e in effects)
    assert chosen.model.id == "beta/m1"
    assert executor.breakers.get("alpha", "alpha/m1").status().consecutive_failures == 0
    assert executor.health.provider_health("alpha").calls == 0


def test_open_breaker_is_skipped_without_a_call(setup: tuple[Executor, Clock, list[Event]]) -> None:
    executor, clock, _ = setup
    for _ in range(3):
        executor.breakers.get("alpha", "alpha/m1").record_failure()
    chosen, effects = drive(executor, clock, [None], ("alpha/m1", "beta/m1"))
    attempts = [e for e in effects if isinstance(e, Attempt)]
    assert [a.model.id for a in attempts] == ["beta/m1"]
    assert isinstance(chosen.errors[0], CircuitOpen)


def test_half_open_probe_closes_the_breaker(setup: tuple[Executor, Clock, list[Event]]) -> None:
    executor, clock, seen = setup
    breaker = executor.breakers.get("alpha", "alpha/m1")
    for _ in range(3):
        breaker.record_failure()
    clock.now += 60
    seen.clear()
    chosen, _ = drive(executor, clock, [None], ("alpha/m1",))
    assert chosen.model.id == "alpha/m1"
    assert breaker.state == "closed"
    assert [e.data["state"] for e in seen if e.kind == "breaker"] == ["half_open", "closed"]


def test_every_model_failing_lists_each_error(setup: tuple[Executor, Clock, list[Event]]) -> None:
    executor, clock, _ = setup
    outcomes = [AuthError("no", status_code=401), BadRequest("bad", status_code=400)]
    with pytest.raises(AllModelsFailed) as info:
        drive(executor, clock, outcomes, ("alpha/m1", "beta/m1", "keyless/m1"))
    errors = info.value.errors
    assert [type(e) for e in errors] == [AuthError, BadRequest, AuthError]
    assert "KEYLESS_API_KEY" in str(errors[2])  # the unconfigured provider says which variable to set
    assert [e.model for e in errors] == ["alpha/m1", "beta/m1", "keyless/m1"]
    assert "all 3 models failed" in str(info.value)


def test_deadline_stops_everything(setup: tuple[Executor, Clock, list[Event]]) -> None:
    executor, clock, _ = setup
    executor.policy = RetryPolicy(base_delay=1.0, deadline=5.0, timeout=10.0, max_attempts=5)
    with pytest.raises(AllModelsFailed) as info:
        drive(executor, clock, [Timeout("slow")] * 10, ("alpha/m1", "beta/m1"), step=3.0)
    assert isinstance(info.value.errors[-1], Timeout)
    assert "deadline" in str(info.value.errors[-1])


def test_attempt_timeout_is_cut_to_the_deadline(setup: tuple[Executor, Clock, list[Event]]) -> None:
    executor, clock, _ = setup
    executor.policy = RetryPolicy(base_delay=0.0, jitter=0.0, deadline=12.0, timeout=10.0, max_attempts=3)
    _, effects = drive(executor, clock, [Timeout("1"), None], ("alpha/m1",), step=5.0)
    timeouts = [e.request.timeout for e in effects if isinstance(e, Attempt)]
    assert timeouts[0] == 10.0
    assert timeouts[1] == pytest.approx(12.0 - 5.0)


def test_unknown_candidate_is_an_invalid_request_before_any_call(setup: tuple[Executor, Clock, list[Event]]) -> None:
    executor, _, _ = setup
    with pytest.raises(InvalidRequest):
        next(executor.plan(ChatRequest.of("x"), ("alpha/m1", "nope/zzz")))
    with pytest.raises(InvalidRequest):
        next(executor.plan(ChatRequest.of("x"), ()))


def test_abandoned_plan_frees_the_half_open_probe(setup: tuple[Executor, Clock, list[Event]]) -> None:
    executor, clock, _ = setup
    breaker = executor.breakers.get("alpha", "alpha/m1")
    for _ in range(3):
        breaker.record_failure()
    clock.now += 60
    plan = executor.plan(ChatRequest.of("x"), ("alpha/m1",))
    assert isinstance(next(plan), Attempt)  # holds the probe
    assert not breaker.allow()
    plan.close()
    assert breaker.allow()
