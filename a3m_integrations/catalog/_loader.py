"""Load, validate and merge catalog files (JSON, YAML) and LiteLLM price maps.

A catalog file holds `providers` (id -> record), `models` (a list of records) and `pools`
(name -> model ids). An override file has the same shape; a model or provider whose id already
exists is updated field by field, a new one is added, and `"disabled": true` removes one.
Every problem is a ConfigError naming the file, the entry and the field.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from a3m_integrations.catalog._models import API_KINDS, CAPABILITIES, ModelInfo, ProviderInfo
from a3m_integrations.errors import ConfigError
from a3m_integrations.types import TIERS

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["build_model", "parse_catalog", "read_catalog_file", "read_litellm_prices", "tier_for_price"]

_PROVIDER_FIELDS = set(ProviderInfo.__slots__)
_MODEL_FIELDS = set(ModelInfo.__slots__)
_MODEL_REQUIRED = ("provider", "name", "tier", "input_per_1m", "output_per_1m", "context_window", "max_output")


def read_catalog_file(path: str | Path) -> dict[str, Any]:
    """Read a catalog or override file (.json, .yaml, .yml) into a plain dict."""
    p = os.fspath(path)
    suffix = os.path.splitext(p)[1].lower()
    try:
        with open(p, encoding="utf-8") as f:
            text = f.read()
    except OSError as exc:
        raise ConfigError(f"cannot read catalog file: {exc.strerror}", source=p) from None
    try:
        if suffix in (".yaml", ".yml"):
            try:
                import yaml
            except ImportError:
                raise ConfigError(
                    "YAML catalog files need PyYAML",
                    source=p,
                    hint="Install a3m-integrations[yaml] or convert the file to JSON.",
                ) from None
            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except (ValueError, ConfigError) as exc:
        if isinstance(exc, ConfigError):
            raise
        raise ConfigError(f"not valid {suffix.lstrip('.') or 'JSON'}: {exc}", source=p) from None
    except Exception as exc:  # yaml.YAMLError and friends
        raise ConfigError(f"not valid YAML: {exc}", source=p) from None
    if not isinstance(data, dict):
        raise ConfigError("a catalog file must hold an object with providers/models/pools", source=p)
    return data


def _decimal(value: Any, *, source: str, entry: str, field: str) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ConfigError("price must be a number", source=source, entry=entry, field=field)
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        raise ConfigError(f"price {value!r} is not a number", source=source, entry=entry, field=field) from None
    if not d.is_finite() or d < 0:
        raise ConfigError(f"price {value!r} must be a finite number >= 0", source=source, entry=entry, field=field)
    return d


def _int(value: Any, *, source: str, entry: str, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value or value <= 0:
        raise ConfigError(f"{value!r} must be a positive integer", source=source, entry=entry, field=field)
    return int(value)


def _provider(pid: str, raw: Mapping[str, Any], source: str) -> ProviderInfo:
    if not isinstance(raw, Mapping):
        raise ConfigError("a provider must be an object", source=source, entry=pid)
    unknown = set(raw) - _PROVIDER_FIELDS - {"disabled"}
    if unknown:
        raise ConfigError(f"unknown field(s) {sorted(unknown)}", source=source, entry=pid, field=sorted(unknown)[0])
    api = raw.get("api", "openai")
    if api not in API_KINDS:
        raise ConfigError(f"api must be one of {API_KINDS}, not {api!r}", source=source, entry=pid, field="api")
    headers = raw.get("headers") or {}
    if not isinstance(headers, Mapping):
        raise ConfigError("headers must be an object", source=source, entry=pid, field="headers")
    return ProviderInfo(
        id=pid,
        name=str(raw.get("name") or pid),
        api=api,
        base_url=raw.get("base_url"),
        api_key_env=raw.get("api_key_env"),
        auth_header=str(raw.get("auth_header", "Authorization")),
        auth_prefix=str(raw.get("auth_prefix", "Bearer ")),
        profile=str(raw.get("profile", "default")),
        region=raw.get("region"),
        headers={str(k): str(v) for k, v in headers.items()},
        docs=raw.get("docs"),
        notes=raw.get("notes"),
    )


def build_model(raw: Mapping[str, Any], source: str, providers: Mapping[str, Any]) -> ModelInfo:
    """A validated ModelInfo from a model record; ConfigError naming file, entry and field."""
    if not isinstance(raw, Mapping):
        raise ConfigError("a model must be an object", source=source)
    entry = str(raw.get("id") or f"{raw.get('provider')}/{raw.get('name')}")
    unknown = set(raw) - _MODEL_FIELDS - {"disabled"}
    if unknown:
        raise ConfigError(f"unknown field(s) {sorted(unknown)}", source=source, entry=entry, field=sorted(unknown)[0])
    for name in _MODEL_REQUIRED:
        if raw.get(name) in (None, ""):
            raise ConfigError("required field is missing", source=source, entry=entry, field=name)
    provider = str(raw["provider"])
    if provider not in providers:
        raise ConfigError(
            f"provider {provider!r} is not defined",
            source=source,
            entry=entry,
            field="provider",
            hint="Add the provider under 'providers' or fix the model's provider id.",
        )
    tier = raw["tier"]
    if tier not in TIERS:
        raise ConfigError(f"tier must be one of {TIERS}, not {tier!r}", source=source, entry=entry, field="tier")
    caps = raw.get("capabilities") or ()
    if isinstance(caps, str) or not isinstance(caps, Iterable):
        raise ConfigError("capabilities must be a list", source=source, entry=entry, field="capabilities")
    bad = set(caps) - CAPABILITIES
    if bad:
        raise ConfigError(
            f"unknown capabilities {sorted(bad)}; known: {sorted(CAPABILITIES)}",
            source=source,
            entry=entry,
            field="capabilities",
        )
    cached = raw.get("cached_input_per_1m")
    context_window = _int(raw["context_window"], source=source, entry=entry, field="context_window")
    max_output = _int(raw["max_output"], source=source, entry=entry, field="max_output")
    if max_output > context_window:
        raise ConfigError("max_output is larger than context_window", source=source, entry=entry, field="max_output")
    aliases = raw.get("aliases") or ()
    if isinstance(aliases, str):
        aliases = (aliases,)
    return ModelInfo(
        id=entry,
        provider=provider,
        name=str(raw["name"]),
        tier=tier,
        input_per_1m=_decimal(raw["input_per_1m"], source=source, entry=entry, field="input_per_1m"),
        output_per_1m=_decimal(raw["output_per_1m"], source=source, entry=entry, field="output_per_1m"),
        context_window=context_window,
        max_output=max_output,
        capabilities=frozenset(caps),
        price_date=str(raw.get("price_date") or "unknown"),
        price_source=str(raw.get("price_source") or "unknown"),
        cached_input_per_1m=None
        if cached is None
        else _decimal(cached, source=source, entry=entry, field="cached_input_per_1m"),
        tokenizer=raw.get("tokenizer"),
        aliases=tuple(str(a) for a in aliases),
        family=raw.get("family"),
        description=raw.get("description"),
    )


def parse_catalog(
    data: Mapping[str, Any],
    *,
    source: str,
    base_providers: Mapping[str, Mapping[str, Any]] | None = None,
    base_models: Mapping[str, Mapping[str, Any]] | None = None,
    base_pools: Mapping[str, list[str]] | None = None,
    lazy: bool = False,
) -> tuple[dict[str, ProviderInfo], dict[str, Any], dict[str, tuple[str, ...]], dict[str, Any]]:
    """Merge `data` over the base raw records and validate the result.

    Returns (providers, models, pools, raw) where raw keeps the merged plain records so that a
    further override file can update them field by field. With `lazy`, models are returned as
    their records (for the shipped file, whose models are built on first use).
    """
    unknown = set(data) - {"providers", "models", "pools", "version", "notes", "sources"}
    if unknown:
        raise ConfigError(f"unknown top-level key(s) {sorted(unknown)}", source=source, field=sorted(unknown)[0])
    raw_providers: dict[str, dict[str, Any]] = {k: dict(v) for k, v in (base_providers or {}).items()}
    raw_models: dict[str, dict[str, Any]] = {k: dict(v) for k, v in (base_models or {}).items()}
    pools: dict[str, list[str]] = {k: list(v) for k, v in (base_pools or {}).items()}

    providers_in = data.get("providers") or {}
    if not isinstance(providers_in, Mapping):
        raise ConfigError("'providers' must be an object of id -> provider", source=source, field="providers")
    for pid, rec in providers_in.items():
        if not isinstance(rec, Mapping):
            raise ConfigError("a provider must be an object", source=source, entry=str(pid))
        if rec.get("disabled"):
            raw_providers.pop(str(pid), None)
            continue
        raw_providers[str(pid)] = {**raw_providers.get(str(pid), {}), **rec}

    removed: set[str] = set()
    models_in = data.get("models") or []
    if not isinstance(models_in, list):
        raise ConfigError("'models' must be a list of model objects", source=source, field="models")
    for rec in models_in:
        if not isinstance(rec, Mapping):
            raise ConfigError("a model must be an object", source=source, field="models")
        mid = str(rec.get("id") or f"{rec.get('provider')}/{rec.get('name')}")
        if rec.get("disabled"):
            raw_models.pop(mid, None)
            removed.add(mid)
            continue
        merged = {**raw_models.get(mid, {}), **rec, "id": mid}
        raw_models[mid] = merged

    pools_in = data.get("pools") or {}
    if not isinstance(pools_in, Mapping):
        raise ConfigError("'pools' must be an object of name -> list of model ids", source=source, field="pools")
    for name, ids in pools_in.items():
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ConfigError("a pool must be a list of model ids", source=source, entry=str(name), field="pools")
        pools[str(name)] = list(ids)

    providers = {pid: _provider(pid, rec, source) for pid, rec in raw_providers.items()}
    models: dict[str, Any] = {}
    for mid, rec in raw_models.items():
        if rec.get("provider") not in raw_providers and mid in (base_models or {}):
            removed.add(mid)  # the provider was disabled by the override: its models go with it
            continue
        models[mid] = rec if lazy else build_model(rec, source, raw_providers)
    known = set(models) | {a for rec in raw_models.values() for a in (rec.get("aliases") or ())}
    pools = {name: [i for i in ids if i not in removed] for name, ids in pools.items()}
    for name, ids in pools.items():
        missing = [i for i in ids if i not in known]
        if missing:
            raise ConfigError(f"pool names unknown model(s) {missing}", source=source, entry=name, field="pools")
    raw = {"providers": raw_providers, "models": raw_models, "pools": pools}
    return providers, models, {k: tuple(v) for k, v in pools.items()}, raw


# Tier cuts for imported prices: blended USD per 1M tokens (3 parts input : 1 part output).
_TIER_CUTS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(0), "free"),
    (Decimal("0.50"), "cheap"),
    (Decimal("3.00"), "mid"),
)


def tier_for_price(input_per_1m: Decimal, output_per_1m: Decimal) -> str:
    """Default tier for a model known only by its price: 0 -> free, <=$0.50 -> cheap, <=$3 -> mid, else premium."""
    blended = (3 * input_per_1m + output_per_1m) / 4
    for cut, tier in _TIER_CUTS:
        if blended <= cut:
            return tier
    return "premium"


def read_litellm_prices(
    path: str | Path,
    *,
    provider_map: Mapping[str, str] | None = None,
    known_providers: Iterable[str] = (),
) -> dict[str, Any]:
    """Convert a LiteLLM `model_prices_and_context_window.json` file into an override file's dict.

    Only `mode == "chat"` entries are taken. Per-token float prices become exact Decimals per 1M
    tokens; tiers come from `tier_for_price`. Providers not in `known_providers` are added as
    OpenAI-compatible providers without a base URL (set one in an override to call them).
    """
    source = str(path)
    data = read_catalog_file(path)
    mapping = dict(provider_map or {})
    known = set(known_providers)
    providers: dict[str, dict[str, Any]] = {}
    models: list[dict[str, Any]] = []
    for key, rec in data.items():
        if key == "sample_spec" or not isinstance(rec, Mapping) or rec.get("mode") != "chat":
            continue
        lp = str(rec.get("litellm_provider") or "")
        if not lp or "input_cost_per_token" not in rec or "output_cost_per_token" not in rec:
            continue
        pid = mapping.get(lp, lp.replace("_", "-"))
        name = key.split("/", 1)[1] if key.startswith(f"{lp}/") else key
        try:
            inp = Decimal(repr(float(rec["input_cost_per_token"]))) * 1_000_000
            out = Decimal(repr(float(rec["output_cost_per_token"]))) * 1_000_000
        except (TypeError, ValueError):
            raise ConfigError("price is not a number", source=source, entry=key, field="input_cost_per_token") from None
        ctx = rec.get("max_input_tokens") or rec.get("max_tokens") or 4096
        max_out = rec.get("max_output_tokens") or rec.get("max_tokens") or min(4096, int(ctx))
        caps = ["streaming"]
        if rec.get("supports_function_calling"):
            caps.append("tools")
        if rec.get("supports_vision"):
            caps.append("vision")
        if rec.get("supports_response_schema"):
            caps += ["json", "json_schema"]
        if rec.get("supports_reasoning"):
            caps.append("reasoning")
        if pid not in known and pid not in providers:
            providers[pid] = {"name": lp, "api": "openai", "notes": "imported from a LiteLLM price map"}
        models.append(
            {
                "id": f"{pid}/{name}",
                "provider": pid,
                "name": name,
                "tier": tier_for_price(inp, out),
                "input_per_1m": str(inp.normalize()),
                "output_per_1m": str(out.normalize()),
                "context_window": int(ctx),
                "max_output": int(min(int(max_out), int(ctx))),
                "capabilities": caps,
                "price_date": "unknown",
                "price_source": f"LiteLLM price map {os.path.basename(path)}",
            }
        )
    return {"providers": providers, "models": models}
