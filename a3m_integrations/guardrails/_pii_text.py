# ruff: noqa: SIM905  (word lists read best as one string)
"""Textual PII: emails, dates of birth in context, street addresses, and person names by cue.

Light methods, measured in docs/guardrails.md. Person names are found only after a cue ("my
name is", "Dr.", "Mr.", "Name:", "called", "says", ...) as one to three capitalised words, so
recall is partial by design: a name with no cue stays. Street addresses are a house number
next to a street word (Street, Ave, Rue, Via, -straße, -gatan, -katu, ...), optionally followed
by "Apt./Suite N", or a military PSC/Unit box; multi-line postal blocks are only partly caught.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from a3m_integrations.guardrails._lazyre import LazyRegex
from a3m_integrations.guardrails._pii_numbers import Span, digit_runs
from a3m_integrations.guardrails._text import lower_kept as _lower

__all__ = ["find_addresses", "find_dates_of_birth", "find_emails", "find_persons"]


_EMAIL = LazyRegex(
    r"(?<![\w.+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])"
)


_LOCAL_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-")


def _email_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of `_EMAIL.finditer(text)`, tried only where they can start.

    A match holds one "@", the first after its start, and 1-64 local-part characters before
    it. The look-behind rules out a start right after a local-part character other than "%":
    so a match starts where the run of them before an "@" starts, or right after a "%" in it.
    (The pattern opens with a look-behind, so a plain scan tries every position.)
    """
    email = _EMAIL.compiled
    done = 0  # the last match ended here
    at = text.find("@")
    while at >= 0:
        low = max(at - 64, done)
        run = at
        while run > low and text[run - 1] in _LOCAL_CHARS:
            run -= 1
        starts = [run] if run == 0 or text[run - 1] not in _LOCAL_CHARS or text[run - 1] == "%" else []
        starts += [i + 1 for i in range(run, at) if text[i] == "%"]
        for start in starts:
            m = email.match(text, start) if start < at else None
            if m is not None:
                done = m.end()
                yield m
                break
        at = text.find("@", max(at + 1, done))


def find_emails(text: str) -> Iterator[Span]:
    """Email addresses."""
    if "@" not in text:
        return
    for m in _email_matches(text):
        yield ("EMAIL_ADDRESS", m.start(), m.end(), 1.0)


# Dates of birth -----------------------------------------------------------------------------
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|januar|februar|märz|mai|juni|juli|oktober|dezember|"
    r"janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\.?"
)
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\s*,?\s*\d{{4}}|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\s*,?\s*\d{{4}})"
)
_DOB_SOURCE = (
    r"\b(?:born(?:\s+(?:on|in))?|birth\s*(?:date|day)?(?:\s+is)?|date\s+of\s+birth(?:\s+is)?|d\.?o\.?b\.?|birthday(?:\s+is)?|"
    r"geboren(?:\s+am)?|geburtsdatum|né(?:e)?\s+le|fecha\s+de\s+nacimiento|nacid[oa]\s+el|data\s+di\s+nascita|nato\s+il)"
    rf"[^\d\n]{{0,25}}?\b({_DATE})"
)
_DOB = LazyRegex(_DOB_SOURCE, re.IGNORECASE)
# The same pattern without IGNORECASE (its letters are all lower-case): on ASCII text it matches
# the lower-cased text exactly where `_DOB` matches the text, and it can skip ahead by its
# literal prefixes ("born", "birth", "dob", ...) instead of trying every position.
_DOB_LOWER = LazyRegex(_DOB_SOURCE, skip_ahead=True)
# The characters a letter of those prefixes matches case-blind that do not lower-case to it
# (dotted and dotless i, long s): texts holding them take the plain scan.
_FOLDS_OTHERWISE = ("\u0130", "\u0131", "\u017f")
_DOB_TRIGGERS = ("born", "birth", "dob", "d.o.b", "geboren", "geburt", "né", "nacimiento", "nacid", "nascita", "nato")


