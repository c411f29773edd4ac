"""Embedders for the semantic cache: an offline default and adapters for framework embedding objects.

`HashingEmbedder` needs no download: it hashes the analysed text (canonical content words, their
character 3/4-grams, word bigrams and the facets the guards compare) into a fixed number of
signed buckets and L2-normalises. It finds lexical paraphrases ("reverse a list in Python" /
"easiest way to reverse a Python list"), not synonyms it was never told about; plug a real
embedding model through `as_embedder` for those.

Adapters are duck-typed, so the core never imports LangChain or LlamaIndex: anything with
`embed_documents` (LangChain `Embeddings`) or `get_text_embedding_batch` (LlamaIndex
`BaseEmbedding`) is accepted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from a3m_integrations.cache._text import analyse
from a3m_integrations.cache.base import Embedder
from a3m_integrations.errors import ConfigError

if TYPE_CHECKING:
    import numpy as np

__all__ = ["HashingEmbedder", "LangChainEmbedder", "LlamaIndexEmbedder", "as_embedder", "embedder_id"]

_PROBE = "a3m-integrations dimension probe"


def normalise_rows(matrix: Any, dim: int) -> np.ndarray:
    """`matrix` as float32 (n, dim) with unit-length rows (all-zero rows stay zero)."""
    import numpy as np

    arr = np.asarray(matrix, dtype=np.float32)
    if arr.ndim != 2 or arr.shape[1] != dim:
        raise ConfigError(
            f"embedder returned shape {tuple(arr.shape)}, expected (n, {dim})",
            field="embedder",
            hint="Use one embedding model for the life of a cache directory, or give the adapter the right dim.",
        )
    if not np.isfinite(arr).all():
        raise ConfigError("embedder returned NaN or infinite values", field="embedder")
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    np.divide(arr, norms, out=arr, where=norms > 0)
    return arr


class HashingEmbedder:
    """Offline embedder: signed feature hashing of the analysed text, L2-normalised.

    Args:
        dim: number of buckets (384 by default; `tests/bench/bench_cache.py` measures 128-1024).
        salt: mixed into every hash; change it to get an independent projection.
    """

    def __init__(self, dim: int = 384, *, salt: str = "a3m1") -> None:
        if not isinstance(dim, int) or dim < 16:
            raise ConfigError(f"HashingEmbedder dim must be an integer >= 16, not {dim!r}", field="dim")
        self.dim = dim
        self.salt = salt
        self.name = f"a3m-hashing-v1:{salt}"
        self._slot = lru_cache(maxsize=65536)(self._slot_uncached)

    def __repr__(self) -> str:
        return f"HashingEmbedder(dim={self.dim})"

    def _slot_uncached(self, feature: str) -> tuple[int, float]:
        digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8, key=self.salt.encode()[:64]).digest()
        value = int.from_bytes(digest, "little")
        return value % self.dim, 1.0 if (value >> 63) & 1 else -1.0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Shape (len(texts), dim), float32, unit rows."""
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature, weight in analyse(text).features():
                slot, sign = self._slot(feature)
                out[row, slot] += sign * weight
        return normalise_rows(out, self.dim)


class LangChainEmbedder:
    """Any LangChain `Embeddings` (anything with `embed_documents`), as an `Embedder`."""

    def __init__(self, embeddings: Any, *, dim: int | None = None, name: str | None = None) -> None:
        if not callable(getattr(embeddings, "embed_documents", None)):
            raise ConfigError("LangChainEmbedder needs an object with embed_documents(texts)", field="embedder")
        self._inner = embeddings
        self.name = name or f"langchain:{_describe(embeddings)}"
        self.dim = dim if dim is not None else len(embeddings.embed_documents([_PROBE])[0])

    def __repr__(self) -> str:
        return f"LangChainEmbedder({self.name!r}, dim={self.dim})"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return normalise_rows(self._inner.embed_documents(list(texts)), self.dim)


class LlamaIndexEmbedder:
    """Any LlamaIndex `BaseEmbedding` (anything with `get_text_embedding_batch`), as an `Embedder`."""

    def __init__(self, embedding: Any, *, dim: int | None = None, name: str | None = None) -> None:
        if not callable(getattr(embedding, "get_text_embedding_batch", None)):
            raise ConfigError(
                "LlamaIndexEmbedder needs an object with get_text_embedding_batch(texts)", field="embedder"
            )
        self._inner = embedding
        self.name = name or f"llamaindex:{_describe(embedding)}"
        self.dim = dim if dim is not None else len(embedding.get_text_embedding_batch([_PROBE])[0])

    def __repr__(self) -> str:
        return f"LlamaIndexEmbedder({self.name!r}, dim={self.dim})"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return normalise_rows(self._inner.get_text_embedding_batch(list(texts)), self.dim)


def _describe(obj: Any) -> str:
    model = getattr(obj, "model_name", None) or getattr(obj, "model", None)
    return f"{type(obj).__name__}:{model}" if isinstance(model, str) else type(obj).__name__


def as_embedder(obj: Any = None) -> Embedder:
    """An `Embedder` for `obj`: ours as is, LangChain or LlamaIndex objects wrapped, None -> `HashingEmbedder()`."""
    if obj is None:
        return HashingEmbedder()
    if callable(getattr(obj, "embed", None)) and isinstance(getattr(obj, "dim", None), int):
        return obj  # type: ignore[no-any-return]
    if callable(getattr(obj, "get_text_embedding_batch", None)):
        return LlamaIndexEmbedder(obj)
    if callable(getattr(obj, "embed_documents", None)):
        return LangChainEmbedder(obj)
    raise ConfigError(
        f"cannot use {type(obj).__name__} as an embedder",
        field="embedder",
        hint="Pass an object with embed(texts) and dim, a LangChain Embeddings, or a LlamaIndex BaseEmbedding.",
    )


def embedder_id(embedder: Embedder) -> str:
    """A stable identity for persisted vectors: the embedder's `name` (or class) and its dimension."""
    return f"{getattr(embedder, 'name', type(embedder).__name__)}/{embedder.dim}"
