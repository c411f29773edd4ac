"""get_a3m_callback / A3MCostCallbackHandler: totals per model, tier and user, for A3M and other chat models."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableParallel
from langchain_openai import ChatOpenAI

from a3m_integrations.catalog import Catalog
from langchain_a3m import A3MChatModel, A3MCostCallbackHandler, get_a3m_callback
from tests.integration.langchain.wire_setup import CHEAP, PREMIUM, WIRE_LC_KEY
from tests.servers.wire import WireServer


def _openai(wire: WireServer, name: str, **kwargs: object) -> ChatOpenAI:
    return ChatOpenAI(model=name, base_url=wire.openai_base, api_key=WIRE_LC_KEY, max_retries=0, **kwargs)


def _catalog_cost(model_id: str, tokens_in: int, tokens_out: int) -> Decimal:
    info = Catalog.default().model(model_id)
    return info.cost(tokens_in, tokens_out)


def test_totals_per_model_tier_and_user_across_a3m_and_other_models(llm: A3MChatModel, lc_wire: WireServer) -> None:
    other = _openai(lc_wire, "gpt-4o-mini")
    prompt = ChatPromptTemplate.from_messages([("human", "{q}")])
    chain = prompt | RunnableParallel(routed=llm, direct=other)
    with get_a3m_callback() as cb:
        out = chain.invoke({"q": "What is the capital of France?"}, config={"metadata": {"user": "alice"}})
        llm.invoke("hello", config={"configurable": {"user": "bob"}})
    routed, direct = out["routed"], out["direct"]
    assert cb.successful_requests == 3
    a3m_cost = Decimal(routed.response_metadata["cost"])
    usage = direct.usage_metadata
    assert usage is not None
    direct_cost = _catalog_cost("openai/gpt-4o-mini", usage["input_tokens"], usage["output_tokens"])
    assert cb.by_model[CHEAP].requests == 2
    assert cb.by_model["openai/gpt-4o-mini"].cost == direct_cost > 0
    assert cb.by_model["openai/gpt-4o-mini"].input_tokens == usage["input_tokens"]
    assert set(cb.by_tier) == {"cheap", "mid"}  # wire/cheap is cheap, gpt-4o-mini is mid in the shipped catalog
    assert cb.by_user["alice"].requests == 2 and cb.by_user["bob"].requests == 1
    assert cb.by_user["alice"].cost == a3m_cost + direct_cost
    assert cb.total_cost == sum((t.cost for t in cb.by_model.values()), Decimal(0))
    report = cb.report()
    assert report["total"]["requests"] == 3 and isinstance(report["total"]["cost"], str)
    # after the block, nothing is counted
    llm.invoke("not counted")
    assert cb.successful_requests == 3


def test_streaming_is_counted_once_with_its_usage(llm: A3MChatModel, lc_wire: WireServer) -> None:
    other = _openai(lc_wire, "gpt-4o-mini", stream_usage=True)
    with get_a3m_callback() as cb:
        a3m_chunks = list(llm.stream("stream me please"))
        other_chunks = list(other.stream("stream me please"))
    assert cb.successful_requests == 2
    a3m_usage = a3m_chunks[-1].usage_metadata
    assert a3m_usage is not None
    assert cb.by_model[CHEAP].output_tokens == a3m_usage["output_tokens"]
    assert cb.by_model[CHEAP].cost == Decimal(a3m_chunks[-1].response_metadata["cost"])
    other_usage = [c.usage_metadata for c in other_chunks if c.usage_metadata]
    assert len(other_usage) == 1
    assert cb.by_model["openai/gpt-4o-mini"].total_tokens == other_usage[0]["total_tokens"]


def test_unknown_models_are_counted_in_tokens_and_unpriced_never_an_error(lc_wire: WireServer) -> None:
    handler = A3MCostCallbackHandler()
    msg = _openai(lc_wire, "mystery-model-9000").invoke("hi", config={"callbacks": [handler]})
    assert handler.by_model["mystery-model-9000"].unpriced == 1
    assert handler.total.unpriced == 1 and handler.total_cost == 0
    assert msg.usage_metadata is not None and handler.total_tokens == msg.usage_metadata["total_tokens"]
    assert "unknown" in handler.by_tier


def test_concurrent_runs_are_all_counted(llm: A3MChatModel) -> None:
    prompts = [f"question number {i}" for i in range(24)]
    with get_a3m_callback() as cb:
        answers = llm.batch(prompts, config={"max_concurrency": 8})
    tokens = sum(a.usage_metadata["total_tokens"] for a in answers if a.usage_metadata)
    cost = sum((Decimal(a.response_metadata["cost"]) for a in answers), Decimal(0))
    assert cb.successful_requests == 24 and cb.total_tokens == tokens and cb.total_cost == cost


def test_async_runs_inside_the_block_are_counted(llm: A3MChatModel) -> None:
    async def run() -> None:
        await llm.ainvoke("one", config={"metadata": {"user": "zoe"}})
        await asyncio.gather(*(llm.ainvoke(q) for q in ("two", "three")))
        async for _ in llm.astream("four"):
            pass

    with get_a3m_callback() as cb:
        asyncio.run(run())
    assert cb.successful_requests == 4 and cb.by_user["zoe"].requests == 1


def test_pinned_premium_model_counts_under_premium(llm: A3MChatModel) -> None:
    pinned = A3MChatModel(gateway=llm.gateway, model=PREMIUM)
    with get_a3m_callback() as cb:
        pinned.invoke("hi")
    assert cb.by_tier["premium"].requests == 1 and cb.by_model[PREMIUM].cost > 0
    assert "Requests: 1" in repr(cb)
