"""`a3m health` against the loopback wire server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from a3m_integrations.cli import main
from tests.integration.conftest import wire_catalog_data
from tests.servers.wire import WireServer

ONLY = ["--provider", "wire-openai", "--provider", "wire-anthropic"]


@pytest.fixture
def catalog_file(wire: WireServer, tmp_path: Path) -> str:
    path = tmp_path / "wire_catalog.json"
    path.write_text(json.dumps(wire_catalog_data(wire.openai_base)))
    return str(path)


def test_health_probe_json(wire: WireServer, catalog_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    wire.faults.always("wire-anthropic-m1", "503")
    code = main(["health", "--probe", "--json", "--catalog", catalog_file, *ONLY])
    out = json.loads(capsys.readouterr().out)
    rows = {r["provider"]: r for r in out["providers"]}
    assert code == 1  # a probe failed
    assert rows["wire-openai"]["configured"]
    assert rows["wire-openai"]["probe"]["ok"]
    assert rows["wire-openai"]["score"] == 1.0
    assert rows["wire-openai"]["breakers"]["wire-openai/m1"]["state"] == "closed"
    bad = rows["wire-anthropic"]
    assert not bad["probe"]["ok"]
    assert "ServerError" in bad["probe"]["error"]
    assert bad["last_error"].startswith("ServerError")
    assert "503" in bad["last_error"]
    assert bad["score"] < 0.5
    assert not bad["healthy"]
    assert [r.model for r in wire.requests] == ["wire-openai-m1", "wire-anthropic-m1"]  # one attempt each


def test_health_table_without_probe(catalog_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["health", "--catalog", catalog_file, *ONLY]) == 0
    out = capsys.readouterr().out
    assert "provider" in out
    assert "wire-openai" in out
    assert "--probe" in out


def test_health_unconfigured_provider_is_reported_not_probed(
    wire: WireServer, catalog_file: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WIRE_ANTHROPIC_KEY")
    assert main(["health", "--probe", "--json", "--catalog", catalog_file, *ONLY]) == 0
    rows = {r["provider"]: r for r in json.loads(capsys.readouterr().out)["providers"]}
    assert not rows["wire-anthropic"]["configured"]
    assert rows["wire-anthropic"]["probe"] is None
    assert [r.model for r in wire.requests] == ["wire-openai-m1"]


def test_health_bad_input(catalog_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["health", "--bogus"]) == 2
    assert main(["health", "--catalog", catalog_file, "--provider", "nope"]) == 1
    assert "unknown provider 'nope'" in capsys.readouterr().err
    assert main(["health", "--timeout", "0"]) == 1
