"""Offline query features for learned routers: hashed n-gram TF-IDF plus a few surface signals.

`HashedNgramEmbedder` implements the cache's `Embedder` protocol (`dim`, `embed(texts)` ->
L2-normalised float32 rows) with numpy only, no model weights:

1. text: lower-cased; if longer than `max_chars`, its first quarter-budget and its last
   three-quarter budget are kept (few-shot prompts put the real question last);
2. character n-grams (3 to 5 bytes of UTF-8, so any script works) and word unigrams are hashed
   into `buckets` counters with a vectorised polynomial hash (stable across processes; Python's
   `hash()` is salted per process and would break saved routers);
3. sublinear counts `log(1 + tf)` times an inverse document frequency learned by `fit`;
4. optionally projected to `dim` dimensions by a truncated SVD learned by `fit` (LSA, randomised,
   on at most 3,000 sampled texts), which makes neighbours semantic rather than lexical and keeps
   kNN indexes small;
5. eight surface signals appended (length, lines, digits, code symbols, maths symbols, question
   marks, non-ASCII share, capitals), scaled by `surface_weight`;
6. the heuristic router's signals (`signals.analyze`: complexity, code, length, steps,
   constraints, and the task and domain hashed into 8 slots each), scaled by `signals_weight`
   (default 0: measured on dcrouter and RouterBench, they did not improve the learned routers and
   cost 0.13 ms a query); then the whole vector is L2-normalised. A router file keeps the weights
   it was trained with, so retrain after the signals change.

`as_embedder` wraps any embeddings object (an `Embedder`, LangChain `Embeddings.embed_documents`,
LlamaIndex `get_text_embedding_batch`, or a plain callable) into the same protocol.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from a3m_integrations.errors import ConfigError

__all__ = [
    "SIGNAL_DIMS",
    "SURFACE_FEATURES",
    "CallableEmbedder",
    "HashedNgramEmbedder",
    "as_embedder",
    "clip_text",
    "matmul",
    "signal_features",
]

SURFACE_FEATURES: tuple[str, ...] = (
    "log_chars",
    "log_lines",
    "digits",
    "code_symbols",
    "math_symbols",
    "questions",
    "non_ascii",
    "capitals",
)
_MULT = np.uint64(0x100000001B3)  # FNV-64 prime: spreads byte values across the word
_MIX = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio multiplier (Fibonacci hashing) for the final bucket
_CODE = frozenset("{}[]();=<>_#/\\|`")
_MATH = frozenset("+-*/^=%$0123456789")
_NO_SURFACE = np.zeros(0, dtype=np.float32)
SIGNAL_DIMS = 21
_SVD_ROWS = 3000  # rows sampled to learn the projection


def clip_text(text: str, max_chars: int) -> str:
    """`text` if short, else its head (a quarter of the budget) and tail (the rest)."""
    if len(text) <= max_chars:
        return text
    head = max_chars // 4
    return text[:head] + "\n" + text[len(text) - (max_chars - head) :]


def _ngram_hashes(data: np.ndarray, n: int) -> np.ndarray:
    """Polynomial hashes (uint64, wrapping) of every n-byte window of `data`."""
    if data.size < n:
        return np.empty(0, dtype=np.uint64)
    h = np.zeros(data.size - n + 1, dtype=np.uint64)
    for k in range(n):
        h = h * _MULT + data[k : data.size - n + 1 + k]
    return np.asarray(h + np.uint64(n))  # the offset keeps n-grams of different n apart


_WORD_BYTE = np.array([chr(b).isalnum() or b >= 0x80 for b in range(256)], dtype=bool)
_POWERS: list[np.ndarray] = [np.ones(1, dtype=np.uint64), np.ones(1, dtype=np.uint64)]  # P^i and P^-i


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """(P^i, P^-i) for i < n, modulo 2^64 (P is odd, so it has an inverse modulo 2^64)."""
    if _POWERS[0].size < n:
        size = max(n, 2 * _POWERS[0].size, 4096)
        inv = pow(int(_MULT), -1, 2**64)
        up = np.full(size, _MULT, dtype=np.uint64)
        up[0] = 1
        down = np.full(size, np.uint64(inv), dtype=np.uint64)
        down[0] = 1
        _POWERS[0] = np.cumprod(up, dtype=np.uint64)
        _POWERS[1] = np.cumprod(down, dtype=np.uint64)
    return _POWERS[0], _POWERS[1]


def _word_hashes(data: np.ndarray) -> np.ndarray:
    """Polynomial hashes of the words (runs of letters/digits/non-ASCII bytes) in `data`, vectorised.

    Prefix sums of b[k] * P^-k give any run's hash as P^(end-1) * (S[end-1] - S[start-1]).
    """
    if data.size == 0:
        return np.empty(0, dtype=np.uint64)
    inword = _WORD_BYTE[data]
    edges = np.diff(np.concatenate(([False], inword, [False])).astype(np.int8))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)  # exclusive
    if starts.size == 0:
        return np.empty(0, dtype=np.uint64)
    up, down = _powers(data.size + 1)
    prefix = np.concatenate((np.zeros(1, dtype=np.uint64), np.cumsum(data * down[: data.size], dtype=np.uint64)))
    return np.asarray(up[ends - 1] * (prefix[ends] - prefix[starts]) + np.uint64(0xABCDEF))


_FEW_ROWS = 16


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`a @ b`, without BLAS when `a` has few rows (the routing path: one query at a time).

    OpenBLAS hands a (1 x 4096) @ (4096 x 256) product to its threads, which on a busy host spin
    for cores other work holds: measured 13 ms instead of 0.15 ms with numpy's own loop (einsum).
    Batches (training, benchmarks) still use BLAS.
    """
    if a.ndim == 2 and a.shape[0] <= _FEW_ROWS:
        return np.asarray(np.einsum("ij,jk->ik", a, b))
    return np.asarray(a @ b)


