"""Provider options given to the registry (or a gateway config's `providers:` section).

A key or base URL given in a provider's options makes it usable exactly like a key in the
environment; the local provider takes its own options; unknown names fail at construction.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest

from a3m_integrations.catalog import Catalog
from a3m_integrations.errors import AuthError, ConfigError
from a3m_integrations.providers import registry as registry_module
from a3m_integrations.providers._http import HTTPProvider
from a3m_integrations.providers.local import LocalProvider
from a3m_integrations.providers.registry import HTTP_OPTIONS, LOCAL_OPTIONS, ProviderRegistry
from a3m_integrations.types import ChatRequest
from tests.integration.conftest import wire_catalog_data
from tests.servers.wire import WireServer

OPTIONS_KEY = "sk-from-options-0123456789"


@pytest.fixture
def keyed_server() -> Iterator[WireServer]:
    with WireServer(record_secrets=True) as server:
        yield server


def _catalog(server: WireServer) -> Catalog:
    return Catalog.load(wire_catalog_data(server.openai_base), base=Catalog.empty())


def test_option_names_match_the_provider_signatures() -> None:
    http = set(inspect.signature(HTTPProvider.__init__).parameters) - {"self", "info"}
    local = set(inspect.signature(LocalProvider.__init__).parameters) - {"self", "info"}
    assert http == HTTP_OPTIONS
    assert local == LOCAL_OPTIONS


def test_api_key_in_options_configures_the_provider_without_the_env(
    keyed_server: WireServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WIRE_KEY", raising=False)
    catalog = _catalog(keyed_server)
    bare = ProviderRegistry(catalog)
    assert not bare.is_configured("wire-openai")
    with pytest.raises(AuthError, match="WIRE_KEY"):
        bare.get("wire-openai")

    with ProviderRegistry(catalog, provider_options={"wire-openai": {"api_key": OPTIONS_KEY}}) as reg:
        assert reg.is_configured("wire-openai")
        assert "wire-openai" in reg.configured()
        assert not reg.is_configured("wire-deepseek")  # other providers still need their key
        answer = reg.get("wire-openai").chat(ChatRequest.of("Say hi."), catalog.model("wire-openai/m1"))
        assert answer.text
        assert OPTIONS_KEY not in repr(reg) and OPTIONS_KEY not in repr(reg.get("wire-openai"))
    sent = keyed_server.requests[-1].headers
    assert {k.lower(): v for k, v in sent.items()}["authorization"] == f"Bearer {OPTIONS_KEY}"


def test_base_url_in_options_fills_a_placeholder_url(keyed_server: WireServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIRE_KEY", OPTIONS_KEY)
    data = wire_catalog_data("https://{resource}.example.invalid/v1")
    catalog = Catalog.load(data, base=Catalog.empty())
    assert not ProviderRegistry(catalog).is_configured("wire-openai")
    with pytest.raises(ConfigError, match="placeholders"):
        ProviderRegistry(catalog).get("wire-openai")
    with ProviderRegistry(catalog, provider_options={"wire-openai": {"base_url": keyed_server.openai_base}}) as reg:
        assert reg.is_configured("wire-openai")
        assert reg.get("wire-openai").chat(ChatRequest.of("Hello"), catalog.model("wire-openai/m2")).text


def test_unknown_option_names_fail_at_construction(keyed_server: WireServer) -> None:
    catalog = _catalog(keyed_server)
    with pytest.raises(ConfigError, match="max_conections") as bad_name:
        ProviderRegistry(catalog, provider_options={"wire-openai": {"max_conections": 3}})
    assert "max_connections" in str(bad_name.value)  # the hint lists what is allowed
    with pytest.raises(ConfigError, match="not a provider in the catalog"):
        ProviderRegistry(catalog, provider_options={"wire-opneai": {"timeout": 3}})
    with pytest.raises(ConfigError, match="n_threads"):
        ProviderRegistry(catalog, options={"n_threads": 2})  # a local option among the HTTP ones


def test_local_provider_takes_its_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF")  # never loaded here: building the provider does not load the model
    real = registry_module.importlib.util.find_spec  # llama-cpp-python need not be installed for this test
    monkeypatch.setattr(
        registry_module.importlib.util,
        "find_spec",
        lambda name, package=None: object() if name == "llama_cpp" else real(name, package),
    )
    catalog = Catalog.default()
    options = {"local": {"model_path": str(model), "n_threads": 1, "n_ctx": 512, "timeout": 5.0}}
    with ProviderRegistry(catalog, provider_options=options) as reg:
        assert reg.is_configured("local")
        provider = reg.get("local")
    assert isinstance(provider, LocalProvider)
    assert (provider.n_threads, provider.n_ctx, provider.timeout) == (1, 512, 5.0)
    assert str(model) in repr(provider)
    missing = {"local": {"model_path": str(tmp_path / "absent.gguf")}}
    assert not ProviderRegistry(catalog, provider_options=missing).is_configured("local")
    with pytest.raises(ConfigError, match="max_connections"):
        ProviderRegistry(catalog, provider_options={"local": {"max_connections": 4}})
