"""The package's public surface: pinned names, lazy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import llamaindex_a3m

ROOT = Path(__file__).resolve().parents[3]


def test_exports_are_pinned_and_resolve() -> None:
    assert llamaindex_a3m.__all__ == [
        "A3MCostTracker",
        "A3MEmbedding",
        "A3MLLM",
        "A3MSelector",
        "LLMCall",
        "LlamaIndexProvider",
        "StructuredOutputError",
        "ToolCallMissing",
        "a3m_tokenizer",
        "gateway_from_llms",
    ]
    for name in llamaindex_a3m.__all__:
        assert getattr(llamaindex_a3m, name) is not None


def test_importing_the_package_imports_no_framework() -> None:
    code = "import sys, json, llamaindex_a3m; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    loaded = {m.split(".")[0] for m in json.loads(out.stdout)}
    assert not loaded & {"llama_index", "a3m_integrations", "numpy", "httpx"}
