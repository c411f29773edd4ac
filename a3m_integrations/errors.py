"""The one error tree of a3m-integrations.

Every error says what went wrong and what to do next. None carries a secret, a prompt or a
response body in full: messages hold identifiers, counts and short scrubbed excerpts only.

```
A3MError
├── ConfigError                 a config, catalog or policy file is invalid
├── InvalidRequest              the request itself is malformed (empty messages, bad role, ...)
├── GuardrailViolation          a guardrail blocked the request (rules that fired, never the text)
│   └── GuardrailError          a guardrail failed while checking and the route fails closed
├── BudgetExceeded              a hard cap would be crossed; nothing was sent or charged
├── LedgerError                 the budget ledger cannot be read or written (corrupt file, ...)
├── NoCapableModel              no model in the pool meets the request's needs
├── CacheError                  the cache store cannot be read or written
└── ProviderError               a model provider failed
    ├── RateLimited             429 or a provider's rate-limit code; retry after `retry_after`
    ├── Timeout                 no answer within the timeout
    ├── ConnectionFailed        connection refused, reset or DNS failure
    ├── AuthError               401/403: missing or wrong key; never retried
    ├── BadRequest              400/404/422: the provider rejected the request; never retried
    │   └── ContextWindowExceeded  the prompt does not fit the model's context window
    ├── ServerError             5xx from the provider
    ├── BadResponse             an answer that cannot be parsed (malformed JSON, missing fields)
    ├── StreamInterrupted       a stream broke after some chunks arrived; says how much arrived
    ├── CircuitOpen             the model's circuit breaker is open; it was skipped without a call
    └── AllModelsFailed         every model of the decision and its fallbacks failed
```
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

TYPE_CHECKING = False  # typing is not imported at run time: the routing path must start fast
if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:
    from datetime import datetime

__all__ = [
    "A3MError",
    "AllModelsFailed",
    "AuthError",
    "BadRequest",
    "BadResponse",
    "BudgetExceeded",
    "CacheError",
    "CircuitOpen",
    "ConfigError",
    "ConnectionFailed",
    "ContextWindowExceeded",
    "GuardrailError",
    "GuardrailViolation",
    "InvalidRequest",
    "LedgerError",
    "NoCapableModel",
    "ProviderError",
    "RateLimited",
    "ServerError",
    "StreamInterrupted",
    "Timeout",
]


class A3MError(Exception):
    """Base of every error raised by a3m-integrations.

    `hint` says what to do next; `str(error)` is the message followed by the hint.
    """

    default_hint = ""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint if hint is not None else self.default_hint
        super().__init__(self._render())

    def _render(self) -> str:
        return f"{self.message} {self.hint}".strip() if self.hint else self.message


class ConfigError(A3MError):
    """A configuration, catalog or policy file (or argument) is invalid.

    Names the file, the entry and the field where it can.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        entry: str | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.source = source
        self.entry = entry
        self.field = field
        where = ", ".join(
            part
            for part in (
                f"file {source}" if source else "",
                f"entry {entry!r}" if entry else "",
                f"field {field!r}" if field else "",
            )
            if part
        )
        super().__init__(
            f"{message} ({where})" if where else message,
            hint=hint if hint is not None else "Fix the value named above and load the configuration again.",
        )


class InvalidRequest(A3MError):
    """The request is malformed; nothing was sent or charged."""

    default_hint = "Fix the request; nothing was sent to any model and nothing was charged."

    def __init__(self, message: str, *, field: str | None = None, hint: str | None = None) -> None:
        self.field = field
        super().__init__(message, hint=hint)


