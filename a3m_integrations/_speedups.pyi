"""Optional compiled helpers for the complexity signals (`_speedups.c`); pure Python is the reference."""

from collections.abc import Iterable, Mapping, Sequence

class Scanner:
    """Finds the given words and adjacent-word pairs in a normalised text, in one pass."""

    def __init__(
        self,
        words: Iterable[str],
        pairs: Iterable[tuple[str, str]],
        entries: Mapping[str, tuple[tuple[str, str], ...]],
        marks: Sequence[str] = (),
        whole_only: Iterable[str] = (),
    ) -> None: ...
    def scan(self, text: str, /) -> tuple[int, str | None, set[str], set[tuple[str, str]], dict[str, set[str]], int]:
        """(token count, first token, words found, pairs found, {kind: entries} of the words, marks bits)."""
    def sizes(self) -> tuple[int, int]:
        """How many distinct words and pairs the scanner holds."""
