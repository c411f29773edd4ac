"""The core's errors as LangChain's: each class is both, so `except RateLimited` and `except ModelRateLimitError` work.

Mapped at one boundary, `mapped_errors()`, around every gateway call of the adapters:

```
A3MError subclass (core)        also a (langchain_core.exceptions)
InvalidRequest               -> A3MInputError              ModelInvalidRequestError
BadRequest (HTTP 404)        -> A3MModelNotFoundError      ModelNotFoundError
BadRequest                   -> A3MInvalidRequestError     ModelInvalidRequestError
ContextWindowExceeded        -> A3MContextOverflowError    ContextOverflowError
AuthError (HTTP 403)         -> A3MPermissionDeniedError   ModelPermissionDeniedError
AuthError                    -> A3MAuthenticationError     ModelAuthenticationError
RateLimited                  -> A3MRateLimitError          ModelRateLimitError
Timeout                      -> A3MTimeoutError            ModelTimeoutError
ConnectionFailed             -> A3MConnectionError         ModelConnectionError
ServerError                  -> A3MAPIError                ModelAPIError
BadResponse                  -> A3MBadResponseError        ModelAPIError
StreamInterrupted            -> A3MStreamInterruptedError  ModelAPIError
AllModelsFailed              -> A3MAllModelsFailed...      the class every failure shares, else ModelAPIError
```

GuardrailViolation, BudgetExceeded, NoCapableModel, ConfigError, CacheError and LedgerError have no
LangChain counterpart and pass through unchanged. Attributes (status_code, retry_after, errors, ...)
are kept; the original is the new one's `__cause__`.

`to_core_error` maps the other way, for LangChain models wrapped as gateway providers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from langchain_core.exceptions import (
    ContextOverflowError,
    ModelAPIError,
    ModelAuthenticationError,
    ModelConnectionError,
    ModelError,
    ModelInvalidRequestError,
    ModelNotFoundError,
    ModelPermissionDeniedError,
    ModelRateLimitError,
    ModelTimeoutError,
    OutputParserException,
)

from a3m_integrations.errors import (
    A3MError,
    AllModelsFailed,
    AuthError,
    BadRequest,
    BadResponse,
    ConnectionFailed,
    ContextWindowExceeded,
    InvalidRequest,
    ProviderError,
    RateLimited,
    ServerError,
    StreamInterrupted,
    Timeout,
)

__all__ = [
    "A3MAPIError",
    "A3MAllModelsFailed",
    "A3MAllModelsRateLimited",
    "A3MAllModelsRejected",
    "A3MAllModelsTimedOut",
    "A3MAllModelsUnauthorized",
    "A3MAllModelsUnreachable",
    "A3MAuthenticationError",
    "A3MBadResponseError",
    "A3MConnectionError",
    "A3MContextOverflowError",
    "A3MInputError",
    "A3MInvalidRequestError",
    "A3MModelNotFoundError",
    "A3MPermissionDeniedError",
    "A3MRateLimitError",
    "A3MStreamInterruptedError",
    "A3MTimeoutError",
    "mapped_errors",
    "to_core_error",
    "to_langchain_error",
]


class A3MInputError(InvalidRequest, ModelInvalidRequestError):
    """The request was malformed before it reached any model; nothing was sent or charged."""


class A3MInvalidRequestError(BadRequest, ModelInvalidRequestError):
    """The provider rejected the request as invalid (HTTP 400/422)."""


class A3MModelNotFoundError(BadRequest, ModelNotFoundError):
    """The provider does not know the model (HTTP 404)."""


class A3MContextOverflowError(ContextWindowExceeded, ContextOverflowError):
    """The prompt does not fit the model's context window."""


class A3MAuthenticationError(AuthError, ModelAuthenticationError):
    """The provider refused the key (HTTP 401) or none was set."""


class A3MPermissionDeniedError(AuthError, ModelPermissionDeniedError):
    """The key lacks permission for this request (HTTP 403)."""


class A3MRateLimitError(RateLimited, ModelRateLimitError):
    """The provider rate-limited the request."""


class A3MTimeoutError(Timeout, ModelTimeoutError):
    """The provider did not answer in time."""


class A3MConnectionError(ConnectionFailed, ModelConnectionError):
    """The provider could not be reached."""


class A3MAPIError(ServerError, ModelAPIError):
    """The provider failed (HTTP 5xx)."""


class A3MBadResponseError(BadResponse, ModelAPIError):
    """The provider's answer could not be parsed."""


class A3MStreamInterruptedError(StreamInterrupted, ModelAPIError):
    """A stream broke after chunks were delivered."""


class A3MAllModelsFailed(AllModelsFailed, ModelAPIError):
    """Every model of the decision and its fallbacks failed, for different reasons."""


class A3MAllModelsRateLimited(AllModelsFailed, ModelRateLimitError):
    """Every model tried was rate-limited."""


class A3MAllModelsTimedOut(AllModelsFailed, ModelTimeoutError):
    """Every model tried timed out."""