def find_dates_of_birth(text: str) -> Iterator[Span]:
    """Dates that follow a birth cue ("born on", "DOB:", "date of birth", "geboren am", ...)."""
    lower = _lower(text)
    if not any(t in lower for t in _DOB_TRIGGERS):
        return
    if text.isascii():
        pos = 0
        while (m := _DOB_LOWER.search(lower, pos)) is not None:  # as `finditer`: matches are never empty
            yield ("DATE_OF_BIRTH", m.start(1), m.end(1), 0.9)
            pos = m.end()
        return
    _DOB_LOWER.compiled  # noqa: B018  (finds its literal prefixes)
    literals = _DOB_LOWER._literals
    if literals is None or len(lower) != len(text) or any(c in text for c in _FOLDS_OTHERWISE):
        for m in _DOB.finditer(text):
            yield ("DATE_OF_BIRTH", m.start(1), m.end(1), 0.9)
        return
    # as `_DOB.finditer(text)`, tried only where the lower-cased text holds a literal prefix of
    # `_DOB_LOWER`: every character `_DOB` matches case-blind lower-cases to the prefix's own
    starts = sorted(at for literal in literals for at in _find_all(lower, literal))
    pos = 0
    for start in starts:
        if start >= pos and (m := _DOB.compiled.match(text, start)) is not None:
            yield ("DATE_OF_BIRTH", m.start(1), m.end(1), 0.9)
            pos = m.end()


def _find_all(text: str, sub: str) -> Iterator[int]:
    at = text.find(sub)
    while at >= 0:
        yield at
        at = text.find(sub, at + 1)


# Street addresses ---------------------------------------------------------------------------
def _by_first_letter(alternatives: str) -> str:
    """`(?:a|b|...)` for "a|b|..." (each opening with a letter), grouped by first letter in order.

    `re` tries every alternative of a group in turn; grouped, it skips those whose first letter
    differs at once. Within a group the order is kept, so the pattern matches as the flat one.
    """
    groups: dict[str, list[str]] = {}
    for alternative in alternatives.split("|"):
        if not alternative[:1].isalpha():
            raise ValueError(f"street pattern alternative must open with a letter: {alternative!r}")
        groups.setdefault(alternative[0], []).append(alternative[1:])
    return "(?:" + "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items()) + ")"


