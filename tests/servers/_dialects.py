"""The two wire formats the test server speaks: parse a request into a Prompt, render answers.

Each dialect renders a whole answer (`completion`), a stream as a list of SSE events (`events`,
with the positions of content events so faults can cut between them), an error body, and an
in-stream error event. Pure functions of their inputs, apart from the running id counter.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from a3m_integrations.cost.estimate import approx_tokens
from tests.servers._scripted import Answer, Prompt, Turn, completion_tokens, prompt_tokens, split_text

__all__ = ["ANTHROPIC", "OPENAI", "Dialect", "Event"]

_ids = itertools.count(1)


@dataclass(frozen=True)
class Event:
    """One SSE event as bytes, and whether it carries answer content (text or tool arguments)."""

    data: bytes
    content: bool = False


def _sse(obj: Any, event: str | None = None) -> bytes:
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {json.dumps(obj)}\n\n".encode()


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for p in content:
            if isinstance(p, Mapping):
                if p.get("type") == "text":
                    parts.append(str(p.get("text", "")))
                elif p.get("type") == "tool_result":
                    parts.append(_text(p.get("content")))
        return "\n".join(parts)
    return ""


class Dialect:
    """Base: the shared shape of a wire format."""

    name = "base"

    def prompt(self, body: Mapping[str, Any]) -> Prompt:
        raise NotImplementedError

    def completion(self, body: Mapping[str, Any], prompt: Prompt, ans: Answer, *, usage: bool) -> dict[str, Any]:
        raise NotImplementedError

    def events(self, body: Mapping[str, Any], prompt: Prompt, ans: Answer, *, usage: bool) -> list[Event]:
        raise NotImplementedError

    def error_body(self, status: int, message: str) -> dict[str, Any]:
        raise NotImplementedError

    def stream_error(self, message: str) -> bytes:
        raise NotImplementedError


class _OpenAI(Dialect):
    name = "openai"

    def prompt(self, body: Mapping[str, Any]) -> Prompt:
        names: dict[str, str] = {}
        turns: list[Turn] = []
        for m in body.get("messages") or ():
            role = m.get("role", "user")
            for call in m.get("tool_calls") or ():
                names[str(call.get("id"))] = str((call.get("function") or {}).get("name"))
            turns.append(Turn(role, _text(m.get("content")), names.get(str(m.get("tool_call_id")))))
        tools = [
            (t["function"]["name"], t["function"].get("parameters") or {})
            for t in body.get("tools") or ()
            if isinstance(t, Mapping) and isinstance(t.get("function"), Mapping)
        ]
        choice = body.get("tool_choice")
        if isinstance(choice, Mapping):
            choice = (choice.get("function") or {}).get("name")
        rf = body.get("response_format") or {}
        schema = (rf.get("json_schema") or {}).get("schema") if rf.get("type") == "json_schema" else None
        extra = approx_tokens(json.dumps(body.get("tools"), separators=(",", ":"))) if tools else 0
        return Prompt(
            turns=turns,
            tools=tools,
            tool_choice=choice,
            json_schema=schema,
            json_object=rf.get("type") == "json_object",
            max_tokens=body.get("max_tokens") or body.get("max_completion_tokens"),
            extra_tokens=extra,
        )

    @staticmethod
    def _usage(prompt: Prompt, ans: Answer) -> dict[str, int]:
        p, c = prompt_tokens(prompt), completion_tokens(ans)
        return {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}

    def completion(self, body: Mapping[str, Any], prompt: Prompt, ans: Answer, *, usage: bool) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": ans.text or None}
        if ans.tool_calls:
            message["tool_calls"] = [
                {"id": f"call_{i}", "type": "function", "function": {"name": n, "arguments": a}}
                for i, (n, a) in enumerate(ans.tool_calls)
            ]
        out: dict[str, Any] = {
            "id": f"chatcmpl-{next(_ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model"),
            "choices": [{"index": 0, "message": message, "finish_reason": ans.finish}],
        }
        if usage:
            out["usage"] = self._usage(prompt, ans)
        return out

    def events(self, body: Mapping[str, Any], prompt: Prompt, ans: Answer, *, usage: bool) -> list[Event]:
        rid, created, model = f"chatcmpl-{next(_ids)}", int(time.time()), body.get("model")

        def chunk(delta: dict[str, Any] | None, finish: str | None = None, **extra: Any) -> dict[str, Any]:
            choices = [{"index": 0, "delta": delta, "finish_reason": finish}] if delta is not None else []
            return {
                "id": rid,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": choices,
                **extra,
            }

        out = [Event(_sse(chunk({"role": "assistant", "content": ""})))]
        out += [Event(_sse(chunk({"content": piece})), content=True) for piece in split_text(ans.text)]
        for i, (name, args) in enumerate(ans.tool_calls):
            head = {"index": i, "id": f"call_{i}", "type": "function", "function": {"name": name, "arguments": ""}}
            out.append(Event(_sse(chunk({"tool_calls": [head]})), content=True))
            third = max(1, len(args) // 3)
            for j in range(0, len(args), third):
                part = {"index": i, "function": {"arguments": args[j : j + third]}}
                out.append(Event(_sse(chunk({"tool_calls": [part]})), content=True))
        out.append(Event(_sse(chunk({}, ans.finish))))
        stream_options = body.get("stream_options") or {}
        if usage and stream_options.get("include_usage"):
            out.append(Event(_sse({**chunk(None), "choices": [], "usage": self._usage(prompt, ans)})))
        out.append(Event(b"data: [DONE]\n\n"))
        return out

    def error_body(self, status: int, message: str) -> dict[str, Any]:
        kind = {429: "rate_limit_exceeded", 401: "invalid_api_key", 400: "invalid_request_error"}.get(
            status, "server_error"
        )
        return {"error": {"message": message, "type": kind, "code": kind if status in (401, 429) else None}}

    def stream_error(self, message: str) -> bytes:
        return _sse({"error": {"message": message, "type": "server_error", "code": 500}})


class _Anthropic(Dialect):
    name = "anthropic"

    def prompt(self, body: Mapping[str, Any]) -> Prompt:
        turns: list[Turn] = []
        system = body.get("system")
        if system:
            turns.append(Turn("system", _text(system)))
        names: dict[str, str] = {}
        for m in body.get("messages") or ():
            content = m.get("content")
            blocks = content if isinstance(content, list) else [{"type": "text", "text": content or ""}]
            results = [b for b in blocks if isinstance(b, Mapping) and b.get("type") == "tool_result"]
            for b in blocks:
                if isinstance(b, Mapping) and b.get("type") == "tool_use":
                    names[str(b.get("id"))] = str(b.get("name"))
            if results:
                for r in results:
                    turns.append(Turn("tool", _text(r.get("content")), names.get(str(r.get("tool_use_id")))))
            else:
                turns.append(Turn(m.get("role", "user"), _text(blocks)))
        tools = [(t["name"], t.get("input_schema") or {}) for t in body.get("tools") or () if isinstance(t, Mapping)]
        choice = body.get("tool_choice") or {}
        kind = choice.get("type") if isinstance(choice, Mapping) else None
        named = choice.get("name") if kind == "tool" else {"any": "required", "none": "none"}.get(str(kind), "auto")
        extra = approx_tokens(json.dumps(body.get("tools"), separators=(",", ":"))) if tools else 0
        return Prompt(
            turns=turns, tools=tools, tool_choice=named, max_tokens=body.get("max_tokens"), extra_tokens=extra
        )

    @staticmethod
    def _stop(ans: Answer) -> str:
        return {"stop": "end_turn", "length": "max_tokens", "tool_calls": "tool_use"}[ans.finish]

    def completion(self, body: Mapping[str, Any], prompt: Prompt, ans: Answer, *, usage: bool) -> dict[str, Any]:
        content: list[dict[str, Any]] = [{"type": "text", "text": ans.text}] if ans.text else []
        for i, (name, args) in enumerate(ans.tool_calls):
            content.append({"type": "tool_use", "id": f"toolu_{i}", "name": name, "input": json.loads(args)})
        out: dict[str, Any] = {
            "id": f"msg_{next(_ids)}",
            "type": "message",
            "role": "assistant",
            "model": body.get("model"),
            "content": content,
            "stop_reason": self._stop(ans),
            "stop_sequence": None,
        }
        if usage:
            out["usage"] = {"input_tokens": prompt_tokens(prompt), "output_tokens": completion_tokens(ans)}
        return out

    def events(self, body: Mapping[str, Any], prompt: Prompt, ans: Answer, *, usage: bool) -> list[Event]:
        message: dict[str, Any] = {
            "id": f"msg_{next(_ids)}",
            "type": "message",
            "role": "assistant",
            "model": body.get("model"),
            "content": [],
            "stop_reason": None,
        }
        if usage:
            message["usage"] = {"input_tokens": prompt_tokens(prompt), "output_tokens": 1}
        out = [Event(_sse({"type": "message_start", "message": message}, "message_start"))]
        out.append(Event(_sse({"type": "ping"}, "ping")))
        index = 0
        if ans.text:
            start = {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}
            out.append(Event(_sse(start, "content_block_start")))
            for piece in split_text(ans.text):
                delta = {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}}
                out.append(Event(_sse(delta, "content_block_delta"), content=True))
            out.append(Event(_sse({"type": "content_block_stop", "index": 0}, "content_block_stop")))
            index = 1
        for i, (name, args) in enumerate(ans.tool_calls):
            block = {"type": "tool_use", "id": f"toolu_{i}", "name": name, "input": {}}
            out.append(
                Event(
                    _sse(
                        {"type": "content_block_start", "index": index, "content_block": block}, "content_block_start"
                    ),
                    content=True,
                )
            )
            third = max(1, len(args) // 3)
            for j in range(0, len(args), third):
                delta = {"type": "input_json_delta", "partial_json": args[j : j + third]}
                ev = {"type": "content_block_delta", "index": index, "delta": delta}
                out.append(Event(_sse(ev, "content_block_delta"), content=True))
            out.append(Event(_sse({"type": "content_block_stop", "index": index}, "content_block_stop")))
            index += 1
        delta_ev: dict[str, Any] = {
            "type": "message_delta",
            "delta": {"stop_reason": self._stop(ans), "stop_sequence": None},
        }
        if usage:
            delta_ev["usage"] = {"output_tokens": completion_tokens(ans)}
        out.append(Event(_sse(delta_ev, "message_delta")))
        out.append(Event(_sse({"type": "message_stop"}, "message_stop")))
        return out

    def error_body(self, status: int, message: str) -> dict[str, Any]:
        kind = {
            429: "rate_limit_error",
            401: "authentication_error",
            400: "invalid_request_error",
            529: "overloaded_error",
        }.get(status, "api_error")
        return {"type": "error", "error": {"type": kind, "message": message}}

    def stream_error(self, message: str) -> bytes:
        return _sse({"type": "error", "error": {"type": "overloaded_error", "message": message}}, "error")


OPENAI = _OpenAI()
ANTHROPIC = _Anthropic()
