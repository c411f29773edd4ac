"""Health score per provider over a sliding window, for routing and `a3m health`.

score = 0.6 x latency component + 0.4 x error-rate component, over the last `window` calls that
are younger than `window_seconds`:

- latency component: the mean over those calls of a per-call score that is 1 at or below
  `latency_good` seconds, 0 at or above `latency_bad`, linear between; a failed call scores 0
  (a failure is an answer that never came), so a provider failing fast is not "healthy";
- error-rate component: the share of those calls that succeeded.

A provider with no recent calls scores 1.0. `is_healthy(model_id)` is True when the model's
provider scores at least `threshold` and the model's circuit breaker is not open: pass it as
the router's `healthy=` callback. Failures caused by the request itself (BadRequest) are not
the provider's fault and are not recorded by the executor.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from a3m_integrations.catalog import Catalog
from a3m_integrations.errors import ConfigError, ProviderError
from a3m_integrations.resilience.breaker import BreakerBoard, BreakerStatus

__all__ = ["LATENCY_WEIGHT", "HealthBoard", "ProviderHealth"]

#: Weight of the latency component; the error-rate component gets the rest.
LATENCY_WEIGHT = 0.6
_MAX_ERROR_TEXT = 200


class _Sample(NamedTuple):
    at: float
    latency: float
    ok: bool


@dataclass(frozen=True, slots=True)
class ProviderHealth:
    """One provider's health at one moment."""

    provider: str
    score: float
    healthy: bool
    latency_component: float
    error_component: float
    calls: int
    failures: int
    median_latency_ms: float | None
    last_error: str | None
    last_error_at: float | None
    breakers: tuple[BreakerStatus, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "score": round(self.score, 4),
            "healthy": self.healthy,
            "latency_component": round(self.latency_component, 4),
            "error_component": round(self.error_component, 4),
            "calls": self.calls,
            "failures": self.failures,
            "median_latency_ms": None if self.median_latency_ms is None else round(self.median_latency_ms, 1),
            "last_error": self.last_error,
            "last_error_at": self.last_error_at,
            "breakers": {
                b.model: {"state": b.state, "consecutive_failures": b.consecutive_failures, "retry_in": b.retry_in}
                for b in self.breakers
            },
        }


