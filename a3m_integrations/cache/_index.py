"""Vector partitions on faiss: exact inner product (flat) while small, HNSW once large.

One partition holds the vectors of one semantic scope, so a search never sees another tenant,
model or setting. Positions in the faiss index map to entry ids through a sorted array (entry ids
grow, so `searchsorted` finds a position without a dictionary). Deletions clear a bit in a *live*
bitmap that faiss consults during search (`IDSelectorBitmap`); the index is rebuilt from its own
vectors once more than half of it is dead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from a3m_integrations.errors import ConfigError

if TYPE_CHECKING:
    import numpy as np

__all__ = ["IndexConfig", "Partition"]


@dataclass(frozen=True, slots=True)
class IndexConfig:
    """Index settings shared by every partition.

    Attributes:
        hnsw_threshold: live vectors at which a partition switches from flat to HNSW (and back below half).
        hnsw_m: HNSW graph degree (memory ~ 8 * m bytes per vector on top of the vector itself).
        ef_construction: HNSW build beam; higher builds slower and finds neighbours more surely.
        ef_search: HNSW search beam.
    """

    hnsw_threshold: int = 10_000
    hnsw_m: int = 16
    ef_construction: int = 80
    ef_search: int = 128

    def __post_init__(self) -> None:
        for name in ("hnsw_threshold", "hnsw_m", "ef_construction", "ef_search"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 2:
                raise ConfigError(f"{name} must be an integer >= 2, not {value!r}", field=name)


class Partition:
    """The vectors of one scope. Not thread-safe: the cache holds its lock around every call."""

    __slots__ = ("_cfg", "_ids", "_index", "_live", "dim", "kind", "n", "n_live")

    def __init__(self, dim: int, cfg: IndexConfig) -> None:
        import numpy as np

        self.dim = dim
        self._cfg = cfg
        self._ids = np.empty(16, dtype=np.int64)
        self._live = np.zeros(2, dtype=np.uint8)
        self.n = 0
        self.n_live = 0
        self.kind = "flat"
        self._index: Any = self._new_index("flat")

    def __len__(self) -> int:
        return self.n_live

    def _new_index(self, kind: str) -> Any:
        import faiss

        if kind == "flat":
            return faiss.IndexFlatIP(self.dim)
        index = faiss.IndexHNSWFlat(self.dim, self._cfg.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = self._cfg.ef_construction
        index.hnsw.efSearch = self._cfg.ef_search
        return index

    def _reserve(self, total: int) -> None:
        import numpy as np

        if total > len(self._ids):
            ids = np.empty(max(total, 2 * len(self._ids)), dtype=np.int64)
            ids[: self.n] = self._ids[: self.n]
            self._ids = ids
        need = (total + 7) // 8
        if need > len(self._live):
            live = np.zeros(max(need, 2 * len(self._live)), dtype=np.uint8)
            live[: len(self._live)] = self._live
            self._live = live

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Append vectors (unit rows, float32) under ascending entry ids larger than any held."""
        import numpy as np

        count = len(ids)
        if count == 0:
            return
        if self.n and int(ids[0]) <= int(self._ids[self.n - 1]):
            raise ValueError("partition ids must be added in ascending order")
        self._reserve(self.n + count)
        self._ids[self.n : self.n + count] = ids
        positions = np.arange(self.n, self.n + count)
        np.bitwise_or.at(self._live, positions >> 3, (1 << (positions & 7)).astype(np.uint8))
        self._index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        self.n += count
        self.n_live += count
        if self.kind == "flat" and self.n_live >= self._cfg.hnsw_threshold:
            self._rebuild("hnsw")

    def remove(self, entry_id: int) -> bool:
        """Forget one entry; False if it is not here."""
        import numpy as np

        pos = int(np.searchsorted(self._ids[: self.n], entry_id))
        if pos >= self.n or int(self._ids[pos]) != entry_id:
            return False
        byte, bit = pos >> 3, np.uint8(1 << (pos & 7))
        if not self._live[byte] & bit:
            return False
        self._live[byte] &= ~bit
        self.n_live -= 1
        if self.n_live == 0 or (self.kind == "hnsw" and self.n_live < self._cfg.hnsw_threshold // 2):
            self._rebuild("flat")
        elif self.n >= 64 and self.n_live * 2 < self.n:
            self._rebuild(self.kind)
        return True

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Up to `k` live (entry id, inner product) pairs, best first."""
        import faiss
        import numpy as np

        fa: Any = faiss  # the stubs shipped with faiss miss the search-parameter classes
        if self.n_live == 0:
            return []
        k = min(k, self.n_live)
        query = np.ascontiguousarray(vector, dtype=np.float32).reshape(1, self.dim)
        # One query is cheapest on one thread: faiss would otherwise split a flat scan over OpenMP
        # threads, and on a busy machine waiting for them costs milliseconds (measured in bench_cache).
        # The setting is per calling thread; it is restored for whoever uses faiss next on it.
        threads = fa.omp_get_max_threads()
        fa.omp_set_num_threads(1)
        try:
            if self.n_live == self.n:
                scores, positions = self._index.search(query, k)
            else:
                selector = fa.IDSelectorBitmap(len(self._live), fa.swig_ptr(self._live))
                if self.kind == "hnsw":
                    params = fa.SearchParametersHNSW(sel=selector, efSearch=self._cfg.ef_search)
                else:
                    params = fa.SearchParameters(sel=selector)
                scores, positions = self._index.search(query, k, params=params)
        finally:
            fa.omp_set_num_threads(threads)
        return [(int(self._ids[p]), float(s)) for p, s in zip(positions[0], scores[0]) if p >= 0 and p < self.n]

    def vector(self, entry_id: int) -> np.ndarray | None:
        """The stored vector of a live entry, or None."""
        import numpy as np

        pos = int(np.searchsorted(self._ids[: self.n], entry_id))
        if pos >= self.n or int(self._ids[pos]) != entry_id or not self._live[pos >> 3] & (1 << (pos & 7)):
            return None
        found: np.ndarray = self._index.reconstruct(pos)
        return found

    def _rebuild(self, kind: str) -> None:
        """Rebuild with only live vectors, as `kind`."""
        import numpy as np

        positions = np.flatnonzero(np.unpackbits(self._live, bitorder="little")[: self.n])
        vectors = self._index.reconstruct_n(0, self.n)[positions] if self.n else np.empty((0, self.dim), np.float32)
        ids = self._ids[positions].copy()
        self._index = self._new_index(kind)
        self.kind = kind
        self._ids = np.empty(max(16, len(ids)), dtype=np.int64)
        self._live = np.zeros(max(2, (len(ids) + 7) // 8), dtype=np.uint8)
        self.n = self.n_live = 0
        if len(ids):
            self._reserve(len(ids))
            self._ids[: len(ids)] = ids
            pos = np.arange(len(ids))
            np.bitwise_or.at(self._live, pos >> 3, (1 << (pos & 7)).astype(np.uint8))
            self._index.add(np.ascontiguousarray(vectors))
            self.n = self.n_live = len(ids)

    def memory_bytes(self) -> int:
        """Approximate bytes held: vectors, HNSW links, id map and bitmap."""
        links = self.n * self._cfg.hnsw_m * 2 * 4 * 1.07 if self.kind == "hnsw" else 0
        return int(self.n * self.dim * 4 + links + self._ids.nbytes + self._live.nbytes)
