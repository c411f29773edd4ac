"""The LlamaIndex examples, each run as a user would run it, in its own process, offline."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _run(name: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_BASE_URL"))}
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / f"{name}.py")],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


pytestmark = [pytest.mark.slow, pytest.mark.local_model]


def test_query_engine_example() -> None:
    out = _run("llamaindex_query_engine")
    assert "source:   The fire assembly point is the north car park" in out
    assert "source:   Expense reports are due on the fifth working day" in out
    assert out.count("model:    local/smollm2-135m-instruct (tier free") == 2
    costs = re.findall(r"cost:     \$0 \(gpt-4o would have cost \$([0-9.]+)\)", out)
    assert len(costs) == 2 and all(float(c) > 0 for c in costs)


def test_router_query_engine_example() -> None:
    out = _run("llamaindex_router_query_engine")
    routes = re.findall(r"  -> (\w+):", out)
    assert routes == ["legal_notes", "cooking_notes", "legal_notes", "cooking_notes"]
    assert "4 questions, 4 LLM calls" in out


def test_agent_example() -> None:
    out = _run("llamaindex_agent")
    lines = out.splitlines()
    assert lines[1] == "  [gateway] -> local/smollm2-135m-instruct (free)"
    assert "  tool: multiply({'a': 6, 'b': 7}) = 42" in lines
    assert "  final: The tool results: multiply returned 42." in lines
    assert out.count("[gateway] -> loopback/tool-model (cheap)") == 2


def test_cost_tracking_example() -> None:
    out = _run("llamaindex_cost_tracking")
    rows = [line for line in out.splitlines() if line.startswith(("call ", "stream "))]
    assert len(rows) == 4
    assert re.match(r"stream local/smollm2-135m-instruct +user=bob +\d+ in +[1-9]\d* out +\$0 +\(a3m\)", rows[1])
    assert re.match(r"stream openai/gpt-4o-mini +user=carol +[1-9]\d* in +[1-9]\d* out +\$0\.\d+ +\(counted\)", rows[3])
    assert "total: 4 calls" in out
    tokens = int(re.search(r"TokenCountingHandler \(offline tokenizer\): (\d+) tokens", out).group(1))  # type: ignore[union-attr]
    assert tokens > 0
