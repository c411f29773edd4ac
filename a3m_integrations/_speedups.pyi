"""Optional compiled helpers for the complexity signals (`_speedups.c`); pure Python is the reference."""

from collections.abc import Iterable, Mapping, Sequence

_Found = tuple[
    int,  # tokens
    str | None,  # the first token
    set[tuple[str, str]],  # the scanner's pairs found as adjacent tokens
    dict[str, set[str]],  # {kind: entries} of the words found (as tokens, or as parts of hyphenated tokens)
    int,  # bit i: marks[i] is a whole token
    tuple[int, ...],  # per group: how many of its words were found
    int,  # how many of the first 20 '|'-separated pieces hold a token
    list[tuple[int, str, str]],  # (number, lead word, piece) of the pieces opening with a lead word
    tuple[int, ...] | None,  # scan_ascii: how often each of chars occurs in the text as given; scan: None
]

class Scanner:
    """Finds the given words and adjacent-word pairs in a normalised text, in one pass."""

    def __init__(
        self,
        words: Iterable[str],
        pairs: Iterable[tuple[str, str]],
        entries: Mapping[str, tuple[tuple[str, str], ...]],
        marks: Sequence[str] = (),
        whole_only: Iterable[str] = (),
        groups: Sequence[Iterable[str]] = (),
        leads: Iterable[str] = (),
        table: bytes | None = None,
        chars: str = "",
    ) -> None: ...
    def scan(self, norm: str, /) -> _Found:
        """What a normalised text holds of the scanner's words and pairs."""
    def scan_ascii(self, text: str, /) -> _Found:
        """`scan` of an ASCII text normalised through the table (ValueError if not ASCII or no table)."""
    def sizes(self) -> tuple[int, int]:
        """How many distinct words and pairs the scanner holds."""
