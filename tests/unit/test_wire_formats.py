from __future__ import annotations

import json
from decimal import Decimal

import pytest

from a3m_integrations.catalog import ModelInfo
from a3m_integrations.providers import _anthropic_wire as anth
from a3m_integrations.providers import _openai_wire as oai
from a3m_integrations.providers._errors import EmbeddedError, WireFormatError
from a3m_integrations.providers._sse import SSEDecoder, SSEEvent
from a3m_integrations.types import (
    ChatRequest,
    ImagePart,
    Message,
    ResponseFormat,
    TextPart,
    ToolCall,
    ToolSpec,
)

MODEL = ModelInfo(
    id="acme/chat-1",
    provider="acme",
    name="chat-1",
    tier="cheap",
    input_per_1m=Decimal(1),
    output_per_1m=Decimal(2),
    context_window=32000,
    max_output=2000,
    capabilities=frozenset({"tools", "json", "json_schema", "streaming"}),
    price_date="2025-01-01",
    price_source="test",
)
WEATHER = ToolSpec("get_weather", "Weather for a city", {"type": "object", "properties": {"city": {"type": "string"}}})


def _events(text: str) -> list[SSEEvent]:
    dec = SSEDecoder()
    out = [e for line in text.split("\n") if (e := dec.feed(line)) is not None]
    last = dec.flush()
    return [*out, last] if last else out


def test_sse_decoder_handles_names_multiline_data_and_comments() -> None:
    events = _events(': keep-alive\nevent: delta\ndata: {"a":\ndata: 1}\n\ndata: x\n\ndata: tail')
    assert events == [SSEEvent("delta", '{"a":\n1}'), SSEEvent("message", "x"), SSEEvent("message", "tail")]
    assert _events("retry: 10\nid: 3\n\n") == []


def test_openai_body_has_tools_json_schema_images_and_stream_usage() -> None:
    request = ChatRequest(
        messages=(
            Message.system("Be brief."),
            Message("user", (TextPart("What is this?"), ImagePart("https://x.test/a.png", detail="low"))),
            Message.assistant(tool_calls=[ToolCall("call_1", "get_weather", '{"city": "Oslo"}')]),
            Message("tool", "12C", tool_call_id="call_1"),
        ),
        tools=(WEATHER,),
        tool_choice="get_weather",
        response_format=ResponseFormat("json_schema", {"type": "object"}, name="out", strict=True),
        max_tokens=50,
        temperature=0.0,
        stop=("END",),
        extra={"user": "u1"},
    )
    body = oai.build_body(request, "chat-1", stream=True)
    assert body["model"] == "chat-1"
    assert body["messages"][1]["content"][1] == {
        "type": "image_url",
        "image_url": {"url": "https://x.test/a.png", "detail": "low"},
    }
    assert body["messages"][2] == {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Oslo"}'}}
        ],
    }
    assert body["messages"][3] == {"role": "tool", "content": "12C", "tool_call_id": "call_1"}
    assert body["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "out", "schema": {"type": "object"}, "strict": True},
    }
    assert body["stream_options"] == {"include_usage": True}
    assert body["temperature"] == 0.0
    assert body["stop"] == ["END"]
    assert body["user"] == "u1"
    assert "stream_options" not in oai.build_body(request, "chat-1", stream=True, stream_usage=False)
    assert "stream" not in oai.build_body(ChatRequest.of("hi"), "m", stream=False)


def test_openai_parse_completion_usage_and_estimate() -> None:
    request = ChatRequest.of("Say hello to the world")
    data = {
        "id": "c1",
        "model": "chat-1-2025",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello, world"}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 11, "completion_tokens": 3, "prompt_tokens_details": {"cached_tokens": 4}},
    }
    r = oai.parse_completion(data, request, MODEL, "acme")
    assert (r.text, r.model, r.provider, r.finish_reason, r.id) == ("Hello, world", "acme/chat-1", "acme", "stop", "c1")
    assert (r.usage.input_tokens, r.usage.output_tokens, r.usage.cached_input_tokens, r.usage.estimated) == (
        11,
        3,
        4,
        False,
    )
    assert r.metadata["provider_model"] == "chat-1-2025"
    del data["usage"]
    estimated = oai.parse_completion(data, request, MODEL, "acme").usage
    assert estimated.estimated
    assert estimated.input_tokens > 0
    assert estimated.output_tokens > 0


