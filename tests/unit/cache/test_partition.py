from __future__ import annotations

import numpy as np
import pytest

from a3m_integrations.cache._index import IndexConfig, Partition


def unit(rows: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((rows, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_flat_search_finds_itself_and_skips_removed() -> None:
    p = Partition(32, IndexConfig(hnsw_threshold=1000))
    x = unit(50)
    p.add(np.arange(10, 60, dtype=np.int64), x)
    assert p.search(x[7], 1)[0][0] == 17
    assert p.remove(17) and not p.remove(17) and not p.remove(999)
    assert all(i != 17 for i, _ in p.search(x[7], 5))
    assert len(p) == 49


def test_switches_to_hnsw_and_back_and_compacts() -> None:
    p = Partition(32, IndexConfig(hnsw_threshold=40, hnsw_m=8, ef_construction=32, ef_search=32))
    x = unit(100, seed=1)
    p.add(np.arange(1, 31, dtype=np.int64), x[:30])
    assert p.kind == "flat"
    p.add(np.arange(31, 101, dtype=np.int64), x[30:])
    assert p.kind == "hnsw" and len(p) == 100
    hits = [p.search(x[i] + 0.01, 1)[0][0] for i in range(100)]
    assert sum(h == i + 1 for i, h in enumerate(hits)) >= 98  # near-duplicates are found
    for entry in range(1, 90):
        p.remove(entry)
    assert len(p) == 11 and p.kind == "flat" and p.n < 89  # shrunk to flat, dead rows dropped
    assert {i for i, _ in p.search(x[0], 20)} == set(range(90, 101))
    assert p.search(x[95], 1)[0][0] == 96


def test_ids_must_ascend() -> None:
    p = Partition(32, IndexConfig())
    p.add(np.array([5], dtype=np.int64), unit(1))
    with pytest.raises(ValueError, match="ascending"):
        p.add(np.array([3], dtype=np.int64), unit(1))


def test_removed_all_then_reused() -> None:
    p = Partition(32, IndexConfig())
    x = unit(3)
    p.add(np.array([1, 2, 3], dtype=np.int64), x)
    for i in (1, 2, 3):
        p.remove(i)
    assert p.search(x[0], 3) == []
    p.add(np.array([4], dtype=np.int64), x[:1])
    assert p.search(x[0], 3)[0][0] == 4
    assert p.memory_bytes() > 0
