"""Core request and response types.

Light, validated, immutable dataclasses: the routing path imports nothing heavier than the
standard library (no pydantic, numpy or httpx), so `a3m route` starts fast. Every type has
`to_dict()` and a matching `from_dict()` for JSON (CLI output, cache persistence, config).
Validation errors are `InvalidRequest` naming the field.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal

from a3m_integrations.errors import InvalidRequest

__all__ = [
    "ROLES",
    "TIERS",
    "ChatChunk",
    "ChatRequest",
    "ChatResponse",
    "ContentPart",
    "ImagePart",
    "Message",
    "RequestContext",
    "ResponseFormat",
    "RoutingDecision",
    "TextPart",
    "Tier",
    "ToolCall",
    "ToolCallDelta",
    "ToolSpec",
    "Usage",
    "tier_index",
]

Role = Literal["system", "user", "assistant", "tool"]
ROLES: tuple[str, ...] = ("system", "user", "assistant", "tool")
Tier = Literal["free", "cheap", "mid", "premium"]
TIERS: tuple[Tier, ...] = ("free", "cheap", "mid", "premium")
_ZERO = Decimal(0)


def tier_index(tier: str) -> int:
    """Position of `tier` in TIERS (free=0 ... premium=3); InvalidRequest if unknown."""
    try:
        return TIERS.index(tier)
    except ValueError:
        raise InvalidRequest(f"unknown tier {tier!r}; expected one of {', '.join(TIERS)}", field="tier") from None


def _tuple(value: Iterable[Any] | None) -> tuple[Any, ...]:
    return () if value is None else tuple(value)


@dataclass(frozen=True, slots=True)
class TextPart:
    """A text part of a multimodal message."""

    text: str
    type: Literal["text"] = "text"

    def to_dict(self) -> dict[str, Any]:
        return {"type": "text", "text": self.text}


@dataclass(frozen=True, slots=True)
class ImagePart:
    """An image part: an https or data: URL, with the detail level providers bill by."""

    url: str
    detail: Literal["auto", "low", "high"] = "auto"
    type: Literal["image"] = "image"

    def __post_init__(self) -> None:
        if not self.url:
            raise InvalidRequest("image part needs a url (https:// or data:)", field="url")
        if self.detail not in ("auto", "low", "high"):
            raise InvalidRequest(f"image detail must be auto, low or high, not {self.detail!r}", field="detail")

    def to_dict(self) -> dict[str, Any]:
        return {"type": "image", "url": self.url, "detail": self.detail}


ContentPart = TextPart | ImagePart


def _part_from_dict(data: Mapping[str, Any]) -> ContentPart:
    kind = data.get("type")
    if kind == "text":
        return TextPart(str(data.get("text", "")))
    if kind in ("image", "image_url"):
        url = data.get("url")
        if url is None and isinstance(data.get("image_url"), Mapping):
            url = data["image_url"].get("url")
            detail = data["image_url"].get("detail", "auto")
        else:
            detail = data.get("detail", "auto")
        return ImagePart(str(url or ""), detail=detail)
    raise InvalidRequest(f"unknown content part type {kind!r}; use 'text' or 'image'", field="content")


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A tool call the model asked for. `arguments` is the raw JSON text the model produced."""

    id: str
    name: str
    arguments: str = "{}"

    def parsed_arguments(self) -> dict[str, Any]:
        """The arguments as a dict; InvalidRequest if the model produced invalid JSON."""
        try:
            value = json.loads(self.arguments or "{}")
        except json.JSONDecodeError as exc:
            raise InvalidRequest(
                f"tool call {self.name!r} has arguments that are not valid JSON ({exc.msg})",
                field="arguments",
                hint="Ask the model again or repair the arguments before running the tool.",
            ) from None
        if not isinstance(value, dict):
            raise InvalidRequest(f"tool call {self.name!r} arguments must be a JSON object", field="arguments")
        return value

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "arguments": self.arguments}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ToolCall:
        args = data.get("arguments", "{}")
        return cls(
            id=str(data.get("id", "")),
            name=str(data["name"]),
            arguments=args if isinstance(args, str) else json.dumps(args),
        )


