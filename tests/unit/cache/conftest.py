"""Helpers for the cache tests: requests, answers and a settable clock."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from a3m_integrations.types import ChatRequest, ChatResponse, Message, RequestContext


def req(text: str, *, system: str | None = None, **kwargs: Any) -> ChatRequest:
    messages = ((Message.system(system),) if system else ()) + (Message.user(text),)
    kwargs.setdefault("model", "gpt-test")
    return ChatRequest(messages=messages, **kwargs)


def answer(text: str, *, model: str = "gpt-test", cost: str = "0.0021", **kwargs: Any) -> ChatResponse:
    return ChatResponse(message=Message.assistant(text), model=model, cost=Decimal(cost), **kwargs)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ctx() -> RequestContext:
    return RequestContext(user="alice", team="red")