# USPS street suffixes and common abbreviations (public list), plus a few European words that
# follow the street name.
_SUFFIX_WORDS = (
    r"Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Terrace|Ter|Way|"
    r"Parkway|Pkwy|Square|Sq|Trail|Trl|Highway|Hwy|Circle|Cir|Crescent|Cres|Close|Row|Walk|Alley|Bridge|Brook|"
    r"Burg|Bypass|Camp|Canyon|Cape|Causeway|Center|Centre|Cliffs?|Common|Corners?|Course|Courts|Coves?|Creek|Crest|"
    r"Crossing|Curve|Dale|Dam|Divide|Drives|Estates?|Expressway|Extensions?|Falls?|Ferry|Fields?|Flats?|Fords?|"
    r"Forest|Forges?|Forks?|Fort|Freeway|Gardens?|Gateway|Glens?|Greens?|Groves?|Harbors?|Haven|Heights|Hills?|"
    r"Hollow|Inlet|Islands?|Isle|Junctions?|Keys?|Knolls?|Lakes?|Landing|Lights?|Loaf|Locks?|Lodge|Loop|Mall|"
    r"Manors?|Meadows?|Mews|Mills?|Mission|Motorway|Mount|Mountains?|Neck|Orchard|Oval|Overpass|Parks?|Pass|"
    r"Passage|Path|Pike|Pines?|Plains?|Plaza|Points?|Ports?|Prairie|Radial|Ramp|Ranch|Rapids?|Rest|Ridges?|River|"
    r"Roads|Route|Run|Shoals?|Shores?|Skyway|Springs?|Spurs?|Squares|Station|Stravenue|Stream|Streets|Summit|"
    r"Trace|Track|Trafficway|Tunnel|Turnpike|Underpass|Unions?|Valleys?|Viaduct|Views?|Villages?|Ville|Vista|"
    r"Walks|Wall|Ways|Wells?"
)
# Street-type words that come before the name (Rue de la Gare 12, Via Roma 5, Calle Mayor 3).
_PREFIX_ALTERNATIVES = (
    r"Rue|Avenue|Av\.|Avenida|Boulevard|Bd\.?|Chemin|Allée|Quai|Place|Impasse|Via|Viale|Piazza|Corso|Vicolo|"
    r"Calle|C/|Carrer|Paseo|Plaza|Camino|Ronda|Travessa|Rua|Praça|Largo|Estrada|Ulica|ul\.|Aleja|Strada|Bulevardul|"
    r"Pod|Na|Nad|U"
)
# Street-name endings written as one word (Hauptstraße, Kungsgatan, Mellemvej, Koskikatu, ...).
_GLUED_ALTERNATIVES = (
    r"straße|strasse|str\.|gasse|weg|platz|allee|damm|ufer|steig|stræti|"
    r"gata|gatan|gade|vej|vägen|vegen|veien|katu|tie|kuja|polku|utca|út|tér|straat|laan|plein|gracht|kade|"
    r"ulica|cesta|ul\.|sokak|caddesi"
)
_SUFFIX = _by_first_letter(_SUFFIX_WORDS) + r"\.?"
_PREFIX = _by_first_letter(_PREFIX_ALTERNATIVES)
_GLUED = rf"[A-ZÀ-ÖØ-ÞŠŽČĆĐŁ][\w'-]*?{_by_first_letter(_GLUED_ALTERNATIVES)}(?![\w])"
_WORDS = r"(?:[A-ZÀ-ÖØ-ÞŠŽČĆĐŁ][\w'.-]*\s+){1,4}"
_UNIT = r"(?:,?\s+(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Floor|Fl\.|#)\s*\d+\w?)?"
_NAME_PARTS = r"(?:(?:de|del|de\s+la|des|du|di|da|do|dos|das|la|le|les|[A-ZÀ-ÖØ-Þ][\w'.-]*)\s+){1,5}"
# Addresses are found from their house numbers: each run of digits is tried as the start of
# "12 Main Street" / "12 Hauptstraße" / "12, rue de la Gare" (one anchored match) and, when
# a street word precedes it, as the end of "Hauptstraße 12" / "Rue de la Gare 12".
_NUMBER_FIRST = LazyRegex(
    rf"[0-9]{{1,6}}[A-Za-z]?(?:\s+(?:[0-9]{{1,5}}\s+)?(?:{_WORDS}{_SUFFIX}(?!\w)|{_GLUED}(?:\s+[0-9]{{1,5}}[A-Za-z]?)?)"
    rf"|,?\s+{_PREFIX}\s+(?:(?:de|del|de\s+la|des|du|di|da|la|le|les|[A-ZÀ-ÖØ-Þ][\w'.-]*)\s*){{1,5}}(?<=\w)){_UNIT}"
)
_NUMBER_LAST = LazyRegex(rf"(?:(?<!\w){_GLUED}|\b{_PREFIX}\s+{_NAME_PARTS})\s*(?<=\s)[0-9]{{1,5}}[A-Za-z]?\b{_UNIT}")
_ADDRESS_BOX = LazyRegex(
    r"\b(?:PSC|Unit|USNS|USNV|USS|USCGC)\s+\d{4}(?:\s+\w+)?,?\s+Box\s+\d{4}(?:\s*\n?\s*[AFD]PO\s+A[AEP]\s+\d{5})?"
)
_GLUED_ENDINGS = tuple(
    (
        "straße strasse str. gasse weg platz allee damm ufer steig stræti gata gatan gade vej vägen vegen veien katu "
        "tie kuja polku utca út tér straat laan plein gracht kade ulica cesta ul. sokak caddesi"
    ).split()
)
_PREFIX_WORDS = frozenset(
    (
        "rue avenue av. avenida boulevard bd bd. chemin allée quai place impasse via viale piazza corso vicolo "
        "calle c/ carrer paseo plaza camino ronda travessa rua praça largo estrada ulica ul. aleja strada "
        "bulevardul pod na nad u"
    ).split()
)


