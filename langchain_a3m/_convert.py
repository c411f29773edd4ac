"""Pure converters between LangChain types and the core's types. Nothing here touches a model object.

For A3MChatModel, LangChain -> core: `to_core_messages`, `to_core_tools` (from
`convert_to_openai_tool` output), `to_core_tool_choice`, `to_core_response_format`; core ->
LangChain: `from_core_response` (an AIMessage with `tool_calls`/`invalid_tool_calls`, usage and
metadata), `from_core_chunk` (an AIMessageChunk with `tool_call_chunks`; usage and metadata only
on the last one, so adding chunks never double-counts), `response_metadata`, `_create_usage_metadata`.

For LangChainProvider, the other way: `from_core_message`, `from_core_tools`, then
`to_core_response`, `to_core_usage`, `to_core_chunk` for the wrapped model's answers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.messages.ai import InputTokenDetails, OutputTokenDetails, UsageMetadata
from langchain_core.messages.tool import invalid_tool_call, tool_call, tool_call_chunk
from langchain_core.outputs import ChatGenerationChunk

from a3m_integrations.errors import InvalidRequest
from a3m_integrations.types import (
    ChatChunk,
    ChatResponse,
    ContentPart,
    ImagePart,
    Message,
    ResponseFormat,
    TextPart,
    ToolCall,
    ToolCallDelta,
    ToolSpec,
    Usage,
)

__all__ = [
    "from_core_chunk",
    "from_core_message",
    "from_core_response",
    "from_core_tools",
    "response_metadata",
    "to_core_chunk",
    "to_core_message",
    "to_core_messages",
    "to_core_response",
    "to_core_response_format",
    "to_core_tool_choice",
    "to_core_tools",
    "to_core_usage",
]

#: `response_metadata["model_provider"]`: LangChain's content-block translators key on it.
MODEL_PROVIDER = "a3m"
_ROLES = {"human": "user", "user": "user", "ai": "assistant", "assistant": "assistant", "system": "system"}
_ROLES.update({"developer": "system", "tool": "tool"})
# content blocks that carry no text for the model: reasoning traces and tool calls (sent as tool_calls)
_SKIPPED_BLOCKS = frozenset({"tool_call", "tool_call_chunk", "tool_use", "reasoning", "thinking", "invalid_tool_call"})


# -- LangChain -> core ------------------------------------------------------------------------
def _image(block: Mapping[str, Any]) -> ImagePart:
    """An image block in any of LangChain's shapes (OpenAI, standard v0/v1, Anthropic) as an ImagePart."""
    if isinstance(block.get("image_url"), Mapping):
        inner = block["image_url"]
        return ImagePart(str(inner.get("url") or ""), detail=inner.get("detail") or "auto")
    if isinstance(block.get("image_url"), str):
        return ImagePart(block["image_url"])
    source = block.get("source")
    if isinstance(source, Mapping):  # Anthropic: {"type": "base64", "media_type": ..., "data": ...} or a url
        if source.get("type") == "url":
            return ImagePart(str(source.get("url") or ""))
        return ImagePart(f"data:{source.get('media_type', 'image/png')};base64,{source.get('data', '')}")
    if block.get("url"):
        return ImagePart(str(block["url"]))
    data = block.get("base64") or (block.get("data") if block.get("source_type") == "base64" else None)
    if data:
        return ImagePart(f"data:{block.get('mime_type', 'image/png')};base64,{data}")
    raise InvalidRequest("an image block has neither a url nor base64 data", field="content")


