"""Text normalisation for the complexity signals: lower-case words, sentence marks, inflections."""

from __future__ import annotations

import re

__all__ = ["inflect", "normalize", "tokens"]

_KEEP = set("abcdefghijklmnopqrstuvwxyz0123456789-&'+#")
_TERMINATORS = set(".!?;:\n")
#: bytes.translate table: ASCII letters lowered, word characters kept, sentence ends -> '|', the rest spaces.
_ASCII_TABLE = bytes(
    ord("|") if chr(c) in _TERMINATORS else (ord(chr(c).lower()) if c < 128 and chr(c).lower() in _KEEP else 32)
    for c in range(256)
)
_WORD_RE = re.compile(r"[^\W_]+(?:[-&'][^\W_]+)*[+#]*")
_SENTENCE_RE = re.compile(r"[.!?;:\n]+")
_ARITH_RE = re.compile(r"\d\s*(?:[-+*/x\u00d7^]|times|plus|minus|divided by)\s*\d|\d\s*% of")
_WORD_COUNT_RE = re.compile(r"(\d{3,5})[- ]?words?\b")
_NUMBERED_RE = re.compile(r"(?m)^\s*(?:\d+[.)]|[-*\u2022])\s+")
_COMPARE_LIGHT = ("difference between", "differences between", "vs", "versus", "compared to")
_STEP_WORDS = ("first", "firstly", "second", "secondly", "third", "then", "next", "finally", "lastly")
_CONSTRAINT_WORDS = (
    "must", "should", "ensure", "without", "exactly", "never", "always", "avoid", "required", "constraint",
    "constraints", "limit", "only", "least", "most", "under", "within", "strictly", "guarantee",
)  # fmt: skip
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
)


def normalize(text: str) -> str:
    """Lower-case words separated by spaces, with '|' where a sentence ends."""
    if text.isascii():
        return text.encode().translate(_ASCII_TABLE).decode("ascii")
    return " | ".join(" ".join(_WORD_RE.findall(part)) for part in _SENTENCE_RE.split(text.lower()))


def tokens(text: str) -> list[str]:
    return normalize(text).replace("|", " ").split()


_VOWELS = frozenset("aeiou")
_VOWELS_WXY = frozenset("aeiouwxy")


def inflect(word: str, *, double: bool = False) -> tuple[str, ...]:
    forms = [word, word + "s", word + "ed", word + "ing"]
    if word[-1] == "e":
        forms += (word + "d", word[:-1] + "ing")
    elif word[-1] == "y" and len(word) > 2:
        forms += (word[:-1] + "ies", word[:-1] + "ied")
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        forms.append(word + "es")
    if double and len(word) > 2 and word[-1] not in _VOWELS_WXY and word[-2] in _VOWELS and word[-3] not in _VOWELS:
        forms += (word + word[-1] + "ed", word + word[-1] + "ing")  # plan -> planned, planning
    return tuple(forms)
