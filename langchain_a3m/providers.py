"""LangChainProvider: any LangChain chat model as a provider of the gateway.

Users route between models they already configured:

    gateway = A3MGateway(
        catalog=Catalog.load({"providers": {"mine": {"api": "openai"}}, "models": [...]}),
        providers={"mine": LangChainProvider(ChatOpenAI(model="gpt-4o-mini", max_retries=0))},
    )

One provider can serve several catalog models: pass `{catalog model name or id: chat model}`.
The wrapped model's runs are tagged `a3m:provider-call` (the cost handler skips them: the
gateway's answer carries their cost) and their errors become the core's ProviderErrors, so the
gateway's retries, breakers and fallbacks apply. Retry in one layer: build the wrapped model
with its own retries off (`max_retries=0` for ChatOpenAI and ChatAnthropic).
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessageChunk, BaseMessage
from langchain_core.runnables import Runnable, RunnableConfig

from a3m_integrations.catalog import ModelInfo
from a3m_integrations.errors import BadResponse, ConfigError
from a3m_integrations.types import ChatChunk, ChatRequest, ChatResponse
from langchain_a3m._convert import from_core_message, from_core_tools, to_core_chunk, to_core_response, to_core_usage
from langchain_a3m._errors import to_core_error
from langchain_a3m.callbacks import PROVIDER_CALL_TAG

__all__ = ["LangChainProvider"]

_SETTINGS = ("temperature", "max_tokens", "top_p", "seed")


@contextmanager
def _foreign_errors(provider: str, model: str) -> Iterator[None]:
    """The wrapped model's exceptions as ProviderErrors (the one boundary for this direction)."""
    try:
        yield
    except Exception as exc:
        raise to_core_error(exc, provider=provider, model=model) from exc


def _response_format(request: ChatRequest) -> dict[str, Any] | None:
    rf = request.response_format
    if rf is None or rf.type == "text":
        return None
    if rf.type == "json_object":
        return {"type": "json_object"}
    spec: dict[str, Any] = {"name": rf.name or "response", "schema": dict(rf.schema or {})}
    if rf.strict is not None:
        spec["strict"] = rf.strict
    return {"type": "json_schema", "json_schema": spec}


class _StreamState:
    """Joins a wrapped model's chunks; turns each into a core chunk and the end into the last one."""

    def __init__(self, provider: LangChainProvider, request: ChatRequest, model: ModelInfo) -> None:
        self.provider = provider
        self.request = request
        self.model = model
        self.full: AIMessageChunk | None = None
        self.calls = 0

    def add(self, chunk: BaseMessage) -> ChatChunk | None:
        if not isinstance(chunk, AIMessageChunk):
            return None
        self.full = chunk if self.full is None else self.full + chunk
        out = to_core_chunk(chunk, self.calls)
        self.calls += len(out.tool_calls)
        return out if out.text or out.tool_calls else None

    def finish(self) -> ChatChunk:
        if self.full is None:
            raise BadResponse("the stream ended before its first chunk", provider=self.provider.id, model=self.model.id)
        response = self.provider._response(self.full, self.request, self.model)
        return ChatChunk(
            finish_reason=response.finish_reason, usage=response.usage, model=self.model.id, response=response
        )


