"""A gateway over the loopback wire server with a cheap and a premium model, for the LangChain tests.

Shared by the integration tests, the standard suite and the LangChain benchmark. The provider is
registered with an explicit key (`WIRE_LC_KEY`), so tests can check the key never leaks.
"""

from __future__ import annotations

from typing import Any

from a3m_integrations.catalog import Catalog
from a3m_integrations.gateway import A3MGateway
from a3m_integrations.providers.openai_compat import OpenAICompatibleProvider

WIRE_LC_KEY = "sk-lc-wire-0123456789abcdefSECRET"
CHEAP = "wire/cheap"
PREMIUM = "wire/premium"
_CAPS = ["tools", "json", "json_schema", "streaming", "vision"]


def _model(name: str, tier: str, price_in: str, price_out: str) -> dict[str, Any]:
    return {
        "id": f"wire/{name}",
        "provider": "wire",
        "name": f"wire-{name}",
        "tier": tier,
        "input_per_1m": price_in,
        "output_per_1m": price_out,
        "context_window": 32000,
        "max_output": 4000,
        "capabilities": _CAPS,
        "price_date": "2025-01-01",
        "price_source": "test",
    }


def wire_catalog(base_url: str) -> Catalog:
    """A catalog with provider `wire` at `base_url` and two models: wire/cheap and wire/premium."""
    data = {
        "providers": {
            "wire": {"api": "openai", "base_url": base_url, "api_key_env": "WIRE_LC_KEY", "profile": "openai"}
        },
        "models": [_model("cheap", "cheap", "0.15", "0.60"), _model("premium", "premium", "5", "15")],
        "pools": {"default": [CHEAP, PREMIUM]},
    }
    return Catalog.load(data, base=Catalog.empty())


def wire_gateway(base_url: str, **kwargs: Any) -> A3MGateway:
    """A gateway over wire/cheap and wire/premium; `kwargs` go to A3MGateway (listeners, budget, ...)."""
    catalog = kwargs.pop("catalog", None) or wire_catalog(base_url)
    provider = OpenAICompatibleProvider(catalog.provider("wire"), api_key=WIRE_LC_KEY)
    kwargs.setdefault("baseline_model", PREMIUM)
    return A3MGateway(catalog=catalog, providers={"wire": provider}, **kwargs)
