from __future__ import annotations

import asyncio
import threading

import pytest

from a3m_integrations.errors import ConfigError, ServerError
from a3m_integrations.events import Event, EventBus
from a3m_integrations.resilience.breaker import BreakerBoard, CircuitBreaker
from a3m_integrations.resilience.health import HealthBoard


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_opens_after_three_consecutive_failures_and_half_opens_with_one_probe() -> None:
    clock, seen = FakeClock(), []
    bus = EventBus([seen.append])
    b = CircuitBreaker("p", "p/m", clock=clock, events=bus)
    b.record_failure()
    b.record_failure()
    b.record_success()  # resets the count: failures must be consecutive
    b.record_failure()
    b.record_failure()
    assert b.state == "closed"
    assert b.allow()
    b.record_failure()
    assert b.state == "open"
    assert not b.allow()
    clock.now += 59.9
    assert not b.allow()
    clock.now += 0.2
    assert b.allow()  # the probe
    assert b.state == "half_open"
    assert not b.allow()  # only one probe at a time
    b.record_success()
    assert b.state == "closed"
    assert b.allow()
    assert [(e.data["previous"], e.data["state"]) for e in seen] == [
        ("closed", "open"),
        ("open", "half_open"),
        ("half_open", "closed"),
    ]
    assert all(e.kind == "breaker" and e.data["model"] == "p/m" for e in seen)


def test_failed_probe_reopens_for_another_recovery_time() -> None:
    clock = FakeClock()
    b = CircuitBreaker("p", "p/m", clock=clock, failure_threshold=1, recovery_time=10)
    b.record_failure()
    clock.now += 10
    assert b.allow()
    b.record_failure()
    assert b.state == "open"
    assert b.status().retry_in == pytest.approx(10.0)
    clock.now += 5
    assert not b.allow()


def test_abandoned_probe_is_given_up_and_released_probe_frees_the_slot() -> None:
    clock = FakeClock()
    b = CircuitBreaker("p", "p/m", clock=clock, failure_threshold=1, recovery_time=10)
    b.record_failure()
    clock.now += 10
    assert b.allow()
    assert not b.allow()
    b.release()
    assert b.allow()  # released: another probe may go
    clock.now += 10.5
    assert b.allow()  # nobody reported for a whole recovery time: probe again


def test_breaker_validates_settings() -> None:
    with pytest.raises(ConfigError):
        CircuitBreaker("p", "m", failure_threshold=0)
    with pytest.raises(ConfigError):
        BreakerBoard(recovery_time=0)


def test_breaker_is_thread_safe_only_one_probe_among_many_threads() -> None:
    clock = FakeClock()
    b = CircuitBreaker("p", "p/m", clock=clock, failure_threshold=1, recovery_time=1)
    b.record_failure()
    clock.now += 1
    allowed: list[bool] = []
    barrier = threading.Barrier(16)

    def worker() -> None:
        barrier.wait()
        allowed.append(b.allow())

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert allowed.count(True) == 1


async def test_breaker_is_task_safe_failures_counted_exactly() -> None:
    b = CircuitBreaker("p", "p/m", failure_threshold=1000)

    async def fail(n: int) -> None:
        for _ in range(n):
            b.record_failure()
            await asyncio.sleep(0)

    await asyncio.gather(*(fail(50) for _ in range(10)))
    assert b.status().consecutive_failures == 500
    assert b.state == "closed"


def test_board_creates_one_breaker_per_model_and_reports_open() -> None:
    clock = FakeClock()
    board = BreakerBoard(clock=clock, failure_threshold=2)
    assert board.get("p", "p/a") is board.get("p", "p/a")
    assert board.get("p", "p/a") is not board.get("p", "p/b")
    assert not board.is_open("p", "p/a")
    board.get("p", "p/a").record_failure()
    board.get("p", "p/a").record_failure()
    assert board.is_open("p", "p/a")
    assert not board.is_open("p", "p/b")
    clock.now += 60
    assert not board.is_open("p", "p/a")  # due a probe: routable again


def test_health_score_weights_latency_and_errors() -> None:
    clock = FakeClock()
    h = HealthBoard(clock=clock, latency_good=1.0, latency_bad=11.0)
    assert h.score("p") == 1.0  # nothing known: healthy
    for _ in range(10):
        h.record_success("p", 0.5)
    assert h.score("p") == pytest.approx(1.0)
    h2 = HealthBoard(clock=clock, latency_good=1.0, latency_bad=11.0)
    for _ in range(10):
        h2.record_success("q", 6.0)  # halfway between good and bad
    assert h2.score("q") == pytest.approx(0.6 * 0.5 + 0.4 * 1.0)
    h3 = HealthBoard(clock=clock)
    for _ in range(5):
        h3.record_success("r", 0.1)
    for _ in range(5):
        h3.record_failure("r", ServerError("boom", status_code=503), 0.01)
    # failures score 0 on latency too: 0.6 * 0.5 + 0.4 * 0.5
    assert h3.score("r") == pytest.approx(0.5)
    snap = h3.provider_health("r")
    assert snap.calls == 10
    assert snap.failures == 5
    assert snap.last_error is not None
    assert snap.last_error.startswith("ServerError")


def test_fast_failing_provider_is_unhealthy_and_window_slides() -> None:
    clock = FakeClock()
    h = HealthBoard(clock=clock, window=10, window_seconds=60)
    for _ in range(10):
        h.record_failure("p", ServerError("x"), 0.001)
    assert h.score("p") == 0.0
    assert not h.is_healthy("p/model")
    for _ in range(10):
        h.record_success("p", 0.1)  # the window holds the last 10 calls only
    assert h.is_healthy("p/model")
    for _ in range(10):
        h.record_failure("p", ServerError("x"), 0.001)
    clock.now += 61  # everything ages out
    assert h.score("p") == 1.0


def test_is_healthy_consults_the_breaker() -> None:
    clock = FakeClock()
    board = BreakerBoard(clock=clock)
    h = HealthBoard(breakers=board, clock=clock)
    for _ in range(3):
        board.get("p", "p/a").record_failure()
    assert not h.is_healthy("p/a")
    assert h.is_healthy("p/b")  # another model of the same provider
    snap = h.snapshot()
    assert [s.provider for s in snap] == ["p"]
    assert snap[0].to_dict()["breakers"]["p/a"]["state"] == "open"


def test_events_carry_no_secrets() -> None:
    seen: list[Event] = []
    b = CircuitBreaker("p", "p/m", failure_threshold=1, events=EventBus([seen.append]))
    b.record_failure("req-1", "ServerError")
    assert seen[0].request_id == "req-1"
    assert set(seen[0].data) == {"provider", "model", "previous", "state", "failures", "error"}


def test_a_slow_provider_that_always_answers_stays_healthy() -> None:
    h = HealthBoard(window=10, latency_good=2.0, latency_bad=20.0)
    for _ in range(5):
        h.record_success("local", 45.0)  # a local model on a busy CPU
    assert h.score("local") == pytest.approx(0.4)
    assert h.is_healthy("local/model")
    h.record_failure("local", ServerError("x"), 45.0)
    assert not h.is_healthy("local/model")  # slow and failing: skipped
