r"""A regex compiled on first use, so importing the guardrails costs no compile time.

With `skip_ahead=True`, searches also skip the positions where no match can start. Python's
`re` does that by itself only when a pattern opens with a literal or a plain character set;
a pattern that opens with `\b`, a lookaround or a mixed alternation is tried at every
position of the text. For those, the set of characters any match can start with is worked
out from the parsed pattern, and a scout pattern `[FIRST](?<=(?=PATTERN)(?s:.))` finds the
leftmost start (the set lets `re` jump over the other positions; the look-around checks
that the whole pattern matches there). The pattern itself is then matched at that start, so
`search`, `finditer` and `sub` return exactly the matches the plain pattern would.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

try:  # Python 3.11+
    from re import _constants as _sre_c  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre_c
    import sre_parse as _sre_parse

__all__ = ["LazyRegex", "first_char_class"]

_CATEGORIES = {
    _sre_c.CATEGORY_DIGIT: r"\d",
    _sre_c.CATEGORY_NOT_DIGIT: r"\D",
    _sre_c.CATEGORY_SPACE: r"\s",
    _sre_c.CATEGORY_NOT_SPACE: r"\S",
    _sre_c.CATEGORY_WORD: r"\w",
    _sre_c.CATEGORY_NOT_WORD: r"\W",
}
_ZERO_WIDTH = (_sre_c.AT, _sre_c.ASSERT, _sre_c.ASSERT_NOT)
_REPEATS = tuple(
    op for op in (getattr(_sre_c, n, None) for n in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")) if op
)
_ATOMIC = getattr(_sre_c, "ATOMIC_GROUP", None)


class _Unknown(Exception):
    """A construct whose first characters are not worked out (any character could start it)."""


def _char(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _first_of_items(items: Any) -> tuple[list[str], bool]:
    """Class fragments of the characters a sequence can start with, and whether it can be empty."""
    out: list[str] = []
    for op, av in items:
        chars, empty = _first_of_item(op, av)
        out += chars
        if not empty:
            return out, False
    return out, True


def _first_of_item(op: Any, av: Any) -> tuple[list[str], bool]:
    if op is _sre_c.LITERAL:
        return [_char(av)], False
    if op is _sre_c.IN:
        chars: list[str] = []
        for kind, value in av:
            if kind is _sre_c.LITERAL:
                chars.append(_char(value))
            elif kind is _sre_c.RANGE:
                chars.append(f"{_char(value[0])}-{_char(value[1])}")
            elif kind is _sre_c.CATEGORY and value in _CATEGORIES:
                chars.append(_CATEGORIES[value])
            else:  # a negated set, or something rarer
                raise _Unknown(kind)
        return chars, False
    if op in _ZERO_WIDTH:
        return [], True  # consumes nothing: what follows starts the match
    if op is _sre_c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            raise _Unknown("inline flags")
        return _first_of_items(sub.data)
    if op is _ATOMIC:
        return _first_of_items(av.data)
    if op is _sre_c.BRANCH:
        chars, empty = [], False
        for alternative in av[1]:
            c, e = _first_of_items(alternative.data)
            chars += c
            empty = empty or e
        return chars, empty
    if op in _REPEATS:
        low, _high, sub = av
        chars, empty = _first_of_items(sub.data)
        return chars, empty or low == 0
    raise _Unknown(op)  # any character, a back-reference, a conditional


def _opens_plainly(items: Any) -> bool:
    """True if `re` skips ahead by itself: the pattern opens with a literal, a set, or literals."""
    while items and items[0][0] is _sre_c.SUBPATTERN and not (items[0][1][1] or items[0][1][2]):
        items = items[0][1][3].data
    if not items:
        return False
    op, av = items[0]
    if op is _sre_c.BRANCH:
        return all(alt.data and alt.data[0][0] is _sre_c.LITERAL for alt in av[1])
    return op is _sre_c.LITERAL or op is _sre_c.IN


def first_char_class(source: str, flags: int = 0) -> str | None:
    """A character class holding every character a non-empty match of `source` can start with.

    None when that is not worked out (the pattern can match the empty string, opens with `.`
    or a negated set, uses inline flags or back-references) or `flags` fold case.
    """
    if flags & (re.IGNORECASE | re.LOCALE):
        return None
    try:
        parsed = _sre_parse.parse(source, flags)
        if parsed.getwidth()[0] == 0:
            return None
        chars, empty = _first_of_items(parsed.data)
    except (_Unknown, re.error):
        return None
    return None if empty or not chars else "[" + "".join(chars) + "]"


def _scout(source: str, flags: int) -> re.Pattern[str] | None:
    """The scout pattern of `source`, or None where `re` skips ahead by itself or no class is known."""
    first = first_char_class(source, flags)
    if first is None or _opens_plainly(_sre_parse.parse(source, flags).data):
        return None
    return re.compile(f"{first}(?<=(?={source})(?s:.))", flags)


class LazyRegex:
    r"""Wraps a pattern string; compiles it the first time a method is called.

    Args:
        skip_ahead: search with a scout pattern that skips positions no match can start at
            (see the module docstring); matches are the same. For patterns that open with
            `\b`, a look-around or an alternation of non-literals.
    """

    __slots__ = ("_compiled", "_flags", "_scout", "skip_ahead", "source")

    def __init__(self, source: str, flags: int = 0, *, skip_ahead: bool = False) -> None:
        self.source = source
        self._flags = flags
        self.skip_ahead = skip_ahead
        self._compiled: re.Pattern[str] | None = None
        self._scout: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (and its scout, when skipping ahead)."""
        if self._compiled is None:
            compiled = re.compile(self.source, self._flags)
            self._scout = _scout(self.source, self._flags) if self.skip_ahead else None
            self._compiled = compiled
        return self._compiled

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        compiled = self.compiled
        scout = self._scout
        if scout is None:
            return compiled.search(text, pos)
        hit = scout.search(text, pos)
        return None if hit is None else compiled.match(text, hit.start())

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.match(text, pos)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.compiled.fullmatch(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        compiled = self.compiled
        if self._scout is None:
            return compiled.finditer(text)
        return self._skipping_finditer(text)

    def _skipping_finditer(self, text: str) -> Iterator[re.Match[str]]:
        # matches are never empty here, so each search resumes where the last match ended
        pos = 0
        while (m := self.search(text, pos)) is not None:
            yield m
            pos = m.end()

    def findall(self, text: str) -> list[Any]:
        compiled = self.compiled
        if self._scout is None:
            return compiled.findall(text)
        if compiled.groups == 0:
            return [m.group() for m in self.finditer(text)]
        if compiled.groups == 1:
            return [m.groups("")[0] for m in self.finditer(text)]
        return [m.groups("") for m in self.finditer(text)]

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self.subn(repl, text)[0]

    def subn(self, repl: str | Callable[[re.Match[str]], str], text: str) -> tuple[str, int]:
        compiled = self.compiled
        if self._scout is None:
            return compiled.subn(repl, text)
        parts: list[str] = []
        pos = n = 0
        for m in self._skipping_finditer(text):
            parts.append(text[pos : m.start()])
            parts.append(repl(m) if callable(repl) else m.expand(repl))
            pos = m.end()
            n += 1
        if not n:
            return text, 0
        parts.append(text[pos:])
        return "".join(parts), n
