"""What one LlamaIndex LLM call used and cost, read off its responses (pure; no I/O, no state).

In order of trust:

1. `a3m`: an A3MLLM response's `additional_kwargs["a3m"]`: the gateway's own usage and exact cost;
2. `reported`: usage the provider reported, in `raw` (dict or SDK object: `usage` with
   prompt/input and completion/output token counts) or in `additional_kwargs` (OpenAI-style keys);
3. `counted`: counted offline with the core's token counter (`a3m_integrations.cost.tokens`) from
   the prompt and the answer's text, for LLMs and streams that report nothing.

Prices come from the catalog by model name (catalog id, alias or the provider's wire name); a model
the catalog does not know is counted but left unpriced.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from a3m_integrations.catalog import Catalog, ModelInfo
from a3m_integrations.cost.tokens import count_messages, count_text
from a3m_integrations.errors import InvalidRequest
from a3m_integrations.types import Message, Role

__all__ = ["LLMCall", "Measured", "measure", "price"]

_INPUT_KEYS = ("prompt_tokens", "input_tokens", "prompt_token_count")
_OUTPUT_KEYS = ("completion_tokens", "output_tokens", "candidates_token_count")
_COUNT_ROLES: dict[str, Role] = {"system": "system", "developer": "system", "assistant": "assistant"}


@dataclass(frozen=True, slots=True)
class LLMCall:
    """One LLM call as the tracker records it.

    `source` says how its numbers were found: "a3m" (the gateway's exact figures), "reported"
    (the provider's usage) or "counted" (offline token count). `cost` is None for a model the
    catalog does not price. `complete` is False for a stream that stopped early.
    """

    model: str
    tier: str | None
    user: str | None
    team: str | None
    route: str | None
    input_tokens: int
    output_tokens: int
    cost: Decimal | None
    source: str
    streamed: bool
    complete: bool
    llm: str

    @property
    def total_tokens(self) -> int:
        """Input plus output tokens."""
        return self.input_tokens + self.output_tokens


@dataclass(frozen=True, slots=True)
class Measured:
    """Usage and price of a call before attribution."""

    model: str
    tier: str | None
    input_tokens: int
    output_tokens: int
    cost: Decimal | None
    source: str
    who: Mapping[str, Any]


def price(catalog: Catalog, name: str | None) -> ModelInfo | None:
    """The catalog model for a model name, or None if the catalog does not know it."""
    if not name:
        return None
    try:
        return catalog.model(name)
    except InvalidRequest:
        return None


def _get(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, Mapping) else getattr(obj, key, None)


def _first_int(usage: Any, keys: Sequence[str]) -> int | None:
    for key in keys:
        value = _get(usage, key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def reported_usage(response: Any) -> tuple[int, int] | None:
    """(input, output) tokens a response reports in `raw` or `additional_kwargs`, if any."""
    if response is None:
        return None
    raw = getattr(response, "raw", None)
    for usage in (_get(raw, "usage") if raw is not None else None, getattr(response, "additional_kwargs", None)):
        if usage is None:
            continue
        tokens_in, tokens_out = _first_int(usage, _INPUT_KEYS), _first_int(usage, _OUTPUT_KEYS)
        if tokens_in is not None or tokens_out is not None:
            return tokens_in or 0, tokens_out or 0
    return None


def response_text(response: Any, streamed: str = "") -> str:
    """The answer's text, tool calls included; for a stream, the deltas it sent (`streamed`) as its text."""
    if response is None:
        return streamed
    message = getattr(response, "message", None)
    if message is None:
        return streamed or str(getattr(response, "text", "") or "")
    parts = [streamed or message.content or ""]
    for block in message.blocks:
        name = getattr(block, "tool_name", None)
        if name is not None:
            kwargs = block.tool_kwargs
            parts.append(name + (kwargs if isinstance(kwargs, str) else str(kwargs)))
    return "".join(parts)


def prompt_tokens(prompt: str | Sequence[Any], model: ModelInfo | str | None) -> int:
    """Offline count of a prompt string or a list of LlamaIndex messages, chat framing included."""
    if isinstance(prompt, str):
        return count_text(prompt, model)
    messages = []
    for m in prompt:
        if isinstance(m, str):
            messages.append(Message("user", m))
            continue
        role = m.role.value if hasattr(m.role, "value") else str(m.role)
        messages.append(Message(_COUNT_ROLES.get(role, "user"), m.content or ""))
    return count_messages(messages, model)


def measure(
    catalog: Catalog,
    *,
    model_name: str | None,
    prompt: str | Sequence[Any],
    response: Any,
    streamed_text: str,
    stream_usage: tuple[int, int] | None,
) -> Measured:
    """Usage and cost of one call from its last response (and, for streams, what was streamed)."""
    a3m = (getattr(response, "additional_kwargs", None) or {}).get("a3m")
    if isinstance(a3m, Mapping) and isinstance(a3m.get("usage"), Mapping):
        usage = a3m["usage"]
        return Measured(
            model=str(a3m.get("model") or model_name or "unknown"),
            tier=a3m.get("tier"),
            input_tokens=int(usage.get("input_tokens", 0)),
            output_tokens=int(usage.get("output_tokens", 0)),
            cost=Decimal(str(a3m.get("cost", "0"))),
            source="a3m",
            who={k: a3m.get(k) for k in ("user", "team", "route")},
        )
    info = price(catalog, model_name)
    if info is None and response is not None:  # the model the answer names (a routed or dated name)
        raw = getattr(response, "raw", None)
        named = _get(raw, "model") if raw is not None else None
        info = price(catalog, named) if isinstance(named, str) else None
    tokens = reported_usage(response) or stream_usage
    source = "reported"
    if tokens is None:
        text = response_text(response, streamed_text)
        tokens = (prompt_tokens(prompt, info or model_name), count_text(text, info or model_name))
        source = "counted"
    return Measured(
        model=info.id if info is not None else (model_name or "unknown"),
        tier=info.tier if info is not None else None,
        input_tokens=tokens[0],
        output_tokens=tokens[1],
        cost=info.cost(tokens[0], tokens[1]) if info is not None else None,
        source=source,
        who={},
    )
