from __future__ import annotations

import random
from email.utils import formatdate

import pytest

from a3m_integrations.errors import (
    AuthError,
    BadRequest,
    ConfigError,
    ConnectionFailed,
    RateLimited,
    ServerError,
    Timeout,
)
from a3m_integrations.resilience.retry import RetryPolicy, parse_duration, retry_after_from_headers
from a3m_integrations.types import ChatRequest

NOW = 1_700_000_000.0


def test_backoff_doubles_with_jitter_within_30_percent() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=100.0)
    assert policy.backoff(1, 0.5) == pytest.approx(1.0)
    assert policy.backoff(2, 0.5) == pytest.approx(2.0)
    assert policy.backoff(3, 0.5) == pytest.approx(4.0)
    assert policy.backoff(3, 0.0) == pytest.approx(4.0 * 0.7)
    assert policy.backoff(3, 0.999999) == pytest.approx(4.0 * 1.3, rel=1e-4)
    rng = random.Random(7)
    delays = [policy.next_delay(2, ServerError("x"), 0.0, rng=rng) for _ in range(200)]
    assert all(d is not None and 1.4 <= d <= 2.6 for d in delays)
    assert len({round(d or 0, 6) for d in delays}) > 150  # jitter spreads retries out


def test_backoff_is_capped() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=3.0, max_attempts=10)
    assert policy.backoff(8, 0.5) == 3.0


@pytest.mark.parametrize(
    ("error", "retry"),
    [
        (RateLimited("slow"), True),
        (ServerError("boom", status_code=503), True),
        (Timeout("late"), True),
        (ConnectionFailed("reset"), True),
        (BadRequest("bad", status_code=400), False),
        (AuthError("no", status_code=401), False),
        (AuthError("forbidden", status_code=403), False),
        (ConnectionFailed("bad url", retryable=False), False),
    ],
)
def test_only_retryable_errors_are_retried(error: Exception, retry: bool) -> None:
    delay = RetryPolicy().next_delay(1, error, 0.0)  # type: ignore[arg-type]
    assert (delay is not None) is retry


def test_attempts_are_bounded() -> None:
    policy = RetryPolicy(max_attempts=3)
    err = ServerError("x")
    assert policy.next_delay(1, err, 0.0) is not None
    assert policy.next_delay(2, err, 0.0) is not None
    assert policy.next_delay(3, err, 0.0) is None


def test_retry_after_is_honoured_exactly_and_capped() -> None:
    policy = RetryPolicy(max_retry_after=10.0)
    assert policy.next_delay(1, RateLimited("x", retry_after=4.0), 0.0) == 4.0
    assert policy.next_delay(1, RateLimited("x", retry_after=0.0), 0.0) == 0.0
    # asking for longer than the cap: fall back now instead of waiting
    assert policy.next_delay(1, RateLimited("x", retry_after=11.0), 0.0) is None


def test_deadline_caps_waits_and_attempt_timeouts() -> None:
    policy = RetryPolicy(deadline=10.0, timeout=4.0, base_delay=1.0)
    assert policy.next_delay(1, RateLimited("x", retry_after=3.0), 6.5) is not None
    assert policy.next_delay(1, RateLimited("x", retry_after=3.0), 7.5) is None
    assert policy.attempt_timeout(0.0) == 4.0
    assert policy.attempt_timeout(8.0) == pytest.approx(2.0)
    assert policy.attempt_timeout(10.5) < 0


def test_request_overrides_timeout_and_retries() -> None:
    policy = RetryPolicy(timeout=60.0, max_attempts=3)
    custom = policy.for_request(ChatRequest.of("hi", timeout=5.0, max_retries=0))
    assert custom.timeout == 5.0
    assert custom.max_attempts == 1
    assert policy.for_request(ChatRequest.of("hi")) is policy


@pytest.mark.parametrize("field", ["timeout", "max_attempts", "jitter", "multiplier", "deadline"])
def test_bad_policy_is_a_config_error(field: str) -> None:
    bad = {"timeout": 0, "max_attempts": 0, "jitter": 1.5, "multiplier": 0.5, "deadline": -1}[field]
    with pytest.raises(ConfigError, match=field):
        RetryPolicy(**{field: bad})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1s", 1.0),
        ("6m0s", 360.0),
        ("20ms", 0.02),
        ("1h2m", 3720.0),
        ("2.5", 2.5),
        ("0", 0.0),
        ("abc", None),
        ("", None),
        ("1x", None),
        ("nan", None),
    ],
)
def test_parse_duration(text: str, seconds: float | None) -> None:
    assert parse_duration(text) == (pytest.approx(seconds) if seconds is not None else None)


def test_retry_after_seconds_date_ms_and_reset_headers() -> None:
    assert retry_after_from_headers({"retry-after": "7"}, NOW) == 7.0
    assert retry_after_from_headers({"retry-after-ms": "250", "retry-after": "7"}, NOW) == 0.25
    date = formatdate(NOW + 30, usegmt=True)
    assert retry_after_from_headers({"retry-after": date}, NOW) == pytest.approx(30.0)
    past = formatdate(NOW - 30, usegmt=True)
    assert retry_after_from_headers({"retry-after": past}, NOW) == 0.0
    assert (
        retry_after_from_headers({"x-ratelimit-reset-requests": "1s", "x-ratelimit-reset-tokens": "6m0s"}, NOW) == 360.0
    )
    # the exhausted bucket decides
    exhausted = {
        "x-ratelimit-reset-requests": "2s",
        "x-ratelimit-remaining-requests": "0",
        "x-ratelimit-reset-tokens": "6m0s",
        "x-ratelimit-remaining-tokens": "5000",
    }
    assert retry_after_from_headers(exhausted, NOW) == 2.0
    assert retry_after_from_headers({"x-ratelimit-reset": str(int(NOW + 12))}, NOW) == pytest.approx(12.0)
    assert retry_after_from_headers({"x-ratelimit-reset": "12"}, NOW) == 12.0
    iso = "2023-11-14T22:13:40Z"  # NOW + 20 s
    assert retry_after_from_headers({"anthropic-ratelimit-requests-reset": iso}, NOW) == pytest.approx(20.0)
    assert retry_after_from_headers({"content-type": "application/json"}, NOW) is None
    assert retry_after_from_headers({"retry-after": "soon"}, NOW) is None
