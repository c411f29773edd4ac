"""Fixtures for tests against real servers on 127.0.0.1.

- `wire_server` (module scope): one running `tests.servers.wire.WireServer`;
- `wire`: the same server, with faults and records cleared before the test;
- `wire_catalog`: a catalog whose providers all point at that server, one per wire format and
  error profile (`wire-openai`, `wire-anthropic`, and `wire-<profile>` for each name in
  PROFILED), two models each (`<provider>/m1`, `<provider>/m2`); their keys are set in
  the environment (`WIRE_KEY`, `WIRE_ANTHROPIC_KEY`);
- `registry`: a ProviderRegistry over that catalog, closed after the test;
- `FakeSleep`: a sleep that records delays instead of waiting (sync and async).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from a3m_integrations.catalog import Catalog
from a3m_integrations.providers.registry import ProviderRegistry
from tests.servers.wire import WireServer

WIRE_KEY = "sk-wire-test-0123456789abcdef"
WIRE_ANTHROPIC_KEY = "sk-ant-wire-test-9876543210"
PROFILED = (
    "minimax", "zhipu", "moonshot", "dashscope", "deepseek", "stepfun", "siliconflow", "volcengine", "baidu", "tencent"
)  # fmt: skip


def wire_catalog_data(base: str) -> dict[str, Any]:
    """Catalog override data pointing every test provider at the wire server at `base` (…/v1)."""
    providers: dict[str, Any] = {
        "wire-openai": {"api": "openai", "base_url": base, "api_key_env": "WIRE_KEY", "profile": "openai"},
        "wire-anthropic": {
            "api": "anthropic",
            "base_url": base,
            "api_key_env": "WIRE_ANTHROPIC_KEY",
            "auth_header": "x-api-key",
            "auth_prefix": "",
            "profile": "anthropic",
        },
    }
    for name in PROFILED:
        providers[f"wire-{name}"] = {"api": "openai", "base_url": base, "api_key_env": "WIRE_KEY", "profile": name}
    models = [
        {
            "id": f"{pid}/m{i}",
            "provider": pid,
            "name": f"{pid}-m{i}",
            "tier": "cheap" if i == 1 else "mid",
            "input_per_1m": "0.5",
            "output_per_1m": "1.5",
            "context_window": 16000,
            "max_output": 2000,
            "capabilities": ["tools", "json", "json_schema", "streaming"],
            "price_date": "2025-01-01",
            "price_source": "test",
        }
        for pid in providers
        for i in (1, 2)
    ]
    return {"providers": providers, "models": models}


@pytest.fixture(scope="module")
def wire_server() -> Iterator[WireServer]:
    with WireServer() as server:
        yield server


@pytest.fixture
def wire(wire_server: WireServer, monkeypatch: pytest.MonkeyPatch) -> WireServer:
    wire_server.reset()
    monkeypatch.setenv("WIRE_KEY", WIRE_KEY)
    monkeypatch.setenv("WIRE_ANTHROPIC_KEY", WIRE_ANTHROPIC_KEY)
    return wire_server


@pytest.fixture
def wire_catalog(wire: WireServer) -> Catalog:
    return Catalog.load(wire_catalog_data(wire.openai_base), base=Catalog.empty())


@pytest.fixture
def registry(wire_catalog: Catalog) -> Iterator[ProviderRegistry]:
    reg = ProviderRegistry(wire_catalog)
    yield reg
    reg.close()


class FakeSleep:
    """Records the delays the executor asks for and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.delays.append(seconds)
