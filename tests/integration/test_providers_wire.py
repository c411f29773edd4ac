"""The providers against the loopback wire server: formats, usage, faults, secrets, connections."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest

from a3m_integrations.catalog import Catalog, ModelInfo
from a3m_integrations.errors import (
    AuthError,
    BadRequest,
    BadResponse,
    ConfigError,
    ConnectionFailed,
    RateLimited,
    ServerError,
    Timeout,
)
from a3m_integrations.providers.anthropic import AnthropicProvider
from a3m_integrations.providers.base import Provider
from a3m_integrations.providers.openai_compat import OpenAICompatibleProvider
from a3m_integrations.providers.registry import ProviderRegistry
from a3m_integrations.types import ChatRequest, Message, ResponseFormat, ToolSpec
from tests.integration.conftest import WIRE_ANTHROPIC_KEY, WIRE_KEY
from tests.servers.wire import WireServer

WEATHER = ToolSpec(
    "get_weather",
    "Weather for a city",
    {"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer"}}, "required": ["city"]},
)
FORMATS = ["wire-openai/m1", "wire-anthropic/m1"]


def _provider(registry: ProviderRegistry, model_id: str) -> tuple[Any, ModelInfo]:
    model = registry.catalog.model(model_id)
    return registry.for_model(model), model


def _call(provider: Provider, request: ChatRequest, model: ModelInfo, stream: bool) -> object:
    """Call through chat or stream (drained)."""
    return list(provider.stream(request, model)) if stream else provider.chat(request, model)


@pytest.mark.parametrize("model_id", FORMATS)
def test_chat_text_and_usage(registry: ProviderRegistry, wire: WireServer, model_id: str) -> None:
    provider, model = _provider(registry, model_id)
    r = provider.chat(ChatRequest.of([Message.system("Be brief."), Message.user("Hello from Oslo")]), model)
    assert r.text == "Echo: Hello from Oslo"
    assert r.model == model_id
    assert r.usage.input_tokens > 0
    assert r.usage.output_tokens > 0
    assert not r.usage.estimated
    assert r.finish_reason == "stop"
    sent = wire.requests[-1]
    assert sent.model == model.name
    if "anthropic" in model_id:
        assert sent.body["system"] == "Be brief."
        assert sent.headers["x-api-key"] == "<redacted>"
        assert sent.headers["anthropic-version"] == "2023-06-01"
    else:
        assert sent.body["messages"][0] == {"role": "system", "content": "Be brief."}
        assert sent.headers["authorization"] == "<redacted>"


def test_the_key_is_sent_in_the_catalogs_header(wire_catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    with WireServer(record_secrets=True) as server:
        monkeypatch.setenv("WIRE_KEY", WIRE_KEY)
        monkeypatch.setenv("WIRE_ANTHROPIC_KEY", WIRE_ANTHROPIC_KEY)
        base = server.openai_base
        with OpenAICompatibleProvider(wire_catalog.provider("wire-openai"), base_url=base) as p:
            p.chat(ChatRequest.of("hi"), wire_catalog.model("wire-openai/m1"))
        with AnthropicProvider(wire_catalog.provider("wire-anthropic"), base_url=base) as a:
            a.chat(ChatRequest.of("hi"), wire_catalog.model("wire-anthropic/m1"))
        first, second = server.requests
        assert first.headers["authorization"] == f"Bearer {WIRE_KEY}"
        assert second.headers["x-api-key"] == WIRE_ANTHROPIC_KEY
        assert "authorization" not in second.headers


@pytest.mark.parametrize("model_id", FORMATS)
def test_stream_chunks_and_final_usage(registry: ProviderRegistry, model_id: str) -> None:
    provider, model = _provider(registry, model_id)
    chunks = list(provider.stream(ChatRequest.of("one two three four"), model))
    text = "".join(c.text for c in chunks)
    assert text == "Echo: one two three four"
    assert len([c for c in chunks if c.text]) == 5
    last = chunks[-1]
    assert last.response is not None
    assert last.response.text == text
    assert last.usage is not None
    assert not last.usage.estimated
    assert all(c.model == model_id for c in chunks)


@pytest.mark.parametrize("model_id", FORMATS)
def test_tool_call_round_trip(registry: ProviderRegistry, model_id: str) -> None:
    provider, model = _provider(registry, model_id)
    request = ChatRequest.of("What is the weather in Paris for 3 days?", tools=(WEATHER,))
    r = provider.chat(request, model)
    assert r.finish_reason == "tool_calls"
    (call,) = r.message.tool_calls
    assert call.name == "get_weather"
    assert call.parsed_arguments() == {"city": "Paris", "days": 3}
    streamed = list(provider.stream(request, model))
    assert streamed[-1].response is not None
    assert streamed[-1].response.message.tool_calls[0].parsed_arguments() == {"city": "Paris", "days": 3}
    follow = ChatRequest(
        messages=(*request.messages, r.message, Message("tool", "sunny, 21C", tool_call_id=call.id)), tools=(WEATHER,)
    )
    answer = provider.chat(follow, model)
    assert "sunny, 21C" in answer.text
    assert "get_weather" in answer.text


@pytest.mark.parametrize("model_id", FORMATS)
def test_json_schema_answer_is_valid_json(registry: ProviderRegistry, model_id: str) -> None:
    provider, model = _provider(registry, model_id)
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "age": {"type": "integer"},
            "tags": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["name", "age"],
    }
    request = ChatRequest.of("Alice is 31 years old", response_format=ResponseFormat("json_schema", schema))
    r = provider.chat(request, model)
    data = json.loads(r.text)
    assert data["age"] == 31
    assert isinstance(data["name"], str)
    assert isinstance(data["tags"], list)


def test_json_object_mode(registry: ProviderRegistry) -> None:
    provider, model = _provider(registry, "wire-openai/m1")
    r = provider.chat(ChatRequest.of("hi", response_format=ResponseFormat("json_object")), model)
    assert json.loads(r.text) == {"answer": "Echo: hi"}


@pytest.mark.parametrize("model_id", FORMATS)
def test_missing_usage_is_estimated(registry: ProviderRegistry, wire: WireServer, model_id: str) -> None:
    provider, model = _provider(registry, model_id)
    wire.faults.push(model.name, "no-usage", times=2)
    r = provider.chat(ChatRequest.of("count me please"), model)
    assert r.usage.estimated
    assert r.usage.input_tokens > 0
    chunks = list(provider.stream(ChatRequest.of("count me please"), model))
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.estimated
    assert chunks[-1].usage.output_tokens > 0


@pytest.mark.parametrize("model_id", FORMATS)
async def test_async_chat_and_stream(registry: ProviderRegistry, model_id: str) -> None:
    provider, model = _provider(registry, model_id)
    r = await provider.achat(ChatRequest.of("async hello"), model)
    assert r.text == "Echo: async hello"
    chunks = [c async for c in provider.astream(ChatRequest.of("async stream here"), model)]
    assert "".join(c.text for c in chunks) == "Echo: async stream here"
    assert chunks[-1].usage is not None
    await registry.aclose()


FAULTS = [
    ("500", ServerError, True),
    ("502", ServerError, True),
    ("503", ServerError, True),
    ("429:retry-after=2", RateLimited, True),
    ("reset", ConnectionFailed, True),
    ("malformed", BadResponse, True),
    ("cut:2", ConnectionFailed, True),
    ("401", AuthError, False),
    ("body:openai-quota", AuthError, False),
]


@pytest.mark.parametrize(("fault", "cls", "retryable"), FAULTS, ids=[f[0] for f in FAULTS])
@pytest.mark.parametrize("stream", [False, True], ids=["chat", "stream"])
def test_faults_map_to_typed_errors(
    registry: ProviderRegistry, wire: WireServer, fault: str, cls: type, retryable: bool, stream: bool
) -> None:
    provider, model = _provider(registry, "wire-openai/m1")
    wire.faults.push(model.name, fault)
    with pytest.raises(cls) as info:
        _call(provider, ChatRequest.of("one two three four five"), model, stream)
    assert info.value.retryable is retryable
    assert info.value.provider == "wire-openai"
    if fault.startswith("429"):
        assert info.value.retry_after == 2.0
    # the connection pool is usable after every fault
    assert provider.chat(ChatRequest.of("after"), model).text == "Echo: after"


def test_retry_after_http_date(registry: ProviderRegistry, wire: WireServer) -> None:
    provider, model = _provider(registry, "wire-openai/m1")
    wire.faults.push(model.name, "429:retry-after-date=30")
    with pytest.raises(RateLimited) as info:
        provider.chat(ChatRequest.of("x"), model)
    assert info.value.retry_after is not None
    assert 28.0 <= info.value.retry_after <= 30.0


def test_hang_past_the_timeout_is_a_timeout(registry: ProviderRegistry, wire: WireServer) -> None:
    provider, model = _provider(registry, "wire-openai/m1")
    wire.faults.push(model.name, "hang:2", "hang:2")
    with pytest.raises(Timeout):
        provider.chat(ChatRequest.of("x", timeout=0.2), model)
    with pytest.raises(Timeout):
        list(provider.stream(ChatRequest.of("x", timeout=0.2), model))


def test_stream_stall_between_chunks_is_a_timeout(registry: ProviderRegistry, wire: WireServer) -> None:
    provider, model = _provider(registry, "wire-openai/m1")
    wire.faults.push(model.name, "slow:1.0")
    stream = provider.stream(ChatRequest.of("a b c d", timeout=0.3), model)
    with pytest.raises(Timeout):
        next(stream)  # the first chunk is 1 s away


@pytest.mark.parametrize(
    ("provider_id", "body", "cls", "retryable"),
    [
        ("wire-minimax", "minimax-1002", RateLimited, True),
        ("wire-minimax", "minimax-1008", AuthError, False),
        ("wire-zhipu", "zhipu-1302", RateLimited, True),
        ("wire-zhipu", "zhipu-1113", AuthError, False),
        ("wire-moonshot", "moonshot-overloaded", ServerError, True),
        ("wire-moonshot", "moonshot-quota", AuthError, False),
        ("wire-dashscope", "dashscope-throttle", RateLimited, True),
        ("wire-dashscope", "dashscope-arrearage", AuthError, False),
        ("wire-deepseek", "deepseek-402", AuthError, False),
        ("wire-stepfun", "stepfun-451", BadRequest, False),
        ("wire-siliconflow", "siliconflow-balance", AuthError, False),
        ("wire-siliconflow", "siliconflow-rpm", RateLimited, True),
        ("wire-volcengine", "volcengine-overdue", AuthError, False),
        ("wire-baidu", "baidu-v1-qps", RateLimited, True),
        ("wire-tencent", "tencent-limit", RateLimited, True),
    ],
)
@pytest.mark.parametrize("stream", [False, True], ids=["chat", "stream"])
def test_provider_profiles_on_the_wire(
    registry: ProviderRegistry, wire: WireServer, provider_id: str, body: str, cls: type, retryable: bool, stream: bool
) -> None:
    provider, model = _provider(registry, f"{provider_id}/m1")
    wire.faults.push(model.name, f"body:{body}")
    with pytest.raises(cls) as info:
        _call(provider, ChatRequest.of("x"), model, stream)
    assert info.value.retryable is retryable


@pytest.mark.parametrize("stream", [False, True], ids=["chat", "stream"])
def test_padding_cannot_extend_the_deadline(registry: ProviderRegistry, wire: WireServer, stream: bool) -> None:
    """DeepSeek pads slow answers with blank lines / SSE comments; that must not re-arm the timeout."""
    provider, model = _provider(registry, "wire-deepseek/m1")
    wire.faults.push(model.name, "keepalive:1.5")
    with pytest.raises(Timeout, match="padding"):
        _call(provider, ChatRequest.of("x", timeout=0.4), model, stream)
    wire.faults.push(model.name, "keepalive:0.2")  # short padding: skipped, the answer is parsed
    result = _call(provider, ChatRequest.of("padded", timeout=5.0), model, stream)
    text = "".join(c.text for c in result) if isinstance(result, list) else result.text  # type: ignore[attr-defined]
    assert text == "Echo: padded"


@pytest.mark.parametrize("model_id", FORMATS)
def test_in_stream_error_event_is_typed(registry: ProviderRegistry, wire: WireServer, model_id: str) -> None:
    provider, model = _provider(registry, model_id)
    wire.faults.push(model.name, "stream-error:0")
    with pytest.raises(ServerError) as info:
        list(provider.stream(ChatRequest.of("x y"), model))
    assert info.value.retryable


@pytest.mark.parametrize("model_id", FORMATS)
def test_key_never_leaks_into_errors_repr_or_logs(
    registry: ProviderRegistry, wire: WireServer, model_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    provider, model = _provider(registry, model_id)
    wire.faults.push(model.name, "echo-headers", "echo-headers")
    errors = []
    for stream in (False, True):
        with pytest.raises(AuthError) as info:
            _call(provider, ChatRequest.of("x"), model, stream)
        errors.append(info.value)
    texts = [str(e) for e in errors] + [repr(e) for e in errors] + [repr(provider), repr(registry), caplog.text]
    texts += [str(e.__cause__) for e in errors if e.__cause__ is not None]
    for text in texts:
        assert WIRE_KEY not in text
        assert WIRE_ANTHROPIC_KEY not in text
    assert "request headers were" in str(errors[0])  # the server did echo them back
    assert "**********" in str(errors[0])


@pytest.mark.parametrize("model_id", FORMATS)
def test_closing_a_stream_early_closes_the_connection(
    registry: ProviderRegistry, wire: WireServer, model_id: str
) -> None:
    provider, model = _provider(registry, model_id)
    wire.faults.push(model.name, "slow:0.05")
    words = " ".join(f"w{i}" for i in range(60))
    stream = provider.stream(ChatRequest.of(words), model)
    first = next(s for s in stream if s.text)
    assert first.text
    stream.close()
    assert wire.wait_streams_closed(5.0)
    assert wire.requests[-1].aborted
    pool = provider._sync_client()._transport._pool
    assert len(pool._requests) == 0  # nothing in flight, nothing leaked
    assert provider.chat(ChatRequest.of("next"), model).text == "Echo: next"


async def test_cancelling_an_async_stream_closes_the_connection(registry: ProviderRegistry, wire: WireServer) -> None:
    provider, model = _provider(registry, "wire-openai/m1")
    wire.faults.push(model.name, "slow:0.05")
    stream = provider.astream(ChatRequest.of(" ".join(f"w{i}" for i in range(60))), model)
    async for chunk in stream:
        if chunk.text:
            break
    await stream.aclose()
    assert wire.wait_streams_closed(5.0)
    assert wire.requests[-1].aborted
    pool = provider._async_client()._transport._pool
    assert len(pool._requests) == 0
    await registry.aclose()


def test_connection_refused_is_connection_failed(wire_catalog: Catalog) -> None:
    from tests.servers.llama_server import free_port

    provider = OpenAICompatibleProvider.from_url(f"http://127.0.0.1:{free_port()}/v1", api_key="k")
    with provider, pytest.raises(ConnectionFailed) as info:
        provider.chat(ChatRequest.of("x"), wire_catalog.model("wire-openai/m1"))
    assert info.value.retryable


def test_registry_configured_register_and_close(wire_catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIRE_ANTHROPIC_KEY")
    registry = ProviderRegistry(wire_catalog)
    assert "wire-openai" in registry.configured()
    assert "wire-anthropic" not in registry.configured()
    with pytest.raises(AuthError, match="WIRE_ANTHROPIC_KEY"):
        registry.get("wire-anthropic")
    custom = AnthropicProvider(wire_catalog.provider("wire-anthropic"), api_key="sk-by-hand")
    registry.register("wire-anthropic", custom)
    assert registry.get("wire-anthropic") is custom
    assert "wire-anthropic" in registry.configured()
    assert registry.get("wire-openai") is registry.get("wire-openai")  # pooled
    assert isinstance(registry.for_model("wire-openai/m2"), OpenAICompatibleProvider)
    with pytest.raises(ConfigError):
        registry.register("x", object())  # type: ignore[arg-type]
    client = registry.get("wire-openai")._sync_client()
    registry.close()
    assert client.is_closed


def test_registry_refuses_unfilled_base_url_placeholders(monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = Catalog.load(
        {
            "providers": {
                "azure-x": {"api": "openai", "base_url": "https://{resource}.example/v1", "api_key_env": "AZ_KEY"}
            }
        },
        base=Catalog.empty(),
    )
    monkeypatch.setenv("AZ_KEY", "k")
    registry = ProviderRegistry(catalog)
    assert registry.configured() == ()
    with pytest.raises(ConfigError, match="placeholders"):
        registry.get("azure-x")


def test_http_clients_make_no_retries_of_their_own(registry: ProviderRegistry, wire: WireServer) -> None:
    provider, model = _provider(registry, "wire-openai/m1")
    wire.faults.push(model.name, "503")
    with pytest.raises(ServerError):
        provider.chat(ChatRequest.of("x"), model)
    assert len(wire.requests) == 1
    transport = provider._sync_client()._transport
    assert isinstance(transport, httpx.HTTPTransport)
    assert transport._pool._retries == 0
