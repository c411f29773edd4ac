"""The gateway learns: per (model, task) outcomes in the adaptive memory, explicit feedback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from a3m_integrations.catalog import Catalog
from a3m_integrations.errors import ConfigError, InvalidRequest
from a3m_integrations.gateway import A3MGateway
from a3m_integrations.memory import ModelMemory
from a3m_integrations.providers.registry import ProviderRegistry
from a3m_integrations.resilience.executor import Executor
from tests.integration.conftest import FakeSleep, wire_catalog_data
from tests.servers.wire import WireServer

POOL = ["wire-openai/m1", "wire-anthropic/m1", "wire-openai/m2"]


def make(registry: ProviderRegistry, catalog: Catalog, memory: ModelMemory | None, **kwargs: object) -> A3MGateway:
    sleep = FakeSleep()
    return A3MGateway(
        catalog=catalog,
        executor=Executor(registry, catalog, sleep=sleep, asleep=sleep.asleep),
        pool=POOL,
        memory=memory,
        **kwargs,  # type: ignore[arg-type]
    )


def test_calls_and_failures_are_remembered_per_model_and_task(
    registry: ProviderRegistry, wire_catalog: Catalog, wire: WireServer
) -> None:
    memory = ModelMemory()
    gw = make(registry, wire_catalog, memory)
    answer = gw.chat("Write a Python function to reverse a string")
    task = answer.metadata["task"]
    assert task == "code"
    profile = memory.profile(answer.model, task)
    assert profile is not None and profile.latency_observations == 1 and profile.errors == 0
    primary = answer.model
    wire.faults.push(wire_catalog.model(primary).name, "401")  # never retried: falls back at once
    second = gw.chat("Write a Python function to reverse a list")
    assert second.model != primary
    failed = memory.profile(primary, task)
    assert failed is not None and failed.errors == 1 and failed.quality == 0.0


def test_feedback_by_answer_and_by_request_id(registry: ProviderRegistry, wire_catalog: Catalog) -> None:
    memory = ModelMemory()
    gw = make(registry, wire_catalog, memory)
    answer = gw.chat("Summarize the plot of Hamlet")
    gw.feedback(answer, 1.0)
    gw.feedback(answer.metadata["request_id"], 0.5)
    profile = memory.profile(answer.model, answer.metadata["task"])
    assert profile is not None and profile.observations == 2
    assert profile.quality == pytest.approx(0.2 * 0.5 + 0.8 * 1.0)  # EMA, alpha 0.2
    with pytest.raises(InvalidRequest, match="no recent request"):
        gw.feedback("not-a-request-id", 0.5)
    with pytest.raises(InvalidRequest, match="within"):
        gw.feedback(answer, 1.5)
    with pytest.raises(ConfigError, match="memory"):
        make(registry, wire_catalog, None).feedback(answer, 1.0)


def test_memory_and_adaptive_router_from_config(wire: WireServer, tmp_path: Path) -> None:
    (tmp_path / "models.json").write_text(json.dumps(wire_catalog_data(wire.openai_base)))
    (tmp_path / "a3m.json").write_text(
        json.dumps(
            {
                "catalog": ["models.json"],
                "pool": POOL,
                "memory": {"path": "memory.sqlite3", "min_observations": 2},
                "router": {"name": "adaptive", "router": "heuristic"},
            }
        )
    )
    with A3MGateway.from_config(tmp_path / "a3m.json") as gw:
        first = gw.chat("hello there")
        for _ in range(3):
            gw.feedback(first, 0.0)
        assert gw.memory is not None and gw.router.memory is gw.memory  # type: ignore[attr-defined]
        again = gw.route("hello there")
        assert again.model != first.model  # three bad marks moved the model down the candidates
        assert first.model in again.fallbacks
    assert (tmp_path / "memory.sqlite3").exists()
    reopened = ModelMemory(tmp_path / "memory.sqlite3")
    profile = reopened.profile(first.model, first.metadata["task"])
    assert profile is not None and profile.observations == 3 and profile.quality == 0.0
