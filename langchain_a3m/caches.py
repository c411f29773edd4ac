"""`A3MSemanticCache`: the a3m semantic cache as a LangChain `BaseCache` (for `set_llm_cache`).

LangChain keys its cache by (prompt, llm_string). For chat models the prompt is `dumps(messages)`;
it is converted back to core messages so the semantic level works on the last user turn while
earlier turns must match exactly. The llm_string (model class, model name, temperature, stop and
every other parameter) is hashed into the request, so any parameter change is a different scope;
the model name and temperature are also read from it for the route's temperature policy. The
generations are stored verbatim (LangChain's own serialisation) and returned as they were.

LangChain's `.stream()` does not consult the cache (langchain#23701); the a3m gateway replays
cached answers as streams itself.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import warnings
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from langchain_core.caches import RETURN_VAL_TYPE, BaseCache
from langchain_core.load import Serializable, dumps, loads
from langchain_core.messages import AIMessage, AIMessageChunk, ChatMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, Generation, GenerationChunk

from a3m_integrations.cache.semantic import SemanticCache
from a3m_integrations.errors import A3MError, CacheError
from a3m_integrations.types import (
    ChatRequest,
    ChatResponse,
    ContentPart,
    ImagePart,
    Message,
    RequestContext,
    TextPart,
    ToolCall,
    Usage,
)

__all__ = ["A3MSemanticCache"]

_log = logging.getLogger("langchain_a3m.caches")
_ROLES = {"human": "user", "user": "user", "ai": "assistant", "assistant": "assistant", "system": "system"}
_ALLOWED: list[type[Serializable]] = [
    Generation,
    GenerationChunk,
    ChatGeneration,
    ChatGenerationChunk,
    AIMessage,
    AIMessageChunk,
    HumanMessage,
    SystemMessage,
    ToolMessage,
    ChatMessage,
]
_GENERATIONS = "langchain_generations"
_PARAM = re.compile(r"\('(model_name|model|temperature)', ([^)]+?)\)")


def _content(value: Any) -> str | tuple[ContentPart, ...]:
    if isinstance(value, str):
        return value
    parts: list[ContentPart] = []
    for block in value or ():
        if isinstance(block, str):
            parts.append(TextPart(block))
        elif isinstance(block, Mapping) and block.get("type") == "text":
            parts.append(TextPart(str(block.get("text", ""))))
        elif isinstance(block, Mapping) and block.get("type") in ("image_url", "image"):
            url = block.get("image_url", block.get("url"))
            url = url.get("url") if isinstance(url, Mapping) else url
            parts.append(ImagePart(str(url or block.get("source", "") or "data:")))
        else:  # other blocks are kept as their JSON text so the exact key still sees them
            parts.append(TextPart(json.dumps(block, sort_keys=True, default=str)))
    return tuple(parts)


def _message(data: Mapping[str, Any]) -> Message:
    kwargs = data.get("kwargs") or {}
    kind = str(kwargs.get("type") or (data.get("id") or [""])[-1]).lower().removesuffix("messagechunk")
    kind = kind.removesuffix("message")
    content = _content(kwargs.get("content", ""))
    if kind == "tool":
        return Message("tool", content, tool_call_id=str(kwargs.get("tool_call_id") or "-"))
    if kind == "chat":
        role = _ROLES.get(str(kwargs.get("role", "user")), "user")
        return Message(role, content)  # type: ignore[arg-type]
    role = _ROLES.get(kind, "user")
    calls = tuple(
        ToolCall(str(c.get("id") or ""), str(c.get("name")), json.dumps(c.get("args") or {}, sort_keys=True))
        for c in kwargs.get("tool_calls") or ()
        if isinstance(c, Mapping) and c.get("name")
    )
    return Message(role, content, name=kwargs.get("name"), tool_calls=calls if role == "assistant" else ())  # type: ignore[arg-type]


def _messages(prompt: str) -> tuple[Message, ...]:
    """Core messages of a LangChain prompt: `dumps(messages)` for chat models, the raw text otherwise."""
    try:
        data = json.loads(prompt)
        if isinstance(data, list) and data and all(isinstance(d, Mapping) and d.get("lc") for d in data):
            return tuple(_message(d) for d in data)
    except (ValueError, TypeError, A3MError):
        pass
    return (Message.user(prompt),)


def _settings(llm_string: str) -> tuple[str | None, float | None]:
    """Best-effort model name and temperature from an llm_string (they also stay inside its hash)."""
    model: str | None = None
    temperature: float | None = None
    head = llm_string.split("---", 1)[0]
    try:
        kwargs = json.loads(head).get("kwargs", {})
        model = kwargs.get("model_name") or kwargs.get("model")
        temperature = kwargs.get("temperature")
    except (ValueError, AttributeError):
        for name, raw in _PARAM.findall(llm_string):
            value = raw.strip().strip("'\"")
            if name == "temperature":
                try:
                    temperature = float(value)
                except ValueError:
                    temperature = None
            else:
                model = model or value
    model = model if isinstance(model, str) and model else None
    temperature = float(temperature) if isinstance(temperature, (int, float)) else None
    return model, temperature


def _request(prompt: str, llm_string: str) -> ChatRequest:
    model, temperature = _settings(llm_string)
    digest = hashlib.sha256(llm_string.encode("utf-8")).hexdigest()
    return ChatRequest(
        messages=_messages(prompt),
        model=model or "langchain",
        temperature=temperature,
        extra={"langchain_llm_string": digest},
    )


def _response(generations: RETURN_VAL_TYPE, llm_string: str) -> ChatResponse:
    first = generations[0] if generations else Generation(text="")
    message = getattr(first, "message", None)
    calls: tuple[ToolCall, ...] = ()
    usage = Usage()
    if isinstance(message, AIMessage):
        calls = tuple(
            ToolCall(str(c.get("id") or ""), c["name"], json.dumps(c.get("args") or {})) for c in message.tool_calls
        )
        meta = message.usage_metadata
        if meta:
            usage = Usage(int(meta.get("input_tokens", 0)), int(meta.get("output_tokens", 0)))
    model, _ = _settings(llm_string)
    return ChatResponse(
        message=Message.assistant(first.text, tool_calls=calls),
        model=model or "langchain",
        usage=usage,
        cost=Decimal(0),
        metadata={_GENERATIONS: dumps(list(generations))},
    )


def _generations(response: ChatResponse) -> list[Generation]:
    raw = response.metadata.get(_GENERATIONS)
    if isinstance(raw, str):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # LangChainBetaWarning: `loads` is beta
            value = loads(raw, allowed_objects=_ALLOWED)
        if isinstance(value, list) and all(isinstance(g, Generation) for g in value):
            return value
    return [ChatGeneration(message=AIMessage(content=response.text))]


class A3MSemanticCache(BaseCache):
    """LangChain cache backed by the a3m `SemanticCache` (exact + guarded semantic hits).

    Args:
        cache: an existing `SemanticCache` to share; otherwise one is built from `path` and `options`.
        path: cache directory (None keeps it in memory).
        context: the tenant every entry belongs to (LangChain's cache API carries no per-call
            metadata, so use one instance per tenant or a policy with namespace_scope="global").
        raise_errors: raise `CacheError` from lookups and updates; by default a broken cache is
            logged and treated as a miss, so the model is still called.
        **options: passed to `SemanticCache` (embedder, policy, routes, max_entries, ...).
    """

    def __init__(
        self,
        cache: SemanticCache | None = None,
        *,
        path: str | Path | None = None,
        context: RequestContext | None = None,
        raise_errors: bool = False,
        **options: Any,
    ) -> None:
        self.cache = cache if cache is not None else SemanticCache(path, **options)
        self.context = context or RequestContext()
        self.raise_errors = raise_errors

    def __repr__(self) -> str:
        return f"A3MSemanticCache({self.cache!r})"

    def _failed(self, op: str, exc: A3MError) -> None:
        error = exc if isinstance(exc, CacheError) else CacheError(f"cache {op} failed: {exc.message}")
        if self.raise_errors:
            raise error from exc
        _log.warning("a3m cache %s failed, treated as a miss: %s", op, error)

    def lookup(self, prompt: str, llm_string: str) -> RETURN_VAL_TYPE | None:
        """Generations stored for this prompt and LLM configuration (or a guarded paraphrase), else None."""
        try:
            hit = self.cache.lookup(_request(prompt, llm_string), self.context)
        except A3MError as exc:
            self._failed("lookup", exc)
            return None
        return None if hit is None else _generations(hit.response)

    def update(self, prompt: str, llm_string: str, return_val: RETURN_VAL_TYPE) -> None:
        """Store generations for this prompt and LLM configuration."""
        try:
            self.cache.store(_request(prompt, llm_string), self.context, _response(return_val, llm_string))
        except A3MError as exc:
            self._failed("update", exc)

    def clear(self, **kwargs: Any) -> None:
        """Delete every entry, or only `namespace=...`'s."""
        self.cache.clear(kwargs.get("namespace"))

    async def alookup(self, prompt: str, llm_string: str) -> RETURN_VAL_TYPE | None:
        """Async `lookup`."""
        try:
            hit = await self.cache.alookup(_request(prompt, llm_string), self.context)
        except A3MError as exc:
            self._failed("lookup", exc)
            return None
        return None if hit is None else _generations(hit.response)

    async def aupdate(self, prompt: str, llm_string: str, return_val: RETURN_VAL_TYPE) -> None:
        """Async `update`."""
        try:
            await self.cache.astore(_request(prompt, llm_string), self.context, _response(return_val, llm_string))
        except A3MError as exc:
            self._failed("update", exc)

    async def aclear(self, **kwargs: Any) -> None:
        """Async `clear`."""
        await self.cache.aclear(kwargs.get("namespace"))
