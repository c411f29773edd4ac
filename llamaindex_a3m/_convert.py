"""Pure converters between LlamaIndex's LLM types and the core's, both ways. No I/O, no `self`.

LlamaIndex -> core: `to_core_messages`, `to_core_tools`, `to_core_tool_choice`,
`to_core_response_format`, `to_core_context`. Core -> LlamaIndex: `from_core_message`,
`from_core_response`, `tool_selections` and `ChatStream` (core stream chunks -> cumulative
LlamaIndex chunks, the last one carrying usage and cost). `response_kwargs` is the one place that
says what a LlamaIndex response carries about the call: OpenAI-style token counts (which
LlamaIndex's `TokenCountingHandler` and most observers read) and an `a3m` block with the routing
decision, usage, cost and who the call was for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from llama_index.core.base.llms.types import (
    CachePoint,
    ChatMessage,
    ChatResponse,
    ImageBlock,
    MessageRole,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
)
from llama_index.core.llms.llm import ToolSelection
from llama_index.core.llms.utils import parse_partial_json

from a3m_integrations.errors import InvalidRequest
from a3m_integrations.types import (
    ChatChunk,
    ChatRequest,
    ContentPart,
    ImagePart,
    Message,
    RequestContext,
    ResponseFormat,
    Role,
    TextPart,
    ToolCall,
    ToolSpec,
)
from a3m_integrations.types import ChatResponse as CoreResponse

__all__ = [
    "ChatStream",
    "build_request",
    "from_core_message",
    "from_core_response",
    "response_kwargs",
    "to_core_context",
    "to_core_message",
    "to_core_messages",
    "to_core_response_format",
    "to_core_tool_choice",
    "to_core_tools",
    "tool_selections",
]

_ROLES: dict[str, Role] = {
    "system": "system",
    "developer": "system",
    "user": "user",
    "assistant": "assistant",
    "chatbot": "assistant",
    "model": "assistant",
    "tool": "tool",
    "function": "tool",
}
_SKIPPED = (ThinkingBlock, CachePoint)  # model-side reasoning and cache hints are not resent
_CONTEXT_KEYS = ("user", "team", "route", "tags", "api_key_id", "request_id")
_PARAMS = ("model", "temperature", "max_tokens", "top_p", "seed", "timeout", "max_retries")
#: call kwargs that are not request parameters: the context, and LlamaIndex-side switches
#: (parallel tool calls are settled after the answer, in `A3MLLM._validate_chat_with_tools_response`)
_SETTINGS = frozenset({*_PARAMS, "stop", "tools", "tool_choice", "response_format"})
_NOT_SENT = frozenset({*_CONTEXT_KEYS, "context", "metadata", "parallel_tool_calls", "strict"})


# -- LlamaIndex -> core -------------------------------------------------------------------------------
def _role(message: ChatMessage) -> Role:
    value = message.role.value if isinstance(message.role, MessageRole) else str(message.role)
    try:
        return _ROLES[value]
    except KeyError:
        raise InvalidRequest(f"message role {value!r} has no gateway equivalent", field="role") from None


_DETAILS: dict[str | None, Literal["auto", "low", "high"]] = {"low": "low", "high": "high"}


def _image(block: ImageBlock) -> ImagePart:
    detail = _DETAILS.get(block.detail, "auto")
    if block.url is not None:
        return ImagePart(str(block.url), detail=detail)
    if block.image is None and block.path is None:
        raise InvalidRequest("an image block needs a url, image bytes or a path", field="content")
    data = block.resolve_image(as_base64=True).read().decode("ascii")
    return ImagePart(f"data:{block.image_mimetype or 'image/png'};base64,{data}", detail=detail)


def _arguments(kwargs: Mapping[str, Any] | str) -> str:
    return kwargs if isinstance(kwargs, str) else json.dumps(dict(kwargs))


def _legacy_tool_calls(raw: Iterable[Any]) -> list[ToolCall]:
    """OpenAI-style `additional_kwargs["tool_calls"]` (dicts or SDK objects) as core calls."""
    calls = []
    for i, item in enumerate(raw):
        data = item if isinstance(item, Mapping) else item.model_dump()
        fn = data.get("function") or {}
        calls.append(ToolCall(str(data.get("id") or f"call_{i}"), str(fn.get("name", "")), fn.get("arguments") or "{}"))
    return calls


def to_core_message(message: ChatMessage) -> Message:
    """One LlamaIndex message as a core Message (text, images and tool calls)."""
    role = _role(message)
    parts: list[ContentPart] = []
    calls: list[ToolCall] = []
    for block in message.blocks:
        if isinstance(block, TextBlock):
            parts.append(TextPart(block.text))
        elif isinstance(block, ImageBlock):
            parts.append(_image(block))
        elif isinstance(block, ToolCallBlock):
            call_id = block.tool_call_id or f"call_{len(calls)}"
            calls.append(ToolCall(call_id, block.tool_name, _arguments(block.tool_kwargs)))
        elif not isinstance(block, _SKIPPED):
            raise InvalidRequest(
                f"{type(block).__name__} content is not supported by the gateway",
                field="content",
                hint="Send text and images; extract documents and audio to text first.",
            )
    extra = message.additional_kwargs
    if not calls and extra.get("tool_calls"):
        calls = _legacy_tool_calls(extra["tool_calls"])
    content: str | tuple[ContentPart, ...]
    if all(isinstance(p, TextPart) for p in parts):
        content = "\n".join(p.text for p in parts if isinstance(p, TextPart))
    else:
        content = tuple(parts)
    return Message(
        role,
        content,
        name=extra.get("name") if isinstance(extra.get("name"), str) else None,
        tool_calls=tuple(calls) if role == "assistant" else (),
        tool_call_id=str(extra["tool_call_id"]) if role == "tool" and extra.get("tool_call_id") else None,
    )


def to_core_messages(messages: Sequence[ChatMessage]) -> tuple[Message, ...]:
    """LlamaIndex messages as core Messages."""
    return tuple(to_core_message(m) for m in messages)


def to_core_tools(tools: Iterable[Any], strict: bool | None = None) -> tuple[ToolSpec, ...]:
    """Tools as core ToolSpecs: OpenAI tool dicts, LlamaIndex BaseTools or ToolSpecs."""
    out = []
    for tool in tools:
        if isinstance(tool, ToolSpec):
            spec = tool
        elif isinstance(tool, Mapping):
            spec = ToolSpec.from_dict(tool)
        elif hasattr(tool, "metadata") and hasattr(tool.metadata, "to_openai_tool"):
            spec = ToolSpec.from_dict(tool.metadata.to_openai_tool(skip_length_check=True))
        else:
            raise InvalidRequest(f"cannot use {type(tool).__name__} as a tool", field="tools")
        out.append(spec if strict is None or spec.strict is not None else spec.replace(strict=strict))
    return tuple(out)


def to_core_tool_choice(choice: str | Mapping[str, Any] | None) -> str | Mapping[str, Any] | None:
    """LlamaIndex/OpenAI tool_choice as the core's: auto/none/required or a tool name."""
    if isinstance(choice, Mapping):
        fn = choice.get("function")
        if isinstance(fn, Mapping) and isinstance(fn.get("name"), str):
            return str(fn["name"])
        if isinstance(choice.get("name"), str):
            return str(choice["name"])
    return choice


