from __future__ import annotations

import inspect
from datetime import datetime, timezone
from decimal import Decimal

import a3m_integrations.errors as errors
from a3m_integrations.errors import (
    A3MError,
    AllModelsFailed,
    BudgetExceeded,
    ConfigError,
    ProviderError,
    RateLimited,
    ServerError,
    StreamInterrupted,
)


def test_every_error_is_an_a3m_error_with_docstring_and_in_the_tree() -> None:
    doc = errors.__doc__ or ""
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass) if c.__module__ == errors.__name__]
    assert len(classes) == len(errors.__all__)
    for cls in classes:
        assert issubclass(cls, A3MError)
        assert cls.__doc__
        assert cls.__name__ in doc, f"{cls.__name__} missing from the tree in the module docstring"


def test_messages_say_what_to_do() -> None:
    err = ConfigError("bad price", source="x.json", entry="openai/gpt-4o", field="input_per_1m")
    assert "x.json" in str(err) and "openai/gpt-4o" in str(err) and "input_per_1m" in str(err)
    assert "Fix" in str(err)
    budget = BudgetExceeded(
        scope="team:eng",
        cap=Decimal("10"),
        spent=Decimal("9.5"),
        requested=Decimal("0.75"),
        resets_at=datetime(2026, 12, 1, tzinfo=timezone.utc),
        period="monthly",
    )
    text = str(budget)
    assert "team:eng" in text and "$10" in text and "2026-12-01" in text and "Nothing was sent" in text


def test_retryable_defaults() -> None:
    assert RateLimited("slow down", retry_after=2.0).retryable
    assert ServerError("boom", status_code=503).retryable
    assert not ProviderError("x").retryable
    failed = AllModelsFailed([ServerError("a", provider="p", model="m"), RateLimited("b", provider="q", model="n")])
    assert failed.retryable and "p/m: ServerError" in str(failed)


def test_stream_interrupted_says_how_much_arrived() -> None:
    err = StreamInterrupted("stream cut", chunks_received=7, chars_received=120, provider="p", model="m")
    assert "7 chunks" in str(err) and "120 characters" in str(err)
