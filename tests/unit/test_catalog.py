from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from a3m_integrations.catalog import Catalog, tier_for_price
from a3m_integrations.errors import ConfigError, InvalidRequest
from a3m_integrations.types import TIERS


def test_shipped_catalog_is_valid_and_priced_in_decimal() -> None:
    cat = Catalog.default()
    assert len(cat) >= 10
    for m in cat:
        assert isinstance(m.input_per_1m, Decimal) and isinstance(m.output_per_1m, Decimal)
        assert m.tier in TIERS
        assert m.provider in cat.providers
        assert m.price_date and m.price_source
        assert m.max_output <= m.context_window
    assert {m.tier for m in cat} == set(TIERS)


def test_lookup_by_id_alias_and_wire_name() -> None:
    cat = Catalog.default()
    assert cat.model("openai/gpt-4o").name == "gpt-4o"
    assert cat.model("gpt-4o").id == "openai/gpt-4o"
    with pytest.raises(InvalidRequest, match="a3m models"):
        cat.model("no/such-model")


def test_cost_is_exact() -> None:
    m = Catalog.default().model("openai/gpt-4o")
    assert m.cost(1_000_000, 0) == m.input_per_1m
    assert m.cost(3, 7) == (3 * m.input_per_1m + 7 * m.output_per_1m) / Decimal(1_000_000)


def test_filters_sorted_cheapest_first() -> None:
    cat = Catalog.default()
    premium = cat.models(tier="premium", capabilities=["tools"])
    assert premium and all(m.tier == "premium" and m.supports("tools") for m in premium)
    assert [m.blended_per_1m for m in premium] == sorted(m.blended_per_1m for m in premium)
    with pytest.raises(InvalidRequest):
        cat.models(tier="gold")


def _write(tmp_path: Path, name: str, data: object) -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(data))
    return p


def test_override_updates_adds_and_disables(tmp_path: Path) -> None:
    override = _write(
        tmp_path,
        "mine.json",
        {
            "providers": {"acme": {"name": "Acme", "base_url": "http://127.0.0.1:9/v1", "api_key_env": "ACME_KEY"}},
            "models": [
                {"id": "openai/gpt-4o", "input_per_1m": "2.00"},
                {
                    "provider": "acme",
                    "name": "acme-1",
                    "tier": "cheap",
                    "input_per_1m": 0.1,
                    "output_per_1m": 0.2,
                    "context_window": 8000,
                    "max_output": 1000,
                    "capabilities": ["tools"],
                },
                {"id": "openai/gpt-4.1", "disabled": True},
            ],
        },
    )
    cat = Catalog.load(override)
    assert cat.model("openai/gpt-4o").input_per_1m == Decimal("2.00")
    assert cat.model("openai/gpt-4o").output_per_1m == Decimal("10.00")  # untouched field kept
    assert cat.model("acme/acme-1").tier == "cheap"
    assert "openai/gpt-4.1" not in cat


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (
            {
                "provider": "openai",
                "name": "x",
                "tier": "gold",
                "input_per_1m": 1,
                "output_per_1m": 1,
                "context_window": 10,
                "max_output": 5,
            },
            "tier",
        ),
        (
            {
                "provider": "openai",
                "name": "x",
                "tier": "mid",
                "input_per_1m": "abc",
                "output_per_1m": 1,
                "context_window": 10,
                "max_output": 5,
            },
            "input_per_1m",
        ),
        (
            {
                "provider": "openai",
                "name": "x",
                "tier": "mid",
                "input_per_1m": -1,
                "output_per_1m": 1,
                "context_window": 10,
                "max_output": 5,
            },
            "input_per_1m",
        ),
        (
            {
                "provider": "nope",
                "name": "x",
                "tier": "mid",
                "input_per_1m": 1,
                "output_per_1m": 1,
                "context_window": 10,
                "max_output": 5,
            },
            "provider",
        ),
        (
            {
                "provider": "openai",
                "name": "x",
                "tier": "mid",
                "input_per_1m": 1,
                "output_per_1m": 1,
                "context_window": 10,
            },
            "max_output",
        ),
        (
            {
                "provider": "openai",
                "name": "x",
                "tier": "mid",
                "input_per_1m": 1,
                "output_per_1m": 1,
                "context_window": 10,
                "max_output": 5,
                "capabilities": ["telepathy"],
            },
            "capabilities",
        ),
        (
            {
                "provider": "openai",
                "name": "x",
                "tier": "mid",
                "input_per_1m": 1,
                "output_per_1m": 1,
                "context_window": 10,
                "max_output": 5,
                "colour": "red",
            },
            "colour",
        ),
    ],
)
def test_invalid_entries_name_file_entry_and_field(tmp_path: Path, model: dict[str, object], field: str) -> None:
    path = _write(tmp_path, "bad.json", {"models": [model]})
    with pytest.raises(ConfigError) as err:
        Catalog.load(path)
    assert err.value.source == str(path)
    assert err.value.entry == f"{model['provider']}/x"
    assert err.value.field == field
    assert str(path) in str(err.value)


def test_unreadable_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        Catalog.load(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ConfigError, match="not valid"):
        Catalog.load(bad)
    with pytest.raises(ConfigError, match="unknown top-level"):
        Catalog.load(_write(tmp_path, "top.json", {"modelz": []}))


def test_yaml_override(tmp_path: Path) -> None:
    pytest.importorskip("yaml", reason="the yaml extra is installed by tasks.py; this guards a bare install")
    p = tmp_path / "mine.yaml"
    p.write_text("models:\n  - id: openai/gpt-4o\n    tier: mid\n")
    assert Catalog.load(p).model("openai/gpt-4o").tier == "mid"


def test_litellm_price_map_import(tmp_path: Path) -> None:
    prices = {
        "sample_spec": {"mode": "chat"},
        "acme-large": {
            "litellm_provider": "acme_ai",
            "mode": "chat",
            "input_cost_per_token": 3e-06,
            "output_cost_per_token": 1.5e-05,
            "max_input_tokens": 200000,
            "max_output_tokens": 8192,
            "supports_function_calling": True,
            "supports_vision": True,
        },
        "acme-embed": {"litellm_provider": "acme_ai", "mode": "embedding", "input_cost_per_token": 1e-07},
        "gpt-4o": {
            "litellm_provider": "openai",
            "mode": "chat",
            "input_cost_per_token": 9e-06,
            "output_cost_per_token": 9e-06,
            "max_input_tokens": 1000,
            "max_output_tokens": 100,
        },
    }
    cat = Catalog.load(litellm=_write(tmp_path, "litellm.json", prices))
    m = cat.model("acme-ai/acme-large")
    assert (m.input_per_1m, m.output_per_1m) == (Decimal("3"), Decimal("15"))
    assert m.tier == "premium" and m.supports("tools") and m.supports("vision")
    assert "acme-ai/acme-embed" not in cat
    assert cat.model("openai/gpt-4o").input_per_1m == Decimal("2.50")  # the catalog's own entry wins


def test_tier_for_price_cuts() -> None:
    assert tier_for_price(Decimal(0), Decimal(0)) == "free"
    assert tier_for_price(Decimal("0.15"), Decimal("0.60")) == "cheap"
    assert tier_for_price(Decimal("1"), Decimal("4")) == "mid"
    assert tier_for_price(Decimal("3"), Decimal("15")) == "premium"


def test_pools_resolve() -> None:
    cat = Catalog.default()
    assert cat.resolve(None)
    assert len(cat.resolve("all")) == len(cat)
    with pytest.raises(InvalidRequest, match="unknown pool"):
        cat.pool("nope")
