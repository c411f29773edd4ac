"""The pure converters between LlamaIndex and core types, both ways."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from llama_index.core.base.llms.types import (
    AudioBlock,
    ChatMessage,
    ImageBlock,
    MessageRole,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
)
from llama_index.core.base.llms.types import ChatResponse as LIChatResponse
from pydantic import BaseModel

from a3m_integrations.errors import InvalidRequest
from a3m_integrations.types import (
    ChatChunk,
    ChatResponse,
    ImagePart,
    Message,
    RequestContext,
    RoutingDecision,
    TextPart,
    ToolCall,
    ToolCallDelta,
    ToolSpec,
    Usage,
)
from llamaindex_a3m._convert import (
    ChatStream,
    build_request,
    from_core_message,
    from_core_response,
    to_core_message,
    to_core_response_format,
    to_core_tool_choice,
    to_core_tools,
    tool_selections,
)


def test_roles_map_to_the_core_roles() -> None:
    pairs = {"system": "system", "developer": "system", "user": "user", "assistant": "assistant", "model": "assistant"}
    for li_role, core_role in pairs.items():
        assert to_core_message(ChatMessage(role=li_role, content="x")).role == core_role


def test_text_blocks_join_into_one_string_and_thinking_is_dropped() -> None:
    m = ChatMessage(role="assistant", blocks=[ThinkingBlock(content="hmm"), TextBlock(text="a"), TextBlock(text="b")])
    assert to_core_message(m).content == "a\nb"


def test_images_become_parts_by_url_or_data_url() -> None:
    m = ChatMessage(
        role="user",
        blocks=[
            TextBlock(text="what is this?"),
            ImageBlock(url="https://example.com/cat.png", detail="low"),
            ImageBlock(image=b"\x89PNG\r\n\x1a\nfake", image_mimetype="image/png"),
        ],
    )
    core = to_core_message(m)
    assert isinstance(core.content, tuple)
    text, by_url, by_bytes = core.content
    assert text == TextPart("what is this?")
    assert by_url == ImagePart("https://example.com/cat.png", detail="low")
    assert isinstance(by_bytes, ImagePart) and by_bytes.url.startswith("data:image/png;base64,")


def test_unsupported_blocks_are_a_typed_error() -> None:
    m = ChatMessage(role="user", blocks=[AudioBlock(audio=b"RIFF....", format="wav")])
    with pytest.raises(InvalidRequest, match="AudioBlock"):
        to_core_message(m)


def test_tool_calls_round_trip_through_blocks() -> None:
    core = Message.assistant("", [ToolCall("call_1", "add", '{"a": 1, "b": 2}')])
    li = from_core_message(core)
    block = next(b for b in li.blocks if isinstance(b, ToolCallBlock))
    assert (block.tool_call_id, block.tool_name, block.tool_kwargs) == ("call_1", "add", {"a": 1, "b": 2})
    back = to_core_message(li)
    assert back.tool_calls == (ToolCall("call_1", "add", '{"a": 1, "b": 2}'),)


def test_legacy_openai_tool_calls_and_tool_results() -> None:
    legacy = [{"id": "c9", "type": "function", "function": {"name": "f", "arguments": '{"x": 1}'}}]
    assistant = ChatMessage(role="assistant", content=None, additional_kwargs={"tool_calls": legacy})
    assert to_core_message(assistant).tool_calls == (ToolCall("c9", "f", '{"x": 1}'),)
    result = to_core_message(ChatMessage(role="tool", content="3", additional_kwargs={"tool_call_id": "c9"}))
    assert (result.role, result.tool_call_id, result.content) == ("tool", "c9", "3")
    with pytest.raises(InvalidRequest, match="tool_call_id"):
        to_core_message(ChatMessage(role="tool", content="3"))


def test_invalid_json_arguments_stay_a_string() -> None:
    li = from_core_message(Message.assistant("", [ToolCall("c", "f", '{"a": ')]))
    block = li.blocks[-1]
    assert isinstance(block, ToolCallBlock) and block.tool_kwargs == '{"a": '
    # partial JSON still gives the tool what is there
    assert tool_selections(LIChatResponse(message=li))[0].tool_kwargs == {"a": None}


def test_tools_from_dicts_tool_specs_and_llamaindex_tools() -> None:
    from llama_index.core.tools import FunctionTool

    def add(a: int, b: int) -> int:
        """Add two integers."""
        return a + b

    spec = ToolSpec("mul", "Multiply", {"type": "object", "properties": {}})
    openai_dict = {"type": "function", "function": {"name": "sub", "description": "Subtract", "parameters": {}}}
    tools = to_core_tools([FunctionTool.from_defaults(add), spec, openai_dict], strict=True)
    assert [t.name for t in tools] == ["add", "mul", "sub"]
    assert set(tools[0].parameters["properties"]) == {"a", "b"}
    assert all(t.strict for t in tools)
    with pytest.raises(InvalidRequest):
        to_core_tools([object()])


def test_tool_choice_and_response_format() -> None:
    assert to_core_tool_choice({"type": "function", "function": {"name": "add"}}) == "add"
    assert to_core_tool_choice("required") == "required"

    class Pet(BaseModel):
        name: str

    rf = to_core_response_format(Pet)
    assert rf is not None and rf.type == "json_schema" and rf.name == "Pet" and "name" in rf.schema["properties"]
    rf = to_core_response_format({"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}})
    assert rf is not None and rf.name == "x"
    with pytest.raises(InvalidRequest):
        to_core_response_format(42)


def test_build_request_splits_context_params_and_provider_extras() -> None:
    defaults = {"model": "auto", "temperature": 0.2, "user": "alice", "team": "t", "additional_kwargs": {"a": 1}}
    request, context = build_request(
        [ChatMessage(role="user", content="hi")],
        defaults,
        {"user": "bob", "route": "support", "max_tokens": 50, "stop": "END", "logit_bias": {"1": 2}, "strict": True},
    )
    assert (context.user, context.team, context.route) == ("bob", "t", "support")
    assert (request.model, request.temperature, request.max_tokens, request.stop) == ("auto", 0.2, 50, ("END",))
    assert dict(request.extra) == {"a": 1, "logit_bias": {"1": 2}}
    given = RequestContext(user="carol")
    _, ctx = build_request([ChatMessage(role="user", content="hi")], defaults, {"context": given})
    assert ctx is given


def _core_answer(text: str = "hello", calls: tuple[ToolCall, ...] = ()) -> ChatResponse:
    decision = RoutingDecision("p/m", "p", "cheap", 0.3, reasons=("base (+0.10)",))
    return ChatResponse(
        message=Message.assistant(text, calls),
        model="p/m",
        provider="p",
        usage=Usage(12, 5),
        cost=Decimal("0.00042"),
        decision=decision,
        finish_reason="stop",
    )


def test_response_carries_counts_decision_cost_and_who() -> None:
    li = from_core_response(_core_answer(), RequestContext(user="alice", route="r"))
    kw = li.additional_kwargs
    assert (kw["prompt_tokens"], kw["completion_tokens"], kw["total_tokens"]) == (12, 5, 17)
    assert kw["a3m"]["tier"] == "cheap" and kw["a3m"]["cost"] == "0.00042" and kw["a3m"]["user"] == "alice"
    assert kw["a3m"]["decision"]["reasons"] == ["base (+0.10)"]
    assert li.raw["usage"]["input_tokens"] == 12  # TokenCountingHandler reads raw["usage"]
    json.dumps(kw)  # plain data


def test_chat_stream_is_cumulative_and_only_the_last_chunk_has_usage() -> None:
    stream = ChatStream(RequestContext(user="u"))
    final = _core_answer("Hello", (ToolCall("c1", "add", '{"a": 1}'),))
    outs = [
        stream.feed(ChatChunk(text="Hel")),
        stream.feed(ChatChunk()),  # nothing to pass on
        stream.feed(ChatChunk(tool_calls=(ToolCallDelta(0, "c1", "add", '{"a":'),))),
        stream.feed(ChatChunk(tool_calls=(ToolCallDelta(0, None, None, " 1}"),))),
        stream.feed(ChatChunk(text="lo", usage=Usage(3, 2), response=final)),
    ]
    assert outs[1] is None
    first, _, partial, joined, last = outs
    assert first is not None and first.delta == "Hel" and first.message.content == "Hel"
    assert "prompt_tokens" not in first.additional_kwargs
    assert partial is not None and tool_selections(partial)[0].tool_name == "add"
    assert joined is not None and tool_selections(joined)[0].tool_kwargs == {"a": 1}
    assert last is not None and last.delta == "lo" and last.message.content == "Hello"
    assert last.additional_kwargs["prompt_tokens"] == 12 and last.additional_kwargs["a3m"]["user"] == "u"
    assert tool_selections(last)[0].tool_id == "c1"


def test_message_role_values() -> None:
    assert from_core_message(Message.user("x")).role == MessageRole.USER
    tool = from_core_message(Message("tool", "4", tool_call_id="c"))
    assert tool.role == MessageRole.TOOL and tool.additional_kwargs["tool_call_id"] == "c"
