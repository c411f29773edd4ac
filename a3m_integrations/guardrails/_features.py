"""Hashed n-gram features for the injection model, computed with numpy array arithmetic.

The text (already normalised and lower-cased) is encoded as UTF-8 bytes, every whitespace
byte read as a space. Features are byte 3-, 4- and 5-grams plus word 1- and 2-grams, each
hashed to one of 2**bits buckets by multiply-shift; a text's vector marks the distinct buckets
it touches (binary, so repeating a sentence does not raise its score), scaled by
1 / sqrt(count). Everything is vectorised: n-gram hashes are polynomial hashes built from
shifted slices, word hashes come from prefix sums (hash of bytes l..r = (C[r] - C[l]) *
P**(r-1) in arithmetic modulo 2**64, using P's inverse), so a 1 KB message costs tens of
microseconds. The same functions serve training (scripts/train_injection.py) and run time.
The word keys double as the trigger keys of the injection rules (see _rules.py).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from a3m_integrations.guardrails._text import utf8_kept

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["MAX_BYTES", "analyze", "bucket_ids", "unique_ids", "word_key", "word_keys"]

#: Bytes of a text the featuriser reads; longer texts are scored in windows by the detector.
MAX_BYTES = 1 << 15

_P = 0x100000001B3  # odd, so it has an inverse modulo 2**64
_P_INV = pow(_P, -1, 1 << 64)
_WORD_SEED = 0x7F4A7C159E3779B9
_BIGRAM = 0xD6E8FEB86659FD93
_MIX = 0x9E3779B97F4A7C15
_MASK = (1 << 64) - 1

_tables: dict[str, npt.NDArray[np.uint64]] = {}
_char_tables: dict[str, npt.NDArray[np.int64]] = {}  # "size" (bytes per lead value), "steps" (0..3)
_word_byte: list[npt.NDArray[np.int8]] = []  # 1 for bytes that belong to words
_space_u64: list[npt.NDArray[np.uint64]] = []  # byte value, every ASCII whitespace byte a space
_consts: dict[str, np.uint64] = {}
_positions16: list[npt.NDArray[np.uint16]] = []  # 0 .. 2**16 - 1
# In the word-byte table, the lead byte of a non-word multi-byte character holds this value
# plus (its number of continuation bytes - 1); `_words` blanks the whole character.
_NONWORD_LEAD = 2
_MAYBE_LEAD = _NONWORD_LEAD + 3  # a lead byte whose character's class depends on its next byte


def _setup() -> None:
    import numpy as np

    ones = np.ones(MAX_BYTES + 2, dtype=np.uint64)  # a text is read between two spaces
    pw = ones.copy()
    pw[1:] = np.uint64(_P)
    ipw = ones.copy()
    ipw[1:] = np.uint64(_P_INV)
    with np.errstate(over="ignore"):
        _tables["pw"] = np.cumprod(pw, dtype=np.uint64)  # P**i modulo 2**64
        _tables["ipw"] = np.cumprod(ipw, dtype=np.uint64)
    word = np.zeros(256, dtype=np.int8)
    for c in b"abcdefghijklmnopqrstuvwxyz0123456789_":
        word[c] = 1
    word[0x80:] = 1  # bytes of multi-byte UTF-8 characters belong to words, except these leads:
    word[0xC2] = _NONWORD_LEAD  # U+0080..U+00BF: Latin-1 punctuation (« » ¿ ¡ ° ...)
    word[0xE2] = _NONWORD_LEAD + 1  # U+2000..U+2FFF: curly quotes, dashes, arrows, symbols
    word[0xF0:0xF5] = _NONWORD_LEAD + 2  # astral characters (emoji)
    word[0xEF] = _MAYBE_LEAD  # U+F000..U+FFFF: non-word if the next byte is 0xB8 (U+FE00..U+FE3F:
    # emoji variation selectors, vertical and compatibility punctuation), else a letter
    _char_tables["size"] = np.array([0, 0, 2, 3, 4, 3], dtype=np.int64)
    _char_tables["steps"] = np.arange(4, dtype=np.int64)
    space = np.arange(256, dtype=np.uint64)
    space[[9, 10, 11, 12, 13]] = 32  # every ASCII whitespace byte reads as a space
    _word_byte.append(word)  # whitespace bytes are no word bytes either way
    _space_u64.append(space)
    for name, value in (("p", _P), ("word", _WORD_SEED), ("bigram", _BIGRAM), ("mix", _MIX)):
        _consts[name] = np.uint64(value)
    _positions16.append(np.arange(1 << 16, dtype=np.uint16))


def _words(buf: npt.NDArray[np.uint8], b: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """Keys of the words in `buf` (runs of a-z, 0-9, _ and non-ASCII letters), in order.

    Non-ASCII characters count as letters except punctuation and symbols: U+0080..U+00BF,
    U+2000..U+2FFF, U+FE00..U+FE3F and astral characters (emoji), whose bytes all split words,
    so "“ignore”", "«ignore»" and "🔓ignore" hold the word "ignore".

    `buf` opens and closes with a space, so word edges alternate start, end. With `C` the
    prefix sums of b[i] * P**-i, the word in bytes s..e is (C[e] - C[s - 1]) * P**e.
    """
    import numpy as np

    inword = _word_byte[0].take(buf)
    leads = np.flatnonzero(inword >= _NONWORD_LEAD)
    if len(leads):  # non-word characters: blank their lead and continuation bytes
        code = inword.take(leads)
        size = _char_tables["size"].take(code)  # bytes of each character
        maybe = code == _MAYBE_LEAD
        if maybe.any():  # U+F000..U+FFFF: a symbol only if the next byte is 0xB8
            letter = buf.take(np.minimum(leads[maybe] + 1, len(buf) - 1)) != 0xB8
            inword[leads[maybe][letter]] = 1
            size[np.flatnonzero(maybe)[letter]] = 0
        at = (leads[:, None] + _char_tables["steps"])[_char_tables["steps"] < size[:, None]]
        inword[np.minimum(at, len(buf) - 1, out=at)] = 0  # a text cut at MAX_BYTES may end inside a character
    edges = np.flatnonzero(inword[1:] != inword[:-1])  # byte before each word, last byte of each word
    if not len(edges):
        return np.zeros(0, dtype=np.uint64)
    before, last = edges[0::2], edges[1::2]
    prefix = np.cumsum(b * _tables["ipw"][: len(b)], dtype=np.uint64)
    return (prefix[last] - prefix[before]) * _tables["pw"][last] + _consts["word"]


def _encode(text: str) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.uint64]]:
    """The UTF-8 bytes of `text` (first MAX_BYTES) between two spaces, and as uint64 (whitespace read as spaces)."""
    import numpy as np

    if not _tables:
        _setup()
    raw = utf8_kept(text)
    if 0xED in raw:  # maybe a lone surrogate (or a Hangul syllable): strict encoding raises for the first
        raw = text.encode("utf-8")
    buf = np.frombuffer(b" " + raw[:MAX_BYTES] + b" ", dtype=np.uint8)
    return buf, _space_u64[0].take(buf)


def word_key(word: str) -> int:
    """The key `word_keys` gives `word` (lower-case, one token): its polynomial hash plus a seed."""
    h = 0
    for byte in word.encode("utf-8"):
        h = (h * _P + byte) & _MASK
    return (h + _WORD_SEED) & _MASK


def word_keys(text: str) -> npt.NDArray[np.uint64]:
    """Keys of the words of normalised `text` (first MAX_BYTES bytes)."""
    buf, b = _encode(text)
    return _words(buf, b)


def analyze(text: str, bits: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint64]]:
    """Feature buckets of normalised `text` (see `bucket_ids`) and the keys of its words.

    The 3-, 4- and 5-gram hashes, the word keys and the word-pair hashes are written, in that
    order, into one array, each n-gram hash from the one before it: h_k = h_(k-1) * P + byte.
    """
    import numpy as np

    buf, b = _encode(text)
    n = len(b)
    words = _words(buf, b)
    w = len(words)
    sizes = [n - k + 1 for k in (3, 4, 5) if n >= k]
    keys = np.empty(sum(sizes) + w + max(w - 1, 0), dtype=np.uint64)
    p = _consts["p"]
    prev = b[:-1] * p  # array arithmetic wraps modulo 2**64 silently, as wanted
    prev += b[1:]  # byte 2-grams, the seed of the 3-grams
    at = 0
    for k, size in enumerate(sizes, start=3):
        out = keys[at : at + size]
        np.multiply(prev[:-1], p, out=out)
        out += b[k - 1 :]
        prev, at = out, at + size
    keys[at : at + w] = words
    if w > 1:
        out = keys[at + w :]
        np.multiply(words[:-1], _consts["bigram"], out=out)
        out += words[1:]
    keys *= _consts["mix"]
    keys >>= np.uint64(64 - bits)
    return keys.view(np.int64), words


def bucket_ids(text: str, bits: int) -> npt.NDArray[np.int64]:
    """The feature bucket (0 <= id < 2**bits) of every n-gram of normalised `text`, repeats kept."""
    return analyze(text, bits)[0]


_scratch = threading.local()


def unique_ids(ids: npt.NDArray[np.int64], bits: int) -> npt.NDArray[np.int64]:
    """The distinct values of `ids`, each at the place of its last copy, without sorting.

    Each id writes its position into a per-thread table of 2**bits slots; an id whose slot holds
    its own position is the last copy of its value, so exactly one copy per value survives.
    Costs a scatter, a gather and a compare, where `np.unique` would sort. The table holds
    16-bit positions when there are at most 2**16 ids (a 1 KB text has about 5,000): half the
    memory to touch.
    """
    import numpy as np

    if not _tables:
        _setup()
    n = len(ids)
    small = n <= 1 << 16
    name = "table16" if small else "table32"
    table: npt.NDArray[np.integer] | None = getattr(_scratch, name, None)
    if table is None or len(table) != 1 << bits:
        table = np.zeros(1 << bits, dtype=np.uint16 if small else np.int32)
        setattr(_scratch, name, table)
    positions: npt.NDArray[np.integer] = _positions16[0][:n] if small else np.arange(n, dtype=np.int32)
    table[ids] = positions
    keep: npt.NDArray[np.int64] = ids[table.take(ids) == positions]
    return keep