def to_core_response_format(value: Any) -> ResponseFormat | None:
    """A ResponseFormat from an OpenAI-style dict, a pydantic model class or a ResponseFormat."""
    if value is None or isinstance(value, ResponseFormat):
        return value
    if isinstance(value, Mapping):
        return ResponseFormat.from_dict(value)
    if isinstance(value, type) and hasattr(value, "model_json_schema"):
        return ResponseFormat("json_schema", value.model_json_schema(), name=value.__name__, strict=None)
    raise InvalidRequest(f"cannot use {type(value).__name__} as a response_format", field="response_format")


def to_core_context(defaults: Mapping[str, Any], overrides: Mapping[str, Any]) -> RequestContext:
    """A RequestContext from the LLM's defaults and per-call values (a `context` value wins whole)."""
    given = overrides.get("context")
    if isinstance(given, RequestContext):
        return given
    data = {k: v for k, v in defaults.items() if v is not None}
    if isinstance(given, Mapping):
        data.update(given)
    data.update({k: overrides[k] for k in _CONTEXT_KEYS if overrides.get(k) is not None})
    metadata = overrides.get("metadata")
    if isinstance(metadata, Mapping):
        data.update({k: v for k, v in metadata.items() if k not in data})
    return RequestContext.from_mapping(data)


def build_request(
    messages: Sequence[ChatMessage], defaults: Mapping[str, Any], kwargs: Mapping[str, Any]
) -> tuple[ChatRequest, RequestContext]:
    """The core request and context for one call: the LLM's `defaults` overridden by call `kwargs`.

    Known parameters map to ChatRequest fields, context keys (user, team, route, tags, context,
    metadata) to the RequestContext; every other keyword is passed to the provider unchanged
    (`ChatRequest.extra`, over the LLM's `additional_kwargs`), as LlamaIndex's OpenAI LLM does.
    """
    context = to_core_context({k: defaults.get(k) for k in _CONTEXT_KEYS}, kwargs)
    params = {k: kwargs.get(k, defaults.get(k)) for k in _PARAMS}
    stop = kwargs.get("stop") or ()
    extra = {**defaults.get("additional_kwargs", {})}
    extra.update((k, v) for k, v in kwargs.items() if k not in _NOT_SENT and k not in _SETTINGS)
    request = ChatRequest(
        messages=to_core_messages(messages),
        tools=to_core_tools(kwargs.get("tools") or (), kwargs.get("strict", defaults.get("strict"))),
        tool_choice=to_core_tool_choice(kwargs.get("tool_choice")),
        response_format=to_core_response_format(kwargs.get("response_format")),
        stop=(stop,) if isinstance(stop, str) else tuple(stop),
        extra=extra,
        **{k: v for k, v in params.items() if v is not None},
    )
    return request, context


