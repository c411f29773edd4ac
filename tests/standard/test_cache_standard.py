"""langchain-tests' cache suites, unmodified, against A3MSemanticCache (in memory and on disk)."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.caches import BaseCache
from langchain_tests.integration_tests.cache import AsyncCacheTestSuite, SyncCacheTestSuite

from langchain_a3m import A3MSemanticCache


class TestA3MSemanticCacheSync(SyncCacheTestSuite):
    @pytest.fixture
    def cache(self) -> BaseCache:
        return A3MSemanticCache()


class TestA3MSemanticCacheAsync(AsyncCacheTestSuite):
    @pytest.fixture
    async def cache(self) -> BaseCache:
        return A3MSemanticCache()


class TestA3MSemanticCacheSyncOnDisk(SyncCacheTestSuite):
    @pytest.fixture
    def cache(self, tmp_path: Path) -> BaseCache:
        return A3MSemanticCache(path=tmp_path / "lc-cache", raise_errors=True)
