"""A process killed (SIGKILL) in the middle of writing leaves a cache that opens and serves what was committed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from a3m_integrations.cache import SemanticCache
from a3m_integrations.types import ChatRequest, Message, RequestContext

CHILD = """
import sys
from a3m_integrations.cache import SemanticCache
from a3m_integrations.types import ChatRequest, ChatResponse, Message, RequestContext
cache = SemanticCache(sys.argv[1])
ctx = RequestContext(user="crash")
for i in range(200_000):
    cache.store(ChatRequest(messages=(Message.user(f"What is fact {i} about crashes?"),)), ctx,
                ChatResponse(message=Message.assistant(f"fact {i}"), model="m"))
    if i == 30:
        print("ready", flush=True)
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_sigkill_mid_write_loses_nothing_committed(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path)], stdout=subprocess.PIPE, env=env, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(0.3)  # let it write more; it is mid-transaction most of the time
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        if proc.stdout:
            proc.stdout.close()
    cache = SemanticCache(tmp_path, on_corrupt="raise")
    n = len(cache)
    assert n > 30
    assert cache.stats()["vectors"] == n
    ctx = RequestContext(user="crash")
    for i in (0, n // 2, n - 1):
        hit = cache.lookup(ChatRequest(messages=(Message.user(f"What is fact {i} about crashes?"),)), ctx)
        assert hit is not None and hit.response.text == f"fact {i}"
    assert cache.lookup(ChatRequest(messages=(Message.user(f"What is fact {n} about crashes?"),)), ctx) is None
    cache.close()
