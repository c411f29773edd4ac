"""A3MLLM against the loopback wire server: every entry point, streaming, context, events, errors."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from llama_index.core.bridge.pydantic import Field
from llama_index.core.callbacks import CallbackManager, TokenCountingHandler
from llama_index.core.instrumentation import get_dispatcher
from llama_index.core.instrumentation.event_handlers import BaseEventHandler
from llama_index.core.instrumentation.events import BaseEvent
from llama_index.core.llms import ChatMessage

from a3m_integrations.catalog import Catalog
from a3m_integrations.errors import A3MError, AllModelsFailed
from llamaindex_a3m import A3MLLM, A3MCostTracker, a3m_tokenizer
from tests.integration.llamaindex.conftest import HARD
from tests.servers.wire import WireServer


def _user(text: str) -> list[ChatMessage]:
    return [ChatMessage(role="user", content=text)]


def test_chat_routes_and_reports_decision_usage_and_cost(llm: A3MLLM, wire: WireServer, wire_catalog: Catalog) -> None:
    response = llm.chat(_user("hello there"))
    assert response.message.content == "Echo: hello there"
    a3m = response.additional_kwargs["a3m"]
    assert (a3m["model"], a3m["tier"], a3m["user"], a3m["team"]) == ("wire-openai/m1", "cheap", "alice", "research")
    usage = a3m["usage"]
    assert not usage["estimated"] and usage["input_tokens"] > 0
    expected = wire_catalog.model("wire-openai/m1").cost(usage["input_tokens"], usage["output_tokens"])
    assert Decimal(a3m["cost"]) == expected
    assert a3m["decision"]["reasons"] and a3m["decision"]["fallbacks"] == ["wire-anthropic/m2"]
    assert response.raw["usage"]["input_tokens"] == usage["input_tokens"]
    (sent,) = wire.requests
    assert sent.path == "/v1/chat/completions" and sent.model == "wire-openai-m1"


def test_hard_prompts_go_to_the_other_wire_format(llm: A3MLLM, wire: WireServer) -> None:
    response = llm.chat(_user(HARD))
    assert response.additional_kwargs["a3m"]["model"] == "wire-anthropic/m2"
    assert response.message.content == f"Echo: {HARD}"
    assert wire.requests[-1].path == "/v1/messages"


def test_per_call_context_model_and_provider_params(llm: A3MLLM, wire: WireServer) -> None:
    response = llm.chat(
        _user("hi"), user="bob", route="support", model="wire-anthropic/m2", max_tokens=50, presence_penalty=0.5
    )
    a3m = response.additional_kwargs["a3m"]
    assert (a3m["user"], a3m["team"], a3m["route"], a3m["model"]) == ("bob", "research", "support", "wire-anthropic/m2")
    body = wire.requests[-1].body
    assert body["max_tokens"] == 50 and body["presence_penalty"] == 0.5 and "user" not in body


def test_completion_is_derived_from_chat(llm: A3MLLM) -> None:
    response = llm.complete("complete me")
    assert response.text == "Echo: complete me"
    assert response.additional_kwargs["a3m"]["model"] == "wire-openai/m1"
    pieces = list(llm.stream_complete("stream me now"))
    assert "".join(p.delta or "" for p in pieces) == pieces[-1].text == "Echo: stream me now"
    assert pieces[-1].additional_kwargs["completion_tokens"] > 0


def test_stream_chat_is_cumulative_and_the_last_chunk_has_usage(llm: A3MLLM, wire: WireServer) -> None:
    chunks = list(llm.stream_chat(_user("one two three four")))
    assert "".join(c.delta or "" for c in chunks) == chunks[-1].message.content == "Echo: one two three four"
    assert all("prompt_tokens" not in c.additional_kwargs for c in chunks[:-1])
    last = chunks[-1].additional_kwargs
    assert last["prompt_tokens"] > 0 and not last["a3m"]["usage"]["estimated"]
    assert wire.requests[-1].stream


async def test_async_twins(llm: A3MLLM) -> None:
    assert (await llm.achat(_user("async hi"))).message.content == "Echo: async hi"
    assert (await llm.acomplete("async complete")).text == "Echo: async complete"
    chunks = [c async for c in await llm.astream_chat(_user("async stream"))]
    assert "".join(c.delta or "" for c in chunks) == "Echo: async stream"
    assert chunks[-1].additional_kwargs["a3m"]["usage"]["output_tokens"] > 0
    pieces = [p async for p in await llm.astream_complete("async stream complete")]
    assert pieces[-1].text == "Echo: async stream complete"


def test_closing_a_stream_early_closes_the_connection(llm: A3MLLM, wire: WireServer, tracker: A3MCostTracker) -> None:
    stream = llm.stream_chat(_user("a b c d e f g h i j k l m n o p"))
    next(stream), next(stream)
    stream.close()
    assert wire.wait_streams_closed(timeout=5)
    (call,) = tracker.calls()
    assert not call.complete and call.model == "wire-openai/m1" and call.output_tokens > 0 and call.user == "alice"


class _Recorder(BaseEventHandler):
    events: list[BaseEvent] = Field(default_factory=list)

    def handle(self, event: BaseEvent, **kwargs: Any) -> None:
        self.events.append(event)


def test_llamaindex_events_and_callbacks_fire_for_streams(llm: A3MLLM) -> None:
    recorder = _Recorder()
    root = get_dispatcher()
    root.add_event_handler(recorder)
    counter = TokenCountingHandler(tokenizer=a3m_tokenizer())
    llm.callback_manager = CallbackManager([counter])
    try:
        chunks = list(llm.stream_chat(_user("count these streamed tokens")))
    finally:
        root.event_handlers.remove(recorder)
    names = [type(e).__name__ for e in recorder.events if type(e).__name__.startswith("LLMChat")]
    assert names[0] == "LLMChatStartEvent" and names[-1] == "LLMChatEndEvent"
    assert names.count("LLMChatInProgressEvent") == len(chunks)
    usage = chunks[-1].additional_kwargs["a3m"]["usage"]
    # llama_index #19740: token counts after a stream must be the real ones, not 0
    assert counter.prompt_llm_token_count == usage["input_tokens"] > 0
    assert counter.completion_llm_token_count == usage["output_tokens"] > 0


def test_failures_surface_as_a3m_errors(llm: A3MLLM, wire: WireServer) -> None:
    for model in ("wire-openai-m1", "wire-anthropic-m2"):
        wire.faults.always(model, "500")
    with pytest.raises(AllModelsFailed) as info:
        llm.chat(_user("hello"))
    assert isinstance(info.value, A3MError) and len(info.value.errors) >= 2
    with pytest.raises(AllModelsFailed):
        list(llm.stream_chat(_user("hello")))
