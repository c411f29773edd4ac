from __future__ import annotations

import copy
import logging

import pytest

from a3m_integrations._secrets import Secret, scrub
from a3m_integrations.events import Event, EventBus


def test_secret_never_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_TEST_KEY", "sk-very-secret-123")
    s = Secret.from_env("X_TEST_KEY")
    assert s is not None
    for shown in (repr(s), str(s), f"{s}", f"{s!r}", str([s]), repr(copy.deepcopy(s))):
        assert "sk-very-secret-123" not in shown
    assert s.get_secret_value() == "sk-very-secret-123"
    assert Secret.from_env("X_UNSET_KEY") is None
    assert scrub("bearer sk-very-secret-123 failed", [s]) == "bearer ********** failed"


def test_event_bus_isolates_failing_listeners(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[Event] = []

    def bad(event: Event) -> None:
        raise RuntimeError("listener bug")

    bus = EventBus([bad, seen.append])
    with caplog.at_level(logging.ERROR):
        bus.emit("routed", "r1", model="m")
    assert [(e.kind, e.request_id, e.data["model"]) for e in seen] == [("routed", "r1", "m")]
    assert "listener" in caplog.text
