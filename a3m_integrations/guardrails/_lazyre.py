r"""A regex compiled on first use, so importing the guardrails costs no compile time.

With `skip_ahead=True`, `search` also skips the positions where no match can start. Python's
`re` does that by itself only when a pattern opens with a literal or a plain character set;
one that opens with `\b`, a look-around or a mixed alternation is tried at every position.
For those, `_regex_starts` works out from the parsed pattern either literal prefixes (every
match starts with one of them: "ignore", "forget", ...), which `str.find` locates, or the
class of characters a match can start with, which a scout pattern
`[FIRST](?<=(?=PATTERN)(?s:.))` jumps between (the look-around checks that the whole pattern
matches there). The pattern itself is then matched at the leftmost start found, so `search`
returns exactly the match the plain pattern would. A literal start right after a word character
is skipped without a match call when the pattern opens with `\b` and every literal with a word
character (a call to `re` costs about 2,000 instructions, whatever it finds).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from a3m_integrations.guardrails._regex_starts import (
    first_char_class,
    literal_prefixes,
    opens_at_word_boundary,
    opens_plainly,
)

__all__ = ["LazyRegex"]


def _useful_literals(literals: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """The literal prefixes if they are worth finding one at a time (none of them common).

    Single letters, line breaks, tabs and a leading space are too common to look for.
    """
    if literals is None or any((len(t) < 2 and t.isalpha()) or not t.isprintable() or t[0] == " " for t in literals):
        return None
    return literals


def _is_word(char: str) -> bool:
    r"""True if `char` is a word character for `re` (`\w`: alphanumeric or "_")."""
    return char.isalnum() or char == "_"


class LazyRegex:
    r"""Wraps a pattern string; compiles it the first time a method is called.

    Once compiled, the methods are the compiled pattern's own (set on the instance, so calls
    skip this wrapper), except a `search` that skips ahead.

    Args:
        skip_ahead: `search` skips positions no match can start at (see the module docstring);
            matches are the same. For patterns that open with `\b`, a look-around or an
            alternation of non-literals.
    """

    __slots__ = ("__dict__", "_compiled", "_flags", "_literals", "_scout", "_word_start", "skip_ahead", "source")

    def __init__(self, source: str, flags: int = 0, *, skip_ahead: bool = False) -> None:
        self.source = source
        self._flags = flags
        self.skip_ahead = skip_ahead
        self._compiled: re.Pattern[str] | None = None
        self._literals: tuple[str, ...] | None = None
        self._scout: re.Pattern[str] | None = None
        self._word_start = False  # matches start with `\b` before a word character (each literal's first)

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (and what `search` skips ahead with)."""
        if self._compiled is None:
            compiled = re.compile(self.source, self._flags)
            if self.skip_ahead and not opens_plainly(self.source, self._flags):
                self._literals = _useful_literals(literal_prefixes(self.source, self._flags))
                self._word_start = bool(self._literals) and opens_at_word_boundary(self.source, self._flags)
                self._word_start = self._word_start and all(_is_word(t[0]) for t in self._literals or ())
                first = None if self._literals else first_char_class(self.source, self._flags)
                if first is not None:
                    self._scout = re.compile(f"{first}(?<=(?={self.source})(?s:.))", self._flags)
            for name in ("match", "fullmatch", "finditer", "findall", "sub", "subn"):
                setattr(self, name, getattr(compiled, name))
            if self._literals is None and self._scout is None:
                self.search = compiled.search  # type: ignore[method-assign, assignment]
            self._compiled = compiled
        return self._compiled

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        compiled = self._compiled or self.compiled
        if self._literals is not None:
            return self.search_among(text, self._literals, pos)
        if self._scout is not None:
            hit = self._scout.search(text, pos)
            return None if hit is None else compiled.match(text, hit.start())
        return compiled.search(text, pos)

    def search_among(self, text: str, literals: Iterable[str], pos: int = 0) -> re.Match[str] | None:
        """`search` by the given ones of its literal prefixes (the caller knows no match opens with another)."""
        compiled = self._compiled or self.compiled
        starts: list[int] = []
        for literal in literals:
            at = text.find(literal, pos)
            while at >= 0:
                starts.append(at)
                at = text.find(literal, at + 1)
        starts.sort()  # no two literals start at one place: none is a prefix of another
        word_start = self._word_start
        for start in starts:
            # \b before a word character: no match where a word character comes before
            if word_start and start and ((before := text[start - 1]).isalnum() or before == "_"):
                continue
            found = compiled.match(text, start)
            if found is not None:
                return found
        return None

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.match(text, pos)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.compiled.fullmatch(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text)

    def findall(self, text: str) -> list[str]:
        return self.compiled.findall(text)

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self.compiled.sub(repl, text)

    def subn(self, repl: str | Callable[[re.Match[str]], str], text: str) -> tuple[str, int]:
        return self.compiled.subn(repl, text)
