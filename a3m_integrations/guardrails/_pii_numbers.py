"""Numeric PII: credit cards (Luhn), US SSNs (valid ranges), IPv4/IPv6, phone numbers, IBANs.

One regex pass finds every run of digit groups (with single spaces, dots, dashes, bracketed
area codes, a leading + and an extension); each run is then classified in Python, most
specific first: IPv4, SSN, credit card, phone. A run that fits none is not PII (a year, a zip
code, a quantity). Context words near a run (Presidio's idea) decide the weak cases: a bare
nine-digit SSN, a twelve-digit card, a phone number without an international or area-code
shape. IBANs and IPv6 addresses have patterns of their own.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from a3m_integrations.guardrails._lazyre import LazyRegex
from a3m_integrations.guardrails._text import utf8_kept

__all__ = ["Span", "digit_runs", "find_ibans", "find_ipv6", "find_numbers", "iban_valid", "luhn_valid", "ssn_valid"]

Span = tuple[str, int, int, float]  # entity, start, end, score

# ASCII digits to "0", every other byte to ".": runs of "0" are the runs of [0-9]
_DIGIT_BYTES = bytes(48 if 48 <= b <= 57 else 46 for b in range(256))
_last_runs: list[tuple[str, list[tuple[int, int]]]] = [("", [])]


def digit_runs(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every run of ASCII digits in `text` (kept for the last text).

    As `[0-9]+` finds them, but a regex scan reads about 20 ns per character: the UTF-8 bytes
    are read through a byte table with `bytes.find` instead, several times faster. ASCII digits
    are single bytes that no other character's bytes include.
    """
    last = _last_runs[0]
    if last[0] is text:
        return last[1]
    raw = utf8_kept(text)
    marks = raw.translate(_DIGIT_BYTES)
    ascii_only = len(raw) == len(text)
    runs: list[tuple[int, int]] = []
    chars = done = 0  # characters in raw[:done]
    start = marks.find(b"0")
    while start >= 0:
        end = marks.find(b".", start)
        if end < 0:
            end = len(marks)
        if ascii_only:
            runs.append((start, end))
        else:
            chars += len(raw[done:start].decode("utf-8", "surrogatepass"))
            runs.append((chars, chars + end - start))
            chars += end - start
            done = end
        start = marks.find(b"0", end)
    _last_runs[0] = (text, runs)
    return runs


_NUMBER = LazyRegex(
    r"(?<![\w@.+/-])(?:\+[ ]?)?(?:\(\d{1,4}\)[ ]?)?\d{1,19}"
    r"(?:(?:[ ]?[-.][ ]?|[ ]|[ ]?\(\d{1,4}\)[ ]?)\d{1,8}){0,7}"
    r"(?:[ ]?(?:x|ext\.?|#)[ ]?\d{1,6})?(?![\w@]|[.-]\d|/\d)"
)
_NUMBER_REGION = LazyRegex(r"[+(0-9][0-9 ().+#x/-]{6,}")
_IPV4 = LazyRegex(r"\d{1,3}(?:\.\d{1,3}){3}")
_SSN_SHAPE = LazyRegex(r"(\d{3})([- .]?)(\d{2})\2(\d{4})")
_ISO_DATE = LazyRegex(r"(?:19|20)\d\d-[01]\d-[0-3]\d\b")
_DMY = LazyRegex(r"\d{1,2}[.-]\d{1,2}[.-](?:19|20)\d\d$")
_NANP = LazyRegex(r"(?:\+?1[ .-]?)?(?:\(\d{3}\)[ ]?|\d{3}[.-])\d{3}[.-]\d{4}(?:[ ]?(?:x|ext\.?)[ ]?\d{1,6})?$")
_NON_DIGIT = LazyRegex(r"\D")

_CARD_CONTEXT = ("card", "credit", "visa", "mastercard", "amex", "cc ", "cc#", "debit", "maestro", "discover", "jcb")
_SSN_CONTEXT = ("ssn", "social security", "ssid", "social sec")
_PHONE_CONTEXT = (
    "phone", "telephone", "cellphone", "smartphone", "tel", "mobile", "cell", "fax", "desk", "office", "call",
    "number", "reach", "contact", "whatsapp",
    "sms", "text me", "message", "dial", "ring", "answering", "hotline", "landline", "ph.", "ph:", "handy",
    "téléphone", "telefon", "teléfono", "telefone", "numéro", "nummer", "número",
)  # fmt: skip


