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
from a3m_integrations.guardrails._pii_numbers import Span

__all__ = ["find_addresses", "find_dates_of_birth", "find_emails", "find_persons"]

_EMAIL = LazyRegex(
    r"(?<![\w.+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])"
)


def find_emails(text: str) -> Iterator[Span]:
    """Email addresses."""
    if "@" not in text:
        return
    for m in _EMAIL.finditer(text):
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
_DOB = LazyRegex(
    r"\b(?:born(?:\s+(?:on|in))?|birth\s*(?:date|day)?(?:\s+is)?|date\s+of\s+birth(?:\s+is)?|d\.?o\.?b\.?|birthday(?:\s+is)?|"
    r"geboren(?:\s+am)?|geburtsdatum|né(?:e)?\s+le|fecha\s+de\s+nacimiento|nacid[oa]\s+el|data\s+di\s+nascita|nato\s+il)"
    rf"[^\d\n]{{0,25}}?\b({_DATE})",
    re.IGNORECASE,
)
_DOB_TRIGGERS = ("born", "birth", "dob", "d.o.b", "geboren", "geburt", "né", "nacimiento", "nacid", "nascita", "nato")


def find_dates_of_birth(text: str) -> Iterator[Span]:
    """Dates that follow a birth cue ("born on", "DOB:", "date of birth", "geboren am", ...)."""
    lower = text.lower()
    if not any(t in lower for t in _DOB_TRIGGERS):
        return
    for m in _DOB.finditer(text):
        yield ("DATE_OF_BIRTH", m.start(1), m.end(1), 0.9)


# Street addresses ---------------------------------------------------------------------------
# USPS street suffixes and common abbreviations (public list), plus a few European words that
# follow the street name.
_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Terrace|Ter|Way|"
    r"Parkway|Pkwy|Square|Sq|Trail|Trl|Highway|Hwy|Circle|Cir|Crescent|Cres|Close|Row|Walk|Alley|Bridge|Brook|"
    r"Burg|Bypass|Camp|Canyon|Cape|Causeway|Center|Centre|Cliffs?|Common|Corners?|Course|Courts|Coves?|Creek|Crest|"
    r"Crossing|Curve|Dale|Dam|Divide|Drives|Estates?|Expressway|Extensions?|Falls?|Ferry|Fields?|Flats?|Fords?|"
    r"Forest|Forges?|Forks?|Fort|Freeway|Gardens?|Gateway|Glens?|Greens?|Groves?|Harbors?|Haven|Heights|Hills?|"
    r"Hollow|Inlet|Islands?|Isle|Junctions?|Keys?|Knolls?|Lakes?|Landing|Lights?|Loaf|Locks?|Lodge|Loop|Mall|"
    r"Manors?|Meadows?|Mews|Mills?|Mission|Motorway|Mount|Mountains?|Neck|Orchard|Oval|Overpass|Parks?|Pass|"
    r"Passage|Path|Pike|Pines?|Plains?|Plaza|Points?|Ports?|Prairie|Radial|Ramp|Ranch|Rapids?|Rest|Ridges?|River|"
    r"Roads|Route|Run|Shoals?|Shores?|Skyway|Springs?|Spurs?|Squares|Station|Stravenue|Stream|Streets|Summit|"
    r"Trace|Track|Trafficway|Tunnel|Turnpike|Underpass|Unions?|Valleys?|Viaduct|Views?|Villages?|Ville|Vista|"
    r"Walks|Wall|Ways|Wells?)\.?"
)
# Street-type words that come before the name (Rue de la Gare 12, Via Roma 5, Calle Mayor 3).
_PREFIX = (
    r"(?:Rue|Avenue|Av\.|Avenida|Boulevard|Bd\.?|Chemin|Allée|Quai|Place|Impasse|Via|Viale|Piazza|Corso|Vicolo|"
    r"Calle|C/|Carrer|Paseo|Plaza|Camino|Ronda|Travessa|Rua|Praça|Largo|Estrada|Ulica|ul\.|Aleja|Strada|Bulevardul|"
    r"Pod|Na|Nad|U)"
)
# Street-name endings written as one word (Hauptstraße, Kungsgatan, Mellemvej, Koskikatu, ...).
_GLUED = (
    r"[A-ZÀ-ÖØ-ÞŠŽČĆĐŁ][\w'-]*?(?:straße|strasse|str\.|gasse|weg|platz|allee|damm|ufer|steig|stræti|"
    r"gata|gatan|gade|vej|vägen|vegen|veien|katu|tie|kuja|polku|utca|út|tér|straat|laan|plein|gracht|kade|"
    r"ulica|cesta|ul\.|sokak|caddesi)(?![\w])"
)
_WORDS = r"(?:[A-ZÀ-ÖØ-ÞŠŽČĆĐŁ][\w'.-]*\s+){1,4}"
_UNIT = r"(?:,?\s+(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Floor|Fl\.|#)\s*\d+\w?)?"
_ADDRESS = LazyRegex(
    rf"\b\d{{1,6}}[A-Za-z]?\s+(?:\d{{1,5}}\s+)?{_WORDS}{_SUFFIX}(?!\w){_UNIT}"
    rf"|\b\d{{1,6}}[A-Za-z]?\s+(?:\d{{1,5}}\s+)?{_GLUED}(?:\s+\d{{1,5}}[A-Za-z]?)?{_UNIT}"
    rf"|(?<!\w){_GLUED}\s+\d{{1,5}}[A-Za-z]?\b{_UNIT}"
    rf"|\b{_PREFIX}\s+(?:(?:de|del|de\s+la|des|du|di|da|do|dos|das|la|le|les|[A-ZÀ-ÖØ-Þ][\w'.-]*)\s+){{1,5}}\d{{1,5}}[A-Za-z]?\b{_UNIT}"
    rf"|\b\d{{1,5}}[A-Za-z]?,?\s+{_PREFIX}\s+(?:(?:de|del|de\s+la|des|du|di|da|la|le|les|[A-ZÀ-ÖØ-Þ][\w'.-]*)\s*){{1,5}}(?<=\w){_UNIT}"
    r"|\b(?:PSC|Unit|USNS|USNV|USS|USCGC)\s+\d{4}(?:\s+\w+)?,?\s+Box\s+\d{4}(?:\s*\n?\s*[AFD]PO\s+A[AEP]\s+\d{5})?",
)


