"""The api_key never shows: not in str, repr, dumpd, JSON, logs, events, errors or tracebacks."""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.exceptions import ModelAuthenticationError
from langchain_core.load import dumpd, dumps

import a3m_integrations.catalog as catalog_module
from a3m_integrations.errors import AllModelsFailed, AuthError, ConfigError
from langchain_a3m import A3MChatModel
from tests.servers.wire import WireServer

SECRET = "sk-test-DO-NOT-LEAK-5b1f0c9e7d"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo += [x for x in (e.__cause__, e.__context__) if x is not None]
        todo += list(getattr(e, "errors", ()) or ())


def test_key_absent_from_every_rendering_of_the_model() -> None:
    llm = A3MChatModel(model="openai/gpt-4o-mini", api_key=SECRET)
    assert llm.api_key is not None and llm.api_key.get_secret_value() == SECRET
    renderings = [str(llm), repr(llm), dumps(llm), json.dumps(dumpd(llm)), llm.model_dump_json(), str(llm.model_dump())]
    renderings += [str(llm._identifying_params), llm._get_llm_string(), str(llm._get_ls_params())]
    for text in renderings:
        assert SECRET not in text


def test_api_key_rules() -> None:
    with pytest.raises(ConfigError, match="pinned model"):
        A3MChatModel(api_key=SECRET)
    with pytest.raises(ConfigError, match="builds its gateway") as caught:
        A3MChatModel(model="openai/gpt-4o-mini", api_key=SECRET, config={"router": "heuristic"})
    assert SECRET not in str(caught.value)


@pytest.fixture
def openai_at_wire(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WireServer]:
    """The shipped catalog with OpenAI's base_url on a wire server that records (and echoes) secrets."""
    with WireServer(record_secrets=True) as server:
        override = tmp_path / "catalog.json"
        override.write_text(json.dumps({"providers": {"openai": {"base_url": server.openai_base}}}))
        monkeypatch.setenv("A3M_CATALOG", str(override))
        monkeypatch.setenv("A3M_LOCAL_MODEL", str(tmp_path / "no-model.gguf"))  # only OpenAI is configured
        monkeypatch.setattr(catalog_module, "_DEFAULT", None)
        yield server


def test_key_is_sent_and_never_shown_even_when_the_server_echoes_it(
    openai_at_wire: WireServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    llm = A3MChatModel(model="openai/gpt-4o-mini", api_key=SECRET, max_retries=0)
    events: list[object] = []
    llm.get_gateway().add_listener(events.append)
    ok = llm.invoke("hello")
    assert ok.content == "Echo: hello"
    assert openai_at_wire.requests[-1].headers["authorization"] == f"Bearer {SECRET}"  # the key is really used

    openai_at_wire.faults.always("*", "echo-headers")  # 401 whose body quotes the request's headers
    with pytest.raises(ModelAuthenticationError) as caught:
        llm.invoke("hello again")
    error = caught.value
    assert isinstance(error, AllModelsFailed) and all(isinstance(e, AuthError) for e in error.errors)
    rendered = "".join(traceback.format_exception(error))
    for exc in _chain(error):
        rendered += str(exc) + repr(exc) + repr(getattr(exc, "__dict__", {}))
    assert "Authorization: Bearer **********" in rendered  # the server echoed the key; the error scrubbed it
    assert SECRET not in rendered
    assert SECRET not in caplog.text
    assert SECRET not in repr(events)
    assert len(openai_at_wire.requests) >= 2