def _parts(content: str | list[Any], *, role: str) -> str | tuple[ContentPart, ...]:
    """Message content as the core's text or parts; unsupported blocks are an InvalidRequest naming them."""
    if isinstance(content, str):
        return content
    parts: list[ContentPart] = []
    for block in content:
        if isinstance(block, str):
            parts.append(TextPart(block))
            continue
        if not isinstance(block, Mapping):
            raise InvalidRequest(
                f"a {role} message has a content block of type {type(block).__name__}", field="content"
            )
        kind = block.get("type")
        if kind == "text":
            parts.append(TextPart(str(block.get("text", ""))))
        elif kind in ("image_url", "image"):
            parts.append(_image(block))
        elif kind in _SKIPPED_BLOCKS:
            continue
        else:
            raise InvalidRequest(
                f"content blocks of type {kind!r} are not supported (text and images are)",
                field="content",
                hint="Send the content as text or images, or route this request to a model outside a3m.",
            )
    if all(isinstance(p, TextPart) for p in parts):
        return "".join(p.text for p in parts if isinstance(p, TextPart))
    return tuple(parts)


def _text(content: str | list[Any], *, role: str) -> str:
    parts = _parts(content, role=role)
    if isinstance(parts, str):
        return parts
    if any(isinstance(p, ImagePart) for p in parts):
        raise InvalidRequest(f"{role} messages with images are not supported", field="content")
    return "".join(p.text for p in parts if isinstance(p, TextPart))


def _arguments(args: Any) -> str:
    return args if isinstance(args, str) else json.dumps(args if args is not None else {})


def _core_tool_calls(message: AIMessage) -> tuple[ToolCall, ...]:
    calls = [ToolCall(c.get("id") or "", c["name"], _arguments(c.get("args"))) for c in message.tool_calls]
    calls += [
        ToolCall(c.get("id") or "", c.get("name") or "", c.get("args") or "{}") for c in message.invalid_tool_calls
    ]
    return tuple(calls)


def to_core_message(message: BaseMessage) -> Message:
    """One LangChain message as a core Message."""
    name = message.name
    if isinstance(message, ToolMessage):
        return Message("tool", _text(message.content, role="tool"), tool_call_id=message.tool_call_id)
    if isinstance(message, AIMessage):  # AIMessageChunk too
        return Message("assistant", _text(message.content, role="assistant"), name, _core_tool_calls(message))
    if isinstance(message, HumanMessage):
        return Message("user", _parts(message.content, role="user"), name)
    if isinstance(message, SystemMessage):
        return Message("system", _text(message.content, role="system"), name)
    if isinstance(message, ChatMessage) and message.role in _ROLES:
        role = _ROLES[message.role]
        return Message(role, _parts(message.content, role=role), name)  # type: ignore[arg-type]
    if isinstance(message, FunctionMessage):
        raise InvalidRequest(
            "FunctionMessage is the legacy function-calling format", field="messages", hint="Use ToolMessage."
        )
    raise InvalidRequest(f"unsupported message type {type(message).__name__}", field="messages")


def to_core_messages(messages: Sequence[BaseMessage]) -> tuple[Message, ...]:
    """LangChain messages as core Messages."""
    return tuple(to_core_message(m) for m in messages)


def to_core_tools(formatted: Sequence[Mapping[str, Any]]) -> tuple[ToolSpec, ...]:
    """Tools in the shape `convert_to_openai_tool` returns, as core ToolSpecs (function tools only)."""
    specs = []
    for tool in formatted:
        if tool.get("type") not in (None, "function") or ("function" not in tool and "name" not in tool):
            raise InvalidRequest(
                f"tool of type {tool.get('type')!r} is a provider built-in; only function tools can be routed",
                field="tools",
            )
        specs.append(ToolSpec.from_dict(tool))
    return tuple(specs)


def to_core_tool_choice(choice: Any) -> str | Mapping[str, Any] | None:
    """LangChain's tool_choice (a name, auto/none/any/required, True, or an OpenAI dict) in the core's form."""
    if choice is None or choice is False:
        return None
    if choice is True:
        return "required"
    if isinstance(choice, str):
        return choice
    if isinstance(choice, Mapping):
        fn = choice.get("function")
        if isinstance(fn, Mapping) and fn.get("name"):
            return str(fn["name"])
        if choice.get("name"):
            return str(choice["name"])
        if choice.get("type") in ("auto", "none", "any", "required"):
            return str(choice["type"])
    raise InvalidRequest(
        f"tool_choice {choice!r} is not a tool name, auto, none, any, required or True", field="tool_choice"
    )


