"""The Provider protocol: one object per provider that calls its models, sync, async and streaming."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Protocol, runtime_checkable

from a3m_integrations.catalog import ModelInfo
from a3m_integrations.types import ChatChunk, ChatRequest, ChatResponse

__all__ = ["Provider"]


@runtime_checkable
class Provider(Protocol):
    """Calls one provider's models.

    Implementations raise only `ProviderError` subclasses (mapped at one boundary) and make no
    retries of their own: retry, circuit breaking and fallback live in `resilience`. A response's
    `usage` is the provider's own report, or a token count with `estimated=True` when it gave none.
    The last chunk of a stream carries `usage`. `cost` is left at 0: the gateway prices usage.
    """

    id: str

    def chat(self, request: ChatRequest, model: ModelInfo) -> ChatResponse:
        """Send a request to `model` and return the whole answer."""
        ...

    async def achat(self, request: ChatRequest, model: ModelInfo) -> ChatResponse:
        """Async `chat`."""
        ...

    def stream(self, request: ChatRequest, model: ModelInfo) -> Iterator[ChatChunk]:
        """Send a request and yield the answer in chunks; the last chunk has `usage`."""
        ...

    def astream(self, request: ChatRequest, model: ModelInfo) -> AsyncIterator[ChatChunk]:
        """Async `stream`."""
        ...

    def close(self) -> None:
        """Release pooled connections."""
        ...

    async def aclose(self) -> None:
        """Async `close`."""
        ...
