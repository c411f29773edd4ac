"""a3m-integrations: a production LLM router for LangChain and LlamaIndex.

Names are imported on first use, so `import a3m_integrations` stays cheap and optional
dependencies (numpy, httpx, faiss, tiktoken) load only when a feature needs them.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing is not imported at run time: the routing path must start fast
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"

#: public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # types
    "ChatChunk": "a3m_integrations.types",
    "ChatRequest": "a3m_integrations.types",
    "ChatResponse": "a3m_integrations.types",
    "ImagePart": "a3m_integrations.types",
    "Message": "a3m_integrations.types",
    "RequestContext": "a3m_integrations.types",
    "ResponseFormat": "a3m_integrations.types",
    "RoutingDecision": "a3m_integrations.types",
    "TextPart": "a3m_integrations.types",
    "ToolCall": "a3m_integrations.types",
    "ToolSpec": "a3m_integrations.types",
    "Usage": "a3m_integrations.types",
    # errors
    "A3MError": "a3m_integrations.errors",
    "AllModelsFailed": "a3m_integrations.errors",
    "AuthError": "a3m_integrations.errors",
    "BadRequest": "a3m_integrations.errors",
    "BadResponse": "a3m_integrations.errors",
    "BudgetExceeded": "a3m_integrations.errors",
    "CacheError": "a3m_integrations.errors",
    "CircuitOpen": "a3m_integrations.errors",
    "ConfigError": "a3m_integrations.errors",
    "ConnectionFailed": "a3m_integrations.errors",
    "ContextWindowExceeded": "a3m_integrations.errors",
    "GuardrailError": "a3m_integrations.errors",
    "GuardrailViolation": "a3m_integrations.errors",
    "InvalidRequest": "a3m_integrations.errors",
    "LedgerError": "a3m_integrations.errors",
    "NoCapableModel": "a3m_integrations.errors",
    "ProviderError": "a3m_integrations.errors",
    "RateLimited": "a3m_integrations.errors",
    "ServerError": "a3m_integrations.errors",
    "StreamInterrupted": "a3m_integrations.errors",
    "Timeout": "a3m_integrations.errors",
    # catalog, routing, events
    "Catalog": "a3m_integrations.catalog",
    "ModelInfo": "a3m_integrations.catalog",
    "ProviderInfo": "a3m_integrations.catalog",
    "Event": "a3m_integrations.events",
    "EventBus": "a3m_integrations.events",
    "Router": "a3m_integrations.routing.base",
    "get_router": "a3m_integrations.routing.base",
    "HeuristicRouter": "a3m_integrations.routing.heuristic",
    "LearnedRouter": "a3m_integrations.routing.learned.router",
    "AdaptiveRouter": "a3m_integrations.routing.adaptive",
    "ModelMemory": "a3m_integrations.memory",
    "RoutingTable": "a3m_integrations.evaluation.table",
    "load_table": "a3m_integrations.evaluation.datasets",
    "analyze": "a3m_integrations.signals",
    "A3MGateway": "a3m_integrations.gateway",
    # providers and resilience
    "Provider": "a3m_integrations.providers.base",
    "ProviderRegistry": "a3m_integrations.providers.registry",
    "OpenAICompatibleProvider": "a3m_integrations.providers.openai_compat",
    "AnthropicProvider": "a3m_integrations.providers.anthropic",
    "LocalProvider": "a3m_integrations.providers.local",
    "RetryPolicy": "a3m_integrations.resilience.retry",
    "CircuitBreaker": "a3m_integrations.resilience.breaker",
    "BreakerBoard": "a3m_integrations.resilience.breaker",
    "HealthBoard": "a3m_integrations.resilience.health",
    "Executor": "a3m_integrations.resilience.executor",
    "CallResult": "a3m_integrations.resilience.executor",
    # budgets and cost
    "BudgetManager": "a3m_integrations.budget.manager",
    "BudgetAlert": "a3m_integrations.budget.manager",
    "Cap": "a3m_integrations.budget.config",
    "MemoryLedger": "a3m_integrations.budget._memory",
    "SQLiteLedger": "a3m_integrations.budget._sqlite",
    "Settlement": "a3m_integrations.budget.settlement",
    "spend_report": "a3m_integrations.budget.report",
    "count_request": "a3m_integrations.cost.tokens",
    "count_text": "a3m_integrations.cost.tokens",
    "cost_of": "a3m_integrations.cost.pricing",
    "estimate_request_cost": "a3m_integrations.cost.pricing",
    # cache
    "CacheHit": "a3m_integrations.cache.base",
    "HashingEmbedder": "a3m_integrations.cache.embedders",
    "RoutePolicy": "a3m_integrations.cache.policy",
    "SemanticCache": "a3m_integrations.cache.semantic",
    "areplay_chunks": "a3m_integrations.cache.replay",
    "replay_chunks": "a3m_integrations.cache.replay",
    # guardrails
    "GuardrailEngine": "a3m_integrations.guardrails.engine",
    "GuardrailPolicy": "a3m_integrations.guardrails.policy",
    "InjectionPolicy": "a3m_integrations.guardrails.policy",
    "PiiPolicy": "a3m_integrations.guardrails.policy",
    "GuardResult": "a3m_integrations.guardrails.base",
    "Guardrail": "a3m_integrations.guardrails.base",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'a3m_integrations' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # for type checkers and IDEs; never executed
    from a3m_integrations.budget._memory import MemoryLedger
    from a3m_integrations.budget._sqlite import SQLiteLedger
    from a3m_integrations.budget.config import Cap
    from a3m_integrations.budget.manager import BudgetAlert, BudgetManager
    from a3m_integrations.budget.report import spend_report
    from a3m_integrations.budget.settlement import Settlement
    from a3m_integrations.cache.base import CacheHit
    from a3m_integrations.cache.embedders import HashingEmbedder
    from a3m_integrations.cache.policy import RoutePolicy
    from a3m_integrations.cache.replay import areplay_chunks, replay_chunks
    from a3m_integrations.cache.semantic import SemanticCache
    from a3m_integrations.catalog import Catalog, ModelInfo, ProviderInfo
    from a3m_integrations.cost.pricing import cost_of, estimate_request_cost
    from a3m_integrations.cost.tokens import count_request, count_text
    from a3m_integrations.errors import (
        A3MError,
        AllModelsFailed,
        AuthError,
        BadRequest,
        BadResponse,
        BudgetExceeded,
        CacheError,
        CircuitOpen,
        ConfigError,
        ConnectionFailed,
        ContextWindowExceeded,
        GuardrailError,
        GuardrailViolation,
        InvalidRequest,
        LedgerError,
        NoCapableModel,
        ProviderError,
        RateLimited,
        ServerError,
        StreamInterrupted,
        Timeout,
    )
    from a3m_integrations.evaluation.datasets import load_table
    from a3m_integrations.evaluation.table import RoutingTable
    from a3m_integrations.events import Event, EventBus
    from a3m_integrations.gateway import A3MGateway
    from a3m_integrations.guardrails.base import Guardrail, GuardResult
    from a3m_integrations.guardrails.engine import GuardrailEngine
    from a3m_integrations.guardrails.policy import GuardrailPolicy, InjectionPolicy, PiiPolicy
    from a3m_integrations.memory import ModelMemory
    from a3m_integrations.providers.anthropic import AnthropicProvider
    from a3m_integrations.providers.base import Provider
    from a3m_integrations.providers.local import LocalProvider
    from a3m_integrations.providers.openai_compat import OpenAICompatibleProvider
    from a3m_integrations.providers.registry import ProviderRegistry
    from a3m_integrations.resilience.breaker import BreakerBoard, CircuitBreaker
    from a3m_integrations.resilience.executor import CallResult, Executor
    from a3m_integrations.resilience.health import HealthBoard
    from a3m_integrations.resilience.retry import RetryPolicy
    from a3m_integrations.routing.adaptive import AdaptiveRouter
    from a3m_integrations.routing.base import Router, get_router
    from a3m_integrations.routing.heuristic import HeuristicRouter
    from a3m_integrations.routing.learned.router import LearnedRouter
    from a3m_integrations.signals import analyze
    from a3m_integrations.types import (
        ChatChunk,
        ChatRequest,
        ChatResponse,
        ImagePart,
        Message,
        RequestContext,
        ResponseFormat,
        RoutingDecision,
        TextPart,
        ToolCall,
        ToolSpec,
        Usage,
    )
