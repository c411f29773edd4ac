r"""Where matches of a regex can start, worked out from the parsed pattern (Python's `re` parser).

`first_char_class` gives a character class holding the first character of every match;
`literal_prefixes` gives strings one of which every match starts with (for `\b(?:ignore|
forget)\s+...` that is "ignore" and "forget"). Both over-approximate: they may allow starts
where the pattern then fails, never the reverse. `LazyRegex` uses them to skip ahead.
"""

from __future__ import annotations

import functools
import re
from typing import Any

try:  # Python 3.11+
    from re import _constants as _sre_c  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre_c
    import sre_parse as _sre_parse

__all__ = ["first_char_class", "literal_prefixes", "opens_at_word_boundary", "opens_plainly"]

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
_MAX_PREFIXES = 64  # literal prefixes stop growing beyond this many
_SMALL_SET = 4  # a set of up to this many characters is spelled out in the prefixes


@functools.lru_cache(maxsize=256)
def _parsed(source: str, flags: int) -> Any:
    """The parse tree of `source` (kept: each pattern is looked at three ways, once)."""
    return _sre_parse.parse(source, flags)


def _parse(source: str, flags: int) -> Any | None:
    """The parsed pattern, or None when its matches cannot be reasoned about here."""
    if flags & (re.IGNORECASE | re.LOCALE):
        return None  # case folding: a literal "a" also matches "A"
    try:
        parsed = _parsed(source, flags)
    except re.error:
        return None
    return None if parsed.getwidth()[0] == 0 else parsed  # an empty match starts anywhere


# First characters ---------------------------------------------------------------------------
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


def first_char_class(source: str, flags: int = 0) -> str | None:
    """A character class holding every character a match of `source` can start with.

    None when that is not worked out (the pattern can match the empty string, opens with `.`
    or a negated set, uses inline flags or back-references) or `flags` fold case.
    """
    parsed = _parse(source, flags)
    if parsed is None:
        return None
    try:
        chars, empty = _first_of_items(parsed.data)
    except _Unknown:
        return None
    return None if empty or not chars else "[" + "".join(chars) + "]"


# Literal prefixes ---------------------------------------------------------------------------
# A prefix is (text, whole): every way through the construct consumes a string starting with
# `text`, and exactly `text` when `whole` (so what follows may extend it).
_Prefixes = list[tuple[str, bool]]


def _prefixes_of_items(items: Any) -> _Prefixes:
    current: _Prefixes = [("", True)]
    for op, av in items:
        if not any(whole for _, whole in current):
            break
        step = _prefixes_of_item(op, av)
        if step is None:  # this construct is not literal: every prefix ends here
            return [(text, False) for text, _ in current]
        extended: _Prefixes = []
        for text, whole in current:
            extended += [(text + more, more_whole) for more, more_whole in step] if whole else [(text, False)]
        if len(extended) > _MAX_PREFIXES:
            return [(text, False) for text, _ in current]
        current = list(dict.fromkeys(extended))
    return current


def _prefixes_of_item(op: Any, av: Any) -> _Prefixes | None:
    if op is _sre_c.LITERAL:
        return [(chr(av), True)]
    if op in _ZERO_WIDTH:
        return [("", True)]
    if op is _sre_c.IN:
        if len(av) <= _SMALL_SET and all(kind is _sre_c.LITERAL for kind, _ in av):
            return [(chr(value), True) for _, value in av]
        return None
    if op is _sre_c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return None if add_flags or del_flags else _prefixes_of_items(sub.data)
    if op is _ATOMIC:
        return _prefixes_of_items(av.data)
    if op is _sre_c.BRANCH:
        return [p for alternative in av[1] for p in _prefixes_of_items(alternative.data)]
    if op in _REPEATS:
        low, high, sub = av
        body = _prefixes_of_items(sub.data)
        if low == 0:  # zero times, or at least once
            return [("", True)] + [(text, whole and high == 1) for text, whole in body]
        return [(text, whole and low == high == 1) for text, whole in body]
    return None


def literal_prefixes(source: str, flags: int = 0) -> tuple[str, ...] | None:
    """Non-empty strings one of which every match of `source` starts with, none a prefix of another.

    None when some match could start with anything (or `flags` fold case).
    """
    parsed = _parse(source, flags)
    if parsed is None:
        return None
    found = {text for text, _ in _prefixes_of_items(parsed.data)}
    if "" in found:
        return None
    return tuple(sorted(t for t in found if not any(t != o and t.startswith(o) for o in found)))


def opens_plainly(source: str, flags: int = 0) -> bool:
    r"""True if `re` skips ahead by itself: the pattern opens with a literal, a set, literals or `\A`."""
    items = _parsed(source, flags).data
    while items and items[0][0] is _sre_c.SUBPATTERN and not (items[0][1][1] or items[0][1][2]):
        items = items[0][1][3].data
    if not items:
        return False
    op, av = items[0]
    if op is _sre_c.BRANCH:
        return all(alt.data and alt.data[0][0] is _sre_c.LITERAL for alt in av[1])
    if op is _sre_c.AT:  # \A: `re` tries the start of the text only
        return av is _sre_c.AT_BEGINNING_STRING
    return op is _sre_c.LITERAL or op is _sre_c.IN