def _street_before(lower: str, pos: int) -> bool:
    """True if a street word ends right before `pos` or a street-type word is among the six before it."""
    tokens = lower[max(0, pos - 80) : pos].rsplit(None, 6)[-6:]  # `split()[-6:]`, splitting less
    if not tokens:
        return False
    return tokens[-1].endswith(_GLUED_ENDINGS) or not _PREFIX_WORDS.isdisjoint(tokens)


# A following line (or comma part) of a postal block: a unit, "City, ST 12345", "Country 12345".
_CONTINUATION = LazyRegex(
    r"(?:[ \t]*,[ \t]*|[ \t]*\n[ \t]*>?[ \t]*)"
    r"(?:(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Floor)[ \t]*\d+\w?"
    r"|[A-ZÀ-ÖØ-Þ][\w'.-]*(?:[ \t]+(?:[A-ZÀ-ÖØ-Þ(][\w'.()-]*|de|la|del|am|an|upon|on))*"
    r"(?:[ \t]*,[ \t]*[A-Z]{2})?(?:[ \t]+\d{4,6})?"
    r"|[A-Z]{2}[ \t]+\d{5}|\d{4,6})"
    r"(?=[ \t]*(?:\n|,|$|\.(?:\s|$)))"
)
_MAX_CONTINUATIONS = 4


def find_addresses(text: str) -> Iterator[Span]:
    """Street addresses: number + street words, street-type prefix + number, or PSC/Unit boxes.

    A match is extended over up to four following lines or comma parts that look like the rest
    of a postal block (unit, city, state and zip, country and postcode).
    """
    lower = _lower(text)
    found: list[tuple[int, int]] = []
    for start, end in digit_runs(text):
        if end - start > 6 or (start and text[start - 1].isalnum()):
            continue
        first = _NUMBER_FIRST.match(text, start)
        if first is not None:
            found.append(first.span())
        if _street_before(lower, start):
            for m in _NUMBER_LAST.compiled.finditer(text, max(0, start - 100), min(len(text), end + 40)):
                if m.start() < start < m.end():
                    found.append(m.span())
                    break
    if "box" in lower:
        found += [m.span() for m in _ADDRESS_BOX.finditer(text)]
    taken_end = -1
    for start, end in sorted(found, key=lambda se: (se[0], -se[1])):
        if start < taken_end:
            continue
        for _ in range(_MAX_CONTINUATIONS):
            more = _CONTINUATION.match(text, end)
            if more is None or len(more.group().strip()) > 40 or ":" in more.group():
                break
            end = more.end()
        taken_end = end
        yield ("STREET_ADDRESS", start, end, 0.6)