@dataclass(frozen=True, slots=True)
class ToolCallDelta:
    """A fragment of a streamed tool call; fragments with the same index join into one ToolCall."""

    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "id": self.id, "name": self.name, "arguments": self.arguments}


@dataclass(frozen=True, slots=True)
class Message:
    """One chat message. `content` is text or a tuple of parts (text and images)."""

    role: Role
    content: str | tuple[ContentPart, ...] = ""
    name: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise InvalidRequest(f"message role must be one of {', '.join(ROLES)}, not {self.role!r}", field="role")
        if not isinstance(self.content, str):
            object.__setattr__(self, "content", tuple(self.content))
            for part in self.content:
                if not isinstance(part, (TextPart, ImagePart)):
                    raise InvalidRequest("message content parts must be TextPart or ImagePart", field="content")
        if not isinstance(self.tool_calls, tuple):
            object.__setattr__(self, "tool_calls", tuple(self.tool_calls))
        if self.tool_calls and self.role != "assistant":
            raise InvalidRequest("only assistant messages carry tool_calls", field="tool_calls")
        if self.role == "tool" and not self.tool_call_id:
            raise InvalidRequest("a tool message needs the tool_call_id it answers", field="tool_call_id")

    @property
    def text(self) -> str:
        """The message's text: the content string, or its text parts joined by newlines."""
        if isinstance(self.content, str):
            return self.content
        return "\n".join(p.text for p in self.content if isinstance(p, TextPart))

    @property
    def images(self) -> tuple[ImagePart, ...]:
        """The message's image parts."""
        if isinstance(self.content, str):
            return ()
        return tuple(p for p in self.content if isinstance(p, ImagePart))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "role": self.role,
            "content": self.content if isinstance(self.content, str) else [p.to_dict() for p in self.content],
        }
        if self.name is not None:
            out["name"] = self.name
        if self.tool_calls:
            out["tool_calls"] = [c.to_dict() for c in self.tool_calls]
        if self.tool_call_id is not None:
            out["tool_call_id"] = self.tool_call_id
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Message:
        if not isinstance(data, Mapping) or "role" not in data:
            raise InvalidRequest("each message must be an object with a 'role'", field="messages")
        content = data.get("content")
        parsed: str | tuple[ContentPart, ...]
        if content is None:
            parsed = ""
        elif isinstance(content, str):
            parsed = content
        elif isinstance(content, Sequence):
            parsed = tuple(_part_from_dict(p) for p in content)
        else:
            raise InvalidRequest("message content must be a string or a list of parts", field="content")
        return cls(
            role=data["role"],
            content=parsed,
            name=data.get("name"),
            tool_calls=tuple(ToolCall.from_dict(c) for c in data.get("tool_calls") or ()),
            tool_call_id=data.get("tool_call_id"),
        )

    @classmethod
    def user(cls, text: str) -> Message:
        """A user message with text content."""
        return cls("user", text)

    @classmethod
    def system(cls, text: str) -> Message:
        """A system message."""
        return cls("system", text)

    @classmethod
    def assistant(cls, text: str = "", tool_calls: Sequence[ToolCall] = ()) -> Message:
        """An assistant message, optionally with tool calls."""
        return cls("assistant", text, tool_calls=tuple(tool_calls))


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """A tool the model may call: a name, a description and a JSON schema for its arguments."""

    name: str
    description: str = ""
    parameters: Mapping[str, Any] = field(default_factory=lambda: {"type": "object", "properties": {}})
    strict: bool | None = None

    def __post_init__(self) -> None:
        name = self.name
        if not name or len(name) > 64 or not all(c.isalnum() or c in "_-" for c in name) or not name.isascii():
            raise InvalidRequest(f"tool name {name!r} must be 1-64 ASCII letters, digits, '_' or '-'", field="tools")
        if not isinstance(self.parameters, Mapping):
            raise InvalidRequest(f"tool {name!r} parameters must be a JSON schema object", field="tools")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "description": self.description, "parameters": dict(self.parameters)}
        if self.strict is not None:
            out["strict"] = self.strict
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ToolSpec:
        if data.get("type") == "function" and isinstance(data.get("function"), Mapping):
            data = data["function"]
        return cls(
            name=str(data.get("name", "")),
            description=str(data.get("description") or ""),
            parameters=data.get("parameters") or {"type": "object", "properties": {}},
            strict=data.get("strict"),
        )


