"""Token counting (offline tiktoken, else a documented estimate), prices and cost estimates.

Names load on first use; tiktoken itself loads only when a count needs it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "approx_message_tokens": "a3m_integrations.cost.estimate",
    "approx_request_tokens": "a3m_integrations.cost.estimate",
    "approx_tokens": "a3m_integrations.cost.estimate",
    "TokenizerInfo": "a3m_integrations.cost.tokens",
    "count_message": "a3m_integrations.cost.tokens",
    "count_messages": "a3m_integrations.cost.tokens",
    "count_request": "a3m_integrations.cost.tokens",
    "count_text": "a3m_integrations.cost.tokens",
    "count_tools": "a3m_integrations.cost.tokens",
    "tokenizer_for": "a3m_integrations.cost.tokens",
    "warm": "a3m_integrations.cost.tokens",
    "image_tokens": "a3m_integrations.cost.images",
    "TokenBudget": "a3m_integrations.cost.pricing",
    "cost_of": "a3m_integrations.cost.pricing",
    "estimate_request_cost": "a3m_integrations.cost.pricing",
    "request_token_budget": "a3m_integrations.cost.pricing",
    "usage_from_text": "a3m_integrations.cost.pricing",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'a3m_integrations.cost' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from a3m_integrations.cost.estimate import approx_message_tokens, approx_request_tokens, approx_tokens
    from a3m_integrations.cost.images import image_tokens
    from a3m_integrations.cost.pricing import (
        TokenBudget,
        cost_of,
        estimate_request_cost,
        request_token_budget,
        usage_from_text,
    )
    from a3m_integrations.cost.tokens import (
        TokenizerInfo,
        count_message,
        count_messages,
        count_request,
        count_text,
        count_tools,
        tokenizer_for,
        warm,
    )
