"""Providers: the objects that call models (OpenAI-compatible and Anthropic on httpx, a local GGUF).

Names load on first use, so importing this package pulls in neither httpx nor llama-cpp-python.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "Provider": "a3m_integrations.providers.base",
    "OpenAICompatibleProvider": "a3m_integrations.providers.openai_compat",
    "AnthropicProvider": "a3m_integrations.providers.anthropic",
    "LocalProvider": "a3m_integrations.providers.local",
    "ProviderRegistry": "a3m_integrations.providers.registry",
    "ErrorProfile": "a3m_integrations.providers.profiles",
    "PROFILES": "a3m_integrations.providers.profiles",
    "get_profile": "a3m_integrations.providers.profiles",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'a3m_integrations.providers' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from a3m_integrations.providers.anthropic import AnthropicProvider
    from a3m_integrations.providers.base import Provider
    from a3m_integrations.providers.local import LocalProvider
    from a3m_integrations.providers.openai_compat import OpenAICompatibleProvider
    from a3m_integrations.providers.profiles import PROFILES, ErrorProfile, get_profile
    from a3m_integrations.providers.registry import ProviderRegistry
