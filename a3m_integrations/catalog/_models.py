"""Catalog records: a provider (where and how to call) and a model (price, limits, tier, capabilities)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from a3m_integrations.types import Tier

__all__ = ["API_KINDS", "CAPABILITIES", "ModelInfo", "ProviderInfo"]

#: Wire formats a provider can speak.
API_KINDS: tuple[str, ...] = ("openai", "anthropic", "local")
#: Capabilities a model can declare.
CAPABILITIES: frozenset[str] = frozenset({"tools", "vision", "json", "json_schema", "streaming", "reasoning"})
_MILLION = Decimal(1_000_000)


@dataclass(frozen=True, slots=True)
class ProviderInfo:
    """A provider: its wire format, endpoint, where its key lives and its error profile.

    `api_key_env` names the environment variable that holds the key; the key itself is never
    stored in the catalog. `profile` names the error/quirk profile (see providers/profiles).
    """

    id: str
    name: str
    api: Literal["openai", "anthropic", "local"] = "openai"
    base_url: str | None = None
    api_key_env: str | None = None
    auth_header: str = "Authorization"
    auth_prefix: str = "Bearer "
    profile: str = "default"
    region: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    docs: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """A model: id `provider/name`, prices in USD per 1M tokens, limits, tier and capabilities."""

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
    cached_input_per_1m: Decimal | None = None
    tokenizer: str | None = None
    aliases: tuple[str, ...] = ()
    family: str | None = None
    description: str | None = None

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
    def blended_per_1m(self) -> Decimal:
        """A single price for ordering: 3 parts input to 1 part output, per 1M tokens."""
        return (3 * self.input_per_1m + self.output_per_1m) / 4
