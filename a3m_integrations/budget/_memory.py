"""MemoryLedger: the ledger in process memory, for tests and single-process use.

Same decisions as SQLiteLedger (both are `LedgerCore`); a lock makes every operation atomic
across threads, and an undo journal restores the state if an operation fails midway.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from a3m_integrations.budget._core import Counter, LedgerCore, ReservationRecord
from a3m_integrations.budget.ledger import ChargeRow, Limit, scope_matches
from a3m_integrations.errors import LedgerError

__all__ = ["MemoryLedger"]

T = TypeVar("T")


class MemoryLedger(LedgerCore):
    """A ledger held in memory; lost when the process ends."""

    blocking = False

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._counters: dict[Counter, list[int]] = {}
        self._reservations: dict[str, ReservationRecord] = {}
        self._charges: list[ChargeRow] = []
        self._charge_ids: set[str] = set()
        self._idempotency_keys: set[str] = set()
        self._alerts: set[tuple[str, str, str, str]] = set()
        self._closed = False
        self._undo: list[Callable[[], None]] = []

    def __repr__(self) -> str:
        return f"MemoryLedger(reservations={len(self._reservations)}, charges={len(self._charges)})"

    def _atomic(self, operation: Callable[[], T]) -> T:
        with self._lock:
            if self._closed:
                raise LedgerError("the ledger is closed", hint="Create a new ledger.")
            self._undo = []
            try:
                return operation()
            except BaseException:
                for undo in reversed(self._undo):
                    undo()
                raise
            finally:
                self._undo = []

    def _get_counters(self, counters: Sequence[Counter]) -> dict[Counter, tuple[int, int]]:
        out = {}
        for counter in counters:
            state = self._counters.get(counter)
            if state is not None:
                out[counter] = (state[0], state[1])
        return out

    def _seed_spent(self, limit: Limit) -> int:
        return sum(
            c.cost
            for c in self._charges
            if limit.start <= c.ts < limit.end
            and scope_matches(limit.scope, c.user, c.team, c.api_key_id, c.route, c.tags)
        )

    def _create_counter(self, counter: Counter, spent: int) -> None:
        self._counters[counter] = [spent, 0]
        self._undo.append(lambda: self._forget_counter(counter))

    def _forget_counter(self, counter: Counter) -> None:
        self._counters.pop(counter, None)

    def _add_counters(self, counters: Sequence[Counter], spent: int, reserved: int) -> dict[Counter, tuple[int, int]]:
        out = {}
        for counter in counters:
            state = self._counters.get(counter)
            if state is None:
                continue
            state[0] += spent
            state[1] += reserved
            out[counter] = (state[0], state[1])
            self._undo.append(self._unadder(state, spent, reserved))
        return out

    @staticmethod
    def _unadder(state: list[int], spent: int, reserved: int) -> Callable[[], None]:
        def undo() -> None:
            state[0] -= spent
            state[1] -= reserved

        return undo

    def _get_reservation(self, reservation_id: str) -> ReservationRecord | None:
        return self._reservations.get(reservation_id)

    def _insert_reservation(self, record: ReservationRecord) -> None:
        if record.id in self._reservations:
            raise LedgerError(f"reservation id {record.id!r} is already used", hint="Use a fresh reservation id.")
        self._reservations[record.id] = record
        self._undo.append(lambda: self._drop(record.id))

    def _drop(self, reservation_id: str) -> None:
        self._reservations.pop(reservation_id, None)

    def _set_status(self, record: ReservationRecord) -> None:
        old = self._reservations[record.id]
        self._reservations[record.id] = record
        self._undo.append(lambda: self._reservations.__setitem__(record.id, old))

    def _delete_reservation(self, reservation_id: str) -> None:
        record = self._reservations.pop(reservation_id, None)
        if record is not None:
            self._undo.append(lambda: self._reservations.__setitem__(reservation_id, record))

    def _min_open_expiry(self) -> float | None:
        return min((r.expires_at for r in self._reservations.values() if r.status == "open"), default=None)

    def _due(self, now: float) -> list[str]:
        return [r.id for r in self._reservations.values() if r.status == "open" and r.expires_at < now]

    def _prune(self, before: float) -> None:
        for r in list(self._reservations.values()):
            if r.status != "open" and r.created < before:
                self._delete_reservation(r.id)

    def _charge_exists(self, reservation_id: str, idempotency_key: str | None) -> bool:
        return reservation_id in self._charge_ids or (
            idempotency_key is not None and idempotency_key in self._idempotency_keys
        )

    def _insert_charge(self, values: tuple[Any, ...], idempotency_key: str | None) -> None:
        row = ChargeRow(*values)
        self._charges.append(row)
        self._charge_ids.add(row.reservation_id)
        if idempotency_key is not None:
            self._idempotency_keys.add(idempotency_key)

        def undo() -> None:
            self._charges.remove(row)
            self._charge_ids.discard(row.reservation_id)
            if idempotency_key is not None:
                self._idempotency_keys.discard(idempotency_key)

        self._undo.append(undo)

    def _claim_alert(self, limit: Limit, key: str, now: float, trigger: str) -> bool:
        claim = (*limit.counter, key)
        if claim in self._alerts:
            return False
        self._alerts.add(claim)
        self._undo.append(lambda: self._alerts.discard(claim))
        return True

    def _count_open(self) -> int:
        return sum(1 for r in self._reservations.values() if r.status == "open")

    def _iter_charges(self, since: float | None, until: float | None) -> Iterator[ChargeRow]:
        for c in sorted(self._charges, key=lambda c: (c.ts, c.settled_at)):
            if (since is None or c.ts >= since) and (until is None or c.ts < until):
                yield c

    def close(self) -> None:
        """Mark closed; later calls raise LedgerError."""
        with self._lock:
            self._closed = True
