"""SQLiteLedger: the default ledger, one SQLite file in WAL mode, safe across threads and processes.

- Every operation runs inside a `BEGIN IMMEDIATE` transaction, so a reservation is checked and
  held under all its limits while no other writer (thread or process) can interleave.
- One connection per ledger object and process. Threads share it through group commit
  (`_groupcommit.py`): concurrent operations run in one transaction, each all-or-nothing, and
  commit once. A forked child opens its own connection.
- Rows this connection read or wrote are cached while `PRAGMA data_version` shows no other
  connection committed; any other writer (another process) invalidates the cache.
- Writers in other processes are waited for with short jittered sleeps up to `timeout`
  seconds, then LedgerError. `synchronous=NORMAL` in WAL mode: a killed process loses nothing
  it committed; a power cut may lose the last commits but never corrupts the file
  (`synchronous="FULL"` trades speed for that too).
- Money is INTEGER micro-dollars. A file that is not a ledger, is corrupt or cannot be opened
  raises LedgerError; nothing is charged.
"""

from __future__ import annotations

import functools
import json
import math
import os
import random
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from a3m_integrations.budget._core import Counter, LedgerCore, ReservationRecord
from a3m_integrations.budget._groupcommit import GroupCommit, Slot
from a3m_integrations.budget._pending import CHARGE_FIELDS, PendingWrites
from a3m_integrations.budget.ledger import ChargeRow, Limit
from a3m_integrations.errors import A3MError, LedgerError

__all__ = ["DEFAULT_LEDGER_PATH", "SCHEMA_VERSION", "SQLiteLedger", "default_ledger_path"]

