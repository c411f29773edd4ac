"""A3MChatModel against the loopback wire server: metadata, usage, streaming, tenants, tools, errors, cache."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest
from langchain_core.caches import InMemoryCache
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.exceptions import ModelInvalidRequestError, ModelRateLimitError, OutputParserException
from langchain_core.globals import set_llm_cache
from langchain_core.messages import AIMessageChunk, HumanMessage, SystemMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from a3m_integrations.errors import AllModelsFailed, InvalidRequest, RateLimited
from a3m_integrations.events import Event
from a3m_integrations.gateway import A3MGateway
from langchain_a3m import A3MChatModel
from langchain_a3m._errors import A3MAllModelsRateLimited, A3MInputError
from tests.integration.langchain.wire_setup import CHEAP, PREMIUM
from tests.servers.wire import WireServer

HARD = (
    "Design a fault-tolerant distributed payment ledger: analyze consistency trade-offs, prove the "
    "idempotency of retries, compare two-phase commit with sagas, and give a migration plan step by step."
)


def _wire_usage(wire: WireServer) -> list[dict[str, Any]]:
    return [r.body for r in wire.requests]


def test_invoke_routes_and_reports_decision_cost_and_usage(llm: A3MChatModel, lc_wire: WireServer) -> None:
    msg = llm.invoke("What is the capital of France?")
    meta = msg.response_metadata
    assert msg.content == "Echo: What is the capital of France?"
    assert meta["model_name"] == CHEAP and meta["tier"] == "cheap" and meta["provider"] == "wire"
    assert meta["reasons"] and 0.0 <= meta["complexity"] < 0.45
    assert meta["cache_hit"] is False and meta["fell_back"] is False and meta["fallbacks"] == [PREMIUM]
    usage = msg.usage_metadata
    assert usage is not None and usage["input_tokens"] > 0 and usage["output_tokens"] > 0
    # the cost is the catalog price of the usage the server reported, as a string
    tokens_in, tokens_out = Decimal(usage["input_tokens"]), Decimal(usage["output_tokens"])
    expected = (tokens_in * Decimal("0.15") + tokens_out * Decimal("0.60")) / 10**6
    assert Decimal(meta["cost"]) == expected
    assert [r.model for r in lc_wire.requests] == ["wire-cheap"]


def test_hard_prompt_goes_premium_and_pinned_model_wins(llm: A3MChatModel, lc_wire: WireServer) -> None:
    assert llm.invoke(HARD).response_metadata["model_name"] == PREMIUM
    pinned = A3MChatModel(gateway=llm.gateway, model=CHEAP)
    assert pinned.invoke(HARD).response_metadata["model_name"] == CHEAP
    # a per-call model= overrides the instance's, and shows in the LangSmith params
    assert pinned.invoke("hi", model=PREMIUM).response_metadata["model_name"] == PREMIUM
    assert pinned._get_ls_params(model=PREMIUM)["ls_model_name"] == PREMIUM
    assert [r.model for r in lc_wire.requests] == ["wire-premium", "wire-cheap", "wire-premium"]


def test_settings_reach_the_wire(gateway: A3MGateway, lc_wire: WireServer) -> None:
    llm = A3MChatModel(gateway=gateway, temperature=0.3, max_tokens=64, top_p=0.9, seed=7, stop=["END"])
    llm.invoke([SystemMessage("be brief"), HumanMessage("hello", name="ann")], stop=["STOP"], temperature=0.1)
    body = lc_wire.requests[-1].body
    assert body["temperature"] == 0.1 and body["max_tokens"] == 64 and body["top_p"] == 0.9 and body["seed"] == 7
    assert body["stop"] == ["STOP"]  # the call's stop replaces the instance's
    assert body["messages"] == [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "hello", "name": "ann"},
    ]


def test_prompt_model_parser_chain(llm: A3MChatModel) -> None:
    prompt = ChatPromptTemplate.from_messages([("system", "Answer briefly."), ("human", "{q}")])
    chain = prompt | llm | StrOutputParser()
    assert chain.invoke({"q": "What is 2 + 2?"}) == "Echo: What is 2 + 2?"
    assert chain.batch([{"q": "a"}, {"q": "b"}]) == ["Echo: a", "Echo: b"]


class _Tokens(BaseCallbackHandler):
    def __init__(self) -> None:
        self.tokens: list[str] = []
        self.ends = 0

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        self.tokens.append(token)

    def on_llm_end(self, response: Any, **kwargs: Any) -> None:
        self.ends += 1


def test_stream_usage_on_the_last_chunk_only(llm: A3MChatModel) -> None:
    handler = _Tokens()
    chunks = list(llm.stream("Say hello to Bob", config={"callbacks": [handler]}))
    with_usage = [i for i, c in enumerate(chunks) if c.usage_metadata]
    assert with_usage == [len(chunks) - 1]
    assert chunks[-1].chunk_position == "last"
    full = chunks[0]
    for c in chunks[1:]:
        full = full + c
    assert isinstance(full, AIMessageChunk)
    assert full.content == "Echo: Say hello to Bob"
    plain = llm.invoke("Say hello to Bob")
    assert full.usage_metadata == plain.usage_metadata  # same counts as the non-streamed call, not doubled
    assert full.response_metadata["model_name"] == CHEAP
    assert full.response_metadata["cost"] == plain.response_metadata["cost"]
    assert "".join(handler.tokens) == "Echo: Say hello to Bob" and handler.ends == 1


def test_invoke_with_streaming_true_streams_internally(gateway: A3MGateway, lc_wire: WireServer) -> None:
    handler = _Tokens()
    msg = A3MChatModel(gateway=gateway, streaming=True).invoke("one two three", config={"callbacks": [handler]})
    assert lc_wire.requests[-1].stream is True
    assert len(handler.tokens) >= 4 and msg.content == "Echo: one two three"
    assert msg.usage_metadata is not None and msg.usage_metadata["output_tokens"] > 0


def test_async_paths(llm: A3MChatModel) -> None:
    async def run() -> tuple[Any, Any, list[Any]]:
        one = await llm.ainvoke("hi there")
        chunks = [c async for c in llm.astream("hi there")]
        many = await llm.abatch(["a", "b", "c"])
        return one, chunks, many

    one, chunks, many = asyncio.run(run())
    assert one.content == "Echo: hi there"
    assert [bool(c.usage_metadata) for c in chunks].count(True) == 1 and chunks[-1].usage_metadata
    assert [m.content for m in many] == ["Echo: a", "Echo: b", "Echo: c"]


def test_one_model_object_serves_many_tenants(llm: A3MChatModel, events: list[Event]) -> None:
    llm.invoke("hi", config={"metadata": {"user": "alice", "team": "research"}})
    llm.invoke("hi", config={"configurable": {"user_id": "bob", "route": "support"}, "tags": ["vip"]})
    list(llm.stream("hi", config={"metadata": {"user": "carol", "tags": ["beta"]}}))
    chain = ChatPromptTemplate.from_messages([("human", "{q}")]) | llm
    chain.invoke({"q": "hi"}, config={"metadata": {"user": "dave"}})
    seen = [(e.data["user"], e.data["team"], e.data["route"]) for e in events if e.kind == "request"]
    assert seen == [("alice", "research", None), ("bob", None, "support"), ("carol", None, None), ("dave", None, None)]
    # the run id is the request id, so gateway events line up with LangChain traces
    handler = _Runs()
    msg = llm.invoke("hi", config={"callbacks": [handler]})
    assert msg.response_metadata["request_id"] == handler.run_ids[0].hex


class _Runs(BaseCallbackHandler):
    def __init__(self) -> None:
        self.run_ids: list[Any] = []

    def on_chat_model_start(self, serialized: Any, messages: Any, *, run_id: Any, **kwargs: Any) -> None:
        self.run_ids.append(run_id)


def test_default_context_and_budget_like_attribution(gateway: A3MGateway, events: list[Event]) -> None:
    llm = A3MChatModel(gateway=gateway, default_context={"team": "core", "user": "svc"})
    llm.invoke("hi")
    llm.invoke("hi", config={"metadata": {"user": "erin"}})
    seen = [(e.data["user"], e.data["team"]) for e in events if e.kind == "request"]
    assert seen == [("svc", "core"), ("erin", "core")]


def test_errors_are_langchain_and_core_errors(llm: A3MChatModel, lc_wire: WireServer) -> None:
    lc_wire.faults.always("*", "429")
    with pytest.raises(ModelRateLimitError) as caught:
        llm.invoke("hi", max_retries=0)
    error = caught.value
    assert isinstance(error, A3MAllModelsRateLimited) and isinstance(error, AllModelsFailed)
    assert all(isinstance(e, RateLimited) for e in error.errors) and len(error.errors) == 2  # cheap, then premium
    assert isinstance(error.__cause__, AllModelsFailed)
    lc_wire.faults.always("*", None)
    sent = len(lc_wire.requests)
    with pytest.raises(ModelInvalidRequestError) as bad:
        llm.invoke([HumanMessage(content=[{"type": "audio", "data": "..."}])])
    assert isinstance(bad.value, A3MInputError) and isinstance(bad.value, InvalidRequest)
    assert "audio" in str(bad.value)
    assert len(lc_wire.requests) == sent  # nothing was sent for a malformed request


def test_bind_tools_round_trip_and_tool_choice(llm: A3MChatModel, lc_wire: WireServer) -> None:
    def get_weather(city: str, days: int) -> str:
        """Weather for a city."""
        return "sunny"

    def get_time(zone: str) -> str:
        """Time in a zone."""
        return "noon"

    bound = llm.bind_tools([get_weather, get_time], tool_choice="get_time")
    msg = bound.invoke("What is the weather in Paris for 3 days?")
    assert [c["name"] for c in msg.tool_calls] == ["get_time"]
    body = lc_wire.requests[-1].body
    assert body["tool_choice"] == {"type": "function", "function": {"name": "get_time"}}
    assert [t["function"]["name"] for t in body["tools"]] == ["get_weather", "get_time"]
    auto = llm.bind_tools([get_weather]).invoke("What is the weather in Paris for 3 days?")
    assert auto.tool_calls[0]["args"] == {"city": "Paris", "days": 3}
    streamed = None
    for chunk in llm.bind_tools([get_weather]).stream("Weather in Rome for 2 days?"):
        streamed = chunk if streamed is None else streamed + chunk
    assert streamed is not None and streamed.tool_calls[0]["args"] == {"city": "Rome", "days": 2}
    with pytest.raises(ModelInvalidRequestError):
        llm.bind_tools([get_weather], tool_choice=3.5)  # type: ignore[arg-type]


def test_structured_output_modes(llm: A3MChatModel, lc_wire: WireServer) -> None:
    from pydantic import BaseModel, Field

    class City(BaseModel):
        name: str
        population: int

    by_schema = llm.with_structured_output(City).invoke("Tell me about Paris with 2100000 people")
    assert by_schema == City(name="Paris", population=2100000)
    assert lc_wire.requests[-1].body["response_format"]["type"] == "json_schema"
    by_tool = llm.with_structured_output(City, method="function_calling").invoke("In Lyon live 520000 people")
    assert by_tool == City(name="Lyon", population=520000)
    assert lc_wire.requests[-1].body["tool_choice"] == {"type": "function", "function": {"name": "City"}}
    raw = llm.with_structured_output(None, method="json_mode", include_raw=True).invoke("anything")
    assert raw["parsed"] == {"answer": "Echo: anything"} and raw["parsing_error"] is None
    # an answer that does not validate is a parsing error in the result, not an exception, with include_raw

    class Megacity(BaseModel):
        name: str
        population: int = Field(gt=10_000_000)

    bad = llm.with_structured_output(Megacity, include_raw=True).invoke("Tell me about Paris with 2100000 people")
    assert bad["parsed"] is None and isinstance(bad["parsing_error"], OutputParserException)
    assert bad["raw"].content == '{"name": "Paris", "population": 2100000}'
    with pytest.raises(OutputParserException):
        llm.with_structured_output(Megacity).invoke("Tell me about Paris with 2100000 people")


def test_llm_cache_key_covers_settings(gateway: A3MGateway, lc_wire: WireServer) -> None:
    set_llm_cache(InMemoryCache())
    try:
        cold = A3MChatModel(gateway=gateway, temperature=0.0)
        warm = A3MChatModel(gateway=gateway, temperature=0.9)
        cold.invoke("cache me")
        cold.invoke("cache me")
        assert len(lc_wire.requests) == 1  # second call served by LangChain's cache
        warm.invoke("cache me")
        A3MChatModel(gateway=gateway, model=PREMIUM, temperature=0.0).invoke("cache me")
        assert len(lc_wire.requests) == 3  # other temperature, other model: not served from the cache
    finally:
        set_llm_cache(None)
