"""Protocols of the response cache and of embedders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from a3m_integrations.types import ChatRequest, ChatResponse, RequestContext

if TYPE_CHECKING:
    import numpy as np

__all__ = ["CacheHit", "Embedder", "ResponseCache"]


@dataclass(frozen=True, slots=True)
class CacheHit:
    """A cached answer and how it was found. `saved_cost` is what the original call cost."""

    response: ChatResponse
    level: Literal["exact", "semantic"]
    similarity: float
    key: str
    saved_cost: Decimal


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension."""

    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Shape (len(texts), dim), float32, each row unit-length."""
        ...


@runtime_checkable
class ResponseCache(Protocol):
    """Finds a stored answer for a request, and stores new ones.

    The key covers everything that changes the answer besides the text (model or route, settings,
    tools, response format, system prompt) and the tenant namespace from `context`, so a hit never
    crosses them. `model` is the model the request is pinned to or was routed to, if known.
    """

    def lookup(self, request: ChatRequest, context: RequestContext, *, model: str | None = None) -> CacheHit | None:
        """A stored answer for this request, or None."""
        ...

    def store(self, request: ChatRequest, context: RequestContext, response: ChatResponse) -> None:
        """Store an answer for this request."""
        ...

    async def alookup(
        self, request: ChatRequest, context: RequestContext, *, model: str | None = None
    ) -> CacheHit | None:
        """Async `lookup`."""
        ...

    async def astore(self, request: ChatRequest, context: RequestContext, response: ChatResponse) -> None:
        """Async `store`."""
        ...