def to_core_response_format(value: Any) -> ResponseFormat | None:
    """An OpenAI-style `response_format` dict (or a ResponseFormat) as the core's ResponseFormat."""
    if value is None or isinstance(value, ResponseFormat):
        return value
    if isinstance(value, Mapping):
        return ResponseFormat.from_dict(value)
    raise InvalidRequest("response_format must be a dict such as {'type': 'json_object'}", field="response_format")


# -- core -> LangChain ------------------------------------------------------------------------
def _create_usage_metadata(usage: Usage) -> UsageMetadata:
    """LangChain's usage record for a core Usage (details only when non-zero)."""
    out = UsageMetadata(
        input_tokens=usage.input_tokens, output_tokens=usage.output_tokens, total_tokens=usage.total_tokens
    )
    if usage.cached_input_tokens:
        out["input_token_details"] = InputTokenDetails(cache_read=usage.cached_input_tokens)
    if usage.reasoning_tokens:
        out["output_token_details"] = OutputTokenDetails(reasoning=usage.reasoning_tokens)
    return out


def response_metadata(response: ChatResponse, tier: str | None = None) -> dict[str, Any]:
    """What the gateway decided and spent, for `AIMessage.response_metadata` (money as strings).

    `tier` is the answering model's tier (it differs from the decision's after a fallback).
    """
    decision = response.decision
    meta: dict[str, Any] = {
        "model_name": response.model,
        "model_provider": MODEL_PROVIDER,
        "provider": response.provider,
        "finish_reason": response.finish_reason,
        "tier": tier or (decision.tier if decision else None),
        "cost": str(response.cost),
        "saved_cost": str(response.saved_cost),
        "cache_hit": response.cache_hit,
        "attempts": response.attempts,
        "flags": list(response.flags),
        "usage_estimated": response.usage.estimated,
        "latency_ms": response.latency_ms,
        "request_id": response.metadata.get("request_id"),
    }
    if decision is not None:
        meta.update(
            routed_model=decision.model,
            complexity=round(decision.complexity, 4),
            reasons=list(decision.reasons),
            router=decision.router,
            fallbacks=list(decision.fallbacks),
            fell_back=response.model != decision.model,
            estimated_cost=str(decision.estimated_cost),
        )
    extra = {k: v for k, v in response.metadata.items() if k != "request_id"}
    if extra:
        meta["a3m"] = extra
    return meta


def from_core_response(response: ChatResponse, tier: str | None = None) -> AIMessage:
    """The gateway's answer as an AIMessage; tool calls whose arguments are not a JSON object are invalid ones."""
    calls, invalid = [], []
    for call in response.message.tool_calls:
        try:
            calls.append(tool_call(name=call.name, args=call.parsed_arguments(), id=call.id or None))
        except InvalidRequest as exc:
            invalid.append(
                invalid_tool_call(name=call.name, args=call.arguments, id=call.id or None, error=exc.message)
            )
    return AIMessage(
        content=response.message.text,
        tool_calls=calls,
        invalid_tool_calls=invalid,
        usage_metadata=_create_usage_metadata(response.usage),
        response_metadata=response_metadata(response, tier),
        id=response.id,
    )


def from_core_chunk(chunk: ChatChunk, tier: str | None = None) -> ChatGenerationChunk:
    """One streamed chunk as a generation chunk; the last one (it carries the response) gets usage and metadata."""
    calls = [tool_call_chunk(name=d.name, args=d.arguments or None, id=d.id, index=d.index) for d in chunk.tool_calls]
    if chunk.response is None:
        return ChatGenerationChunk(message=AIMessageChunk(content=chunk.text, tool_call_chunks=calls))
    response = chunk.response
    message = AIMessageChunk(
        content=chunk.text,
        tool_call_chunks=calls,
        usage_metadata=_create_usage_metadata(response.usage),
        response_metadata=response_metadata(response, tier),
        chunk_position="last",
    )
    return ChatGenerationChunk(message=message, generation_info={"finish_reason": response.finish_reason})


