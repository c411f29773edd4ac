"""The Ledger protocol: where reservations, charges and per-scope counters live.

A ledger knows nothing of configuration. Each call brings the `Limit`s that apply (scope,
period window, cap in micro-dollars, hard or soft) and the alert thresholds; the ledger applies
them atomically: `reserve` holds an amount under every limit or under none, `settle` charges
once per reservation (or idempotency key), `release` frees, `expire` frees reservations whose
lease ran out. Money is integer micro-dollars (1 USD = 1,000,000) throughout.

Two ledgers share one implementation of every decision (`LedgerCore`) and differ only in
storage: `SQLiteLedger` (one WAL file, safe across threads and processes) and `MemoryLedger`.
"""

from __future__ import annotations

import functools
import math
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from typing import Any, Protocol, runtime_checkable

from a3m_integrations.errors import InvalidRequest

__all__ = [
    "MICROS",
    "AlertHit",
    "ChargeRow",
    "Ledger",
    "Limit",
    "ReserveOutcome",
    "SettleOutcome",
    "Tally",
    "from_micros",
    "new_reservation_id",
    "scope_matches",
    "to_micros",
]

#: Micro-dollars per dollar.
MICROS = 1_000_000
_MICRO = Decimal("0.000001")
#: The largest amount accepted: $1e12 is 1e18 micro-dollars, inside SQLite's 64-bit integers.
MAX_DOLLARS = Decimal(10) ** 12


def to_micros(amount: Decimal | int | str | float, *, field: str = "amount") -> int:
    """USD -> integer micro-dollars, rounded up (a charge is never under-counted).

    Raises InvalidRequest for negative, NaN, infinite, non-numeric or absurdly large amounts.
    """
    if isinstance(amount, bool):
        raise InvalidRequest(f"{field} must be a number of dollars, not a bool", field=field)
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidRequest(f"{field} {amount!r} is not a number of dollars", field=field) from None
    if not value.is_finite():
        raise InvalidRequest(f"{field} must be a finite number of dollars, not {amount!r}", field=field)
    if value < 0:
        raise InvalidRequest(f"{field} cannot be negative ({value})", field=field)
    if value > MAX_DOLLARS:
        raise InvalidRequest(
            f"{field} {value} is beyond the largest amount a ledger holds (${MAX_DOLLARS})", field=field
        )
    return int((value / _MICRO).to_integral_value(rounding=ROUND_CEILING))


def from_micros(micros: int) -> Decimal:
    """Integer micro-dollars -> USD Decimal (exact)."""
    return Decimal(micros).scaleb(-6)


@dataclass(frozen=True, slots=True)
class Limit:
    """A cap that applies to a reservation: scope, period window, cap (micro-dollars), hard or soft."""

    scope: str  # "global", "user:u1", "team:eng", "key:k1", "tag:beta", "route:chat"
    period: str  # daily | weekly | monthly | total
    key: str  # the window's key: "2025-03-30", "2025-W13", "2025-03", "total"
    start: float  # window start, UTC epoch seconds (-inf for total)
    end: float  # window end (inf for total)
    cap: int
    hard: bool = True
    #: The counter this limit reads and writes: (scope, period, key).
    counter: tuple[str, str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "counter", (self.scope, self.period, self.key))


@dataclass(frozen=True, slots=True)
class Tally:
    """A counter's state for one limit: settled spend and open reservations (micro-dollars)."""

    limit: Limit
    spent: int
    reserved: int

    @property
    def committed(self) -> int:
        """Spend plus what is held for calls in flight."""
        return self.spent + self.reserved


@dataclass(frozen=True, slots=True)
class AlertHit:
    """A threshold crossed for the first time in a scope's period (recorded once, ever)."""

    limit: Limit
    threshold: float
    spent: int
    reserved: int
    trigger: str  # "spend": settled spend reached it; "soft_cap": a request was let over a soft
    # cap (the 100 % alert); "refused": a hard cap refused a request (once per period, its own key)


@dataclass(frozen=True, slots=True)
class ReserveOutcome:
    """What `reserve` did: accepted (with the new reservation's id), or the first hard limit that refused."""

    accepted: bool
    reservation_id: str | None = None
    refused: Tally | None = None
    alerts: tuple[AlertHit, ...] = ()


