"""`SemanticCache`: the exact and semantic response cache (implements `ResponseCache`).

Lookup: exact key first (a SQLite primary-key read), then, if the request qualifies, the last user
turn is embedded and searched in its scope's faiss partition; every candidate above the route's
threshold must pass the guards (`guards.py`) before it is served. Store: one SQLite transaction
(replacing the same key, dropping expired rows, evicting least-recently-used ones past
`max_entries`), then the vector joins its partition. Async methods run the same code in a worker
thread. Every failure inside lookup/store surfaces as `CacheError`, so callers can treat a broken
cache as a miss.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from a3m_integrations.cache._index import IndexConfig, Partition
from a3m_integrations.cache._store import Row, Store
from a3m_integrations.cache._text import ANALYSER_VERSION, analyse
from a3m_integrations.cache.base import CacheHit, Embedder
from a3m_integrations.cache.embedders import as_embedder, embedder_id
from a3m_integrations.cache.guards import compare_signatures
from a3m_integrations.cache.keys import RequestKey, request_key
from a3m_integrations.cache.policy import RoutePolicy, cache_control, resolve_routes
from a3m_integrations.errors import A3MError, CacheError, ConfigError
from a3m_integrations.types import ChatRequest, ChatResponse, RequestContext

if TYPE_CHECKING:
    import numpy as np

__all__ = ["SemanticCache"]

_log = logging.getLogger("a3m_integrations.cache")
_MICRO = Decimal("0.000001")
_DB_FILE = "cache.sqlite3"


class SemanticCache:
    """Exact + semantic response cache on SQLite and faiss.

    Args:
        path: directory for the cache (created if missing; holds `cache.sqlite3`), or None to keep
            everything in memory.
        embedder: an `Embedder`, a LangChain `Embeddings` or a LlamaIndex `BaseEmbedding`;
            default `HashingEmbedder()` (offline, 384 dims).
        policy: the default `RoutePolicy` (threshold 0.92, strict guards, no TTL, per-user namespaces).
        routes: route name -> `RoutePolicy`, or a mapping of fields overriding `policy` for that route.
        max_entries: entries kept in total; the least recently used are evicted beyond it.
        hnsw_threshold: vectors in one scope at which its index turns from flat to HNSW.
        hnsw_m, ef_construction, ef_search: HNSW parameters.
        top_k: semantic candidates examined per lookup.
        on_corrupt: "reset" moves an unreadable database aside (`*.corrupt-<time>`) and starts empty;
            "raise" raises CacheError instead.
        clock: seconds since the epoch (injectable for tests).
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        embedder: Any = None,
        policy: RoutePolicy | None = None,
        routes: Mapping[str, RoutePolicy | Mapping[str, Any]] | None = None,
        max_entries: int = 100_000,
        hnsw_threshold: int = 10_000,
        hnsw_m: int = 16,
        ef_construction: int = 80,
        ef_search: int = 128,
        top_k: int = 4,
        on_corrupt: Literal["reset", "raise"] = "reset",
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not isinstance(max_entries, int) or max_entries < 1:
            raise ConfigError(f"max_entries must be a positive integer, not {max_entries!r}", field="max_entries")
        if not isinstance(top_k, int) or top_k < 1:
            raise ConfigError(f"top_k must be a positive integer, not {top_k!r}", field="top_k")
        if on_corrupt not in ("reset", "raise"):
            raise ConfigError("on_corrupt must be 'reset' or 'raise'", field="on_corrupt")
        self.policy = policy or RoutePolicy()
        self.routes = resolve_routes(self.policy, routes)
        self.embedder: Embedder = as_embedder(embedder)
        self.max_entries = max_entries
        self.top_k = top_k
        self.index_config = IndexConfig(hnsw_threshold, hnsw_m, ef_construction, ef_search)
        self._clock = clock
        self._lock = threading.RLock()
        self._partitions: dict[str, Partition] = {}
        self._stats: Counter[str] = Counter()
        self._rejections: Counter[str] = Counter()
        self._dir = None if path is None else Path(path)
        self._persist_vectors = self._dir is not None
        self._store = self._open(on_corrupt)
        with self._errors("open"):
            self._load()

    # ----------------------------------------------------------------- opening

    def _open(self, on_corrupt: str) -> Store:
        if self._dir is None:
            return Store(None)
        try:
            self._dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CacheError(f"cannot create the cache directory {self._dir}: {exc.strerror or exc}") from exc
        db_path = self._dir / _DB_FILE
        try:
            store = Store(db_path)
            status = store.check()
            if status != "ok":
                store.close()
                raise sqlite3.DatabaseError(f"integrity check failed: {status[:200]}")
            return store
        except sqlite3.Error as exc:
            if on_corrupt == "raise" or not db_path.exists():
                raise CacheError(f"cannot open the cache database {db_path}: {exc}") from exc
            aside = db_path.with_name(f"{db_path.name}.corrupt-{int(time.time())}")
            _log.warning("cache database %s is unreadable (%s); moved aside to %s", db_path, exc, aside)
            try:
                shutil.move(str(db_path), str(aside))
                for suffix in ("-wal", "-shm"):
                    side = db_path.with_name(db_path.name + suffix)
                    if side.exists():
                        shutil.move(str(side), str(aside) + suffix)
                return Store(db_path)
            except (OSError, sqlite3.Error) as again:
                raise CacheError(f"cannot reset the corrupt cache database {db_path}: {again}") from again

    def _load(self) -> None:
        """Re-embed if the embedder changed, then rebuild the partitions from stored vectors."""
        import numpy as np

        ident = embedder_id(self.embedder)
        stored = self._store.get_meta("embedder")
        if stored is not None and stored != ident:
            pending = self._store.texts_to_embed()
            _log.info("cache embedder changed (%s -> %s): re-embedding %d entries", stored, ident, len(pending))
            for start in range(0, len(pending), 256):
                batch = pending[start : start + 256]
                vectors = self.embedder.embed([t for _, t in batch])
                self._store.set_vectors([(i, v.tobytes()) for (i, _), v in zip(batch, vectors)])
        self._store.set_meta("embedder", ident)
        if self._store.get_meta("analyser") != ANALYSER_VERSION:
            self._store.set_sigs([(i, analyse(t).key()) for i, t in self._store.texts()])
            self._store.set_meta("analyser", ANALYSER_VERSION)
        dim = self.embedder.dim
        scope: str | None = None
        ids: list[int] = []
        blobs: list[bytes] = []

        def flush() -> None:
            if scope is not None and ids:
                matrix = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(ids), dim)
                self._partition(scope).add(np.asarray(ids, dtype=np.int64), matrix)

        for entry_id, entry_scope, blob in self._store.vectors(self._clock()):
            if entry_scope != scope:
                flush()
                scope, ids, blobs = entry_scope, [], []
            if len(blob) == dim * 4:
                ids.append(entry_id)
                blobs.append(blob)
        flush()

    # ----------------------------------------------------------------- helpers

    def policy_for(self, route: str | None) -> RoutePolicy:
        """The policy of `route` (the default policy when the route has none)."""
        return self.routes.get(route, self.policy) if route else self.policy

    def _partition(self, scope: str) -> Partition:
        part = self._partitions.get(scope)
        if part is None:
            part = self._partitions[scope] = Partition(self.embedder.dim, self.index_config)
        return part

    def _forget(self, rows: list[tuple[int, str]]) -> None:
        for entry_id, scope in rows:
            part = self._partitions.get(scope)
            if part is not None and part.remove(entry_id) and len(part) == 0:
                del self._partitions[scope]

    @contextmanager
    def _errors(self, op: str) -> Iterator[None]:
        try:
            yield
        except CacheError:
            self._stats["errors"] += 1
            raise
        except A3MError as exc:
            self._stats["errors"] += 1
            raise CacheError(f"cache {op} failed: {exc.message}") from exc
        except sqlite3.Error as exc:
            self._stats["errors"] += 1
            raise CacheError(f"cache {op} failed: SQLite: {str(exc)[:200]}") from exc
        except OSError as exc:
            self._stats["errors"] += 1
            raise CacheError(f"cache {op} failed: {exc.strerror or type(exc).__name__}") from exc
        except Exception as exc:  # the embedder, faiss or numpy: map at this one boundary
            self._stats["errors"] += 1
            raise CacheError(f"cache {op} failed: {type(exc).__name__}") from exc

    def _embed(self, text: str) -> np.ndarray:
        vectors = self.embedder.embed([text])
        first: np.ndarray = vectors[0]
        return first

    def _hit(self, row: Row, level: Literal["exact", "semantic"], similarity: float, now: float) -> CacheHit:
        self._store.touch(row.id, now)
        stored = ChatResponse.from_dict(json.loads(row.response))
        saved = Decimal(row.cost_micros) * _MICRO
        meta = {**stored.metadata, "cache": {"level": level, "similarity": round(similarity, 6), "key": row.key}}
        response = stored.replace(cache_hit=True, cost=Decimal(0), saved_cost=saved, metadata=meta)
        self._stats[f"hits_{level}"] += 1
        return CacheHit(response=response, level=level, similarity=similarity, key=row.key, saved_cost=saved)

    # ----------------------------------------------------------------- lookup

    def lookup(self, request: ChatRequest, context: RequestContext, *, model: str | None = None) -> CacheHit | None:
        """A stored answer for this request, or None.

        `model`, when given, is the model the gateway will use: only answers that model produced are served.
        """
        with self._errors("lookup"):
            policy = self.policy_for(context.route)
            allowed = policy.allows_temperature(request.temperature)
            if not (policy.enabled and allowed and cache_control(context).lookup):
                self._stats["bypassed"] += 1
                return None
            key = request_key(request, context, policy)
            now = self._clock()
            with self._lock:
                row = self._store.by_key(key.exact)
                if row is not None and row.expired(now):
                    self._expire([row])
                    row = None
                if row is not None and (model is None or row.answer_model == model):
                    return self._hit(row, "exact", 1.0, now)
                if key.text is None or key.scope not in self._partitions:
                    self._stats["misses"] += 1
                    return None
            hit = self._semantic_lookup(key, policy, model, now)
            if hit is None:
                self._stats["misses"] += 1
            return hit

    def _semantic_lookup(self, key: RequestKey, policy: RoutePolicy, model: str | None, now: float) -> CacheHit | None:
        assert key.text is not None
        vector = self._embed(key.text)
        query = analyse(key.text)
        with self._lock:
            part = self._partitions.get(key.scope)
            if part is None:
                return None
            scores = dict(part.search(vector, self.top_k))
            # Entries whose analysed text matches on every strict facet are candidates even when the
            # approximate search missed them (HNSW recall on sparse hashed vectors is not 100%).
            for entry_id in self._store.ids_by_sig(key.scope, query.key(), self.top_k):
                if entry_id not in scores:
                    stored = part.vector(entry_id)
                    if stored is not None:
                        scores[entry_id] = float(stored @ vector)
            found = sorted(((i, s) for i, s in scores.items() if s >= policy.threshold), key=lambda p: -p[1])
            rows = self._store.by_ids([i for i, _ in found])
        for entry_id, score in found:
            row = rows.get(entry_id)
            if row is None or row.text is None:
                continue
            if row.expired(now):
                with self._lock:
                    self._expire([row])
                continue
            if model is not None and row.answer_model != model:
                self._rejections["model"] += 1
                continue
            reason = compare_signatures(query, analyse(row.text), policy.guard)
            if reason is not None:
                self._rejections[reason] += 1
                continue
            with self._lock:
                if self._store.by_ids([entry_id]):
                    return self._hit(row, "semantic", score, now)
        return None

    def _expire(self, rows: list[Row]) -> None:
        removed = self._store.delete(f"id IN ({','.join('?' * len(rows))})", [r.id for r in rows])
        self._forget(removed)
        self._stats["expired"] += len(removed)

    # ----------------------------------------------------------------- store

    def store(self, request: ChatRequest, context: RequestContext, response: ChatResponse) -> None:
        """Store an answer for this request (replacing any answer under the same exact key).

        Not stored: replayed cache hits, empty answers, requests the route or the request's
        `metadata["cache"]` keeps out of the cache. Answers that call tools are stored for exact
        hits only: their arguments come from the exact wording.
        """
        with self._errors("store"):
            policy = self.policy_for(context.route)
            allowed = policy.allows_temperature(request.temperature)
            if not (policy.enabled and allowed and cache_control(context).store):
                self._stats["bypassed"] += 1
                return
            if response.cache_hit or not (response.message.text.strip() or response.message.tool_calls):
                return
            key = request_key(request, context, policy)
            vector = None
            if key.text is not None and not response.message.tool_calls:
                vector = self._embed(key.text)
            stored = response.replace(cache_hit=False, saved_cost=Decimal(0))
            micros = int((response.cost / _MICRO).to_integral_value(rounding=ROUND_HALF_UP))
            now = self._clock()
            with self._lock:
                new_id, removed, evicted = self._store.insert(
                    key=key.exact,
                    scope=key.scope,
                    namespace=key.namespace,
                    route=key.route,
                    text=key.text if vector is not None else None,
                    sig=analyse(key.text).key() if vector is not None and key.text is not None else None,
                    vector=vector.tobytes() if vector is not None and self._persist_vectors else None,
                    answer_model=response.model,
                    response=json.dumps(stored.to_dict(), ensure_ascii=False, default=str),
                    cost_micros=micros,
                    now=now,
                    expires_at=None if policy.ttl is None else now + policy.ttl,
                    max_entries=self.max_entries,
                )
                self._forget(removed)
                self._forget(evicted)
                self._stats["evicted"] += len(evicted)
                self._stats["stores"] += 1
                if vector is not None:
                    import numpy as np

                    self._partition(key.scope).add(np.asarray([new_id], dtype=np.int64), vector.reshape(1, -1))

    async def alookup(
        self, request: ChatRequest, context: RequestContext, *, model: str | None = None
    ) -> CacheHit | None:
        """Async `lookup` (the same code, in a worker thread)."""
        return await asyncio.to_thread(self.lookup, request, context, model=model)

    async def astore(self, request: ChatRequest, context: RequestContext, response: ChatResponse) -> None:
        """Async `store` (the same code, in a worker thread)."""
        await asyncio.to_thread(self.store, request, context, response)

    # ----------------------------------------------------------------- maintenance

    def delete(self, key: str) -> bool:
        """Delete the entry with this exact key (`CacheHit.key`); False if there was none."""
        with self._errors("delete"), self._lock:
            removed = self._store.delete("key = ?", [key])
            self._forget(removed)
            return bool(removed)

    def invalidate(self, request: ChatRequest, context: RequestContext) -> bool:
        """Delete the answer stored for exactly this request; False if there was none."""
        with self._errors("delete"):
            key = request_key(request, context, self.policy_for(context.route))
        return self.delete(key.exact)

    def clear(self, namespace: str | None = None) -> int:
        """Delete every entry (or those of one namespace, as `keys.namespace_for` spells it); returns the count."""
        with self._errors("clear"), self._lock:
            if namespace is None:
                removed = self._store.delete("1 = 1", [])
                self._partitions.clear()
            else:
                removed = self._store.delete("namespace = ?", [namespace])
                self._forget(removed)
            return len(removed)

    def purge_expired(self) -> int:
        """Delete every expired entry now (lookups and stores also drop them as they meet them)."""
        with self._errors("purge"), self._lock:
            removed = self._store.delete("expires_at IS NOT NULL AND expires_at <= ?", [self._clock()])
            self._forget(removed)
            self._stats["expired"] += len(removed)
            return len(removed)

    async def aclear(self, namespace: str | None = None) -> int:
        """Async `clear`."""
        return await asyncio.to_thread(self.clear, namespace)

    def __len__(self) -> int:
        return self._store.count()

    def stats(self) -> dict[str, Any]:
        """Counters (hits by level, misses, stores, evictions, guard rejections by reason) and index sizes."""
        with self._lock:
            kinds = Counter(p.kind for p in self._partitions.values())
            return {
                "entries": self._store.count(),
                "hits_exact": self._stats["hits_exact"],
                "hits_semantic": self._stats["hits_semantic"],
                "misses": self._stats["misses"],
                "stores": self._stats["stores"],
                "evicted": self._stats["evicted"],
                "expired": self._stats["expired"],
                "bypassed": self._stats["bypassed"],
                "errors": self._stats["errors"],
                "rejected": dict(self._rejections),
                "partitions": len(self._partitions),
                "partitions_by_kind": dict(kinds),
                "vectors": sum(len(p) for p in self._partitions.values()),
                "index_bytes": sum(p.memory_bytes() for p in self._partitions.values()),
                "embedder": embedder_id(self.embedder),
            }

    def close(self) -> None:
        """Close the database (every store is already committed)."""
        with self._lock:
            self._store.close()

    def __enter__(self) -> SemanticCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        where = str(self._dir) if self._dir else "memory"
        return f"SemanticCache({where!r}, entries={len(self)}, embedder={embedder_id(self.embedder)!r})"
