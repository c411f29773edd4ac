"""A3MLLM as Settings.llm in real in-memory indexes, and A3MSelector in RouterQueryEngine.

The wire server's scripted model echoes the last user message, which for a query engine holds
the retrieved context and the question: so an answer shows which index and node were used.
"""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core import Document, VectorStoreIndex
from llama_index.core.query_engine import RouterQueryEngine
from llama_index.core.tools import QueryEngineTool

from llamaindex_a3m import A3MLLM, A3MCostTracker, A3MEmbedding, A3MSelector
from tests.servers.wire import WireServer

LEGAL = [
    "A non-compete clause is enforceable only if it is reasonable in time, area and scope.",
    "The statute of limitations for breach of contract claims is usually six years.",
    "A landlord must return a tenancy deposit within thirty days of the lease ending.",
]
COOKING = [
    "Bake sourdough bread at 230C for 40 minutes after an overnight proof.",
    "Roast vegetables at 200C with olive oil and salt until caramelised.",
    "A good recipe for pancakes needs flour, eggs, milk and a pinch of salt.",
]


def _index(texts: list[str]) -> VectorStoreIndex:
    return VectorStoreIndex.from_documents([Document(text=t) for t in texts], embed_model=A3MEmbedding())


def test_settings_llm_in_a_vector_store_query_engine(llm: A3MLLM, settings: Any, wire: WireServer) -> None:
    settings.llm = llm
    settings.embed_model = A3MEmbedding()
    engine = VectorStoreIndex.from_documents([Document(text=t) for t in LEGAL]).as_query_engine(similarity_top_k=1)
    response = engine.query("How many years do I have to sue for breach of contract?")
    assert str(response).startswith("Echo: ") and LEGAL[1] in str(response)
    assert response.source_nodes[0].node.get_content() == LEGAL[1]
    (sent,) = wire.requests  # one LLM call, through the gateway's routing
    assert sent.model in ("wire-openai-m1", "wire-anthropic-m2")


def test_streaming_query_engine_is_counted(llm: A3MLLM, tracker: A3MCostTracker) -> None:
    engine = _index(COOKING).as_query_engine(llm=llm, similarity_top_k=1, streaming=True)
    response = engine.query("How long do I bake sourdough bread?")
    text = "".join(response.response_gen)
    assert COOKING[0] in text
    (call,) = tracker.calls()
    assert call.streamed and call.source == "a3m" and call.output_tokens > 0 and call.cost is not None


async def test_async_query(llm: A3MLLM) -> None:
    engine = _index(COOKING).as_query_engine(llm=llm, similarity_top_k=1)
    response = await engine.aquery("What temperature for roasting vegetables?")
    assert COOKING[1] in str(response)


@pytest.fixture
def router(llm: A3MLLM) -> RouterQueryEngine:
    tools = [
        QueryEngineTool.from_defaults(
            _index(LEGAL).as_query_engine(llm=llm, similarity_top_k=1),
            name="legal_notes",
            description="Legal notes: contracts, liability, non-compete clauses, statutes, tenancy law.",
        ),
        QueryEngineTool.from_defaults(
            _index(COOKING).as_query_engine(llm=llm, similarity_top_k=1),
            name="cooking_notes",
            description="Cooking notes: recipes, baking bread and sourdough, roasting vegetables.",
        ),
    ]
    return RouterQueryEngine(selector=A3MSelector(), query_engine_tools=tools, llm=llm)


@pytest.mark.parametrize(
    ("query", "engine", "doc"),
    [
        ("Can my employer enforce a non-compete clause?", 0, LEGAL[0]),
        ("How many years do I have to sue for breach of contract?", 0, LEGAL[1]),
        ("How long should I bake sourdough bread?", 1, COOKING[0]),
        ("What is a good recipe for pancakes?", 1, COOKING[2]),
    ],
)
def test_router_query_engine_sends_each_query_to_its_index(
    router: RouterQueryEngine, wire: WireServer, query: str, engine: int, doc: str
) -> None:
    response = router.query(query)
    result = response.metadata["selector_result"]
    assert result.inds == [engine]
    assert result.reason.startswith(("legal_notes", "cooking_notes")[engine])
    assert doc in str(response)
    assert len(wire.requests) == 1  # the selector made no LLM call: only the answer did


async def test_router_query_engine_async(router: RouterQueryEngine) -> None:
    response = await router.aquery("What temperature for roasting vegetables?")
    assert response.metadata["selector_result"].inds == [1] and COOKING[1] in str(response)