@pytest.mark.parametrize(
    "bad",
    [
        [],
        {"choices": []},
        {"choices": [{"message": None}]},
        {"choices": [{"message": {"tool_calls": [{"function": {}}]}}]},
    ],
)
def test_openai_malformed_answers_raise_wire_errors(bad: object) -> None:
    with pytest.raises(WireFormatError):
        oai.parse_completion(bad, ChatRequest.of("x"), MODEL, "acme")


def test_openai_error_inside_200_is_detected() -> None:
    with pytest.raises(EmbeddedError) as info:
        oai.parse_completion(
            {"base_resp": {"status_code": 1002, "status_msg": "rate limit"}}, ChatRequest.of("x"), MODEL, "acme"
        )
    assert info.value.info.codes == ("1002",)


def test_openai_stream_decoder_assembles_text_tool_calls_and_usage() -> None:
    request = ChatRequest.of("weather?", tools=(WEATHER,))
    dec = oai.OpenAIStreamDecoder(request, MODEL, "acme")
    frames = [
        {"id": "s1", "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]},
        {"choices": [{"index": 0, "delta": {"content": "Let me check. "}}]},
        {
            "choices": [
                {
                    "index": 0,
                    "delta": {
                        "tool_calls": [
                            {"index": 0, "id": "c9", "function": {"name": "get_weather", "arguments": '{"ci'}}
                        ]
                    },
                }
            ]
        },
        {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": 'ty": "Rome"}'}}]}}]},
        {"choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]},
        {"choices": [], "usage": {"prompt_tokens": 20, "completion_tokens": 9}},
    ]
    chunks = [c for f in frames for c in dec.feed_event(SSEEvent("message", json.dumps(f)))]
    assert [c.text for c in chunks] == ["Let me check. ", "", "", ""]
    assert chunks[1].tool_calls[0].name == "get_weather"
    assert all(c.model == "acme/chat-1" for c in chunks)
    assert dec.complete
    assert not dec.done
    assert dec.feed_event(SSEEvent("message", "[DONE]")) == []
    last = dec.finish()
    assert last.response is not None
    assert last.response.message.tool_calls == (ToolCall("c9", "get_weather", '{"city": "Rome"}'),)
    assert last.usage is not None
    assert (last.usage.input_tokens, last.usage.output_tokens, last.usage.estimated) == (20, 9, False)
    assert last.response.finish_reason == "tool_calls"


def test_openai_stream_without_usage_is_estimated_and_error_events_raise() -> None:
    dec = oai.OpenAIStreamDecoder(ChatRequest.of("hi there"), MODEL, "acme")
    dec.feed({"choices": [{"index": 0, "delta": {"content": "Hello"}, "finish_reason": "stop"}]})
    last = dec.finish()
    assert last.usage is not None
    assert last.usage.estimated
    with pytest.raises(EmbeddedError):
        dec.feed({"error": {"message": "The model is not multimodal.", "code": 400}})
    with pytest.raises(WireFormatError):
        dec.feed_event(SSEEvent("message", "{not json"))


def test_anthropic_body_system_tools_and_merged_tool_results() -> None:
    request = ChatRequest(
        messages=(
            Message.system("You are terse."),
            Message.user("Weather in Oslo and Rome?"),
            Message.assistant(
                "Checking.",
                [ToolCall("t1", "get_weather", '{"city":"Oslo"}'), ToolCall("t2", "get_weather", '{"city":"Rome"}')],
            ),
            Message("tool", "5C", tool_call_id="t1"),
            Message("tool", "20C", tool_call_id="t2"),
            Message("user", (TextPart("And this?"), ImagePart("data:image/png;base64,AAAA"))),
        ),
        tools=(WEATHER,),
        tool_choice="required",
        stop=("###",),
    )
    body = anth.build_body(request, MODEL, stream=False)
    assert body["system"] == "You are terse."
    assert body["max_tokens"] == 2000  # min(4096, model.max_output)
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user"]
    assistant = body["messages"][1]["content"]
    assert assistant[0] == {"type": "text", "text": "Checking."}
    assert assistant[1] == {"type": "tool_use", "id": "t1", "name": "get_weather", "input": {"city": "Oslo"}}
    results = body["messages"][2]["content"]
    assert [b["type"] for b in results] == ["tool_result", "tool_result", "text", "image"]
    assert results[3]["source"] == {"type": "base64", "media_type": "image/png", "data": "AAAA"}
    assert body["tools"][0]["input_schema"] == dict(WEATHER.parameters)
    assert body["tool_choice"] == {"type": "any"}
    assert body["stop_sequences"] == ["###"]


def test_anthropic_structured_output_uses_a_forced_tool() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}}
    request = ChatRequest.of("Count", response_format=ResponseFormat("json_schema", schema))
    body = anth.build_body(request, MODEL, stream=False)
    assert body["tool_choice"] == {"type": "tool", "name": anth.JSON_TOOL}
    answer = {
        "id": "m1",
        "content": [{"type": "tool_use", "id": "x", "name": anth.JSON_TOOL, "input": {"n": 3}}],
        "stop_reason": "tool_use",
        "usage": {"input_tokens": 10, "output_tokens": 5, "cache_read_input_tokens": 90},
    }
    r = anth.parse_message(answer, request, MODEL, "anthropic")
    assert json.loads(r.text) == {"n": 3}
    assert r.message.tool_calls == ()
    assert r.finish_reason == "stop"
    assert (r.usage.input_tokens, r.usage.cached_input_tokens, r.usage.output_tokens) == (100, 90, 5)
    json_object = anth.build_body(
        ChatRequest.of("x", response_format=ResponseFormat("json_object")), MODEL, stream=False
    )
    assert "JSON object" in json_object["system"]