# A following line (or comma part) of a postal block: a unit, "City, ST 12345", "Country 12345".
_CONTINUATION = LazyRegex(
    r"(?:[ \t]*,[ \t]*|[ \t]*\n[ \t]*>?[ \t]*)"
    r"(?:(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Floor)[ \t]*\d+\w?"
    r"|[A-ZÀ-ÖØ-Þ][\w'.-]*(?:[ \t]+(?:[A-ZÀ-ÖØ-Þ(][\w'.()-]*|de|la|del|am|an|upon|on))*(?:[ \t]*,[ \t]*[A-Z]{2})?(?:[ \t]+\d{4,6})?"
    r"|[A-Z]{2}[ \t]+\d{5}|\d{4,6})"
    r"(?=[ \t]*(?:\n|,|$|\.(?:\s|$)))"
)
_MAX_CONTINUATIONS = 4


def find_addresses(text: str) -> Iterator[Span]:
    """Street addresses: number + street words, street-type prefix + number, or PSC/Unit boxes.

    A match is extended over up to four following lines or comma parts that look like the rest
    of a postal block (unit, city, state and zip, country and postcode).
    """
    for m in _ADDRESS.finditer(text):
        end = m.end()
        for _ in range(_MAX_CONTINUATIONS):
            more = _CONTINUATION.match(text, end)
            if more is None or len(more.group().strip()) > 40 or ":" in more.group():
                break
            end = more.end()
        yield ("STREET_ADDRESS", m.start(), end, 0.6)