@dataclass(frozen=True, slots=True)
class ResponseFormat:
    """Structured output: free text, any JSON object, or JSON matching `schema`."""

    type: Literal["text", "json_object", "json_schema"] = "json_object"
    schema: Mapping[str, Any] | None = None
    name: str | None = None
    strict: bool | None = None

    def __post_init__(self) -> None:
        if self.type not in ("text", "json_object", "json_schema"):
            raise InvalidRequest(
                f"response_format type must be text, json_object or json_schema, not {self.type!r}",
                field="response_format",
            )
        if self.type == "json_schema" and not isinstance(self.schema, Mapping):
            raise InvalidRequest("response_format json_schema needs a schema object", field="response_format")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type}
        if self.schema is not None:
            out["schema"] = dict(self.schema)
        if self.name is not None:
            out["name"] = self.name
        if self.strict is not None:
            out["strict"] = self.strict
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ResponseFormat:
        if data.get("type") == "json_schema" and isinstance(data.get("json_schema"), Mapping):
            inner = data["json_schema"]
            return cls("json_schema", inner.get("schema"), inner.get("name"), inner.get("strict"))
        return cls(data.get("type", "json_object"), data.get("schema"), data.get("name"), data.get("strict"))


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """A chat request as the gateway sees it, before routing.

    `model` None or "auto" lets the router choose; a catalog id pins the model (fallbacks still apply).
    `extra` passes provider-specific parameters through unchanged.
    """

    messages: tuple[Message, ...]
    model: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    top_p: float | None = None
    stop: tuple[str, ...] = ()
    tools: tuple[ToolSpec, ...] = ()
    tool_choice: str | Mapping[str, Any] | None = None
    response_format: ResponseFormat | None = None
    seed: int | None = None
    timeout: float | None = None
    max_retries: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("messages", "stop", "tools"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, _tuple(value))
        if not self.messages:
            raise InvalidRequest("a request needs at least one message", field="messages")
        for m in self.messages:
            if not isinstance(m, Message):
                raise InvalidRequest("messages must be Message objects (use Message.from_dict)", field="messages")
        if self.temperature is not None and not 0.0 <= self.temperature <= 2.0:
            raise InvalidRequest(f"temperature must be within [0, 2], not {self.temperature}", field="temperature")
        if self.top_p is not None and not 0.0 < self.top_p <= 1.0:
            raise InvalidRequest(f"top_p must be within (0, 1], not {self.top_p}", field="top_p")
        if self.max_tokens is not None and (not isinstance(self.max_tokens, int) or self.max_tokens < 1):
            raise InvalidRequest(f"max_tokens must be a positive integer, not {self.max_tokens!r}", field="max_tokens")
        if self.timeout is not None and not self.timeout > 0:
            raise InvalidRequest(f"timeout must be positive seconds, not {self.timeout!r}", field="timeout")
        if self.max_retries is not None and self.max_retries < 0:
            raise InvalidRequest("max_retries must be 0 or more", field="max_retries")
        names = [t.name for t in self.tools]
        if len(set(names)) != len(names):
            raise InvalidRequest("tool names must be unique", field="tools")
        choice = self.tool_choice
        if isinstance(choice, str) and choice not in ("auto", "none", "required", "any") and choice not in names:
            raise InvalidRequest(
                f"tool_choice {choice!r} is not auto/none/required or a tool name", field="tool_choice"
            )

    @classmethod
    def of(cls, prompt: str | Sequence[Message | Mapping[str, Any]], **kwargs: Any) -> ChatRequest:
        """Build a request from a prompt string or a list of messages (objects or dicts)."""
        if isinstance(prompt, str):
            messages: tuple[Message, ...] = (Message.user(prompt),)
        else:
            messages = tuple(m if isinstance(m, Message) else Message.from_dict(m) for m in prompt)
        return cls(messages=messages, **kwargs)

    @property
    def system_prompt(self) -> str:
        """All system messages' text, joined."""
        return "\n".join(m.text for m in self.messages if m.role == "system")

    @property
    def last_user_text(self) -> str:
        """Text of the last user message ('' if none)."""
        for m in reversed(self.messages):
            if m.role == "user":
                return m.text
        return ""

    @property
    def has_images(self) -> bool:
        """Whether any message carries an image."""
        return any(m.images for m in self.messages)

    def with_messages(self, messages: Sequence[Message]) -> ChatRequest:
        """A copy with other messages (used by guardrails that redact)."""
        return replace(self, messages=tuple(messages))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"messages": [m.to_dict() for m in self.messages]}
        for name in ("model", "temperature", "max_tokens", "top_p", "seed", "timeout", "max_retries"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.stop:
            out["stop"] = list(self.stop)
        if self.tools:
            out["tools"] = [t.to_dict() for t in self.tools]
        if self.tool_choice is not None:
            out["tool_choice"] = self.tool_choice if isinstance(self.tool_choice, str) else dict(self.tool_choice)
        if self.response_format is not None:
            out["response_format"] = self.response_format.to_dict()
        if self.extra:
            out["extra"] = dict(self.extra)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ChatRequest:
        if not isinstance(data, Mapping):
            raise InvalidRequest("a request must be a JSON object", field="request")
        rf = data.get("response_format")
        return cls(
            messages=tuple(Message.from_dict(m) for m in data.get("messages") or ()),
            model=data.get("model"),
            temperature=data.get("temperature"),
            max_tokens=data.get("max_tokens"),
            top_p=data.get("top_p"),
            stop=_tuple(data.get("stop")),
            tools=tuple(ToolSpec.from_dict(t) for t in data.get("tools") or ()),
            tool_choice=data.get("tool_choice"),
            response_format=ResponseFormat.from_dict(rf) if isinstance(rf, Mapping) else None,
            seed=data.get("seed"),
            timeout=data.get("timeout"),
            max_retries=data.get("max_retries"),
            extra=data.get("extra") or {},
        )


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens a call used. `estimated` is True when we counted them because the provider did not say."""

    input_tokens: int = 0
    output_tokens: int = 0
    cached_input_tokens: int = 0
    reasoning_tokens: int = 0
    estimated: bool = False

    def __post_init__(self) -> None:
        for name in ("input_tokens", "output_tokens", "cached_input_tokens", "reasoning_tokens"):
            if getattr(self, name) < 0:
                raise InvalidRequest(f"usage {name} cannot be negative", field=name)

    @property
    def total_tokens(self) -> int:
        """Input plus output tokens."""
        return self.input_tokens + self.output_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cached_input_tokens + other.cached_input_tokens,
            self.reasoning_tokens + other.reasoning_tokens,
            self.estimated or other.estimated,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "total_tokens": self.total_tokens,
            "cached_input_tokens": self.cached_input_tokens,
            "reasoning_tokens": self.reasoning_tokens,
            "estimated": self.estimated,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Usage:
        return cls(
            int(data.get("input_tokens", 0)),
            int(data.get("output_tokens", 0)),
            int(data.get("cached_input_tokens", 0)),
            int(data.get("reasoning_tokens", 0)),
            bool(data.get("estimated", False)),
        )


@dataclass(frozen=True, slots=True)
class RoutingDecision:
    """Which model answers a request, why, at what estimated cost, and what to try if it fails."""

    model: str
    provider: str
    tier: Tier
    complexity: float
    estimated_cost: Decimal = _ZERO
    reasons: tuple[str, ...] = ()
    fallbacks: tuple[str, ...] = ()
    router: str = "heuristic"
    scores: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        tier_index(self.tier)
        if not 0.0 <= self.complexity <= 1.0:
            raise InvalidRequest(f"complexity must be within [0, 1], not {self.complexity}", field="complexity")

    @property
    def candidates(self) -> tuple[str, ...]:
        """The chosen model followed by its fallbacks, in the order they are tried."""
        return (self.model, *self.fallbacks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "provider": self.provider,
            "tier": self.tier,
            "complexity": round(self.complexity, 4),
            "estimated_cost": str(self.estimated_cost),
            "reasons": list(self.reasons),
            "fallbacks": list(self.fallbacks),
            "router": self.router,
            "scores": dict(self.scores),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RoutingDecision:
        return cls(
            model=data["model"],
            provider=data["provider"],
            tier=data["tier"],
            complexity=float(data["complexity"]),
            estimated_cost=Decimal(str(data.get("estimated_cost", "0"))),
            reasons=_tuple(data.get("reasons")),
            fallbacks=_tuple(data.get("fallbacks")),
            router=data.get("router", "heuristic"),
            scores=data.get("scores") or {},
        )


@dataclass(frozen=True, slots=True)
class ChatResponse:
    """A completed answer with the decision, usage and cost behind it."""

    message: Message
    model: str
    provider: str = ""
    usage: Usage = field(default_factory=Usage)
    cost: Decimal = _ZERO
    finish_reason: str | None = None
    id: str | None = None
    decision: RoutingDecision | None = None
    cache_hit: bool = False
    saved_cost: Decimal = _ZERO
    latency_ms: float | None = None
    attempts: int = 1
    flags: tuple[str, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The answer's text."""
        return self.message.text

    def to_dict(self) -> dict[str, Any]:
        return {
            "message": self.message.to_dict(),
            "model": self.model,
            "provider": self.provider,
            "usage": self.usage.to_dict(),
            "cost": str(self.cost),
            "finish_reason": self.finish_reason,
            "id": self.id,
            "decision": self.decision.to_dict() if self.decision else None,
            "cache_hit": self.cache_hit,
            "saved_cost": str(self.saved_cost),
            "latency_ms": self.latency_ms,
            "attempts": self.attempts,
            "flags": list(self.flags),
            "metadata": dict(self.metadata),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ChatResponse:
        decision = data.get("decision")
        return cls(
            message=Message.from_dict(data["message"]),
            model=data["model"],
            provider=data.get("provider", ""),
            usage=Usage.from_dict(data.get("usage") or {}),
            cost=Decimal(str(data.get("cost", "0"))),
            finish_reason=data.get("finish_reason"),
            id=data.get("id"),
            decision=RoutingDecision.from_dict(decision) if decision else None,
            cache_hit=bool(data.get("cache_hit", False)),
            saved_cost=Decimal(str(data.get("saved_cost", "0"))),
            latency_ms=data.get("latency_ms"),
            attempts=int(data.get("attempts", 1)),
            flags=_tuple(data.get("flags")),
            metadata=data.get("metadata") or {},
        )


@dataclass(frozen=True, slots=True)
class ChatChunk:
    """One piece of a streamed answer. The last chunk carries `response`: the whole answer with usage and cost."""

    text: str = ""
    tool_calls: tuple[ToolCallDelta, ...] = ()
    finish_reason: str | None = None
    usage: Usage | None = None
    model: str | None = None
    response: ChatResponse | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "tool_calls": [d.to_dict() for d in self.tool_calls],
            "finish_reason": self.finish_reason,
            "usage": self.usage.to_dict() if self.usage else None,
            "model": self.model,
            "response": self.response.to_dict() if self.response else None,
        }


@dataclass(frozen=True, slots=True)
class RequestContext:
    """Who a request is for: user, team, API key id (an id, never the key), tags and route name."""

    user: str | None = None
    team: str | None = None
    api_key_id: str | None = None
    tags: tuple[str, ...] = ()
    route: str | None = None
    request_id: str = field(default_factory=lambda: os.urandom(16).hex())
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if isinstance(self.tags, str):
            object.__setattr__(self, "tags", (self.tags,))
        elif not isinstance(self.tags, tuple):
            object.__setattr__(self, "tags", _tuple(self.tags))
        for name in ("user", "team", "api_key_id", "route"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise InvalidRequest(f"context {name} must be a non-empty string or None", field=name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "user": self.user,
            "team": self.team,
            "api_key_id": self.api_key_id,
            "tags": list(self.tags),
            "route": self.route,
            "request_id": self.request_id,
            "metadata": dict(self.metadata),
        }

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> RequestContext:
        """Build a context from a framework's metadata dict, ignoring keys it does not know."""
        data = data or {}
        known = {k: data[k] for k in ("user", "team", "api_key_id", "tags", "route", "request_id") if k in data}
        if "user_id" in data and "user" not in known:
            known["user"] = data["user_id"]
        if "team_id" in data and "team" not in known:
            known["team"] = data["team_id"]
        extra = {k: v for k, v in data.items() if k not in known}
        return cls(**known, metadata=extra)
