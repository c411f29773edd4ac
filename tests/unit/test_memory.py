from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from a3m_integrations.errors import ConfigError, InvalidRequest
from a3m_integrations.memory import ALL_TASKS, ModelMemory, build_memory
from a3m_integrations.routing.adaptive import AdaptiveRouter
from a3m_integrations.routing.heuristic import HeuristicRouter
from a3m_integrations.types import ChatRequest, RequestContext, RoutingDecision


def test_ema_with_alpha_point_two() -> None:
    mem = ModelMemory()
    assert mem.feedback("m", "code", 1.0).quality == pytest.approx(1.0)  # the first sample sets it
    assert mem.feedback("m", "code", 0.0).quality == pytest.approx(0.8)
    p = mem.feedback("m", "code", 0.0)
    assert p.quality == pytest.approx(0.64) and p.observations == 3
    assert mem.profile("m", ALL_TASKS).quality == pytest.approx(0.64)  # the all-task row follows
    mem.feedback("m", "chat", 1.0)
    assert mem.profile("m", "code").quality == pytest.approx(0.64)
    assert mem.profile("m", ALL_TASKS).quality == pytest.approx(0.8 * 0.64 + 0.2)


def test_implicit_signals() -> None:
    mem = ModelMemory(alpha=0.5)
    mem.record("m", "t", success=1.0, latency_ms=100.0)
    p = mem.record("m", "t", error=True, latency_ms=300.0)
    assert p.quality == pytest.approx(0.5) and p.errors == 1 and p.latency_ms == pytest.approx(200.0)
    p = mem.record("m", "t", latency_ms=100.0)  # latency only: quality untouched
    assert p.quality == pytest.approx(0.5) and p.observations == 2 and p.latency_observations == 3
    assert mem.latency("m", "t") == pytest.approx(150.0)


def test_min_observations_gate_and_fallback_to_all_tasks() -> None:
    mem = ModelMemory(min_observations=3)
    for _ in range(2):
        mem.feedback("m", "code", 1.0)
    assert mem.quality("m", "code") is None
    mem.feedback("m", "chat", 0.0)
    assert mem.quality("m", "code") == (pytest.approx(0.8), 3)  # the all-task row: 1, 1, then 0
    assert mem.quality("m", "code", min_observations=1) == (pytest.approx(1.0), 2)


def test_persists_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "mem" / "memory.sqlite"
    with ModelMemory(path) as mem:
        mem.feedback("openai/gpt-4o", "code", 0.5)
        mem.record("openai/gpt-4o", "code", success=1.0, latency_ms=50.0)
    with ModelMemory(path) as again:
        p = again.profile("openai/gpt-4o", "code")
        assert p is not None and p.quality == pytest.approx(0.6) and p.latency_ms == pytest.approx(50.0)
        assert [q.task for q in again.profiles()] == [ALL_TASKS, "code"]
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ConfigError, match="memory database"):
        ModelMemory(bad)


def test_bad_values() -> None:
    mem = ModelMemory()
    with pytest.raises(InvalidRequest):
        mem.feedback("m", "t", 1.5)
    with pytest.raises(InvalidRequest):
        mem.record("m", "t", success=float("nan"))
    with pytest.raises(InvalidRequest):
        mem.record("m", "t", latency_ms=-1.0)
    with pytest.raises(InvalidRequest):
        mem.feedback("", "t", 1.0)
    with pytest.raises(ConfigError):
        ModelMemory(alpha=0.0)


async def test_async_twins() -> None:
    mem = ModelMemory()
    await mem.arecord("m", "t", success=1.0)
    p = await mem.afeedback("m", "t", 0.0)
    assert p.quality == pytest.approx(0.8) and p.observations == 2


class Fixed:
    """A router that always gives the same decision (the thing AdaptiveRouter wraps)."""

    name = "fixed"

    def route(self, request: ChatRequest, context: RequestContext | None = None) -> RoutingDecision:
        return RoutingDecision(
            "openai/gpt-4o-mini", "openai", "mid", 0.3, fallbacks=("openai/gpt-4o", "google/gemini-2.0-flash")
        )


def test_adaptive_router_reranks_only_with_enough_evidence() -> None:
    mem = ModelMemory(min_observations=3)
    router = AdaptiveRouter(Fixed(), mem, weight=0.5)
    request = ChatRequest.of("hello")
    assert router.route(request).model == "openai/gpt-4o-mini"
    for _ in range(2):
        mem.record("openai/gpt-4o-mini", None, error=True)
    assert router.route(request).model == "openai/gpt-4o-mini"  # two samples: not enough yet
    mem.record("openai/gpt-4o-mini", None, error=True)
    d = router.route(request)
    assert d.model == "openai/gpt-4o" and d.fallbacks == ("google/gemini-2.0-flash", "openai/gpt-4o-mini")
    assert "remembered quality 0.00 over 3" in d.reasons[-1] and d.provider == "openai"
    assert d.scores["openai/gpt-4o-mini"] == pytest.approx(0.5)  # (1 - 0.5) * 1.0 + 0.5 * 0.0
    ctx = RequestContext(route="support")
    for _ in range(3):
        mem.feedback("openai/gpt-4o-mini", "support", 1.0)
    assert router.route(request, ctx).model == "openai/gpt-4o-mini"  # the task's own row wins
    with pytest.raises(ConfigError):
        AdaptiveRouter(Fixed(), mem, weight=1.5)


def test_adaptive_wraps_the_heuristic_by_name(tmp_path: Path) -> None:
    router = AdaptiveRouter("heuristic", str(tmp_path / "m.sqlite"), pool="all", fallbacks=1)
    assert isinstance(router.router, HeuristicRouter) and router.memory.path.endswith("m.sqlite")
    assert len(router.route(ChatRequest.of("hello")).fallbacks) == 1
    with pytest.raises(ConfigError, match="need a router name"):
        AdaptiveRouter(Fixed(), pool="all")
    same = HeuristicRouter(pool="all", fallbacks=1).route(ChatRequest.of("What is 2+2?")).model
    assert router.route(ChatRequest.of("What is 2+2?")).model == same


def test_sqlite_file_holds_one_row_per_model_and_task(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite"
    with ModelMemory(path) as mem:
        mem.feedback("a", "x", 1.0)
        mem.feedback("a", "y", 1.0)
    rows = sqlite3.connect(path).execute("SELECT model, task FROM profiles ORDER BY task").fetchall()
    assert rows == [("a", ALL_TASKS), ("a", "x"), ("a", "y")]


def test_gateway_config_section(tmp_path: Path) -> None:
    mem = build_memory({"path": "m.sqlite3", "alpha": 0.5, "min_observations": 2}, base_dir=str(tmp_path))
    assert mem.alpha == 0.5 and mem.min_observations == 2 and (tmp_path / "m.sqlite3").is_file()
    mem.close()
    assert build_memory(":memory:").path == ":memory:"
    with pytest.raises(ConfigError, match="unknown memory setting"):
        build_memory({"pth": "x"})
