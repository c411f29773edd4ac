"""Cache keys: what identifies an answer, and which requests may share one.

The exact key hashes the tenant namespace and the whole normalised request: every message (role,
name, text, images, tool calls and results), the model asked for ("auto" when the router chooses),
the route, temperature, top_p, max_tokens, stop sequences, seed, tools, tool_choice,
response_format and provider extras. Timeouts and retry counts are left out: they do not change
the answer. Tool-call ids are left out too: providers mint fresh ones on every call.

The semantic level embeds only the last user turn. Its *scope* hashes everything else: namespace,
settings, and every earlier message (system prompt and prior turns), so a near-duplicate is
looked for only among requests that match exactly in all but the wording of that last turn.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from a3m_integrations.cache.policy import NamespaceScope, RoutePolicy
from a3m_integrations.types import ChatRequest, Message, RequestContext

__all__ = ["RequestKey", "namespace_for", "request_key"]

_VERSION = "a3m-cache-key/1"


@dataclass(frozen=True, slots=True)
class RequestKey:
    """The keys of one request. `text` is None when the semantic level does not apply (`why_exact` says why)."""

    exact: str
    scope: str
    namespace: str
    route: str | None
    text: str | None
    why_exact: str | None = None


def namespace_for(context: RequestContext, scope: NamespaceScope) -> str:
    """The tenant namespace of a request: never shared across users unless `scope` widens it.

    "user" separates team and user (the API key id stands in for a missing user); "team" shares
    within a team; "global" shares with everyone. `context.metadata["cache_namespace"]` narrows
    further (it is appended, never widening the scope).
    """
    if scope == "global":
        base = "global"
    elif scope == "team":
        base = f"team={context.team or '-'}"
    else:
        base = f"team={context.team or '-'};user={context.user or context.api_key_id or '-'}"
    extra = context.metadata.get("cache_namespace") if context.metadata else None
    return f"{base};ns={extra}" if isinstance(extra, str) and extra else base


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _arguments(raw: str) -> Any:
    try:
        return json.loads(raw or "{}")
    except json.JSONDecodeError:
        return _text(raw)


def _message(m: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"role": m.role, "text": _text(m.text)}
    if m.images:
        out["images"] = [[i.url, i.detail] for i in m.images]
    if m.name:
        out["name"] = m.name
    if m.tool_calls:
        out["tool_calls"] = [[c.name, _arguments(c.arguments)] for c in m.tool_calls]
    if m.role == "tool":
        out["tool_result"] = True
    return out


def _number(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)


def _settings(request: ChatRequest, context: RequestContext) -> dict[str, Any]:
    model = request.model if request.model and request.model != "auto" else "auto"
    return {
        "model": model,
        "route": context.route,
        "temperature": _number(request.temperature),
        "top_p": _number(request.top_p),
        "max_tokens": request.max_tokens,
        "stop": sorted(request.stop),
        "seed": request.seed,
        "tools": [t.to_dict() for t in request.tools],
        "tool_choice": dict(request.tool_choice) if isinstance(request.tool_choice, Mapping) else request.tool_choice,
        "response_format": request.response_format.to_dict() if request.response_format else None,
        "extra": dict(request.extra),
    }


def _digest(*parts: Any) -> str:
    blob = json.dumps([_VERSION, *parts], sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def request_key(request: ChatRequest, context: RequestContext, policy: RoutePolicy) -> RequestKey:
    """The exact key, the semantic scope and the text to embed (if the semantic level applies)."""
    namespace = namespace_for(context, policy.namespace_scope)
    settings = _settings(request, context)
    messages = [_message(m) for m in request.messages]
    exact = _digest(namespace, settings, messages)
    last = request.messages[-1]
    why: str | None = None
    if not policy.semantic:
        why = "semantic level off for this route"
    elif last.role != "user":
        why = "last message is not a user turn"
    elif any(m.images for m in request.messages):
        why = "images are matched exactly only"
    elif not last.text.strip():
        why = "empty user turn"
    elif len(last.text) > policy.semantic_max_chars:
        why = f"user turn longer than {policy.semantic_max_chars} characters"
    elif not policy.multi_turn and any(m.role in ("user", "assistant", "tool") for m in request.messages[:-1]):
        why = "multi-turn semantic hits are off for this route"
    scope = _digest(namespace, settings, messages[:-1], "semantic")
    text = None if why else _text(last.text)
    return RequestKey(exact, scope, namespace, context.route, text, why)
