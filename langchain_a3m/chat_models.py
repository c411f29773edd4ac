"""A3MChatModel: a LangChain chat model whose every call goes through the a3m gateway.

Convert -> gateway -> convert, nothing else: routing, guardrails, cache, budgets, retries and
fallbacks all happen in `a3m_integrations.gateway`. The four paths (`_generate`, `_agenerate`,
`_stream`, `_astream`) share one request builder (`_prepare`) and one result builder
(`_create_chat_result` / `_generation_chunk`); they differ only in how they call the gateway.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from typing import Any, Literal

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import LanguageModelInput
from langchain_core.language_models.base import LangSmithParams
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableConfig, ensure_config
from langchain_core.tools import BaseTool
from langchain_core.utils import from_env
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict, Field, PrivateAttr, SecretStr, model_validator

from a3m_integrations.errors import ConfigError, InvalidRequest
from a3m_integrations.gateway import A3MGateway
from a3m_integrations.types import ChatChunk, ChatRequest, ChatResponse, RequestContext
from langchain_a3m._context import CONTEXT_KEY, context_fields, request_context
from langchain_a3m._convert import (
    from_core_chunk,
    from_core_response,
    to_core_messages,
    to_core_response_format,
    to_core_tool_choice,
    to_core_tools,
)
from langchain_a3m._errors import mapped_errors
from langchain_a3m._structured import plan_structured_output, with_parser

__all__ = ["A3MChatModel"]

#: Call keyword arguments that are not model parameters (the framework's own, or handled elsewhere).
_DROPPED = frozenset({"stream", "stream_usage", "ls_structured_output_format", "structured_output_format"})
_SETTINGS = ("temperature", "max_tokens", "top_p", "seed", "timeout", "max_retries")


def _keyed_provider(provider_id: str, api_key: SecretStr) -> Any:
    """A provider of the shipped catalog that uses `api_key` instead of its environment variable."""
    from a3m_integrations._secrets import Secret
    from a3m_integrations.catalog import Catalog

    info = Catalog.default().provider(provider_id)
    key = Secret(api_key.get_secret_value())
    if info.api == "anthropic":
        from a3m_integrations.providers.anthropic import AnthropicProvider

        return AnthropicProvider(info, api_key=key)
    if info.api == "openai":
        from a3m_integrations.providers.openai_compat import OpenAICompatibleProvider

        return OpenAICompatibleProvider(info, api_key=key)
    raise ConfigError(f"provider {provider_id!r} takes no API key", field="api_key")


def build_gateway(config: str | Mapping[str, Any] | None, model: str | None, api_key: SecretStr | None) -> A3MGateway:
    """The gateway an A3MChatModel builds for itself: from `config`, or the shipped catalog."""
    if config is not None:
        return A3MGateway.from_config(config)
    if api_key is None or model is None:
        return A3MGateway()
    from a3m_integrations.catalog import Catalog

    provider_id = Catalog.default().model(model).provider
    return A3MGateway(providers={provider_id: _keyed_provider(provider_id, api_key)})


def _gateway_identity(gateway: A3MGateway) -> str:
    """What about a gateway changes answers: its router and the pool it routes over."""
    router = gateway.router
    pool = getattr(router, "pool", ())
    return f"{getattr(router, 'name', type(router).__name__)}:{','.join(m.id for m in pool)}"


class A3MChatModel(BaseChatModel):
    """A chat model that routes each call to the cheapest capable model, through the a3m gateway.

    Example:
        ```python
        from langchain_a3m import A3MChatModel

        llm = A3MChatModel()  # route over the configured providers of the shipped catalog
        llm = A3MChatModel(config="a3m.yaml")  # guardrails, cache, budgets, pool from a file
        llm = A3MChatModel(gateway=my_gateway, model="openai/gpt-4o-mini")  # pin a model
        msg = llm.invoke("Summarise this contract", config={"metadata": {"user": "alice"}})
        msg.response_metadata["tier"], msg.response_metadata["cost"], msg.usage_metadata
        ```

    Per-call context (user, team, api_key_id, route, tags) comes from the run's
    `config["metadata"]` or `config["configurable"]`, so one object serves many tenants.
    """

    model_config = ConfigDict(populate_by_name=True, arbitrary_types_allowed=True, extra="forbid")

    gateway: A3MGateway | None = Field(default=None, exclude=True, repr=False)
    """A gateway to use; built from `config` (or the shipped catalog) on first call when None."""
    config: str | dict[str, Any] | None = Field(default_factory=from_env("A3M_CONFIG", default=None), repr=False)
    """A YAML/JSON file or mapping for `A3MGateway.from_config` (used when `gateway` is None; default $A3M_CONFIG)."""
    model_name: str | None = Field(default=None, alias="model")
    """None or "auto" lets the router choose; a catalog id pins the model (its fallbacks still apply)."""
    temperature: float | None = Field(default=None, ge=0.0, le=2.0)
    max_tokens: int | None = Field(default=None, ge=1)
    top_p: float | None = Field(default=None, gt=0.0, le=1.0)
    seed: int | None = None
    timeout: float | None = Field(default=None, gt=0.0)
    """Seconds per provider attempt."""
    max_retries: int | None = Field(default=None, ge=0)
    """Retries per model before falling back (the gateway's retry policy when None)."""
    stop: list[str] | None = Field(default=None, alias="stop_sequences")
    streaming: bool = False
    """Stream internally on `invoke` (callbacks get tokens as they arrive)."""
    api_key: SecretStr | None = Field(default=None, repr=False)
    """Key for the pinned `model`'s provider, instead of the environment variable the catalog names.

    Only when the model builds its own gateway from the shipped catalog; a routing model takes
    each provider's key from its environment variable."""
    model_kwargs: dict[str, Any] = Field(default_factory=dict)
    """Provider-specific parameters sent unchanged (`ChatRequest.extra`)."""
    default_context: dict[str, Any] = Field(default_factory=dict)
    """Context for calls whose config says nothing (user, team, api_key_id, route, tags)."""

    _built: A3MGateway | None = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @model_validator(mode="after")
    def _check_key(self) -> A3MChatModel:
        if self.api_key is not None and (self.gateway is not None or self.config is not None):
            raise ConfigError(
                "api_key applies only when A3MChatModel builds its gateway from the shipped catalog",
                field="api_key",
                hint="Give the key to the gateway's providers (or their environment variables) instead.",
            )
        if self.api_key is not None and self.model_name in (None, "auto"):
            raise ConfigError(
                "api_key needs a pinned model (its provider gets the key)",
                field="api_key",
                hint="Set model='<provider>/<model>', or set each provider's environment variable to route.",
            )
        return self

    # -- identity ---------------------------------------------------------------------------------
    @property
    def _llm_type(self) -> str:
        return "a3m-chat"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"model_name": self.model_name or "auto", "model_kwargs": self.model_kwargs}
        params.update({name: getattr(self, name) for name in ("temperature", "max_tokens", "top_p", "seed", "stop")})
        params["gateway"] = self._identity()
        return params

    def _identity(self) -> str:
        if self.gateway is not None:
            return _gateway_identity(self.gateway)
        return f"config:{self.config!r}" if self.config is not None else "default"

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = LangSmithParams(
            ls_provider="a3m", ls_model_name=str(kwargs.get("model") or self.model_name or "auto"), ls_model_type="chat"
        )
        temperature = kwargs.get("temperature", self.temperature)
        if temperature is not None:
            params["ls_temperature"] = temperature
        max_tokens = kwargs.get("max_tokens", self.max_tokens)
        if max_tokens is not None:
            params["ls_max_tokens"] = max_tokens
        if stop or self.stop:
            params["ls_stop"] = list(stop or self.stop or [])
        return params

    @property
    def lc_secrets(self) -> dict[str, str]:
        return {"api_key": "A3M_API_KEY"}

    @classmethod
    def is_lc_serializable(cls) -> bool:
        # langchain-core's loader only revives classes on its own allowlist, so a round trip cannot
        # work for a third-party model; not serializable also makes `_identifying_params` the cache key
        return False

    @classmethod
    def get_lc_namespace(cls) -> list[str]:
        return ["langchain_a3m", "chat_models"]

    # -- the gateway ------------------------------------------------------------------------------
    def get_gateway(self) -> A3MGateway:
        """The gateway this model calls (built once, thread-safely, on first use)."""
        if self.gateway is not None:
            return self.gateway
        if self._built is None:
            with self._lock:
                if self._built is None:
                    self._built = build_gateway(self.config, self.model_name, self.api_key)
        return self._built

    def _tier(self, model_id: str) -> str | None:
        try:
            return self.get_gateway().catalog.model(model_id).tier
        except InvalidRequest:
            return None

    # -- per-call context: read the run's config where LangChain still has it ------------------
    def invoke(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> AIMessage:
        return super().invoke(input, config, stop=stop, **_with_context(config, kwargs))

    async def ainvoke(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> AIMessage:
        return await super().ainvoke(input, config, stop=stop, **_with_context(config, kwargs))

    def stream(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> Iterator[AIMessageChunk]:
        return super().stream(input, config, stop=stop, **_with_context(config, kwargs))

    def astream(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[AIMessageChunk]:
        return super().astream(input, config, stop=stop, **_with_context(config, kwargs))

    # -- one request builder, one result builder ----------------------------------------------
    def _prepare(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None,
        run_manager: CallbackManagerForLLMRun | AsyncCallbackManagerForLLMRun | None,
        kwargs: dict[str, Any],
    ) -> tuple[A3MGateway, ChatRequest, RequestContext]:
        """The gateway, the core request and the context for one call (InvalidRequest if malformed)."""
        kwargs = dict(kwargs)
        fields = kwargs.pop(CONTEXT_KEY, None)
        if fields is None and run_manager is not None:
            fields = context_fields({"metadata": run_manager.metadata, "tags": run_manager.tags})
        context = request_context(fields, self.default_context, run_manager.run_id.hex if run_manager else None)
        return self.get_gateway(), self._get_request(messages, stop, kwargs), context

    def _get_request(self, messages: list[BaseMessage], stop: list[str] | None, kwargs: dict[str, Any]) -> ChatRequest:
        """The core ChatRequest for `messages` with this model's settings and the call's kwargs."""
        extra = {**self.model_kwargs}
        model = kwargs.pop("model", None) or self.model_name
        settings = {name: kwargs.pop(name, getattr(self, name)) for name in _SETTINGS}
        tools = kwargs.pop("tools", None) or ()
        choice = kwargs.pop("tool_choice", None)
        response_format = kwargs.pop("response_format", None)
        for name, value in kwargs.items():
            if name not in _DROPPED and value is not None:
                extra[name] = value
        return ChatRequest(
            messages=to_core_messages(messages),
            model=None if model == "auto" else model,
            stop=tuple(stop if stop is not None else self.stop or ()),
            tools=to_core_tools([convert_to_openai_tool(t) for t in tools]),
            tool_choice=to_core_tool_choice(choice) if tools else None,
            response_format=to_core_response_format(response_format),
            extra=extra,
            **settings,
        )

    def _create_chat_result(self, response: ChatResponse) -> ChatResult:
        message = from_core_response(response, self._tier(response.model))
        generation = ChatGeneration(message=message, generation_info={"finish_reason": response.finish_reason})
        llm_output = {"model_name": response.model, "token_usage": response.usage.to_dict()}
        return ChatResult(generations=[generation], llm_output=llm_output)

    def _generation_chunk(self, chunk: ChatChunk) -> ChatGenerationChunk:
        return from_core_chunk(chunk, self._tier(chunk.response.model) if chunk.response else None)

    # -- the four paths: convert -> gateway -> convert ------------------------------------------
    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        with mapped_errors():
            gateway, request, context = self._prepare(messages, stop, run_manager, kwargs)
            return self._create_chat_result(gateway.chat(request, context))

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        with mapped_errors():
            gateway, request, context = self._prepare(messages, stop, run_manager, kwargs)
            return self._create_chat_result(await gateway.achat(request, context))

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        with mapped_errors():
            gateway, request, context = self._prepare(messages, stop, run_manager, kwargs)
            for chunk in gateway.stream(request, context):
                out = self._generation_chunk(chunk)
                if run_manager is not None:
                    run_manager.on_llm_new_token(out.text, chunk=out)
                yield out

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        with mapped_errors():
            gateway, request, context = self._prepare(messages, stop, run_manager, kwargs)
            async for chunk in gateway.astream(request, context):
                out = self._generation_chunk(chunk)
                if run_manager is not None:
                    await run_manager.on_llm_new_token(out.text, chunk=out)
                yield out

    # -- tools and structured output: composition -------------------------------------------------
    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: dict[str, Any] | str | bool | None = None,
        strict: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Bind tools (anything `convert_to_openai_tool` takes); tool_choice: a name, auto, none, any, required."""
        formatted = [convert_to_openai_tool(t, strict=strict) for t in tools]
        with mapped_errors():  # a provider built-in tool or a bad tool_choice fails here, not at call time
            to_core_tools(formatted)
            choice = to_core_tool_choice(tool_choice)
        if choice is not None:
            kwargs["tool_choice"] = choice
        return super().bind(tools=formatted, **kwargs)

    def with_structured_output(
        self,
        schema: dict[str, Any] | type | None = None,
        *,
        method: Literal["json_schema", "function_calling", "json_mode"] = "json_schema",
        include_raw: bool = False,
        strict: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, dict[str, Any] | Any]:
        """Answers parsed into `schema`, by `json_schema`, `function_calling` (a forced tool) or `json_mode`."""
        plan = plan_structured_output(schema, method, strict)
        llm: Runnable[LanguageModelInput, Any]
        if plan.tool is not None:
            llm = self.bind_tools([plan.tool], **plan.bind_kwargs, **kwargs)
        else:
            llm = self.bind(**plan.bind_kwargs, **kwargs)
        return with_parser(llm, plan.parser, include_raw)


def _with_context(config: RunnableConfig | None, kwargs: dict[str, Any]) -> dict[str, Any]:
    """`kwargs` plus the context fields of the run's config (as `a3m_context`), when there are any."""
    if CONTEXT_KEY in kwargs:
        return kwargs
    fields = context_fields(ensure_config(config))
    return {**kwargs, CONTEXT_KEY: fields} if fields else kwargs
