"""The writes of one SQLite ledger transaction, held in memory and flushed just before COMMIT.

A group-commit batch runs many operations in one transaction. Each would otherwise issue its
own INSERT/UPDATE/DELETE statements; here they only record what to write, and `flush` writes
it all with one `executemany` per kind (counter deltas summed per counter). The transaction
holds SQLite's write lock throughout, so nothing else can observe or interleave with the
pending state; the ledger consults it where a read could otherwise miss a pending write
(reservations deleted or charges inserted earlier in the batch) and flushes before any query
that scans a table.
"""

from __future__ import annotations

import sqlite3
from typing import Any

__all__ = ["CHARGE_FIELDS", "PendingWrites"]

Counter = tuple[str, str, str]

CHARGE_FIELDS = (
    "reservation_id, ts, settled_at, cost, reserved, baseline, request_id, model, provider, tier, route, "
    "user, team, api_key_id, tags, input_tokens, output_tokens, status, extra"
)
_INSERT_RESERVATION = (
    "INSERT INTO reservations (id, amount, created, expires_at, status, meta, holds) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_SET_STATUS = "UPDATE reservations SET status = ?, expires_at = ? WHERE id = ?"
_DELETE_RESERVATION = "DELETE FROM reservations WHERE id = ?"
_ADD_COUNTER = (
    "UPDATE counters SET spent = spent + ?, reserved = reserved + ? WHERE scope = ? AND period = ? AND pkey = ?"
)
_INSERT_CHARGE = f"INSERT INTO charges ({CHARGE_FIELDS}, idem_key) VALUES ({', '.join('?' * 20)})"  # noqa: S608


class PendingWrites:
    """Rows to write when the current transaction commits; see the module docstring."""

    __slots__ = ("charge_ids", "charge_keys", "charges", "deletes", "deltas", "inserts", "statuses")

    def __init__(self) -> None:
        self.deltas: dict[Counter, list[int]] = {}  # counter -> [spent, reserved] to add
        self.inserts: dict[str, list[Any]] = {}  # reservation id -> its row, in column order
        self.statuses: dict[str, tuple[str, float]] = {}  # stored reservation id -> (status, expires_at)
        self.deletes: set[str] = set()  # stored reservation ids to delete
        self.charges: list[tuple[Any, ...]] = []
        self.charge_ids: set[str] = set()  # reservation ids of pending charges
        self.charge_keys: set[str] = set()  # idempotency keys of pending charges

    def __bool__(self) -> bool:
        return bool(self.deltas or self.inserts or self.statuses or self.deletes or self.charges)

    def clear(self) -> None:
        """Forget every pending write (the transaction rolled back or was flushed)."""
        self.deltas.clear()
        self.inserts.clear()
        self.statuses.clear()
        self.deletes.clear()
        self.charges.clear()
        self.charge_ids.clear()
        self.charge_keys.clear()

    def add(self, counter: Counter, spent: int, reserved: int) -> None:
        """Add to a stored counter."""
        delta = self.deltas.get(counter)
        if delta is None:
            self.deltas[counter] = [spent, reserved]
        else:
            delta[0] += spent
            delta[1] += reserved

    def insert_reservation(self, row: list[Any]) -> None:
        """Store a new reservation row (id, amount, created, expires_at, status, meta, holds)."""
        self.inserts[row[0]] = row

    def set_status(self, reservation_id: str, status: str, expires_at: float) -> None:
        """Change a reservation's status and lease end, pending or stored."""
        row = self.inserts.get(reservation_id)
        if row is not None:
            row[3], row[4] = expires_at, status
        else:
            self.statuses[reservation_id] = (status, expires_at)

    def delete_reservation(self, reservation_id: str) -> None:
        """Delete a reservation, pending or stored."""
        if self.inserts.pop(reservation_id, None) is None:
            self.statuses.pop(reservation_id, None)
            self.deletes.add(reservation_id)

    def insert_charge(self, values: tuple[Any, ...], reservation_id: str, idempotency_key: str | None) -> None:
        """Store a charge row (CHARGE_FIELDS then idem_key)."""
        self.charges.append(values)
        self.charge_ids.add(reservation_id)
        if idempotency_key is not None:
            self.charge_keys.add(idempotency_key)

    def has_charge(self, reservation_id: str, idempotency_key: str | None) -> bool:
        """Whether a pending charge settles `reservation_id` or used `idempotency_key`."""
        if reservation_id in self.charge_ids:
            return True
        return idempotency_key is not None and idempotency_key in self.charge_keys

    def flush(self, conn: sqlite3.Connection) -> None:
        """Write everything pending on `conn` (inside its transaction), then forget it."""
        if self.inserts:
            conn.executemany(_INSERT_RESERVATION, self.inserts.values())
            self.inserts.clear()
        if self.statuses:
            conn.executemany(_SET_STATUS, [(s, e, rid) for rid, (s, e) in self.statuses.items()])
            self.statuses.clear()
        if self.deletes:
            conn.executemany(_DELETE_RESERVATION, [(rid,) for rid in self.deletes])
            self.deletes.clear()
        if self.deltas:
            conn.executemany(_ADD_COUNTER, [(d[0], d[1], *c) for c, d in self.deltas.items() if d[0] or d[1]])
            self.deltas.clear()
        if self.charges:
            conn.executemany(_INSERT_CHARGE, self.charges)
            self.charges.clear()
            self.charge_ids.clear()
            self.charge_keys.clear()
