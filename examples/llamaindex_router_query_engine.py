"""RouterQueryEngine with A3MSelector: each question goes to the right index with no LLM call to choose.

Run: `python examples/llamaindex_router_query_engine.py` (offline: the local model answers,
A3MEmbedding indexes). LlamaIndex's own selectors ask an LLM which index to use, one extra call
per question; A3MSelector reads the question's domain, task and keywords against each tool's
description with the core's signals and says why it chose.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # a checkout: no install needed

from llama_index.core import Document, VectorStoreIndex
from llama_index.core.query_engine import RouterQueryEngine
from llama_index.core.tools import QueryEngineTool

from llamaindex_a3m import A3MLLM, A3MEmbedding, A3MSelector

LEGAL = [
    "A non-compete clause is enforceable only if it is reasonable in time, area and scope.",
    "The statute of limitations for breach of contract claims is usually six years.",
    "A landlord must return a tenancy deposit within thirty days of the lease ending.",
]
COOKING = [
    "Bake sourdough bread at 230C for 40 minutes after an overnight proof.",
    "Roast vegetables at 200C with olive oil and salt until caramelised.",
    "Pancake batter needs flour, eggs, milk and a pinch of salt; rest it for ten minutes.",
]
QUESTIONS = [
    "Can my employer enforce a non-compete clause?",
    "How long should I bake sourdough bread?",
    "How many years do I have to sue for breach of contract?",
    "What temperature should I use for roasting vegetables?",
]


def main() -> None:
    """Build two small indexes, route four questions between them, print the choice, reason and answer."""
    llm = A3MLLM(config={"pool": ["local/smollm2-135m-instruct"]}, max_tokens=32, timeout=300)
    embed = A3MEmbedding()
    tools = [
        QueryEngineTool.from_defaults(
            VectorStoreIndex.from_documents([Document(text=t) for t in texts], embed_model=embed).as_query_engine(
                llm=llm, similarity_top_k=1
            ),
            name=name,
            description=description,
        )
        for name, texts, description in (
            ("legal_notes", LEGAL, "Legal notes: contracts, liability, non-compete clauses, statutes, tenancy law."),
            ("cooking_notes", COOKING, "Cooking notes: recipes, baking bread and sourdough, roasting vegetables."),
        )
    ]
    router = RouterQueryEngine(selector=A3MSelector(), query_engine_tools=tools, llm=llm)
    requests: list[str] = []
    llm.gateway.add_listener(lambda event: requests.append(event.kind) if event.kind == "request" else None)
    for question in QUESTIONS:
        response = router.query(question)
        result = response.metadata["selector_result"]
        print(f"question: {question}")
        print(f"  -> {result.reason}")
        print(f"  source: {response.source_nodes[0].node.get_content()}")
        print(f"  answer: {' '.join(str(response).split())[:140]}")
    print(f"{len(QUESTIONS)} questions, {len(requests)} LLM calls: one answer each, none to choose the index")
    llm.close()


if __name__ == "__main__":
    main()
