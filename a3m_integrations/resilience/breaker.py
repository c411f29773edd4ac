"""Circuit breakers, one per (provider, model id).

A breaker is closed while calls succeed. After `failure_threshold` consecutive failures (3) it
opens: calls are refused at once, without touching the network. After `recovery_time` (60 s) it
lets exactly one probe through (half-open); the probe's success closes it, its failure opens it for
another `recovery_time`. A probe whose outcome is never reported (a caller that vanished) is
given up after another `recovery_time`, so a breaker cannot stay stuck half-open.

State lives behind a `threading.Lock` held only for a few assignments and never across an await,
so one breaker serves threads and asyncio tasks alike. The clock is injectable for tests.
State changes go to the EventBus as kind "breaker".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from a3m_integrations.errors import ConfigError
from a3m_integrations.events import EventBus

__all__ = ["BreakerBoard", "BreakerState", "BreakerStatus", "CircuitBreaker"]

BreakerState = Literal["closed", "open", "half_open"]
Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class BreakerStatus:
    """A breaker's state at one moment, for `a3m health` and tests."""

    provider: str
    model: str
    state: BreakerState
    consecutive_failures: int
    opened_at: float | None
    retry_in: float | None


class CircuitBreaker:
    """Breaker for one (provider, model). `allow()` before a call, then `record_success/failure()`."""

    __slots__ = (
        "_clock",
        "_events",
        "_failures",
        "_lock",
        "_opened_at",
        "_probe_since",
        "_state",
        "failure_threshold",
        "model",
        "provider",
        "recovery_time",
    )

    def __init__(
        self,
        provider: str,
        model: str,
        *,
        failure_threshold: int = 3,
        recovery_time: float = 60.0,
        clock: Clock = time.monotonic,
        events: EventBus | None = None,
    ) -> None:
        if failure_threshold < 1:
            raise ConfigError("breaker failure_threshold must be 1 or more", field="failure_threshold")
        if recovery_time <= 0:
            raise ConfigError("breaker recovery_time must be positive seconds", field="recovery_time")
        self.provider = provider
        self.model = model
        self.failure_threshold = failure_threshold
        self.recovery_time = recovery_time
        self._clock = clock
        self._events = events
        self._lock = threading.Lock()
        self._state: BreakerState = "closed"
        self._failures = 0
        self._opened_at: float | None = None
        self._probe_since: float | None = None

    def __repr__(self) -> str:
        return f"CircuitBreaker({self.model}: {self._state}, failures={self._failures})"

    @property
    def state(self) -> BreakerState:
        """The state now ('open' turns into 'half_open' only when a probe is allowed)."""
        with self._lock:
            return self._state

    def status(self) -> BreakerStatus:
        """A snapshot of the breaker."""
        with self._lock:
            retry_in = None
            if self._state == "open" and self._opened_at is not None:
                retry_in = max(0.0, self._opened_at + self.recovery_time - self._clock())
            return BreakerStatus(self.provider, self.model, self._state, self._failures, self._opened_at, retry_in)

    def allow(self, request_id: str | None = None) -> bool:
        """Whether a call may go ahead now. In half-open state only one probe is let through."""
        change: tuple[BreakerState, BreakerState] | None = None
        with self._lock:
            now = self._clock()
            if self._state == "closed":
                return True
            if self._state == "open":
                assert self._opened_at is not None
                if now - self._opened_at < self.recovery_time:
                    return False
                change = ("open", "half_open")
                self._state = "half_open"
                self._probe_since = now
                allowed = True
            elif self._probe_since is None or now - self._probe_since >= self.recovery_time:
                self._probe_since = now  # no probe in flight, or the last one was abandoned
                allowed = True
            else:
                allowed = False
        if change:
            self._emit(change, request_id)
        return allowed

    def record_success(self, request_id: str | None = None) -> None:
        """A call succeeded: reset the failure count and close the breaker."""
        with self._lock:
            previous = self._state
            self._state = "closed"
            self._failures = 0
            self._opened_at = None
            self._probe_since = None
        if previous != "closed":
            self._emit((previous, "closed"), request_id)

    def record_failure(self, request_id: str | None = None, error: str | None = None) -> None:
        """A call failed: count it; open after `failure_threshold` in a row, or at once when half-open."""
        with self._lock:
            previous = self._state
            self._failures += 1
            if previous == "half_open" or (previous == "closed" and self._failures >= self.failure_threshold):
                self._state = "open"
                self._opened_at = self._clock()
                self._probe_since = None
        if self._state == "open" and previous != "open":
            self._emit((previous, "open"), request_id, error=error)

    def release(self) -> None:
        """The caller of an allowed call will not report an outcome (stream closed early): free the probe."""
        with self._lock:
            self._probe_since = None

    def _emit(self, change: tuple[BreakerState, BreakerState], request_id: str | None, **extra: object) -> None:
        if self._events:
            self._events.emit(
                "breaker",
                request_id,
                provider=self.provider,
                model=self.model,
                previous=change[0],
                state=change[1],
                failures=self._failures,
                **{k: v for k, v in extra.items() if v is not None},
            )


class BreakerBoard:
    """The breakers of every (provider, model), created on first use with shared settings."""

    def __init__(
        self,
        *,
        failure_threshold: int = 3,
        recovery_time: float = 60.0,
        clock: Clock = time.monotonic,
        events: EventBus | None = None,
    ) -> None:
        CircuitBreaker("-", "-", failure_threshold=failure_threshold, recovery_time=recovery_time)  # validate
        self.failure_threshold = failure_threshold
        self.recovery_time = recovery_time
        self.clock = clock
        self.events = events
        self._lock = threading.Lock()
        self._breakers: dict[tuple[str, str], CircuitBreaker] = {}

    def get(self, provider: str, model: str) -> CircuitBreaker:
        """The breaker for (provider, model), created closed on first use."""
        key = (provider, model)
        breaker = self._breakers.get(key)
        if breaker is None:
            with self._lock:
                breaker = self._breakers.get(key)
                if breaker is None:
                    breaker = CircuitBreaker(
                        provider,
                        model,
                        failure_threshold=self.failure_threshold,
                        recovery_time=self.recovery_time,
                        clock=self.clock,
                        events=self.events,
                    )
                    self._breakers[key] = breaker
        return breaker

    def peek(self, provider: str, model: str) -> CircuitBreaker | None:
        """The breaker if one exists (without creating it)."""
        return self._breakers.get((provider, model))

    def is_open(self, provider: str, model: str) -> bool:
        """Whether calls to (provider, model) are refused right now (open and not yet due a probe)."""
        breaker = self._breakers.get((provider, model))
        if breaker is None:
            return False
        status = breaker.status()
        return status.state == "open" and bool(status.retry_in)

    def __iter__(self) -> Iterator[CircuitBreaker]:
        with self._lock:
            return iter(tuple(self._breakers.values()))
