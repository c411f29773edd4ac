"""LlamaIndexProvider: any LlamaIndex LLM as a core Provider, so the gateway routes between LLMs you have.

    gateway = gateway_from_llms({"fast": OpenAILike(model="gpt-4o-mini", ...), "strong": Anthropic(...)})
    llm = A3MLLM(gateway)            # or gateway.chat(...) directly

A request is converted to LlamaIndex messages and sent with the LLM's own `chat` /
`stream_chat` (and their async twins); with tools, through `chat_with_tools` and
`get_tool_calls_from_response`, so any `FunctionCallingLLM` can take tool calls. Sampling
parameters go as keywords, which LlamaIndex LLMs pass to their API. Usage is what the answer
reports, else counted (`estimated=True`). Every failure of the LLM is mapped to a `ProviderError`
at one boundary (`_provider_error`), so the gateway's retries, breakers and fallbacks apply; turn
the LLM's own retries off (`max_retries=0`) so attempts do not multiply.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from llama_index.core.base.llms.types import ChatResponse
from llama_index.core.llms.function_calling import FunctionCallingLLM
from llama_index.core.llms.llm import LLM
from llama_index.core.tools.types import BaseTool, ToolMetadata, ToolOutput

from a3m_integrations.catalog import Catalog, ModelInfo
from a3m_integrations.errors import (
    A3MError,
    BadRequest,
    ConfigError,
    ConnectionFailed,
    ProviderError,
    ServerError,
    Timeout,
)
from a3m_integrations.gateway import A3MGateway
from a3m_integrations.providers._usage import count_usage
from a3m_integrations.types import ChatChunk, ChatRequest, Message, ToolCall, ToolCallDelta, ToolSpec, Usage
from a3m_integrations.types import ChatResponse as CoreResponse
from llamaindex_a3m._convert import from_core_message
from llamaindex_a3m._measure import price, reported_usage

__all__ = ["LlamaIndexProvider", "gateway_from_llms"]

_log = logging.getLogger("llamaindex_a3m.providers")
_MODEL_FIELDS = ("tier", "input_per_1m", "output_per_1m", "context_window", "max_output", "capabilities")


@dataclass
class _SpecMetadata(ToolMetadata):
    """Tool metadata whose parameters are a core ToolSpec's JSON schema."""

    parameters: Mapping[str, Any] = field(default_factory=dict)

    def get_parameters_dict(self) -> dict[str, Any]:
        return dict(self.parameters)


class _SpecTool(BaseTool):
    """A tool the model may call; the gateway's caller runs it, never this provider."""

    def __init__(self, spec: ToolSpec) -> None:
        self._metadata = _SpecMetadata(
            description=spec.description or spec.name, name=spec.name, parameters=spec.parameters
        )

    @property
    def metadata(self) -> ToolMetadata:
        return self._metadata

    def __call__(self, input: Any) -> ToolOutput:
        raise BadRequest(f"tool {self._metadata.name!r} is run by the caller, not by the provider")


def _provider_error(exc: Exception, provider: str, model: ModelInfo) -> ProviderError:
    """A LlamaIndex LLM's failure as the most specific ProviderError."""
    from a3m_integrations.providers._errors import error_from_status, excerpt, map_transport_error

    status = getattr(exc, "status_code", None)
    if isinstance(status, int):  # the OpenAI / Anthropic SDKs' status errors
        headers = getattr(getattr(exc, "response", None), "headers", None)
        return error_from_status(status, headers, str(exc), profile=None, provider=provider, model=model.id)
    import httpx

    if isinstance(exc, httpx.HTTPError):
        return map_transport_error(exc, provider=provider, model=model.id)
    name, detail = type(exc).__name__, excerpt(str(exc) or type(exc).__name__)
    kind: type[ProviderError] = ServerError
    if isinstance(exc, TimeoutError) or "Timeout" in name:
        kind = Timeout
    elif "Connection" in name or isinstance(exc, ConnectionError):
        kind = ConnectionFailed
    elif isinstance(exc, (ValueError, TypeError)):
        kind = BadRequest  # the LLM refused its input: retrying the same model will not help
    retryable = None if kind is not ServerError else False  # an unknown failure: fall back, do not retry
    return kind(f"{name}: {detail}", provider=provider, model=model.id, retryable=retryable)


@contextmanager
def _boundary(provider: str, model: ModelInfo) -> Iterator[None]:
    """The one boundary where an LLM's failures become ProviderErrors (a3m errors pass as they are)."""
    try:
        yield
    except A3MError:
        raise
    except Exception as exc:
        raise _provider_error(exc, provider, model) from exc


