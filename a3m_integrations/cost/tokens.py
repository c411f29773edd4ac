"""Token counting that works offline: tiktoken where the model's tokenizer is public, else the estimate.

Which counter a model gets (`tokenizer_for`):

- the catalog's `ModelInfo.tokenizer` when it names an encoding we can load (o200k_base,
  cl100k_base); otherwise the model's family or name: gpt-4o / gpt-4.1 / gpt-4.5 / gpt-5 /
  o1 / o3 / o4 -> o200k_base, gpt-4 / gpt-3.5 / text-embedding -> cl100k_base;
- every other family (Claude, Gemini, Llama, DeepSeek, local GGUF models...) has no public
  tokenizer we can ship, so it gets the documented estimate of `cost/estimate.py`;
- if tiktoken or its BPE files are unusable, the estimate too (logged once per encoding).

Chat framing follows OpenAI's billing as published in the OpenAI cookbook ("How to count tokens
with tiktoken"): 3 tokens per message plus its role, 1 more plus the name when a name is set,
3 to prime the reply; tool schemas use the cookbook's function-formatting constants; images use
`cost/images.py`. Encoders load lazily, once per process; counting itself is tiktoken's Rust BPE.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from a3m_integrations.cost import _bpe
from a3m_integrations.cost.estimate import FAMILY_FACTORS, approx_tokens
from a3m_integrations.cost.images import image_tokens
from a3m_integrations.types import ChatRequest, Message, TextPart, ToolSpec

if TYPE_CHECKING:
    from a3m_integrations.catalog import ModelInfo

__all__ = [
    "TokenizerInfo",
    "count_message",
    "count_messages",
    "count_request",
    "count_text",
    "count_tools",
    "tokenizer_for",
    "warm",
]

_O200K_PREFIXES = ("gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4")
_CL100K_PREFIXES = ("gpt-4", "gpt-3.5", "text-embedding-3", "text-embedding-ada")
_TOKENS_PER_MESSAGE = 3
_TOKENS_PER_NAME = 1
_REPLY_PRIMING = 3
_TOOL_CALL_OVERHEAD = 3
# OpenAI cookbook's tool-formatting constants: (func_init, prop_init, prop_key, enum_init, enum_item, func_end)
_TOOL_CONSTS_O200K = (7, 3, 3, -3, 3, 12)
_TOOL_CONSTS_CL100K = (10, 3, 3, -3, 3, 12)
# Anthropic adds a tool-use system prompt when tools are present (its pricing docs: 346 tokens
# for tool_choice auto/none, 313 for any/tool on Claude 4 and 3.7 models).
_ANTHROPIC_TOOL_PROMPT = {"auto": 346, "none": 346, "other": 313}


@dataclass(frozen=True, slots=True)
class TokenizerInfo:
    """How a model's tokens are counted.

    Attributes:
        encoding: the tiktoken encoding name, or None when the estimate is used.
        family: the billing family for framing and images: openai, anthropic, google or other.
        model_name: the model's name without its provider prefix.
        exact: True when `encoding` is set and loads (tiktoken counts), False for the estimate.
    """

    encoding: str | None
    family: str
    model_name: str
    exact: bool


def _split(model: ModelInfo | str | None) -> tuple[str, str, str | None, str | None]:
    """(provider, name, tokenizer, family) of a catalog model or a model id string."""
    if model is None:
        return "", "", None, None
    if isinstance(model, str):
        provider, _, name = model.rpartition("/")
        return provider.lower(), name.lower(), None, None
    return model.provider.lower(), model.name.lower(), model.tokenizer, (model.family or "").lower() or None


#: Encodings that share another's BPE ranks and differ only in special tokens (gpt-oss's harmony format).
_SAME_RANKS = {"o200k_harmony": "o200k_base"}


def _encoding_name(name: str, tokenizer: str | None, family: str | None) -> str | None:
    if tokenizer:
        tokenizer = _SAME_RANKS.get(tokenizer, tokenizer)
        return tokenizer if tokenizer in _bpe.ENCODINGS else None
    for candidate in (name, family or ""):
        if candidate.startswith(_O200K_PREFIXES):
            return "o200k_base"
        if candidate.startswith(_CL100K_PREFIXES):
            return "cl100k_base"
    return None


def _billing_family(provider: str, name: str, family: str | None, encoding: str | None) -> str:
    text = f"{provider} {name} {family or ''}"
    if provider == "anthropic" or "claude" in text:
        return "anthropic"
    if provider in ("google", "gemini", "vertex_ai") or "gemini" in text:
        return "google"
    if provider in ("openai", "azure") or encoding is not None:
        return "openai"
    return "other"


def tokenizer_for(model: ModelInfo | str | None = None) -> TokenizerInfo:
    """How `model` is counted. None means "an OpenAI model" (o200k_base), the common default."""
    provider, name, tokenizer, family = _split(model)
    encoding = "o200k_base" if model is None else _encoding_name(name, tokenizer, family)
    billing = _billing_family(provider, name, family, encoding)
    exact = encoding is not None and _bpe.load_encoding(encoding) is not None
    return TokenizerInfo(encoding if exact else None, billing, name, exact)


def warm(*encodings: str) -> None:
    """Load encodings now (default both) so the first count does not pay the ~0.2-0.5 s load."""
    for name in encodings or tuple(_bpe.ENCODINGS):
        _bpe.load_encoding(name)


class _Estimator:
    """Stands in for a tiktoken encoder: the estimate, scaled by the family's measured factor."""

    __slots__ = ("factor",)

    def __init__(self, factor: float) -> None:
        self.factor = factor

    def count(self, text: str) -> int:
        n = approx_tokens(text)
        return n if self.factor == 1.0 else max(1, math.ceil(n * self.factor))


