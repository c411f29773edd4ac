"""Settlement: settle a reservation exactly once, however a call or stream ends.

A stream may end normally, be closed early, raise, be cancelled, or be dropped without being
closed. A Settlement is told the cost so far as chunks arrive (`add`/`update`) and settles once:

- `settle(actual)` / `await asettle(actual)` when the final usage is known;
- on `close()`, on leaving a `with` / `async with` block (also on an error or cancellation),
  with the cost so far: what the provider billed for what was streamed;
- when garbage-collected unsettled, with the cost so far, from a short-lived thread (a
  finalizer may run while the ledger's locks are held, so it never settles inline);
- if the process dies first, the reservation's lease expires in the ledger.

`release()` frees the reservation instead, for a call that never reached a provider.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import weakref
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from a3m_integrations.budget.ledger import to_micros

if TYPE_CHECKING:
    from a3m_integrations.budget.base import Reservation
    from a3m_integrations.budget.manager import BudgetManager

__all__ = ["Settlement"]

_log = logging.getLogger("a3m_integrations.budget")


class _State:
    """What the finalizer needs; holds no reference to the Settlement itself."""

    __slots__ = ("attribution", "budget", "cost", "done", "lock", "reservation")

    def __init__(self, budget: BudgetManager, reservation: Reservation, attribution: dict[str, Any]) -> None:
        self.budget = budget
        self.reservation = reservation
        self.attribution = attribution
        self.cost = Decimal(0)
        self.done = False
        self.lock = threading.Lock()

    def claim(self) -> bool:
        """True for the one caller that gets to settle or release."""
        with self.lock:
            if self.done:
                return False
            self.done = True
            return True


def _settle_abandoned(state: _State) -> None:
    if not state.claim():
        return
    attribution = {**state.attribution, "ended": "abandoned"}

    def run() -> None:
        try:
            state.budget.settle(state.reservation, state.cost, attribution=attribution)
        except Exception:
            _log.exception("settling abandoned reservation %s failed; its lease will expire", state.reservation.id)

    try:
        threading.Thread(target=run, name="a3m-settle", daemon=True).start()
    except RuntimeError:  # interpreter shutting down: no new threads, and no locks are held any more
        run()


class Settlement:
    """Settles one reservation exactly once; see the module docstring."""

    def __init__(
        self, budget: BudgetManager, reservation: Reservation, attribution: Mapping[str, Any] | None = None
    ) -> None:
        self._state = _State(budget, reservation, dict(attribution or {}))
        self._finalizer = weakref.finalize(self, _settle_abandoned, self._state)

    def __repr__(self) -> str:
        s = self._state
        return f"Settlement({s.reservation.id}, cost={s.cost}, done={s.done})"

    @property
    def reservation(self) -> Reservation:
        """The reservation being settled."""
        return self._state.reservation

    @property
    def cost(self) -> Decimal:
        """The cost so far (what will be charged if the call ends without a final figure)."""
        return self._state.cost

    @property
    def done(self) -> bool:
        """Whether the reservation was settled or released."""
        return self._state.done

    def update(self, cost_so_far: Decimal | int | str) -> None:
        """Set the cost so far (e.g. after each chunk, from the tokens received)."""
        to_micros(cost_so_far, field="cost")
        self._state.cost = Decimal(str(cost_so_far))

    def add(self, cost: Decimal | int | str) -> None:
        """Add to the cost so far."""
        to_micros(cost, field="cost")
        self._state.cost += Decimal(str(cost))

    def _finish(
        self, actual: Decimal | int | str | None, attribution: Mapping[str, Any]
    ) -> tuple[Decimal, dict[str, Any]] | None:
        if actual is not None:
            to_micros(actual, field="actual")
        if not self._state.claim():
            return None
        self._finalizer.detach()
        cost = self._state.cost if actual is None else Decimal(str(actual))
        return cost, {**self._state.attribution, **attribution}

    def settle(self, actual: Decimal | int | str | None = None, **attribution: Any) -> bool:
        """Charge `actual` (default: the cost so far). False if already settled or released."""
        work = self._finish(actual, attribution)
        if work is None:
            return False
        self._state.budget.settle(self._state.reservation, work[0], attribution=work[1])
        return True

    async def asettle(self, actual: Decimal | int | str | None = None, **attribution: Any) -> bool:
        """Async `settle`; completes even if the awaiting task is cancelled meanwhile."""
        work = self._finish(actual, attribution)
        if work is None:
            return False
        task = asyncio.ensure_future(self._state.budget.asettle(self._state.reservation, work[0], attribution=work[1]))
        await asyncio.shield(task)
        return True

    def release(self) -> bool:
        """Free the reservation without charging (the call never happened). False if already done."""
        if not self._state.claim():
            return False
        self._finalizer.detach()
        self._state.budget.release(self._state.reservation)
        return True

    def close(self) -> None:
        """Settle with the cost so far unless already settled or released."""
        self.settle(None, ended="closed")

    def __enter__(self) -> Settlement:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.settle(None, ended="error" if exc_type is not None else "closed")

    async def __aenter__(self) -> Settlement:
        return self

    async def __aexit__(self, exc_type: object, exc: object, tb: object) -> None:
        ended = "cancelled" if exc_type is asyncio.CancelledError else "error" if exc_type else "closed"
        await self.asettle(None, ended=ended)
