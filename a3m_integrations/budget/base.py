"""The Budget protocol: reserve before a call, settle after it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, runtime_checkable

from a3m_integrations.types import RequestContext

__all__ = ["Budget", "Reservation"]


@dataclass(frozen=True, slots=True)
class Reservation:
    """Money held under every scope of a request until it settles or its lease expires."""

    id: str
    amount: Decimal
    scopes: tuple[str, ...]
    expires_at: float


@runtime_checkable
class Budget(Protocol):
    """Holds spend under caps.

    `reserve` holds `amount` under every scope the context maps to, all or none, and raises
    BudgetExceeded (naming scope, cap, spend and reset) before any provider is called. `settle`
    charges the actual cost and frees the rest; calling it twice for one reservation charges once.
    `release` frees a reservation that will not be charged (the call never happened).
    """

    def reserve(self, context: RequestContext, amount: Decimal, *, request_id: str) -> Reservation:
        """Hold `amount` under every applicable scope."""
        ...

    def settle(self, reservation: Reservation, actual: Decimal, *, attribution: Mapping[str, str]) -> None:
        """Charge `actual` (model, provider, tier, route in `attribution`) and free the rest."""
        ...

    def release(self, reservation: Reservation) -> None:
        """Free a reservation without charging."""
        ...

    async def areserve(self, context: RequestContext, amount: Decimal, *, request_id: str) -> Reservation:
        """Async `reserve`."""
        ...

    async def asettle(self, reservation: Reservation, actual: Decimal, *, attribution: Mapping[str, str]) -> None:
        """Async `settle`."""
        ...

    async def arelease(self, reservation: Reservation) -> None:
        """Async `release`."""
        ...
