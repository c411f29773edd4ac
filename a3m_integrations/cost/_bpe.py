"""Offline tiktoken encodings: find BPE ranks on disk, never on the network.

tiktoken downloads its BPE files on first use; this module never lets it. It builds
`tiktoken.Encoding` objects itself from ranks found, in order, in:

1. the compact copies shipped in `_bpe_data/` (`<name>.bpe.z`, built by `scripts/build_bpe.py`
   from OpenAI's files, checked against a SHA-256 pinned here);
2. tiktoken's own cache layout (a file named sha1(url)) in `TIKTOKEN_CACHE_DIR`,
   `DATA_GYM_CACHE_DIR`, tiktoken's default temp cache, and llama-index-core's
   `_static/tiktoken_cache` (looked up on sys.path, so llama_index is never imported); each
   file must match the SHA-256 tiktoken pins.

The split patterns and special tokens below are the encodings' definitions as published in
tiktoken (`tiktoken_ext/openai_public.py`, MIT, (c) 2022 OpenAI, Shantanu Jain); a test checks
them against tiktoken's own objects. Loading is lazy, once per process, under a lock.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import sys
import tempfile
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["ENCODINGS", "EncodingSpec", "load_encoding", "loaded_source", "reset_cache"]

_log = logging.getLogger("a3m_integrations.cost")
_DATA_DIR = Path(__file__).with_name("_bpe_data")

_O200K_PAT = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
_CL100K_PAT = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)


@dataclass(frozen=True, slots=True)
class EncodingSpec:
    """What defines an encoding, and how to recognise its files."""

    name: str
    pat_str: str
    special_tokens: dict[str, int]
    url: str  # tiktoken's source URL: its sha1 names the file in tiktoken's cache layout
    tiktoken_sha256: str  # of the official .tiktoken file
    compact_sha256: str  # of the uncompressed payload of our shipped .bpe.z
    n_ranks: int


ENCODINGS: dict[str, EncodingSpec] = {
    "o200k_base": EncodingSpec(
        name="o200k_base",
        pat_str=_O200K_PAT,
        special_tokens={"<|endoftext|>": 199999, "<|endofprompt|>": 200018},
        url="https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
        tiktoken_sha256="446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        compact_sha256="bac143fe7fe950090c6e4ed9a2f80de5412a92495758b52becbbe5a7eea25ecb",
        n_ranks=199998,
    ),
    "cl100k_base": EncodingSpec(
        name="cl100k_base",
        pat_str=_CL100K_PAT,
        special_tokens={
            "<|endoftext|>": 100257,
            "<|fim_prefix|>": 100258,
            "<|fim_middle|>": 100259,
            "<|fim_suffix|>": 100260,
            "<|endofprompt|>": 100276,
        },
        url="https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
        tiktoken_sha256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        compact_sha256="6bfd43f7b31b50b645b3228413547e662af1ae4801e9b192b9791680a71d650c",
        n_ranks=100256,
    ),
}

_lock = threading.Lock()
_cache: dict[str, Any] = {}  # name -> tiktoken.Encoding, or None when unavailable
_sources: dict[str, str] = {}  # name -> where its ranks came from (or why not)


def _parse_compact(payload: bytes) -> dict[bytes, int]:
    ranks: dict[bytes, int] = {}
    i, rank, n = 0, 0, len(payload)
    while i < n:
        length = payload[i]
        ranks[payload[i + 1 : i + 1 + length]] = rank
        rank += 1
        i += 1 + length
    return ranks


def _parse_tiktoken(raw: bytes) -> dict[bytes, int]:
    ranks: dict[bytes, int] = {}
    for line in raw.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


def _shipped(spec: EncodingSpec) -> dict[bytes, int] | None:
    path = _DATA_DIR / f"{spec.name}.bpe.z"
    try:
        payload = zlib.decompress(path.read_bytes())
    except (OSError, zlib.error):
        return None
    if hashlib.sha256(payload).hexdigest() != spec.compact_sha256:
        _log.warning("shipped BPE file %s does not match its pinned hash; ignoring it", path.name)
        return None
    return _parse_compact(payload)


def _cache_dirs() -> Iterator[Path]:
    for var in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR"):
        value = os.environ.get(var)
        if value:
            yield Path(value)
    yield Path(tempfile.gettempdir()) / "data-gym-cache"
    # llama-index-core's copies, found on sys.path without importing anything (not even the
    # llama_index namespace package, which importlib.util.find_spec would import)
    for entry in sys.path:
        if entry and os.path.isdir(entry):
            yield Path(entry) / "llama_index" / "core" / "_static" / "tiktoken_cache"


def _from_cache_dirs(spec: EncodingSpec) -> tuple[dict[bytes, int], str] | None:
    key = hashlib.sha1(spec.url.encode()).hexdigest()  # noqa: S324 - tiktoken's cache file naming, not security
    for directory in _cache_dirs():
        path = directory / key
        try:
            raw = path.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(raw).hexdigest() == spec.tiktoken_sha256:
            return _parse_tiktoken(raw), str(directory)
    return None


def _build(name: str) -> tuple[Any, str]:
    spec = ENCODINGS.get(name)
    if spec is None:
        return None, f"no offline files for encoding {name!r}"
    try:
        import tiktoken
    except ImportError:
        return None, "tiktoken is not installed"
    ranks = _shipped(spec)
    source = "a3m_integrations/cost/_bpe_data"
    if ranks is None:
        found = _from_cache_dirs(spec)
        if found is None:
            return None, f"no BPE file for {name} shipped or in a tiktoken cache"
        ranks, source = found
    try:
        encoding = tiktoken.Encoding(
            name=spec.name, pat_str=spec.pat_str, mergeable_ranks=ranks, special_tokens=dict(spec.special_tokens)
        )
    except Exception as exc:  # a broken tiktoken build must not break counting
        return None, f"tiktoken could not build {name}: {type(exc).__name__}"
    return encoding, source


def load_encoding(name: str) -> Any:
    """The `tiktoken.Encoding` for `name`, built from local files once; None if unavailable.

    The first failure for a name is logged once at WARNING; callers fall back to the estimate.
    """
    try:
        return _cache[name]
    except KeyError:
        pass
    with _lock:
        if name not in _cache:
            encoding, source = _build(name)
            _cache[name] = encoding
            _sources[name] = source
            if encoding is None:
                _log.warning("token counting falls back to the estimate for %s: %s", name, source)
    return _cache[name]


def loaded_source(name: str) -> str | None:
    """Where `name`'s ranks came from, or why it is unavailable (None if not loaded yet)."""
    return _sources.get(name)


def reset_cache() -> None:
    """Forget loaded encodings (for tests)."""
    with _lock:
        _cache.clear()
        _sources.clear()
