"""Catalog records: a provider (where and how to call) and a model (price, limits, tier, capabilities)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

from a3m_integrations._record import Record
from a3m_integrations.types import Tier

_set = object.__setattr__
__all__ = ["API_KINDS", "CAPABILITIES", "ModelInfo", "ProviderInfo"]

#: Wire formats a provider can speak.
API_KINDS: tuple[str, ...] = ("openai", "anthropic", "local")
#: Capabilities a model can declare.
CAPABILITIES: frozenset[str] = frozenset({"tools", "vision", "json", "json_schema", "streaming", "reasoning"})
_MILLION = Decimal(1_000_000)


class ProviderInfo(Record):
    """A provider: its wire format, endpoint, where its key lives and its error profile.

    `api_key_env` names the environment variable that holds the key; the key itself is never
    stored in the catalog. `profile` names the error/quirk profile (see providers/profiles).
    """

    __slots__ = (
        "api",
        "api_key_env",
        "auth_header",
        "auth_prefix",
        "base_url",
        "docs",
        "headers",
        "id",
        "name",
        "notes",
        "profile",
        "region",
    )
    id: str
    name: str
    api: Literal["openai", "anthropic", "local"]
    base_url: str | None
    api_key_env: str | None
    auth_header: str
    auth_prefix: str
    profile: str
    region: str | None
    headers: Mapping[str, str]
    docs: str | None
    notes: str | None

    def __init__(
        self,
        id: str,
        name: str,
        api: Literal["openai", "anthropic", "local"] = "openai",
        base_url: str | None = None,
        api_key_env: str | None = None,
        auth_header: str = "Authorization",
        auth_prefix: str = "Bearer ",
        profile: str = "default",
        region: str | None = None,
        headers: Mapping[str, str] | None = None,
        docs: str | None = None,
        notes: str | None = None,
    ) -> None:
        _set(self, "id", id)
        _set(self, "name", name)
        _set(self, "api", api)
        _set(self, "base_url", base_url)
        _set(self, "api_key_env", api_key_env)
        _set(self, "auth_header", auth_header)
        _set(self, "auth_prefix", auth_prefix)
        _set(self, "profile", profile)
        _set(self, "region", region)
        _set(self, "headers", {} if headers is None else headers)
        _set(self, "docs", docs)
        _set(self, "notes", notes)


class ModelInfo(Record):
    """A model: id `provider/name`, prices in USD per 1M tokens, limits, tier and capabilities."""

    __slots__ = (
        "aliases",
        "cached_input_per_1m",
        "capabilities",
        "context_window",
        "description",
        "family",
        "id",
        "input_per_1m",
        "max_output",
        "name",
        "output_per_1m",
        "price_date",
        "price_source",
        "provider",
        "tier",
        "tokenizer",
        "_blended",
        "_order",
    )
    id: str
    provider: str
    name: str
    tier: Tier
    input_per_1m: Decimal
    output_per_1m: Decimal
    context_window: int
    max_output: int
    capabilities: frozenset[str]
    price_date: str
    price_source: str
    cached_input_per_1m: Decimal | None
    tokenizer: str | None
    aliases: tuple[str, ...]
    family: str | None
    description: str | None
    _blended: Decimal
    _order: tuple[float, str]

    def __init__(
        self,
        id: str,
        provider: str,
        name: str,
        tier: Tier,
        input_per_1m: Decimal,
        output_per_1m: Decimal,
        context_window: int,
        max_output: int,
        capabilities: frozenset[str],
        price_date: str,
        price_source: str,
        cached_input_per_1m: Decimal | None = None,
        tokenizer: str | None = None,
        aliases: tuple[str, ...] = (),
        family: str | None = None,
        description: str | None = None,
    ) -> None:
        _set(self, "id", id)
        _set(self, "provider", provider)
        _set(self, "name", name)
        _set(self, "tier", tier)
        _set(self, "input_per_1m", input_per_1m)
        _set(self, "output_per_1m", output_per_1m)
        _set(self, "context_window", context_window)
        _set(self, "max_output", max_output)
        _set(self, "capabilities", capabilities)
        _set(self, "price_date", price_date)
        _set(self, "price_source", price_source)
        _set(self, "cached_input_per_1m", cached_input_per_1m)
        _set(self, "tokenizer", tokenizer)
        _set(self, "aliases", aliases)
        _set(self, "family", family)
        _set(self, "description", description)
        blended = (3 * input_per_1m + output_per_1m) / 4
        _set(self, "_blended", blended)
        _set(self, "_order", (float(blended), id))

    def supports(self, capability: str) -> bool:
        """Whether the model declares `capability` (tools, vision, json, json_schema, streaming, reasoning)."""
        return capability in self.capabilities

    def cost(self, input_tokens: int, output_tokens: int, cached_input_tokens: int = 0) -> Decimal:
        """USD cost of a call with these token counts (cached input billed at the cached rate if known)."""
        cached = min(cached_input_tokens, input_tokens) if self.cached_input_per_1m is not None else 0
        fresh = input_tokens - cached
        total = fresh * self.input_per_1m + output_tokens * self.output_per_1m
        if cached:
            assert self.cached_input_per_1m is not None
            total += cached * self.cached_input_per_1m
        return total / _MILLION

    @property
    def order_key(self) -> tuple[float, str]:
        """(blended price as a float, id): the order "cheapest first"."""
        return self._order

    @property
    def blended_per_1m(self) -> Decimal:
        """A single price for ordering: 3 parts input to 1 part output, per 1M tokens."""
        return self._blended