# -- the other way: core requests to a LangChain model, and its answers back (LangChainProvider) --
def from_core_message(message: Message) -> BaseMessage:
    """A core Message as the LangChain message of its role."""
    if message.role == "system":
        return SystemMessage(content=message.text, name=message.name)
    if message.role == "tool":
        return ToolMessage(content=message.text, tool_call_id=message.tool_call_id or "")
    if message.role == "assistant":
        calls, invalid = [], []
        for call in message.tool_calls:
            try:
                calls.append(tool_call(name=call.name, args=call.parsed_arguments(), id=call.id or None))
            except InvalidRequest as exc:
                invalid.append(invalid_tool_call(name=call.name, args=call.arguments, id=call.id, error=exc.message))
        return AIMessage(content=message.text, tool_calls=calls, invalid_tool_calls=invalid, name=message.name)
    if isinstance(message.content, str):
        return HumanMessage(content=message.content, name=message.name)
    blocks: list[str | dict[str, Any]] = [
        {"type": "image_url", "image_url": {"url": p.url, "detail": p.detail}}
        if isinstance(p, ImagePart)
        else {"type": "text", "text": p.text}
        for p in message.content
    ]
    return HumanMessage(content=blocks, name=message.name)


def from_core_tools(tools: Sequence[ToolSpec]) -> list[dict[str, Any]]:
    """Core ToolSpecs as OpenAI-format tool dicts (what `bind_tools` takes from any integration)."""
    return [{"type": "function", "function": t.to_dict()} for t in tools]


def _finish_reason(message: BaseMessage, has_calls: bool) -> str:
    meta = message.response_metadata
    reason = meta.get("finish_reason") or meta.get("stop_reason") or meta.get("done_reason")
    if has_calls:
        return "tool_calls"
    if reason in ("max_tokens", "length"):
        return "length"
    return "stop" if reason in (None, "end_turn", "stop_sequence", "stop") else str(reason)


def to_core_response(message: BaseMessage, usage: Usage | None, model: str, provider: str) -> ChatResponse:
    """A LangChain answer as a core ChatResponse; `usage` None means the model reported none."""
    calls = [
        ToolCall(c.get("id") or f"call_{i}", c["name"], _arguments(c.get("args")))
        for i, c in enumerate(getattr(message, "tool_calls", []))
    ]
    calls += [
        ToolCall(c.get("id") or f"call_invalid_{i}", c.get("name") or "", c.get("args") or "{}")
        for i, c in enumerate(getattr(message, "invalid_tool_calls", []))
    ]
    return ChatResponse(
        message=Message.assistant(message.text, calls),
        model=model,
        provider=provider,
        usage=usage,
        finish_reason=_finish_reason(message, bool(calls)),
        id=message.id,
    )


def to_core_usage(message: BaseMessage) -> Usage | None:
    """The model's own usage report, or None when it gave none."""
    usage = getattr(message, "usage_metadata", None)
    if not usage:
        return None
    details_in = usage.get("input_token_details") or {}
    details_out = usage.get("output_token_details") or {}
    return Usage(
        int(usage.get("input_tokens", 0)),
        int(usage.get("output_tokens", 0)),
        int(details_in.get("cache_read", 0) or 0),
        int(details_out.get("reasoning", 0) or 0),
    )


def to_core_chunk(chunk: AIMessageChunk, position: int) -> ChatChunk:
    """A streamed LangChain chunk's text and tool-call fragments (usage comes with the last chunk)."""
    deltas = tuple(
        ToolCallDelta(
            index=index if (index := c.get("index")) is not None else position + i,
            id=c.get("id"),
            name=c.get("name"),
            arguments=c.get("args") or "",
        )
        for i, c in enumerate(chunk.tool_call_chunks)
    )
    return ChatChunk(text=chunk.text, tool_calls=deltas)
