from __future__ import annotations

import io
import json
import sys

import pytest

from a3m_integrations.cli import COMMANDS, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_route_prints_the_decision(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "route", "Design a clinical trial protocol for a novel oncology drug")
    assert code == 0
    assert "premium" in out and "fallbacks" in out and "medical" in out and "saved" not in out.lower()


def test_route_json_has_the_whole_decision(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "route", "What is 2+2?", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["tier"] == "free" and data["model"] == "local/smollm2-135m-instruct"
    assert set(data) >= {"model", "provider", "tier", "complexity", "estimated_cost", "reasons", "fallbacks"}
    assert data["baseline"]["model"] == "openai/gpt-4o"


def test_route_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "route", "hi", "--tools", "2", "--pool", "openai/gpt-4o-mini,openai/gpt-4o", "--json")
    assert code == 0 and json.loads(out)["model"] == "openai/gpt-4o-mini"
    code, _, err = run(capsys, "route", "hi", "--tier-cuts", "a,b,c")
    assert code == 1 and "tier-cuts" in err


def test_route_reads_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Write a SQL query for the top 10 customers\n"))
    code, out, _ = run(capsys, "route", "-", "--json")
    assert code == 0 and json.loads(out)["tier"] == "cheap"


def test_analyze_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "analyze", "Write a Python function to reverse a string", "--json")
    data = json.loads(out)
    assert code == 0 and data["task"] == "code" and data["verb"] == "write"
    assert all({"signal", "delta"} <= set(r) for r in data["reasons"])


def test_models_filters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "models", "--tier", "premium", "--capability", "vision", "--json")
    rows = json.loads(out)
    assert code == 0 and rows and all(r["tier"] == "premium" and "vision" in r["capabilities"] for r in rows)
    code, out, _ = run(capsys, "models", "--provider", "openai")
    assert code == 0 and "openai/gpt-4o" in out
    code, _, err = run(capsys, "models", "--provider", "nobody")
    assert code == 1 and "unknown provider" in err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["route", ""], "prompt is empty"),
        (["route", "   "], "prompt is empty"),
        (["route", "hi", "--bogus"], "unrecognized arguments"),
        (["frobnicate"], "unknown command"),
        (["models", "--tier", "gold"], "invalid choice"),
    ],
)
def test_bad_usage_exits_2_with_a_message(capsys: pytest.CaptureFixture[str], argv: list[str], needle: str) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert needle in err


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert all(name in out for name in COMMANDS)
