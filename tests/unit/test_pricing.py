from __future__ import annotations

from decimal import Decimal

import pytest

from a3m_integrations.catalog import Catalog
from a3m_integrations.cost.pricing import cost_of, estimate_request_cost, request_token_budget, usage_from_text
from a3m_integrations.cost.tokens import count_request, count_text
from a3m_integrations.routing.base import DEFAULT_OUTPUT_TOKENS
from a3m_integrations.types import ChatRequest, Usage


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.default()


def test_cost_of_prices_cached_input_at_its_rate(catalog: Catalog) -> None:
    model = catalog.model("openai/gpt-4o").replace(
        input_per_1m=Decimal("2.50"),
        output_per_1m=Decimal("10"),
        cached_input_per_1m=Decimal("1.25"),
    )
    usage = Usage(input_tokens=1_000_000, output_tokens=100_000, cached_input_tokens=400_000)
    # 600k fresh at 2.50 + 400k cached at 1.25 + 100k out at 10
    assert cost_of(model, usage) == Decimal("1.5") + Decimal("0.5") + Decimal("1.0")
    no_cache_rate = model.replace(cached_input_per_1m=None)
    assert cost_of(no_cache_rate, usage) == Decimal("2.5") + Decimal("1.0")
    assert isinstance(cost_of(model, Usage()), Decimal) and cost_of(model, Usage()) == 0


def test_estimate_uses_max_tokens_else_the_tier_default_capped(catalog: Catalog) -> None:
    model = catalog.model("openai/gpt-4o-mini")
    request = ChatRequest.of("Summarise the French revolution in three sentences.")
    prompt = count_request(request, model)
    default_out = min(DEFAULT_OUTPUT_TOKENS[model.tier], model.max_output)
    assert estimate_request_cost(request, model) == model.cost(prompt, default_out)
    capped = ChatRequest.of("hi", max_tokens=200)
    assert estimate_request_cost(capped, model) == model.cost(count_request(capped, model), 200)
    huge = ChatRequest.of("hi", max_tokens=model.max_output * 10)
    budget = request_token_budget(huge, model)
    assert budget.output_tokens == model.max_output and budget.output_capped and budget.exact_prompt
    assert not request_token_budget(capped, model).output_capped
    assert request_token_budget(request, model).output_capped  # no max_tokens: tell the gateway to cap


def test_estimate_for_a_model_without_public_tokenizer(catalog: Catalog) -> None:
    model = catalog.model("anthropic/claude-haiku-4-5-20251001")
    request = ChatRequest.of("x" * 4000, max_tokens=10)
    budget = request_token_budget(request, model)
    assert not budget.exact_prompt
    assert 1000 <= budget.prompt_tokens <= 1010  # 4000 ASCII chars ~ 1000 tokens plus framing
    assert estimate_request_cost(request, model) > 0


def test_usage_from_text_is_marked_estimated(catalog: Catalog) -> None:
    model = catalog.model("openai/gpt-4o")
    request = ChatRequest.of("What is 2 + 2?")
    usage = usage_from_text(request, model, "2 + 2 = 4.")
    assert usage.estimated
    assert usage.input_tokens == count_request(request, model)
    assert usage.output_tokens == count_text("2 + 2 = 4.", model)
