"""Token usage when a provider reports none: the one place the counting method is chosen.

Today this is the tokenizer-free estimate of `cost.estimate`, marked `estimated=True`. When exact
counting (tiktoken, `cost/tokens.py`) lands, switch the two calls below and nothing else.
"""

from __future__ import annotations

from a3m_integrations.catalog import ModelInfo
from a3m_integrations.types import ChatRequest, Message, Usage

__all__ = ["count_usage", "or_estimate", "token_count"]


def token_count(value: object) -> int:
    """A usage field as a count: non-negative numbers as int, anything else 0."""
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 else 0


def count_usage(request: ChatRequest, answer: Message, model: ModelInfo | None = None) -> Usage:
    """Estimated usage of a call: the request's prompt tokens and the answer's tokens."""
    from a3m_integrations.cost.estimate import approx_message_tokens, approx_request_tokens

    del model  # the estimate does not depend on the model's tokenizer (tiktoken counting will)
    prompt = approx_request_tokens(request)
    # the answer's own framing (4 tokens per message) is not billed as output
    output = max(0, approx_message_tokens(answer) - 4)
    return Usage(input_tokens=prompt, output_tokens=output, estimated=True)


def or_estimate(reported: Usage | None, request: ChatRequest, answer: Message, model: ModelInfo | None) -> Usage:
    """The provider's usage when it reported one, else the estimate."""
    return reported if reported is not None else count_usage(request, answer, model)
