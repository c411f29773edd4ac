"""A3MLLM: the a3m gateway as a LlamaIndex `FunctionCallingLLM`.

Every call goes through the whole pipeline (guardrails, cache, routing, budget, retries and
fallbacks, cost) and comes back as LlamaIndex types. The eight public methods are short
dispatchers under LlamaIndex's `llm_chat_callback` / `llm_completion_callback`, so callbacks and
instrumentation fire as for any LlamaIndex LLM; completion is derived from chat with
`generic_utils`. Sync and async share one request builder (`_convert.build_request`) and one
result builder (`_convert.from_core_response` / `ChatStream`); only the gateway call differs.
"""

from __future__ import annotations

import os
from collections.abc import AsyncGenerator, Iterator, Mapping, Sequence
from contextlib import closing
from typing import TYPE_CHECKING, Any

from llama_index.core.base.llms.generic_utils import (
    achat_to_completion_decorator,
    astream_chat_to_completion_decorator,
    chat_to_completion_decorator,
    stream_chat_to_completion_decorator,
)
from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseAsyncGen,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseAsyncGen,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
    ToolCallBlock,
)
from llama_index.core.bridge.pydantic import Field, PrivateAttr
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.function_calling import FunctionCallingLLM
from llama_index.core.llms.llm import ToolSelection
from llama_index.core.types import PydanticProgramMode
from llama_index_instrumentation import get_dispatcher

from a3m_integrations.errors import ConfigError
from a3m_integrations.gateway import A3MGateway
from a3m_integrations.types import ChatChunk, ChatRequest, RequestContext
from llamaindex_a3m._convert import ChatStream, build_request, from_core_response, tool_selections
from llamaindex_a3m._errors import StructuredOutputError, ToolCallMissing

if TYPE_CHECKING:
    from llama_index.core.prompts import PromptTemplate
    from llama_index.core.tools.types import BaseTool
    from llama_index.core.types import Model

    from a3m_integrations.catalog import ModelInfo

__all__ = ["A3MLLM"]

dispatcher = get_dispatcher(__name__)


