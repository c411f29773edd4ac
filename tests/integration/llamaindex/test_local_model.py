"""The LlamaIndex adapters with the real SmolLM2 GGUF: in-process, and behind llama_cpp.server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from llama_index.core.callbacks import CallbackManager, TokenCountingHandler
from llama_index.core.llms import ChatMessage
from llama_index.llms.openai_like import OpenAILike

from llamaindex_a3m import A3MLLM, A3MCostTracker, a3m_tokenizer, gateway_from_llms
from tests.servers.llama_server import llama_server

pytestmark = [pytest.mark.slow, pytest.mark.local_model]
LOCAL = "local/smollm2-135m-instruct"


@pytest.fixture(scope="module")
def local_llm() -> Iterator[A3MLLM]:
    llm = A3MLLM(max_tokens=12, timeout=300)  # no keys in the environment: the local model is the pool
    yield llm
    llm.close()


def test_default_gateway_is_the_local_model(local_llm: A3MLLM) -> None:
    meta = local_llm.metadata
    assert [m.id for m in local_llm.pool()] == [LOCAL]
    assert (meta.context_window, meta.num_output, meta.is_function_calling_model) == (8192, 12, False)
    response = local_llm.chat([ChatMessage(role="user", content="Name one colour.")], user="alice")
    a3m = response.additional_kwargs["a3m"]
    assert response.message.content and a3m["model"] == LOCAL and a3m["cost"] == "0"
    assert not a3m["usage"]["estimated"] and 0 < a3m["usage"]["output_tokens"] <= 12


def test_local_streams_carry_real_token_counts(local_llm: A3MLLM) -> None:
    counter = TokenCountingHandler(tokenizer=a3m_tokenizer(LOCAL))
    local_llm.callback_manager = CallbackManager([counter])
    with A3MCostTracker() as tracker:
        chunks = list(local_llm.stream_chat([ChatMessage(role="user", content="Name one fruit.")]))
    usage = chunks[-1].additional_kwargs["a3m"]["usage"]
    assert "".join(c.delta or "" for c in chunks) == chunks[-1].message.content
    assert counter.completion_llm_token_count == usage["output_tokens"] > 0
    (call,) = tracker.calls()
    assert call.streamed and call.source == "a3m" and call.model == LOCAL and call.tier == "free"


def test_an_openai_like_llm_on_llama_cpp_server_as_a_gateway_provider() -> None:
    with llama_server() as base, A3MCostTracker() as tracker:
        served = OpenAILike(
            model="smollm2-135m-instruct", api_base=base, api_key="none", is_chat_model=True, max_retries=0, timeout=300
        )
        gateway = gateway_from_llms(
            {"llamacpp": served},
            models={"llamacpp": {"tier": "free", "input_per_1m": 0, "output_per_1m": 0}},
            default_max_tokens=12,
        )
        answer = gateway.chat("Name one animal.")
        assert answer.text and answer.model == "llamacpp/smollm2-135m-instruct" and answer.usage.output_tokens > 0
        chunks = list(gateway.stream("Name one city."))
        assert chunks[-1].response is not None and chunks[-1].response.usage.output_tokens > 0
        # the tracker saw the OpenAILike calls and priced them by name (the local model's wire name)
        models = {c.model for c in tracker.calls()}
        assert models == {LOCAL}
        gateway.close()
