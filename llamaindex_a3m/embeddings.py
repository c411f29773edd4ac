"""A3MEmbedding: offline, deterministic embeddings for LlamaIndex indexes (no download, no key).

It wraps any core `Embedder` (an object with `dim` and `embed(texts) -> (n, dim)` unit rows). By
default that is `NgramHashEmbedder` below: signed feature hashing of content words, their light
stems, word bigrams and character trigrams, L2-normalised. (The semantic cache's
`HashingEmbedder` is tuned to tell near-duplicate prompts apart by their facets, numbers, units,
negation; for finding documents that share a query's words this one ranks better, so LlamaIndex
indexes default to it.) Hashing finds documents
that share words with the query ("bake sourdough" ~ "baking a sourdough loaf"); it knows no
synonyms it was never shown. Plug a real embedding model into LlamaIndex for those.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding, Embedding
from llama_index.core.bridge.pydantic import Field, PrivateAttr

from a3m_integrations.errors import ConfigError

__all__ = ["A3MEmbedding", "NgramHashEmbedder", "content_words", "default_embedder", "stem"]

_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "es", "ed", "ly", "s")
_STOPWORD_TEXT = (
    "a an the and or but if then of to in on at by for with from into about over under as is are was were "
    "be been being am do does did done have has had having i me my we our you your he she it its they "
    "them their this that these those what which who whom whose when where why how can could should would "
    "may might must will shall not no so than too very just also any all some each other more most such "
    "only own same both few there here please tell give get let make up out off again further once "
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def stem(word: str) -> str:
    """A light stem: a common English suffix and a final "e" off ("baking", "bake" -> "bak")."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def content_words(text: str) -> list[str]:
    """Lower-case words of `text` without stop words."""
    return [w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS]


class NgramHashEmbedder:
    """Signed feature hashing of words, stems, bigrams and character trigrams; unit-length rows.

    Args:
        dim: number of hash buckets (the vector size).
        salt: mixed into every hash; another salt gives an independent projection.
    """

    def __init__(self, dim: int = 384, *, salt: str = "a3m-li-1") -> None:
        if not isinstance(dim, int) or dim < 16:
            raise ConfigError(f"embedding dim must be an integer >= 16, not {dim!r}", field="dim")
        self.dim = dim
        self.name = f"a3m-ngram-hash:{salt}"
        self._key = salt.encode()[:64]
        self._slot = lru_cache(maxsize=65536)(self._slot_uncached)

    def __repr__(self) -> str:
        return f"NgramHashEmbedder(dim={self.dim})"

    def _slot_uncached(self, feature: str) -> tuple[int, float]:
        value = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8, key=self._key).digest(), "little")
        return value % self.dim, 1.0 if value >> 63 else -1.0

    @staticmethod
    def features(text: str) -> list[tuple[str, float]]:
        """The weighted features of a text."""
        words = content_words(text)
        out: list[tuple[str, float]] = []
        for w in words:
            s = stem(w)
            out.append(("s:" + s, 1.0))
            padded = f" {s} "
            out.extend(("c:" + padded[i : i + 3], 0.25) for i in range(len(padded) - 2))
        out.extend((f"b:{stem(a)}_{stem(b)}", 0.5) for a, b in itertools.pairwise(words))
        return out

    def embed(self, texts: Sequence[str]) -> Any:
        """Shape (len(texts), dim), float32, unit rows (a text with no content word is all zeros)."""
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature, weight in self.features(text):
                slot, sign = self._slot(feature)
                out[row, slot] += sign * weight
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out


def default_embedder(dim: int = 384) -> NgramHashEmbedder:
    """The offline embedder LlamaIndex indexes use by default."""
    return NgramHashEmbedder(dim)


class A3MEmbedding(BaseEmbedding):
    """A LlamaIndex embedding model over a core `Embedder`; offline and deterministic by default.

    Args:
        embedder: any object with `dim` and `embed(texts)`; default `default_embedder(dim)`.
        dim: vector size of the default embedder.
    """

    dim: int = Field(default=384, ge=16, description="Vector size of the default hashing embedder.")

    _embedder: Any = PrivateAttr()

    def __init__(self, embedder: Any = None, *, dim: int = 384, **kwargs: Any) -> None:
        if embedder is not None and not (callable(getattr(embedder, "embed", None)) and hasattr(embedder, "dim")):
            raise ConfigError(f"{type(embedder).__name__} has no embed(texts) and dim", field="embedder")
        inner = embedder if embedder is not None else default_embedder(dim)
        kwargs.setdefault("model_name", getattr(inner, "name", type(inner).__name__))
        super().__init__(dim=int(inner.dim), **kwargs)  # type: ignore[call-arg]  # our field, not the base's
        self._embedder = inner

    @classmethod
    def class_name(cls) -> str:
        return "a3m_embedding"

    def _get_text_embeddings(self, texts: list[str]) -> list[Embedding]:
        return [[float(x) for x in row] for row in self._embedder.embed(texts)]

    def _get_text_embedding(self, text: str) -> Embedding:
        return self._get_text_embeddings([text])[0]

    def _get_query_embedding(self, query: str) -> Embedding:
        return self._get_text_embeddings([query])[0]

    async def _aget_query_embedding(self, query: str) -> Embedding:
        return self._get_query_embedding(query)
