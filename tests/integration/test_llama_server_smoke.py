from __future__ import annotations

import httpx
import pytest

from tests.servers.llama_server import llama_server


@pytest.mark.slow
@pytest.mark.local_model
def test_llama_server_answers_on_loopback() -> None:
    with llama_server() as base:
        r = httpx.post(
            f"{base}/chat/completions",
            json={
                "model": "smollm2-135m-instruct",
                "messages": [{"role": "user", "content": "Say hi"}],
                "max_tokens": 8,
                "temperature": 0,
            },
            timeout=60,
        )
    assert r.status_code == 200
    body = r.json()
    assert body["choices"][0]["message"]["content"]
    assert body["usage"]["completion_tokens"] >= 1
