"""Providers and models as data: prices, limits, tiers, capabilities, pools.

The shipped catalog lives in `catalog/data/catalog.json`; `Catalog.default()` loads it once.
Users extend or override it with their own JSON/YAML files or a LiteLLM price map:

    catalog = Catalog.load("my_models.yaml", litellm="model_prices_and_context_window.json")
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from a3m_integrations.catalog._loader import (
    build_model,
    parse_catalog,
    read_catalog_file,
    read_litellm_prices,
    tier_for_price,
)
from a3m_integrations.catalog._models import API_KINDS, CAPABILITIES, ModelInfo, ProviderInfo
from a3m_integrations.errors import InvalidRequest
from a3m_integrations.types import TIERS, tier_index

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "API_KINDS",
    "CAPABILITIES",
    "DEFAULT_CATALOG_PATH",
    "Catalog",
    "ModelInfo",
    "ProviderInfo",
    "tier_for_price",
]

#: The shipped catalog file (a string path: pathlib costs import time on the routing path).
DEFAULT_CATALOG_PATH = os.path.join(os.path.dirname(__file__), "data", "catalog.json")
_DEFAULT: Catalog | None = None


class Catalog:
    """An immutable set of providers, models and named pools, with lookups by id, alias and tier."""

    __slots__ = ("_aliases", "_by_tier_cache", "_models", "_pools", "_providers", "_raw", "_unbuilt", "sources")

    def __init__(
        self,
        providers: Mapping[str, ProviderInfo],
        models: Mapping[str, ModelInfo],
        pools: Mapping[str, tuple[str, ...]] | None = None,
        *,
        raw: Mapping[str, Any] | None = None,
        sources: Sequence[str] = (),
        unbuilt: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self._providers = dict(providers)
        self._models = dict(models)
        # records of the shipped file not yet turned into ModelInfo: built on first use, since
        # `a3m route` touches a pool of ~20 of the catalog's ~220 models (the file is checked in tests)
        self._unbuilt: dict[str, Mapping[str, Any]] = dict(unbuilt or {})
        self._pools = dict(pools or {})
        self._raw = raw or {}
        self.sources = tuple(sources)
        self._by_tier_cache: dict[str, tuple[ModelInfo, ...]] | None = None
        self._aliases: dict[str, str] = {}
        records = [(m.id, m.name, m.aliases) for m in self._models.values()]
        records += [(mid, str(r["name"]), tuple(r.get("aliases") or ())) for mid, r in self._unbuilt.items()]
        for mid, _, aliases in records:
            for alias in aliases:
                self._aliases.setdefault(alias, mid)
        for mid, name, _ in records:
            # a wire name that reads as another provider's id (GitHub's "openai/gpt-4.1", Groq's
            # "openai/gpt-oss-120b") is not an alias: it would answer for that id once disabled
            if name.partition("/")[0] not in self._providers:
                self._aliases.setdefault(name, mid)

    def _build(self, model_id: str) -> ModelInfo | None:
        record = self._unbuilt.pop(model_id, None)
        if record is None:
            return None
        model = build_model(record, self.sources[0] if self.sources else "<catalog>", self._providers)
        self._models[model_id] = model
        return model

    def _all(self) -> dict[str, ModelInfo]:
        for model_id in list(self._unbuilt):
            self._build(model_id)
        return self._models

    @property
    def _by_tier(self) -> dict[str, tuple[ModelInfo, ...]]:
        if self._by_tier_cache is None:
            by_tier: dict[str, list[ModelInfo]] = {t: [] for t in TIERS}
            for m in self._all().values():
                by_tier[m.tier].append(m)
            self._by_tier_cache = {
                t: tuple(sorted(ms, key=lambda m: (m.blended_per_1m, m.id))) for t, ms in by_tier.items()
            }
        return self._by_tier_cache

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def default(cls) -> Catalog:
        """The shipped catalog, plus the file named by A3M_CATALOG if set (loaded once)."""
        global _DEFAULT
        if _DEFAULT is None:
            extra = os.environ.get("A3M_CATALOG")
            _DEFAULT = cls.load(*(p for p in (extra or "").split(os.pathsep) if p), base=None)
        return _DEFAULT

    @classmethod
    def from_file(cls, path: str | Path) -> Catalog:
        """A catalog made from one file only (no shipped data)."""
        return cls.load(path, base=cls.empty())

    @classmethod
    def empty(cls) -> Catalog:
        """A catalog with nothing in it."""
        return cls({}, {}, {})

    @classmethod
    def load(
        cls,
        *overrides: str | Path | Mapping[str, Any],
        litellm: str | Path | None = None,
        base: Catalog | None = None,
    ) -> Catalog:
        """The shipped catalog (or `base`), then a LiteLLM price map, then each override in order."""
        if base is None:
            data = read_catalog_file(DEFAULT_CATALOG_PATH)
            providers, records, pools, raw = parse_catalog(data, source=str(DEFAULT_CATALOG_PATH), lazy=True)
            catalog = cls(providers, {}, pools, raw=raw, sources=(str(DEFAULT_CATALOG_PATH),), unbuilt=records)
        else:
            catalog = base
        if litellm is not None:
            imported = read_litellm_prices(litellm, known_providers=catalog._providers)
            # catalog entries win over the import: only add what the catalog does not have
            imported["models"] = [m for m in imported["models"] if m["id"] not in catalog]
            catalog = catalog.merged(imported, source=str(litellm))
        for item in overrides:
            if isinstance(item, Mapping):
                catalog = catalog.merged(item, source="<mapping>")
            else:
                catalog = catalog.merged(read_catalog_file(item), source=str(item))
        return catalog

    def merged(self, data: Mapping[str, Any], *, source: str) -> Catalog:
        """A new catalog with `data` (override-file shape) merged over this one."""
        providers, models, pools, raw = parse_catalog(
            data,
            source=source,
            base_providers=self._raw.get("providers", {}),
            base_models=self._raw.get("models", {}),
            base_pools=self._raw.get("pools", {}),
        )
        return Catalog(providers, models, pools, raw=raw, sources=(*self.sources, source))

    # -- lookups ------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._models) + len(self._unbuilt)

    def __iter__(self) -> Iterator[ModelInfo]:
        return iter(self._all().values())

    def __contains__(self, model_id: object) -> bool:
        return isinstance(model_id, str) and (
            model_id in self._models or model_id in self._unbuilt or model_id in self._aliases
        )

    def model(self, model_id: str) -> ModelInfo:
        """The model with this id, alias or wire name; InvalidRequest naming the fix if unknown."""
        found = self._models.get(model_id) or self._build(model_id)
        if found is None:
            alias = self._aliases.get(model_id)
            if alias is not None:
                return self._models.get(alias) or self._build(alias)  # type: ignore[return-value]
            raise InvalidRequest(
                f"unknown model {model_id!r}",
                field="model",
                hint="Run `a3m models` for the catalog's ids, or add the model in a catalog override file.",
            )
        return found

    def provider(self, provider_id: str) -> ProviderInfo:
        """The provider with this id; InvalidRequest if unknown."""
        try:
            return self._providers[provider_id]
        except KeyError:
            raise InvalidRequest(
                f"unknown provider {provider_id!r}",
                field="provider",
                hint="Run `a3m models --json` to list providers, or define it in a catalog override file.",
            ) from None

    @property
    def providers(self) -> Mapping[str, ProviderInfo]:
        """All providers by id."""
        return self._providers

    @property
    def pools(self) -> Mapping[str, tuple[str, ...]]:
        """Named pools of model ids (the router uses 'default' unless told otherwise)."""
        return self._pools

    def pool(self, name: str) -> tuple[ModelInfo, ...]:
        """The models of a named pool, or of every model for 'all'."""
        if name == "all":
            return tuple(self._all().values())
        try:
            ids = self._pools[name]
        except KeyError:
            raise InvalidRequest(
                f"unknown pool {name!r}; known: {', '.join(sorted(self._pools)) or 'none'} and 'all'",
                field="pool",
            ) from None
        return tuple(self.model(i) for i in ids)

    def resolve(self, models: str | Iterable[str] | None) -> tuple[ModelInfo, ...]:
        """Models for a pool name, a list of ids/aliases, or None (the 'default' pool, else all)."""
        if models is None:
            return self.pool("default") if "default" in self._pools else self.pool("all")
        if isinstance(models, str):
            return self.pool(models)
        return tuple(self.model(m) for m in models)

    def models(
        self,
        *,
        tier: str | None = None,
        provider: str | None = None,
        capabilities: Iterable[str] = (),
    ) -> list[ModelInfo]:
        """Models filtered by tier, provider and required capabilities, cheapest first."""
        if tier is not None:
            tier_index(tier)
        need = frozenset(capabilities)
        return [
            m
            for t in ((tier,) if tier else TIERS)
            for m in self._by_tier[t]
            if (provider is None or m.provider == provider) and need <= m.capabilities
        ]

    def price(self, model_id: str) -> tuple[Decimal, Decimal]:
        """(input, output) USD per 1M tokens for a model."""
        m = self.model(model_id)
        return m.input_per_1m, m.output_per_1m
