"""Resilience: retry policy, circuit breakers, health scores and the executor that uses them.

Names load on first use, so importing this package imports no provider code and no httpx.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "RetryPolicy": "a3m_integrations.resilience.retry",
    "DEFAULT_POLICY": "a3m_integrations.resilience.retry",
    "retry_after_from_headers": "a3m_integrations.resilience.retry",
    "CircuitBreaker": "a3m_integrations.resilience.breaker",
    "BreakerBoard": "a3m_integrations.resilience.breaker",
    "BreakerStatus": "a3m_integrations.resilience.breaker",
    "HealthBoard": "a3m_integrations.resilience.health",
    "ProviderHealth": "a3m_integrations.resilience.health",
    "Executor": "a3m_integrations.resilience.executor",
    "CallResult": "a3m_integrations.resilience.executor",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'a3m_integrations.resilience' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from a3m_integrations.resilience.breaker import BreakerBoard, BreakerStatus, CircuitBreaker
    from a3m_integrations.resilience.executor import CallResult, Executor
    from a3m_integrations.resilience.health import HealthBoard, ProviderHealth
    from a3m_integrations.resilience.retry import DEFAULT_POLICY, RetryPolicy, retry_after_from_headers
