"""Events the pipeline emits, and the bus that hands them to listeners.

Framework callbacks (LangChain, LlamaIndex), metrics and logs hang here. A listener that raises
is logged and skipped: observing a request never breaks it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["EVENT_KINDS", "Event", "EventBus", "Listener"]

_log = logging.getLogger("a3m_integrations.events")

#: The kinds of event the pipeline emits, in pipeline order.
EVENT_KINDS: tuple[str, ...] = (
    "request",  # a request entered the gateway
    "guard",  # guardrail verdict: action, score, rules (never the text)
    "cache_hit",
    "cache_miss",
    "routed",  # RoutingDecision
    "budget_reserved",
    "budget_alert",  # a threshold crossed for a scope and period
    "attempt",  # a provider call starts
    "retry",  # a retry after an error, with the delay
    "fallback",  # moving to the next model
    "breaker",  # a circuit breaker changed state
    "budget_settled",
    "response",  # final usage and cost
    "error",  # the request failed
    "cache_store",
)


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened to a request. `data` holds ids, numbers and names, never secrets."""

    kind: str
    request_id: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    ts: float = field(default_factory=time.time)


Listener = Callable[[Event], None]


class EventBus:
    """Hands events to listeners in registration order; a failing listener is logged, not raised."""

    __slots__ = ("_listeners",)

    def __init__(self, listeners: list[Listener] | None = None) -> None:
        self._listeners: list[Listener] = list(listeners or [])

    def add(self, listener: Listener) -> None:
        """Register a listener."""
        self._listeners.append(listener)

    def remove(self, listener: Listener) -> None:
        """Unregister a listener (no error if absent)."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def __bool__(self) -> bool:
        return bool(self._listeners)

    def emit(self, kind: str, request_id: str | None = None, **data: Any) -> None:
        """Send one event to every listener."""
        if not self._listeners:
            return
        event = Event(kind, request_id, data)
        for listener in tuple(self._listeners):
            try:
                listener(event)
            except Exception:  # a listener must never break a request
                _log.exception("event listener %r failed on %s", listener, kind)