class _Call:
    """What to send for one request: the messages, the tools and the keywords (built once)."""

    def __init__(self, llm: LLM, request: ChatRequest, model: ModelInfo, provider: str) -> None:
        if request.tools and not isinstance(llm, FunctionCallingLLM):
            raise BadRequest(
                f"{type(llm).__name__} cannot call tools", provider=provider, model=model.id, retryable=False
            )
        self.messages = [from_core_message(m) for m in request.messages]
        self.tools = [_SpecTool(t) for t in request.tools] if request.tool_choice != "none" else []
        self.kwargs: dict[str, Any] = {k: v for k, v in _params(request).items() if v is not None}
        choice = request.tool_choice
        if self.tools and choice not in (None, "auto", "required", "any"):
            self.kwargs["tool_choice"] = choice
        self.tool_required = choice in ("required", "any")

    def send(self, llm: LLM, method: str) -> Any:
        """Call `llm.<method>` (chat, achat, stream_chat, astream_chat), its `_with_tools` form with tools."""
        if not self.tools:
            return getattr(llm, method)(self.messages, **self.kwargs)
        return getattr(llm, method + "_with_tools")(
            self.tools,
            chat_history=self.messages,
            allow_parallel_tool_calls=True,
            tool_required=self.tool_required,
            **self.kwargs,
        )


def _params(request: ChatRequest) -> dict[str, Any]:
    rf = request.response_format
    response_format = None
    if rf is not None and rf.type == "json_schema":
        schema = {"name": rf.name or "answer", "schema": dict(rf.schema or {})}
        response_format = {"type": "json_schema", "json_schema": schema}
    elif rf is not None and rf.type == "json_object":
        response_format = {"type": "json_object"}
    return {
        "temperature": request.temperature,
        "max_tokens": request.max_tokens,
        "top_p": request.top_p,
        "seed": request.seed,
        "stop": list(request.stop) or None,
        "response_format": response_format,
        **request.extra,
    }


class _Answer:
    """Builds the core answer and stream chunks from LlamaIndex responses (shared by all four paths)."""

    def __init__(self, llm: LLM, request: ChatRequest, model: ModelInfo, provider: str) -> None:
        self.llm, self.request, self.model, self.provider = llm, request, model, provider
        self.text = ""
        self.last: ChatResponse | None = None
        self.usage: tuple[int, int] | None = None

    def chunk(self, piece: ChatResponse) -> ChatChunk | None:
        content = piece.message.content or ""
        delta = piece.delta if piece.delta is not None else content[len(self.text) :]
        self.text = content if content.startswith(self.text) else self.text + delta
        self.last = piece
        self.usage = reported_usage(piece) or self.usage
        return ChatChunk(text=delta, model=self.model.id) if delta else None

    def response(self, piece: ChatResponse | None = None) -> CoreResponse:
        if piece is not None:
            self.last, self.text = piece, piece.message.content or ""
            self.usage = reported_usage(piece)
        calls: list[ToolCall] = []
        if self.last is not None and isinstance(self.llm, FunctionCallingLLM):
            selections = self.llm.get_tool_calls_from_response(self.last, error_on_no_tool_call=False)
            calls = [
                ToolCall(s.tool_id or f"call_{i}", s.tool_name, _json(s.tool_kwargs)) for i, s in enumerate(selections)
            ]
        message = Message.assistant(self.text, calls)
        usage = Usage(*self.usage) if self.usage is not None else count_usage(self.request, message, self.model)
        return CoreResponse(
            message=message,
            model=self.model.id,
            provider=self.provider,
            usage=usage,
            finish_reason="tool_calls" if calls else "stop",
        )

    def final(self) -> ChatChunk:
        answer = self.response()
        deltas = tuple(ToolCallDelta(i, c.id, c.name, c.arguments) for i, c in enumerate(answer.message.tool_calls))
        return ChatChunk(
            tool_calls=deltas,
            finish_reason=answer.finish_reason,
            usage=answer.usage,
            model=self.model.id,
            response=answer,
        )


def _json(kwargs: Any) -> str:
    import json

    return kwargs if isinstance(kwargs, str) else json.dumps(kwargs)


