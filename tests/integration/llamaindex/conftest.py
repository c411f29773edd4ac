"""Fixtures for the LlamaIndex integration tests: a gateway over the loopback wire server.

The pool has one model per wire format: `wire-openai/m1` (tier cheap, OpenAI format) and
`wire-anthropic/m2` (tier mid, Anthropic format), so simple prompts take the OpenAI path and
hard ones the Anthropic path. Retries wait on a FakeSleep, so fault tests take no time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from llama_index.core import Settings

from a3m_integrations.catalog import Catalog
from a3m_integrations.gateway import A3MGateway
from a3m_integrations.providers.registry import ProviderRegistry
from a3m_integrations.resilience.executor import Executor
from llamaindex_a3m import A3MLLM, A3MCostTracker
from tests.integration.conftest import FakeSleep

POOL = ["wire-openai/m1", "wire-anthropic/m2"]
#: A prompt the heuristic router sends to the mid tier (wire-anthropic/m2).
HARD = "Analyze the indemnification and liability exposure in this merger agreement and design a negotiation strategy"


@pytest.fixture
def gateway(wire_catalog: Catalog) -> Iterator[A3MGateway]:
    sleep = FakeSleep()
    executor = Executor(ProviderRegistry(wire_catalog), wire_catalog, sleep=sleep, asleep=sleep.asleep)
    gw = A3MGateway(catalog=wire_catalog, executor=executor, pool=POOL, baseline_model=None)
    yield gw
    gw.close()


@pytest.fixture
def llm(gateway: A3MGateway) -> A3MLLM:
    return A3MLLM(gateway, user="alice", team="research")


@pytest.fixture
def tracker(wire_catalog: Catalog) -> Iterator[A3MCostTracker]:
    with A3MCostTracker(wire_catalog) as t:
        yield t


@pytest.fixture
def settings() -> Iterator[Any]:
    """LlamaIndex's global Settings, restored after the test."""
    saved = (Settings._llm, Settings._embed_model)
    yield Settings
    Settings._llm, Settings._embed_model = saved
