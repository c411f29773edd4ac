from __future__ import annotations

from decimal import Decimal

import pytest

from a3m_integrations.cache import areplay_chunks, replay_chunks
from a3m_integrations.errors import InvalidRequest
from a3m_integrations.types import ChatResponse, Message, ToolCall, Usage

TEXT = "  Lists reverse with  reversed(xs) or xs[::-1];\nboth are O(n).  "


def response(**kwargs: object) -> ChatResponse:
    base: dict[str, object] = {
        "message": Message.assistant(TEXT),
        "model": "m",
        "usage": Usage(10, 20),
        "cost": Decimal(0),
        "saved_cost": Decimal("0.01"),
        "cache_hit": True,
    }
    base.update(kwargs)
    return ChatResponse(**base)  # type: ignore[arg-type]


def test_chunks_rebuild_the_text_and_end_with_the_response() -> None:
    r = response()
    chunks = list(replay_chunks(r, chunk_chars=8))
    assert "".join(c.text for c in chunks) == TEXT
    assert len(chunks) > 4
    assert all(c.response is None for c in chunks[:-1])
    last = chunks[-1]
    assert last.response is r and last.usage == r.usage and last.finish_reason == "stop" and last.text == ""


def test_tool_calls_replay_as_deltas() -> None:
    calls = [ToolCall("c1", "weather", '{"city": "Oslo"}'), ToolCall("c2", "time", "{}")]
    r = response(message=Message.assistant("", tool_calls=calls), finish_reason=None)
    chunks = list(replay_chunks(r))
    deltas = [d for c in chunks for d in c.tool_calls]
    assert [(d.index, d.id, d.name, d.arguments) for d in deltas] == [
        (0, "c1", "weather", '{"city": "Oslo"}'),
        (1, "c2", "time", "{}"),
    ]
    assert chunks[-1].finish_reason == "tool_calls"


async def test_async_replay_matches_sync() -> None:
    r = response(finish_reason="length")
    got = [c async for c in areplay_chunks(r, chunk_chars=5)]
    assert got == list(replay_chunks(r, chunk_chars=5))
    assert got[-1].finish_reason == "length"


def test_bad_chunk_size() -> None:
    with pytest.raises(InvalidRequest):
        list(replay_chunks(response(), chunk_chars=0))
