"""The one boundary where foreign failures become a3m errors.

httpx exceptions, HTTP error statuses with their bodies, error payloads inside 200 answers and
malformed answers are all turned into `ProviderError` subclasses here, and nowhere else; callers
`raise mapped from exc`. Messages hold a short excerpt of the provider's own message, with every
known secret scrubbed out, never a whole body.

```
httpx.TimeoutException (Connect/Read/Write/PoolTimeout)      -> Timeout
httpx.NetworkError, RemoteProtocolError, ProxyError          -> ConnectionFailed (retryable)
httpx.UnsupportedProtocol, LocalProtocolError, InvalidURL    -> ConnectionFailed (not retryable: fix base_url)
httpx.DecodingError, TooManyRedirects, StreamError, others   -> BadResponse
HTTP 429 / rate-limit code                                   -> RateLimited (retry_after from the headers)
HTTP 401/403 / auth code, 402 / quota code                   -> AuthError (quota: with a billing hint)
HTTP 400/404/413/422 / bad-request code                      -> BadRequest or ContextWindowExceeded
HTTP 408 / timeout code                                      -> Timeout
HTTP 409, 5xx, 529 / server or overloaded code               -> ServerError
unparseable JSON, missing fields                             -> BadResponse
```
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from a3m_integrations._secrets import Secret, scrub
from a3m_integrations.errors import (
    AuthError,
    BadRequest,
    BadResponse,
    ConnectionFailed,
    ContextWindowExceeded,
    ProviderError,
    RateLimited,
    ServerError,
    Timeout,
)
from a3m_integrations.providers.profiles import ERROR_KEYS, ErrorInfo, ErrorKind, ErrorProfile, embedded_error
from a3m_integrations.resilience.retry import retry_after_from_headers

__all__ = [
    "EmbeddedError",
    "WireFormatError",
    "error_from_payload",
    "error_from_status",
    "excerpt",
    "map_transport_error",
    "map_wire_error",
    "raise_embedded_error",
]

_EXCERPT = 300
_QUOTA_HINT = (
    "The account behind this key has run out of balance or quota; top it up or raise the quota. "
    "The request falls back to other models; this one is not retried."
)
_FILTER_HINT = "The provider's content filter refused the request; rephrase it or route it to another provider."


class WireFormatError(ValueError):
    """A provider's answer did not have the shape its wire format promises (internal; mapped to BadResponse)."""


class EmbeddedError(Exception):
    """An error payload found inside a 200 answer or a stream (internal; mapped by `error_from_payload`)."""

    def __init__(self, payload: Mapping[str, Any], info: ErrorInfo) -> None:
        self.payload = payload
        self.info = info
        super().__init__(info.message or "error payload")


def raise_embedded_error(data: Mapping[str, Any]) -> None:
    """Raise EmbeddedError if a JSON answer or stream event is an error payload."""
    if ERROR_KEYS.isdisjoint(data):
        return
    info = embedded_error(data)
    if info is not None:
        raise EmbeddedError(data, info)


def excerpt(text: str, secrets: Iterable[Secret | str | None] = ()) -> str:
    """A one-line, length-capped, secret-free excerpt of provider text."""
    flat = " ".join(text.split())
    if len(flat) > _EXCERPT:
        flat = flat[: _EXCERPT - 3] + "..."
    return scrub(flat, secrets)


def map_transport_error(
    exc: Exception,
    *,
    provider: str,
    model: str,
    secrets: Iterable[Secret | str | None] = (),
) -> ProviderError:
    """The ProviderError for an httpx exception (or any exception raised while talking HTTP)."""
    detail = excerpt(str(exc) or type(exc).__name__, secrets)
    who: dict[str, Any] = {"provider": provider, "model": model}
    if isinstance(exc, httpx.TimeoutException):
        phase = {
            httpx.ConnectTimeout: "connecting",
            httpx.ReadTimeout: "waiting for the answer",
            httpx.WriteTimeout: "sending the request",
            httpx.PoolTimeout: "waiting for a free connection from the pool",
        }.get(type(exc), "talking to the provider")
        return Timeout(f"timed out {phase} ({type(exc).__name__})", **who)
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.InvalidURL)):
        return ConnectionFailed(
            f"cannot send the request: {detail}",
            retryable=False,
            hint="Check the provider's base_url in the catalog (scheme, host, port); retrying will not help.",
            **who,
        )
    if isinstance(exc, (httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError)):
        return ConnectionFailed(f"connection failed ({type(exc).__name__}): {detail}", **who)
    if isinstance(exc, httpx.DecodingError):
        return BadResponse(f"the answer could not be decoded: {detail}", **who)
    if isinstance(exc, httpx.TooManyRedirects):
        return BadResponse(
            f"too many redirects: {detail}", retryable=False, hint="Check the provider's base_url.", **who
        )
    if isinstance(exc, httpx.HTTPStatusError):
        response = exc.response
        return error_from_status(
            response.status_code, response.headers, "", profile=None, provider=provider, model=model, secrets=secrets
        )
    return BadResponse(f"unexpected failure while reading the answer ({type(exc).__name__}): {detail}", **who)