class LlamaIndexProvider:
    """A LlamaIndex LLM as a core `Provider` (register it under the provider id of its catalog models).

    Args:
        llm: any LlamaIndex LLM; a `FunctionCallingLLM` also takes requests with tools.
        id: the provider id its catalog models name.
    """

    def __init__(self, llm: LLM, *, id: str = "llamaindex") -> None:
        self.id = id
        self.llm = llm
        retries = getattr(llm, "max_retries", 0)
        if retries:
            _log.info("%s retries on its own (max_retries=%s); set 0 so only the gateway retries", id, retries)

    def __repr__(self) -> str:
        return f"LlamaIndexProvider(id={self.id!r}, llm={type(self.llm).__name__})"

    def _start(self, request: ChatRequest, model: ModelInfo) -> tuple[_Call, _Answer]:
        return _Call(self.llm, request, model, self.id), _Answer(self.llm, request, model, self.id)

    def chat(self, request: ChatRequest, model: ModelInfo) -> CoreResponse:
        """Send a request to the LLM and return the whole answer."""
        call, answer = self._start(request, model)
        with _boundary(self.id, model):
            return answer.response(call.send(self.llm, "chat"))

    async def achat(self, request: ChatRequest, model: ModelInfo) -> CoreResponse:
        """Async `chat`."""
        call, answer = self._start(request, model)
        with _boundary(self.id, model):
            return answer.response(await call.send(self.llm, "achat"))

    def stream(self, request: ChatRequest, model: ModelInfo) -> Iterator[ChatChunk]:
        """Stream the answer; the last chunk carries usage and the whole answer."""
        call, answer = self._start(request, model)
        with _boundary(self.id, model):
            yield from (c for c in map(answer.chunk, call.send(self.llm, "stream_chat")) if c is not None)
            final = answer.final()
        yield final

    async def astream(self, request: ChatRequest, model: ModelInfo) -> AsyncIterator[ChatChunk]:
        """Async `stream`."""
        call, answer = self._start(request, model)
        with _boundary(self.id, model):
            async for piece in await call.send(self.llm, "astream_chat"):
                if (chunk := answer.chunk(piece)) is not None:
                    yield chunk
            final = answer.final()
        yield final

    def close(self) -> None:
        """LlamaIndex LLMs hold no connections the gateway should close."""

    async def aclose(self) -> None:
        """Async `close`."""


def _entry(name: str, llm: LLM, given: Mapping[str, Any], known: ModelInfo | None) -> dict[str, Any]:
    meta = llm.metadata
    caps = set(known.capabilities if known is not None else ()) | {"streaming"}
    if isinstance(llm, FunctionCallingLLM) and meta.is_function_calling_model:
        caps.add("tools")
    entry: dict[str, Any] = {
        "id": f"{name}/{meta.model_name}",
        "provider": name,
        "name": meta.model_name,
        "context_window": meta.context_window,
        "max_output": meta.num_output if meta.num_output > 0 else (known.max_output if known else 4096),
        "capabilities": sorted(caps),
        "price_date": known.price_date if known is not None else "unknown",
        "price_source": f"catalog entry {known.id}" if known is not None else "given by the user",
    }
    if known is not None:
        entry.update(tier=known.tier, input_per_1m=str(known.input_per_1m), output_per_1m=str(known.output_per_1m))
    entry.update({k: v for k, v in given.items() if k in _MODEL_FIELDS or k in ("price_date", "price_source")})
    missing = [k for k in ("tier", "input_per_1m", "output_per_1m") if k not in entry]
    if missing:
        raise ConfigError(
            f"LLM {name!r} ({meta.model_name}) is not in the catalog: give its {', '.join(missing)}",
            entry=name,
            field=missing[0],
            hint="Pass models={'" + name + "': {'tier': 'cheap', 'input_per_1m': 0.15, 'output_per_1m': 0.6}}.",
        )
    return entry


def gateway_from_llms(
    llms: Mapping[str, LLM],
    *,
    models: Mapping[str, Mapping[str, Any]] | None = None,
    catalog: Catalog | None = None,
    **gateway_kwargs: Any,
) -> A3MGateway:
    """A gateway that routes over LlamaIndex LLMs you already configured, one provider each.

    Each LLM becomes provider `name` with one model `name/<model_name>`; prices, tier and
    capabilities come from the catalog entry of its model name when there is one, else from
    `models[name]` (tier, input_per_1m, output_per_1m; context_window, max_output and
    capabilities override too). Other keywords go to `A3MGateway` (router, budget, cache, ...).
    """
    base = catalog or Catalog.default()
    models = models or {}
    entries = []
    for name, llm in llms.items():
        entries.append(_entry(name, llm, models.get(name, {}), price(base, llm.metadata.model_name)))
    merged = base.merged(
        {
            "providers": {
                name: {"api": "openai", "name": f"LlamaIndex {type(llm).__name__}"} for name, llm in llms.items()
            },
            "models": entries,
        },
        source="<llamaindex llms>",
    )
    gateway_kwargs.setdefault("baseline_model", None)
    return A3MGateway(
        catalog=merged,
        providers={name: LlamaIndexProvider(llm, id=name) for name, llm in llms.items()},
        pool=[e["id"] for e in entries],
        **gateway_kwargs,
    )
