"""Replay a cached answer as a stream, so streaming callers get chunks on a hit too.

LangChain's own cache is skipped by `.stream()` (langchain#23701): a cached answer either arrives
whole or not at all. The gateway instead stores a streamed answer once the stream completes and,
on a hit, replays it through these generators: text in word-sized pieces, each tool call as one
delta, and a last chunk carrying `finish_reason`, `usage` and the whole `response`.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator

from a3m_integrations.errors import InvalidRequest
from a3m_integrations.types import ChatChunk, ChatResponse, ToolCallDelta

__all__ = ["areplay_chunks", "replay_chunks"]

_PIECE = re.compile(r"\s*\S+")


def replay_chunks(response: ChatResponse, *, chunk_chars: int = 16) -> Iterator[ChatChunk]:
    """Chunks that rebuild `response`: joined texts equal its text; the last chunk carries it whole.

    Args:
        response: the cached answer.
        chunk_chars: pieces are whole words (with their leading whitespace) grouped up to about this many characters.
    """
    if chunk_chars < 1:
        raise InvalidRequest("chunk_chars must be at least 1", field="chunk_chars")
    text = response.message.text
    buffer = ""
    consumed = 0
    for match in _PIECE.finditer(text):
        buffer += match.group(0)
        consumed = match.end()
        if len(buffer) >= chunk_chars:
            yield ChatChunk(text=buffer, model=response.model)
            buffer = ""
    buffer += text[consumed:]  # trailing whitespace
    if buffer:
        yield ChatChunk(text=buffer, model=response.model)
    for index, call in enumerate(response.message.tool_calls):
        delta = ToolCallDelta(index=index, id=call.id, name=call.name, arguments=call.arguments)
        yield ChatChunk(tool_calls=(delta,), model=response.model)
    yield ChatChunk(
        finish_reason=response.finish_reason or ("tool_calls" if response.message.tool_calls else "stop"),
        usage=response.usage,
        model=response.model,
        response=response,
    )


async def areplay_chunks(response: ChatResponse, *, chunk_chars: int = 16) -> AsyncIterator[ChatChunk]:
    """Async twin of `replay_chunks` (the same chunks, yielding to the event loop between them)."""
    for chunk in replay_chunks(response, chunk_chars=chunk_chars):
        yield chunk