# -- core -> LlamaIndex -------------------------------------------------------------------------------
def _tool_block(call_id: str | None, name: str, arguments: str) -> ToolCallBlock:
    try:
        parsed = json.loads(arguments) if arguments else {}
    except json.JSONDecodeError:
        parsed = None
    kwargs: dict[str, Any] | str = parsed if isinstance(parsed, dict) else arguments
    return ToolCallBlock(tool_call_id=call_id, tool_name=name, tool_kwargs=kwargs)


def from_core_message(message: Message) -> ChatMessage:
    """A core Message as a LlamaIndex ChatMessage."""
    blocks: list[Any] = []
    if isinstance(message.content, str):
        blocks.append(TextBlock(text=message.content))
    else:
        for part in message.content:
            if isinstance(part, TextPart):
                blocks.append(TextBlock(text=part.text))
            else:
                blocks.append(ImageBlock(url=part.url, detail=part.detail))
    blocks.extend(_tool_block(c.id, c.name, c.arguments) for c in message.tool_calls)
    extra: dict[str, Any] = {}
    if message.tool_call_id is not None:
        extra["tool_call_id"] = message.tool_call_id
    if message.name is not None:
        extra["name"] = message.name
    return ChatMessage(role=MessageRole(message.role), blocks=blocks, additional_kwargs=extra)


def response_kwargs(response: CoreResponse, context: RequestContext) -> dict[str, Any]:
    """What a LlamaIndex response carries about the call: token counts, model, cost, decision, who."""
    usage = response.usage
    decision = response.decision
    return {
        "prompt_tokens": usage.input_tokens,
        "completion_tokens": usage.output_tokens,
        "total_tokens": usage.total_tokens,
        "model": response.model,
        "cost": str(response.cost),
        "a3m": {
            "model": response.model,
            "provider": response.provider,
            "tier": decision.tier if decision is not None else None,
            "usage": usage.to_dict(),
            "cost": str(response.cost),
            "saved_cost": str(response.saved_cost),
            "cache_hit": response.cache_hit,
            "finish_reason": response.finish_reason,
            "latency_ms": response.latency_ms,
            "attempts": response.attempts,
            "flags": list(response.flags),
            "decision": decision.to_dict() if decision is not None else None,
            "metadata": dict(response.metadata),
            "user": context.user,
            "team": context.team,
            "route": context.route,
            "request_id": context.request_id,
        },
    }


def from_core_response(response: CoreResponse, context: RequestContext, *, delta: str | None = None) -> ChatResponse:
    """A core answer as a LlamaIndex ChatResponse; `raw` is the core answer's dict."""
    return ChatResponse(
        message=from_core_message(response.message),
        raw=response.to_dict(),
        delta=delta,
        additional_kwargs=response_kwargs(response, context),
    )


def tool_selections(response: ChatResponse) -> list[ToolSelection]:
    """The tool calls of a LlamaIndex response (complete or partial JSON arguments)."""
    out = []
    for block in response.message.blocks:
        if not isinstance(block, ToolCallBlock):
            continue
        kwargs = block.tool_kwargs
        if isinstance(kwargs, str):
            try:
                kwargs = parse_partial_json(kwargs) if kwargs.strip() else {}
            except (ValueError, TypeError):
                kwargs = {}
        out.append(ToolSelection(tool_id=block.tool_call_id or "", tool_name=block.tool_name, tool_kwargs=kwargs))
    return out


class ChatStream:
    """Turns core stream chunks into LlamaIndex chunks: cumulative text and tool calls, and a delta.

    Every chunk's message holds everything so far (as LlamaIndex's own LLMs do); only the last one
    carries token counts, model and cost, so observers that add up in-progress chunks count once.
    """

    def __init__(self, context: RequestContext) -> None:
        self.context = context
        self.text: list[str] = []
        self.calls: dict[int, list[str]] = {}  # index -> [id, name, arguments]

    def feed(self, chunk: ChatChunk) -> ChatResponse | None:
        """The LlamaIndex chunk for a core chunk (None for one with nothing to pass on)."""
        if chunk.text:
            self.text.append(chunk.text)
        for d in chunk.tool_calls:
            call = self.calls.setdefault(d.index, ["", "", ""])
            call[0] = d.id or call[0]
            call[1] = d.name or call[1]
            call[2] += d.arguments
        if chunk.response is not None:
            final = chunk.response
            whole = final.replace(message=final.message.replace(content="".join(self.text)))
            return from_core_response(whole, self.context, delta=chunk.text)
        if not chunk.text and not chunk.tool_calls:
            return None
        blocks: list[Any] = [TextBlock(text="".join(self.text))]
        blocks.extend(_tool_block(i or None, n, a) for i, n, a in (self.calls[k] for k in sorted(self.calls)))
        return ChatResponse(
            message=ChatMessage(role=MessageRole.ASSISTANT, blocks=blocks), delta=chunk.text, raw=chunk.to_dict()
        )
