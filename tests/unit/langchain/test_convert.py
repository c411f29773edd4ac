"""The pure converters between LangChain messages/tools/usage and the core's types."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import BaseModel

from a3m_integrations.errors import InvalidRequest
from a3m_integrations.types import (
    ChatChunk,
    ChatResponse,
    ImagePart,
    Message,
    ResponseFormat,
    RoutingDecision,
    TextPart,
    ToolCall,
    ToolCallDelta,
    Usage,
)
from langchain_a3m._convert import (
    _create_usage_metadata,
    from_core_chunk,
    from_core_message,
    from_core_response,
    from_core_tools,
    response_metadata,
    to_core_chunk,
    to_core_messages,
    to_core_response,
    to_core_response_format,
    to_core_tool_choice,
    to_core_tools,
    to_core_usage,
)


def test_messages_of_every_role() -> None:
    ai = AIMessage(
        content="checking",
        tool_calls=[{"name": "weather", "args": {"city": "Oslo"}, "id": "c1"}],
        invalid_tool_calls=[
            {"name": "broken", "args": "{oops", "id": "c2", "error": "bad", "type": "invalid_tool_call"}
        ],
    )
    core = to_core_messages(
        [
            SystemMessage("be brief"),
            HumanMessage("hi", name="ann"),
            ai,
            ToolMessage("sunny", tool_call_id="c1"),
            ChatMessage(role="developer", content="rules"),
        ]
    )
    assert [m.role for m in core] == ["system", "user", "assistant", "tool", "system"]
    assert core[1].name == "ann" and core[3].tool_call_id == "c1"
    assert core[2].tool_calls == (ToolCall("c1", "weather", '{"city": "Oslo"}'), ToolCall("c2", "broken", "{oops"))
    with pytest.raises(InvalidRequest, match="legacy"):
        to_core_messages([FunctionMessage(name="f", content="x")])


def test_content_blocks_images_and_skipped_blocks() -> None:
    blocks = [
        "plain ",
        {"type": "text", "text": "look"},
        {"type": "image_url", "image_url": {"url": "https://x/a.png", "detail": "low"}},
        {"type": "image", "url": "https://x/b.png"},
        {"type": "image", "base64": "AAAA", "mime_type": "image/jpeg"},
        {"type": "image", "source_type": "base64", "data": "BBBB", "mime_type": "image/png"},
        {"type": "image", "source": {"type": "base64", "media_type": "image/gif", "data": "CCCC"}},
    ]
    (message,) = to_core_messages([HumanMessage(content=blocks)])
    assert isinstance(message.content, tuple)
    assert message.content[:2] == (TextPart("plain "), TextPart("look"))
    assert message.images == (
        ImagePart("https://x/a.png", "low"),
        ImagePart("https://x/b.png"),
        ImagePart("data:image/jpeg;base64,AAAA"),
        ImagePart("data:image/png;base64,BBBB"),
        ImagePart("data:image/gif;base64,CCCC"),
    )
    # text-only lists collapse to a string; reasoning and tool_use blocks carry no text for the model
    thinking = AIMessage(content=[{"type": "thinking", "thinking": "hm"}, {"type": "text", "text": "Hello"}])
    assert to_core_messages([thinking])[0].content == "Hello"
    with pytest.raises(InvalidRequest, match="'audio'"):
        to_core_messages([HumanMessage(content=[{"type": "audio", "data": "x"}])])
    with pytest.raises(InvalidRequest, match="images"):
        to_core_messages([SystemMessage(content=[{"type": "image", "url": "https://x"}])])


def test_tools_choice_and_response_format() -> None:
    class Search(BaseModel):
        """Search the web."""

        query: str

    def add(a: int, b: int) -> int:
        """Add two numbers."""
        return a + b

    specs = to_core_tools([convert_to_openai_tool(t) for t in (Search, add)])
    assert [s.name for s in specs] == ["Search", "add"]
    assert specs[1].parameters["properties"] == {"a": {"type": "integer"}, "b": {"type": "integer"}}
    assert specs[0].description == "Search the web."
    with pytest.raises(InvalidRequest, match="built-in"):
        to_core_tools([{"type": "web_search_preview"}])
    assert [to_core_tool_choice(c) for c in (None, False, True, "auto", "any", "add")] == [
        None,
        None,
        "required",
        "auto",
        "any",
        "add",
    ]
    assert to_core_tool_choice({"type": "function", "function": {"name": "add"}}) == "add"
    with pytest.raises(InvalidRequest):
        to_core_tool_choice(7)
    rf = to_core_response_format({"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}})
    assert rf == ResponseFormat("json_schema", {"type": "object"}, "x")
    assert to_core_response_format(None) is None


def _response(**changes: object) -> ChatResponse:
    base = ChatResponse(
        message=Message.assistant("", [ToolCall("t1", "add", '{"a": 1}'), ToolCall("t2", "add", '{"a": ')]),
        model="wire/premium",
        provider="wire",
        usage=Usage(10, 5, cached_input_tokens=4, reasoning_tokens=2),
        cost=Decimal("0.000123"),
        finish_reason="tool_calls",
        id="r1",
        decision=RoutingDecision("wire/cheap", "wire", "cheap", 0.3, Decimal("0.01"), ("base",), ("wire/premium",)),
        attempts=3,
        flags=("guardrail_warning",),
        metadata={"request_id": "abc", "task": "chat"},
    )
    return base.replace(**changes)


def test_response_to_ai_message() -> None:
    msg = from_core_response(_response(), tier="premium")
    assert msg.tool_calls == [{"name": "add", "args": {"a": 1}, "id": "t1", "type": "tool_call"}]
    assert msg.invalid_tool_calls[0]["name"] == "add" and msg.invalid_tool_calls[0]["args"] == '{"a": '
    assert msg.usage_metadata == {
        "input_tokens": 10,
        "output_tokens": 5,
        "total_tokens": 15,
        "input_token_details": {"cache_read": 4},
        "output_token_details": {"reasoning": 2},
    }
    meta = msg.response_metadata
    assert meta["model_name"] == "wire/premium" and meta["routed_model"] == "wire/cheap" and meta["fell_back"] is True
    assert meta["tier"] == "premium" and meta["cost"] == "0.000123" and meta["estimated_cost"] == "0.01"
    assert meta["request_id"] == "abc" and meta["a3m"] == {"task": "chat"} and meta["flags"] == ["guardrail_warning"]
    json.dumps(meta)  # plain data only
    assert _create_usage_metadata(Usage(1, 2)) == {"input_tokens": 1, "output_tokens": 2, "total_tokens": 3}
    assert response_metadata(_response(decision=None))["tier"] is None


def test_chunks_carry_usage_only_at_the_end() -> None:
    first = from_core_chunk(ChatChunk(text="He", tool_calls=(ToolCallDelta(0, "t1", "add", '{"a"'),)))
    second = from_core_chunk(ChatChunk(text="llo", tool_calls=(ToolCallDelta(0, None, None, ": 1}"),)))
    last = from_core_chunk(ChatChunk(response=_response(message=Message.assistant("Hello"))), tier="cheap")
    assert first.message.usage_metadata is None and first.message.response_metadata == {}
    assert isinstance(last.message, AIMessageChunk) and last.message.chunk_position == "last"
    assert last.generation_info == {"finish_reason": "tool_calls"}
    total = first + second + last
    assert total.message.content == "Hello"
    assert total.message.tool_calls == [{"name": "add", "args": {"a": 1}, "id": "t1", "type": "tool_call"}]
    assert total.message.usage_metadata is not None and total.message.usage_metadata["total_tokens"] == 15


def test_provider_direction_round_trip() -> None:
    core = (
        Message.system("s"),
        Message("user", (TextPart("see"), ImagePart("https://x/i.png", "high")), name="u"),
        Message.assistant("", [ToolCall("c1", "f", '{"x": 1}'), ToolCall("c2", "g", "nope")]),
        Message("tool", "done", tool_call_id="c1"),
    )
    lc = [from_core_message(m) for m in core]
    assert isinstance(lc[1], HumanMessage) and lc[1].content[1] == {
        "type": "image_url",
        "image_url": {"url": "https://x/i.png", "detail": "high"},
    }
    assert isinstance(lc[2], AIMessage) and lc[2].tool_calls[0]["args"] == {"x": 1} and lc[2].invalid_tool_calls
    assert to_core_messages(lc) == core
    assert (
        from_core_tools(to_core_tools([{"type": "function", "function": {"name": "f", "parameters": {}}}]))[0][
            "function"
        ]["name"]
        == "f"
    )


def test_answers_of_a_wrapped_model() -> None:
    msg = AIMessage(
        content="",
        tool_calls=[{"name": "f", "args": {"x": 1}, "id": None}],
        usage_metadata={"input_tokens": 3, "output_tokens": 4, "total_tokens": 7},
        response_metadata={"finish_reason": "tool_calls"},
    )
    usage = to_core_usage(msg)
    assert usage == Usage(3, 4)
    response = to_core_response(msg, usage, "m/x", "mine")
    assert response.finish_reason == "tool_calls" and response.message.tool_calls == (
        ToolCall("call_0", "f", '{"x": 1}'),
    )
    assert to_core_usage(AIMessage(content="x")) is None
    stopped = to_core_response(AIMessage(content="x", response_metadata={"stop_reason": "max_tokens"}), None, "m", "p")
    assert stopped.finish_reason == "length"
    chunk = to_core_chunk(
        AIMessageChunk(content="a", tool_call_chunks=[{"name": "f", "args": "{", "id": "i", "index": None}]), 2
    )
    assert chunk.text == "a" and chunk.tool_calls == (ToolCallDelta(2, "i", "f", "{"),)
