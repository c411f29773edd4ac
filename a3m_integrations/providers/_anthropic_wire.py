"""The Anthropic Messages wire format: pure request building and answer parsing.

System messages become the `system` parameter; tool calls and results become `tool_use` and
`tool_result` blocks; consecutive turns of one role are merged (the API wants alternation).
Structured output (`response_format` json_schema) is asked for the way Anthropic recommends: one
forced tool whose input schema is the wanted schema; its input comes back as the answer's text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from a3m_integrations.catalog import ModelInfo
from a3m_integrations.providers._errors import WireFormatError, raise_embedded_error
from a3m_integrations.providers._sse import SSEEvent
from a3m_integrations.providers._usage import or_estimate, token_count
from a3m_integrations.types import (
    ChatChunk,
    ChatRequest,
    ChatResponse,
    ImagePart,
    Message,
    ToolCall,
    ToolCallDelta,
    Usage,
)

__all__ = ["DEFAULT_MAX_TOKENS", "JSON_TOOL", "AnthropicStreamDecoder", "build_body", "parse_message", "parse_usage"]

#: max_tokens sent when the request sets none (the API requires one).
DEFAULT_MAX_TOKENS = 4096
#: Name of the forced tool that carries structured output.
JSON_TOOL = "json_response"
_JSON_OBJECT_INSTRUCTION = "Answer with a single JSON object and nothing else."
_STOP = {"end_turn": "stop", "stop_sequence": "stop", "max_tokens": "length", "tool_use": "tool_calls"}


def _image(part: ImagePart) -> dict[str, Any]:
    if part.url.startswith("data:"):
        header, _, data = part.url.partition(",")
        media = header[5:].split(";", 1)[0] or "image/png"
        return {"type": "image", "source": {"type": "base64", "media_type": media, "data": data}}
    return {"type": "image", "source": {"type": "url", "url": part.url}}


def _blocks(message: Message) -> list[dict[str, Any]]:
    if message.role == "tool":
        return [{"type": "tool_result", "tool_use_id": message.tool_call_id, "content": message.text}]
    blocks: list[dict[str, Any]] = []
    if isinstance(message.content, str):
        if message.content:
            blocks.append({"type": "text", "text": message.content})
    else:
        for part in message.content:
            blocks.append(_image(part) if isinstance(part, ImagePart) else {"type": "text", "text": part.text})
    for call in message.tool_calls:
        try:
            args = json.loads(call.arguments or "{}")
        except ValueError:
            args = {}
        blocks.append({"type": "tool_use", "id": call.id, "name": call.name, "input": args})
    return blocks


def to_anthropic_messages(messages: tuple[Message, ...]) -> tuple[str, list[dict[str, Any]]]:
    """(system prompt, messages) in the Messages API shape."""
    system = "\n".join(m.text for m in messages if m.role == "system")
    out: list[dict[str, Any]] = []
    for m in messages:
        if m.role == "system":
            continue
        role = "assistant" if m.role == "assistant" else "user"
        blocks = _blocks(m)
        if not blocks:
            continue
        if out and out[-1]["role"] == role:
            out[-1]["content"].extend(blocks)
        else:
            out.append({"role": role, "content": blocks})
    return system, out


def _tool_choice(choice: str | Mapping[str, Any] | None) -> dict[str, Any] | None:
    if choice is None or choice == "auto":
        return {"type": "auto"} if choice else None
    if isinstance(choice, Mapping):
        fn = choice.get("function")
        if isinstance(fn, Mapping) and fn.get("name"):
            return {"type": "tool", "name": fn["name"]}
        return dict(choice)
    if choice in ("required", "any"):
        return {"type": "any"}
    if choice == "none":
        return {"type": "none"}
    return {"type": "tool", "name": choice}


def uses_json_tool(request: ChatRequest) -> bool:
    """Whether the answer's text comes from the forced structured-output tool."""
    rf = request.response_format
    return rf is not None and rf.type == "json_schema" and not request.tools


