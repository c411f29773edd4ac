"""Guards against false semantic hits: a near-duplicate is served only if nothing that flips the answer differs.

Similarity alone cannot separate "enable 2FA" from "disable 2FA" (GPTCache #694 measured such pairs
above every useful threshold), so every candidate above the threshold is checked here, on the
analysed text of both prompts (`_text.analyse`). Two modes:

- ``strict`` (default): every facet must match *and* the canonical content words must be the same
  set (after stemming, synonym folding and removing request scaffolding such as "how do I"). Safe
  with any embedder; paraphrases that swap in words the synonym table does not know are missed.
- ``facets``: every facet must match and no antonym or contrasting prefix may separate the content
  words, but other content words may differ. Use it with a strong neural embedder and a high
  threshold; it trades some safety for hits.

Facets, in the order they are checked (the first difference is the reason reported): code
identifiers and spans, quoted literals/URLs/paths, numbers (digits, number words, ordinals),
arithmetic operators, units and currencies, dates and time references, negation count,
quantifiers (all/few/only/most/more/less...), question type (who/when/where/why/how many...),
tense (past/future markers), modality (can / should / must), gendered pronouns, particles
(in/out/up/down/off), names (capitalised words, acronyms, known product and language names),
relations (the word after to/from/than/before/after...), antonyms (lexicon and contrasting
prefixes such as en-/de-, im-/ex-, un-), order swaps ("dog bites man" vs "man bites dog"), and in
strict mode the content words.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from a3m_integrations.cache import _lexicon as lx
from a3m_integrations.cache._text import TextSignature, analyse

__all__ = ["GUARD_MODES", "GuardMode", "check_pair", "compare_signatures"]

GuardMode = Literal["strict", "facets"]
GUARD_MODES: tuple[GuardMode, ...] = ("strict", "facets")
_PREFIXES = tuple(sorted(lx.CONTRAST_PREFIXES, key=len, reverse=True))


def check_pair(a: str, b: str, mode: GuardMode = "strict") -> str | None:
    """Why `a` and `b` must not share an answer (a short reason such as "negation"), or None if they may."""
    return compare_signatures(analyse(a), analyse(b), mode)


def compare_signatures(a: TextSignature, b: TextSignature, mode: GuardMode = "strict") -> str | None:
    """The first facet in which the two signatures differ, or None when they may share an answer."""
    checks: tuple[tuple[str, object, object], ...] = (
        ("code", a.code, b.code),
        ("literal", a.literals, b.literals),
        ("number", a.numbers, b.numbers),
        ("operator", a.operators, b.operators),
        ("unit", a.units, b.units),
        ("date", a.times, b.times),
        ("negation", a.negations, b.negations),
        ("quantifier", a.quantifiers, b.quantifiers),
        ("question", a.wh, b.wh),
        ("tense", a.tense, b.tense),
        ("modality", a.modality, b.modality),
        ("person", a.persons, b.persons),
        ("particle", a.particles, b.particles),
        ("entity", a.entities, b.entities),
    )
    for reason, left, right in checks:
        if left != right:
            return reason
    if _relations_differ(a.relations, b.relations):
        return "direction"
    ca, cb = a.content_set, b.content_set
    if _antonym(ca - cb, cb - ca, a.words, b.words):
        return "antonym"
    if _order_swapped(a.content, b.content):
        return "order"
    if mode == "strict" and ca != cb:
        return "content"
    if not ca and not cb and a.text != b.text:
        return "empty"
    return None


def _relations_differ(ra: frozenset[tuple[str, str, bool]], rb: frozenset[tuple[str, str, bool]]) -> bool:
    """True when a relation type both texts use points at different words, or a shared word changes role.

    A *bare* relation ("to eat") on a word the other text uses without any relation is ignored: it is
    more likely an infinitive than a direction.
    """
    by_rel_a: dict[str, set[str]] = {}
    by_rel_b: dict[str, set[str]] = {}
    by_obj_a: dict[str, set[tuple[str, bool]]] = {}
    by_obj_b: dict[str, set[tuple[str, bool]]] = {}
    for rel, obj, bare in ra:
        by_rel_a.setdefault(rel, set()).add(obj)
        by_obj_a.setdefault(obj, set()).add((rel, bare))
    for rel, obj, bare in rb:
        by_rel_b.setdefault(rel, set()).add(obj)
        by_obj_b.setdefault(obj, set()).add((rel, bare))
    for rel in by_rel_a.keys() & by_rel_b.keys():
        if by_rel_a[rel] != by_rel_b[rel]:
            return True
    for obj in by_obj_a.keys() | by_obj_b.keys():
        left, right = by_obj_a.get(obj, set()), by_obj_b.get(obj, set())
        if {r for r, _ in left} == {r for r, _ in right}:
            continue
        if not right and all(bare for _, bare in left):
            continue
        if not left and all(bare for _, bare in right):
            continue
        return True
    return False


def _root(word: str) -> str:
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix) :]
    return word


def _contrast(x: str, y: str) -> bool:
    if frozenset((x, y)) in lx.ANTONYM_PAIRS:
        return True
    if len(x) < 3 or len(y) < 3:
        return False
    if x.endswith(y) or y.endswith(x):  # un+install, dis+like, de+compress
        longer, shorter = (x, y) if len(x) > len(y) else (y, x)
        return longer[: len(longer) - len(shorter)] in lx.CONTRAST_PREFIXES
    rx, ry = _root(x), _root(y)
    return rx == ry and rx != x and ry != y  # in+crease / de+crease, im+port / ex+port


def _antonym(only_a: Iterable[str], only_b: Iterable[str], words_a: frozenset[str], words_b: frozenset[str]) -> bool:
    only_a, only_b = list(only_a), list(only_b)
    if any(_contrast(x, y) for x in only_a for y in only_b):
        return True
    # an added word that negates a word the other text has ("possible" vs "impossible")
    return any(_contrast(x, y) for x in only_a for y in words_b) or any(
        _contrast(y, x) for y in only_b for x in words_a
    )


def _order_swapped(seq_a: tuple[str, ...], seq_b: tuple[str, ...]) -> bool:
    """True when two shared words swap places around a shared word between them (X v Y -> Y v X)."""
    pos_a = {w: i for i, w in enumerate(seq_a)}
    pos_b = {w: i for i, w in enumerate(seq_b)}
    shared = [w for w in pos_a if w in pos_b]
    for i, x in enumerate(shared):
        for y in shared[i + 1 :]:
            ax, ay, bx, by = pos_a[x], pos_a[y], pos_b[x], pos_b[y]
            if (ax < ay) == (bx < by):
                continue
            between_a = set(seq_a[min(ax, ay) + 1 : max(ax, ay)])
            between_b = set(seq_b[min(bx, by) + 1 : max(bx, by)])
            if between_a & between_b:
                return True
    return False
