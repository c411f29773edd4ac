"""Tool calling, structured output and agents with a real tool loop, against the wire server's scripted model.

The scripted model calls the offered tool with arguments taken from the user's words, and answers
a tool result with "The tool results: <tool> returned <value>." (tests/servers/_scripted.py).
"""

from __future__ import annotations

import pytest
from llama_index.core.agent.workflow import FunctionAgent, ReActAgent
from llama_index.core.base.llms.types import ChatMessage, ChatResponse, TextBlock, ToolCallBlock
from llama_index.core.prompts import PromptTemplate
from llama_index.core.tools import FunctionTool
from llama_index.core.types import PydanticProgramMode
from pydantic import BaseModel

from a3m_integrations.errors import A3MError
from llamaindex_a3m import A3MLLM, ToolCallMissing
from tests.servers.wire import WireServer

RAN: list[tuple[int, int]] = []


def multiply(a: int, b: int) -> int:
    """Multiply two integers."""
    RAN.append((a, b))
    return a * b


@pytest.fixture
def tool() -> FunctionTool:
    RAN.clear()
    return FunctionTool.from_defaults(multiply)


def test_chat_with_tools_and_the_tool_calls(llm: A3MLLM, tool: FunctionTool, wire: WireServer) -> None:
    response = llm.chat_with_tools([tool], user_msg="What is 6 times 7?", tool_required=True)
    (selection,) = llm.get_tool_calls_from_response(response)
    assert (selection.tool_name, selection.tool_kwargs) == ("multiply", {"a": 6, "b": 7})
    body = wire.requests[-1].body
    assert body["tools"][0]["function"]["name"] == "multiply" and body["tool_choice"] == "required"


def test_predict_and_call_round_trips(llm: A3MLLM, tool: FunctionTool) -> None:
    output = llm.predict_and_call([tool], user_msg="What is 3 times 5?")
    assert output.response == "15" and RAN == [(3, 5)]


async def test_async_predict_and_call_round_trips(llm: A3MLLM, tool: FunctionTool) -> None:
    output = await llm.apredict_and_call([tool], user_msg="What is 4 times 9?")
    assert output.response == "36" and RAN == [(4, 9)]


def test_a_hand_written_tool_loop(llm: A3MLLM, tool: FunctionTool) -> None:
    history = [ChatMessage(role="user", content="What is 2 times 21?")]
    first = llm.chat_with_tools([tool], chat_history=history)
    (call,) = llm.get_tool_calls_from_response(first)
    result = tool(**call.tool_kwargs)
    history += [
        first.message,
        ChatMessage(role="tool", content=str(result), additional_kwargs={"tool_call_id": call.tool_id}),
    ]
    final = llm.chat_with_tools([tool], chat_history=history)
    assert final.message.content == "The tool results: multiply returned 42."
    assert llm.get_tool_calls_from_response(final, error_on_no_tool_call=False) == []
    assert len(history) == 3  # chat_with_tools copies the history, never appends to it


def test_no_tool_call_where_one_was_required_is_a_value_error(llm: A3MLLM) -> None:
    response = llm.chat([ChatMessage(role="user", content="just talk")])
    with pytest.raises(ToolCallMissing) as info:
        llm.get_tool_calls_from_response(response)
    assert isinstance(info.value, ValueError) and isinstance(info.value, A3MError)


def test_only_the_first_tool_call_is_kept_unless_parallel_calls_are_allowed(llm: A3MLLM) -> None:
    def response() -> ChatResponse:
        blocks = [TextBlock(text=""), ToolCallBlock(tool_call_id="1", tool_name="a"), ToolCallBlock(tool_name="b")]
        return ChatResponse(message=ChatMessage(role="assistant", blocks=blocks))

    single = llm._validate_chat_with_tools_response(response(), [])
    assert [s.tool_name for s in llm.get_tool_calls_from_response(single)] == ["a"]
    both = llm._validate_chat_with_tools_response(response(), [], allow_parallel_tool_calls=True)
    assert [s.tool_name for s in llm.get_tool_calls_from_response(both)] == ["a", "b"]


class Invoice(BaseModel):
    customer: str
    total: float


PROMPT = PromptTemplate("Extract the invoice: {text}")


def test_structured_predict_uses_json_schema_output(llm: A3MLLM, wire: WireServer) -> None:
    invoice = llm.structured_predict(Invoice, PROMPT, text="bill for Acme totalling 42.5 dollars")
    assert invoice == Invoice(customer="Acme", total=42.5)
    body = wire.requests[-1].body
    assert body["response_format"]["type"] == "json_schema" and "tools" not in body


async def test_astructured_predict(llm: A3MLLM) -> None:
    invoice = await llm.astructured_predict(Invoice, PROMPT, text="bill for Globex totalling 12 dollars")
    assert invoice == Invoice(customer="Globex", total=12)


def test_structured_predict_by_function_calling(llm: A3MLLM, wire: WireServer) -> None:
    llm.pydantic_program_mode = PydanticProgramMode.FUNCTION
    invoice = llm.structured_predict(Invoice, PROMPT, text="bill for Initech totalling 7.25 dollars")
    assert invoice == Invoice(customer="Initech", total=7.25)
    body = wire.requests[-1].body
    assert body["tools"][0]["function"]["name"] == "Invoice" and "response_format" not in body


@pytest.mark.parametrize("streaming", [True, False])
async def test_function_agent_runs_the_tool(llm: A3MLLM, tool: FunctionTool, streaming: bool) -> None:
    agent = FunctionAgent(tools=[tool], llm=llm, streaming=streaming)
    result = await agent.run("What is 6 times 7?")
    assert str(result) == "The tool results: multiply returned 42." and RAN == [(6, 7)]
    assert [c.tool_name for c in result.tool_calls] == ["multiply"]


async def test_react_agent_runs_the_tool(llm: A3MLLM, tool: FunctionTool, wire: WireServer) -> None:
    # the scripted model echoes the user's text, so the user's text is the ReAct step it "thinks"
    agent = ReActAgent(tools=[tool], llm=llm)
    step = 'Thought: I need a tool.\nAction: multiply\nAction Input: {"a": 6, "b": 7}'
    result = await agent.run(step)
    assert RAN == [(6, 7)]
    assert "Observation: 42" in str(result)
    assert wire.requests[-1].body["messages"][-1]["content"] == "Observation: 42"
