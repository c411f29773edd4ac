"""Guardrails: prompt-injection scoring, PII redaction and per-route policy.

Names load on first use (like the package root), so importing the protocol in `base` costs
nothing; numpy and the model load only when a text is first scored.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "Finding": "a3m_integrations.guardrails.base",
    "GuardResult": "a3m_integrations.guardrails.base",
    "Guardrail": "a3m_integrations.guardrails.base",
    "GuardrailEngine": "a3m_integrations.guardrails.engine",
    "guard_metadata": "a3m_integrations.guardrails.engine",
    "GuardrailPolicy": "a3m_integrations.guardrails.policy",
    "InjectionPolicy": "a3m_integrations.guardrails.policy",
    "PiiPolicy": "a3m_integrations.guardrails.policy",
    "policies_from_dict": "a3m_integrations.guardrails.policy",
    "InjectionDetector": "a3m_integrations.guardrails.injection",
    "PiiDetector": "a3m_integrations.guardrails.pii",
    "StreamRestorer": "a3m_integrations.guardrails.pii",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'a3m_integrations.guardrails' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from a3m_integrations.guardrails.base import Finding, Guardrail, GuardResult
    from a3m_integrations.guardrails.engine import GuardrailEngine, guard_metadata
    from a3m_integrations.guardrails.injection import InjectionDetector
    from a3m_integrations.guardrails.pii import PiiDetector, StreamRestorer
    from a3m_integrations.guardrails.policy import (
        GuardrailPolicy,
        InjectionPolicy,
        PiiPolicy,
        policies_from_dict,
    )
