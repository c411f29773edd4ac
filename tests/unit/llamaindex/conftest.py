"""Fixtures for the LlamaIndex unit tests: a catalog of test models, a cost tracker on the root dispatcher."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from a3m_integrations.catalog import Catalog
from llamaindex_a3m import A3MCostTracker

DEAD_BASE = "http://127.0.0.1:9/v1"  # nothing listens: these tests never call a provider


def test_catalog_data() -> dict[str, Any]:
    def model(name: str, tier: str, window: int, output: int, caps: list[str]) -> dict[str, Any]:
        return {
            "id": f"t/{name}",
            "provider": "t",
            "name": name,
            "tier": tier,
            "input_per_1m": "1",
            "output_per_1m": "2",
            "context_window": window,
            "max_output": output,
            "capabilities": caps,
            "price_date": "2025-01-01",
            "price_source": "test",
        }

    return {
        "providers": {"t": {"api": "openai", "base_url": DEAD_BASE, "api_key_env": "T_KEY"}},
        "models": [
            model("small", "cheap", 8000, 1000, ["json"]),
            model("big", "premium", 128000, 16000, ["tools", "json", "json_schema"]),
        ],
        "pools": {"default": ["t/small", "t/big"]},
    }


test_catalog_data.__test__ = False  # type: ignore[attr-defined]


@pytest.fixture
def catalog(monkeypatch: pytest.MonkeyPatch) -> Catalog:
    monkeypatch.setenv("T_KEY", "sk-test-not-used")
    return Catalog.load(test_catalog_data(), base=Catalog.empty())


@pytest.fixture
def tracker(catalog: Catalog) -> Iterator[A3MCostTracker]:
    with A3MCostTracker(catalog) as t:
        yield t
