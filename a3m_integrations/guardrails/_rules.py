"""Prompt-injection rules: named, weighted patterns over the normalised (lower-case) text.

Each rule's weight is its stand-alone belief that a text it fires on is an attack; weights are
combined with the model's probability by noisy-OR (see injection.py). Rules are grouped by
family (the part of the name before the dot) and cover English, German, French, Spanish,
Italian, Portuguese, Dutch, Croatian/Serbian, Polish and Russian phrasings. Obfuscation
families (`obfuscation.*`) come from normalisation flags rather than patterns.

Speed: a rule is a list of clauses, and a clause's regex runs only if one of its trigger
`words` occurs in the text as a whole word (or one of its `marks` as a substring). Every match
of a clause contains one of its words, so the gate never changes a verdict. Words are compared
by the 64-bit key the featuriser computes for the model (`_features.word_key`), so the gate
costs one set intersection per text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from a3m_integrations.guardrails._features import MAX_BYTES, word_key, word_keys
from a3m_integrations.guardrails._regex_starts import word_literals
from a3m_integrations.guardrails._rule_table import RULES, Clause, Rule

__all__ = ["OBFUSCATION_WEIGHTS", "RULES", "Clause", "Rule", "match_rules"]


#: Weights of the obfuscation tricks normalisation found (see `_text.normalize`). Weak alone:
#: zero-width characters and leetspeak appear in harmless copy-pasted text.
OBFUSCATION_WEIGHTS: dict[str, float] = {
    "unicode_tags": 0.7,
    "homoglyph": 0.35,
    "zero_width": 0.15,
    "spaced_letters": 0.15,
    "base64": 0.15,
    "hex": 0.1,
    "leetspeak": 0.05,
}

_index: dict[int, list[tuple[int, int]]] = {}
_index_keys: set[int] = set()  # the keys of `_index`, as a set (intersections run over the smaller side)
_marked: list[tuple[int, int, tuple[tuple[str, str], ...]]] = []  # (rule, clause, ((mark, a character of it), ...))
_also: dict[tuple[int, int], frozenset[int]] = {}
_universe: set[int] = set()  # keys of every trigger word, second-set word and whole-word literal
# (rule, clause) -> {literal prefix: its word key} for the prefixes a match holds as a whole word
_word_literal_keys: dict[tuple[int, int], dict[str, int]] = {}
_complete: list[bool] = []  # set once the tables above are built


def _build_index() -> dict[int, list[tuple[int, int]]]:
    if not _index:
        for r, rule in enumerate(RULES):
            for c, clause in enumerate(rule.clauses):
                for word in clause.words:
                    _index.setdefault(word_key(word), []).append((r, c))
                if clause.marks:  # a mark's punctuation is rare: looking for it first is cheap
                    _marked.append((r, c, tuple((m, min(m, key=lambda ch: (ch.isalnum(), ch))) for m in clause.marks)))
                if clause.also:
                    _also[(r, c)] = frozenset(word_key(w) for w in clause.also)
                # the featuriser's ASCII words are runs of a-z, 0-9 and _ (a literal with A-Z is never one)
                whole = [w for w in word_literals(clause.pattern.source, re.DOTALL) if w == w.lower()]
                if whole:
                    keyed = {w: word_key(w) for w in whole}
                    _universe.update(keyed.values())
                    _word_literal_keys[(r, c)] = keyed
        _universe.update(_index)
        _index_keys.update(_index)
        for keys in _also.values():
            _universe.update(keys)
        _complete.append(True)  # last: a caller that saw it finds every key in `_universe`
    return _index


def match_rules(text: str, keys: Iterable[int] | None = None) -> list[Rule]:
    """The rules that fire on normalised (lower-case) `text`, in table order.

    `keys` are the text's word keys if the caller already has them (the featuriser does).
    In ASCII text the words the featuriser keys are the runs of word characters, so a literal
    prefix that a match holds as a whole word (`word_literals`) is looked for only if its key
    is among them.
    """
    index = _build_index()
    # word keys skip literals only if the universe was whole before `present` was taken from it
    keyed_words = bool(_complete) and text.isascii() and len(text) <= MAX_BYTES  # the featuriser reads MAX_BYTES
    # only the keys of trigger words matter: intersect without building a set of every word
    present = _universe.intersection(word_keys(text).tolist() if keys is None else keys)
    candidates = {rc for key in present.intersection(_index_keys) for rc in index[key]}
    candidates = {rc for rc in candidates if rc not in _also or not _also[rc].isdisjoint(present)}
    candidates.update((r, c) for r, c, marks in _marked if any(ch in text and m in text for m, ch in marks))
    fired: set[int] = set()
    for r, c in sorted(candidates):
        if r in fired:
            continue
        pattern = RULES[r].clauses[c].pattern
        whole = _word_literal_keys.get((r, c)) if keyed_words else None
        if whole and (pattern._compiled or pattern.compiled) and pattern._word_start and pattern._literals:
            literals = [t for t in pattern._literals if t not in whole or whole[t] in present]
            found = pattern.search_among(text, literals)
        else:
            found = pattern.search(text)
        if found:
            fired.add(r)
    return [RULES[r] for r in sorted(fired)]
