"""LlamaIndex adapters over the a3m-integrations core: they convert types and call the gateway.

    from llamaindex_a3m import A3MLLM, A3MSelector, A3MCostTracker, A3MEmbedding

Names are imported on first use, so importing the package does not import llama_index.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "A3MCostTracker": "llamaindex_a3m.instrumentation",
    "A3MEmbedding": "llamaindex_a3m.embeddings",
    "A3MLLM": "llamaindex_a3m.llms",
    "A3MSelector": "llamaindex_a3m.selectors",
    "LLMCall": "llamaindex_a3m.instrumentation",
    "LlamaIndexProvider": "llamaindex_a3m.providers",
    "StructuredOutputError": "llamaindex_a3m._errors",
    "ToolCallMissing": "llamaindex_a3m._errors",
    "a3m_tokenizer": "llamaindex_a3m.instrumentation",
    "gateway_from_llms": "llamaindex_a3m.providers",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from llamaindex_a3m._errors import StructuredOutputError, ToolCallMissing
    from llamaindex_a3m.embeddings import A3MEmbedding
    from llamaindex_a3m.instrumentation import A3MCostTracker, LLMCall, a3m_tokenizer
    from llamaindex_a3m.llms import A3MLLM
    from llamaindex_a3m.providers import LlamaIndexProvider, gateway_from_llms
    from llamaindex_a3m.selectors import A3MSelector


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