# Person names -------------------------------------------------------------------------------
_NAME_CAP = "[A-ZÀ-ÖØ-ÞŠŽČĆĐŁŚŻÅÆ]"
_NAME_WORD = rf"{_NAME_CAP}[a-zà-öø-ÿšžčćđłśźżåæœ'’-]+"
# A name word or a capital initial, then up to three more words: "(?:{_NAME_WORD}|[A-Z]\.?)..."
# written to open with one character set (the initial's [A-Z] lies inside it), so that `re`
# jumps between capitals instead of trying every position; the matches are the same.
_NAME_FIRST = r"(?:[a-zà-öø-ÿšžčćđłśźżåæœ'’-]+|(?<=[A-Z])\.?)"  # after the capital
_NAME_MORE = rf"(?:[ \t]+(?:{_NAME_WORD}|[A-Z]\.|van|von|der|de|del|da|di|le|la|bin|ibn|al))"
_NAME = LazyRegex(rf"{_NAME_CAP}{_NAME_FIRST}{_NAME_MORE}{{0,3}}")
# The `_NAME` matches a cue can stand before: those after a space or one of :,"“ (what
# `_cue_before` looks for first), and those of two words or more (a cue may sit inside). The
# others are single words, inside which no match starts, so the rest are found as by `_NAME`.
_NAME_CUEABLE = LazyRegex(
    rf"{_NAME_CAP}(?:(?<=[\s:,\"“].){_NAME_FIRST}{_NAME_MORE}{{0,3}}|{_NAME_FIRST}{_NAME_MORE}{{1,3}})"
)
# Cues: the word(s) right before a capitalised name. Strong cues make one word enough.
_STRONG_WORDS = frozenset(
    "named signed dear hi hello mr mrs ms miss mx dr prof sir dame madam herr frau mme mlle sr sra".split()
)
_STRONG_PAIRS = frozenset(
    [
        ("call", "me"),
        ("calls", "me"),
        ("ich", "heiße"),
        ("me", "llamo"),
        ("mi", "chiamo"),
        ("nome", "é"),
        ("name", "ist"),
    ]
)
_OWNERS = frozenset(
    "my his her their your maiden last first full sur family given partner's patient's client's mein".split()
)
_WEAK_WORDS = frozenset("says said told asked wrote by contact called starring".split())
_WEAK_PAIRS = frozenset([("according", "to"), ("ask", "for"), ("directed", "by"), ("this", "is"), ("i", "am")])
_NOT_NAMES = frozenset(
    """The This That These Those It He She They We You I A An And Or But If In On At To Of For From By With My Your
    His Her Our Their Its Not No Yes Sorry Happy Glad Here There What Who Why How When Where Please Thanks Thank Hello
    Hi Dear Good Great New Old All Some Any Every Each Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April May June July August September October November December Street Road Avenue Apt Suite Mr Mrs
    Ms Dr Prof Sir Also Just Still Now Then Today Tomorrow Yesterday God Internet English German French Spanish Company
    Team Customer Support Service Bank Account Card Phone Email Address Name Note Update Order Subject Re Is Was Am Are
    Be Been Going Trying Looking Calling Writing Interested Sure Fine Done Ready Back Really Very So Too Well Okay Ok
    Everyone Someone Anyone Nobody Everybody Unknown None Null Nan""".split()
)
_LOWER_STOP = frozenset(
    "is was not a an the and or but to of in on at for with from by my your his her our their just also still "
    "here there what who how when where why please thanks sorry".split()
)
_PARTICLES = frozenset(("van", "von", "der", "de", "del", "da", "di"))
# One-word candidates `_trim_name` empties: not-names and (capitalised, as `_NAME` finds them) particles.
_NOT_NAME_WORDS = _NOT_NAMES | {p.capitalize() for p in _PARTICLES}
_CUE_LAST_WORDS = (
    _STRONG_WORDS
    | _WEAK_WORDS
    | {pair[1] for pair in _STRONG_PAIRS | _WEAK_PAIRS}
    | {"name", "regards", "sincerely", "thanks", "is", "was"}
)


