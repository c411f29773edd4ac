"""Who a call is for, read from a LangChain run's config: one model object serves many tenants.

    model.invoke("hi", config={"metadata": {"user": "alice", "team": "research"}})
    model.invoke("hi", config={"configurable": {"user_id": "bob", "route": "support"}})

Keys (metadata first, `configurable` wins): `user` (or `user_id`), `team` (or `team_id`),
`api_key_id`, `route`, `tags` (a string or a list; the run's own `tags` are added, without
LangChain's internal `seq:`/`graph:`/`langsmith:` ones). Pure functions only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from a3m_integrations.types import RequestContext

__all__ = ["CONTEXT_KEY", "context_fields", "request_context"]

#: The keyword argument that carries the context fields from `invoke`/`stream` to `_generate`/`_stream`.
CONTEXT_KEY = "a3m_context"
_ALIASES = {"user": "user", "user_id": "user", "team": "team", "team_id": "team"}
_ALIASES.update({"api_key_id": "api_key_id", "route": "route"})
_INTERNAL_TAG_PREFIXES = ("seq:", "graph:", "langsmith:", "map:", "branch:", "condition:")


def _tags(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value]
    return [str(value)]


def _read(source: Mapping[str, Any] | None, out: dict[str, Any]) -> None:
    for key, value in (source or {}).items():
        field = _ALIASES.get(key)
        if field is not None and isinstance(value, str) and value.strip():
            out[field] = value
        elif key == "tags":
            out["tags"] = _tags(value)


def context_fields(config: Mapping[str, Any] | None) -> dict[str, Any]:
    """The context fields of a run config (`metadata`, then `configurable`, plus the run's user tags)."""
    if not config:
        return {}
    out: dict[str, Any] = {}
    _read(config.get("metadata"), out)
    _read(config.get("configurable"), out)
    run_tags = [t for t in _tags(config.get("tags")) if not t.startswith(_INTERNAL_TAG_PREFIXES)]
    if run_tags:
        out["tags"] = list(dict.fromkeys([*out.get("tags", []), *run_tags]))
    if "tags" in out:
        out["tags"] = tuple(out["tags"])
    return out


def request_context(
    fields: Mapping[str, Any] | None, defaults: Mapping[str, Any] | None = None, request_id: str | None = None
) -> RequestContext:
    """A RequestContext from context fields over the model's defaults; `request_id` ties it to the run."""
    merged = {**(defaults or {}), **(fields or {})}
    merged = {k: v for k, v in merged.items() if k in ("user", "team", "api_key_id", "route", "tags")}
    if "tags" in merged:
        merged["tags"] = tuple(_tags(merged["tags"]))
    return RequestContext(**merged, request_id=request_id)
