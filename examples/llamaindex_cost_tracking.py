"""Cost tracking from LlamaIndex's own instrumentation, streams included, for any LLM.

Run: `python examples/llamaindex_cost_tracking.py` (offline). One `A3MCostTracker` totals tokens
and cost per model, user and tier for every LLM call LlamaIndex makes:

- A3MLLM (here the free local model) reports the gateway's exact usage and cost, streamed or not;
- any other LlamaIndex LLM is priced from the catalog by its model name. Here an `OpenAILike`
  named gpt-4o-mini talks to the project's loopback OpenAI-format server (a stand-in for the
  real API). Its stream reports no usage, the case where LlamaIndex's TokenCountingHandler has
  shown 0 (llama_index #19740): the tracker counts the prompt and the streamed text offline.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # a checkout: no install needed

from llama_index.core.callbacks import CallbackManager, TokenCountingHandler
from llama_index.core.llms import ChatMessage
from llama_index.llms.openai_like import OpenAILike
from llama_index_instrumentation.dispatcher import instrument_tags

from llamaindex_a3m import A3MLLM, A3MCostTracker, a3m_tokenizer
from tests.servers.wire import WireServer


def ask(text: str) -> list[ChatMessage]:
    """One user message."""
    return [ChatMessage(role="user", content=text)]


def main() -> None:
    """Make four calls with two LLMs, two of them streamed, and print the totals."""
    with A3MCostTracker() as tracker, WireServer() as server:
        local = A3MLLM(config={"pool": ["local/smollm2-135m-instruct"]}, max_tokens=24, timeout=300)
        local.chat(ask("Name a colour."), user="alice")
        streamed = "".join(c.delta or "" for c in local.stream_chat(ask("Name a fruit."), user="bob"))
        print(f"local stream: {' '.join(streamed.split())[:80]}")

        counter = TokenCountingHandler(tokenizer=a3m_tokenizer("openai/gpt-4o-mini"))
        hosted = OpenAILike(
            model="gpt-4o-mini",
            api_base=server.openai_base,
            api_key="sk-loopback-only",
            is_chat_model=True,
            max_retries=0,
            callback_manager=CallbackManager([counter]),
        )
        with instrument_tags({"user": "carol", "team": "support"}):
            hosted.chat(ask("What are your opening hours?"))
            list(hosted.stream_chat(ask("Summarise our refund policy.")))
        print(f"TokenCountingHandler (offline tokenizer): {counter.total_llm_token_count} tokens")

        for call in tracker.calls():
            cost = "unpriced" if call.cost is None else f"${call.cost}"
            kind = "stream" if call.streamed else "call"
            print(
                f"{kind:6} {call.model:28} user={call.user:6} {call.input_tokens:4} in {call.output_tokens:4} out"
                f"  {cost:12} ({call.source})"
            )
        summary = tracker.summary()
        print(f"total: {summary['calls']} calls, {summary['total_tokens']} tokens, ${summary['cost']}")
        for group in ("by_model", "by_user", "by_tier"):
            parts = [f"{k}=${v['cost']} ({v['calls']})" for k, v in summary[group].items()]
            print(f"{group}: {', '.join(parts)}")
        local.close()


if __name__ == "__main__":
    main()
