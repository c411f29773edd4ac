"""The LangChain examples run as users run them: each script in a subprocess, offline on the local model.

The agent example also runs with A3M_CONFIG naming a gateway config over the wire server, where its
planner has tool-capable models and really calls the tools.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.langchain.wire_setup import WIRE_LC_KEY
from tests.servers.wire import WireServer

ROOT = Path(__file__).resolve().parents[3]


def _run(script: str, extra_env: dict[str, str] | None = None, timeout: float = 600) -> str:
    env = {
        k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_API_TOKEN")) and not k.startswith("A3M_")
    }
    env.update({"PYTHONPATH": str(ROOT), **(extra_env or {})})
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / script)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.slow
@pytest.mark.local_model
def test_chain_example_offline() -> None:
    out = _run("langchain_chain.py")
    assert out.count("model     local/smollm2-135m-instruct (free)") == 2
    assert "saved $" in out and "answer    " in out
    assert re.search(r"chain with a parser returns text of [1-9]\d* characters: \S", out)


@pytest.mark.slow
@pytest.mark.local_model
def test_cost_callback_example_offline() -> None:
    out = _run("langchain_cost_callback.py")
    assert "Requests: 3" in out
    assert "local/smollm2-135m-instruct" in out and "alice" in out and "bob" in out
    assert "requests 2" in out  # alice asked twice


@pytest.mark.slow
@pytest.mark.local_model
def test_budgets_example_offline() -> None:
    out = _run("langchain_budgets.py")
    alice, bob = out.split("user bob")
    assert "refused" in alice and "would be exceeded" in alice and "ALERT user:alice daily" in alice
    assert "refused" not in bob and bob.count("answered") == 2


@pytest.mark.slow
@pytest.mark.local_model
def test_agent_example_offline() -> None:
    out = _run("langchain_agent.py")
    assert "planner tools: off" in out
    assert "branch quick; model local/smollm2-135m-instruct" in out
    assert "branch planner; model local/smollm2-135m-instruct" in out


def test_agent_example_with_a_gateway_config_calls_tools(tmp_path: Path) -> None:
    with WireServer() as server:
        models = [
            {
                "id": f"wire/{name}",
                "provider": "wire",
                "name": f"wire-{name}",
                "tier": tier,
                "input_per_1m": price,
                "output_per_1m": price,
                "context_window": 32000,
                "max_output": 4000,
                "capabilities": ["tools", "streaming"],
                "price_date": "2025-01-01",
                "price_source": "test",
            }
            for name, tier, price in (("cheap", "cheap", "0.2"), ("premium", "premium", "5"))
        ]
        providers = {"wire": {"api": "openai", "base_url": server.openai_base, "api_key_env": "WIRE_LC_KEY"}}
        (tmp_path / "models.json").write_text(json.dumps({"providers": providers, "models": models}))
        config = {"catalog": ["models.json"], "pool": ["wire/cheap", "wire/premium"], "baseline_model": "wire/premium"}
        (tmp_path / "a3m.json").write_text(json.dumps(config))
        out = _run("langchain_agent.py", {"A3M_CONFIG": str(tmp_path / "a3m.json"), "WIRE_LC_KEY": WIRE_LC_KEY})
        assert "planner tools: on" in out
        assert "branch quick; model wire/cheap (cheap); tools none" in out
        assert "branch planner; model wire/premium (premium); tools ['get_weather']" in out
        assert "get_weather returned windy, 18C" in out
        assert [r.model for r in server.requests] == ["wire-cheap", "wire-premium", "wire-premium"]
