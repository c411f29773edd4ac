"""LlamaIndex adapters over the a3m-integrations core: they convert types and call the gateway.

    from llamaindex_a3m import A3MLLM, A3MSelector, A3MCostTracker

Names are imported on first use, so importing the package does not import llama_index.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "A3MLLM": "llamaindex_a3m.llms",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from llamaindex_a3m.llms import A3MLLM


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
