from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from a3m_integrations.cache.base import Embedder
from a3m_integrations.errors import ConfigError
from a3m_integrations.routing.features import (
    SIGNAL_DIMS,
    SURFACE_FEATURES,
    CallableEmbedder,
    HashedNgramEmbedder,
    as_embedder,
    clip_text,
)

ROOT = Path(__file__).resolve().parents[2]
TEXTS = ["write a python function to sort a list", "what is the capital of france?", "Résumé en français: 東京"]


def test_protocol_shape_and_norm() -> None:
    e = HashedNgramEmbedder(buckets=512)
    assert isinstance(e, Embedder)
    x = e.embed(TEXTS)
    assert x.shape == (3, 512 + len(SURFACE_FEATURES)) and x.dtype == np.float32
    assert np.allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-5)
    assert e.embed([]).shape == (0, e.dim)
    same, other = e.embed(["sort a python list"])[0], e.embed(["capital city of spain"])[0]
    assert float(x[0] @ same) > float(x[0] @ other)


def test_hashes_are_stable_across_processes() -> None:
    code = (
        "import json; from a3m_integrations.routing.features import HashedNgramEmbedder as H;"
        f"print(json.dumps(H(buckets=256).embed({TEXTS!r}).round(5).tolist()))"
    )
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        res = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=env
        )
        outs.append(json.loads(res.stdout))
    assert outs[0] == outs[1]
    assert np.allclose(np.array(outs[0]), HashedNgramEmbedder(buckets=256).embed(TEXTS), atol=1e-4)


def test_fit_learns_idf_and_projection_and_restores() -> None:
    corpus = [f"question {i}: {t}" for i, t in enumerate(TEXTS * 10)]
    e = HashedNgramEmbedder(buckets=512, dim=8, signals_weight=0.5).fit(corpus)
    assert e.dim == 8 + len(SURFACE_FEATURES) + SIGNAL_DIMS == e.embed(TEXTS).shape[1]
    assert e.idf.min() == pytest.approx(0.0)  # n-grams in every text weigh nothing
    back = HashedNgramEmbedder.restore(e.config(), e.arrays())
    assert np.allclose(back.embed(TEXTS), e.embed(TEXTS), atol=1e-3)  # projection kept as float16


def test_clip_keeps_head_and_tail() -> None:
    text = "HEAD " + "x" * 5000 + " TAIL"
    clipped = clip_text(text, 400)
    assert len(clipped) <= 401 and clipped.startswith("HEAD") and clipped.endswith("TAIL")
    assert clip_text("short", 400) == "short"


def test_as_embedder_wraps_framework_objects() -> None:
    class LangChainLike:
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return [[float(len(t)), 1.0, 0.0] for t in texts]

    class LlamaIndexLike:
        def get_text_embedding_batch(self, texts: list[str]) -> list[list[float]]:
            return [[0.0, 2.0] for _ in texts]

    lc = as_embedder(LangChainLike())
    assert isinstance(lc, CallableEmbedder) and lc.dim == 3
    assert np.allclose(np.linalg.norm(lc.embed(["ab", "abc"]), axis=1), 1.0)
    assert as_embedder(LlamaIndexLike()).embed(["x"]).tolist() == [[0.0, 1.0]]
    assert as_embedder(lambda texts: np.ones((len(texts), 4))).dim == 4
    own = HashedNgramEmbedder(buckets=64)
    assert as_embedder(own) is own and isinstance(as_embedder(None), HashedNgramEmbedder)
    with pytest.raises(ConfigError, match="not an embedder"):
        as_embedder(42)

    def broken(texts: list[str]) -> list[list[float]]:
        raise RuntimeError("remote embedder down")

    with pytest.raises(ConfigError, match="failed"):
        as_embedder(broken).embed(["x"])
    with pytest.raises(ConfigError):
        HashedNgramEmbedder(buckets=100)
