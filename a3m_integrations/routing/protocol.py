"""The Router protocol: one method, `route`. Kept apart so `typing` stays off the routing path."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from a3m_integrations.types import ChatRequest, RequestContext, RoutingDecision

__all__ = ["Router"]


@runtime_checkable
class Router(Protocol):
    """Chooses the model for a request. One method; everything else is shared."""

    name: str

    def route(self, request: ChatRequest, context: RequestContext | None = None) -> RoutingDecision:
        """The decision for `request`: model, tier, complexity, estimated cost, reasons, fallbacks."""
        ...
