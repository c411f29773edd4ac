"""langchain-tests' standard suites, unmodified, for A3MChatModel.

- `TestA3MChatModelUnit`: ChatModelUnitTests (construction, standard params, tools, serdes).
- `TestA3MChatModelWire`: ChatModelIntegrationTests against the loopback wire server (OpenAI wire
  format, deterministic scripted model with tool calling and JSON-schema output), routed by the
  gateway over a cheap and a premium model.
- `TestA3MChatModelLlama`: ChatModelIntegrationTests against llama_cpp.server running the
  SmolLM2-135M GGUF on loopback (a real model, no tool calling).

Every skipped test and its reason is listed in docs/langchain.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from langchain_tests.integration_tests import ChatModelIntegrationTests
from langchain_tests.unit_tests import ChatModelUnitTests

from a3m_integrations.catalog import Catalog
from a3m_integrations.gateway import A3MGateway
from a3m_integrations.providers.registry import ProviderRegistry
from a3m_integrations.resilience.executor import Executor
from a3m_integrations.resilience.retry import RetryPolicy
from langchain_a3m import A3MChatModel
from tests.integration.langchain.wire_setup import PREMIUM, wire_gateway
from tests.servers.llama_server import llama_server
from tests.servers.wire import WireServer


class TestA3MChatModelUnit(ChatModelUnitTests):
    @property
    def chat_model_class(self) -> type[A3MChatModel]:
        return A3MChatModel

    @property
    def chat_model_params(self) -> dict[str, Any]:
        # api_key (set by the suite) needs a pinned model: its provider gets the key
        return {"model": "openai/gpt-4o-mini"}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return {"A3M_CONFIG": "/etc/a3m/gateway.yaml"}, {}, {"config": "/etc/a3m/gateway.yaml"}


class _OnGateway(ChatModelIntegrationTests):
    """The suite over the class's gateway (set by the subclass's class-scoped fixture)."""

    gateway: A3MGateway

    @property
    def chat_model_class(self) -> type[A3MChatModel]:
        return A3MChatModel

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"gateway": self.gateway}


class TestA3MChatModelWire(_OnGateway):
    @pytest.fixture(autouse=True, scope="class")
    @classmethod
    def _wire_gateway(cls) -> Iterator[None]:
        with WireServer() as server:
            cls.gateway = wire_gateway(server.openai_base)
            yield
            cls.gateway.close()

    @property
    def model_override_value(self) -> str:
        return PREMIUM

    @property
    def has_tool_choice(self) -> bool:
        return True

    @property
    def supports_anthropic_inputs(self) -> bool:
        return True  # Anthropic-shaped tools, tool_use and thinking blocks are converted for any provider


def _llama_catalog(base_url: str) -> Catalog:
    model = {
        "id": "llama/smollm2",
        "provider": "llama",
        "name": "smollm2-135m-instruct",
        "tier": "free",
        "input_per_1m": "0",
        "output_per_1m": "0",
        "context_window": 2048,
        "max_output": 512,
        "capabilities": ["streaming", "json", "json_schema"],
        "price_date": "2025-01-01",
        "price_source": "local model",
    }
    data = {"providers": {"llama": {"api": "openai", "base_url": base_url, "profile": "default"}}, "models": [model]}
    return Catalog.load(data, base=Catalog.empty())


@pytest.mark.slow
@pytest.mark.local_model
class TestA3MChatModelLlama(_OnGateway):
    @pytest.fixture(autouse=True, scope="class")
    @classmethod
    def _llama_gateway(cls) -> Iterator[None]:
        with llama_server() as base:
            catalog = _llama_catalog(base)
            # a 135M model on a shared CPU: short answers, a generous timeout, one retry
            executor = Executor(ProviderRegistry(catalog), catalog, policy=RetryPolicy(timeout=180.0, max_attempts=2))
            cls.gateway = A3MGateway(catalog=catalog, executor=executor, baseline_model=None, default_max_tokens=64)
            yield
            cls.gateway.close()

    @property
    def has_tool_calling(self) -> bool:
        return False  # llama_cpp.server's default chat format has no tool calling

    @property
    def has_structured_output(self) -> bool:
        return False  # the server rejects response_format json_schema; a 135M model cannot follow a schema

    @property
    def model_override_value(self) -> str:
        return "llama/smollm2"
