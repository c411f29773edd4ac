from __future__ import annotations

from decimal import Decimal

import pytest

from a3m_integrations.errors import InvalidRequest
from a3m_integrations.types import (
    ChatChunk,
    ChatRequest,
    ChatResponse,
    ImagePart,
    Message,
    RequestContext,
    ResponseFormat,
    RoutingDecision,
    TextPart,
    ToolCall,
    ToolSpec,
    Usage,
    tier_index,
)


def test_message_roles_are_validated() -> None:
    with pytest.raises(InvalidRequest) as err:
        Message("robot", "hi")  # type: ignore[arg-type]
    assert err.value.field == "role"
    assert "system, user, assistant, tool" in str(err.value)


def test_tool_message_needs_call_id_and_only_assistant_has_calls() -> None:
    with pytest.raises(InvalidRequest, match="tool_call_id"):
        Message("tool", "42")
    with pytest.raises(InvalidRequest, match="only assistant"):
        Message("user", "x", tool_calls=(ToolCall("1", "f"),))
    msg = Message("tool", "42", tool_call_id="call_1")
    assert msg.tool_call_id == "call_1"


def test_multimodal_text_and_images() -> None:
    msg = Message("user", [TextPart("look"), ImagePart("https://x/y.png", detail="low"), TextPart("here")])
    assert isinstance(msg.content, tuple)
    assert msg.text == "look\nhere"
    assert msg.images[0].detail == "low"
    with pytest.raises(InvalidRequest):
        ImagePart("")
    with pytest.raises(InvalidRequest):
        Message("user", ["not a part"])  # type: ignore[list-item]


def test_request_validation_messages() -> None:
    with pytest.raises(InvalidRequest, match="at least one message"):
        ChatRequest(messages=())
    with pytest.raises(InvalidRequest, match="temperature"):
        ChatRequest.of("hi", temperature=3.0)
    with pytest.raises(InvalidRequest, match="max_tokens"):
        ChatRequest.of("hi", max_tokens=0)
    with pytest.raises(InvalidRequest, match="unique"):
        ChatRequest.of("hi", tools=(ToolSpec("a"), ToolSpec("a")))
    with pytest.raises(InvalidRequest, match="tool_choice"):
        ChatRequest.of("hi", tools=(ToolSpec("a"),), tool_choice="b")
    with pytest.raises(InvalidRequest, match="tool name"):
        ToolSpec("has space")


def test_request_roundtrip_through_dict() -> None:
    req = ChatRequest.of(
        [
            {"role": "system", "content": "be brief"},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "hi"},
                    {"type": "image_url", "image_url": {"url": "data:x", "detail": "high"}},
                ],
            },
            {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "name": "f", "arguments": {"a": 1}}]},
            {"role": "tool", "content": "1", "tool_call_id": "c1"},
        ],
        temperature=0.2,
        max_tokens=50,
        stop=["\n\n"],
        tools=(ToolSpec.from_dict({"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}),),
        response_format=ResponseFormat.from_dict(
            {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}
        ),
    )
    again = ChatRequest.from_dict(req.to_dict())
    assert again == req
    assert req.system_prompt == "be brief"
    assert req.has_images
    assert req.messages[2].tool_calls[0].parsed_arguments() == {"a": 1}


def test_tool_call_bad_json_is_typed() -> None:
    with pytest.raises(InvalidRequest, match="not valid JSON"):
        ToolCall("1", "f", "{not json").parsed_arguments()


def test_response_roundtrip_keeps_decimal_money() -> None:
    decision = RoutingDecision(
        model="openai/gpt-4o",
        provider="openai",
        tier="premium",
        complexity=0.8,
        estimated_cost=Decimal("0.001234"),
        reasons=("legal",),
        fallbacks=("a/b",),
    )
    resp = ChatResponse(
        message=Message.assistant("ok"),
        model="openai/gpt-4o",
        provider="openai",
        usage=Usage(10, 5),
        cost=Decimal("0.000125"),
        decision=decision,
        flags=("pii_redacted",),
    )
    again = ChatResponse.from_dict(resp.to_dict())
    assert again == resp
    assert isinstance(again.cost, Decimal)
    assert again.decision is not None and again.decision.candidates == ("openai/gpt-4o", "a/b")
    assert ChatChunk(text="x", usage=Usage(1, 1)).to_dict()["usage"]["total_tokens"] == 2


def test_usage_adds_and_rejects_negative() -> None:
    total = Usage(1, 2) + Usage(3, 4, estimated=True)
    assert (total.input_tokens, total.output_tokens, total.total_tokens, total.estimated) == (4, 6, 10, True)
    with pytest.raises(InvalidRequest):
        Usage(-1, 0)


def test_decision_validates_tier_and_complexity() -> None:
    with pytest.raises(InvalidRequest, match="tier"):
        RoutingDecision(model="m", provider="p", tier="gold", complexity=0.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidRequest, match="complexity"):
        RoutingDecision(model="m", provider="p", tier="free", complexity=1.5)
    assert tier_index("mid") == 2


def test_context_from_framework_metadata() -> None:
    ctx = RequestContext.from_mapping({"user_id": "u1", "team": "eng", "tags": ["a"], "trace": "t"})
    assert (ctx.user, ctx.team, ctx.tags) == ("u1", "eng", ("a",))
    assert ctx.metadata == {"user_id": "u1", "trace": "t"}
    assert len(ctx.request_id) == 32
    with pytest.raises(InvalidRequest):
        RequestContext(user="  ")


def test_replace_validates_and_evolve_copies_trusted_values() -> None:
    req = ChatRequest.of("hi", temperature=0.5)
    assert req.replace(temperature=1.0).temperature == 1.0
    with pytest.raises(InvalidRequest):
        req.replace(temperature=5.0)
    faster = req._evolve(timeout=12.0)
    assert faster.timeout == 12.0 and faster.messages is req.messages and req.timeout is None
    with pytest.raises(AttributeError, match="immutable"):
        req.timeout = 3.0  # type: ignore[misc]
