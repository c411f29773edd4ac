"""A3MCostTracker on LlamaIndex's own events, and the offline tokenizer hook."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from llama_index.core.callbacks import CallbackManager, TokenCountingHandler
from llama_index.core.llms import ChatMessage, MockLLM
from llama_index_instrumentation.dispatcher import instrument_tags

from a3m_integrations.catalog import Catalog
from a3m_integrations.cost.tokens import count_text
from llamaindex_a3m import A3MCostTracker, LLMCall, a3m_tokenizer


class PricedMock(MockLLM):
    """LlamaIndex's MockLLM (a CustomLLM: chat is derived from a decorated complete) named as a catalog model."""

    @property
    def metadata(self):  # type: ignore[no-untyped-def]
        return super().metadata.model_copy(update={"model_name": "t/small"})


def test_a_custom_llm_call_is_counted_once_and_priced(tracker: A3MCostTracker, catalog: Catalog) -> None:
    llm = PricedMock(max_tokens=4)
    messages = [ChatMessage(role="user", content="hello there general kenobi")]
    llm.chat(messages)
    calls = tracker.calls()
    assert len(calls) == 1  # chat -> complete nests two LLM events; the inner one is counted
    call = calls[0]
    assert (call.model, call.tier, call.source, call.streamed) == ("t/small", "cheap", "counted", False)
    # the inner call is the completion, whose prompt is the messages as one text
    assert call.input_tokens == count_text(llm.messages_to_prompt(messages), "t/small")
    assert call.cost == catalog.model("t/small").cost(call.input_tokens, call.output_tokens)
    assert tracker.summary()["pending"] == 0


def test_streams_are_counted_at_their_end(tracker: A3MCostTracker) -> None:
    llm = PricedMock(max_tokens=6)
    gen = llm.stream_chat([ChatMessage(role="user", content="one two three four five six seven")])
    assert tracker.calls() == []  # nothing until the stream ends
    pieces = [r.delta for r in gen]
    (call,) = tracker.calls()
    assert call.streamed and call.complete and call.output_tokens == count_text("".join(pieces), "t/small")


def test_a_stream_closed_early_is_counted_for_what_arrived(tracker: A3MCostTracker) -> None:
    gen = PricedMock(max_tokens=20).stream_complete("a b c d e f g h i j k l m n o p q r s t u v w x y z")
    next(gen), next(gen)
    gen.close()
    (call,) = tracker.calls()
    assert not call.complete and call.streamed and call.output_tokens > 0


def test_attribution_from_instrument_tags_and_keywords(tracker: A3MCostTracker) -> None:
    llm = PricedMock(max_tokens=2)
    with instrument_tags({"user": "alice", "team": "search"}):
        llm.complete("hi")
    llm.complete("hi", user="bob")
    llm.complete("hi")
    summary = tracker.summary()
    assert set(summary["by_user"]) == {"alice", "bob", "unattributed"}
    assert tracker.calls()[0].team == "search"
    assert summary["by_tier"]["cheap"]["calls"] == 3 and summary["by_model"]["t/small"]["calls"] == 3


def test_unknown_models_are_counted_unpriced(tracker: A3MCostTracker) -> None:
    MockLLM(max_tokens=2).complete("hello")
    (call,) = tracker.calls()
    assert call.model == "unknown" and call.cost is None and call.tier is None
    summary = tracker.summary()
    assert summary["unpriced_calls"] == 1 and summary["cost"] == Decimal(0) and summary["total_tokens"] > 0


def test_failed_calls_are_not_counted(tracker: A3MCostTracker) -> None:
    class Broken(PricedMock):
        def complete(self, prompt: str, formatted: bool = False, **kwargs: object):  # type: ignore[no-untyped-def]
            raise RuntimeError("down")

    with pytest.raises(RuntimeError):
        Broken().chat([ChatMessage(role="user", content="x")])
    summary = tracker.summary()
    assert summary["calls"] == 0 and summary["errors"] >= 1 and summary["pending"] == 0


def test_totals_are_exact_under_threads(tracker: A3MCostTracker) -> None:
    llm = PricedMock(max_tokens=3)
    per_thread, threads = 15, 6

    def work(i: int) -> None:
        for _ in range(per_thread):
            llm.complete(f"question {i}", user=f"u{i}")

    pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=30)
    summary = tracker.summary()
    assert summary["calls"] == per_thread * threads
    assert all(v["calls"] == per_thread for v in summary["by_user"].values())
    assert summary["input_tokens"] == sum(c.input_tokens for c in tracker.calls())
    assert summary["cost"] == sum((c.cost or Decimal(0)) for c in tracker.calls())


def test_detach_stops_counting_and_reset_clears(catalog: Catalog) -> None:
    tracker = A3MCostTracker(catalog).attach()
    PricedMock(max_tokens=2).complete("x")
    tracker.detach()
    PricedMock(max_tokens=2).complete("x")
    assert tracker.summary()["calls"] == 1
    tracker.reset()
    assert tracker.summary()["calls"] == 0 and tracker.calls() == []
    tracker.record(LLMCall("m", None, "u", None, None, 1, 2, None, "counted", False, True, "X"))
    assert tracker.summary()["by_user"]["u"]["total_tokens"] == 3


def test_tokenizer_hook_counts_like_the_core_offline() -> None:
    text = "Token counting must work without downloading anything."
    for model in ("openai/gpt-4o", "gpt-4", None, "local/smollm2-135m-instruct"):
        tokens = a3m_tokenizer(model)(text)
        assert isinstance(tokens, list) and len(tokens) == count_text(text, model), model
    assert a3m_tokenizer("openai/gpt-4o")("hello world") == [24912, 2375]  # real o200k_base ids


def test_token_counting_handler_with_the_hook(tracker: A3MCostTracker) -> None:
    counter = TokenCountingHandler(tokenizer=a3m_tokenizer("t/small"))
    llm = PricedMock(max_tokens=5, callback_manager=CallbackManager([counter]))
    list(llm.stream_complete("count my streamed tokens please"))
    assert counter.prompt_llm_token_count > 0 and counter.completion_llm_token_count > 0