class LangChainProvider:
    """A LangChain chat model (or one per catalog model) behind the core's Provider protocol.

    Args:
        chat_model: the model for every catalog model of this provider, or a mapping from catalog
            model name (or id) to the model that serves it.
        id: the provider id (a catalog provider of that id routes to this object).
    """

    def __init__(self, chat_model: BaseChatModel | Mapping[str, BaseChatModel], *, id: str = "langchain") -> None:
        self.id = id
        self._models: Mapping[str, BaseChatModel] | None = None
        self._model: BaseChatModel | None = None
        if isinstance(chat_model, Mapping):
            self._models = dict(chat_model)
        else:
            self._model = chat_model
        for model in [self._model] if self._model is not None else list((self._models or {}).values()):
            retries = getattr(model, "max_retries", None)
            if isinstance(retries, int) and retries > 0:
                warnings.warn(
                    f"{type(model).__name__} retries {retries} time(s) itself and the gateway retries too; "
                    "build it with max_retries=0 so retries happen in one layer",
                    stacklevel=2,
                )

    def __repr__(self) -> str:
        served = type(self._model).__name__ if self._model is not None else sorted(self._models or {})
        return f"LangChainProvider(id={self.id!r}, models={served!r})"

    # -- shared by every path -----------------------------------------------------------------
    def _chat_model(self, model: ModelInfo) -> BaseChatModel:
        if self._model is not None:
            return self._model
        models = self._models or {}
        found = models.get(model.name) or models.get(model.id)
        if found is None:
            raise ConfigError(
                f"LangChainProvider {self.id!r} has no chat model for {model.id}",
                entry=self.id,
                hint=f"Map {model.name!r} (the catalog model's name) or {model.id!r} to a chat model.",
            )
        return found

    def _call(
        self, request: ChatRequest, model: ModelInfo
    ) -> tuple[Runnable[Any, Any], list[BaseMessage], dict[str, Any], RunnableConfig]:
        """The runnable (tools bound), messages, call kwargs and run config for one attempt."""
        chat_model = self._chat_model(model)
        runnable: Runnable[Any, Any] = chat_model
        if request.tools and request.tool_choice != "none":
            choice = request.tool_choice if isinstance(request.tool_choice, str) else None
            runnable = chat_model.bind_tools(from_core_tools(request.tools), tool_choice=choice)
        kwargs: dict[str, Any] = {k: getattr(request, k) for k in _SETTINGS if getattr(request, k) is not None}
        if request.stop:
            kwargs["stop"] = list(request.stop)
        response_format = _response_format(request)
        if response_format is not None:
            kwargs["response_format"] = response_format
        kwargs.update(request.extra)
        config = RunnableConfig(
            tags=[PROVIDER_CALL_TAG], metadata={"a3m_provider": self.id, "a3m_model": model.id}, run_name=model.id
        )
        return runnable, [from_core_message(m) for m in request.messages], kwargs, config

    def _response(self, message: BaseMessage, request: ChatRequest, model: ModelInfo) -> ChatResponse:
        usage = to_core_usage(message)
        if usage is None:  # counted, and marked estimated
            from a3m_integrations.cost.pricing import usage_from_text

            usage = usage_from_text(request, model, message.text)
        return to_core_response(message, usage, model.id, self.id)

    # -- the Provider protocol ------------------------------------------------------------------
    def chat(self, request: ChatRequest, model: ModelInfo) -> ChatResponse:
        runnable, messages, kwargs, config = self._call(request, model)
        with _foreign_errors(self.id, model.id):
            message = runnable.invoke(messages, config=config, **kwargs)
        return self._response(message, request, model)

    async def achat(self, request: ChatRequest, model: ModelInfo) -> ChatResponse:
        runnable, messages, kwargs, config = self._call(request, model)
        with _foreign_errors(self.id, model.id):
            message = await runnable.ainvoke(messages, config=config, **kwargs)
        return self._response(message, request, model)

    def stream(self, request: ChatRequest, model: ModelInfo) -> Iterator[ChatChunk]:
        runnable, messages, kwargs, config = self._call(request, model)
        state = _StreamState(self, request, model)
        with _foreign_errors(self.id, model.id):
            for chunk in runnable.stream(messages, config=config, **kwargs):
                if (out := state.add(chunk)) is not None:
                    yield out
        yield state.finish()

    async def astream(self, request: ChatRequest, model: ModelInfo) -> AsyncIterator[ChatChunk]:
        runnable, messages, kwargs, config = self._call(request, model)
        state = _StreamState(self, request, model)
        with _foreign_errors(self.id, model.id):
            async for chunk in runnable.astream(messages, config=config, **kwargs):
                if (out := state.add(chunk)) is not None:
                    yield out
        yield state.finish()

    def close(self) -> None:
        """Nothing to release: a LangChain model owns its clients and outlives the gateway."""

    async def aclose(self) -> None:
        """Nothing to release (see `close`)."""