def luhn_valid(digits: str) -> bool:
    """True if the digit string passes the Luhn checksum."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def ssn_valid(digits: str) -> bool:
    """True if nine digits are a possible US SSN: area 001-899 but not 666, group 01-99, serial 0001-9999."""
    if len(digits) != 9 or len(set(digits)) == 1:
        return False
    area, group, serial = int(digits[:3]), int(digits[3:5]), int(digits[5:])
    if area == 0 or area == 666 or area >= 900 or group == 0 or serial == 0:
        return False
    return digits not in ("123456789", "078051120", "219099999")


_NOT_PHONE_SOURCE = (
    r"(?:licen[cs]e|passport|account|acct|order|invoice|ticket|tracking|reference|ref\.?|case|policy|serial|member|"
    r"customer|employee|student|id|isbn|zip|postal|postcode|routing|sort\s+code)\s*(?:number|no\.?|nr\.?|#|id)?\s*"
    r"(?:is|was|:|=)?\s*$"
)
_NOT_PHONE_CONTEXT = LazyRegex(_NOT_PHONE_SOURCE, re.IGNORECASE)
# The same pattern case-sensitive, for the lower-cased text: it finds a match exactly when
# `_NOT_PHONE_CONTEXT` does, unless the text holds one of the characters that match i or s
# case-blind without lower-casing to them (a test checks this over all of Unicode); and it
# skips ahead by its literal prefixes instead of trying every position case-blind.
_NOT_PHONE_LOWER = LazyRegex(_NOT_PHONE_SOURCE, skip_ahead=True)
_FOLDS_OTHERWISE = ("\u0130", "\u0131", "\u017f")  # İ, ı, ſ


def _labeled_otherwise(before: str) -> bool:
    """True if `before` ends with the label of another kind of number ("license number is", "order #")."""
    if any(c in before for c in _FOLDS_OTHERWISE):
        return _NOT_PHONE_CONTEXT.search(before) is not None
    return _NOT_PHONE_LOWER.search(before.lower()) is not None


_WORD_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _near(text: str, start: int, end: int, words: tuple[str, ...], before: int = 40, after: int = 20) -> bool:
    """Whether one of `words` starts a word near the span ("tel" as a word, not the "tel" in "tell").

    Words of four letters or more may carry a suffix ("phones", "calling"); shorter ones must end there.
    """
    pattern = _WORD_PATTERNS.get(words)
    if pattern is None:
        ordered = sorted((w.strip() for w in words), key=len, reverse=True)
        alternatives = "|".join(re.escape(w) if len(w) >= 4 else re.escape(w) + r"(?![^\W\d_])" for w in ordered)
        pattern = _WORD_PATTERNS[words] = re.compile(rf"(?<![^\W\d_])(?:{alternatives})")
    window = text[max(0, start - before) : start].lower() + " " + text[end : end + after].lower()
    return pattern.search(window) is not None


def _classify(text: str, start: int, end: int) -> Span | None:
    value = text[start:end]
    digits = _NON_DIGIT.sub("", value.split("x")[0].split("#")[0].split("ext")[0])
    n = len(digits)
    if _IPV4.fullmatch(value):
        if all(int(part) <= 255 for part in value.split(".")):
            return ("IP_ADDRESS", start, end, 0.95)
        return None
    ssn = _SSN_SHAPE.fullmatch(value)
    # dashed SSNs stand alone; spaced, dotted or bare ones need an SSN word nearby
    if ssn and ssn_valid(digits) and (ssn.group(2) == "-" or _near(text, start, end, _SSN_CONTEXT, 60, 10)):
        return ("US_SSN", start, end, 0.9 if ssn.group(2) else 0.8)
    if value[0] != "+" and "(" not in value and 12 <= n <= 19 and luhn_valid(digits) and len(set(digits)) > 1:
        groups = re.split(r"[ -]", value)
        grouped = len(groups) == 1 or all(len(g) in (4, 5, 6) for g in groups[:-1])
        # 13-19 digits stand alone; a 12-digit number needs a card word nearby
        if grouped and (n >= 13 or _near(text, start, end, _CARD_CONTEXT, 60, 10)):
            return ("CREDIT_CARD", start, end, 0.95 if n >= 13 else 0.8)
    if not 7 <= n <= 15 or _ISO_DATE.match(value) or _DMY.match(value):
        return None
    if value.startswith(("+", "(")) or _NANP.match(value):
        return ("PHONE_NUMBER", start, end, 0.85)
    if len(value) == n and n >= 11:
        return None  # a long bare number with no shape is an id or an amount, not a phone
    # A bare digit run is a phone only with a phone word nearby, and not when it is labeled as
    # another kind of number ("license number is ..."). Score 0.7 marks it weak: a street
    # address that overlaps it wins (see PiiDetector.find).
    if _labeled_otherwise(text[max(0, start - 40) : start]):
        return None
    if _near(text, start, end, _PHONE_CONTEXT):
        return ("PHONE_NUMBER", start, end, 0.7)
    return None


def find_numbers(text: str) -> Iterator[Span]:
    """Cards, SSNs, IPv4 addresses and phone numbers among the digit runs of `text`.

    A permissive scan that starts only at '+', '(' or a digit finds the regions worth a look;
    the exact pattern then runs inside each region (plus room for an extension).
    """
    number = _NUMBER.compiled
    done = 0
    for region in _NUMBER_REGION.finditer(text):
        lo, hi = region.span()
        if text.startswith(("ext", " ext", "Ext", " Ext"), hi):
            hi = min(len(text), hi + 12)  # "... ext. 89"
        for m in number.finditer(text, max(lo, done), hi):
            start, end = m.span()
            if end - start < 7:
                continue
            found = _classify(text, start, end)
            if found is not None:
                done = end
                yield found


# IBAN ---------------------------------------------------------------------------------------
#: Length of a valid IBAN per country (SWIFT IBAN registry).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29,
    "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24,
    "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    "YE": 30,
}  # fmt: skip
_IBAN = LazyRegex(r"[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])")
# "[0-9]{2}..." written to open with a plain set, which `re` skips ahead by (not by a repeat)
_IBAN_REGION = LazyRegex(r"[0-9][0-9](?:[ ]?[A-Za-z0-9]){11,30}")


def iban_valid(candidate: str) -> bool:
    """True if `candidate` (spaces allowed) has its country's length and passes mod-97."""
    compact = candidate.replace(" ", "").upper()
    if IBAN_LENGTHS.get(compact[:2]) != len(compact) or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def _iban_at(text: str, start: int, end: int) -> Span | None:
    value = text[start:end]
    if iban_valid(value):
        return ("IBAN_CODE", start, end, 1.0)
    # a grouped IBAN followed by another word: try the longest valid prefix ending at a group
    compact_len = IBAN_LENGTHS.get(value[:2].upper())
    if compact_len and " " in value:
        taken = 0
        for i, ch in enumerate(value):
            taken += ch != " "
            if taken == compact_len:
                return ("IBAN_CODE", start, start + i + 1, 1.0) if iban_valid(value[: i + 1]) else None
    return None


