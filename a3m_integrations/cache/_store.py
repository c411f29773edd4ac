"""SQLite storage of cache entries: the source of truth the in-memory indexes are rebuilt from.

One row per answer: exact key, semantic scope, namespace, the embedded text and its vector (float32
bytes), the answer as JSON, its cost in integer micro-dollars, and the times that drive TTL and
LRU. WAL journal with synchronous=NORMAL: every store is one transaction, so a crash loses at most
the last few stores and never leaves a half-written row. Not thread-safe on its own: the cache
holds its lock around every call.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Row", "Store"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    scope TEXT NOT NULL,
    namespace TEXT NOT NULL,
    route TEXT,
    text TEXT,
    sig TEXT,
    vector BLOB,
    answer_model TEXT NOT NULL,
    response TEXT NOT NULL,
    cost_micros INTEGER NOT NULL,
    created_at REAL NOT NULL,
    expires_at REAL,
    last_used REAL NOT NULL,
    hits INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS entries_scope ON entries (scope, id);
CREATE INDEX IF NOT EXISTS entries_sig ON entries (scope, sig) WHERE sig IS NOT NULL;
CREATE INDEX IF NOT EXISTS entries_namespace ON entries (namespace);
CREATE INDEX IF NOT EXISTS entries_expires ON entries (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS entries_last_used ON entries (last_used);
"""
SCHEMA_VERSION = "1"
_COLUMNS = "id, key, scope, namespace, text, answer_model, response, cost_micros, expires_at"


@dataclass(frozen=True, slots=True)
class Row:
    """One stored answer (without its vector)."""

    id: int
    key: str
    scope: str
    namespace: str
    text: str | None
    answer_model: str
    response: str
    cost_micros: int
    expires_at: float | None

    def expired(self, now: float) -> bool:
        """Whether the answer's TTL has run out."""
        return self.expires_at is not None and self.expires_at <= now


class Store:
    """The entries table on one SQLite connection (a file, or memory when `path` is None)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        target = ":memory:" if path is None else str(path)
        self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None, timeout=10.0)
        self._db.execute("PRAGMA busy_timeout = 10000")
        if path is not None:
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.executescript(_SCHEMA)
        version = self.get_meta("schema")
        if version is None:
            self.set_meta("schema", SCHEMA_VERSION)
        elif version != SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"cache schema {version} is not the supported version {SCHEMA_VERSION}")
        self._count = int(self._db.execute("SELECT COUNT(*) FROM entries").fetchone()[0])

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def check(self) -> str:
        """SQLite's quick_check result ("ok" when the file is sound)."""
        return str(self._db.execute("PRAGMA quick_check").fetchone()[0])

    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def count(self) -> int:
        """Number of entries (kept in memory; this connection is the only writer the cache assumes)."""
        return self._count

    def by_key(self, key: str) -> Row | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM entries WHERE key = ?", (key,)).fetchone()  # noqa: S608
        return None if row is None else Row(*row)

    def by_ids(self, ids: Sequence[int]) -> dict[int, Row]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._db.execute(f"SELECT {_COLUMNS} FROM entries WHERE id IN ({marks})", tuple(ids))  # noqa: S608
        return {r[0]: Row(*r) for r in rows}

    def ids_by_sig(self, scope: str, sig: str, limit: int) -> list[int]:
        """Newest entries of `scope` whose text signature key is `sig`."""
        rows = self._db.execute(
            "SELECT id FROM entries WHERE scope = ? AND sig = ? ORDER BY id DESC LIMIT ?", (scope, sig, limit)
        )
        return [int(r[0]) for r in rows]

    def texts(self) -> list[tuple[int, str]]:
        """(id, text) of every entry with a semantic text."""
        return [(int(i), str(t)) for i, t in self._db.execute("SELECT id, text FROM entries WHERE text IS NOT NULL")]

    def set_sigs(self, pairs: Sequence[tuple[int, str]]) -> None:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany("UPDATE entries SET sig = ? WHERE id = ?", [(s, i) for i, s in pairs])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def touch(self, entry_id: int, now: float) -> None:
        self._db.execute("UPDATE entries SET last_used = ?, hits = hits + 1 WHERE id = ?", (now, entry_id))

    def insert(
        self,
        *,
        key: str,
        scope: str,
        namespace: str,
        route: str | None,
        text: str | None,
        sig: str | None,
        vector: bytes | None,
        answer_model: str,
        response: str,
        cost_micros: int,
        now: float,
        expires_at: float | None,
        max_entries: int,
    ) -> tuple[int, list[tuple[int, str]], list[tuple[int, str]]]:
        """Insert (replacing an entry with the same key) in one transaction, evicting down to `max_entries`.

        Returns the new id, the (id, scope) rows removed by the replacement or by expiry, and the
        (id, scope) rows evicted as least recently used.
        """
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            removed = db.execute("SELECT id, scope FROM entries WHERE key = ?", (key,)).fetchall()
            removed += db.execute(
                "SELECT id, scope FROM entries WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT 1000", (now,)
            ).fetchall()
            removed = list(dict.fromkeys(removed))
            self._delete([r[0] for r in removed])
            cur = db.execute(
                "INSERT INTO entries (key, scope, namespace, route, text, sig, vector, answer_model, response,"
                " cost_micros, created_at, expires_at, last_used) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    scope,
                    namespace,
                    route,
                    text,
                    sig,
                    vector,
                    answer_model,
                    response,
                    cost_micros,
                    now,
                    expires_at,
                    now,
                ),
            )
            new_id = int(cur.lastrowid or 0)
            excess = self._count - len(removed) + 1 - max_entries
            evicted: list[tuple[int, str]] = []
            if excess > 0:
                evicted = db.execute(
                    "SELECT id, scope FROM entries WHERE id != ? ORDER BY last_used, id LIMIT ?", (new_id, excess)
                ).fetchall()
                self._delete([r[0] for r in evicted])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self._count += 1 - len(removed) - len(evicted)
        return new_id, [(int(i), str(s)) for i, s in removed], [(int(i), str(s)) for i, s in evicted]

    def _delete(self, ids: Sequence[int]) -> None:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            self._db.execute(f"DELETE FROM entries WHERE id IN ({','.join('?' * len(chunk))})", tuple(chunk))  # noqa: S608

    def delete(self, where: str, params: Sequence[object]) -> list[tuple[int, str]]:
        """Delete rows matching a fixed WHERE clause of this module's callers; returns their (id, scope)."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            rows = db.execute(f"SELECT id, scope FROM entries WHERE {where}", tuple(params)).fetchall()  # noqa: S608
            self._delete([r[0] for r in rows])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self._count -= len(rows)
        return [(int(i), str(s)) for i, s in rows]

    def vectors(self, now: float) -> Iterator[tuple[int, str, bytes]]:
        """(id, scope, vector) of every unexpired entry that has a vector, by scope then id."""
        yield from self._db.execute(
            "SELECT id, scope, vector FROM entries WHERE vector IS NOT NULL AND (expires_at IS NULL OR expires_at > ?)"
            " ORDER BY scope, id",
            (now,),
        )

    def texts_to_embed(self) -> list[tuple[int, str]]:
        """(id, text) of every entry with a vector, to re-embed after an embedder change."""
        return [(int(i), str(t)) for i, t in self._db.execute("SELECT id, text FROM entries WHERE vector IS NOT NULL")]

    def set_vectors(self, pairs: Sequence[tuple[int, bytes]]) -> None:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany("UPDATE entries SET vector = ? WHERE id = ?", [(v, i) for i, v in pairs])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
