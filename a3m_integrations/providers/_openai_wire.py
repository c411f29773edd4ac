"""The OpenAI chat-completions wire format: pure request building and answer parsing.

Shared by the sync and async paths of `OpenAICompatibleProvider` and by `LocalProvider`
(llama-cpp-python answers in the same shape). Nothing here does I/O.
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

__all__ = ["OpenAIStreamDecoder", "build_body", "parse_completion", "parse_usage", "to_openai_messages"]


def _content(message: Message) -> str | list[dict[str, Any]]:
    if isinstance(message.content, str):
        return message.content
    parts: list[dict[str, Any]] = []
    for part in message.content:
        if isinstance(part, ImagePart):
            parts.append({"type": "image_url", "image_url": {"url": part.url, "detail": part.detail}})
        else:
            parts.append({"type": "text", "text": part.text})
    return parts


def to_openai_messages(messages: tuple[Message, ...]) -> list[dict[str, Any]]:
    """Core messages as OpenAI message objects."""
    out: list[dict[str, Any]] = []
    for m in messages:
        item: dict[str, Any] = {"role": m.role}
        if m.role == "tool":
            item["content"] = m.text
            item["tool_call_id"] = m.tool_call_id
        elif m.tool_calls:
            item["content"] = m.text or None
            item["tool_calls"] = [
                {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments or "{}"}}
                for c in m.tool_calls
            ]
        else:
            item["content"] = _content(m)
        if m.name is not None:
            item["name"] = m.name
        out.append(item)
    return out


def _tool_choice(choice: str | Mapping[str, Any] | None) -> str | dict[str, Any] | None:
    if choice is None:
        return None
    if isinstance(choice, Mapping):
        return dict(choice)
    if choice in ("auto", "none", "required"):
        return choice
    if choice == "any":
        return "required"
    return {"type": "function", "function": {"name": choice}}


def build_body(request: ChatRequest, model_name: str, *, stream: bool, stream_usage: bool = True) -> dict[str, Any]:
    """The JSON body of a chat-completions request for `model_name` (the provider's own name)."""
    body: dict[str, Any] = {"model": model_name, "messages": to_openai_messages(request.messages)}
    for name in ("temperature", "max_tokens", "top_p", "seed"):
        value = getattr(request, name)
        if value is not None:
            body[name] = value
    if request.stop:
        body["stop"] = list(request.stop)
    if request.tools:
        tools = []
        for t in request.tools:
            fn: dict[str, Any] = {"name": t.name, "description": t.description, "parameters": dict(t.parameters)}
            if t.strict is not None:
                fn["strict"] = t.strict
            tools.append({"type": "function", "function": fn})
        body["tools"] = tools
        choice = _tool_choice(request.tool_choice)
        if choice is not None:
            body["tool_choice"] = choice
    rf = request.response_format
    if rf is not None and rf.type != "text":
        if rf.type == "json_schema":
            spec: dict[str, Any] = {"name": rf.name or "response", "schema": dict(rf.schema or {})}
            if rf.strict is not None:
                spec["strict"] = rf.strict
            body["response_format"] = {"type": "json_schema", "json_schema": spec}
        else:
            body["response_format"] = {"type": "json_object"}
    if stream:
        body["stream"] = True
        if stream_usage:
            body["stream_options"] = {"include_usage": True}
    if request.extra:
        body.update(request.extra)
    return body


def parse_usage(raw: Any) -> Usage | None:
    """Usage from an OpenAI `usage` object, or None when absent."""
    if not isinstance(raw, dict) or ("prompt_tokens" not in raw and "completion_tokens" not in raw):
        return None
    prompt_details = raw.get("prompt_tokens_details")
    cached = token_count(prompt_details.get("cached_tokens")) if isinstance(prompt_details, dict) else 0
    if not cached:
        cached = token_count(raw.get("prompt_cache_hit_tokens"))  # DeepSeek
    completion_details = raw.get("completion_tokens_details")
    reasoning = token_count(completion_details.get("reasoning_tokens")) if isinstance(completion_details, dict) else 0
    return Usage(token_count(raw.get("prompt_tokens")), token_count(raw.get("completion_tokens")), cached, reasoning)


def _tool_call(raw: Any, index: int) -> ToolCall:
    if not isinstance(raw, dict) or not isinstance(raw.get("function"), dict):
        raise WireFormatError("a tool call has no function object")
    fn = raw["function"]
    args = fn.get("arguments")
    if not isinstance(args, str):
        args = json.dumps(args if args is not None else {})
    name = fn.get("name")
    if not isinstance(name, str) or not name:
        raise WireFormatError("a tool call has no function name")
    return ToolCall(id=str(raw.get("id") or f"call_{index}"), name=name, arguments=args or "{}")


def parse_completion(data: Any, request: ChatRequest, model: ModelInfo, provider: str) -> ChatResponse:
    """A ChatResponse from a chat-completions answer (usage estimated when the provider sent none)."""
    if not isinstance(data, dict):
        raise WireFormatError("the answer is not a JSON object")
    raise_embedded_error(data)
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise WireFormatError("the answer has no choices")
    raw = choices[0].get("message")
    if not isinstance(raw, dict):
        raise WireFormatError("the first choice has no message")
    content = raw.get("content")
    if content is not None and not isinstance(content, str):
        if isinstance(content, list):  # some servers answer with content parts
            content = "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
        else:
            raise WireFormatError("the message content is neither text nor parts")
    raw_calls = raw.get("tool_calls")
    calls = tuple(_tool_call(c, i) for i, c in enumerate(raw_calls)) if raw_calls else ()
    message = Message("assistant", content or "", tool_calls=calls)
    metadata: dict[str, Any] = {}
    provider_model = data.get("model")
    if isinstance(provider_model, str):
        metadata["provider_model"] = provider_model
    reasoning = raw.get("reasoning_content")
    if isinstance(reasoning, str):
        metadata["reasoning_content"] = reasoning
    answer_id = data.get("id")
    return ChatResponse(
        message=message,
        model=model.id,
        provider=provider,
        usage=or_estimate(parse_usage(data.get("usage")), request, message, model),
        finish_reason=choices[0].get("finish_reason"),
        id=answer_id if isinstance(answer_id, str) else None,
        metadata=metadata,
    )


class OpenAIStreamDecoder:
    """Turns chat-completions stream events into ChatChunks; `finish()` makes the last chunk."""

    __slots__ = ("_calls", "_finish", "_id", "_model", "_provider", "_request", "_text", "_usage", "done")

    def __init__(self, request: ChatRequest, model: ModelInfo, provider: str) -> None:
        self._request = request
        self._model = model
        self._provider = provider
        self._text: list[str] = []
        self._calls: dict[int, list[Any]] = {}  # index -> [id, name, [argument fragments]]
        self._finish: str | None = None
        self._usage: Usage | None = None
        self._id: str | None = None
        self.done = False

    @property
    def complete(self) -> bool:
        """Whether the answer is known to be whole ([DONE] or a finish reason seen)."""
        return self.done or self._finish is not None

    def feed_event(self, event: SSEEvent) -> list[ChatChunk]:
        """Take one SSE event; return the chunks it carries."""
        data = event.data
        if data == "[DONE]" or data.strip() == "[DONE]":
            self.done = True
            return []
        try:
            obj = json.loads(data)
        except ValueError:
            raise WireFormatError(f"a stream event is not JSON: {data[:80]!r}") from None
        return self.feed(obj)

    def feed(self, obj: Any) -> list[ChatChunk]:
        """Take one decoded stream object; return the chunks it carries."""
        if not isinstance(obj, dict):
            raise WireFormatError("a stream event is not a JSON object")
        raise_embedded_error(obj)
        if self._id is None and isinstance(obj.get("id"), str):
            self._id = obj["id"]
        if obj.get("usage"):
            usage = parse_usage(obj["usage"])
            if usage is not None:
                self._usage = usage
        choices = obj.get("choices")
        if not choices:
            return []
        if len(choices) == 1:  # the common case: one choice with a text delta
            choice = choices[0]
            delta = choice.get("delta") if isinstance(choice, dict) else None
            if (
                isinstance(delta, dict)
                and not choice.get("finish_reason")
                and not delta.get("tool_calls")
                and not choice.get("index")
            ):
                text = delta.get("content")
                if not text:
                    return []
                self._text.append(text)
                return [ChatChunk(text, (), None, None, self._model.id)]
        out: list[ChatChunk] = []
        for choice in choices:
            if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                continue
            delta = choice.get("delta")
            text = None
            deltas: tuple[ToolCallDelta, ...] = ()
            if isinstance(delta, dict):
                text = delta.get("content")
                raw_calls = delta.get("tool_calls")
                if raw_calls:
                    deltas = tuple(self._tool_delta(raw) for raw in raw_calls)
            finish = choice.get("finish_reason")
            if finish:
                self._finish = finish
            if text or deltas or finish:
                if text:
                    self._text.append(text)
                out.append(ChatChunk(text or "", deltas, finish, None, self._model.id))
        return out

    def _tool_delta(self, raw: Any) -> ToolCallDelta:
        if not isinstance(raw, dict):
            raise WireFormatError("a tool-call delta is not an object")
        index = raw.get("index", 0)
        if not isinstance(index, int):
            raise WireFormatError("a tool-call delta has no integer index")
        fn = raw.get("function") or {}
        args = fn.get("arguments") or ""
        if not isinstance(args, str):
            args = json.dumps(args)
        entry = self._calls.setdefault(index, [None, None, []])
        if raw.get("id"):
            entry[0] = str(raw["id"])
        if fn.get("name"):
            entry[1] = str(fn["name"])
        entry[2].append(args)
        return ToolCallDelta(index=index, id=raw.get("id"), name=fn.get("name"), arguments=args)

    def message(self) -> Message:
        """The answer assembled so far."""
        calls = tuple(
            ToolCall(id=entry[0] or f"call_{i}", name=entry[1] or "", arguments="".join(entry[2]) or "{}")
            for i, entry in sorted(self._calls.items())
            if entry[1]
        )
        return Message("assistant", "".join(self._text), tool_calls=calls)

    def finish(self) -> ChatChunk:
        """The last chunk: usage (the provider's, or estimated) and the whole response."""
        message = self.message()
        usage = or_estimate(self._usage, self._request, message, self._model)
        response = ChatResponse(
            message=message,
            model=self._model.id,
            provider=self._provider,
            usage=usage,
            finish_reason=self._finish,
            id=self._id,
        )
        return ChatChunk(usage=usage, model=self._model.id, response=response)
