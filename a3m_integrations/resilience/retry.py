"""Retry policy: which failures to retry, how long to wait between attempts, and when to stop.

Everything here is pure. `RetryPolicy.next_delay` decides, from the attempt number, the error and
the time elapsed since the request started, whether to try the same model again and after how
long; the executor's plan asks it and only the drivers sleep. `retry_after_from_headers` turns a
provider's `Retry-After` (seconds or HTTP-date), `retry-after-ms` and `x-ratelimit-reset*` /
`anthropic-ratelimit-*-reset` headers into seconds; the provider error boundary calls it and puts
the result on the error as `retry_after`.

Retries live in this one layer: provider HTTP clients make none of their own, so attempts never
multiply across layers.
"""

from __future__ import annotations

import math
import random
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from a3m_integrations.errors import ConfigError, ProviderError
from a3m_integrations.types import ChatRequest

__all__ = ["DEFAULT_POLICY", "RetryPolicy", "parse_duration", "retry_after_from_headers"]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How one provider's calls are retried (the A3M defaults: backoff x2 with jitter 0.3).

    Attributes:
        timeout: seconds one attempt may take (connect, send and read; for a stream, between chunks).
        max_attempts: attempts per model, the first call included; then the next model is tried.
        base_delay: seconds before the first retry; each later retry waits `multiplier` times longer.
        multiplier: backoff growth per retry.
        jitter: relative spread of each backoff delay: 0.3 means within +-30 %.
        max_delay: cap on one backoff delay.
        max_retry_after: a provider asking for a longer wait than this is not waited for: the
            request falls back to the next model at once.
        deadline: seconds the whole request (every model and retry) may take; no attempt or wait
            is started past it, and each attempt's timeout is cut to what is left.
    """

    timeout: float = 60.0
    max_attempts: int = 3
    base_delay: float = 0.5
    multiplier: float = 2.0
    jitter: float = 0.3
    max_delay: float = 30.0
    max_retry_after: float = 60.0
    deadline: float = 180.0

    def __post_init__(self) -> None:
        checks = (
            ("timeout", self.timeout > 0),
            ("max_attempts", isinstance(self.max_attempts, int) and self.max_attempts >= 1),
            ("base_delay", self.base_delay >= 0),
            ("multiplier", self.multiplier >= 1),
            ("jitter", 0 <= self.jitter < 1),
            ("max_delay", self.max_delay >= 0),
            ("max_retry_after", self.max_retry_after >= 0),
            ("deadline", self.deadline > 0),
        )
        for name, ok in checks:
            if not ok:
                raise ConfigError(f"retry policy {name}={getattr(self, name)!r} is out of range", field=name)

    def backoff(self, attempt: int, rand: float = 0.5) -> float:
        """Backoff before retry number `attempt` (1 = first retry); `rand` in [0, 1) places the jitter."""
        raw = self.base_delay * self.multiplier ** max(0, attempt - 1)
        return min(self.max_delay, raw * (1.0 + self.jitter * (2.0 * rand - 1.0)))

    def next_delay(
        self,
        attempt: int,
        error: ProviderError,
        now: float,
        *,
        rng: random.Random | None = None,
    ) -> float | None:
        """Seconds to wait before trying the same model again, or None to stop and fall back.

        Args:
            attempt: attempts already made on this model (1 after the first call failed).
            error: the failure of that attempt.
            now: seconds elapsed since the request started (the deadline is measured on it).
            rng: source of the jitter (default: the `random` module).

        None when the error is not retryable (400, 401, 403, ...), the attempts are used up, the
        provider asked to wait longer than `max_retry_after`, or the wait would cross the deadline.
        """
        if not error.retryable or attempt >= self.max_attempts:
            return None
        if error.retry_after is not None:
            if error.retry_after > self.max_retry_after:
                return None
            delay = max(0.0, error.retry_after)
        else:
            delay = self.backoff(attempt, (rng or random).random())
        if now + delay >= self.deadline:
            return None
        return delay

    def attempt_timeout(self, now: float) -> float:
        """Timeout for an attempt starting `now` seconds into the request (never past the deadline)."""
        return min(self.timeout, self.deadline - now)

    def for_request(self, request: ChatRequest) -> RetryPolicy:
        """This policy with the request's own `timeout` (per attempt) and `max_retries` applied."""
        changes: dict[str, float | int] = {}
        if request.timeout is not None:
            changes["timeout"] = request.timeout
        if request.max_retries is not None:
            changes["max_attempts"] = request.max_retries + 1
        return replace(self, **changes) if changes else self  # type: ignore[arg-type]


#: The A3M defaults.
DEFAULT_POLICY = RetryPolicy()

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")
_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
#: Values above this are Unix timestamps, not durations (2001-09-09 in seconds).
_EPOCH_CUT = 1_000_000_000.0


def parse_duration(text: str) -> float | None:
    """Seconds in a duration like '1s', '6m0s', '20ms', '1h2m' or a bare number; None if unreadable."""
    text = text.strip().lower()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        pass
    else:
        return value if math.isfinite(value) else None
    pos, total = 0, 0.0
    for match in _DURATION.finditer(text):
        if match.start() != pos:
            return None
        total += float(match.group(1)) * _UNIT[match.group(2)]
        pos = match.end()
    return total if pos == len(text) and pos else None


def _http_date(text: str, now: float) -> float | None:
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.timestamp() - now


def _iso_time(text: str, now: float) -> float | None:
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.timestamp() - now


def _reset_value(text: str, now: float) -> float | None:
    """An x-ratelimit-reset* value: a duration, seconds, a Unix timestamp or an ISO time."""
    seconds = parse_duration(text)
    if seconds is not None:
        return seconds - now if seconds > _EPOCH_CUT else seconds
    return _iso_time(text, now)


def retry_after_from_headers(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds the provider asked us to wait, read from response headers, or None if it did not say.

    In order: `retry-after-ms`; `Retry-After` as seconds or an HTTP-date; then the rate-limit reset
    headers (`x-ratelimit-reset-requests`, `x-ratelimit-reset-tokens`, `x-ratelimit-reset`,
    `anthropic-ratelimit-*-reset`), preferring the one whose `remaining` counterpart is 0 and
    otherwise the longest. `headers` must look names up case-insensitively (httpx.Headers does) or
    use lower-case names. `now` is the Unix time the response arrived (default: the clock).
    """
    wall = time.time() if now is None else now
    value = headers.get("retry-after-ms")
    if value is not None:
        ms = parse_duration(value)
        if ms is not None:
            return max(0.0, ms / 1000.0)
    value = headers.get("retry-after")
    if value is not None:
        seconds = parse_duration(value)
        if seconds is None:
            seconds = _http_date(value, wall)
        if seconds is not None:
            return max(0.0, seconds)
    exhausted: list[float] = []
    resets: list[float] = []
    for name, raw in headers.items():
        key = name.lower()
        if key.startswith("x-ratelimit-reset") or (key.startswith("anthropic-ratelimit-") and key.endswith("-reset")):
            seconds = _reset_value(raw, wall)
            if seconds is None:
                continue
            resets.append(seconds)
            remaining = headers.get(key.replace("-reset", "-remaining"))
            if remaining is not None and remaining.strip() in ("0", "0.0"):
                exhausted.append(seconds)
    chosen = exhausted or resets
    return max(0.0, max(chosen)) if chosen else None
