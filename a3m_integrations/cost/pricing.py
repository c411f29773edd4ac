"""Prices of calls in USD (Decimal), from the catalog's per-1M-token rates.

`cost_of` prices what a call used (provider-reported usage, or counted when the provider gave
none); `estimate_request_cost` prices what a call may use at most, for budget reservations:
counted prompt tokens plus `request.max_tokens` (or the tier's typical answer length when the
request sets none), capped at the model's `max_output`. `request_token_budget` returns the same
two token counts, so a gateway can send `max_tokens` equal to the reserved output and the
provider can never bill more than was reserved.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from a3m_integrations.catalog import ModelInfo
from a3m_integrations.cost.tokens import count_request, count_text, tokenizer_for
from a3m_integrations.routing.base import DEFAULT_OUTPUT_TOKENS
from a3m_integrations.types import ChatRequest, Usage

__all__ = ["TokenBudget", "cost_of", "estimate_request_cost", "request_token_budget", "usage_from_text"]


@dataclass(frozen=True, slots=True)
class TokenBudget:
    """The most a request may use: its counted prompt and the output allowance reserved for it.

    `exact_prompt` is False when the prompt was estimated (no public tokenizer for the model).
    `output_capped` is True when `max_tokens` was absent or above the model's limit, so the
    gateway should send `max_tokens=output_tokens` to make the reservation a true upper bound.
    """

    prompt_tokens: int
    output_tokens: int
    exact_prompt: bool
    output_capped: bool


def cost_of(model: ModelInfo, usage: Usage) -> Decimal:
    """USD cost of `usage` on `model`; cached input at the cached rate when the catalog has one.

    Reasoning tokens are part of `output_tokens` (providers bill them as output), so they are
    not added again.
    """
    return model.cost(usage.input_tokens, usage.output_tokens, usage.cached_input_tokens)


def request_token_budget(request: ChatRequest, model: ModelInfo) -> TokenBudget:
    """Prompt tokens counted for `model` and the output tokens to reserve."""
    prompt = count_request(request, model)
    wanted = request.max_tokens if request.max_tokens is not None else DEFAULT_OUTPUT_TOKENS[model.tier]
    output = min(wanted, model.max_output)
    return TokenBudget(
        prompt_tokens=prompt,
        output_tokens=output,
        exact_prompt=tokenizer_for(model).exact,
        output_capped=request.max_tokens is None or request.max_tokens > model.max_output,
    )


def estimate_request_cost(request: ChatRequest, model: ModelInfo) -> Decimal:
    """The cost to reserve before calling `model`: counted prompt plus the output allowance."""
    budget = request_token_budget(request, model)
    return model.cost(budget.prompt_tokens, budget.output_tokens)


def usage_from_text(request: ChatRequest, model: ModelInfo, output_text: str) -> Usage:
    """Usage counted locally when a provider reports none (marked `estimated=True`)."""
    return Usage(
        input_tokens=count_request(request, model),
        output_tokens=count_text(output_text, model),
        estimated=True,
    )
