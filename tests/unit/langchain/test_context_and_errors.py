"""Per-call context from run configs, and the error twins (every core error a LangChain one where it can be)."""

from __future__ import annotations

import inspect
from decimal import Decimal

import pytest
from langchain_core.exceptions import (
    ContextOverflowError,
    ModelAPIError,
    ModelAuthenticationError,
    ModelError,
    ModelInvalidRequestError,
    ModelNotFoundError,
    ModelPermissionDeniedError,
    ModelRateLimitError,
    ModelTimeoutError,
)

import a3m_integrations.errors as core_errors
from a3m_integrations.errors import (
    A3MError,
    AllModelsFailed,
    AuthError,
    BadRequest,
    BudgetExceeded,
    CircuitOpen,
    ContextWindowExceeded,
    GuardrailViolation,
    ProviderError,
    RateLimited,
    ServerError,
    StreamInterrupted,
    Timeout,
)
from langchain_a3m._context import context_fields, request_context
from langchain_a3m._errors import A3MAllModelsFailed, mapped_errors, to_langchain_error


def test_context_fields_precedence_aliases_and_tags() -> None:
    config = {
        "metadata": {"user": "alice", "team_id": "t1", "ls_provider": "x", "tags": "vip", "route": " "},
        "configurable": {"user_id": "bob", "api_key_id": "key-7", "thread_id": "th"},
        "tags": ["seq:step:1", "beta", "graph:step:2", "langsmith:hidden"],
    }
    assert context_fields(config) == {
        "user": "bob",
        "team": "t1",
        "api_key_id": "key-7",
        "tags": ("vip", "beta"),
    }
    assert context_fields(None) == {} and context_fields({}) == {}
    ctx = request_context({"user": "u"}, {"team": "core", "user": "svc", "tags": ["x"]}, request_id="r1")
    assert (ctx.user, ctx.team, ctx.tags, ctx.request_id) == ("u", "core", ("x",), "r1")


def _core_classes() -> list[type[A3MError]]:
    return [
        c
        for _, c in inspect.getmembers(core_errors, inspect.isclass)
        if issubclass(c, A3MError) and c.__module__ == core_errors.__name__
    ]


def _instance(cls: type[A3MError]) -> A3MError:
    if issubclass(cls, AllModelsFailed):
        return cls([RateLimited("slow down", provider="p", model="m")])
    if issubclass(cls, StreamInterrupted):
        return cls("broke", chunks_received=2, chars_received=10)
    if issubclass(cls, BudgetExceeded):
        return cls(scope="user:a", cap=Decimal(1), spent=Decimal(1), requested=Decimal("0.1"))
    return cls("boom")


def test_every_provider_error_and_invalid_request_has_a_langchain_twin() -> None:
    no_twin = {ProviderError, CircuitOpen}  # never raised on their own: CircuitOpen only inside AllModelsFailed
    for cls in _core_classes():
        exc = _instance(cls)
        mapped = to_langchain_error(exc)
        assert isinstance(mapped, cls)  # `except <core class>` still works
        twin = issubclass(cls, ProviderError | core_errors.InvalidRequest) and cls not in no_twin
        assert isinstance(mapped, ModelError) == twin, cls
        assert str(mapped) == str(exc) and mapped.__dict__ == exc.__dict__


def test_specific_twins_and_all_models_failed() -> None:
    assert isinstance(to_langchain_error(ContextWindowExceeded("big")), ContextOverflowError)
    assert isinstance(to_langchain_error(BadRequest("no model", status_code=404)), ModelNotFoundError)
    assert isinstance(to_langchain_error(AuthError("no", status_code=403)), ModelPermissionDeniedError)
    assert isinstance(to_langchain_error(AuthError("no", status_code=401)), ModelAuthenticationError)
    same = AllModelsFailed([RateLimited("a"), RateLimited("b")])
    assert isinstance(to_langchain_error(same), ModelRateLimitError)
    mixed = to_langchain_error(AllModelsFailed([RateLimited("a"), ServerError("b"), CircuitOpen("c")]))
    assert type(mixed) is A3MAllModelsFailed and isinstance(mixed, ModelAPIError) and len(mixed.errors) == 3
    rejected = to_langchain_error(AllModelsFailed([BadRequest("a"), BadRequest("b", status_code=422)]))
    assert isinstance(rejected, ModelInvalidRequestError) and isinstance(rejected, AllModelsFailed)
    timed_out = to_langchain_error(AllModelsFailed([Timeout("t")]))
    assert isinstance(timed_out, ModelTimeoutError) and isinstance(timed_out, AllModelsFailed)


def test_mapped_errors_boundary() -> None:
    with pytest.raises(ModelRateLimitError) as caught, mapped_errors():
        raise RateLimited("slow", retry_after=2.0, provider="p")
    assert caught.value.retry_after == 2.0 and isinstance(caught.value.__cause__, RateLimited)
    with pytest.raises(GuardrailViolation) as blocked, mapped_errors():
        raise GuardrailViolation("blocked", rules=("r",))
    assert type(blocked.value) is GuardrailViolation and blocked.value.__cause__ is None
    with pytest.raises(KeyError), mapped_errors():
        raise KeyError("not ours")