def _encoder(info: TokenizerInfo) -> Any:
    if info.encoding:
        return _bpe.load_encoding(info.encoding)
    return _Estimator(FAMILY_FACTORS.get(info.family, 1.0))


def _text(encoder: Any, text: str) -> int:
    if not text:
        return 0
    if isinstance(encoder, _Estimator):
        return encoder.count(text)
    return len(encoder.encode_ordinary(text))


def count_text(text: str, model: ModelInfo | str | None = None) -> int:
    """Tokens of plain text (no chat framing), e.g. a completion's output."""
    return _text(_encoder(tokenizer_for(model)), text)


def _message(encoder: Any, info: TokenizerInfo, message: Message) -> int:
    # the estimate's framing is 4 per message, role included
    n = 4 if isinstance(encoder, _Estimator) else _TOKENS_PER_MESSAGE + _text(encoder, message.role)
    if isinstance(message.content, str):
        n += _text(encoder, message.content)
    else:
        for part in message.content:
            if isinstance(part, TextPart):
                n += _text(encoder, part.text)
            else:
                n += image_tokens(part, info.family, info.model_name)
    if message.name:
        n += _TOKENS_PER_NAME + _text(encoder, message.name)
    if message.tool_call_id:
        n += _text(encoder, message.tool_call_id)
    for call in message.tool_calls:
        n += _TOOL_CALL_OVERHEAD + _text(encoder, call.name) + _text(encoder, call.arguments)
    return n


def count_message(message: Message, model: ModelInfo | str | None = None) -> int:
    """Tokens one message adds to a prompt: framing, role, name, text, images and tool calls."""
    info = tokenizer_for(model)
    return _message(_encoder(info), info, message)


def count_messages(messages: Iterable[Message], model: ModelInfo | str | None = None) -> int:
    """Prompt tokens of a conversation, reply priming included (the cookbook's num_tokens_from_messages)."""
    info = tokenizer_for(model)
    encoder = _encoder(info)
    return _REPLY_PRIMING + sum(_message(encoder, info, m) for m in messages)


def _schema_type(schema: Mapping[str, Any]) -> str:
    kind = schema.get("type", "")
    if isinstance(kind, list):
        return " | ".join(str(k) for k in kind)
    return str(kind)


def _openai_tools(encoder: Any, tools: Sequence[ToolSpec], consts: tuple[int, ...]) -> int:
    func_init, prop_init, prop_key, enum_init, enum_item, func_end = consts
    n = 0
    for tool in tools:
        n += func_init + _text(encoder, f"{tool.name}:{tool.description.removesuffix('.')}")
        properties = tool.parameters.get("properties") or {}
        if not isinstance(properties, Mapping) or not properties:
            continue
        n += prop_init
        for key, schema in properties.items():
            n += prop_key
            if not isinstance(schema, Mapping):
                n += _text(encoder, str(key))
                continue
            enum = schema.get("enum")
            if isinstance(enum, Sequence) and not isinstance(enum, str):
                n += enum_init + sum(enum_item + _text(encoder, str(item)) for item in enum)
            description = str(schema.get("description") or "").removesuffix(".")
            n += _text(encoder, f"{key}:{_schema_type(schema)}:{description}")
            nested = {k: v for k, v in schema.items() if k in ("properties", "items", "anyOf", "oneOf", "allOf")}
            if nested:  # the cookbook recipe covers flat schemas; nested parts count as their JSON
                n += _text(encoder, json.dumps(nested, separators=(",", ":")))
    return n + func_end if tools else n


def _tools(encoder: Any, info: TokenizerInfo, tools: Sequence[ToolSpec], tool_choice: Any) -> int:
    if not tools:
        return 0
    if not isinstance(encoder, _Estimator):
        consts = _TOOL_CONSTS_O200K if info.encoding == "o200k_base" else _TOOL_CONSTS_CL100K
        return _openai_tools(encoder, tools, consts)
    n = encoder.count(json.dumps([t.to_dict() for t in tools], separators=(",", ":")))
    if info.family == "anthropic":
        choice = tool_choice if tool_choice in ("auto", "none") or tool_choice is None else "other"
        n += _ANTHROPIC_TOOL_PROMPT[choice or "auto"]
    return n


def count_tools(tools: Sequence[ToolSpec], model: ModelInfo | str | None = None, *, tool_choice: Any = None) -> int:
    """Prompt tokens the tool definitions add (0 without tools)."""
    info = tokenizer_for(model)
    return _tools(_encoder(info), info, tools, tool_choice)


def count_request(request: ChatRequest, model: ModelInfo | str | None = None) -> int:
    """Prompt tokens of a whole request: messages, reply priming and tool schemas.

    A `response_format` JSON schema is counted as its JSON text (providers inject it into the prompt).
    """
    info = tokenizer_for(model)
    encoder = _encoder(info)
    n = _REPLY_PRIMING + sum(_message(encoder, info, m) for m in request.messages)
    n += _tools(encoder, info, request.tools, request.tool_choice)
    rf = request.response_format
    if rf is not None and rf.schema is not None:
        n += _text(encoder, json.dumps(dict(rf.schema), separators=(",", ":")))
    return n