@dataclass(frozen=True, slots=True)
class SettleOutcome:
    """What `settle` did.

    status: "settled" (charged, reservation freed), "late" (charged after the reservation had
    been released or had expired), or "duplicate" (already settled; nothing charged).
    """

    status: str
    charged: int
    reserved: int
    alerts: tuple[AlertHit, ...] = ()


@dataclass(frozen=True, slots=True)
class ChargeRow:
    """One settled call, with its attribution, for reports."""

    reservation_id: str
    ts: float  # when the reservation was made (the call's period is decided by this)
    settled_at: float
    cost: int
    reserved: int
    baseline: int | None = None
    request_id: str | None = None
    model: str | None = None
    provider: str | None = None
    tier: str | None = None
    route: str | None = None
    user: str | None = None
    team: str | None = None
    api_key_id: str | None = None
    tags: tuple[str, ...] = ()
    input_tokens: int | None = None
    output_tokens: int | None = None
    status: str = "settled"
    extra: Mapping[str, Any] = field(default_factory=dict)


def scope_matches(scope: str, user: str | None, team: str | None, api_key_id: str | None,
                  route: str | None, tags: Sequence[str]) -> bool:  # fmt: skip
    """Whether a charge with this attribution counts toward `scope` (used to seed new counters)."""
    if scope == "global":
        return True
    kind, _, ident = scope.partition(":")
    if kind == "tag":
        return ident in tags
    return {"user": user, "team": team, "key": api_key_id, "route": route}.get(kind) == ident


def new_reservation_id() -> str:
    """A fresh reservation id: 32 hex digits, the time in ns then 64 random bits.

    Time-ordered, so the ledger's indexes grow at their end instead of at random pages.
    """
    return f"{time.time_ns():016x}{os.urandom(8).hex()}"


@functools.lru_cache(maxsize=4096)
def threshold_micros(cap: int, threshold: float) -> int:
    """The spend at which `threshold` (a fraction of `cap`) is reached, rounded up."""
    return math.ceil(Decimal(str(threshold)) * cap)


@runtime_checkable
class Ledger(Protocol):
    """Storage for budgets. Every method is atomic; amounts are integer micro-dollars.

    `blocking` tells async callers whether to run the methods in a worker thread.
    """

    blocking: bool

    def reserve(
        self,
        amount: int,
        limits: Sequence[Limit],
        *,
        now: float,
        expires_at: float,
        meta: Mapping[str, Any],
        thresholds: Sequence[float] = (),
    ) -> ReserveOutcome:
        """Hold `amount` under every limit, or under none if a hard limit would be crossed.

        The ledger names the reservation (a fresh time-ordered random id), so an id is never reused.
        """
        ...

    def settle(
        self,
        reservation_id: str,
        cost: int,
        *,
        now: float,
        idempotency_key: str | None = None,
        attribution: Mapping[str, Any] | None = None,
        thresholds: Sequence[float] = (),
    ) -> SettleOutcome:
        """Charge `cost` once and free the reservation; a repeat is a no-op ("duplicate").

        `idempotency_key` (optional) makes a settle a duplicate if any charge already used that key.
        """
        ...

    def release(self, reservation_id: str, *, now: float) -> bool:
        """Free an open reservation without charging; False if it was not open."""
        ...

    def extend(self, reservation_id: str, expires_at: float) -> bool:
        """Move an open reservation's lease end; False if it is not open."""
        ...

    def expire(self, now: float) -> int:
        """Free every open reservation whose lease ended before `now`; returns how many."""
        ...

    def tally(self, limit: Limit) -> Tally:
        """The counter for `limit` (spend and reserved), seeded from past charges if new."""
        ...

    def open_reservations(self) -> int:
        """How many reservations are open (held, not settled, released or expired)."""
        ...

    def charges(self, since: float | None = None, until: float | None = None) -> list[ChargeRow]:
        """Settled calls whose reservation time is in [since, until), oldest first."""
        ...

    def close(self) -> None:
        """Release resources; the ledger cannot be used afterwards."""
        ...
