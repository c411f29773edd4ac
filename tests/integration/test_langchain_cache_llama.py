"""LangChain's cache path with a real chat model: ChatOpenAI against llama_cpp.server on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from langchain_openai import ChatOpenAI

from langchain_a3m import A3MSemanticCache
from tests.servers.llama_server import llama_server

pytestmark = [pytest.mark.slow, pytest.mark.local_model]


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with llama_server() as base:
        yield base


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, request: httpx.Request) -> None:
        if request.url.path.endswith("/chat/completions"):
            self.calls += 1


def chat(base_url: str, cache: A3MSemanticCache, counter: Counter) -> ChatOpenAI:
    return ChatOpenAI(
        model="smollm2-135m-instruct",
        base_url=base_url,
        api_key="not-needed",  # type: ignore[arg-type]
        temperature=0,
        max_tokens=8,
        cache=cache,
        http_client=httpx.Client(event_hooks={"request": [counter]}),
        http_async_client=httpx.AsyncClient(event_hooks={"request": [_async(counter)]}),
    )


def _async(counter: Counter):  # type: ignore[no-untyped-def]
    async def hook(request: httpx.Request) -> None:
        counter(request)

    return hook


def test_repeat_and_paraphrase_are_served_from_cache_and_a_trap_is_not(base_url: str) -> None:
    counter = Counter()
    cache = A3MSemanticCache()
    llm = chat(base_url, cache, counter)
    first = llm.invoke("What is the capital of France?")
    assert counter.calls == 1 and first.content
    again = llm.invoke("What is the capital of France?")
    assert counter.calls == 1 and again.content == first.content
    para = llm.invoke("What's France's capital?")
    assert counter.calls == 1 and para.content == first.content
    trap = llm.invoke("What is the capital of Spain?")
    assert counter.calls == 2 and trap.content
    stats = cache.cache.stats()
    assert stats["hits_exact"] == 1 and stats["hits_semantic"] == 1


async def test_async_invoke_uses_the_cache(base_url: str) -> None:
    counter = Counter()
    llm = chat(base_url, A3MSemanticCache(), counter)
    first = await llm.ainvoke("How do I reverse a list in Python?")
    para = await llm.ainvoke("What's the easiest way to reverse a Python list?")
    assert counter.calls == 1 and para.content == first.content  # the trap case runs in the sync test
