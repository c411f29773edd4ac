"""What HTTPProvider puts on each request, with the URL, headers and timeouts it keeps between requests."""

from __future__ import annotations

import json

import httpx
import pytest

from a3m_integrations.catalog import Catalog
from a3m_integrations.errors import AllModelsFailed
from a3m_integrations.providers.openai_compat import OpenAICompatibleProvider
from a3m_integrations.providers.registry import ProviderRegistry
from a3m_integrations.resilience.executor import Executor
from a3m_integrations.types import ChatRequest

ANSWER = {"choices": [{"message": {"content": "hi"}, "finish_reason": "stop"}], "usage": {"prompt_tokens": 3}}
MODEL = {
    "id": "p/m",
    "provider": "p",
    "name": "m",
    "tier": "cheap",
    "input_per_1m": "1",
    "output_per_1m": "2",
    "context_window": 8000,
    "max_output": 1000,
    "price_date": "x",
    "price_source": "x",
}


def _catalog(base_url: str) -> Catalog:
    provider = {"api": "openai", "base_url": base_url, "api_key_env": None, "headers": {"x-extra": "1"}}
    return Catalog.load({"providers": {"p": provider}, "models": [MODEL]}, base=Catalog.empty())


def _mock(seen: list[httpx.Request]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=ANSWER)

    return httpx.MockTransport(handler)


def test_each_request_has_its_own_timeout_and_the_same_url_and_headers() -> None:
    seen: list[httpx.Request] = []
    catalog = _catalog("http://mock/v1")
    provider = OpenAICompatibleProvider(
        catalog.provider("p"), api_key="sk-test", transport=_mock(seen), timeout=30.0, connect_timeout=5.0
    )
    model = catalog.model("p/m")
    provider.chat(ChatRequest.of("a"), model)
    provider.chat(ChatRequest.of("b", timeout=2.0), model)
    provider.chat(ChatRequest.of("c", timeout=2.0), model)
    provider.connect_timeout = 1.0
    provider.chat(ChatRequest.of("d"), model)
    timeouts = [(r.extensions["timeout"]["read"], r.extensions["timeout"]["connect"]) for r in seen]
    assert timeouts == [(30.0, 5.0), (2.0, 2.0), (2.0, 2.0), (30.0, 1.0)]
    for r in seen:
        assert str(r.url) == "http://mock/v1/chat/completions"
        assert r.headers["authorization"] == "Bearer sk-test" and r.headers["x-extra"] == "1"
        assert r.headers["content-type"] == "application/json"
    assert [json.loads(r.content)["messages"][0]["content"] for r in seen] == ["a", "b", "c", "d"]
    assert seen[0].content.startswith(b'{"model":"m","messages":[{"role":"user","content":"a"}]')  # compact JSON


@pytest.mark.parametrize("base_url", ["http://[::1/v1", "http://a\x00b/v1"])
def test_an_invalid_base_url_fails_on_the_request_not_when_the_provider_is_built(base_url: str) -> None:
    seen: list[httpx.Request] = []
    catalog = _catalog(base_url)
    provider = OpenAICompatibleProvider(catalog.provider("p"), transport=_mock(seen))
    with pytest.raises(httpx.InvalidURL):
        provider.chat(ChatRequest.of("x"), catalog.model("p/m"))
    with pytest.raises(AllModelsFailed) as info:
        Executor(ProviderRegistry(catalog)).call(ChatRequest.of("x"), ("p/m",))
    assert "InvalidURL" in info.value.errors[0].message
    assert seen == []