def _cue_before(lower: str, pos: int) -> str | None:
    """'strong', 'weak' or None: the cue that ends right before `pos` in lower-cased text."""
    window = lower[pos - 48 if pos > 48 else 0 : pos]
    if window and not (window[-1].isspace() or window[-1] in ':,"“'):
        return None
    parts = window.rsplit(None, 1)  # [] when the window is blank
    last_word = parts[-1].strip('"“') if parts else ""
    if last_word.rstrip(".,:;=?") not in _CUE_LAST_WORDS and last_word != "i'm":
        return None  # fast path: most capitalised words follow no cue
    toks = window.replace('"', " ").replace("“", " ").split()
    if not toks:
        return None
    last = toks[-1]
    prev = toks[-2] if len(toks) > 1 else ""
    core = last.rstrip(".,:;=?")
    if last == "i'm":
        return "weak"
    if last in ("name:", "name=", "regards,", "sincerely,", "thanks,") or core in _STRONG_WORDS:
        return "strong"
    if core == "name" and last.endswith("?") and prev in _OWNERS:
        return "strong"
    if core in ("is", "was") and prev == "name" and len(toks) > 2 and toks[-3] in _OWNERS:
        return "strong"
    if (prev, core) in _STRONG_PAIRS:
        return "strong"
    if core in _WEAK_WORDS or (prev, core) in _WEAK_PAIRS:
        return "weak"
    return None


def _trim_name(name: str) -> str:
    words = name.split()
    while words and (words[-1] in _NOT_NAMES or words[-1].lower() in _PARTICLES):
        words.pop()
    return " ".join(words)


def _span_len(text: str, start: int, n_words: int) -> int:
    """Characters from `start` covering `n_words` words separated by spaces or tabs."""
    pos = start
    for i in range(n_words):
        while i and pos < len(text) and text[pos] in " \t":
            pos += 1
        while pos < len(text) and not text[pos].isspace():
            pos += 1
    return pos - start


def find_persons(text: str) -> Iterator[Span]:
    """Person names after a cue.

    Capitalised word runs are the candidates; the words right before one decide. After a strong
    cue ("my name is", "Name:", "Dr.", "Dear") one word is enough; after a weak cue ("says",
    "by", "I am") two are needed, or one closing a sentence (`"...," says Smith.`). In
    all-lower-case text only an explicit "my name is" / "name:" cue counts.
    """
    lower = _lower(text)
    if len(lower) != len(text):  # lower-casing changed lengths (rare letters): offsets would drift
        return
    lower_text = lower == text
    if lower_text:
        if "name" not in lower:
            return
        text = text.title()
        if len(text) != len(lower):
            return
    for m in _NAME_CUEABLE.finditer(text):
        group = m.group()
        offset = m.start()
        if group in _NOT_NAME_WORDS:
            continue  # one word that is no name ("The", "I", "Van"), cue or not
        if " " not in group and "\t" not in group and _cue_before(lower, offset) is None:
            continue  # one word (after a space or :,"“, as the scan checks) with no cue before it
        words = group.split()
        for k, word in enumerate(words):
            if k:
                start = offset - len(words[k - 1])  # the word before ends at `offset`
                last = lower[start:offset]
                offset = text.index(word, offset)
                # When the word before and the spaces after it lie in `_cue_before`'s 48-character
                # window with whitespace (or the text's start) before it, it is the token that
                # `_cue_before` reads first: unless it is a cue word, there is no cue.
                if (
                    offset - start < 48
                    and (k > 1 or not start or text[start - 1].isspace())
                    and last.rstrip(".,:;=?") not in _CUE_LAST_WORDS
                    and last != "i'm"
                ):
                    offset += len(word)
                    continue
            before = lower[offset - 1] if offset else ""
            # no cue unless a space or one of :,"“ comes right before (what _cue_before checks first)
            cue = _cue_before(lower, offset) if before and (before.isspace() or before in ':,"“') else None
            if cue is None:
                offset += len(word)
                continue
            name = _trim_name(" ".join(words[k:]))
            if not name or name.split()[0] in _NOT_NAMES:
                break
            n_words = len(name.split())
            end = offset + _span_len(text, offset, n_words)
            if lower_text and (cue != "strong" or "name" not in lower[max(0, offset - 20) : offset]):
                break
            if lower_text and name.split()[0].lower() in _LOWER_STOP:
                break
            if cue == "weak" and (name.isupper() or (n_words < 2 and text[end : end + 1] not in ".,;!?")):
                break
            yield ("PERSON", offset, end, 0.7 if cue == "strong" else 0.5)
            break
