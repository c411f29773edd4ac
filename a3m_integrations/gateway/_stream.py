"""Streaming helpers: collect a stream into an answer, and restore redacted values chunk by chunk.

Shared by the sync and async stream drivers, which only move chunks.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from a3m_integrations.types import ChatChunk, ChatResponse, Message, ToolCall, Usage

__all__ = ["StreamCollector"]

#: Placeholders look like `<EMAIL_1>`; text after an unclosed '<' is held back at most this long.
_MAX_PLACEHOLDER = 40


class StreamCollector:
    """Joins chunks into the whole answer and holds back text that may be half a placeholder.

    `restore` (text -> text) puts redacted values back; when it is None chunks pass untouched.
    """

    def __init__(self, restore: Callable[[str], str] | None = None) -> None:
        self.text: list[str] = []
        self.tool_calls: dict[int, dict[str, str]] = {}
        self.usage: Usage | None = None
        self.finish_reason: str | None = None
        self.model: str | None = None
        self.chunks = 0
        self.final: ChatResponse | None = None
        self._restore = restore
        self._held = ""
        self._started = time.perf_counter()

    @property
    def received(self) -> str:
        """The text received so far."""
        return "".join(self.text)

    def add(self, chunk: ChatChunk) -> ChatChunk | None:
        """Record a chunk; returns the chunk to pass on (None when all its text is held back)."""
        self.chunks += 1
        if chunk.text:
            self.text.append(chunk.text)
        for delta in chunk.tool_calls:
            call = self.tool_calls.setdefault(delta.index, {"id": "", "name": "", "arguments": ""})
            if delta.id:
                call["id"] = delta.id
            if delta.name:
                call["name"] = delta.name
            call["arguments"] += delta.arguments
        if chunk.usage is not None:
            self.usage = chunk.usage
        if chunk.finish_reason:
            self.finish_reason = chunk.finish_reason
        if chunk.model:
            self.model = chunk.model
        if chunk.response is not None:
            self.final = chunk.response
        if self._restore is None or not chunk.text:
            return chunk
        text = self._release(chunk.text)
        if not text and not chunk.tool_calls and chunk.usage is None and chunk.finish_reason is None:
            return None
        return chunk.replace(text=text)

    def _release(self, text: str) -> str:
        assert self._restore is not None
        pending = self._held + text
        cut = pending.rfind("<")
        if cut != -1 and ">" not in pending[cut:] and len(pending) - cut < _MAX_PLACEHOLDER:
            self._held = pending[cut:]
            pending = pending[:cut]
        else:
            self._held = ""
        return self._restore(pending) if pending else ""

    def flush(self) -> str:
        """Text still held back when the stream ends."""
        held, self._held = self._held, ""
        return self._restore(held) if held and self._restore is not None else held

    def response(self, fallback_model: str) -> ChatResponse:
        """The whole answer as the provider gave it (before restoring), for settling and caching."""
        if self.final is not None:
            return self.final
        calls = tuple(ToolCall(c["id"], c["name"], c["arguments"] or "{}") for _, c in sorted(self.tool_calls.items()))
        return ChatResponse(
            message=Message.assistant(self.received, calls),
            model=self.model or fallback_model,
            usage=self.usage or Usage(),
            finish_reason=self.finish_reason,
            latency_ms=(time.perf_counter() - self._started) * 1000.0,
        )
