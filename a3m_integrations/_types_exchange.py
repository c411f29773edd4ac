"""Requests, responses, usage, routing decisions and request context (re-exported by `types`)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from decimal import Decimal

from a3m_integrations._record import Record
from a3m_integrations._types_messages import (
    Message,
    ResponseFormat,
    Tier,
    ToolCallDelta,
    ToolSpec,
    _tuple,
    tier_index,
)
from a3m_integrations.errors import InvalidRequest

TYPE_CHECKING = False  # typing is not imported at run time: the routing path must start fast
if TYPE_CHECKING:
    from typing import Any

_set = object.__setattr__
_ZERO = Decimal(0)

__all__ = ["ChatChunk", "ChatRequest", "ChatResponse", "RequestContext", "RoutingDecision", "Usage"]


class ChatRequest(Record):
    """A chat request as the gateway sees it, before routing.

    `model` None or "auto" lets the router choose; a catalog id pins the model (fallbacks still apply).
    `extra` passes provider-specific parameters through unchanged.
    """

    __slots__ = (
        "extra",
        "max_retries",
        "max_tokens",
        "messages",
        "model",
        "response_format",
        "seed",
        "stop",
        "temperature",
        "timeout",
        "tool_choice",
        "tools",
        "top_p",
    )
    messages: tuple[Message, ...]
    model: str | None
    temperature: float | None
    max_tokens: int | None
    top_p: float | None
    stop: tuple[str, ...]
    tools: tuple[ToolSpec, ...]
    tool_choice: str | Mapping[str, Any] | None
    response_format: ResponseFormat | None
    seed: int | None
    timeout: float | None
    max_retries: int | None
    extra: Mapping[str, Any]

    def __init__(
        self,
        messages: tuple[Message, ...],
        model: str | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        top_p: float | None = None,
        stop: tuple[str, ...] = (),
        tools: tuple[ToolSpec, ...] = (),
        tool_choice: str | Mapping[str, Any] | None = None,
        response_format: ResponseFormat | None = None,
        seed: int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        _set(self, "messages", messages)
        _set(self, "model", model)
        _set(self, "temperature", temperature)
        _set(self, "max_tokens", max_tokens)
        _set(self, "top_p", top_p)
        _set(self, "stop", stop)
        _set(self, "tools", tools)
        _set(self, "tool_choice", tool_choice)
        _set(self, "response_format", response_format)
        _set(self, "seed", seed)
        _set(self, "timeout", timeout)
        _set(self, "max_retries", max_retries)
        _set(self, "extra", {} if extra is None else extra)
        self._validate()

    def _validate(self) -> None:
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
        for m in self.messages:  # noqa: SIM110 (a loop, not any(generator): this is on the routing path)
            if m.images:
                return True
        return False

    def with_messages(self, messages: Sequence[Message]) -> ChatRequest:
        """A copy with other messages (used by guardrails that redact)."""
        return self.replace(messages=tuple(messages))

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


class Usage(Record):
    """Tokens a call used. `estimated` is True when we counted them because the provider did not say."""

    __slots__ = ("cached_input_tokens", "estimated", "input_tokens", "output_tokens", "reasoning_tokens")
    input_tokens: int
    output_tokens: int
    cached_input_tokens: int
    reasoning_tokens: int
    estimated: bool

    def __init__(
        self,
        input_tokens: int = 0,
        output_tokens: int = 0,
        cached_input_tokens: int = 0,
        reasoning_tokens: int = 0,
        estimated: bool = False,
    ) -> None:
        _set(self, "input_tokens", input_tokens)
        _set(self, "output_tokens", output_tokens)
        _set(self, "cached_input_tokens", cached_input_tokens)
        _set(self, "reasoning_tokens", reasoning_tokens)
        _set(self, "estimated", estimated)
        self._validate()

    def _validate(self) -> None:
        if self.input_tokens < 0 or self.output_tokens < 0 or self.cached_input_tokens < 0 or self.reasoning_tokens < 0:
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


class RoutingDecision(Record):
    """Which model answers a request, why, at what estimated cost, and what to try if it fails."""

    __slots__ = (
        "complexity",
        "estimated_cost",
        "fallbacks",
        "model",
        "provider",
        "reasons",
        "router",
        "scores",
        "tier",
    )
    model: str
    provider: str
    tier: Tier
    complexity: float
    estimated_cost: Decimal
    reasons: tuple[str, ...]
    fallbacks: tuple[str, ...]
    router: str
    scores: Mapping[str, float]

    def __init__(
        self,
        model: str,
        provider: str,
        tier: Tier,
        complexity: float,
        estimated_cost: Decimal = _ZERO,
        reasons: tuple[str, ...] = (),
        fallbacks: tuple[str, ...] = (),
        router: str = "heuristic",
        scores: Mapping[str, float] | None = None,
    ) -> None:
        # the slots' own setters (in __slots__ order): cheaper than object.__setattr__ by name
        (
            set_complexity, set_estimated_cost, set_fallbacks, set_model, set_provider, set_reasons, set_router,
            set_scores, set_tier,
        ) = RoutingDecision._slot_setters  # fmt: skip
        set_model(self, model)
        set_provider(self, provider)
        set_tier(self, tier)
        set_complexity(self, complexity)
        set_estimated_cost(self, estimated_cost)
        set_reasons(self, reasons)
        set_fallbacks(self, fallbacks)
        set_router(self, router)
        set_scores(self, {} if scores is None else scores)
        self._validate()

    def _validate(self) -> None:
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


class ChatResponse(Record):
    """A completed answer with the decision, usage and cost behind it.

    `saved_cost` is the baseline model's price for the same usage minus `cost`: negative when
    the routed model cost more than the baseline would have (for a cache hit, the original cost).
    """

    __slots__ = (
        "attempts",
        "cache_hit",
        "cost",
        "decision",
        "finish_reason",
        "flags",
        "id",
        "latency_ms",
        "message",
        "metadata",
        "model",
        "provider",
        "saved_cost",
        "usage",
    )
    message: Message
    model: str
    provider: str
    usage: Usage
    cost: Decimal
    finish_reason: str | None
    id: str | None
    decision: RoutingDecision | None
    cache_hit: bool
    saved_cost: Decimal
    latency_ms: float | None
    attempts: int
    flags: tuple[str, ...]
    metadata: Mapping[str, Any]

    def __init__(
        self,
        message: Message,
        model: str,
        provider: str = "",
        usage: Usage | None = None,
        cost: Decimal = _ZERO,
        finish_reason: str | None = None,
        id: str | None = None,
        decision: RoutingDecision | None = None,
        cache_hit: bool = False,
        saved_cost: Decimal = _ZERO,
        latency_ms: float | None = None,
        attempts: int = 1,
        flags: tuple[str, ...] = (),
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        _set(self, "message", message)
        _set(self, "model", model)
        _set(self, "provider", provider)
        _set(self, "usage", Usage() if usage is None else usage)
        _set(self, "cost", cost)
        _set(self, "finish_reason", finish_reason)
        _set(self, "id", id)
        _set(self, "decision", decision)
        _set(self, "cache_hit", cache_hit)
        _set(self, "saved_cost", saved_cost)
        _set(self, "latency_ms", latency_ms)
        _set(self, "attempts", attempts)
        _set(self, "flags", flags)
        _set(self, "metadata", {} if metadata is None else metadata)

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


class ChatChunk(Record):
    """One piece of a streamed answer. The last chunk carries `response`: the whole answer with usage and cost."""

    __slots__ = ("finish_reason", "model", "response", "text", "tool_calls", "usage")
    text: str
    tool_calls: tuple[ToolCallDelta, ...]
    finish_reason: str | None
    usage: Usage | None
    model: str | None
    response: ChatResponse | None

    def __init__(
        self,
        text: str = "",
        tool_calls: tuple[ToolCallDelta, ...] = (),
        finish_reason: str | None = None,
        usage: Usage | None = None,
        model: str | None = None,
        response: ChatResponse | None = None,
    ) -> None:
        _set(self, "text", text)
        _set(self, "tool_calls", tool_calls)
        _set(self, "finish_reason", finish_reason)
        _set(self, "usage", usage)
        _set(self, "model", model)
        _set(self, "response", response)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "tool_calls": [d.to_dict() for d in self.tool_calls],
            "finish_reason": self.finish_reason,
            "usage": self.usage.to_dict() if self.usage else None,
            "model": self.model,
            "response": self.response.to_dict() if self.response else None,
        }


class RequestContext(Record):
    """Who a request is for: user, team, API key id (an id, never the key), tags and route name."""

    __slots__ = ("api_key_id", "metadata", "request_id", "route", "tags", "team", "user")
    user: str | None
    team: str | None
    api_key_id: str | None
    tags: tuple[str, ...]
    route: str | None
    request_id: str
    metadata: Mapping[str, Any]

    def __init__(
        self,
        user: str | None = None,
        team: str | None = None,
        api_key_id: str | None = None,
        tags: tuple[str, ...] = (),
        route: str | None = None,
        request_id: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        _set(self, "user", user)
        _set(self, "team", team)
        _set(self, "api_key_id", api_key_id)
        _set(self, "tags", tags)
        _set(self, "route", route)
        _set(self, "request_id", os.urandom(16).hex() if request_id is None else request_id)
        _set(self, "metadata", {} if metadata is None else metadata)
        self._validate()

    def _validate(self) -> None:
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