def _opens_with_boundary(items: Any) -> bool:
    if not items:
        return False
    op, av = items[0]
    if op is _sre_c.AT:
        return av is _sre_c.AT_BOUNDARY
    if op is _sre_c.SUBPATTERN and not (av[1] or av[2]):
        return _opens_with_boundary(av[3].data)
    if op is _sre_c.BRANCH:
        return all(_opens_with_boundary(alternative.data) for alternative in av[1])
    return False


def opens_at_word_boundary(source: str, flags: int = 0) -> bool:
    r"""True if every way through the pattern starts with `\b` (before any character is read)."""
    return _opens_with_boundary(_parsed(source, flags).data)


# Whole-word literals ------------------------------------------------------------------------
# A way through a pattern, as far as it is literal: (text, how it stops). "all": the construct
# is exactly `text` (what follows it decides); "word": `text` is followed by a non-word
# character or `\b`; "other": anything else.
_Ways = list[tuple[str, str]]


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _no_word_char(fragment: str) -> bool:
    r"""True if the class fragment (as `_first_of_item` writes it) holds no word character."""
    if fragment in (r"\s", r"\W"):
        return True
    chars = re.fullmatch(r"\\[xuU]([0-9a-f]+)(?:-\\[xuU]([0-9a-f]+))?", fragment)
    if chars is None:
        return False
    low = int(chars.group(1), 16)
    high = int(chars.group(2) or chars.group(1), 16)
    return high - low < 256 and not any(_is_word_char(chr(c)) for c in range(low, high + 1))


def _opens_without_word_char(rest: Any) -> bool:
    """True if every match of the sequence `rest` opens with a non-word character (none is empty)."""
    try:
        chars, empty = _first_of_items(rest)
    except _Unknown:
        return False
    return not empty and all(_no_word_char(c) for c in chars)


def _ways_of_items(items: Any) -> _Ways:
    current: _Ways = [("", "all")]
    for i, (op, av) in enumerate(items):
        if not any(how == "all" for _, how in current):
            break
        if op is _sre_c.AT and av is _sre_c.AT_BOUNDARY:  # after a word character: a non-word one next
            current = [(t, "word" if how == "all" and t and _is_word_char(t[-1]) else how) for t, how in current]
            continue
        step = _ways_of_item(op, av)
        if step is None:
            stop = "word" if _opens_without_word_char(items[i:]) else "other"
            return [(t, stop if how == "all" else how) for t, how in current]
        extended = [(t + more, more_how) if how == "all" else (t, how) for t, how in current for more, more_how in step]
        if len(extended) > _MAX_PREFIXES:
            return [(t, "other" if how == "all" else how) for t, how in current]
        current = list(dict.fromkeys(extended))
    return current


def _ways_of_item(op: Any, av: Any) -> _Ways | None:
    if op is _sre_c.LITERAL:
        return [(chr(av), "all")]
    if op in _ZERO_WIDTH:
        return [("", "all")]
    if op is _sre_c.IN:
        if len(av) <= _SMALL_SET and all(kind is _sre_c.LITERAL for kind, _ in av):
            return [(chr(value), "all") for _, value in av]
        return None
    if op is _sre_c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return None if add_flags or del_flags else _ways_of_items(sub.data)
    if op is _ATOMIC:
        return _ways_of_items(av.data)
    if op is _sre_c.BRANCH:
        return [way for alternative in av[1] for way in _ways_of_items(alternative.data)]
    if op in _REPEATS:
        low, high, sub = av
        once = low == high == 1 or (low == 0 and high == 1)
        body = [(t, how if how != "all" or once else "other") for t, how in _ways_of_items(sub.data)]
        return [("", "all"), *body] if low == 0 else body
    return None


def word_literals(source: str, flags: int = 0) -> frozenset[str]:
    r"""The literal prefixes (of `literal_prefixes`) that a match opening with one holds as a whole word.

    For `\b(?:just|only)\s+say|\bnow\b` that is "just", "only" and "now": in every match that
    opens with one of them a non-word character (or the text's end) comes right after it. Only
    prefixes made of word characters are given.
    """
    literals = literal_prefixes(source, flags)
    parsed = _parse(source, flags)
    if literals is None or parsed is None:
        return frozenset()
    ways = _ways_of_items(parsed.data)  # a way still "all" ends the pattern: anything may follow
    return frozenset(
        literal
        for literal in literals
        if all(_is_word_char(c) for c in literal)
        and all(t == literal and how == "word" for t, how in ways if t.startswith(literal) or literal.startswith(t))
    )
