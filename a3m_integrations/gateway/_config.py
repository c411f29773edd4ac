"""Build a gateway from a YAML/JSON file or a mapping, with errors that name the key.

Top-level keys (all optional):

    catalog: [override files]          # applied over the shipped catalog, relative to this file
    litellm: prices.json               # a LiteLLM price map to import
    router: heuristic | {name: ..., <router options>}
    pool: default | [model ids]
    baseline_model: openai/gpt-4o
    default_max_tokens: 4096
    guard_fail_open: false
    providers: {options: {timeout: 30, ...}, <provider id>: {<options for that provider>}}
    retry: {max_attempts: 3, timeout: 30, base_delay: 1, ...,  per_provider: {<id>: {...}}}
    guardrails: {...}                  # GuardrailEngine.from_config (docs/guardrails.md)
    cache: {...}                       # the semantic cache's options (docs/cache.md)
    budget: {...}                      # BudgetManager.from_config (docs/budgets.md)
    memory: {path: memory.sqlite3}     # adaptive memory (docs/routing-learned.md)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from a3m_integrations.catalog import Catalog
from a3m_integrations.catalog._loader import read_catalog_file
from a3m_integrations.errors import A3MError, ConfigError

if TYPE_CHECKING:
    from pathlib import Path

    from a3m_integrations.gateway._gateway import A3MGateway

__all__ = ["SECTIONS", "build_gateway"]

#: Builders of the optional steps from their config section: name -> (module, function). Each is
#: called as `builder(section, base_dir=..., catalog=...)`.
SECTIONS: dict[str, tuple[str, str]] = {
    "budget": ("a3m_integrations.gateway._config", "build_budget"),
    "cache": ("a3m_integrations.gateway._config", "build_cache"),
    "guardrails": ("a3m_integrations.gateway._config", "build_guardrails"),
    "memory": ("a3m_integrations.memory", "build_memory"),
}
_SCALARS = {"router", "pool", "baseline_model", "default_max_tokens", "guard_fail_open"}
_KNOWN = _SCALARS | {"catalog", "litellm", "providers", "retry", "guardrails", "cache", "budget", "memory"}


def build_gateway(cls: type[A3MGateway], source: str | Path | Mapping[str, Any], overrides: Mapping[str, Any]) -> Any:
    """Read `source` and construct `cls`; keyword `overrides` win over the file."""
    if isinstance(source, Mapping):
        data, where, base_dir = dict(source), "<mapping>", os.getcwd()
    else:
        where = os.fspath(source)
        data = read_catalog_file(where)
        base_dir = os.path.dirname(os.path.abspath(where))
    unknown = set(data) - _KNOWN
    if unknown:
        raise ConfigError(
            f"unknown key(s) {sorted(unknown)}; known: {', '.join(sorted(_KNOWN))}",
            source=where,
            field=sorted(unknown)[0],
        )
    kwargs: dict[str, Any] = {k: data[k] for k in _SCALARS if k in data}
    catalog_files = data.get("catalog") or []
    if isinstance(catalog_files, str):
        catalog_files = [catalog_files]
    if not isinstance(catalog_files, list):
        raise ConfigError("catalog must be a file or a list of files", source=where, field="catalog")
    litellm = data.get("litellm")
    if catalog_files or litellm:
        kwargs["catalog"] = _section(
            where,
            "catalog",
            lambda: Catalog.load(
                *(_path(base_dir, p) for p in catalog_files),
                litellm=_path(base_dir, litellm) if litellm else None,
                base=Catalog.default(),
            ),
        )
    router = kwargs.get("router")
    if isinstance(router, Mapping):
        options = dict(router)
        kwargs["router"] = options.pop("name", "heuristic")
        kwargs["router_options"] = options
    if "default_max_tokens" in kwargs and not isinstance(kwargs["default_max_tokens"], int):
        raise ConfigError("default_max_tokens must be an integer", source=where, field="default_max_tokens")
    catalog = kwargs.get("catalog") or Catalog.default()
    if "providers" in data or "retry" in data:
        kwargs["executor"] = _section(where, "providers", lambda: _executor(catalog, data, where))
    if "guardrails" in data and data["guardrails"] in (None, False, "off"):
        kwargs["guardrails"] = None
    for name in ("guardrails", "cache", "budget", "memory"):
        if name in data and data[name] not in (None, False, "off"):
            kwargs[name] = _section(where, name, _builder(name, data[name], base_dir, catalog))
    kwargs.update(overrides)
    return _section(where, "gateway", lambda: cls(**kwargs))


def _path(base_dir: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"expected a file path, not {type(value).__name__}", field="path")
    return value if os.path.isabs(value) else os.path.join(base_dir, value)


def _section(where: str, name: str, build: Callable[[], Any]) -> Any:
    """Run `build`, naming the file and section in any configuration error."""
    try:
        return build()
    except ConfigError as exc:
        if exc.source is None:
            raise ConfigError(exc.message, source=where, entry=name, field=exc.field, hint=exc.hint) from exc
        raise
    except A3MError:
        raise
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"invalid {name} settings: {exc}", source=where, entry=name) from exc


def _executor(catalog: Catalog, data: Mapping[str, Any], where: str) -> Any:
    from a3m_integrations.providers.registry import ProviderRegistry
    from a3m_integrations.resilience.executor import Executor
    from a3m_integrations.resilience.retry import RetryPolicy

    providers = dict(data.get("providers") or {})
    options = providers.pop("options", {})
    registry = ProviderRegistry(catalog, options=options, provider_options=providers)
    retry = dict(data.get("retry") or {})
    per_provider = retry.pop("per_provider", {}) or {}
    policy = RetryPolicy(**retry) if retry else RetryPolicy()
    policies = {pid: RetryPolicy(**opts) for pid, opts in per_provider.items()}
    return Executor(registry, catalog, policy=policy, policies=policies)


def _builder(name: str, section: Any, base_dir: str, catalog: Catalog) -> Callable[[], Any]:
    def build() -> Any:
        return _step(name, section, base_dir, catalog)

    return build


def _step(name: str, section: Any, base_dir: str, catalog: Catalog) -> Any:
    if name not in SECTIONS:
        raise ConfigError(f"the {name} section is not available in this build", field=name)
    module, function = SECTIONS[name]
    import importlib

    builder = getattr(importlib.import_module(module), function)
    return builder(section, base_dir=base_dir, catalog=catalog)


def _local_path(base_dir: str, value: Any) -> Any:
    """A path from a config file, relative to that file; ':memory:' and absolute paths as they are."""
    if not isinstance(value, str) or value == ":memory:":
        return value
    expanded = os.path.expanduser(value)
    return expanded if os.path.isabs(expanded) else os.path.join(base_dir, expanded)


def build_budget(section: Any, *, base_dir: str, catalog: Catalog) -> Any:
    """The budget step from its section (docs/budgets.md); the ledger path is relative to the file."""
    from a3m_integrations.budget.manager import BudgetManager

    if not isinstance(section, Mapping):
        raise ConfigError("the budget section must be a mapping of caps and options", field="budget")
    options = dict(section)
    if "ledger" in options:
        options["ledger"] = _local_path(base_dir, options["ledger"])
    return BudgetManager.from_config(options)


_CACHE_KEYS = {"path", "policy", "routes", "max_entries", "hnsw_threshold", "ef_search", "top_k", "on_corrupt"}


def build_cache(section: Any, *, base_dir: str, catalog: Catalog) -> Any:
    """The cache step from its section (docs/cache.md); `path` is relative to the file, absent = in memory.

    `{path: cache/, max_entries: 100000, policy: {threshold: 0.92, ttl: 3600}, routes: {legal: {ttl: 86400}}}`;
    `cache: true` is an in-memory cache with the default policy.
    """
    from a3m_integrations.cache.policy import RoutePolicy
    from a3m_integrations.cache.semantic import SemanticCache

    if section is True:
        section = {}
    if not isinstance(section, Mapping):
        raise ConfigError("the cache section must be a mapping (or true)", field="cache")
    unknown = set(section) - _CACHE_KEYS
    if unknown:
        raise ConfigError(f"unknown cache setting(s) {sorted(unknown)}; known: {sorted(_CACHE_KEYS)}", field="cache")
    options = dict(section)
    if options.get("path") is not None:
        options["path"] = _local_path(base_dir, options["path"])
    if isinstance(options.get("policy"), Mapping):
        options["policy"] = RoutePolicy(**options["policy"])
    return SemanticCache(**options)


def build_guardrails(section: Any, *, base_dir: str, catalog: Catalog) -> Any:
    """The guardrail step from its section (docs/guardrails.md): `{default: {...}, routes: {...}}`."""
    from a3m_integrations.gateway._gateway import default_guardrails
    from a3m_integrations.guardrails.engine import GuardrailEngine

    if section is True or section == "default":
        return default_guardrails()
    if not isinstance(section, Mapping):
        raise ConfigError("the guardrails section must be a mapping, 'default', or off", field="guardrails")
    return GuardrailEngine.from_dict(section)
