"""Shared plumbing of the httpx providers: pooled clients, headers, and the only code that sends.

Subclasses bind a wire format (`_build`, `_parse`, `_decoder`, `path`); everything that decides
(building, status and error mapping, parsing, stream decoding) is pure and shared by the sync and
async paths, which differ only in how bytes move. Clients are created lazily, pooled, make no
retries of their own (retries live in `resilience`), and are closed by `close()`/`aclose()` or the
context managers. The key is a `Secret`: it is never in a repr, a log line or an error message.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any, ClassVar, Protocol

import httpx

from a3m_integrations._secrets import Secret
from a3m_integrations.catalog import ModelInfo, ProviderInfo
from a3m_integrations.errors import BadResponse, ConfigError, ProviderError, Timeout
from a3m_integrations.providers._errors import (
    EmbeddedError,
    WireFormatError,
    error_from_payload,
    error_from_status,
    map_transport_error,
    map_wire_error,
)
from a3m_integrations.providers._sse import SSEDecoder, SSEEvent
from a3m_integrations.providers.profiles import ErrorProfile, get_profile
from a3m_integrations.types import ChatChunk, ChatRequest, ChatResponse, ToolCallDelta

__all__ = ["HTTPProvider", "StreamDecoder"]

_JSON = json.JSONEncoder(separators=(",", ":"))  # what json.dumps(..., separators=...) builds on every call


def _endpoint(url: str) -> httpx.URL | str:
    """`url` parsed once (httpx parses a str on every request); left as text if invalid, to fail where it did."""
    try:
        return httpx.URL(url)
    except httpx.InvalidURL:
        return url


class StreamDecoder(Protocol):
    """A wire format's stream state: events in, chunks out, a last chunk at the end."""

    done: bool

    @property
    def complete(self) -> bool: ...

    def feed_event(self, event: SSEEvent) -> list[ChatChunk]: ...

    def finish(self) -> ChatChunk: ...


