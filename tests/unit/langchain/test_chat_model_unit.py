"""A3MChatModel without a server: request building, identity hooks, validation, lazy gateway, exports."""

from __future__ import annotations

import importlib
import subprocess
import sys
import threading

import pytest
from langchain_core.messages import HumanMessage
from pydantic import ValidationError

import langchain_a3m
from a3m_integrations.errors import ConfigError
from a3m_integrations.gateway import A3MGateway
from langchain_a3m import A3MChatModel


def test_request_builder_merges_instance_and_call_settings() -> None:
    llm = A3MChatModel(model="auto", temperature=0.2, max_tokens=50, stop=["X"], model_kwargs={"user_tag": "t"})
    request = llm._get_request(
        [HumanMessage("hi")],
        None,
        {
            "temperature": 0.7,
            "tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}],
            "tool_choice": "f",
            "stream": True,
            "ls_structured_output_format": {},
            "parallel_tool_calls": False,
        },
    )
    assert request.model is None  # auto routes
    assert (request.temperature, request.max_tokens, request.stop) == (0.7, 50, ("X",))
    assert [t.name for t in request.tools] == ["f"] and request.tool_choice == "f"
    assert dict(request.extra) == {"user_tag": "t", "parallel_tool_calls": False}  # framework kwargs dropped
    pinned = A3MChatModel(model="openai/gpt-4o-mini")._get_request([HumanMessage("hi")], [], {"model": "x/y"})
    assert pinned.model == "x/y" and pinned.stop == ()


def test_identity_hooks() -> None:
    llm = A3MChatModel(temperature=0.1, max_tokens=9, stop=["s"])
    assert llm._llm_type == "a3m-chat"
    params = llm._identifying_params
    assert params["model_name"] == "auto" and params["temperature"] == 0.1 and params["gateway"] == "default"
    assert params != A3MChatModel(temperature=0.2, max_tokens=9, stop=["s"])._identifying_params
    ls = llm._get_ls_params(model="m/override")
    assert ls == {
        "ls_provider": "a3m",
        "ls_model_name": "m/override",
        "ls_model_type": "chat",
        "ls_temperature": 0.1,
        "ls_max_tokens": 9,
        "ls_stop": ["s"],
    }
    assert A3MChatModel(config="gw.yaml")._identifying_params["gateway"] == "config:'gw.yaml'"
    assert llm.lc_secrets == {"api_key": "A3M_API_KEY"} and not A3MChatModel.is_lc_serializable()


def test_validation_is_strict_and_clear() -> None:
    with pytest.raises(ValidationError, match="tempreature"):
        A3MChatModel(tempreature=0.5)  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        A3MChatModel(temperature=3.0)
    with pytest.raises(ValidationError):
        A3MChatModel(max_tokens=0)


def test_config_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("A3M_CONFIG", "/etc/a3m.yaml")
    assert A3MChatModel().config == "/etc/a3m.yaml"
    assert A3MChatModel(config={"router": "heuristic"}).config == {"router": "heuristic"}


def test_gateway_is_built_once_lazily_and_thread_safely(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[object] = []

    def fake_build(*args: object) -> object:
        built.append(args)
        return object()

    monkeypatch.setattr("langchain_a3m.chat_models.build_gateway", fake_build)
    llm = A3MChatModel(config={"router": "heuristic"})
    assert built == []  # nothing at construction
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(llm.get_gateway())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert len(built) == 1 and len({id(r) for r in results}) == 1
    given = A3MChatModel(gateway=A3MGateway.__new__(A3MGateway))
    assert given.get_gateway() is given.gateway


def test_missing_providers_surface_as_config_error_on_first_call(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv("A3M_LOCAL_MODEL", "/nonexistent/model.gguf")
    with pytest.raises(ConfigError, match="no provider can be called"):
        A3MChatModel().invoke("hi")


def test_exports_are_pinned_and_lazy() -> None:
    assert langchain_a3m.__all__ == [
        "A3MChatModel",
        "A3MCostCallbackHandler",
        "A3MGuardrail",
        "A3MRouterRunnable",
        "A3MSemanticCache",
        "LangChainProvider",
        "get_a3m_callback",
        "route_branch",
    ]
    for name in langchain_a3m.__all__:
        assert getattr(langchain_a3m, name) is getattr(importlib.import_module(langchain_a3m._EXPORTS[name]), name)
    code = (
        "import sys, langchain_a3m; print('langchain_a3m.chat_models' in sys.modules, 'langchain_core' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.split() == ["False", "False"]