class A3MLLM(FunctionCallingLLM):
    """The a3m gateway as a LlamaIndex LLM: one object routes every call to the cheapest capable model.

    Args:
        gateway: an `A3MGateway`; built from `config` when omitted, else with defaults (the
            providers whose keys are set, or the local model).
        config: a gateway config file (YAML/JSON) or mapping, used when `gateway` is omitted.
        **kwargs: the fields below, and LlamaIndex's (system_prompt, callback_manager, ...).

    Per-call keywords `user`, `team`, `route`, `tags`, `context` (a RequestContext or mapping) and
    `metadata` say who a call is for (budgets, cache namespaces, cost reports); `model` pins a
    model for one call; other keywords go to the provider unchanged. Responses carry the routing
    decision, usage and cost in `additional_kwargs["a3m"]` and the core answer in `raw`.

    Example:
        ```python
        from llama_index.core import Settings
        from llamaindex_a3m import A3MLLM

        Settings.llm = A3MLLM(config="a3m.yaml", user="alice")
        ```
    """

    model: str = Field(default="auto", description="'auto' lets the router choose; a catalog model id pins the model.")
    temperature: float | None = Field(
        default=None, ge=0.0, le=2.0, description="Sampling temperature (None: the provider's default)."
    )
    max_tokens: int | None = Field(
        default=None, gt=0, description="Most tokens to generate (None: the gateway's default_max_tokens)."
    )
    timeout: float | None = Field(default=None, gt=0, description="Seconds one provider call may take.")
    user: str | None = Field(default=None, description="User the calls are attributed to (budgets, cost).")
    team: str | None = Field(default=None, description="Team the calls are attributed to.")
    route: str | None = Field(default=None, description="Route name: policies and budgets per route.")
    tags: list[str] = Field(default_factory=list, description="Tags recorded with every call.")
    strict: bool | None = Field(default=None, description="Ask providers for strict tool schemas.")
    additional_kwargs: dict[str, Any] = Field(
        default_factory=dict, description="Provider parameters sent unchanged with every call."
    )
    config: str | dict[str, Any] | None = Field(
        default=None, description="Gateway config file or mapping the gateway was built from."
    )

    _gateway: A3MGateway = PrivateAttr()
    _meta: tuple[tuple[str, int | None], LLMMetadata] | None = PrivateAttr(default=None)

    def __init__(
        self,
        gateway: A3MGateway | None = None,
        *,
        config: str | os.PathLike[str] | Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if gateway is not None and config is not None:
            raise ConfigError("pass a gateway or a config, not both", field="config")
        source = dict(config) if isinstance(config, Mapping) else (os.fspath(config) if config is not None else None)
        super().__init__(config=source, **kwargs)
        if gateway is None:
            gateway = A3MGateway.from_config(source) if source is not None else A3MGateway()
        self._gateway = gateway

    @classmethod
    def class_name(cls) -> str:
        return "a3m_llm"

    @property
    def gateway(self) -> A3MGateway:
        """The gateway behind this LLM."""
        return self._gateway

    # -- metadata ---------------------------------------------------------------------------------
    def pool(self) -> tuple[ModelInfo, ...]:
        """The models calls may go to: the pinned model, else the router's pool."""
        gateway = self._gateway
        if self.model != "auto":
            return (gateway.catalog.model(self.model),)
        pool = getattr(gateway.router, "pool", None)
        return tuple(pool) if pool else gateway.registry.configured_models()

    @property
    def metadata(self) -> LLMMetadata:
        """Conservative limits: the smallest context window and output of the pool."""
        key = (self.model, self.max_tokens)
        if self._meta is None or self._meta[0] != key:
            models = self.pool()
            meta = LLMMetadata(
                context_window=min(m.context_window for m in models),
                num_output=self.max_tokens or min(m.max_output for m in models),
                is_chat_model=True,
                is_function_calling_model=any(m.supports("tools") for m in models),
                model_name=self.model,
                system_role=MessageRole.SYSTEM,
            )
            self._meta = (key, meta)
        return self._meta[1]

    def to_payload(self) -> dict[str, Any]:
        """What instrumentation events show of this LLM: its metadata and whom calls are for (no secrets)."""
        return {**super().to_payload(), "model": self.model, "user": self.user, "team": self.team, "route": self.route}

    # -- the eight entry points -------------------------------------------------------------------
    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return self._chat(messages, **kwargs)

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        return self._stream_chat(messages, **kwargs)

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return chat_to_completion_decorator(self._chat)(prompt, **kwargs)

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        return stream_chat_to_completion_decorator(self._stream_chat)(prompt, **kwargs)

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return await self._achat(messages, **kwargs)

    @llm_chat_callback()
    async def astream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseAsyncGen:
        return await self._astream_chat(messages, **kwargs)

    @llm_completion_callback()
    async def acomplete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return await achat_to_completion_decorator(self._achat)(prompt, **kwargs)

    @llm_completion_callback()
    async def astream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseAsyncGen:
        return await astream_chat_to_completion_decorator(self._astream_chat)(prompt, **kwargs)

    # -- convert -> gateway -> convert ------------------------------------------------------------
    def _request(
        self, messages: Sequence[ChatMessage], kwargs: Mapping[str, Any]
    ) -> tuple[ChatRequest, RequestContext]:
        defaults = {
            "model": self.model,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "timeout": self.timeout,
            "user": self.user,
            "team": self.team,
            "route": self.route,
            "tags": tuple(self.tags) or None,
            "strict": self.strict,
            "additional_kwargs": self.additional_kwargs,
        }
        return build_request(messages, defaults, kwargs)

    def _chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        request, context = self._request(messages, kwargs)
        return from_core_response(self._gateway.chat(request, context), context)

    async def _achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        request, context = self._request(messages, kwargs)
        return from_core_response(await self._gateway.achat(request, context), context)

    def _stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        request, context = self._request(messages, kwargs)
        return _drive(self._gateway.stream(request, context), ChatStream(context))

    async def _astream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseAsyncGen:
        request, context = self._request(messages, kwargs)
        return _adrive(self._gateway.astream(request, context), ChatStream(context))  # type: ignore[arg-type]

    # -- tools --------------------------------------------------------------------------------------
    def _prepare_chat_with_tools(
        self,
        tools: Sequence[BaseTool],
        user_msg: str | ChatMessage | None = None,
        chat_history: list[ChatMessage] | None = None,
        verbose: bool = False,
        allow_parallel_tool_calls: bool = False,
        tool_required: bool = False,
        tool_choice: str | dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """The `chat` keywords for a call with tools (the history is copied, never changed)."""
        messages = list(chat_history or [])
        if isinstance(user_msg, str):
            user_msg = ChatMessage(role=MessageRole.USER, content=user_msg)
        if user_msg is not None:
            messages.append(user_msg)
        specs = [tool.metadata.to_openai_tool(skip_length_check=True) for tool in tools]
        if tool_choice is None:
            tool_choice = "required" if tool_required else "auto"
        return {"messages": messages, "tools": specs or None, "tool_choice": tool_choice if specs else None, **kwargs}

    def _validate_chat_with_tools_response(
        self,
        response: ChatResponse,
        tools: Sequence[BaseTool],
        allow_parallel_tool_calls: bool = False,
        **kwargs: Any,
    ) -> ChatResponse:
        """Keep only the first tool call unless parallel calls were allowed."""
        if not allow_parallel_tool_calls:
            blocks = response.message.blocks
            calls = [b for b in blocks if isinstance(b, ToolCallBlock)]
            if len(calls) > 1:
                response.message.blocks = [b for b in blocks if not isinstance(b, ToolCallBlock)] + calls[:1]
        return response

    def get_tool_calls_from_response(
        self, response: ChatResponse, error_on_no_tool_call: bool = True, **kwargs: Any
    ) -> list[ToolSelection]:
        """The tool calls of a response; ToolCallMissing (a ValueError) when required and absent."""
        selections = tool_selections(response)
        if not selections and error_on_no_tool_call:
            model = response.additional_kwargs.get("model")
            raise ToolCallMissing("the model answered without calling a tool", model=model)
        return selections

    # -- structured output ------------------------------------------------------------------------
    def _json_schema_ready(self) -> bool:
        return self.pydantic_program_mode == PydanticProgramMode.DEFAULT and any(
            m.supports("json_schema") for m in self.pool()
        )

    def _structured_call(
        self, output_cls: type[Model], prompt: PromptTemplate, llm_kwargs: dict[str, Any] | None, prompt_args: Any
    ) -> tuple[list[ChatMessage], dict[str, Any]]:
        messages = self._extend_messages(prompt.format_messages(**prompt_args))
        kwargs = {k: v for k, v in (llm_kwargs or {}).items() if k != "tool_choice"}
        return messages, {**kwargs, "response_format": output_cls}

    @dispatcher.span
    def structured_predict(
        self,
        output_cls: type[Model],
        prompt: PromptTemplate,
        llm_kwargs: dict[str, Any] | None = None,
        **prompt_args: Any,
    ) -> Model:
        """An `output_cls` instance: JSON-schema output when the pool supports it, else tool calling."""
        if not self._json_schema_ready():
            called: Model = super().structured_predict(output_cls, prompt, llm_kwargs=llm_kwargs, **prompt_args)
            return called
        messages, kwargs = self._structured_call(output_cls, prompt, llm_kwargs, prompt_args)
        return _parse_output(output_cls, self.chat(messages, **kwargs))

    @dispatcher.span
    async def astructured_predict(
        self,
        output_cls: type[Model],
        prompt: PromptTemplate,
        llm_kwargs: dict[str, Any] | None = None,
        **prompt_args: Any,
    ) -> Model:
        """Async `structured_predict`."""
        if not self._json_schema_ready():
            awaited: Model = await super().astructured_predict(output_cls, prompt, llm_kwargs=llm_kwargs, **prompt_args)
            return awaited
        messages, kwargs = self._structured_call(output_cls, prompt, llm_kwargs, prompt_args)
        return _parse_output(output_cls, await self.achat(messages, **kwargs))

    # -- lifecycle ----------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the gateway's provider connections."""
        self._gateway.close()

    async def aclose(self) -> None:
        """Async `close`."""
        await self._gateway.aclose()


def _drive(chunks: Iterator[ChatChunk], stream: ChatStream) -> ChatResponseGen:
    """Core chunks -> LlamaIndex chunks; closing early lets the gateway settle what arrived."""
    with closing(chunks):  # type: ignore[type-var]
        yield from (out for out in map(stream.feed, chunks) if out is not None)


async def _adrive(chunks: AsyncGenerator[ChatChunk, None], stream: ChatStream) -> ChatResponseAsyncGen:
    """Async `_drive`."""
    try:
        async for chunk in chunks:
            if (out := stream.feed(chunk)) is not None:
                yield out
    finally:
        await chunks.aclose()


def _parse_output(output_cls: type[Model], response: ChatResponse) -> Model:
    from pydantic import ValidationError

    try:
        parsed: Model = output_cls.model_validate_json(response.message.content or "")
    except ValidationError as exc:
        raise StructuredOutputError(
            f"the answer is not a valid {output_cls.__name__} ({exc.error_count()} error(s))",
            model=response.additional_kwargs.get("model"),
        ) from exc
    return parsed