def build_body(request: ChatRequest, model: ModelInfo, *, stream: bool) -> dict[str, Any]:
    """The JSON body of a Messages API request."""
    system, messages = to_anthropic_messages(request.messages)
    rf = request.response_format
    if rf is not None and rf.type == "json_object":
        system = f"{system}\n\n{_JSON_OBJECT_INSTRUCTION}".strip()
    body: dict[str, Any] = {
        "model": model.name,
        "messages": messages,
        "max_tokens": request.max_tokens or min(DEFAULT_MAX_TOKENS, model.max_output),
    }
    if system:
        body["system"] = system
    for name in ("temperature", "top_p"):
        value = getattr(request, name)
        if value is not None:
            body[name] = value
    if request.stop:
        body["stop_sequences"] = list(request.stop)
    if request.tools:
        body["tools"] = [
            {"name": t.name, "description": t.description, "input_schema": dict(t.parameters)} for t in request.tools
        ]
        choice = _tool_choice(request.tool_choice)
        if choice is not None:
            body["tool_choice"] = choice
    elif uses_json_tool(request):
        assert rf is not None
        schema = dict(rf.schema or {})
        body["tools"] = [
            {"name": JSON_TOOL, "description": "Return the answer in this structure.", "input_schema": schema}
        ]
        body["tool_choice"] = {"type": "tool", "name": JSON_TOOL}
    if stream:
        body["stream"] = True
    if request.extra:
        body.update(request.extra)
    return body


def parse_usage(raw: Any) -> Usage | None:
    """Usage from an Anthropic `usage` object (cache reads and writes count as input), or None."""
    if not isinstance(raw, dict) or "input_tokens" not in raw:
        return None
    cached = token_count(raw.get("cache_read_input_tokens"))
    written = token_count(raw.get("cache_creation_input_tokens"))
    return Usage(token_count(raw.get("input_tokens")) + cached + written, token_count(raw.get("output_tokens")), cached)


def parse_message(data: Any, request: ChatRequest, model: ModelInfo, provider: str) -> ChatResponse:
    """A ChatResponse from a Messages API answer."""
    if not isinstance(data, dict):
        raise WireFormatError("the answer is not a JSON object")
    raise_embedded_error(data)
    blocks = data.get("content")
    if not isinstance(blocks, list):
        raise WireFormatError("the answer has no content blocks")
    json_tool = uses_json_tool(request)
    texts: list[str] = []
    calls: list[ToolCall] = []
    for block in blocks:
        if not isinstance(block, dict):
            raise WireFormatError("a content block is not an object")
        kind = block.get("type")
        if kind == "text":
            texts.append(str(block.get("text", "")))
        elif kind == "tool_use":
            args = json.dumps(block.get("input") or {})
            if json_tool and block.get("name") == JSON_TOOL:
                texts.append(args)
            else:
                call_id = str(block.get("id") or f"toolu_{len(calls)}")
                calls.append(ToolCall(id=call_id, name=str(block.get("name") or ""), arguments=args))
    message = Message("assistant", "".join(texts), tool_calls=tuple(calls))
    stop = data.get("stop_reason")
    finish = "stop" if json_tool and stop == "tool_use" else _STOP.get(str(stop), stop)
    return ChatResponse(
        message=message,
        model=model.id,
        provider=provider,
        usage=or_estimate(parse_usage(data.get("usage")), request, message, model),
        finish_reason=finish,
        id=data.get("id") if isinstance(data.get("id"), str) else None,
        metadata={"provider_model": data["model"]} if isinstance(data.get("model"), str) else {},
    )