class GuardrailViolation(A3MError):
    """A guardrail blocked the request. Carries the rules that fired, never the text."""

    default_hint = (
        "The request was not sent. Remove the flagged content, or change the route's guardrail policy "
        "to 'warn' or 'log' if this is a false positive."
    )

    def __init__(
        self,
        message: str,
        *,
        rules: Sequence[str] = (),
        score: float | None = None,
        route: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.rules = tuple(rules)
        self.score = score
        self.route = route
        super().__init__(message, hint=hint)


class GuardrailError(GuardrailViolation):
    """A guardrail itself failed and its route fails closed, so the request was blocked."""

    default_hint = (
        "The request was blocked because the guardrail could not check it (fail-closed). Fix the "
        "guardrail's configuration, or set the route's guardrails to fail_open=True to let requests through."
    )


class BudgetExceeded(A3MError):
    """The request would cross a hard cap; no provider was called and nothing was charged."""

    def __init__(
        self,
        *,
        scope: str,
        cap: Decimal,
        spent: Decimal,
        requested: Decimal,
        resets_at: datetime | None = None,
        period: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.scope = scope
        self.cap = cap
        self.spent = spent
        self.requested = requested
        self.resets_at = resets_at
        self.period = period
        reset = f"; it resets at {resets_at.isoformat()}" if resets_at else "; it does not reset"
        super().__init__(
            f"Budget {scope} ({period or 'total'}) would be exceeded: cap ${cap}, spent and reserved "
            f"${spent}, this request needs up to ${requested}{reset}.",
            hint=hint
            if hint is not None
            else "Nothing was sent or charged. Wait for the reset, raise the cap, lower max_tokens, "
            "or route to a cheaper tier.",
        )


class LedgerError(A3MError):
    """The budget ledger cannot be used (corrupt or unreadable file, bad amount)."""

    default_hint = "Nothing was charged. Check the ledger path and file; restore it from backup if it is corrupt."


class NoCapableModel(A3MError):
    """No model in the pool meets the request's needs (tools, vision, JSON mode, context length)."""

    def __init__(
        self,
        message: str,
        *,
        requirements: Sequence[str] = (),
        rejected: dict[str, str] | None = None,
        hint: str | None = None,
    ) -> None:
        self.requirements = tuple(requirements)
        self.rejected = dict(rejected or {})
        super().__init__(
            message,
            hint=hint
            if hint is not None
            else "Add a model with these capabilities to the pool or catalog, or drop the requirement "
            "(tools, images, response_format) from the request.",
        )


class CacheError(A3MError):
    """The response cache cannot be read or written."""

    default_hint = "The request can run without the cache; check the cache directory and its permissions."


class ProviderError(A3MError):
    """A model provider failed.

    Attributes:
        provider: provider id from the catalog.
        model: model id that was called.
        status_code: HTTP status, when there was one.
        retryable: whether retrying (after `retry_after`, if set) may succeed.
        retry_after: seconds the provider asked us to wait, if it said.
    """

    retryable_default = False
    default_hint = "Check the provider's status; the request may be retried on another model."

    def __init__(
        self,
        message: str,
        *,
        provider: str | None = None,
        model: str | None = None,
        status_code: int | None = None,
        retryable: bool | None = None,
        retry_after: float | None = None,
        request_id: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.provider = provider
        self.model = model
        self.status_code = status_code
        self.retryable = self.retryable_default if retryable is None else retryable
        self.retry_after = retry_after
        self.request_id = request_id
        who = "/".join(p for p in (provider, model) if p) if provider or model else "provider"
        status = f" (HTTP {status_code})" if status_code is not None else ""
        super().__init__(f"{who}{status}: {message}", hint=hint)


class RateLimited(ProviderError):
    """The provider rate-limited the request (429 or its own code)."""

    retryable_default = True
    default_hint = "Retry after the delay the provider gave, lower the request rate, or add a fallback model."


class Timeout(ProviderError):
    """The provider did not answer within the timeout."""

    retryable_default = True
    default_hint = "Raise the timeout, lower max_tokens, or add a fallback model."


class ConnectionFailed(ProviderError):
    """The connection to the provider failed (refused, reset, DNS)."""

    retryable_default = True
    default_hint = "Check the provider's base URL and the network; the request may be retried."


class AuthError(ProviderError):
    """The provider refused the credentials (401/403). Never retried."""

    default_hint = "Set a valid API key in the environment variable the catalog names for this provider."


class BadRequest(ProviderError):
    """The provider rejected the request as invalid (400/404/422). Never retried."""

    default_hint = "Fix the request (model name, parameters, tools); retrying the same request will not help."


class ContextWindowExceeded(BadRequest):
    """The prompt and requested output do not fit the model's context window."""

    default_hint = "Shorten the conversation, lower max_tokens, or route to a model with a larger context window."


class ServerError(ProviderError):
    """The provider answered with a 5xx error."""

    retryable_default = True
    default_hint = "The provider is failing; the request is retried and then falls back to another model."


class BadResponse(ProviderError):
    """The provider's answer could not be parsed."""

    retryable_default = True
    default_hint = "The provider sent a malformed answer; the request may be retried or sent to a fallback."


class StreamInterrupted(ProviderError):
    """A stream broke after chunks had been delivered; it cannot be retried transparently."""

    default_hint = (
        "Part of the answer was already delivered, so it was not retried. Retry the whole request; "
        "you were charged only for what was received."
    )

    def __init__(
        self,
        message: str,
        *,
        chunks_received: int,
        chars_received: int,
        cause: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.chunks_received = chunks_received
        self.chars_received = chars_received
        self.cause = cause
        super().__init__(
            f"{message} after {chunks_received} chunks ({chars_received} characters)" + (f": {cause}" if cause else ""),
            **kwargs,
        )


class CircuitOpen(ProviderError):
    """The model's circuit breaker is open after repeated failures; it was skipped, nothing was sent."""

    default_hint = (
        "The model failed repeatedly and is being rested; it is probed again after the breaker's recovery "
        "time. The request falls back to the next model; see `a3m health`."
    )


class AllModelsFailed(ProviderError):
    """Every model of the routing decision and its fallbacks failed. `errors` holds each failure."""

    default_hint = (
        "Every model tried failed; see `errors` for each. Check provider keys and health (`a3m health`), "
        "or add more fallbacks."
    )

    def __init__(self, errors: Sequence[ProviderError], *, hint: str | None = None) -> None:
        self.errors = tuple(errors)
        summary = "; ".join(f"{_who(e)}: {type(e).__name__}" for e in self.errors)
        last = self.errors[-1] if self.errors else None
        super().__init__(
            f"all {len(self.errors)} models failed ({summary})",
            status_code=last.status_code if last else None,
            retryable=any(e.retryable for e in self.errors),
            hint=hint,
        )


def _who(error: ProviderError) -> str:
    """`provider/model` for a message; a catalog model id already starts with its provider."""
    model = error.model or "?"
    return model if error.provider and model.startswith(f"{error.provider}/") else f"{error.provider or '?'}/{model}"