def _iban_hint(text: str) -> bool:
    """True if two ASCII letters come before two ASCII digits (every IBAN opens so).

    As a search for `[A-Za-z]{2}[0-9]{2}`, from the digit runs.
    """
    for start, end in digit_runs(text):
        if end - start > 1 and start > 1:
            pair = text[start - 2 : start]
            if pair.isascii() and pair.isalpha():
                return True
    return False


def find_ibans(text: str) -> Iterator[Span]:
    """IBANs with a valid length and checksum (upper or lower case, grouped or not).

    Candidates start at two digits (the check digits) preceded by two letters (the country).
    """
    if not _iban_hint(text):
        return
    for region in _IBAN_REGION.finditer(text):
        start = region.start() - 2
        if start < 0 or not text[start : start + 2].isalpha() or (start and text[start - 1].isalnum()):
            continue
        m = _IBAN.match(text, start)
        if m is not None:
            found = _iban_at(text, m.start(), m.end())
            if found is not None:
                yield found


# IPv6 ---------------------------------------------------------------------------------------
_IPV6 = LazyRegex(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])")
# Two colons with up to four hex digits between: every `_IPV6` match holds one (its first two
# groups), and starts with the hex digits right before the first colon of its first one.
_COLON_PAIR = LazyRegex(r":[0-9A-Fa-f]{0,4}:")
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def _ipv6_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of `_IPV6.finditer(text)`, tried only where they can start.

    A match opens with at most four hex digits, after no word character, colon or dot, then a
    colon that opens a colon pair: so it starts where the run of hex digits before such a colon
    starts. (The pattern opens with a look-behind, so a plain scan tries every position.)
    """
    ipv6 = _IPV6.compiled
    done = 0  # the last match ended here
    pair = _COLON_PAIR.search(text)
    while pair is not None:
        colon = start = pair.start()
        while start > colon - 4 and start and text[start - 1] in _HEX_DIGITS:
            start -= 1
        m = ipv6.match(text, start) if start >= done else None
        if m is not None:
            done = m.end()
            yield m
        pair = _COLON_PAIR.search(text, max(colon + 1, done))


def _has_ipv6_colons(raw: bytes) -> bool:
    """True if the UTF-8 `raw` holds "::" or at least six colons (every IPv6 address does)."""
    at = raw.find(58)  # ":", found by memchr
    for _ in range(5):
        if at < 0:
            return False
        after = raw.find(58, at + 1)
        if after == at + 1:
            return True  # "::"
        at = after
    return at >= 0


def find_ipv6(text: str) -> Iterator[Span]:
    """IPv6 addresses (full, compressed, or with an embedded IPv4), checked by `ipaddress`."""
    if not _has_ipv6_colons(utf8_kept(text)):
        return
    for m in _ipv6_matches(text):
        value = m.group()
        if value.count(":") < 2 or value in ("::",):
            continue
        try:
            ipaddress.IPv6Address(value)
        except ValueError:
            continue
        yield ("IP_ADDRESS", m.start(), m.end(), 0.95)
