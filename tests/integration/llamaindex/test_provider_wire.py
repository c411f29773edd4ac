"""LlamaIndexProvider: LlamaIndex LLMs as gateway providers, against the wire server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from llama_index.core.llms import MockLLM
from llama_index.core.tools import FunctionTool
from llama_index.llms.openai_like import OpenAILike

from a3m_integrations.catalog import Catalog
from a3m_integrations.errors import AuthError, BadRequest, ConfigError, RateLimited, ServerError, Timeout
from a3m_integrations.gateway import A3MGateway
from a3m_integrations.providers.base import Provider
from a3m_integrations.resilience.executor import Executor
from a3m_integrations.types import ChatRequest, ToolSpec
from llamaindex_a3m import A3MLLM, LlamaIndexProvider, gateway_from_llms
from tests.integration.conftest import WIRE_KEY, FakeSleep
from tests.integration.llamaindex.conftest import HARD
from tests.servers.wire import WireServer

ADD = ToolSpec(
    "add", "Add two integers", {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}}
)


def _llm(wire: WireServer, model: str, **kwargs: object) -> OpenAILike:
    return OpenAILike(
        model=model,
        api_base=wire.openai_base,
        api_key=WIRE_KEY,
        is_chat_model=True,
        is_function_calling_model=True,
        max_retries=0,
        context_window=32000,
        **kwargs,
    )


@pytest.fixture
def gateway(wire: WireServer) -> Iterator[A3MGateway]:
    sleep = FakeSleep()
    gw = gateway_from_llms(
        {"fast": _llm(wire, "fast-model"), "strong": _llm(wire, "gpt-4o")},
        models={"fast": {"tier": "cheap", "input_per_1m": "0.1", "output_per_1m": "0.4"}},
    )
    gw.executor._sleep, gw.executor._asleep = sleep, sleep.asleep
    yield gw
    gw.close()


def test_the_catalog_entries_come_from_the_llms_and_the_catalog(gateway: A3MGateway) -> None:
    fast, strong = gateway.catalog.model("fast/fast-model"), gateway.catalog.model("strong/gpt-4o")
    assert (fast.tier, str(fast.input_per_1m), fast.context_window) == ("cheap", "0.1", 32000)
    shipped = Catalog.default().model("openai/gpt-4o")
    assert (strong.tier, strong.input_per_1m, strong.output_per_1m) == (
        shipped.tier,
        shipped.input_per_1m,
        shipped.output_per_1m,
    )
    assert {"tools", "streaming"} <= fast.capabilities
    assert isinstance(gateway.registry.get("fast"), Provider)


def test_routes_between_the_llms_by_complexity(gateway: A3MGateway, wire: WireServer) -> None:
    easy = gateway.chat("hello")
    hard = gateway.chat(HARD)
    assert (easy.model, hard.model) == ("fast/fast-model", "strong/gpt-4o")
    assert [r.model for r in wire.requests] == ["fast-model", "gpt-4o"]
    assert not easy.usage.estimated and easy.cost > 0 and hard.cost > easy.cost


def test_tool_calls_through_the_llms_own_tool_calling(gateway: A3MGateway, wire: WireServer) -> None:
    answer = gateway.chat(ChatRequest.of("add 2 and 3", tools=(ADD,), tool_choice="required"))
    (call,) = answer.message.tool_calls
    assert (call.name, call.parsed_arguments()) == ("add", {"a": 2, "b": 3})
    assert wire.requests[-1].body["tool_choice"] == "required"


def test_streams_end_with_usage_and_the_answer(gateway: A3MGateway) -> None:
    chunks = list(gateway.stream("stream me please"))
    final = chunks[-1].response
    assert final is not None and "".join(c.text for c in chunks) == final.text == "Echo: stream me please"
    assert final.usage.output_tokens > 0  # OpenAILike streams report none: counted, marked estimated
    tools = list(gateway.stream(ChatRequest.of("add 4 and 5", tools=(ADD,))))
    assert tools[-1].response is not None and tools[-1].response.message.tool_calls[0].name == "add"
    assert any(c.tool_calls for c in tools)


async def test_async_paths(gateway: A3MGateway) -> None:
    assert (await gateway.achat("hello async")).text == "Echo: hello async"
    texts = [c.text async for c in gateway.astream("async stream")]
    assert "".join(texts) == "Echo: async stream"


def test_a_failing_llm_falls_back_to_the_next(gateway: A3MGateway, wire: WireServer) -> None:
    wire.faults.always("fast-model", "503")
    answer = gateway.chat("hello")
    assert answer.model == "strong/gpt-4o" and answer.attempts > 1


def test_a3mllm_over_llamaindex_llms_with_an_agent_tool(gateway: A3MGateway) -> None:
    def add(a: int, b: int) -> int:
        """Add two integers."""
        return a + b

    llm = A3MLLM(gateway)
    assert llm.metadata.context_window == 32000 and llm.metadata.is_function_calling_model
    assert llm.predict_and_call([FunctionTool.from_defaults(add)], user_msg="add 20 and 22").response == "42"


@pytest.mark.parametrize(
    ("fault", "error"),
    [("429:retry-after=2", RateLimited), ("401", AuthError), ("400", BadRequest), ("500", ServerError)],
)
def test_sdk_errors_map_to_provider_errors(wire: WireServer, fault: str, error: type[Exception]) -> None:
    provider = LlamaIndexProvider(_llm(wire, "fast-model"), id="fast")
    model = gateway_from_llms(
        {"fast": provider.llm}, models={"fast": {"tier": "cheap", "input_per_1m": 1, "output_per_1m": 1}}
    ).catalog.model("fast/fast-model")
    wire.faults.push("fast-model", fault)
    with pytest.raises(error) as info:
        provider.chat(ChatRequest.of("hi"), model)
    assert info.value.provider == "fast" and info.value.model == "fast/fast-model"  # type: ignore[attr-defined]
    assert info.value.__cause__ is not None
    if error is RateLimited:
        assert info.value.retry_after == 2  # type: ignore[attr-defined]


def test_timeouts_map_to_timeout(wire: WireServer) -> None:
    llm = _llm(wire, "slow-model", timeout=0.3)
    provider = LlamaIndexProvider(llm, id="slow")
    model = gateway_from_llms(
        {"slow": llm}, models={"slow": {"tier": "cheap", "input_per_1m": 1, "output_per_1m": 1}}
    ).catalog.model("slow/slow-model")
    wire.faults.push("slow-model", "hang:2")
    with pytest.raises(Timeout):
        provider.chat(ChatRequest.of("hi"), model)


def test_tools_need_a_function_calling_llm_and_prices_are_required() -> None:
    with pytest.raises(ConfigError, match="not in the catalog"):
        gateway_from_llms({"mock": MockLLM()})
    gw = gateway_from_llms(
        {"mock": MockLLM(max_tokens=3)}, models={"mock": {"tier": "free", "input_per_1m": 0, "output_per_1m": 0}}
    )
    assert gw.chat("hello").text == "text text text"
    model = gw.catalog.model(gw.router.pool[0].id)  # type: ignore[attr-defined]
    with pytest.raises(BadRequest, match="cannot call tools"):
        LlamaIndexProvider(MockLLM(), id="mock").chat(ChatRequest.of("x", tools=(ADD,)), model)


def test_executor_is_the_only_retry_layer(wire: WireServer) -> None:
    sleep = FakeSleep()
    gw = gateway_from_llms(
        {"fast": _llm(wire, "fast-model")}, models={"fast": {"tier": "cheap", "input_per_1m": 1, "output_per_1m": 1}}
    )
    gw = A3MGateway(
        catalog=gw.catalog,
        executor=Executor(gw.registry, gw.catalog, sleep=sleep, asleep=sleep.asleep),
        pool=["fast/fast-model"],
        baseline_model=None,
    )
    wire.faults.push("fast-model", "503", "503")
    assert gw.chat("hello").text == "Echo: hello"
    assert [r.status for r in wire.requests] == [503, 503, 200]  # max_retries=0: one HTTP call per attempt
