"""The pipeline's I/O as effects, and the two drivers that carry them out.

The gateway's decisions live in generators that yield effects (look in the cache, reserve
budget, call the providers, settle, release, store) and receive their results; an exception
raised by an effect is thrown back into the generator, so failure handling is decided there too.
`drive` runs a plan with the blocking API of each step, `adrive` with the async one. After a
BaseException (cancellation, KeyboardInterrupt) the async driver finishes the plan's clean-up
effects with the blocking API, so a cancelled request still releases what it reserved.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from a3m_integrations.types import ChatRequest, ChatResponse, RequestContext

if TYPE_CHECKING:
    from a3m_integrations.budget.base import Budget, Reservation
    from a3m_integrations.cache.base import CacheHit, ResponseCache
    from a3m_integrations.resilience.executor import CallResult, Executor

__all__ = ["Call", "Effect", "Lookup", "Plan", "Release", "Reserve", "Settle", "Store", "adrive", "drive"]

T = TypeVar("T")


class Effect:
    """One piece of I/O the plan needs done; `run` does it blocking, `arun` async."""

    __slots__ = ()

    def run(self) -> Any:
        raise NotImplementedError

    async def arun(self) -> Any:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Lookup(Effect):
    """Find a cached answer."""

    cache: ResponseCache
    request: ChatRequest
    context: RequestContext
    model: str | None

    def run(self) -> CacheHit | None:
        return self.cache.lookup(self.request, self.context, model=self.model)

    async def arun(self) -> CacheHit | None:
        return await self.cache.alookup(self.request, self.context, model=self.model)


@dataclass(frozen=True, slots=True)
class Store(Effect):
    """Store an answer in the cache."""

    cache: ResponseCache
    request: ChatRequest
    context: RequestContext
    response: ChatResponse

    def run(self) -> None:
        self.cache.store(self.request, self.context, self.response)

    async def arun(self) -> None:
        await self.cache.astore(self.request, self.context, self.response)


@dataclass(frozen=True, slots=True)
class Reserve(Effect):
    """Hold money under every budget scope of the request."""

    budget: Budget
    context: RequestContext
    amount: Decimal
    request_id: str

    def run(self) -> Reservation:
        return self.budget.reserve(self.context, self.amount, request_id=self.request_id)

    async def arun(self) -> Reservation:
        return await self.budget.areserve(self.context, self.amount, request_id=self.request_id)


@dataclass(frozen=True, slots=True)
class Settle(Effect):
    """Charge the actual cost of a reservation and free the rest."""

    budget: Budget
    reservation: Reservation
    actual: Decimal
    attribution: dict[str, str]

    def run(self) -> None:
        self.budget.settle(self.reservation, self.actual, attribution=self.attribution)

    async def arun(self) -> None:
        await self.budget.asettle(self.reservation, self.actual, attribution=self.attribution)


@dataclass(frozen=True, slots=True)
class Release(Effect):
    """Free a reservation without charging."""

    budget: Budget
    reservation: Reservation

    def run(self) -> None:
        self.budget.release(self.reservation)

    async def arun(self) -> None:
        await self.budget.arelease(self.reservation)


@dataclass(frozen=True, slots=True)
class Call(Effect):
    """Call the providers: the decision's models in order, with retries, breakers and fallbacks."""

    executor: Executor
    request: ChatRequest
    candidates: tuple[str, ...]
    request_id: str

    def run(self) -> CallResult:
        return self.executor.call(self.request, self.candidates, request_id=self.request_id)

    async def arun(self) -> CallResult:
        return await self.executor.acall(self.request, self.candidates, request_id=self.request_id)


Plan = Generator[Effect, Any, T]


def drive(plan: Plan[T]) -> T:
    """Run a plan with blocking I/O."""
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            effect = plan.send(value) if error is None else plan.throw(error)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        value, error = None, None
        try:
            value = effect.run()
        except BaseException as exc:  # thrown into the plan, which decides
            error = exc


async def adrive(plan: Plan[T]) -> T:
    """Run a plan with async I/O (blocking I/O for clean-up after a cancellation)."""
    value: Any = None
    error: BaseException | None = None
    cancelled = False
    while True:
        try:
            effect = plan.send(value) if error is None else plan.throw(error)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        value, error = None, None
        try:
            value = effect.run() if cancelled else await effect.arun()
        except Exception as exc:
            error = exc
        except BaseException as exc:  # CancelledError, KeyboardInterrupt: finish clean-up blocking
            cancelled = True
            error = exc
