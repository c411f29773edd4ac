"""Text hygiene for the guardrails: make any input safe to scan, then de-obfuscate it.

`sanitize` turns whatever a message carries into a str that every later step can handle: lone
surrogates (malformed unicode) become U+FFFD, and it reports what it had to fix. `normalize`
builds the view the injection rules and model read: NFKC, invisible characters dropped, Unicode
tag characters ("ASCII smuggling") decoded, homoglyphs in mixed-script words mapped to Latin,
plausible base64 / hex segments decoded and appended, lower-cased, leetspeak words and
spaced-out letters rejoined. The flags say which tricks were present; they are evidence too.
PII detection does not use the normalised view: redaction needs offsets in the original text.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from a3m_integrations.guardrails._lazyre import LazyRegex

__all__ = ["Normalized", "SanitizeReport", "lower_kept", "normalize", "sanitize", "utf8_kept"]

_SURROGATE = LazyRegex("[\ud800-\udfff]")
# Characters with no visible width that attackers use to split trigger words: zero-width
# space/joiners, word joiner, BOM, soft hyphen, Mongolian vowel separator, bidi controls.
_INVISIBLE_CODES = [
    0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x3164, 0xFEFF, 0xFFA0,
    *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070),
]  # fmt: skip
_INVISIBLE = dict.fromkeys(_INVISIBLE_CODES, None)
_CONTROL = LazyRegex(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])  # what `_CONTROL` matches
# Unicode "tag" characters U+E0020..U+E007E mirror ASCII and render as nothing.
_TAGS = LazyRegex("[\U000e0000-\U000e007f]+")

# Cyrillic and Greek letters that look like Latin ones. Applied only inside words that also
# contain Latin letters, so Russian or Greek prose is left alone.
_HOMOGLYPHS = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
        "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
        "ԛ": "q", "ԝ": "w", "ɡ": "g", "һ": "h", "ӏ": "l", "А": "A", "В": "B", "Е": "E", "К": "K",
        "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "У": "Y", "І": "I",
        "Ј": "J", "Ѕ": "S", "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v",
        "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "Α": "A", "Β": "B", "Ε": "E",
        "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T",
        "Υ": "Y", "Χ": "X",
    }
)  # fmt: skip
_CONFUSABLE_CHARS = frozenset(chr(c) for c in _HOMOGLYPHS)
_WORD = LazyRegex(r"\w+")

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
# A word mixing letters with leet digits/symbols, e.g. "1gn0r3", "pr3v!ous", "@ll".
_LEET_GATE = LazyRegex("[013457@$!][0-9@$!]*[a-z]")  # a leet character, later a letter: needed for a match
_LEET_WORD = LazyRegex(r"(?<![\w@$!])(?=[a-z0-9@$!]*[a-z])(?=[a-z0-9@$!]*[013457@$!][a-z0-9@$!]*[a-z])[a-z0-9@$!]{3,}")
_LEET_RUN = LazyRegex("[a-z0-9@$!]+")
_LEET_RUN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@$!")
# "i g n o r e" / "i.g.n.o.r.e" / "i-g-n-o-r-e": five or more single letters with one separator.
_SPACED = LazyRegex(r"(?<!\w)(?:[a-z][ .\-_*]){4,}[a-z](?!\w)")
# Needed for a match: five letters with a separator between each two, that is
# "[a-z][ .*_-][a-z][ .*_-][a-z][ .*_-][a-z][ .*_-][a-z]". Looked for in the UTF-8 bytes with
# each ASCII letter read as "a", each separator as "s" and every other byte as "x" (multi-byte
# characters become only "x"), as the substring "asasasasa" (see `_has_spaced_run`).
_SPACED_BYTES = bytes(
    ord("a") if chr(i) in "abcdefghijklmnopqrstuvwxyz" else ord("s") if chr(i) in " .*_-" else ord("x")
    for i in range(256)
)
# For `_LEET_GATE`: each leet character read as "L", each other digit as "D", each a-z letter
# as "a" and every other byte as "x"; a gate hit ends in "La" or "Da".
_LEET_BYTES = bytes(
    ord("L") if chr(i) in "013457@$!" else ord("D") if chr(i) in "2689" else ord("a") if 97 <= i <= 122 else ord("x")
    for i in range(256)
)

# Runs of base64 characters (standard or URL-safe alphabet) long enough to hide a sentence;
# hex runs are found inside them.
_B64 = LazyRegex(r"[A-Za-z0-9+/_-]{20,}={0,2}")
# Needed for a match: 20 base64 characters in a row. In the UTF-8 bytes with each base64
# character read as "b" and every other byte as " " that is the substring of 20 "b"s.
_B64_BYTES = bytes(
    ord("b") if chr(i) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-" else ord(" ")
    for i in range(256)
)
# A token (`str.split` and `\s` agree on whitespace) of 20+ characters, at the start or after a space.
_LONG_TOKEN = LazyRegex(r"\S{20}")
_LONG_TOKEN_AFTER_SPACE = LazyRegex(r"\s\S{20}")
# The same after " " and after "\n", each opening with its literal character (faster to find).
_LONG_TOKEN_AFTER = (LazyRegex(r" \S{20}"), LazyRegex(r"\n\S{20}"))
_HEX = LazyRegex(r"(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}){12,}(?![0-9A-Fa-f])")
_MAX_DECODED = 8  # segments decoded per text, to bound the work
# Byte values, looked for with `int in bytes` (a memchr; `bytes in bytes` first tries the
# argument as an int and raises inside)
_ASTRAL_LEADS = (0xF0, 0xF1, 0xF2, 0xF3, 0xF4)
_LEET_CHAR_BYTES = tuple(b"013457@$!")


@dataclass(frozen=True, slots=True)
class SanitizeReport:
    """What `sanitize` had to fix: lone surrogates replaced, control characters seen."""

    surrogates: int = 0
    control_chars: int = 0
    length: int = 0

    @property
    def binary_ratio(self) -> float:
        """Share of the text made of control characters (a sign of binary data)."""
        return self.control_chars / self.length if self.length else 0.0


@dataclass(frozen=True, slots=True)
class Normalized:
    """The de-obfuscated, lower-cased view of a text and the obfuscation tricks found in it."""

    text: str
    flags: frozenset[str]


def sanitize(value: object) -> tuple[str, SanitizeReport]:
    """`value` as a str safe to encode as UTF-8, and what had to be fixed.

    Bytes are decoded as UTF-8 with replacement; lone surrogates become U+FFFD. Control
    characters are counted (not removed) so the caller can judge binary input.
    """
    if isinstance(value, (bytes, bytearray, memoryview)):
        text = bytes(value).decode("utf-8", errors="replace")
    elif isinstance(value, str):
        text = value
    elif value is None:
        text = ""
    else:
        text = str(value)
    raw = utf8_kept(text)
    # ASCII control characters are single bytes in UTF-8, which no other character's bytes hold
    controls = len(raw) - len(raw.translate(None, _CONTROL_BYTES))
    surrogates = 0
    if 0xED in raw and _SURROGATE.search(text):  # lone surrogates (and Hangul syllables) lead with 0xED
        text, surrogates = _SURROGATE.subn("\ufffd", text)
    return text, SanitizeReport(surrogates, controls, len(text))


def _has_astral(text: str) -> bool:
    """True if `text` holds a character beyond U+FFFF (such as a tag character): its UTF-8 opens with 0xF0..0xF4."""
    raw = utf8_kept(text)
    return any(lead in raw for lead in _ASTRAL_LEADS)


def _decode_tags(match: re.Match[str]) -> str:
    return "".join(chr(ord(c) - 0xE0000) for c in match.group() if 0xE0020 <= ord(c) <= 0xE007E)


def _map_mixed_script(match: re.Match[str]) -> str:
    word = match.group()
    if _CONFUSABLE_CHARS.isdisjoint(word):
        return word
    if not any("a" <= c.lower() <= "z" for c in word):
        return word  # all Cyrillic/Greek: a real word in that script
    return word.translate(_HOMOGLYPHS)


def _printable_share(text: str) -> float:
    if not text:
        return 0.0
    good = sum(1 for c in text if c.isprintable() or c in "\n\t")
    return good / len(text)


def _try_b64(segment: str) -> str | None:
    if segment.isalpha() or segment.isdigit():
        return None  # a long word or number, not an encoding
    padded = segment + "=" * (-len(segment) % 4)
    try:
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
        decoded = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    letters = sum(c.isalpha() for c in decoded)
    if len(decoded) < 8 or _printable_share(decoded) < 0.95 or letters < 0.6 * len(decoded.replace(" ", "")):
        return None
    return decoded


def _try_hex(segment: str) -> str | None:
    try:
        decoded = bytes.fromhex(segment).decode("utf-8")
    except ValueError:
        return None
    if _printable_share(decoded) < 0.95 or sum(c.isalpha() for c in decoded) < 0.6 * len(decoded):
        return None
    return decoded


_last_lower: list[tuple[str, str]] = [("", "")]


def lower_kept(text: str, ascii_case_only: bool = False) -> str:
    """`text.lower()`, kept for the last text (held until the next).

    Normalisation lower-cases a message and then each PII recogniser reads the same message
    lower-cased: when it is the same str object, it is lower-cased once. `ascii_case_only` says
    that no character beyond ASCII changes when lower-cased (see `_kinds`): then the UTF-8
    bytes are lower-cased instead (`str.lower` reads such text at about 55 instructions a
    character), and the lower-cased bytes are kept for `utf8_kept`.
    """
    last = _last_lower[0]
    if last[0] is text:
        return last[1]
    if ascii_case_only:
        raw = utf8_kept(text).lower()  # only A-Z change; every byte of another character is >= 0x80
        lower = raw.decode("utf-8")
        _keep_utf8(lower, raw)
    else:
        lower = text.lower()
    _last_lower[0] = (text, lower)
    return lower


# Kinds of non-ASCII characters, read in one numpy pass over the UTF-16 code units (`_kinds`):
# a regex scan for a set of characters costs about 50 instructions a character.
_INVISIBLE_KIND = 1  # in `_INVISIBLE_CODES`
_CONFUSABLE_KIND = 2  # in `_CONFUSABLE_CHARS`
_CASED_KIND = 4  # beyond ASCII and changed by `str.lower` (or half of an astral character)
_kind_table: list[Any] = []  # uint8 per code unit, made on first use


def _kinds(text: str) -> int:
    """The kinds (bits above) of the characters of `text`, or-ed together."""
    import numpy as np

    if not _kind_table:
        table = np.zeros(1 << 16, dtype=np.uint8)
        table[_INVISIBLE_CODES] |= _INVISIBLE_KIND
        table[[ord(c) for c in _CONFUSABLE_CHARS]] |= _CONFUSABLE_KIND
        table[[i for i in range(0x80, 1 << 16) if chr(i).lower() != chr(i)]] |= _CASED_KIND
        table[0xD800:0xE000] |= _CASED_KIND  # astral characters are not looked at: may have case
        _kind_table.append(table)
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    return int(np.bitwise_or.reduce(_kind_table[0].take(units, mode="wrap")))


_last_utf8: list[tuple[str, bytes]] = [("", b"")] * 3


def utf8_kept(text: str) -> bytes:
    """`text` as UTF-8 (lone surrogates too), kept for the last three texts.

    A message is read as bytes by sanitising, the normalisation gates and the PII scans, and
    its normalised view by the normalisation gates, the rule gate and the featuriser: each
    text is encoded once. ASCII characters are single bytes; every byte of another character
    is >= 0x80 (a lone surrogate is written as surrogatepass does: 0xED, then two more).
    """
    for old, raw in _last_utf8:
        if old is text:
            return raw
    raw = text.encode("utf-8", "surrogatepass")
    _keep_utf8(text, raw)
    return raw


def _keep_utf8(text: str, raw: bytes) -> None:
    _last_utf8.insert(0, (text, raw))
    _last_utf8.pop()


_utf8 = utf8_kept


def _has_spaced_run(text: str) -> bool:
    """True if `text` holds five a-z letters with one of " .*_-" between each two (`_SPACED` needs that)."""
    return b"asasasasa" in _utf8(text).translate(_SPACED_BYTES)


def _may_have_leet(text: str) -> bool:
    """False if `_LEET_GATE` cannot match: no leet character or other digit comes right before an a-z letter."""
    marks = _utf8(text).translate(_LEET_BYTES)
    return b"La" in marks or b"Da" in marks


def _has_long_token(text: str) -> bool:
    """True if `text` holds a whitespace-separated token of 20 characters or more."""
    if _LONG_TOKEN.match(text) or any(p.search(text) for p in _LONG_TOKEN_AFTER):
        return True
    # whitespace other than " " and "\n" is unprintable; only then is the general scan needed
    return not text.replace("\n", "").isprintable() and _LONG_TOKEN_AFTER_SPACE.search(text) is not None


def _b64_segments(text: str) -> Iterator[str]:
    """The matches of `_B64` in `text`, in order.

    No match spans whitespace, so only whitespace-separated tokens of 20+ characters are scanned,
    and only in text that holds 20 base64 characters in a row (most text does not).
    """
    if b"b" * 20 not in _utf8(text).translate(_B64_BYTES) or not _has_long_token(text):
        return
    for token in text.split():
        if len(token) >= 20:
            yield from _B64.findall(token)


def _decode_segments(text: str, flags: set[str]) -> str:
    extra: list[str] = []
    for segment in _b64_segments(text):
        if len(extra) >= _MAX_DECODED:
            break
        decoded = _try_b64(segment)
        if decoded:
            extra.append(decoded)
            flags.add("base64")
            continue
        for hex_run in _HEX.findall(segment):
            decoded = _try_hex(hex_run)
            if decoded:
                extra.append(decoded)
                flags.add("hex")
    return text if not extra else text + "\n" + "\n".join(extra)


_LEET_CHARS = frozenset("013457@$!")


def _looks_leet(token: str, after: str) -> bool:
    """True for "h3ll0", "1gn0r3"; False for "24px", "4chan", "kim@example" (an email)."""
    if "@" in token and after[:1] == "." and after[1:2].isalpha():
        return False
    leet = sum(c in _LEET_CHARS for c in token)
    inner = any(
        token[i] in _LEET_CHARS and token[i - 1].isalpha() and token[i + 1].isalpha() for i in range(1, len(token) - 1)
    )
    return inner or leet >= 2


def _leet_words(text: str) -> list[re.Match[str]]:
    """The matches of `_LEET_WORD` in lower-case `text`, as its `finditer` gives them.

    A match is a whole run of [a-z0-9@$!] that starts after no word character and holds a hit of
    `_LEET_GATE` (a leet character, later a letter). So the gate's hits (rare) are found, and
    the pattern is tried once at the start of each run that holds one.
    """
    words: list[re.Match[str]] = []
    raw = utf8_kept(text)
    if not any(c in raw for c in _LEET_CHAR_BYTES) or not _may_have_leet(text):
        return words  # no gate hit
    done = 0
    for hit in _LEET_GATE.finditer(text):
        start = hit.start()
        if start < done:
            continue  # in a run already tried
        while start and text[start - 1] in _LEET_RUN_CHARS:
            start -= 1
        word = _LEET_WORD.match(text, start)
        if word is not None:
            words.append(word)
        run = _LEET_RUN.match(text, start)
        done = run.end() if run is not None else hit.end()
    return words


def _unspace(match: re.Match[str]) -> str:
    return re.sub(r"[ .\-_*]", "", match.group())


def normalize(text: str) -> Normalized:
    """The view of `text` that injection rules and the model read (see the module docstring).

    `text` must already be sanitized. ASCII text skips the Unicode steps.
    """
    flags: set[str] = set()
    if not text.isascii():
        if _has_astral(text) and _TAGS.search(text):
            flags.add("unicode_tags")
            text = _TAGS.sub(_decode_tags, text)
        text = unicodedata.normalize("NFKC", text)
        kinds = _kinds(text)
        if kinds & _INVISIBLE_KIND:
            flags.add("zero_width")
            text = text.translate(_INVISIBLE)
        if kinds & _CONFUSABLE_KIND:
            mapped = _WORD.sub(_map_mixed_script, text)
            if mapped != text:
                flags.add("homoglyph")
                text = mapped
        ascii_case = not kinds & _CASED_KIND  # dropping invisibles keeps that so
    else:
        ascii_case = False  # `str.lower` is fast on ASCII text
    if len(text) >= 20:
        decoded = _decode_segments(text, flags)
        ascii_case = ascii_case and decoded is text
        text = decoded
    text = lower_kept(text, ascii_case)
    words = _leet_words(text)
    if words:
        parts: list[str] = []
        pos = 0
        for m in words:
            parts += (text[pos : m.start()], m.group().translate(_LEET))
            pos = m.end()
        unleeted = "".join(parts) + text[pos:]
        if unleeted != text:
            if any(_looks_leet(m.group(), text[m.end() : m.end() + 2]) for m in words):
                flags.add("leetspeak")
            text = unleeted
    if _has_spaced_run(text) and _SPACED.search(text):
        flags.add("spaced_letters")
        text = _SPACED.sub(_unspace, text)
    return Normalized(text, frozenset(flags))