SCHEMA_VERSION = 1
#: Where the ledger lives unless told otherwise (A3M_LEDGER overrides it).
DEFAULT_LEDGER_PATH = Path("~/.a3m/ledger.sqlite3")
_ORPHANS: list[sqlite3.Connection] = []  # connections inherited across fork: never used, never closed

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (
    scope TEXT NOT NULL, period TEXT NOT NULL, pkey TEXT NOT NULL,
    spent INTEGER NOT NULL, reserved INTEGER NOT NULL,
    PRIMARY KEY (scope, period, pkey)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS reservations (
    id TEXT PRIMARY KEY, amount INTEGER NOT NULL, created REAL NOT NULL, expires_at REAL NOT NULL,
    status TEXT NOT NULL, meta TEXT NOT NULL, holds TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS charges (
    id INTEGER PRIMARY KEY, reservation_id TEXT NOT NULL UNIQUE, idem_key TEXT,
    ts REAL NOT NULL, settled_at REAL NOT NULL, cost INTEGER NOT NULL, reserved INTEGER NOT NULL,
    baseline INTEGER, request_id TEXT, model TEXT, provider TEXT, tier TEXT, route TEXT,
    user TEXT, team TEXT, api_key_id TEXT, tags TEXT, input_tokens INTEGER, output_tokens INTEGER,
    status TEXT NOT NULL, extra TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS charges_idem ON charges (idem_key) WHERE idem_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS charges_ts ON charges (ts);
CREATE TABLE IF NOT EXISTS alerts (
    scope TEXT NOT NULL, period TEXT NOT NULL, pkey TEXT NOT NULL, threshold TEXT NOT NULL,
    fired_at REAL NOT NULL, trigger TEXT NOT NULL,
    PRIMARY KEY (scope, period, pkey, threshold)) WITHOUT ROWID;
"""
_JSON = json.JSONEncoder(separators=(",", ":"))  # one encoder: json.dumps builds one per call with these options
_SEP = "\x1f"  # unit separator around each tag, so tag scopes match with instr()
#: WAL pages before a commit checkpoints (SQLite's default is 1,000): fewer, larger checkpoints,
#: each an fsync pair, keep the writers' path short; the WAL stays under about 10 MB.
_AUTOCHECKPOINT_PAGES = 10_000


def default_ledger_path() -> Path:
    """The ledger path: $A3M_LEDGER, else ~/.a3m/ledger.sqlite3."""
    return Path(os.environ.get("A3M_LEDGER") or DEFAULT_LEDGER_PATH).expanduser()


def _busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _id_used(reservation_id: str) -> LedgerError:
    return LedgerError(f"reservation id {reservation_id!r} is already used", hint="Use a fresh reservation id.")


@functools.lru_cache(maxsize=1024)
def _pack_limits(limits: tuple[Limit, ...]) -> str:
    return json.dumps(
        [[lim.scope, lim.period, lim.key, lim.start, lim.end, lim.cap, int(lim.hard)] for lim in limits],
        separators=(",", ":"),
    )


def _unpack_limits(text: str) -> tuple[Limit, ...]:
    return tuple(Limit(h[0], h[1], h[2], float(h[3]), float(h[4]), int(h[5]), bool(h[6])) for h in json.loads(text))


def _pack_tags(tags: Sequence[str]) -> str:
    return "".join(f"{_SEP}{t}{_SEP}" for t in tags)


def _unpack_tags(text: str | None) -> tuple[str, ...]:
    return tuple(t for t in (text or "").split(_SEP) if t)


_LEDGERS: weakref.WeakSet[SQLiteLedger] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for ledger in list(_LEDGERS):
        ledger._reset_locks()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class SQLiteLedger(GroupCommit, LedgerCore):
    """A ledger in one SQLite file (WAL). See the module docstring for its guarantees.

    Args:
        path: the file; created with its parent directory if missing (unless `readonly`).
            Default: $A3M_LEDGER or ~/.a3m/ledger.sqlite3.
        timeout: seconds to wait for other processes' writes before LedgerError.
        synchronous: "NORMAL" (default; safe against process crashes) or "FULL" (also power loss).
        readonly: open an existing file for reading only (reports); never creates or writes.
    """

    blocking = True

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        timeout: float = 10.0,
        synchronous: str = "NORMAL",
        readonly: bool = False,
    ) -> None:
        if synchronous.upper() not in ("NORMAL", "FULL"):
            raise LedgerError(f"synchronous must be NORMAL or FULL, not {synchronous!r}", hint="")
        self.path = Path(path).expanduser() if path is not None else default_ledger_path()
        self.timeout = float(timeout)
        self.readonly = readonly
        self._synchronous = synchronous.upper()
        self._lock = threading.Lock()
        self._init_group()
        # rows read or written by this connection; valid while PRAGMA data_version is unchanged
        self._data_version: int | None = None
        self._counter_cache: dict[Counter, list[int]] = {}
        self._res_cache: dict[str, list[Any]] = {}  # id -> [amount, created, expires_at, status]
        self._records: dict[str, tuple[dict[str, Any], tuple[Limit, ...]]] = {}  # id -> (meta, limits): immutable
        self._pending = PendingWrites()  # this transaction's writes, flushed before COMMIT
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        self._closed = False
        with self._lock:
            self._connection()
        _LEDGERS.add(self)

    def _reset_locks(self) -> None:
        """In a forked child: locks held by the parent's threads would never be released."""
        self._lock = threading.Lock()
        self._init_group()

    def __repr__(self) -> str:
        return f"SQLiteLedger({str(self.path)!r}{', readonly' if self.readonly else ''})"

    # ---- connection ----
    def _fail(self, what: str, exc: BaseException) -> LedgerError:
        detail = str(exc) or type(exc).__name__
        return LedgerError(f"ledger {self.path}: {what} ({detail})")

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise LedgerError(f"ledger {self.path} is closed", hint="Open a new SQLiteLedger.")
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        if self._conn is not None:  # inherited across fork: SQLite forbids using it, and closing
            _ORPHANS.append(self._conn)  # it could checkpoint the parent's WAL; keep it untouched
            self._conn = None
            self._drop_cache()
        try:
            if self.readonly:
                if not self.path.is_file():
                    raise LedgerError(f"no ledger at {self.path}", hint="Pass --ledger PATH or set A3M_LEDGER.")
                conn = sqlite3.connect(
                    f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=self.timeout,
                    isolation_level=None, check_same_thread=False,
                )  # fmt: skip
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(str(self.path), timeout=0.0, isolation_level=None, check_same_thread=False)
        except OSError as exc:
            raise self._fail("cannot open the file", exc) from exc
        except sqlite3.Error as exc:
            raise self._fail("cannot open the file", exc) from exc
        try:
            self._setup(conn)
        except LedgerError:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            raise self._fail("the file is not a usable ledger (corrupt, or not a SQLite database)", exc) from exc
        self._conn, self._pid = conn, os.getpid()
        return conn

    def _setup(self, conn: sqlite3.Connection) -> None:
        if self.readonly:
            conn.execute("PRAGMA query_only = ON")
            version = self._schema_version(conn)
            if version is None:
                raise LedgerError(f"{self.path} is not an a3m ledger (no schema)")
            return
        conn.execute("PRAGMA page_size = 1024")  # only takes effect on a new file: fewer bytes per commit
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                break
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.001 + random.random() * 0.004)
        if str(mode).lower() != "wal":
            raise LedgerError(f"ledger {self.path}: cannot switch to WAL mode (got {mode})")
        conn.execute(f"PRAGMA synchronous = {self._synchronous}")
        conn.execute(f"PRAGMA wal_autocheckpoint = {_AUTOCHECKPOINT_PAGES}")
        conn.execute("PRAGMA foreign_keys = OFF")
        with self._txn(conn):
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            version = self._schema_version(conn)
            if version is None:
                conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            elif version > SCHEMA_VERSION:
                raise LedgerError(
                    f"ledger {self.path} has schema version {version}; this a3m-integrations reads up to "
                    f"{SCHEMA_VERSION}",
                    hint="Upgrade a3m-integrations, or point A3M_LEDGER at another file.",
                )
        conn.execute("PRAGMA quick_check")

    @staticmethod
    def _schema_version(conn: sqlite3.Connection) -> int | None:
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return None
            raise
        return None if row is None else int(row[0])

    def _begin(self, conn: sqlite3.Connection) -> None:
        """Start a write transaction, waiting out other processes' writers up to `timeout`."""
        try:
            conn.execute("BEGIN" if self.readonly else "BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if not _busy(exc):
                raise
        deadline = time.monotonic() + self.timeout
        delay = 0.0002
        while True:
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.005)
            try:
                conn.execute("BEGIN" if self.readonly else "BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _busy(exc):
                    raise
                if time.monotonic() > deadline:
                    raise LedgerError(
                        f"ledger {self.path} stayed locked by another writer for {self.timeout:g} s",
                        hint="Nothing was charged. Another process holds the ledger; retry, or raise the timeout.",
                    ) from exc

    @contextmanager
    def _txn(self, conn: sqlite3.Connection) -> Iterator[None]:
        self._begin(conn)
        try:
            yield
        except BaseException:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _error(self, exc: BaseException) -> A3MError:
        if isinstance(exc, A3MError):
            return exc
        if isinstance(exc, sqlite3.Error):
            return self._fail("a database error stopped the operation; nothing was changed", exc)
        return self._fail("the operation failed; nothing was changed", exc)

    def _run_in_one(self, slots: list[Slot], *, alone: bool) -> bool:
        """Run `slots` in one transaction. False (rolled back) if an operation raised and not `alone`."""
        op_failed = False
        try:
            conn = self._connection()
            self._begin(conn)
            try:
                self._sync_cache(conn)
                results = []
                for slot in slots:
                    op_failed = True
                    results.append(slot.operation())
                    op_failed = False
                op_failed = True  # a batch whose writes fail: each operation is tried alone
                self._pending.flush(conn)
                op_failed = False
            except BaseException:
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except Exception as exc:
            if self._conn is not None and self._conn.in_transaction:  # e.g. a COMMIT that failed
                with suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
            self._drop_cache()
            if op_failed and not alone:
                return False
            failure = self._error(exc)
            for slot in slots:
                slot.error, slot.result = failure, None
            return True
        except BaseException:
            self._drop_cache()
            for slot in slots:
                slot.error, slot.result = LedgerError("the operation was interrupted; nothing was changed"), None
            raise
        for slot, result in zip(slots, results):
            slot.result = result
        return True

    # ---- a cache of rows this connection read or wrote, valid while no other connection commits ----
    def _sync_cache(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version or len(self._counter_cache) > 100_000:
            self._counter_cache.clear()
            self._res_cache.clear()
            self._data_version = version

    def _drop_cache(self) -> None:
        self._counter_cache.clear()
        self._res_cache.clear()
        self._pending.clear()
        self._data_version = None

    @property
    def _flushed(self) -> sqlite3.Connection:
        """The connection, after writing what is pending: for queries that scan tables."""
        assert self._conn is not None
        self._pending.flush(self._conn)
        return self._conn

    @property
    def _db(self) -> sqlite3.Connection:
        assert self._conn is not None
        return self._conn

    def integrity_check(self) -> str:
        """SQLite's `PRAGMA integrity_check` result ("ok" when the file is sound)."""
        with self._lock:
            try:
                rows = self._connection().execute("PRAGMA integrity_check").fetchall()
            except sqlite3.Error as exc:
                raise self._fail("integrity check failed to run", exc) from exc
        return "\n".join(str(r[0]) for r in rows)

    def close(self) -> None:
        """Close the connection (a no-op if already closed)."""
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None
            self._closed = True

    # ---- primitives ----
    def _get_counters(self, counters: Sequence[Counter]) -> dict[Counter, tuple[int, int]]:
        out = {}
        for counter in counters:
            state = self._counter_cache.get(counter)
            if state is None:
                row = self._db.execute(
                    "SELECT spent, reserved FROM counters WHERE scope = ? AND period = ? AND pkey = ?", counter
                ).fetchone()
                if row is None:
                    continue
                state = self._counter_cache[counter] = [int(row[0]), int(row[1])]
            out[counter] = (state[0], state[1])
        return out

    def _seed_spent(self, limit: Limit) -> int:
        where: list[str] = ["1"]
        args: list[float | str] = []
        if not math.isinf(limit.start):
            where.append("ts >= ?")
            args.append(limit.start)
        if not math.isinf(limit.end):
            where.append("ts < ?")
            args.append(limit.end)
        kind, _, ident = limit.scope.partition(":")
        column = {"user": "user", "team": "team", "key": "api_key_id", "route": "route"}.get(kind)
        if column is not None:
            where.append(f"{column} = ?")
            args.append(ident)
        elif kind == "tag":
            where.append("instr(tags, ?) > 0")
            args.append(f"{_SEP}{ident}{_SEP}")
        query = f"SELECT COALESCE(SUM(cost), 0) FROM charges WHERE {' AND '.join(where)}"  # noqa: S608 - fixed columns
        return int(self._flushed.execute(query, args).fetchone()[0])

    def _create_counter(self, counter: Counter, spent: int) -> None:
        self._db.execute(
            "INSERT INTO counters (scope, period, pkey, spent, reserved) VALUES (?, ?, ?, ?, 0)", (*counter, spent)
        )
        self._counter_cache[counter] = [spent, 0]

    def _add_counters(self, counters: Sequence[Counter], spent: int, reserved: int) -> dict[Counter, tuple[int, int]]:
        cache = self._counter_cache
        missing = [counter for counter in counters if counter not in cache]
        if missing:
            self._get_counters(missing)  # reads the stored ones into the cache
        out = {}
        for counter in counters:
            state = cache.get(counter)
            if state is None:  # no such counter
                continue
            state[0] += spent
            state[1] += reserved
            self._pending.add(counter, spent, reserved)
            out[counter] = (state[0], state[1])
        return out

    def _get_reservation(self, reservation_id: str) -> ReservationRecord | None:
        state = self._res_cache.get(reservation_id)
        cached = self._records.get(reservation_id)
        if state is None or cached is None:
            if reservation_id in self._pending.deletes:  # deleted earlier in this transaction
                return None
            row = self._db.execute(
                "SELECT amount, created, expires_at, status, meta, holds FROM reservations WHERE id = ?",
                (reservation_id,),
            ).fetchone()
            if row is None:
                return None
            state = self._res_cache[reservation_id] = [int(row[0]), float(row[1]), float(row[2]), row[3]]
            if cached is None:
                cached = (json.loads(row[4]), _unpack_limits(row[5]))
                self._remember(reservation_id, cached)
        return ReservationRecord(reservation_id, state[0], state[1], state[2], state[3], cached[0], cached[1])

    def _remember(self, reservation_id: str, value: tuple[dict[str, Any], tuple[Limit, ...]]) -> None:
        if len(self._records) > 100_000:  # a cache of immutable data; bounded (pending rows are only here)
            self._records = {rid: self._records[rid] for rid in self._pending.inserts if rid in self._records}
        self._records[reservation_id] = value

    def _insert_reservation(self, record: ReservationRecord) -> None:
        if record.id in self._res_cache or record.id in self._pending.inserts:
            raise _id_used(record.id)
        meta = dict(record.meta)
        self._pending.insert_reservation(
            [record.id, record.amount, record.created, record.expires_at, record.status,
             _JSON.encode(meta), _pack_limits(record.limits)]
        )  # fmt: skip
        self._remember(record.id, (meta, record.limits))
        self._res_cache[record.id] = [record.amount, record.created, record.expires_at, record.status]

    def _set_status(self, record: ReservationRecord) -> None:
        self._pending.set_status(record.id, record.status, record.expires_at)
        self._res_cache[record.id] = [record.amount, record.created, record.expires_at, record.status]

    def _delete_reservation(self, reservation_id: str) -> None:
        self._pending.delete_reservation(reservation_id)
        self._records.pop(reservation_id, None)
        self._res_cache.pop(reservation_id, None)

    def _min_open_expiry(self) -> float | None:
        row = self._flushed.execute("SELECT MIN(expires_at) FROM reservations WHERE status = 'open'").fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def _due(self, now: float) -> list[str]:
        rows = self._flushed.execute(
            "SELECT id FROM reservations WHERE status = 'open' AND expires_at < ?", (now,)
        ).fetchall()
        return [r[0] for r in rows]

    def _prune(self, before: float) -> None:
        self._flushed.execute("DELETE FROM reservations WHERE status != 'open' AND created < ?", (before,))
        self._res_cache.clear()

    def _charge_exists(self, reservation_id: str, idempotency_key: str | None) -> bool:
        if self._pending.has_charge(reservation_id, idempotency_key):
            return True
        if idempotency_key is None:
            row = self._db.execute("SELECT 1 FROM charges WHERE reservation_id = ?", (reservation_id,)).fetchone()
        else:
            row = self._db.execute(
                "SELECT 1 FROM charges WHERE reservation_id = ? OR idem_key = ?", (reservation_id, idempotency_key)
            ).fetchone()
        return row is not None

    def _insert_charge(self, values: tuple[Any, ...], idempotency_key: str | None) -> None:
        extra = values[18]
        self._pending.insert_charge(
            (*values[:14], _pack_tags(values[14]), *values[15:18], _JSON.encode(dict(extra)) if extra else None,
             idempotency_key),
            values[0],
            idempotency_key,
        )  # fmt: skip

    def _claim_alert(self, limit: Limit, key: str, now: float, trigger: str) -> bool:
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO alerts (scope, period, pkey, threshold, fired_at, trigger) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (*limit.counter, key, now, trigger),
        )
        return cursor.rowcount == 1

    def _count_open(self) -> int:
        return int(self._flushed.execute("SELECT COUNT(*) FROM reservations WHERE status = 'open'").fetchone()[0])

    def _iter_charges(self, since: float | None, until: float | None) -> Iterator[ChargeRow]:
        where: list[str] = ["1"]
        args: list[float] = []
        if since is not None:
            where.append("ts >= ?")
            args.append(since)
        if until is not None:
            where.append("ts < ?")
            args.append(until)
        query = f"SELECT {CHARGE_FIELDS} FROM charges WHERE {' AND '.join(where)} ORDER BY ts, id"  # noqa: S608
        for r in self._flushed.execute(query, args):
            yield ChargeRow(
                reservation_id=r[0], ts=float(r[1]), settled_at=float(r[2]), cost=int(r[3]), reserved=int(r[4]),
                baseline=None if r[5] is None else int(r[5]), request_id=r[6], model=r[7], provider=r[8],
                tier=r[9], route=r[10], user=r[11], team=r[12], api_key_id=r[13], tags=_unpack_tags(r[14]),
                input_tokens=r[15], output_tokens=r[16], status=r[17], extra=json.loads(r[18]) if r[18] else {},
            )  # fmt: skip