# Person names -------------------------------------------------------------------------------
_NAME_WORD = r"[A-ZÀ-ÖØ-ÞŠŽČĆĐŁŚŻÅÆ][a-zà-öø-ÿšžčćđłśźżåæœ'’-]+"
_NAME = rf"(?:{_NAME_WORD}|[A-Z]\.?)(?:\s+(?:{_NAME_WORD}|[A-Z]\.|van|von|der|de|del|da|di|le|la|bin|ibn|al)){{0,3}}"
_STRONG_CUE = (
    r"(?:\b(?:my|his|her|their|your|the\s+patient'?s|the\s+client'?s|maiden|last|first|full|sur|family|given|partner'?s)"
    r"\s+name\s+(?:is|was)|\bname\s*[:=]|\byour\s+(?:last\s+|first\s+|full\s+)?name\s*\?|\bnamed|\b(?:people\s+)?calls?\s+me"
    r"|\bsigned|\b(?:kind\s+|best\s+|warm\s+)?regards,|\bsincerely,|\bdear|\bhi|\bhello|\bthanks,"
    r"|\bmein\s+name\s+ist|\bich\s+heiße|\bje\s+m'appelle|\bme\s+llamo|\bmi\s+chiamo|\bmeu\s+nome\s+é"
    r"|\b(?:mr|mrs|ms|miss|mx|dr|prof|sir|dame|madam|herr|frau|mme|mlle|sra?)\.?)"
)
_WEAK_CUE = (
    r"(?:\b(?:says|said|told|asked|wrote|according\s+to|by|contact|ask\s+for|called|directed\s+by|starring)"
    r"|\bi\s+am|\bi'm|\bthis\s+is)"
)
_NAME_CUES = LazyRegex(rf"(?i:({_STRONG_CUE})|{_WEAK_CUE})\s*[:,]?\s*[\"“]?\s*({_NAME})")
_NOT_NAMES = frozenset(
    [
        "The",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "He",
        "She",
        "They",
        "We",
        "You",
        "I",
        "A",
        "An",
        "And",
        "Or",
        "But",
        "If",
        "In",
        "On",
        "At",
        "To",
        "Of",
        "For",
        "From",
        "By",
        "With",
        "My",
        "Your",
        "His",
        "Her",
        "Our",
        "Their",
        "Its",
        "Not",
        "No",
        "Yes",
        "Sorry",
        "Happy",
        "Glad",
        "Here",
        "There",
        "What",
        "Who",
        "Why",
        "How",
        "When",
        "Where",
        "Please",
        "Thanks",
        "Thank",
        "Hello",
        "Hi",
        "Dear",
        "Good",
        "Great",
        "New",
        "Old",
        "All",
        "Some",
        "Any",
        "Every",
        "Each",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Street",
        "Road",
        "Avenue",
        "Apt",
        "Suite",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Prof",
        "Sir",
        "Also",
        "Just",
        "Still",
        "Now",
        "Then",
        "Today",
        "Tomorrow",
        "Yesterday",
        "God",
        "Internet",
        "English",
        "German",
        "French",
        "Spanish",
        "Company",
        "Team",
        "Customer",
        "Support",
        "Service",
        "Bank",
        "Account",
        "Card",
        "Phone",
        "Email",
        "Address",
        "Name",
        "Note",
        "Update",
        "Order",
        "Subject",
        "Re",
        "Is",
        "Was",
        "Am",
        "Are",
        "Be",
        "Been",
        "Not",
        "Going",
        "Trying",
        "Looking",
        "Calling",
        "Writing",
        "Interested",
        "Sure",
        "Fine",
        "Done",
        "Ready",
        "Here",
        "Back",
        "Just",
        "Really",
        "Very",
        "So",
        "Too",
        "Well",
        "Okay",
        "Ok",
        "Everyone",
        "Someone",
        "Anyone",
        "Nobody",
        "Everybody",
        "Unknown",
        "None",
        "Null",
        "Nan",
    ]
)


def _trim_name(name: str) -> str:
    words = name.split()
    while words and (words[-1] in _NOT_NAMES or words[-1].lower() in ("van", "von", "der", "de", "del", "da", "di")):
        words.pop()
    return " ".join(words)


def find_persons(text: str) -> Iterator[Span]:
    """Person names after a cue.

    After a strong cue ("my name is", "Name:", "Dr.") one capitalised word is enough, and in
    all-lower-case text a lower-case word is taken. After a weak cue ("says", "by", "I am") two
    capitalised words are needed, or one closing a sentence (`"...," says Smith.`).
    """
    lower_text = not any(c.isupper() for c in text)
    titled = text.title() if lower_text else text
    if len(titled) != len(text):  # title-casing changed lengths (e.g. "ß" -> "Ss"): offsets would drift
        titled, lower_text = text, False
    pos = 0
    while True:
        m = _NAME_CUES.search(titled, pos)
        if m is None:
            return
        pos = m.end()
        name = _trim_name(m.group(2))
        if not name or name.split()[0] in _NOT_NAMES:
            pos = m.start(2) + 1  # the "name" may hold the next cue ("this is Dr. Kyle Kuefer")
            continue
        strong = m.group(1) is not None
        words = name.split()
        if not strong:
            after = text[m.start(2) + len(name) : m.start(2) + len(name) + 1]
            if (len(words) < 2 and after not in (".", ",", ";", "!", "?")) or name.isupper():
                continue
        if lower_text and not strong:
            continue
        start = m.start(2)
        yield ("PERSON", start, start + len(name), 0.7 if strong else 0.5)