def _slot(name: str | None, slots: int = 8) -> int:
    return zlib.crc32((name or "-").encode("utf-8")) % slots


def signal_features(text: str) -> np.ndarray:
    """(21,) the heuristic signals of `text` as numbers (see the module doc)."""
    from a3m_integrations.signals import analyze

    f = analyze(text)
    out = np.zeros(SIGNAL_DIMS, dtype=np.float32)
    out[:5] = (
        f.complexity,
        float(f.has_code),
        np.log1p(f.words) / 6.0,
        min(f.steps, 5) / 5.0,
        min(f.constraints, 5) / 5.0,
    )
    out[5 + _slot(f.task)] = 1.0
    out[13 + _slot(f.domain)] = 1.0
    return out


def _byte_classes() -> np.ndarray:
    """(8, 256) lookup: which surface class each byte value belongs to."""
    table = np.zeros((8, 256), dtype=np.float32)
    for b in range(256):
        c = chr(b) if b < 128 else ""
        table[0, b] = c.isdigit()
        table[1, b] = c in _CODE
        table[2, b] = c in _MATH and not c.isdigit()
        table[3, b] = c == "?"
        table[4, b] = b >= 0xC0  # UTF-8 lead bytes: one per non-ASCII character
        table[5, b] = c.isupper()
        table[6, b] = c == "\n"
    return table


_CLASSES = _byte_classes()


def _surface(raw: np.ndarray) -> np.ndarray:
    """Eight surface signals of a text's UTF-8 bytes (before lower-casing)."""
    n = max(1, raw.size)
    counts = np.einsum("ij,j->i", _CLASSES, np.bincount(raw, minlength=256).astype(np.float32))
    return np.array(
        [
            np.log1p(n) / 8.0,
            np.log1p(counts[6]) / 4.0,
            counts[0] / n * 5.0,
            counts[1] / n * 10.0,
            counts[2] / n * 10.0,
            min(float(counts[3]), 5.0) / 5.0,
            counts[4] / n,
            counts[5] / n * 5.0,
        ],
        dtype=np.float32,
    )


def _top_components(x: np.ndarray, k: int, *, seed: int = 0, power_iterations: int = 2) -> np.ndarray:
    """(columns, k) float32: the top-k right singular vectors of `x`, by randomised SVD (Halko et al.)."""
    rng = np.random.default_rng(seed)
    x = x.astype(np.float32)
    q = x @ rng.standard_normal((x.shape[1], k + 8)).astype(np.float32)
    for _ in range(power_iterations):
        q, _ = np.linalg.qr(q)
        q, _ = np.linalg.qr(x @ (x.T @ q))
    q, _ = np.linalg.qr(q)
    _, _, vt = np.linalg.svd(q.T @ x, full_matrices=False)
    return np.ascontiguousarray(vt[:k].T, dtype=np.float32)


