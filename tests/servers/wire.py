"""A real HTTP server on 127.0.0.1 that speaks the OpenAI and Anthropic wire formats, with faults.

    with WireServer() as server:
        provider = OpenAICompatibleProvider.from_url(server.openai_base, api_key="sk-test")
        server.faults.push("gpt-test", "503", "429:retry-after=1")   # the next two requests fail
        ...
        assert [r.status for r in server.requests] == [503, 429, 200]

Endpoints (base `server.base_url`):

- `POST /v1/chat/completions`: OpenAI chat completions, plain and streamed (`stream_options.
  include_usage` honoured), tool calls, `response_format` json_object and json_schema;
- `POST /v1/messages`: Anthropic Messages, plain and streamed (message_start ... message_stop),
  system prompt, tool_use / tool_result blocks, usage;
- `GET /v1/models`: a list with one entry per model seen so far;
- control, for other processes: `POST /_control/faults` `{"model": m, "faults": [...], "times": n,
  "always": spec-or-null}`, `POST /_control/reset`, `GET /_control/requests`.

The answers come from a deterministic scripted model (`tests/servers/_scripted.py`); the faults
and how to ask for them are in `tests/servers/_faults.py`. Every request is recorded
(`server.requests`) with its headers, secrets redacted unless `record_secrets=True`.

The server is a `ThreadingHTTPServer` (one thread per connection, HTTP/1.1 keep-alive, chunked
streams) running on its own thread; `stop()` wakes any handler that is hanging on purpose.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.servers._dialects import ANTHROPIC, OPENAI, Dialect, Event
from tests.servers._faults import PROVIDER_BODIES, Fault, FaultBook
from tests.servers._scripted import answer

__all__ = ["SECRET_HEADERS", "RecordedRequest", "WireServer"]

#: Request headers whose values are redacted in the record.
SECRET_HEADERS = frozenset({"authorization", "x-api-key", "api-key", "x-goog-api-key"})


@dataclass
class RecordedRequest:
    """One request the server received and what it did with it."""

    path: str
    model: str
    stream: bool
    headers: dict[str, str]
    body: dict[str, Any]
    fault: str | None
    status: int = 0
    aborted: bool = False
    at: float = field(default_factory=time.monotonic)


def _fault_headers(fault: Fault) -> tuple[tuple[str, str], ...]:
    """A status fault's extra headers; `retry-after-date=N` becomes an HTTP-date N seconds ahead."""
    out = []
    for name, value in fault.headers:
        if name == "retry-after-date":
            out.append(("retry-after", formatdate(time.time() + float(value), usegmt=True)))
        else:
            out.append((name, value))
    return tuple(out)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512
    wire: WireServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that vanish (resets, early closes) are part of the game; anything else is printed."""
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # stream chunks go out at once (no Nagle / delayed-ACK stalls)
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    # -- plumbing ---------------------------------------------------------------------------
    def _json(self, status: int, obj: Any, headers: tuple[tuple[str, str], ...] = ()) -> None:
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _reset(self) -> None:
        """Drop the connection with a TCP reset."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    def _drop(self) -> None:
        """Close the connection cleanly (FIN) in the middle of an answer: the client sees a cut body."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _body(self) -> bytes:
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    # -- routes -----------------------------------------------------------------------------
    def do_GET(self) -> None:
        wire = self.server.wire
        path = self.path.split("?", 1)[0]
        if path.endswith("/models"):
            self._json(
                200, {"object": "list", "data": [{"id": m, "object": "model"} for m in sorted(wire.models_seen)]}
            )
        elif path == "/_control/requests":
            self._json(200, [r.__dict__ for r in wire.requests])
        else:
            self._json(404, {"error": {"message": f"no route {path}", "type": "not_found"}})

    def do_POST(self) -> None:
        wire = self.server.wire
        path = self.path.split("?", 1)[0]
        raw = self._body()
        if path.startswith("/_control/"):
            self._control(path, raw)
            return
        dialect: Dialect | None = OPENAI if path.endswith("/chat/completions") else None
        if path.endswith("/messages"):
            dialect = ANTHROPIC
        if dialect is None:
            self._json(404, {"error": {"message": f"no route {path}", "type": "not_found"}})
            return
        try:
            body = json.loads(raw or b"{}")
            if not isinstance(body, dict):
                raise ValueError("not an object")
        except ValueError as exc:
            self._json(400, dialect.error_body(400, f"request body is not a JSON object: {exc}"))
            return
        model = str(body.get("model") or "")
        try:
            fault = wire.faults.take(model, self.headers.get("x-a3m-fault"))
        except ValueError as exc:
            self._json(400, dialect.error_body(400, str(exc)))
            return
        record = wire._record(self, path, model, body, fault)
        try:
            self._serve(dialect, body, fault, record)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            record.aborted = True
            self.close_connection = True

    def _control(self, path: str, raw: bytes) -> None:
        wire = self.server.wire
        data = json.loads(raw or b"{}")
        if path == "/_control/faults":
            model = str(data.get("model") or "*")
            try:
                if data.get("faults"):
                    wire.faults.push(model, *data["faults"], times=int(data.get("times", 1)))
                if "always" in data:
                    wire.faults.always(model, data["always"])
            except ValueError as exc:
                self._json(400, {"error": {"message": str(exc)}})
                return
            self._json(200, {"ok": True, "pending": wire.faults.pending(model)})
        elif path == "/_control/reset":
            wire.reset()
            self._json(200, {"ok": True})
        else:
            self._json(404, {"error": {"message": f"no control route {path}"}})

    # -- answering --------------------------------------------------------------------------
    def _serve(self, dialect: Dialect, body: Mapping[str, Any], fault: Fault | None, record: RecordedRequest) -> None:
        wire = self.server.wire
        stream = bool(body.get("stream"))
        if fault is not None:
            if fault.kind == "reset":
                record.status = -1
                self._reset()
                return
            if fault.kind == "hang":
                wire._stopping.wait(fault.number)
            elif fault.kind == "status":
                headers = _fault_headers(fault)
                record.status = fault.status
                self._json(fault.status, dialect.error_body(fault.status, f"injected fault {fault.spec}"), headers)
                return
            elif fault.kind == "body":
                status, payload = PROVIDER_BODIES[fault.name]
                record.status = status
                self._json(status, payload)
                return
            elif fault.kind == "echo-headers":
                echoed = "; ".join(f"{k}: {v}" for k, v in self.headers.items())
                record.status = 401
                self._json(401, dialect.error_body(401, f"invalid credentials; request headers were {echoed}"))
                return
        prompt = dialect.prompt(body)
        ans = answer(prompt)
        usage = fault is None or fault.kind != "no-usage"
        if not stream:
            self._plain(dialect.completion(body, prompt, ans, usage=usage), fault, record)
        else:
            self._stream(dialect.events(body, prompt, ans, usage=usage), dialect, fault, record)

    def _plain(self, obj: dict[str, Any], fault: Fault | None, record: RecordedRequest) -> None:
        data = json.dumps(obj).encode()
        record.status = 200
        if fault is not None and fault.kind == "keepalive":
            self._padded(data, fault.number, b"\n")
            return
        if fault is not None and fault.kind == "malformed":
            data = data[: len(data) // 2]
            self._raw(200, data)
            return
        if fault is not None and fault.kind == "cut":
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self._drop()
            return
        self._raw(200, data)

    def _raw(self, status: int, data: bytes) -> None:
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _padded(self, data: bytes, seconds: float, pad: bytes) -> None:
        """200 at once, then `pad` every 50 ms for `seconds`, then `data` (chunked)."""
        wire = self.server.wire
        self.send_response(200)
        self.send_header("content-type", "text/event-stream" if pad.startswith(b":") else "application/json")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            self._chunk(pad)
            if wire._stopping.wait(0.05):
                return
        if data:
            self._chunk(data)
        self.wfile.write(b"0\r\n\r\n")

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%X\r\n%s\r\n" % (len(data), data))

    def _stream(self, events: list[Event], dialect: Dialect, fault: Fault | None, record: RecordedRequest) -> None:
        wire = self.server.wire
        record.status = 200
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        kind = fault.kind if fault is not None else ""
        if kind == "keepalive":
            assert fault is not None
            until = time.monotonic() + fault.number
            while time.monotonic() < until:
                self._chunk(b": keep-alive\n\n")
                if wire._stopping.wait(0.05):
                    return
        limit = int(fault.number) if fault is not None and kind in ("cut", "stream-error") else -1
        delay = fault.number if fault is not None and kind == "slow" else 0.0
        sent = 0
        wire._stream_opened()
        try:
            if kind == "malformed":
                self._chunk(b"data: {this is not json\n\n")
            for event in events:
                if event.content and sent == limit:
                    if kind == "cut":
                        self._drop()
                        return
                    self._chunk(dialect.stream_error("injected in-stream error"))
                    break
                if delay and event.content and wire._stopping.wait(delay):
                    return
                self._chunk(event.data)
                if event.content:
                    sent += 1
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            record.aborted = True
            wire._stream_aborted()
            self.close_connection = True
        finally:
            wire._stream_closed()


class WireServer:
    """The loopback wire server: start it, point providers at `openai_base`/`anthropic_base`, inject faults."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, record_secrets: bool = False) -> None:
        self.host = host
        self.port = port
        self.record_secrets = record_secrets
        self.faults = FaultBook()
        self.models_seen: set[str] = set()
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._open_streams = 0
        self._aborted_streams = 0
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> WireServer:
        """Bind a free port on 127.0.0.1 and serve on a background thread."""
        httpd = _Server((self.host, self.port), _Handler)
        httpd.wire = self
        self._httpd = httpd
        self.port = int(httpd.server_address[1])
        self._stopping.clear()
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake hanging handlers and close the listening socket."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> WireServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT`."""
        return f"http://{self.host}:{self.port}"

    @property
    def openai_base(self) -> str:
        """Base URL for OpenAI-compatible clients (`.../v1`)."""
        return f"{self.base_url}/v1"

    @property
    def anthropic_base(self) -> str:
        """Base URL for Anthropic clients (`.../v1`)."""
        return f"{self.base_url}/v1"

    # -- records ----------------------------------------------------------------------------
    def _record(
        self, handler: _Handler, path: str, model: str, body: dict[str, Any], fault: Fault | None
    ) -> RecordedRequest:
        headers = {k.lower(): v for k, v in handler.headers.items()}
        if not self.record_secrets:
            headers = {k: ("<redacted>" if k in SECRET_HEADERS else v) for k, v in headers.items()}
        rec = RecordedRequest(path, model, bool(body.get("stream")), headers, body, fault.spec if fault else None)
        with self._lock:
            self._requests.append(rec)
            self.models_seen.add(model)
        return rec

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, in arrival order."""
        with self._lock:
            return list(self._requests)

    def requests_for(self, model: str) -> list[RecordedRequest]:
        """The requests for one model."""
        return [r for r in self.requests if r.model == model]

    def reset(self) -> None:
        """Forget faults and recorded requests."""
        self.faults.clear()
        with self._lock:
            self._requests.clear()
            self._aborted_streams = 0

    # -- stream accounting ------------------------------------------------------------------
    def _stream_opened(self) -> None:
        with self._lock:
            self._open_streams += 1

    def _stream_closed(self) -> None:
        with self._lock:
            self._open_streams -= 1

    def _stream_aborted(self) -> None:
        with self._lock:
            self._aborted_streams += 1

    @property
    def open_streams(self) -> int:
        """Streams being written right now."""
        with self._lock:
            return self._open_streams

    @property
    def aborted_streams(self) -> int:
        """Streams whose client went away before the end."""
        with self._lock:
            return self._aborted_streams

    def wait_streams_closed(self, timeout: float = 5.0) -> bool:
        """Wait (bounded) until no stream is being written; True if that happened."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.open_streams == 0:
                return True
            time.sleep(0.01)
        return self.open_streams == 0


def _main() -> None:
    """`python -m tests.servers.wire [--port N]`: serve until stdin closes (prints the base URL first)."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    with WireServer(port=args.port) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    _main()