class HTTPProvider:
    """Base of the providers that speak a JSON-over-HTTP wire format with httpx."""

    path: ClassVar[str] = "/chat/completions"

    def __init__(
        self,
        info: ProviderInfo,
        *,
        api_key: Secret | str | None = None,
        base_url: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 60.0,
        connect_timeout: float = 10.0,
        max_connections: int = 200,
        max_keepalive_connections: int = 50,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.id = info.id
        self.info = info
        self.profile: ErrorProfile = get_profile(info.profile)
        key = Secret(api_key) if isinstance(api_key, str) else api_key
        self._key: Secret | None = key if key is not None else Secret.from_env(info.api_key_env)
        base = base_url or info.base_url
        if not base:
            raise ConfigError(
                f"provider {info.id!r} has no base_url",
                entry=info.id,
                field="base_url",
                hint="Set base_url for this provider in a catalog override file.",
            )
        self.base_url = base.rstrip("/")
        self._url = _endpoint(self.base_url + self.path)
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self._limits = httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_keepalive_connections
        )
        self._transport = transport
        self._async_transport = async_transport
        self._headers = {"content-type": "application/json", **dict(info.headers), **dict(headers or {})}
        self._sent_headers: httpx.Headers | None = None  # with auth, built on first use
        self._last_timeout: tuple[float, float, httpx.Timeout] | None = None  # (seconds, connect, timeout)
        self._lock = threading.Lock()
        self._client: httpx.Client | None = None
        self._aclient: httpx.AsyncClient | None = None
        self._aloop: asyncio.AbstractEventLoop | None = None

    def __repr__(self) -> str:
        key = "set" if self._key else "none"
        return f"{type(self).__name__}(id={self.id!r}, base_url={self.base_url!r}, key={key})"

    # -- wire format (subclasses) -------------------------------------------------------------
    def _build(self, request: ChatRequest, model: ModelInfo, *, stream: bool) -> dict[str, Any]:
        raise NotImplementedError

    def _parse(self, data: Any, request: ChatRequest, model: ModelInfo) -> ChatResponse:
        raise NotImplementedError

    def _decoder(self, request: ChatRequest, model: ModelInfo) -> StreamDecoder:
        raise NotImplementedError

    def _auth_headers(self) -> dict[str, str]:
        if not self._key:
            return {}
        return {self.info.auth_header: f"{self.info.auth_prefix}{self._key.get_secret_value()}"}

    # -- pure helpers shared by both paths ------------------------------------------------------
    @property
    def has_key(self) -> bool:
        """Whether an API key is set (from the argument or the environment variable the catalog names)."""
        return bool(self._key)

    def _secrets(self) -> tuple[Secret | None]:
        return (self._key,)

    def _request_headers(self) -> httpx.Headers:
        """The headers of every request, normalised once (httpx copies them into each request)."""
        if self._sent_headers is None:
            self._sent_headers = httpx.Headers({**self._headers, **self._auth_headers()})
        return self._sent_headers

    def _timeout(self, request: ChatRequest) -> httpx.Timeout:
        seconds, connect = request.timeout or self.timeout, self.connect_timeout
        last = self._last_timeout  # attempts mostly share one timeout: reuse the last one built
        if last is not None and last[0] == seconds and last[1] == connect:
            return last[2]
        timeout = httpx.Timeout(seconds, connect=min(connect, seconds))
        self._last_timeout = (seconds, connect, timeout)
        return timeout

    def _deadline(self, request: ChatRequest) -> float:
        """When an answer that is only padding (blank lines, SSE comments) so far must give up."""
        return time.monotonic() + (request.timeout or self.timeout)

    def _padding_timeout(self, request: ChatRequest, model: ModelInfo) -> Timeout:
        seconds = request.timeout or self.timeout
        return Timeout(
            f"no answer within {seconds:g} s (the connection was kept alive with padding only)",
            provider=self.id,
            model=model.id,
        )

    def _content(self, request: ChatRequest, model: ModelInfo, *, stream: bool) -> bytes:
        return _JSON.encode(self._build(request, model, stream=stream)).encode()

    def _transport_error(self, exc: Exception, model: ModelInfo) -> ProviderError:
        return map_transport_error(exc, provider=self.id, model=model.id, secrets=self._secrets())

    def _status_error(self, status: int, headers: Mapping[str, str], body: bytes, model: ModelInfo) -> ProviderError:
        return error_from_status(
            status, headers, body, profile=self.profile, provider=self.id, model=model.id, secrets=self._secrets()
        )

    def _payload_error(
        self, exc: EmbeddedError, status: int, headers: Mapping[str, str], model: ModelInfo
    ) -> ProviderError:
        return error_from_payload(
            exc.info,
            status=status,
            headers=headers,
            profile=self.profile,
            provider=self.id,
            model=model.id,
            secrets=self._secrets(),
        )

    def _answer(
        self, status: int, headers: Mapping[str, str], body: bytes, request: ChatRequest, model: ModelInfo
    ) -> ChatResponse:
        """The response for a finished HTTP exchange, or the mapped error raised."""
        if not 200 <= status < 300:
            raise self._status_error(status, headers, body, model)
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadResponse(
                f"the answer is not valid JSON ({len(body)} bytes)",
                provider=self.id,
                model=model.id,
                status_code=status,
            ) from exc
        try:
            return self._parse(data, request, model)
        except WireFormatError as exc:
            raise map_wire_error(exc, provider=self.id, model=model.id) from exc
        except EmbeddedError as exc:
            raise self._payload_error(exc, status, headers, model) from exc

    def _whole_as_chunks(
        self, status: int, headers: Mapping[str, str], body: bytes, request: ChatRequest, model: ModelInfo
    ) -> list[ChatChunk]:
        """A stream request answered with one JSON body (an error payload, or a server ignoring `stream`)."""
        response = self._answer(status, headers, body, request, model)
        deltas = tuple(
            ToolCallDelta(index=i, id=c.id, name=c.name, arguments=c.arguments)
            for i, c in enumerate(response.message.tool_calls)
        )
        first = ChatChunk(
            text=response.message.text, tool_calls=deltas, finish_reason=response.finish_reason, model=model.id
        )
        return [first, ChatChunk(usage=response.usage, model=model.id, response=response)]

    @staticmethod
    def _is_json(headers: Mapping[str, str]) -> bool:
        return headers.get("content-type", "").split(";", 1)[0].strip().lower() == "application/json"

    def _feed(
        self, sse: SSEDecoder, decoder: StreamDecoder, line: str, headers: Mapping[str, str], model: ModelInfo
    ) -> Sequence[ChatChunk]:
        event = sse.feed(line)  # only a blank line completes an event
        if event is None:
            return ()
        try:
            return decoder.feed_event(event)
        except WireFormatError as exc:
            raise map_wire_error(exc, provider=self.id, model=model.id) from exc
        except EmbeddedError as exc:
            raise self._payload_error(exc, 200, headers, model) from exc

    def _end(
        self, sse: SSEDecoder, decoder: StreamDecoder, headers: Mapping[str, str], model: ModelInfo
    ) -> list[ChatChunk]:
        """Chunks at the end of the byte stream: a pending event, then the last chunk (or an error)."""
        out: list[ChatChunk] = []
        event = sse.flush()
        if event is not None and not decoder.done:
            try:
                out.extend(decoder.feed_event(event))
            except WireFormatError as exc:
                raise map_wire_error(exc, provider=self.id, model=model.id) from exc
            except EmbeddedError as exc:
                raise self._payload_error(exc, 200, headers, model) from exc
        if not decoder.complete:
            raise BadResponse("the stream ended before the answer was complete", provider=self.id, model=model.id)
        out.append(decoder.finish())
        return out

    # -- clients ------------------------------------------------------------------------------
    def _sync_client(self) -> httpx.Client:
        client = self._client
        if client is None:
            with self._lock:
                if self._client is None:
                    transport = self._transport or httpx.HTTPTransport(retries=0, limits=self._limits)
                    self._client = httpx.Client(transport=transport, timeout=self.timeout, limits=self._limits)
                client = self._client
        return client

    def _async_client(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        client = self._aclient
        if client is None or self._aloop is not loop:
            # an AsyncClient's connections belong to the loop that opened them: one client per loop
            with self._lock:
                if self._aclient is None or self._aloop is not loop:
                    transport = self._async_transport or httpx.AsyncHTTPTransport(retries=0, limits=self._limits)
                    self._aclient = httpx.AsyncClient(transport=transport, timeout=self.timeout, limits=self._limits)
                    self._aloop = loop
                client = self._aclient
        return client

    # -- I/O: sync ----------------------------------------------------------------------------
    def chat(self, request: ChatRequest, model: ModelInfo) -> ChatResponse:
        """Send `request` to `model` and return the whole answer."""
        content = self._content(request, model, stream=False)
        client = self._sync_client()
        try:
            if self.profile.keepalive_padding:
                return self._chat_with_deadline(client, content, request, model)
            r = client.post(self._url, content=content, headers=self._request_headers(), timeout=self._timeout(request))
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, model) from exc
        return self._answer(r.status_code, r.headers, r.content, request, model)

    def _chat_with_deadline(
        self, client: httpx.Client, content: bytes, request: ChatRequest, model: ModelInfo
    ) -> ChatResponse:
        """`chat` for providers that pad slow answers: the whole body must arrive before the deadline."""
        deadline = self._deadline(request)
        req = client.build_request(
            "POST", self._url, content=content, headers=self._request_headers(), timeout=self._timeout(request)
        )
        response = client.send(req, stream=True)
        try:
            body = bytearray()
            for part in response.iter_bytes():
                body += part
                if time.monotonic() > deadline:
                    raise self._padding_timeout(request, model)
        finally:
            response.close()
        return self._answer(response.status_code, response.headers, bytes(body), request, model)

    def stream(self, request: ChatRequest, model: ModelInfo) -> Iterator[ChatChunk]:
        """Send `request` and yield the answer in chunks; the last chunk carries usage and the response.

        Closing the iterator early closes the HTTP response (its connection is not leaked).
        """
        content = self._content(request, model, stream=True)
        client = self._sync_client()
        req = client.build_request(
            "POST", self._url, content=content, headers=self._request_headers(), timeout=self._timeout(request)
        )
        try:
            response = client.send(req, stream=True)
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, model) from exc
        try:
            if not 200 <= response.status_code < 300:
                try:
                    body = response.read()
                except httpx.HTTPError as exc:
                    raise self._transport_error(exc, model) from exc
                raise self._status_error(response.status_code, response.headers, body, model)
            if self._is_json(response.headers):
                try:
                    body = response.read()
                except httpx.HTTPError as exc:
                    raise self._transport_error(exc, model) from exc
                yield from self._whole_as_chunks(response.status_code, response.headers, body, request, model)
                return
            sse, decoder, headers = SSEDecoder(), self._decoder(request, model), response.headers
            lines = response.iter_lines()
            deadline: float | None = self._deadline(request)  # for the first chunk; padding cannot extend it
            while True:
                try:
                    line = next(lines)
                except StopIteration:
                    break
                except httpx.HTTPError as exc:
                    raise self._transport_error(exc, model) from exc
                chunks = self._feed(sse, decoder, line, headers, model)
                if chunks:
                    deadline = None
                    yield from chunks
                elif deadline is not None and time.monotonic() > deadline:
                    raise self._padding_timeout(request, model)
                if decoder.done:
                    break
            yield from self._end(sse, decoder, headers, model)
        finally:
            response.close()

    def close(self) -> None:
        """Close the pooled sync client (`aclose()` closes the async one as well)."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    # -- I/O: async ---------------------------------------------------------------------------
    async def achat(self, request: ChatRequest, model: ModelInfo) -> ChatResponse:
        """Async `chat`."""
        content = self._content(request, model, stream=False)
        client = self._async_client()
        try:
            if self.profile.keepalive_padding:
                return await self._achat_with_deadline(client, content, request, model)
            r = await client.post(
                self._url, content=content, headers=self._request_headers(), timeout=self._timeout(request)
            )
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, model) from exc
        return self._answer(r.status_code, r.headers, r.content, request, model)

    async def _achat_with_deadline(
        self, client: httpx.AsyncClient, content: bytes, request: ChatRequest, model: ModelInfo
    ) -> ChatResponse:
        """Async `_chat_with_deadline`."""
        deadline = self._deadline(request)
        req = client.build_request(
            "POST", self._url, content=content, headers=self._request_headers(), timeout=self._timeout(request)
        )
        response = await client.send(req, stream=True)
        try:
            body = bytearray()
            async for part in response.aiter_bytes():
                body += part
                if time.monotonic() > deadline:
                    raise self._padding_timeout(request, model)
        finally:
            await response.aclose()
        return self._answer(response.status_code, response.headers, bytes(body), request, model)

    async def astream(self, request: ChatRequest, model: ModelInfo) -> AsyncIterator[ChatChunk]:
        """Async `stream`; `aclose()` on the iterator (or cancelling the task) closes the response."""
        content = self._content(request, model, stream=True)
        client = self._async_client()
        req = client.build_request(
            "POST", self._url, content=content, headers=self._request_headers(), timeout=self._timeout(request)
        )
        try:
            response = await client.send(req, stream=True)
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, model) from exc
        try:
            if not 200 <= response.status_code < 300:
                try:
                    body = await response.aread()
                except httpx.HTTPError as exc:
                    raise self._transport_error(exc, model) from exc
                raise self._status_error(response.status_code, response.headers, body, model)
            if self._is_json(response.headers):
                try:
                    body = await response.aread()
                except httpx.HTTPError as exc:
                    raise self._transport_error(exc, model) from exc
                for chunk in self._whole_as_chunks(response.status_code, response.headers, body, request, model):
                    yield chunk
                return
            sse, decoder, headers = SSEDecoder(), self._decoder(request, model), response.headers
            lines = response.aiter_lines()
            deadline: float | None = self._deadline(request)  # for the first chunk; padding cannot extend it
            while True:
                try:
                    line = await lines.__anext__()
                except StopAsyncIteration:
                    break
                except httpx.HTTPError as exc:
                    raise self._transport_error(exc, model) from exc
                chunks = self._feed(sse, decoder, line, headers, model)
                if chunks:
                    deadline = None
                    for chunk in chunks:
                        yield chunk
                elif deadline is not None and time.monotonic() > deadline:
                    raise self._padding_timeout(request, model)
                if decoder.done:
                    break
            for chunk in self._end(sse, decoder, headers, model):
                yield chunk
        finally:
            await response.aclose()

    async def aclose(self) -> None:
        """Close both pooled clients."""
        with self._lock:
            aclient, self._aclient, self._aloop = self._aclient, None, None
        if aclient is not None:
            with contextlib.suppress(RuntimeError):  # its event loop is gone; the sockets went with it
                await aclient.aclose()
        self.close()

    # -- context managers ---------------------------------------------------------------------
    def __enter__(self) -> HTTPProvider:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> HTTPProvider:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
