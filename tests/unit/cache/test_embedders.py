from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from a3m_integrations.cache.embedders import (
    HashingEmbedder,
    LangChainEmbedder,
    LlamaIndexEmbedder,
    as_embedder,
    embedder_id,
    normalise_rows,
)
from a3m_integrations.errors import ConfigError


def test_hashing_embedder_rows_are_unit_float32() -> None:
    e = HashingEmbedder()
    v = e.embed(["How do I reverse a list in Python?", "What is the capital of France?", ""])
    assert v.shape == (3, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


def test_hashing_embedder_ranks_paraphrase_above_trap() -> None:
    e = HashingEmbedder()
    texts = ["How do I reverse a list in Python?", "What's the easiest way to reverse a Python list?", "Bake bread?"]
    a, para, other = e.embed(texts)
    assert float(a @ para) >= 0.92
    assert float(a @ other) < 0.5


def test_hashing_embedder_is_deterministic_across_processes() -> None:
    code = (
        "from a3m_integrations.cache.embedders import HashingEmbedder;"
        "print(HashingEmbedder().embed(['stable hashing please'])[0][:8].round(6).tolist())"
    )
    runs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    }
    assert len(runs) == 1
    here = HashingEmbedder().embed(["stable hashing please"])[0][:8].round(6).tolist()
    assert runs.pop().strip() == str(here)


def test_salt_and_dim_change_the_projection() -> None:
    text = ["same words"]
    assert not np.allclose(HashingEmbedder(salt="a").embed(text), HashingEmbedder(salt="b").embed(text))
    assert HashingEmbedder(dim=128).embed(text).shape == (1, 128)
    with pytest.raises(ConfigError):
        HashingEmbedder(dim=4)


def test_langchain_embeddings_adapter() -> None:
    from langchain_core.embeddings import DeterministicFakeEmbedding

    inner = DeterministicFakeEmbedding(size=32)
    e = as_embedder(inner)
    assert isinstance(e, LangChainEmbedder) and e.dim == 32
    v = e.embed(["a", "b"])
    assert v.shape == (2, 32)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert np.allclose(v[0], e.embed(["a"])[0])
    assert embedder_id(e).startswith("langchain:DeterministicFakeEmbedding")


def test_llamaindex_embedding_adapter() -> None:
    from llama_index.core.embeddings import MockEmbedding

    e = as_embedder(MockEmbedding(embed_dim=16))
    assert isinstance(e, LlamaIndexEmbedder) and e.dim == 16
    v = e.embed(["x", "y", "z"])
    assert v.shape == (3, 16)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


def test_as_embedder_passes_ours_through_and_rejects_junk() -> None:
    mine = HashingEmbedder(dim=64)
    assert as_embedder(mine) is mine
    assert isinstance(as_embedder(None), HashingEmbedder)
    with pytest.raises(ConfigError, match="cannot use"):
        as_embedder(object())


def test_normalise_rows_validates() -> None:
    with pytest.raises(ConfigError, match="expected"):
        normalise_rows([[1.0, 2.0]], 3)
    with pytest.raises(ConfigError, match="NaN"):
        normalise_rows([[float("nan"), 1.0]], 2)
    out = normalise_rows([[0.0, 0.0], [3.0, 4.0]], 2)
    assert out[0].tolist() == [0.0, 0.0] and np.allclose(out[1], [0.6, 0.8])


def test_core_cache_imports_no_framework() -> None:
    code = (
        "import sys, a3m_integrations.cache.semantic, a3m_integrations.cache.embedders;"
        "print(sorted(m for m in sys.modules if m.startswith(('langchain', 'llama_index'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_package_import_does_not_load_numpy_or_faiss() -> None:
    code = "import sys, a3m_integrations, a3m_integrations.cache; print('numpy' in sys.modules, 'faiss' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False False"