class HealthBoard:
    """Sliding-window health per provider, plus the breakers, behind one `is_healthy` check."""

    def __init__(
        self,
        catalog: Catalog | None = None,
        *,
        breakers: BreakerBoard | None = None,
        window: int = 50,
        window_seconds: float = 300.0,
        latency_good: float = 2.0,
        latency_bad: float = 20.0,
        threshold: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        if window < 1 or window_seconds <= 0:
            raise ConfigError("health window must hold at least one call and span positive seconds", field="window")
        if not 0 <= latency_good < latency_bad:
            raise ConfigError("health latency_good must be >= 0 and below latency_bad", field="latency_good")
        if not 0.0 <= threshold <= 1.0:
            raise ConfigError("health threshold must be within [0, 1]", field="threshold")
        self.catalog = catalog
        self.breakers = breakers if breakers is not None else BreakerBoard(clock=clock)
        self.window = window
        self.window_seconds = window_seconds
        self.latency_good = latency_good
        self.latency_bad = latency_bad
        self.threshold = threshold
        self._clock = clock
        self._wall = wall_clock
        self._lock = threading.Lock()
        self._samples: dict[str, deque[_Sample]] = {}
        self._last_error: dict[str, tuple[str, float]] = {}

    # -- recording ------------------------------------------------------------------------
    def record_success(self, provider: str, latency: float) -> None:
        """A call to `provider` answered in `latency` seconds."""
        self._add(provider, _Sample(self._clock(), max(0.0, latency), True))

    def record_failure(self, provider: str, error: ProviderError | None = None, latency: float = 0.0) -> None:
        """A call to `provider` failed (after `latency` seconds); `error` becomes its last error."""
        self._add(provider, _Sample(self._clock(), max(0.0, latency), False))
        if error is not None:
            text = f"{type(error).__name__}: {error.message}"
            if len(text) > _MAX_ERROR_TEXT:
                text = text[: _MAX_ERROR_TEXT - 3] + "..."
            with self._lock:
                self._last_error[provider] = (text, self._wall())

    def _add(self, provider: str, sample: _Sample) -> None:
        with self._lock:
            samples = self._samples.get(provider)
            if samples is None:
                samples = self._samples[provider] = deque(maxlen=self.window)
            samples.append(sample)

    # -- reading --------------------------------------------------------------------------
    def _recent(self, provider: str) -> list[_Sample]:
        cutoff = self._clock() - self.window_seconds
        with self._lock:
            samples = self._samples.get(provider)
            if not samples:
                return []
            while samples and samples[0].at < cutoff:
                samples.popleft()
            return list(samples)

    def _latency_score(self, sample: _Sample) -> float:
        if not sample.ok:
            return 0.0
        if sample.latency <= self.latency_good:
            return 1.0
        if sample.latency >= self.latency_bad:
            return 0.0
        return (self.latency_bad - sample.latency) / (self.latency_bad - self.latency_good)

    def _components(self, samples: list[_Sample]) -> tuple[float, float]:
        if not samples:
            return 1.0, 1.0
        latency = sum(self._latency_score(s) for s in samples) / len(samples)
        errors = sum(1 for s in samples if s.ok) / len(samples)
        return latency, errors

    def score(self, provider: str) -> float:
        """The provider's score in [0, 1] (1.0 with no recent calls)."""
        latency, errors = self._components(self._recent(provider))
        return LATENCY_WEIGHT * latency + (1.0 - LATENCY_WEIGHT) * errors

    def provider_of(self, model_id: str) -> str:
        """The provider of a catalog model id (the part before '/' when the catalog does not know it)."""
        if self.catalog is not None and model_id in self.catalog:
            return self.catalog.model(model_id).provider
        return model_id.split("/", 1)[0]

    def is_healthy(self, model_id: str) -> bool:
        """Whether the router should consider `model_id`: breaker not open, and a score >= threshold.

        A provider whose recent calls all succeeded stays healthy however slow it was (a local
        model on a busy CPU answers slowly but answers); slowness alone lowers its score only.
        """
        provider = self.provider_of(model_id)
        if self.breakers.is_open(provider, model_id):
            return False
        latency, errors = self._components(self._recent(provider))
        if errors == 1.0:
            return True
        return LATENCY_WEIGHT * latency + (1.0 - LATENCY_WEIGHT) * errors >= self.threshold

    def provider_health(self, provider: str) -> ProviderHealth:
        """The health of one provider now."""
        samples = self._recent(provider)
        latency, errors = self._components(samples)
        score = LATENCY_WEIGHT * latency + (1.0 - LATENCY_WEIGHT) * errors
        ok_latencies = [s.latency for s in samples if s.ok]
        with self._lock:
            last = self._last_error.get(provider)
        breakers = tuple(sorted((b.status() for b in self.breakers if b.provider == provider), key=lambda s: s.model))
        return ProviderHealth(
            provider=provider,
            score=score,
            healthy=score >= self.threshold,
            latency_component=latency,
            error_component=errors,
            calls=len(samples),
            failures=sum(1 for s in samples if not s.ok),
            median_latency_ms=statistics.median(ok_latencies) * 1000.0 if ok_latencies else None,
            last_error=last[0] if last else None,
            last_error_at=last[1] if last else None,
            breakers=breakers,
        )

    def snapshot(self, providers: Iterable[str] | None = None) -> list[ProviderHealth]:
        """Health of the given providers, or of every provider seen so far, sorted by id."""
        if providers is None:
            with self._lock:
                seen = set(self._samples) | set(self._last_error)
            seen |= {b.provider for b in self.breakers}
            providers = seen
        return [self.provider_health(p) for p in sorted(set(providers))]
