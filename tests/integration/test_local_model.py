"""The real SmolLM2 GGUF: through llama_cpp.server (OpenAI wire format) and in-process (LocalProvider).

Slow-ish on two cores, so few and short: marked `slow` and `local_model`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from a3m_integrations.catalog import Catalog, ModelInfo
from a3m_integrations.errors import BadRequest, ContextWindowExceeded
from a3m_integrations.providers.local import LocalProvider
from a3m_integrations.providers.openai_compat import OpenAICompatibleProvider
from a3m_integrations.providers.registry import ProviderRegistry
from a3m_integrations.resilience.executor import Executor
from a3m_integrations.types import ChatRequest, Message, ResponseFormat, ToolSpec
from tests.servers.llama_server import llama_server

pytestmark = [pytest.mark.slow, pytest.mark.local_model]

LOCAL = Catalog.default().model("local/smollm2-135m-instruct")


@pytest.fixture(scope="module")
def llama_base() -> Iterator[str]:
    with llama_server() as base:
        yield base


@pytest.fixture(scope="module")
def served() -> ModelInfo:
    return LOCAL


def test_openai_provider_against_llama_server(llama_base: str, served: ModelInfo) -> None:
    with OpenAICompatibleProvider.from_url(llama_base, id="llama") as provider:
        request = ChatRequest.of([Message.system("Answer briefly."), Message.user("Name a colour.")], max_tokens=12)
        r = provider.chat(request, served)
        assert r.text.strip()
        assert r.usage.input_tokens > 5
        assert 1 <= r.usage.output_tokens <= 12
        assert not r.usage.estimated  # llama_cpp.server reports usage for plain answers
        chunks = list(provider.stream(ChatRequest.of("Count to five.", max_tokens=16, temperature=0.0), served))
    text = "".join(c.text for c in chunks)
    assert text.strip()
    last = chunks[-1]
    assert last.response is not None
    assert last.response.text == text
    assert last.usage is not None
    # llama_cpp.server sends no usage in streams even when asked: it is counted and marked estimated
    assert last.usage.estimated
    assert last.usage.output_tokens > 0
    assert last.usage.input_tokens > 0


async def test_async_stream_and_json_mode_against_llama_server(llama_base: str, served: ModelInfo) -> None:
    async with OpenAICompatibleProvider.from_url(llama_base, id="llama") as provider:
        chunks = [c async for c in provider.astream(ChatRequest.of("Say hello.", max_tokens=8), served)]
        assert chunks[-1].usage is not None
        r = await provider.achat(
            ChatRequest.of(
                "A JSON object with a key name.", max_tokens=16, response_format=ResponseFormat("json_object")
            ),
            served,
        )
    assert r.text.lstrip().startswith("{")


def test_executor_falls_back_from_a_dead_provider_to_llama_server(llama_base: str) -> None:
    from tests.servers.llama_server import free_port

    catalog = Catalog.load(
        {
            "providers": {
                "dead": {"api": "openai", "base_url": f"http://127.0.0.1:{free_port()}/v1"},
                "llama": {"api": "openai", "base_url": llama_base},
            },
            "models": [
                {"id": "dead/x", "provider": "dead", "name": "x", "tier": "free", "input_per_1m": "0",
                 "output_per_1m": "0", "context_window": 2048, "max_output": 256, "price_date": "x",
                 "price_source": "x"},
                {"id": "llama/smollm2", "provider": "llama", "name": "smollm2-135m-instruct", "tier": "free",
                 "input_per_1m": "0", "output_per_1m": "0", "context_window": 2048, "max_output": 256,
                 "price_date": "x", "price_source": "x"},
            ],
        },
        base=Catalog.empty(),
    )  # fmt: skip
    with ProviderRegistry(catalog) as registry:
        executor = Executor(registry, sleep=lambda s: None)
        result = executor.call(ChatRequest.of("Hi", max_tokens=6), ("dead/x", "llama/smollm2"))
    assert result.model.id == "llama/smollm2"
    assert result.response.text.strip()
    assert result.errors[0].model == "dead/x"


def test_local_provider_in_process() -> None:
    with LocalProvider() as local:
        prompt = [Message.system("Be brief."), Message.user("Say hi")]
        r = local.chat(ChatRequest.of(prompt, max_tokens=8, temperature=0.0), LOCAL)
        assert r.text.strip()
        assert r.model == LOCAL.id
        assert r.provider == "local"
        assert r.usage.input_tokens == 19  # what llama.cpp itself counts for this prompt (checked by hand)
        assert 1 <= r.usage.output_tokens <= 8
        assert not r.usage.estimated
        chunks = list(local.stream(ChatRequest.of("Count to three.", max_tokens=10, temperature=0.0), LOCAL))
        assert "".join(c.text for c in chunks) == chunks[-1].response.text  # type: ignore[union-attr]
        assert chunks[-1].usage is not None
        with pytest.raises(BadRequest, match="tool calling"):
            local.chat(ChatRequest.of("x", tools=(ToolSpec("f"),)), LOCAL)
        with pytest.raises(ContextWindowExceeded):
            local.chat(ChatRequest.of("word " * 5000, max_tokens=4), LOCAL)
        json_mode = ResponseFormat("json_object")
        r = local.chat(
            ChatRequest.of("A JSON object with a key city.", max_tokens=16, response_format=json_mode), LOCAL
        )
        assert r.text.lstrip().startswith("{")


def test_local_provider_serialises_threads() -> None:
    local = LocalProvider()
    results: list[str] = []
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            results.append(local.chat(ChatRequest.of(f"Say the number {i}.", max_tokens=4), LOCAL).text)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    local.close()
    assert errors == []
    assert len(results) == 2


async def test_local_provider_async_and_early_close() -> None:
    local = LocalProvider()
    r = await local.achat(ChatRequest.of("Say yes.", max_tokens=4), LOCAL)
    assert r.text.strip()
    stream = local.astream(ChatRequest.of("Write a long story about a cat.", max_tokens=200), LOCAL)
    got = 0
    async for chunk in stream:
        if chunk.text:
            got += 1
        if got == 3:
            break
    await stream.aclose()
    # the worker stopped at the next token and released the lock: the model is usable at once
    r2 = await local.achat(ChatRequest.of("Say no.", max_tokens=4), LOCAL)
    assert r2.text.strip()
    await local.aclose()


def test_local_provider_through_the_registry_and_executor() -> None:
    registry = ProviderRegistry(Catalog.default())
    assert "local" in registry.configured()
    executor = Executor(registry)
    chunks = list(executor.stream(ChatRequest.of("Hello!", max_tokens=8), (LOCAL.id,)))
    assert chunks[-1].model == LOCAL.id
    assert chunks[-1].response is not None
    assert chunks[-1].response.attempts == 1
    registry.close()
