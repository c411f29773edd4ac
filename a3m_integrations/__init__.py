"""a3m-integrations: a production LLM router for LangChain and LlamaIndex.

Names are imported on first use, so `import a3m_integrations` stays cheap and optional
dependencies (numpy, httpx, faiss, tiktoken) load only when a feature needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
    "analyze": "a3m_integrations.signals",
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
    from a3m_integrations.catalog import Catalog, ModelInfo, ProviderInfo
    from a3m_integrations.errors import (
        A3MError,
        AllModelsFailed,
        AuthError,
        BadRequest,
        BadResponse,
        BudgetExceeded,
        CacheError,
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
    from a3m_integrations.events import Event, EventBus
    from a3m_integrations.guardrails.base import Guardrail, GuardResult
    from a3m_integrations.guardrails.engine import GuardrailEngine
    from a3m_integrations.guardrails.policy import GuardrailPolicy, InjectionPolicy, PiiPolicy
    from a3m_integrations.routing.base import Router, get_router
    from a3m_integrations.routing.heuristic import HeuristicRouter
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
