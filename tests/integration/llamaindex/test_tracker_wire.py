"""A3MCostTracker with A3MLLM and with another LlamaIndex LLM (OpenAILike) on the wire server."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from llama_index.core.llms import ChatMessage
from llama_index.llms.openai_like import OpenAILike
from llama_index_instrumentation.dispatcher import instrument_tags

from a3m_integrations.catalog import Catalog
from llamaindex_a3m import A3MLLM, A3MCostTracker
from tests.integration.conftest import WIRE_KEY
from tests.integration.llamaindex.conftest import HARD
from tests.servers.wire import WireServer


def _user(text: str) -> list[ChatMessage]:
    return [ChatMessage(role="user", content=text)]


def _openai_like(wire: WireServer, **kwargs: object) -> OpenAILike:
    return OpenAILike(
        model="wire-openai-m2", api_base=wire.openai_base, api_key=WIRE_KEY, is_chat_model=True, max_retries=0, **kwargs
    )


def test_a3m_calls_total_the_gateways_exact_costs(llm: A3MLLM, tracker: A3MCostTracker) -> None:
    answers = [llm.chat(_user("hello")), llm.chat(_user(HARD), user="bob")]
    streamed = list(llm.stream_chat(_user("stream this please"), team="ops"))
    answers.append(streamed[-1])
    summary = tracker.summary()
    assert summary["calls"] == 3 and summary["streamed_calls"] == 1 and summary["counted_calls"] == 0
    assert summary["cost"] == sum(Decimal(a.additional_kwargs["a3m"]["cost"]) for a in answers) > 0
    assert set(summary["by_model"]) == {"wire-openai/m1", "wire-anthropic/m2"}
    assert set(summary["by_tier"]) == {"cheap", "mid"}
    assert summary["by_user"]["alice"]["calls"] == 2 and summary["by_user"]["bob"]["calls"] == 1
    assert tracker.calls()[-1].team == "ops"


def test_another_llm_is_priced_by_model_name(wire: WireServer, wire_catalog: Catalog, tracker: A3MCostTracker) -> None:
    llm = _openai_like(wire)
    with instrument_tags({"user": "carol"}):
        llm.chat(_user("plain call"))
    call = tracker.calls()[-1]
    sent = wire.requests[-1]
    assert sent.model == "wire-openai-m2"
    assert (call.model, call.tier, call.source, call.user) == ("wire-openai/m2", "mid", "reported", "carol")
    assert call.cost == wire_catalog.model("wire-openai/m2").cost(call.input_tokens, call.output_tokens)


def test_a_stream_without_usage_is_still_counted(wire: WireServer, tracker: A3MCostTracker) -> None:
    """llama_index #19740: after a stream, token counts were 0. Here they are counted offline."""
    chunks = list(_openai_like(wire).stream_chat(_user("a streamed answer with no usage reported")))
    assert "stream_options" not in wire.requests[-1].body  # OpenAILike does not ask for usage
    (call,) = tracker.calls()
    assert call.streamed and call.source == "counted" and call.output_tokens > 0 and call.input_tokens > 0
    assert chunks[-1].message.content.startswith("Echo:")
    assert call.cost is not None and call.cost > 0


def test_a_stream_that_reports_usage_uses_it(wire: WireServer, tracker: A3MCostTracker) -> None:
    llm = _openai_like(wire, additional_kwargs={"stream_options": {"include_usage": True}})
    list(llm.stream_chat(_user("a streamed answer with usage")))
    (call,) = tracker.calls()
    assert call.streamed and call.source == "reported" and call.output_tokens > 0


async def test_concurrent_async_calls_are_all_counted(llm: A3MLLM, tracker: A3MCostTracker) -> None:
    answers = await asyncio.gather(*(llm.achat(_user(f"question {i}"), user=f"u{i % 3}") for i in range(12)))
    summary = tracker.summary()
    assert summary["calls"] == 12 and summary["pending"] == 0
    assert summary["input_tokens"] == sum(a.additional_kwargs["prompt_tokens"] for a in answers)
    assert {k: v["calls"] for k, v in summary["by_user"].items()} == {"u0": 4, "u1": 4, "u2": 4}
