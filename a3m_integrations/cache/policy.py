"""Per-route cache settings and per-request cache control."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

from a3m_integrations.cache.guards import GUARD_MODES, GuardMode
from a3m_integrations.errors import ConfigError
from a3m_integrations.types import RequestContext

__all__ = ["NAMESPACE_SCOPES", "CacheControl", "NamespaceScope", "RoutePolicy", "cache_control", "resolve_routes"]

NamespaceScope = Literal["user", "team", "global"]
NAMESPACE_SCOPES: tuple[NamespaceScope, ...] = ("user", "team", "global")


@dataclass(frozen=True, slots=True)
class RoutePolicy:
    """How one route (or the default) uses the cache.

    Attributes:
        enabled: look up and store at all.
        semantic: allow near-duplicate hits (the exact level always works when enabled).
        threshold: minimum cosine similarity for a semantic candidate (then the guards decide).
        ttl: seconds an answer stays valid; None keeps it until evicted.
        namespace_scope: who may share answers: "user" (team + user, the default), "team", or "global".
        max_temperature: requests with a higher temperature are neither served nor stored; None caches
            every temperature (what LangChain users expect from a cache they switched on).
        guard: "strict" (content words must match too) or "facets" (see `guards`).
        semantic_max_chars: longer prompts use the exact level only (one changed sentence in a long
            document barely moves its embedding).
        multi_turn: allow semantic hits on conversations with earlier turns (those must match exactly).
    """

    enabled: bool = True
    semantic: bool = True
    threshold: float = 0.92
    ttl: float | None = None
    namespace_scope: NamespaceScope = "user"
    max_temperature: float | None = None
    guard: GuardMode = "strict"
    semantic_max_chars: int = 2000
    multi_turn: bool = True

    def __post_init__(self) -> None:
        if not (isinstance(self.threshold, (int, float)) and 0.0 < self.threshold <= 1.0):
            raise ConfigError(f"cache threshold must be in (0, 1], not {self.threshold!r}", field="threshold")
        ttl_ok = isinstance(self.ttl, (int, float)) and self.ttl > 0 and math.isfinite(self.ttl)
        if self.ttl is not None and not ttl_ok:
            raise ConfigError(f"cache ttl must be a positive number of seconds or None, not {self.ttl!r}", field="ttl")
        if self.namespace_scope not in NAMESPACE_SCOPES:
            raise ConfigError(
                f"namespace_scope must be one of {', '.join(NAMESPACE_SCOPES)}, not {self.namespace_scope!r}",
                field="namespace_scope",
            )
        if self.guard not in GUARD_MODES:
            raise ConfigError(f"guard must be one of {', '.join(GUARD_MODES)}, not {self.guard!r}", field="guard")
        if self.max_temperature is not None and not isinstance(self.max_temperature, (int, float)):
            raise ConfigError("max_temperature must be a number or None", field="max_temperature")
        if not isinstance(self.semantic_max_chars, int) or self.semantic_max_chars < 1:
            raise ConfigError("semantic_max_chars must be a positive integer", field="semantic_max_chars")

    def allows_temperature(self, temperature: float | None) -> bool:
        """Whether a request at `temperature` may use the cache under this policy."""
        return self.max_temperature is None or temperature is None or temperature <= self.max_temperature


_POLICY_FIELDS = frozenset(f.name for f in fields(RoutePolicy))


def resolve_routes(
    default: RoutePolicy, routes: Mapping[str, RoutePolicy | Mapping[str, Any]] | None
) -> dict[str, RoutePolicy]:
    """Route name -> policy; a mapping value overrides only the fields it names on top of `default`."""
    out: dict[str, RoutePolicy] = {}
    for name, value in (routes or {}).items():
        if isinstance(value, RoutePolicy):
            out[name] = value
        elif isinstance(value, Mapping):
            unknown = set(value) - _POLICY_FIELDS
            if unknown:
                raise ConfigError(
                    f"unknown cache policy field(s) {', '.join(sorted(unknown))}",
                    entry=name,
                    hint=f"Known fields: {', '.join(sorted(_POLICY_FIELDS))}.",
                )
            out[name] = replace(default, **dict(value))
        else:
            raise ConfigError("a route's cache policy must be a RoutePolicy or a mapping", entry=name)
    return out


@dataclass(frozen=True, slots=True)
class CacheControl:
    """Per-request switches, read from `context.metadata["cache"]`."""

    lookup: bool = True
    store: bool = True


_CONTROL_WORDS = {
    "off": CacheControl(False, False),
    "bypass": CacheControl(False, False),
    "no-cache": CacheControl(False, True),
    "refresh": CacheControl(False, True),
    "no-store": CacheControl(True, False),
    "on": CacheControl(),
}


def cache_control(context: RequestContext) -> CacheControl:
    """Per-request control: metadata "cache" = False/"off", "no-cache"/"refresh", "no-store", or a dict.

    The dict form takes `no_cache` / `no_store` booleans (also spelled with hyphens), as LiteLLM's
    per-request controls do (their #3199 shows why they must be honoured).
    """
    value = context.metadata.get("cache") if context.metadata else None
    if value is None or value is True:
        return CacheControl()
    if value is False:
        return CacheControl(False, False)
    if isinstance(value, str) and value.lower() in _CONTROL_WORDS:
        return _CONTROL_WORDS[value.lower()]
    if isinstance(value, Mapping):
        no_cache = bool(value.get("no_cache", value.get("no-cache", False)))
        no_store = bool(value.get("no_store", value.get("no-store", False)))
        return CacheControl(not no_cache, not no_store)
    raise ConfigError(
        f"context metadata 'cache' must be a bool, one of {', '.join(_CONTROL_WORDS)}, or a dict, not {value!r}",
        field="cache",
    )
