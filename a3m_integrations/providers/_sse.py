"""Server-sent events: an incremental, pure decoder fed one line at a time (no I/O)."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["SSEDecoder", "SSEEvent"]


class SSEEvent(NamedTuple):
    """One event: its name ('message' when unnamed) and its data lines joined by newlines."""

    event: str
    data: str


_new_event = tuple.__new__


class SSEDecoder:
    """Turns lines (without their line endings) into events; a blank line ends an event.

    Comment lines (starting with ':') and fields other than `event` and `data` are ignored, as the
    SSE specification says. `flush()` returns an event left open when the stream ended.
    """

    __slots__ = ("_data", "_event")

    def __init__(self) -> None:
        self._event = ""
        self._data: list[str] = []

    def feed(self, line: str) -> SSEEvent | None:
        """Take one line; return the event it completes, if any."""
        if not line:
            return self.flush()
        if line.startswith("data:"):  # the common case first
            self._data.append(line[6:] if line[5:6] == " " else line[5:])
            return None
        if line[0] == ":":
            return None
        name, _, value = line.partition(":")
        if value[:1] == " ":
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        return None

    def flush(self) -> SSEEvent | None:
        """The pending event, if it has data (called on a blank line and at the end of the stream)."""
        lines = self._data
        if not lines:
            self._event = ""
            return None
        data = lines[0] if len(lines) == 1 else "\n".join(lines)
        event = _new_event(SSEEvent, (self._event or "message", data))  # SSEEvent(...) without its Python __new__
        self._event = ""
        self._data = []
        return event