def test_anthropic_stream_decoder() -> None:
    request = ChatRequest.of("weather?", tools=(WEATHER,))
    dec = anth.AnthropicStreamDecoder(request, MODEL, "anthropic")
    frames = [
        {"type": "message_start", "message": {"id": "msg_1", "usage": {"input_tokens": 30, "output_tokens": 1}}},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        {"type": "ping"},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Sure. "}},
        {"type": "content_block_stop", "index": 0},
        {
            "type": "content_block_start",
            "index": 1,
            "content_block": {"type": "tool_use", "id": "tu1", "name": "get_weather", "input": {}},
        },
        {"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": '{"city"'}},
        {
            "type": "content_block_delta",
            "index": 1,
            "delta": {"type": "input_json_delta", "partial_json": ': "Paris"}'},
        },
        {"type": "content_block_stop", "index": 1},
        {"type": "message_delta", "delta": {"stop_reason": "tool_use"}, "usage": {"output_tokens": 17}},
        {"type": "message_stop"},
    ]
    chunks = [c for f in frames for c in dec.feed_event(SSEEvent(f["type"], json.dumps(f)))]
    assert "".join(c.text for c in chunks) == "Sure. "
    assert [d.index for c in chunks for d in c.tool_calls] == [0, 0, 0]
    assert dec.done
    last = dec.finish()
    assert last.response is not None
    assert last.response.message.tool_calls == (ToolCall("tu1", "get_weather", '{"city": "Paris"}'),)
    assert last.usage is not None
    assert (last.usage.input_tokens, last.usage.output_tokens) == (30, 17)
    assert last.response.finish_reason == "tool_calls"
    assert last.response.id == "msg_1"


def test_anthropic_error_event_raises() -> None:
    dec = anth.AnthropicStreamDecoder(ChatRequest.of("x"), MODEL, "anthropic")
    event = SSEEvent(
        "error", json.dumps({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
    )
    with pytest.raises(EmbeddedError) as info:
        dec.feed_event(event)
    assert "overloaded_error" in info.value.info.codes