class HashedNgramEmbedder:
    """Offline text vectors: hashed char/word n-grams, TF-IDF, optional LSA, surface signals.

    Args:
        buckets: hash space of the n-gram counts (a power of two).
        dim: output dimension of the n-gram part after SVD; 0 keeps all `buckets` (no SVD).
        ngrams: character n-gram sizes (bytes of UTF-8).
        words: also hash whole words.
        max_chars: longer texts are clipped to their head and tail (see `clip_text`).
        surface_weight: weight of the eight surface signals (0 leaves them out).
        signals_weight: weight of the heuristic router's signals (0 leaves them out).
    """

    kind = "hashed-ngram"

    def __init__(
        self,
        *,
        buckets: int = 4096,
        dim: int = 0,
        ngrams: Sequence[int] = (3, 4, 5),
        words: bool = True,
        max_chars: int = 2000,
        surface_weight: float = 0.3,
        signals_weight: float = 0.0,
    ) -> None:
        if buckets < 16 or buckets & (buckets - 1):
            raise ConfigError(f"buckets must be a power of two >= 16, not {buckets}", field="buckets")
        if dim < 0 or dim > buckets:
            raise ConfigError(f"dim must be within [0, {buckets}], not {dim}", field="dim")
        self.buckets = int(buckets)
        self.svd_dim = int(dim)
        self.ngrams = tuple(int(n) for n in ngrams)
        self.words = bool(words)
        self.max_chars = int(max_chars)
        self.surface_weight = float(surface_weight)
        self.signals_weight = float(signals_weight)
        self.idf: np.ndarray = np.ones(self.buckets, dtype=np.float32)
        self.projection: np.ndarray | None = None  # (buckets, svd_dim) once fitted with dim > 0
        self._shift = np.uint64(64 - self.buckets.bit_length() + 1)

    @property
    def extra_dims(self) -> int:
        """How many trailing dimensions hold the surface and heuristic signals."""
        return (len(SURFACE_FEATURES) if self.surface_weight > 0 else 0) + (
            SIGNAL_DIMS if self.signals_weight > 0 else 0
        )

    @property
    def dim(self) -> int:
        """Output dimension: n-gram part plus the surface signals."""
        return (self.svd_dim if self.projection is not None else self.buckets) + self.extra_dims

    # -- counting -------------------------------------------------------------------------------
    def _features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(hashed n-gram counts, surface signals) of one text."""
        clipped = clip_text(text, self.max_chars)
        raw = np.frombuffer(clipped.encode("utf-8", "replace"), dtype=np.uint8)
        lower = clipped.lower()
        data = np.frombuffer(lower.encode("utf-8", "replace"), dtype=np.uint8).astype(np.uint64)
        parts = [_ngram_hashes(data, n) for n in self.ngrams]
        if self.words:
            parts.append(_word_hashes(data))
        h = np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)
        idx = ((h * _MIX) >> self._shift).astype(np.int64)
        counts = np.bincount(idx, minlength=self.buckets).astype(np.float32)
        return counts, (_surface(raw) if self.surface_weight > 0 else _NO_SURFACE)

    def _counts(self, text: str) -> np.ndarray:
        return self._features(text)[0]

    def _tfidf(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(TF-IDF rows L2-normalised, surface rows) of `texts`."""
        out = np.empty((len(texts), self.buckets), dtype=np.float32)
        surf = np.empty((len(texts), len(SURFACE_FEATURES) if self.surface_weight > 0 else 0), dtype=np.float32)
        for i, t in enumerate(texts):
            counts, surf[i] = self._features(t)
            out[i] = np.log1p(counts)
        out *= self.idf
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out, surf

    # -- fitting ------------------------------------------------------------------------------------
    def fit(self, texts: Sequence[str], *, seed: int = 0) -> HashedNgramEmbedder:
        """Learn the IDF weights (and the SVD projection when `dim` > 0) from `texts`."""
        if not texts:
            raise ConfigError("cannot fit the embedder on no texts", field="texts")
        self.idf = np.ones(self.buckets, dtype=np.float32)
        self.projection = None
        counts = np.stack([self._counts(t) for t in texts])
        df = (counts > 0).sum(axis=0)
        self.idf = np.log((1 + len(texts)) / (1 + df)).astype(np.float32)  # 0 for n-grams in every text
        if self.svd_dim:
            rows = np.random.default_rng(seed).permutation(len(texts))[:_SVD_ROWS]  # unsupervised: a sample will do
            x = np.log1p(counts[np.sort(rows)]) * self.idf
            x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
            self.projection = _top_components(x - x.mean(axis=0), self.svd_dim, seed=seed)
        return self

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised."""
        x, surf = self._tfidf(texts)
        if self.projection is not None:
            x = matmul(x, self.projection)
            norms = np.linalg.norm(x, axis=1, keepdims=True)
            np.divide(x, norms, out=x, where=norms > 0)
        parts = [x]
        if self.surface_weight > 0:
            parts.append(self.surface_weight * surf)
        if self.signals_weight > 0:
            sig = np.zeros((len(texts), SIGNAL_DIMS), dtype=np.float32)
            for i, t in enumerate(texts):
                sig[i] = signal_features(clip_text(t, self.max_chars))
            parts.append(self.signals_weight * sig)
        if len(parts) > 1:
            x = np.hstack(parts)
            norms = np.linalg.norm(x, axis=1, keepdims=True)
            np.divide(x, norms, out=x, where=norms > 0)
        return np.ascontiguousarray(x, dtype=np.float32)

    # -- persistence ----------------------------------------------------------------------------
    def config(self) -> dict[str, Any]:
        """Constructor arguments, for saving beside the learned arrays."""
        return {
            "kind": self.kind,
            "buckets": self.buckets,
            "dim": self.svd_dim,
            "ngrams": list(self.ngrams),
            "words": self.words,
            "max_chars": self.max_chars,
            "surface_weight": self.surface_weight,
            "signals_weight": self.signals_weight,
        }

    def arrays(self) -> dict[str, np.ndarray]:
        """The learned state (IDF, projection) as named arrays."""
        out = {"idf": self.idf.astype(np.float32)}
        if self.projection is not None:
            out["projection"] = self.projection.astype(np.float16)
        return out

    @classmethod
    def restore(cls, config: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> HashedNgramEmbedder:
        """An embedder from `config()` and `arrays()` output."""
        kwargs = {k: v for k, v in config.items() if k != "kind"}
        emb = cls(**kwargs)
        emb.idf = np.asarray(arrays["idf"], dtype=np.float32)
        if "projection" in arrays:
            emb.projection = np.asarray(arrays["projection"], dtype=np.float32)
        return emb


class CallableEmbedder:
    """Any embeddings function as an `Embedder`: rows are converted to float32 and L2-normalised."""

    kind = "external"

    def __init__(self, fn: Callable[[list[str]], Any], *, name: str = "external") -> None:
        self._fn = fn
        self.name = name
        self._dim: int | None = None

    @property
    def dim(self) -> int:
        """Dimension, learned from the first call (embeds a probe text if needed)."""
        if self._dim is None:
            self.embed(["dimension probe"])
        assert self._dim is not None
        return self._dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised."""
        try:
            x = np.asarray(self._fn(list(texts)), dtype=np.float32)
        except Exception as exc:  # a foreign embedder's failure, mapped at this one boundary
            raise ConfigError(f"the embedder {self.name} failed: {type(exc).__name__}", field="embedder") from exc
        if x.ndim != 2 or x.shape[0] != len(texts):
            raise ConfigError(f"the embedder {self.name} returned shape {x.shape} for {len(texts)} texts")
        self._dim = int(x.shape[1])
        norms = np.linalg.norm(x, axis=1, keepdims=True)
        np.divide(x, norms, out=x, where=norms > 0)
        return x

    def config(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name}

    def arrays(self) -> dict[str, np.ndarray]:
        return {}


def as_embedder(obj: Any) -> Any:
    """An Embedder for `obj` (None: the default hashed n-gram embedder).

    An object with `dim` and `embed(texts)` is used as it is; LangChain embeddings
    (`embed_documents`), LlamaIndex embeddings (`get_text_embedding_batch`) and plain callables
    are wrapped in a `CallableEmbedder`.
    """
    if obj is None:
        return HashedNgramEmbedder()
    if hasattr(obj, "embed") and hasattr(obj, "dim"):
        return obj
    name = type(obj).__name__
    if hasattr(obj, "embed_documents"):
        return CallableEmbedder(obj.embed_documents, name=name)
    if hasattr(obj, "get_text_embedding_batch"):
        return CallableEmbedder(obj.get_text_embedding_batch, name=name)
    if callable(obj):
        return CallableEmbedder(obj, name=getattr(obj, "__name__", name))
    raise ConfigError(
        f"{name} is not an embedder",
        field="embedder",
        hint="Pass an object with embed(texts) and dim, a LangChain/LlamaIndex embeddings object, or a function.",
    )
