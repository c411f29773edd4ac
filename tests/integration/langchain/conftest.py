"""Fixtures for the LangChain integration tests: the wire server and a gateway over wire/cheap and wire/premium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from a3m_integrations.events import Event
from a3m_integrations.gateway import A3MGateway
from langchain_a3m import A3MChatModel
from tests.integration.langchain.wire_setup import wire_gateway
from tests.servers.wire import WireServer


@pytest.fixture(scope="module")
def lc_wire_server() -> Iterator[WireServer]:
    with WireServer() as server:
        yield server


@pytest.fixture
def lc_wire(lc_wire_server: WireServer) -> WireServer:
    lc_wire_server.reset()
    return lc_wire_server


@pytest.fixture
def events() -> list[Event]:
    return []


@pytest.fixture
def gateway(lc_wire: WireServer, events: list[Event]) -> Iterator[A3MGateway]:
    gw = wire_gateway(lc_wire.openai_base, listeners=[events.append])
    yield gw
    gw.close()


@pytest.fixture
def llm(gateway: A3MGateway) -> A3MChatModel:
    return A3MChatModel(gateway=gateway)