class AnthropicStreamDecoder:
    """Turns Messages API stream events into ChatChunks; `finish()` makes the last chunk."""

    __slots__ = (
        "_blocks",
        "_finish",
        "_id",
        "_input",
        "_json_tool",
        "_model",
        "_output",
        "_provider",
        "_request",
        "_text",
        "_tools",
        "done",
    )

    def __init__(self, request: ChatRequest, model: ModelInfo, provider: str) -> None:
        self._request = request
        self._model = model
        self._provider = provider
        self._json_tool = uses_json_tool(request)
        self._blocks: dict[int, tuple[str, int]] = {}  # block index -> (kind, tool index)
        self._tools: list[list[Any]] = []  # [id, name, [json fragments]]
        self._text: list[str] = []
        self._input: Usage | None = None
        self._output: int | None = None
        self._finish: str | None = None
        self._id: str | None = None
        self.done = False

    @property
    def complete(self) -> bool:
        """Whether the answer is known to be whole (message_stop, or a stop reason, seen)."""
        return self.done or self._finish is not None

    def feed_event(self, event: SSEEvent) -> list[ChatChunk]:
        """Take one SSE event; return the chunks it carries."""
        try:
            obj = json.loads(event.data)
        except ValueError:
            raise WireFormatError(f"a stream event is not JSON: {event.data[:80]!r}") from None
        if not isinstance(obj, dict):
            raise WireFormatError("a stream event is not a JSON object")
        kind = obj.get("type") or event.event
        if kind == "error":
            raise_embedded_error(obj)
            raise WireFormatError("an error event without an error object")
        if kind == "message_start":
            msg = obj.get("message") or {}
            if isinstance(msg, dict):
                self._id = msg.get("id") if isinstance(msg.get("id"), str) else None
                self._input = parse_usage(msg.get("usage"))
            return []
        if kind == "content_block_start":
            return self._block_start(obj)
        if kind == "content_block_delta":
            return self._block_delta(obj)
        if kind == "message_delta":
            delta = obj.get("delta") or {}
            stop = delta.get("stop_reason") if isinstance(delta, dict) else None
            usage = obj.get("usage") or {}
            if isinstance(usage, dict) and "output_tokens" in usage:
                self._output = token_count(usage.get("output_tokens"))
            if stop:
                self._finish = "stop" if self._json_tool and stop == "tool_use" else _STOP.get(stop, stop)
                return [ChatChunk(finish_reason=self._finish, model=self._model.id)]
            return []
        if kind == "message_stop":
            self.done = True
        return []  # ping, content_block_stop, unknown events

    def _block_start(self, obj: Mapping[str, Any]) -> list[ChatChunk]:
        index, block = obj.get("index"), obj.get("content_block") or {}
        if not isinstance(index, int) or not isinstance(block, dict):
            raise WireFormatError("content_block_start without an index or block")
        kind = block.get("type")
        if kind == "tool_use" and not (self._json_tool and block.get("name") == JSON_TOOL):
            tool_index = len(self._tools)
            self._tools.append([str(block.get("id") or f"toolu_{tool_index}"), str(block.get("name") or ""), []])
            self._blocks[index] = ("tool", tool_index)
            delta = ToolCallDelta(index=tool_index, id=self._tools[-1][0], name=self._tools[-1][1])
            return [ChatChunk(tool_calls=(delta,), model=self._model.id)]
        self._blocks[index] = ("json" if kind == "tool_use" else str(kind), -1)
        text = block.get("text") if kind == "text" else None
        if text:
            self._text.append(text)
            return [ChatChunk(text=text, model=self._model.id)]
        return []

    def _block_delta(self, obj: Mapping[str, Any]) -> list[ChatChunk]:
        index, delta = obj.get("index"), obj.get("delta") or {}
        if not isinstance(index, int) or not isinstance(delta, dict):
            raise WireFormatError("content_block_delta without an index or delta")
        kind, tool_index = self._blocks.get(index, ("text", -1))
        if delta.get("type") == "text_delta":
            text = str(delta.get("text", ""))
        elif delta.get("type") == "input_json_delta":
            text = str(delta.get("partial_json", ""))
            if kind == "tool":
                self._tools[tool_index][2].append(text)
                return [ChatChunk(tool_calls=(ToolCallDelta(index=tool_index, arguments=text),), model=self._model.id)]
        else:
            return []  # thinking and signature deltas are not part of the answer's text
        if not text:
            return []
        self._text.append(text)
        return [ChatChunk(text=text, model=self._model.id)]

    def message(self) -> Message:
        """The answer assembled so far."""
        calls = tuple(ToolCall(id=t[0], name=t[1], arguments="".join(t[2]) or "{}") for t in self._tools)
        return Message("assistant", "".join(self._text), tool_calls=calls)

    def finish(self) -> ChatChunk:
        """The last chunk: usage (the provider's, or estimated) and the whole response."""
        message = self.message()
        reported = None
        if self._input is not None:
            reported = Usage(self._input.input_tokens, self._output or 0, self._input.cached_input_tokens)
        usage = or_estimate(reported, self._request, message, self._model)
        response = ChatResponse(
            message=message,
            model=self._model.id,
            provider=self._provider,
            usage=usage,
            finish_reason=self._finish,
            id=self._id,
        )
        return ChatChunk(usage=usage, model=self._model.id, response=response)
