"""A plain regex-list guardrail, the kind the original A3M README describes (17 injection
patterns and a few PII regexes), used as the baseline in the guardrail benchmarks."""

from __future__ import annotations

import re

INJECTION_PATTERNS = [
    r"ignore (all )?(previous|prior|above) (instructions|prompts)",
    r"disregard (all )?(previous|prior|above)",
    r"forget (all )?(previous|prior|your) (instructions|rules)",
    r"you are now",
    r"act as (a|an)? ?(dan|jailbroken)",
    r"\bdan\b.*do anything now",
    r"jailbreak",
    r"developer mode",
    r"system prompt",
    r"reveal (your|the) (instructions|prompt)",
    r"pretend (you are|to be)",
    r"no (restrictions|limitations|rules)",
    r"bypass (your|the) (filters|restrictions|safety)",
    r"new instructions",
    r"override (your|the) (instructions|rules)",
    r"<\|im_start\|>|\[INST\]",
    r"base64",
]
_INJECTION = [re.compile(p, re.IGNORECASE) for p in INJECTION_PATTERNS]
_PII = {  # most specific first, so the loose phone pattern does not swallow cards and SSNs
    "EMAIL_ADDRESS": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "US_SSN": re.compile(r"\b\d{3}-\d{2}-\d{4}\b"),
    "CREDIT_CARD": re.compile(r"\b(?:\d[ -]?){13,16}\b"),
    "IP_ADDRESS": re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b"),
    "PHONE_NUMBER": re.compile(r"\+?\d[\d\s().-]{7,}\d"),
}


def injection_score(text: str) -> float:
    """1.0 if any pattern matches, else 0.0."""
    return 1.0 if any(p.search(text) for p in _INJECTION) else 0.0


def pii_redact(text: str) -> str:
    """Every regex match replaced by its entity name."""
    for name, pattern in _PII.items():
        text = pattern.sub(f"<{name}>", text)
    return text


def pii_spans(text: str) -> list[tuple[str, int, int]]:
    """(entity, start, end) of every match, first pattern wins an overlap."""
    spans: list[tuple[str, int, int]] = []
    for name, pattern in _PII.items():
        for m in pattern.finditer(text):
            if all(m.end() <= s or m.start() >= e for _, s, e in spans):
                spans.append((name, m.start(), m.end()))
    return sorted(spans, key=lambda s: s[1])
