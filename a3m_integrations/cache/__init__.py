"""Response cache: exact and semantic levels on SQLite and faiss, with guards against false hits.

Import what you need from here; heavy dependencies (numpy, faiss) load only when a cache or
embedder is built.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "CacheHit": "a3m_integrations.cache.base",
    "Embedder": "a3m_integrations.cache.base",
    "ResponseCache": "a3m_integrations.cache.base",
    "SemanticCache": "a3m_integrations.cache.semantic",
    "HashingEmbedder": "a3m_integrations.cache.embedders",
    "LangChainEmbedder": "a3m_integrations.cache.embedders",
    "LlamaIndexEmbedder": "a3m_integrations.cache.embedders",
    "as_embedder": "a3m_integrations.cache.embedders",
    "RoutePolicy": "a3m_integrations.cache.policy",
    "check_pair": "a3m_integrations.cache.guards",
    "namespace_for": "a3m_integrations.cache.keys",
    "request_key": "a3m_integrations.cache.keys",
    "replay_chunks": "a3m_integrations.cache.replay",
    "areplay_chunks": "a3m_integrations.cache.replay",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'a3m_integrations.cache' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from a3m_integrations.cache.base import CacheHit, Embedder, ResponseCache
    from a3m_integrations.cache.embedders import HashingEmbedder, LangChainEmbedder, LlamaIndexEmbedder, as_embedder
    from a3m_integrations.cache.guards import check_pair
    from a3m_integrations.cache.keys import namespace_for, request_key
    from a3m_integrations.cache.policy import RoutePolicy
    from a3m_integrations.cache.replay import areplay_chunks, replay_chunks
    from a3m_integrations.cache.semantic import SemanticCache
