from __future__ import annotations

import pytest

from a3m_integrations.guardrails._pii_numbers import iban_valid, luhn_valid, ssn_valid
from a3m_integrations.guardrails.pii import PiiDetector, Placeholders, StreamRestorer, redact_text, restore_text


def found(text: str, entity: str | None = None) -> list[tuple[str, str]]:
    return [(m.entity, text[m.start : m.end]) for m in PiiDetector().find(text) if entity in (None, m.entity)]


def test_validators() -> None:
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")
    assert iban_valid("GB82 WEST 1234 5698 7654 32")
    assert iban_valid("de89370400440532013000")
    assert not iban_valid("GB82WEST12345698765433")  # checksum off by one
    assert not iban_valid("GB82WEST123456987654")  # wrong length for GB
    assert ssn_valid("123456780") is True
    for bad in ("000123456", "666123456", "912345678", "123006789", "123450000", "111111111", "123456789"):
        assert not ssn_valid(bad), bad


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("mail me at jane.doe+news@example.co.uk today", "EMAIL_ADDRESS", "jane.doe+news@example.co.uk"),
        ("my card is 4111 1111 1111 1111, exp 12/27", "CREDIT_CARD", "4111 1111 1111 1111"),
        ("charge 5500-0000-0000-0004 please", "CREDIT_CARD", "5500-0000-0000-0004"),
        ("IBAN: DE89 3704 0044 0532 0130 00 thanks", "IBAN_CODE", "DE89 3704 0044 0532 0130 00"),
        ("his SSN is 536-22-1234.", "US_SSN", "536-22-1234"),
        ("ssn 536221234 on file", "US_SSN", "536221234"),
        ("server at 192.168.10.254 is down", "IP_ADDRESS", "192.168.10.254"),
        ("ping 2001:db8:85a3::8a2e:370:7334 now", "IP_ADDRESS", "2001:db8:85a3::8a2e:370:7334"),
        ("call +44 20 7946 0958 tomorrow", "PHONE_NUMBER", "+44 20 7946 0958"),
        ("office (555) 123-4567 ext. 89", "PHONE_NUMBER", "(555) 123-4567 ext. 89"),
        ("Tel.: 030 901820 12", "PHONE_NUMBER", "030 901820 12"),
        ("reach me on 06 12 34 56 78", "PHONE_NUMBER", "06 12 34 56 78"),
        ("She was born on 7/30/1964 in Ohio", "DATE_OF_BIRTH", "7/30/1964"),
        ("DOB: 12 March 1985", "DATE_OF_BIRTH", "12 March 1985"),
        ("ship to 1600 Pennsylvania Avenue, Washington", "STREET_ADDRESS", "1600 Pennsylvania Avenue, Washington"),
        ("Er wohnt in der Hauptstraße 5", "STREET_ADDRESS", "Hauptstraße 5"),
        ("My name is Maria Gonzalez and I need help", "PERSON", "Maria Gonzalez"),
        ("Please ask Dr. Kowalski about it", "PERSON", "Kowalski"),
    ],
)
def test_detects_each_entity(text: str, entity: str, value: str) -> None:
    assert (entity, value) in found(text), found(text)


@pytest.mark.parametrize(
    "text",
    [
        "The meeting is on 2024-05-06 at 10:30 in room 12.",
        "Revenue grew 12.5% to 4,500,000 dollars in 2023.",
        "Order number 123456789012 shipped; version 1.2.3 released.",
        "Call me maybe.",
        "4111111111111112 is not a valid card",  # fails Luhn
        "GB82WEST12345698765433 is not a valid IBAN",
        "999.300.1.1 is not an IP address",
        "I'm Happy to help, says the bot",
        "During 1971 the band toured Europe.",
        "My driver's license number is 6940579",
    ],
)
def test_no_false_positives_on_ordinary_numbers_and_words(text: str) -> None:
    assert found(text) == []


def test_overlaps_resolve_to_the_more_specific_entity() -> None:
    text = "write to john.smith@example.com or 4111111111111111"
    assert found(text) == [("EMAIL_ADDRESS", "john.smith@example.com"), ("CREDIT_CARD", "4111111111111111")]
    # a weak phone (context word + digits) inside a street address is the house number
    assert found("our office is at 9816 214 Main Street", "PHONE_NUMBER") == []


def test_placeholders_are_stable_per_value_and_skip_existing_names() -> None:
    text = "a@x.io, b@y.io, a@x.io and A@X.IO; call 555-123-4567 or 555.123.4567"
    ph = Placeholders()
    out = redact_text(text, PiiDetector().find(text), ph)
    assert out == "<EMAIL_1>, <EMAIL_2>, <EMAIL_1> and <EMAIL_1>; call <PHONE_1> or <PHONE_1>"
    assert ph.mapping["<EMAIL_1>"] == "a@x.io"
    assert restore_text("reply to <EMAIL_2> and <PHONE_1>, not <EMAIL_9>", ph.mapping) == (
        "reply to b@y.io and 555-123-4567, not <EMAIL_9>"
    )
    reserved = Placeholders(reserved="I literally typed <EMAIL_1> myself")
    assert reserved.name_for("EMAIL_ADDRESS", "z@z.io") == "<EMAIL_2>"


def test_stream_restorer_handles_split_placeholders() -> None:
    restorer = StreamRestorer({"<EMAIL_1>": "a@x.io", "<PHONE_12>": "555 0100"})
    chunks = ["Write to <EM", "AIL_1> or call <", "PHONE_1", "2> now. 3 < 4", " ok"]
    out = "".join(restorer.feed(c) for c in chunks) + restorer.flush()
    assert out == "Write to a@x.io or call 555 0100 now. 3 < 4 ok"


def test_detector_entity_selection() -> None:
    det = PiiDetector(["EMAIL_ADDRESS"])
    assert [m.entity for m in det.find("a@b.io 4111111111111111")] == ["EMAIL_ADDRESS"]
    with pytest.raises(ValueError, match="unknown PII entity"):
        PiiDetector(["PASSPORT"])


@pytest.mark.parametrize(
    "text",
    ["Tell me about Paris with 2100000 people", "We sold 3400000 units last year", "Hotel rooms: 1200000 nights"],
)
def test_amounts_are_not_phone_numbers_when_a_context_word_is_inside_another_word(text: str) -> None:
    """Context words count as words: the "tel" in "Tell" or "Hotel" is not a phone cue."""
    assert [m.entity for m in PiiDetector().find(text) if m.entity == "PHONE_NUMBER"] == []
