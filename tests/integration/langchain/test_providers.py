"""LangChainProvider: the user's own LangChain models as gateway providers, routed, retried and priced."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Iterator
from decimal import Decimal

import pytest
from langchain_openai import ChatOpenAI

from a3m_integrations.catalog import Catalog
from a3m_integrations.errors import BadRequest, RateLimited
from a3m_integrations.gateway import A3MGateway
from a3m_integrations.providers.base import Provider
from a3m_integrations.types import ChatRequest
from langchain_a3m import A3MChatModel, LangChainProvider, get_a3m_callback
from langchain_a3m._errors import to_core_error
from tests.integration.langchain.wire_setup import WIRE_LC_KEY
from tests.servers.wire import WireServer


def _mine_catalog() -> Catalog:
    def model(name: str, tier: str, price: str) -> dict[str, object]:
        return {
            "id": f"mine/{name}",
            "provider": "mine",
            "name": f"wire-{name}",
            "tier": tier,
            "input_per_1m": price,
            "output_per_1m": price,
            "context_window": 16000,
            "max_output": 1000,
            "capabilities": ["tools", "streaming", "json"],
            "price_date": "2025-01-01",
            "price_source": "test",
        }

    data = {
        "providers": {"mine": {"api": "openai"}},
        "models": [model("small", "cheap", "1"), model("big", "premium", "10")],
    }
    return Catalog.load(data, base=Catalog.empty())


@pytest.fixture
def mine(lc_wire: WireServer) -> Iterator[tuple[A3MGateway, LangChainProvider]]:
    def openai(name: str) -> ChatOpenAI:
        return ChatOpenAI(model=name, base_url=lc_wire.openai_base, api_key=WIRE_LC_KEY, max_retries=0)

    provider = LangChainProvider({"wire-small": openai("wire-small"), "wire-big": openai("wire-big")}, id="mine")
    gateway = A3MGateway(catalog=_mine_catalog(), providers={"mine": provider}, baseline_model="mine/big")
    yield gateway, provider
    gateway.close()


def test_is_a_provider_and_answers_directly(mine: tuple[A3MGateway, LangChainProvider], lc_wire: WireServer) -> None:
    gateway, provider = mine
    assert isinstance(provider, Provider)
    response = provider.chat(ChatRequest.of("hello"), gateway.catalog.model("mine/small"))
    assert response.text == "Echo: hello" and response.model == "mine/small" and response.provider == "mine"
    assert response.usage.input_tokens > 0 and not response.usage.estimated
    assert lc_wire.requests[-1].model == "wire-small"


def test_routing_between_the_users_models_with_cost(
    mine: tuple[A3MGateway, LangChainProvider], lc_wire: WireServer
) -> None:
    gateway, _ = mine
    llm = A3MChatModel(gateway=gateway)
    msg = llm.invoke("hello there")
    assert msg.response_metadata["model_name"] == "mine/small" and msg.content == "Echo: hello there"
    usage = msg.usage_metadata
    assert usage is not None
    assert Decimal(msg.response_metadata["cost"]) == Decimal(usage["input_tokens"] + usage["output_tokens"]) / 10**6
    assert Decimal(msg.response_metadata["saved_cost"]) > 0  # against the premium baseline
    hard = (
        "Design a fault-tolerant distributed payment ledger: analyze consistency trade-offs, prove the "
        "idempotency of retries, compare two-phase commit with sagas, and give a migration plan step by step."
    )
    assert llm.invoke(hard).response_metadata["model_name"] == "mine/big"
    assert [r.model for r in lc_wire.requests] == ["wire-small", "wire-big"]


def test_streaming_tools_and_async(mine: tuple[A3MGateway, LangChainProvider], lc_wire: WireServer) -> None:
    gateway, _ = mine
    llm = A3MChatModel(gateway=gateway)
    chunks = list(llm.stream("count one two three"))
    assert "".join(str(c.content) for c in chunks) == "Echo: count one two three"
    assert chunks[-1].usage_metadata is not None and lc_wire.requests[-1].stream

    def get_weather(city: str, days: int) -> str:
        """Weather for a city."""
        return "sunny"

    call = llm.bind_tools([get_weather]).invoke("What is the weather in Paris for 3 days?")
    assert call.tool_calls[0]["args"] == {"city": "Paris", "days": 3}
    assert [t["function"]["name"] for t in lc_wire.requests[-1].body["tools"]] == ["get_weather"]
    streamed = None
    for chunk in llm.bind_tools([get_weather]).stream("Weather in Rome for 2 days?"):
        streamed = chunk if streamed is None else streamed + chunk
    assert streamed is not None and streamed.tool_calls[0]["args"] == {"city": "Rome", "days": 2}

    async def run() -> tuple[str, str]:
        one = await llm.ainvoke("async hello")
        text = "".join([str(c.content) async for c in llm.astream("async stream")])
        return str(one.content), text

    assert asyncio.run(run()) == ("Echo: async hello", "Echo: async stream")


def test_failures_are_provider_errors_so_the_gateway_retries_and_falls_back(
    mine: tuple[A3MGateway, LangChainProvider], lc_wire: WireServer
) -> None:
    gateway, provider = mine
    lc_wire.faults.always("wire-small", "429")
    with pytest.raises(RateLimited):
        provider.chat(ChatRequest.of("hi"), gateway.catalog.model("mine/small"))
    msg = A3MChatModel(gateway=gateway, max_retries=1).invoke("hi")
    assert msg.response_metadata["model_name"] == "mine/big" and msg.response_metadata["fell_back"] is True
    assert [(r.model, r.status) for r in lc_wire.requests[1:]] == [
        ("wire-small", 429),
        ("wire-small", 429),
        ("wire-big", 200),
    ]
    lc_wire.faults.always("wire-small", "400")
    with pytest.raises(BadRequest):
        provider.chat(ChatRequest.of("hi"), gateway.catalog.model("mine/small"))


def test_inner_runs_are_not_counted_twice(mine: tuple[A3MGateway, LangChainProvider]) -> None:
    gateway, _ = mine
    with get_a3m_callback() as cb:
        A3MChatModel(gateway=gateway).invoke("hi", config={"metadata": {"user": "ann"}})
    assert cb.successful_requests == 1 and list(cb.by_model) == ["mine/small"] and cb.by_user["ann"].requests == 1


def test_unmapped_model_and_retry_warning(lc_wire: WireServer) -> None:
    provider = LangChainProvider({"wire-small": ChatOpenAI(model="x", api_key="k", max_retries=0)}, id="mine")
    with pytest.raises(Exception, match="no chat model for mine/big"):
        provider.chat(ChatRequest.of("hi"), _mine_catalog().model("mine/big"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        LangChainProvider(ChatOpenAI(model="x", api_key="k", max_retries=3))
    assert any("retries happen in one layer" in str(w.message) for w in caught)


def test_foreign_errors_map_to_the_most_specific_core_error() -> None:
    from langchain_core.exceptions import ContextOverflowError, ModelAuthenticationError, ModelTimeoutError

    from a3m_integrations.errors import AuthError, ContextWindowExceeded, ProviderError, Timeout

    cases = [
        (ContextOverflowError("too long"), ContextWindowExceeded),
        (ModelAuthenticationError("sk-secret-123456 rejected"), AuthError),
        (ModelTimeoutError(), Timeout),
        (TimeoutError(), Timeout),
        (ValueError("weird"), ProviderError),
    ]
    for exc, expected in cases:
        mapped = to_core_error(exc, provider="mine", model="mine/small")
        assert type(mapped) is expected and mapped.model == "mine/small"
        assert "sk-secret" not in str(mapped)  # a foreign message is never copied into ours
    assert not to_core_error(ValueError("x"), provider="p", model="m").retryable