def map_wire_error(exc: WireFormatError, *, provider: str, model: str) -> BadResponse:
    """The BadResponse for an answer of the wrong shape."""
    return BadResponse(f"malformed answer: {exc}", provider=provider, model=model)


def _parse_body(body: bytes | str) -> Mapping[str, Any] | None:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, Mapping) else None


def _kind_for_status(status: int) -> ErrorKind:
    if status in (401, 403):
        return "auth"
    if status == 402:
        return "quota"
    if status == 408:
        return "timeout"
    if status == 429:
        return "rate_limit"
    if status == 409 or status >= 500:
        return "server"
    return "bad_request"


def _build(
    kind: ErrorKind,
    message: str,
    *,
    status: int | None,
    retry_after: float | None,
    provider: str,
    model: str,
    request_id: str | None,
) -> ProviderError:
    who: dict[str, Any] = {"provider": provider, "model": model, "status_code": status, "request_id": request_id}
    if kind == "rate_limit":
        return RateLimited(message, retry_after=retry_after, **who)
    if kind in ("overloaded", "server"):
        return ServerError(message, retry_after=retry_after, **who)
    if kind == "timeout":
        return Timeout(message, **who)
    if kind == "quota":
        return AuthError(message, hint=_QUOTA_HINT, **who)
    if kind == "auth":
        return AuthError(message, **who)
    if kind == "context":
        return ContextWindowExceeded(message, **who)
    if kind == "content_filter":
        return BadRequest(message, hint=_FILTER_HINT, **who)
    return BadRequest(message, **who)


def _request_id(headers: Mapping[str, str] | None) -> str | None:
    if headers is None:
        return None
    for name in ("x-request-id", "request-id", "x-bc-request-id", "x-dashscope-request-id"):
        value = headers.get(name)
        if value:
            return value[:128]
    return None


def error_from_status(
    status: int,
    headers: Mapping[str, str] | None,
    body: bytes | str,
    *,
    profile: ErrorProfile | None,
    provider: str,
    model: str,
    secrets: Iterable[Secret | str | None] = (),
    now: float | None = None,
) -> ProviderError:
    """The ProviderError for an HTTP error status and its body, read through the provider's profile."""
    secrets = tuple(secrets)
    data = _parse_body(body) if body else None
    info = embedded_error(data) if data is not None else None
    if info is None:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        info = ErrorInfo((), text)
    kind = (profile.classify(status, info) if profile is not None else None) or _kind_for_status(status)
    retry_after = retry_after_from_headers(headers, now) if headers is not None else None
    detail = excerpt(info.message, secrets) or f"HTTP {status} without a message"
    code = f" [{excerpt(info.codes[0], secrets)}]" if info.codes else ""
    return _build(
        kind,
        f"{detail}{code}",
        status=status,
        retry_after=retry_after,
        provider=provider,
        model=model,
        request_id=_request_id(headers),
    )


def error_from_payload(
    info: ErrorInfo,
    *,
    status: int,
    headers: Mapping[str, str] | None,
    profile: ErrorProfile,
    provider: str,
    model: str,
    secrets: Iterable[Secret | str | None] = (),
    now: float | None = None,
) -> ProviderError:
    """The ProviderError for an error payload found inside a 200 answer or a stream."""
    kind = profile.classify(status, info) or "server"
    retry_after = retry_after_from_headers(headers, now) if headers is not None and kind == "rate_limit" else None
    detail = excerpt(info.message, tuple(secrets)) or "error payload without a message"
    code = f" [{excerpt(info.codes[0], tuple(secrets))}]" if info.codes else ""
    return _build(
        kind,
        f"{detail}{code} (inside a {status} answer)",
        status=status,
        retry_after=retry_after,
        provider=provider,
        model=model,
        request_id=_request_id(headers),
    )