class A3MAllModelsUnreachable(AllModelsFailed, ModelConnectionError):
    """No model tried could be reached."""


class A3MAllModelsUnauthorized(AllModelsFailed, ModelAuthenticationError):
    """Every model tried refused the credentials (or had none)."""


class A3MAllModelsRejected(AllModelsFailed, ModelInvalidRequestError):
    """Every model tried rejected the request as invalid."""


# (core class, LangChain class) in the order they are tested: subclasses before their bases
_SINGLE: tuple[tuple[type[A3MError], type[A3MError]], ...] = (
    (ContextWindowExceeded, A3MContextOverflowError),
    (BadRequest, A3MInvalidRequestError),
    (AuthError, A3MAuthenticationError),
    (RateLimited, A3MRateLimitError),
    (Timeout, A3MTimeoutError),
    (ConnectionFailed, A3MConnectionError),
    (ServerError, A3MAPIError),
    (BadResponse, A3MBadResponseError),
    (StreamInterrupted, A3MStreamInterruptedError),
    (InvalidRequest, A3MInputError),
)
_ALL: dict[type[ModelError], type[AllModelsFailed]] = {
    ModelRateLimitError: A3MAllModelsRateLimited,
    ModelTimeoutError: A3MAllModelsTimedOut,
    ModelConnectionError: A3MAllModelsUnreachable,
    ModelAuthenticationError: A3MAllModelsUnauthorized,
    ModelInvalidRequestError: A3MAllModelsRejected,
}


def _single(exc: A3MError) -> type[A3MError] | None:
    if isinstance(exc, BadRequest) and exc.status_code == 404 and not isinstance(exc, ContextWindowExceeded):
        return A3MModelNotFoundError
    if isinstance(exc, AuthError) and exc.status_code == 403:
        return A3MPermissionDeniedError
    for core, target in _SINGLE:
        if isinstance(exc, core):
            return target
    return None


def _langchain_base(cls: type[A3MError] | None) -> type[ModelError]:
    for base in cls.__mro__ if cls is not None else ():
        if issubclass(base, ModelError) and base.__module__ == "langchain_core.exceptions":
            return base
    return ModelAPIError


def _target(exc: A3MError) -> type[A3MError] | None:
    if isinstance(exc, AllModelsFailed):
        kinds = {_langchain_base(_single(e)) for e in exc.errors if isinstance(e, ProviderError)}
        if len(kinds) == 1:
            return _ALL.get(kinds.pop(), A3MAllModelsFailed)
        return A3MAllModelsFailed
    return _single(exc)


def to_langchain_error(exc: A3MError) -> A3MError:
    """`exc` as the class that is both the core's and LangChain's (itself when there is none)."""
    cls = _target(exc)
    if cls is None or type(exc) is cls:
        return exc
    mapped = cls.__new__(cls, *exc.args)
    mapped.__dict__.update(exc.__dict__)
    mapped.args = exc.args
    return mapped


@contextmanager
def mapped_errors() -> Iterator[None]:
    """Re-raise core errors as their LangChain-compatible twins (`raise ... from` the original)."""
    try:
        yield
    except A3MError as exc:
        mapped = to_langchain_error(exc)
        if mapped is exc:
            raise
        raise mapped from exc


# -- the other way: a wrapped LangChain model's failure as the core's ProviderError (LangChainProvider) --
_FOREIGN: tuple[tuple[type[BaseException], type[ProviderError]], ...] = (
    (ContextOverflowError, ContextWindowExceeded),
    (ModelRateLimitError, RateLimited),
    (ModelTimeoutError, Timeout),
    (TimeoutError, Timeout),
    (ModelConnectionError, ConnectionFailed),
    (ConnectionError, ConnectionFailed),
    (ModelAuthenticationError, AuthError),
    (ModelPermissionDeniedError, AuthError),
    (ModelNotFoundError, BadRequest),
    (ModelInvalidRequestError, BadRequest),
    (ModelAPIError, ServerError),
    (OutputParserException, BadResponse),
)


def to_core_error(exc: BaseException, *, provider: str, model: str) -> ProviderError:
    """What a wrapped LangChain model raised, as the most specific ProviderError.

    The message names the exception's class and HTTP status only: a foreign message may quote a
    request or a key, so it stays in the `__cause__` the caller chains, never in ours.
    """
    if isinstance(exc, ProviderError):
        return exc
    status = getattr(exc, "status_code", None)
    status = status if isinstance(status, int) else None
    if isinstance(exc, A3MError):
        return ProviderError(exc.message, provider=provider, model=model, retryable=False, hint=exc.hint)
    for foreign, core in _FOREIGN:
        if isinstance(exc, foreign):
            return core(
                f"the LangChain model raised {type(exc).__name__}", provider=provider, model=model, status_code=status
            )
    return ProviderError(
        f"the LangChain model raised {type(exc).__name__}",
        provider=provider,
        model=model,
        status_code=status,
        retryable=bool(getattr(exc, "is_retryable", False)),
    )
