"""PII detection, redaction with numbered placeholders, and restoration.

`PiiDetector.find(text)` returns non-overlapping matches. Where recognisers overlap, the more
specific entity wins, in `ENTITIES` order (an email beats the person name inside it, an IBAN
beats the digits inside it). `Placeholders` hands out `<EMAIL_1>`, `<PHONE_2>`, ... for one
request: the same value (compared loosely: digits only for numbers, case-folded for emails and
IBANs) gets the same placeholder, and a placeholder that already occurs in the request's own
text is skipped, so restoring never rewrites text the user wrote. `restore_text` swaps
placeholders back; `StreamRestorer` does it for a streamed answer whose chunks may split one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from a3m_integrations.guardrails._lazyre import LazyRegex
from a3m_integrations.guardrails._pii_numbers import Span, find_ibans, find_ipv6, find_numbers
from a3m_integrations.guardrails._pii_text import find_addresses, find_dates_of_birth, find_emails, find_persons
from a3m_integrations.guardrails._text import utf8_kept

__all__ = [
    "ENTITIES",
    "PiiDetector",
    "PiiMatch",
    "Placeholders",
    "StreamRestorer",
    "redact_text",
    "restore_text",
]

#: Entity type -> placeholder label, in priority order (earlier wins an overlap).
ENTITIES: dict[str, str] = {
    "EMAIL_ADDRESS": "EMAIL",
    "IBAN_CODE": "IBAN",
    "CREDIT_CARD": "CREDIT_CARD",
    "US_SSN": "SSN",
    "IP_ADDRESS": "IP_ADDRESS",
    "PHONE_NUMBER": "PHONE",
    "DATE_OF_BIRTH": "DATE_OF_BIRTH",
    "STREET_ADDRESS": "ADDRESS",
    "PERSON": "PERSON",
}
_PRIORITY = {name: i for i, name in enumerate(ENTITIES)}
_RECOGNIZERS: tuple[tuple[frozenset[str], Callable[[str], Iterator[Span]]], ...] = (
    (frozenset({"EMAIL_ADDRESS"}), find_emails),
    (frozenset({"IBAN_CODE"}), find_ibans),
    (frozenset({"CREDIT_CARD", "US_SSN", "IP_ADDRESS", "PHONE_NUMBER"}), find_numbers),
    (frozenset({"IP_ADDRESS"}), find_ipv6),
    (frozenset({"DATE_OF_BIRTH"}), find_dates_of_birth),
    (frozenset({"STREET_ADDRESS"}), find_addresses),
    (frozenset({"PERSON"}), find_persons),
)
_HAS_DIGIT = LazyRegex(r"\d")
_ASCII_DIGITS = tuple(b"0123456789")  # byte values: `int in bytes` is a memchr
# The UTF-8 lead bytes of the non-ASCII decimal digits (what `\d` matches beyond 0-9)
_DIGIT_LEADS = (0xD9, 0xDB, 0xDF, 0xE0, 0xE1, 0xEA, 0xEF, 0xF0)
_PLACEHOLDER = LazyRegex(r"<([A-Z][A-Z_]*_\d+)>")


@dataclass(frozen=True, slots=True)
class PiiMatch:
    """One detected entity: type, character span [start, end) in the scanned text, confidence."""

    entity: str
    start: int
    end: int
    score: float


class PiiDetector:
    """Finds PII of the chosen entity types (all of `ENTITIES` by default)."""

    def __init__(self, entities: Iterable[str] | None = None) -> None:
        chosen = set(ENTITIES if entities is None else entities)
        unknown = chosen - set(ENTITIES)
        if unknown:
            raise ValueError(f"unknown PII entity types: {', '.join(sorted(unknown))}")
        self.entities = frozenset(chosen)
        self._recognizers = [fn for kinds, fn in _RECOGNIZERS if kinds & self.entities]

    def find(self, text: str) -> list[PiiMatch]:
        """Non-overlapping matches in `text`, by position."""
        if len(text) < 3:
            return []
        has_digit = _has_digit(text)
        spans: list[Span] = []
        for fn in self._recognizers:
            if not has_digit and fn in (find_ibans, find_numbers, find_dates_of_birth, find_addresses):
                continue
            spans.extend(s for s in fn(text) if s[0] in self.entities)
        address_spans = sorted((s[1], s[2]) for s in spans if s[0] == "STREET_ADDRESS")
        if address_spans:  # a weak phone (digits + context word only) inside an address is its house number
            spans = [s for s in spans if not (s[0] == "PHONE_NUMBER" and s[3] < 0.8 and _overlaps(address_spans, s))]
        spans.sort(key=lambda s: (_PRIORITY[s[0]], -(s[2] - s[1]), s[1]))
        starts: list[int] = []  # accepted spans, kept sorted and non-overlapping
        ends: list[int] = []
        taken: list[PiiMatch] = []
        for entity, start, end, score in spans:
            i = bisect.bisect_right(starts, start)
            if (i and ends[i - 1] > start) or (i < len(starts) and starts[i] < end):
                continue
            starts.insert(i, start)
            ends.insert(i, end)
            taken.append(PiiMatch(entity, start, end, score))
        taken.sort(key=lambda m: m.start)
        return taken


def _has_digit(text: str) -> bool:
    r"""True if `text` holds a `\d` character.

    ASCII digits by byte searches (memchr); `\d` (any script's digits) only where the UTF-8
    holds a lead byte of a non-ASCII digit.
    """
    raw = utf8_kept(text)
    return any(d in raw for d in _ASCII_DIGITS) or (
        any(lead in raw for lead in _DIGIT_LEADS) and _HAS_DIGIT.search(text) is not None
    )


def _overlaps(sorted_spans: list[tuple[int, int]], span: Span) -> bool:
    """True if `span` overlaps one of `sorted_spans` (sorted by start and not overlapping each other)."""
    i = bisect.bisect_left(sorted_spans, (span[2], -1))  # the spans that start before `span` ends
    return bool(i) and sorted_spans[i - 1][1] > span[1]


def _canonical(entity: str, value: str) -> str:
    if entity in ("PHONE_NUMBER", "CREDIT_CARD", "US_SSN"):
        return re.sub(r"\D", "", value)
    if entity in ("IBAN_CODE", "EMAIL_ADDRESS", "IP_ADDRESS"):
        return value.replace(" ", "").lower()
    return " ".join(value.split()).lower()


class Placeholders:
    """Placeholder names for one request; `mapping` is placeholder -> original value.

    Args:
        reserved: text whose existing `<LABEL_N>` strings must not be reused (the request's text).
    """

    def __init__(self, reserved: str = "") -> None:
        self._by_value: dict[tuple[str, str], str] = {}
        self._next: dict[str, int] = {}
        self._reserved = frozenset(_PLACEHOLDER.findall(reserved)) if "<" in reserved else frozenset()
        self.mapping: dict[str, str] = {}

    def name_for(self, entity: str, value: str) -> str:
        """The placeholder for `value` of type `entity`, e.g. `<EMAIL_1>`."""
        key = (entity, _canonical(entity, value))
        found = self._by_value.get(key)
        if found is not None:
            return found
        label = ENTITIES.get(entity, entity)
        n = self._next.get(label, 0)
        while True:
            n += 1
            name = f"{label}_{n}"
            if name not in self._reserved:
                break
        self._next[label] = n
        placeholder = f"<{name}>"
        self._by_value[key] = placeholder
        self.mapping[placeholder] = value
        return placeholder


def redact_text(text: str, matches: Iterable[PiiMatch], placeholders: Placeholders) -> str:
    """`text` with every match replaced by its placeholder."""
    out: list[str] = []
    pos = 0
    for m in sorted(matches, key=lambda m: m.start):
        if m.start < pos:
            continue
        out.append(text[pos : m.start])
        out.append(placeholders.name_for(m.entity, text[m.start : m.end]))
        pos = m.end
    out.append(text[pos:])
    return "".join(out)


def restore_text(text: str, mapping: Mapping[str, str]) -> str:
    """`text` with every known placeholder replaced by its original value (one pass)."""
    if not mapping or "<" not in text:
        return text
    return _PLACEHOLDER.sub(lambda m: mapping.get(m.group(), m.group()), text)


class StreamRestorer:
    """Restores placeholders in a stream of text chunks, holding back a possibly split `<...`."""

    _MAX_HOLD = 48

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self._mapping = dict(mapping)
        self._held = ""

    def feed(self, chunk: str) -> str:
        """Text that is safe to emit now, placeholders restored."""
        text = self._held + chunk
        self._held = ""
        cut = text.rfind("<")
        if cut != -1 and ">" not in text[cut:] and len(text) - cut <= self._MAX_HOLD:
            text, self._held = text[:cut], text[cut:]
        return restore_text(text, self._mapping)

    def flush(self) -> str:
        """Whatever is still held, at the end of the stream."""
        text, self._held = self._held, ""
        return restore_text(text, self._mapping)
