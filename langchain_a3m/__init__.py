"""LangChain adapters over the a3m-integrations core: they convert types and call the gateway.

Names are imported on first use (one module per concern), so importing the package costs nothing
until a class is touched.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "A3MChatModel": "langchain_a3m.chat_models",
    "A3MRouterRunnable": "langchain_a3m.runnables",
    "A3MGuardrail": "langchain_a3m.runnables",
    "route_branch": "langchain_a3m.runnables",
    "A3MCostCallbackHandler": "langchain_a3m.callbacks",
    "get_a3m_callback": "langchain_a3m.callbacks",
    "LangChainProvider": "langchain_a3m.providers",
    "A3MSemanticCache": "langchain_a3m.caches",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'langchain_a3m' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # for type checkers and IDEs; never executed
    from langchain_a3m.caches import A3MSemanticCache
    from langchain_a3m.callbacks import A3MCostCallbackHandler, get_a3m_callback
    from langchain_a3m.chat_models import A3MChatModel
    from langchain_a3m.providers import LangChainProvider
    from langchain_a3m.runnables import A3MGuardrail, A3MRouterRunnable, route_branch
