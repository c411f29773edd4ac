"""Every ledger decision, written once over a few storage primitives.

`LedgerCore` implements the Ledger protocol: reserve (all limits or none), settle (once per
reservation or idempotency key), release, extend, expire, tally. A subclass supplies storage:
a transaction context and primitives that read and write counters, reservations, holds,
charges and alert claims. `MemoryLedger` and `SQLiteLedger` are such subclasses; neither holds
any budget logic of its own.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from a3m_integrations.budget.ledger import (
    AlertHit,
    ChargeRow,
    Limit,
    ReserveOutcome,
    SettleOutcome,
    Tally,
    new_reservation_id,
    threshold_micros,
)
from a3m_integrations.errors import InvalidRequest, LedgerError

__all__ = ["LedgerCore", "ReservationRecord", "charge_values"]

#: Released or expired reservations are kept this long (for late settles), then pruned.
RETENTION_SECONDS = 7 * 24 * 3600.0
T = TypeVar("T")
_CHARGE_COLUMNS = ("model", "provider", "tier", "route", "user", "team", "api_key_id")


Counter = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class ReservationRecord:
    """A stored reservation: amount, lease, status (open, released, expired), limits held, who it is for."""

    id: str
    amount: int
    created: float
    expires_at: float
    status: str
    meta: Mapping[str, Any]
    limits: tuple[Limit, ...]

    def with_status(self, status: str, expires_at: float | None = None) -> ReservationRecord:
        """A copy with another status (and lease end)."""
        end = self.expires_at if expires_at is None else expires_at
        return ReservationRecord(self.id, self.amount, self.created, end, status, self.meta, self.limits)


def _check_micros(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidRequest(f"{what} must be a non-negative integer of micro-dollars, not {value!r}", field=what)
    return value


def _int_or_none(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


_NOT_EXTRA = frozenset(
    (*_CHARGE_COLUMNS, "baseline_cost", "baseline_cost_micros", "input_tokens", "output_tokens", "tags", "request_id")
)


def charge_values(
    record: ReservationRecord, cost: int, now: float, attribution: Mapping[str, Any], late: bool
) -> tuple[Any, ...]:
    """The fields of the charge row for settling `record`, in ChargeRow order.

    Who (the scopes' owners) comes from the reservation, what from the attribution.
    """
    meta = record.meta
    get = attribution.get
    model, provider, tier, route, user, team, key = [
        str(value) if value else None for value in [meta.get(n) or get(n) for n in _CHARGE_COLUMNS]
    ]
    return (
        record.id, record.created, now, cost, record.amount, _int_or_none(get("baseline_cost_micros")),
        meta.get("request_id") or get("request_id"), model, provider, tier, route, user, team, key,
        tuple(meta.get("tags") or ()), _int_or_none(get("input_tokens")), _int_or_none(get("output_tokens")),
        "late" if late else "settled", {k: str(v) for k, v in attribution.items() if k not in _NOT_EXTRA},
    )  # fmt: skip


class LedgerCore(ABC):
    """The Ledger protocol over abstract storage; see the module docstring."""

    blocking = False

    # ---- storage primitives (called only inside `_atomic`) ----
    @abstractmethod
    def _atomic(self, operation: Callable[[], T]) -> T:
        """Run `operation` atomically: all its writes or none (rolled back if it raises)."""

    @abstractmethod
    def _get_counters(self, counters: Sequence[Counter]) -> dict[Counter, tuple[int, int]]:
        """(spent, reserved) of the counters that exist."""

    @abstractmethod
    def _seed_spent(self, limit: Limit) -> int:
        """Spend already charged to `limit`'s scope within its window (for a new counter)."""

    @abstractmethod
    def _create_counter(self, counter: Counter, spent: int) -> None: ...

    @abstractmethod
    def _add_counters(self, counters: Sequence[Counter], spent: int, reserved: int) -> dict[Counter, tuple[int, int]]:
        """Add to each existing counter; return their new (spent, reserved)."""

    @abstractmethod
    def _get_reservation(self, reservation_id: str) -> ReservationRecord | None: ...

    @abstractmethod
    def _insert_reservation(self, record: ReservationRecord) -> None:
        """Store a new reservation (its id is fresh: `new_reservation_id`)."""

    @abstractmethod
    def _set_status(self, record: ReservationRecord) -> None:
        """Store `record`'s new status and lease end."""

    @abstractmethod
    def _delete_reservation(self, reservation_id: str) -> None: ...

    @abstractmethod
    def _min_open_expiry(self) -> float | None: ...

    @abstractmethod
    def _due(self, now: float) -> list[str]:
        """Ids of open reservations whose lease ended before `now`."""

    @abstractmethod
    def _prune(self, before: float) -> None:
        """Drop released/expired reservations created before `before`."""

    @abstractmethod
    def _charge_exists(self, reservation_id: str, idempotency_key: str | None) -> bool: ...

    @abstractmethod
    def _insert_charge(self, values: tuple[Any, ...], idempotency_key: str | None) -> None:
        """Store a charge: `values` are ChargeRow's fields in order (see `charge_values`)."""

    @abstractmethod
    def _claim_alert(self, limit: Limit, key: str, now: float, trigger: str) -> bool:
        """Record an alert; True only the first time for (scope, period, period key, alert key)."""

    @abstractmethod
    def _count_open(self) -> int: ...

    @abstractmethod
    def _iter_charges(self, since: float | None, until: float | None) -> Iterator[ChargeRow]: ...

    @abstractmethod
    def close(self) -> None:
        """Release the storage; later calls raise LedgerError."""

    # ---- decisions ----
    def _tallies(self, limits: Sequence[Limit]) -> list[Tally]:
        states = self._get_counters([lim.counter for lim in limits]) if limits else {}
        out = []
        for lim in limits:
            state = states.get(lim.counter)
            if state is None:
                spent = self._seed_spent(lim)
                self._create_counter(lim.counter, spent)
                state = (spent, 0)
            out.append(Tally(lim, state[0], state[1]))
        return out

    def _free(self, record: ReservationRecord, status: str) -> None:
        if record.limits:
            self._add_counters([lim.counter for lim in record.limits], 0, -record.amount)
        self._set_status(record.with_status(status))

    def _expire_due(self, now: float) -> int:
        earliest = self._min_open_expiry()
        if earliest is None or earliest >= now:
            return 0
        count = 0
        for reservation_id in self._due(now):
            record = self._get_reservation(reservation_id)
            if record is not None and record.status == "open":
                self._free(record, "expired")
                count += 1
        return count

    def _claim(
        self, limit: Limit, thresholds: Sequence[float], tally: Tally, now: float, trigger: str
    ) -> list[AlertHit]:
        return [
            AlertHit(limit, t, tally.spent, tally.reserved, trigger)
            for t in thresholds
            if self._claim_alert(limit, "refused" if trigger == "refused" else repr(float(t)), now, trigger)
        ]

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
        """Hold `amount` under every limit, or none; see the Ledger protocol."""
        _check_micros(amount, "amount")
        limits = tuple(limits)
        if len({lim.counter for lim in limits}) != len(limits):
            raise InvalidRequest("each limit of a reservation must name a different counter", field="limits")
        hundred = [t for t in thresholds if t == 1.0]
        refusal_alert = [1.0] if thresholds else []  # its own key: the 100 % spend alert can still fire
        record = ReservationRecord(new_reservation_id(), amount, now, expires_at, "open", dict(meta), limits)

        def refusal(tallies: list[Tally]) -> Tally | None:
            for t in tallies:
                if t.limit.hard and (t.limit.cap == 0 or t.committed + amount > t.limit.cap):
                    return t
            return None

        def operation() -> ReserveOutcome:
            tallies = self._tallies(limits)
            refused = refusal(tallies)
            if refused is not None and self._expire_due(now):  # stale leases only matter when they block
                tallies = self._tallies(limits)
                refused = refusal(tallies)
            if refused is not None:
                hits = self._claim(refused.limit, refusal_alert, refused, now, "refused")
                return ReserveOutcome(False, None, refused, tuple(hits))
            self._insert_reservation(record)
            if limits:
                self._add_counters([lim.counter for lim in limits], 0, amount)
            alerts: list[AlertHit] = []
            for t in tallies:
                if not t.limit.hard and t.committed + amount > t.limit.cap:
                    after = Tally(t.limit, t.spent, t.reserved + amount)
                    alerts += self._claim(t.limit, hundred, after, now, "soft_cap")
            return ReserveOutcome(True, record.id, None, tuple(alerts))

        return self._atomic(operation)

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
        """Charge `cost` once and free the reservation; see the Ledger protocol."""
        _check_micros(cost, "cost")
        attribution = dict(attribution or {})
        lowest = min(thresholds) if thresholds and cost else None  # a zero cost crosses nothing

        def operation() -> SettleOutcome:
            record = self._get_reservation(reservation_id)
            # settling deletes the reservation and ids are never reused, so an existing reservation
            # has no charge yet; only a missing one or a caller's own key needs the charges checked
            if (record is None or idempotency_key is not None) and self._charge_exists(reservation_id, idempotency_key):
                if record is not None and record.status == "open":  # the key was charged by another call
                    self._free(record, "released")
                return SettleOutcome("duplicate", 0, 0)
            if record is None:
                raise LedgerError(
                    f"unknown reservation {reservation_id!r}: it was never made in this ledger, or it was "
                    "released or expired more than 7 days ago",
                    hint="Nothing was charged. Settle reservations with the ledger that made them.",
                )
            late = record.status != "open"
            alerts: list[AlertHit] = []
            if record.limits:
                delta = 0 if late else -record.amount
                after = self._add_counters([lim.counter for lim in record.limits], cost, delta)
                missing = [lim for lim in record.limits if lim.counter not in after]
                if missing:  # counters are never deleted; this only guards a hand-edited file
                    self._tallies(missing)
                    after.update(self._add_counters([lim.counter for lim in missing], cost, 0))
                for lim in record.limits:
                    spent, reserved = after[lim.counter]
                    if lowest is None or spent < threshold_micros(lim.cap, lowest):  # below every threshold
                        continue
                    crossed = [t for t in thresholds if spent - cost < threshold_micros(lim.cap, t) <= spent]
                    if crossed:
                        alerts += self._claim(lim, crossed, Tally(lim, spent, reserved), now, "spend")
            self._insert_charge(charge_values(record, cost, now, attribution, late), idempotency_key)
            self._delete_reservation(reservation_id)
            return SettleOutcome("late" if late else "settled", cost, record.amount, tuple(alerts))

        return self._atomic(operation)

    def release(self, reservation_id: str, *, now: float) -> bool:
        """Free an open reservation without charging."""

        def operation() -> bool:
            record = self._get_reservation(reservation_id)
            if record is None or record.status != "open":
                return False
            self._free(record, "released")
            return True

        return self._atomic(operation)

    def extend(self, reservation_id: str, expires_at: float) -> bool:
        """Move an open reservation's lease end."""

        def operation() -> bool:
            record = self._get_reservation(reservation_id)
            if record is None or record.status != "open":
                return False
            self._set_status(record.with_status("open", expires_at))
            return True

        return self._atomic(operation)

    def expire(self, now: float) -> int:
        """Free open reservations whose lease ended; prune old released/expired ones."""

        def operation() -> int:
            count = self._expire_due(now)
            self._prune(now - RETENTION_SECONDS)
            return count

        return self._atomic(operation)

    def tally(self, limit: Limit) -> Tally:
        """The counter for `limit`, seeded from past charges if new."""
        return self._atomic(lambda: self._tallies([limit])[0])

    def open_reservations(self) -> int:
        """How many reservations are open."""
        return self._atomic(self._count_open)

    def charges(self, since: float | None = None, until: float | None = None) -> list[ChargeRow]:
        """Settled calls reserved in [since, until), oldest first."""
        return self._atomic(lambda: list(self._iter_charges(since, until)))
