"""Build the lookup tables of the complexity signals from the word lists in `_lexicon`.

Run by `scripts/build_signal_tables.py`, which writes `_signal_tables.py`; a unit test checks the
written tables equal a fresh build, so the lexicon and the shipped tables cannot drift. Building
at import time took ~20-45 ms on our machines, a quarter of the `a3m route` cold-start budget.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from a3m_integrations import _lexicon as lex
from a3m_integrations._signal_text import inflect as _inflect
from a3m_integrations._signal_text import tokens as _tokens

__all__ = ["COMPARE_LIGHT", "CONSTRAINT_WORDS", "MATERIAL_VERBS", "STEP_WORDS", "TEACH_VERBS", "build"]

COMPARE_LIGHT = ("difference between", "differences between", "vs", "versus", "compared to")
STEP_WORDS = ("first", "firstly", "second", "secondly", "third", "then", "next", "finally", "lastly")
CONSTRAINT_WORDS = (
    "must", "should", "ensure", "without", "exactly", "never", "always", "avoid", "required", "constraint",
    "constraints", "limit", "only", "least", "most", "under", "within", "strictly", "guarantee",
)  # fmt: skip
MATERIAL_VERBS = ("summarize", "summarise", "translate", "proofread", "paraphrase", "rewrite", "format", "extract",
                  "classify", "tag", "edit", "shorten", "simplify", "tldr")  # fmt: skip
#: Verbs that teach rather than do: explaining a specialist subject is routine, doing specialist work is not.
TEACH_VERBS = ("explain", "describe", "walk", "give", "outline", "tell", "lay")


def build() -> dict[str, Any]:
    """Every table the signals read at run time (plain dicts, tuples and strings)."""
    words: dict[str, list[tuple[str, str]]] = {}
    phrases: dict[tuple[str, str], list[tuple[str, str, str]]] = {}

    def phrase(toks: Sequence[str], kind: str, entry: str) -> None:
        # keyed by the first two words (a pair of adjacent tokens); longer phrases keep their text to check
        rest = " " + " ".join(toks) + " " if len(toks) > 2 else ""
        phrases.setdefault((toks[0], toks[1]), []).append((rest, kind, entry))
        words.setdefault("-".join(toks), []).append((kind, entry))  # "breach-of-contract"

    def add(kind: str, entries: Iterable[str], *, inflect: bool = True) -> None:
        entries = tuple(entries)
        listed = set(entries)
        for entry in entries:
            toks = _tokens(entry)
            if inflect:  # "payments" listed beside "payment" is one signal, not two
                for stem in (entry[:-1], entry[:-2]) if entry.endswith("s") else ():
                    if stem in listed:
                        entry = stem
                        break
            if len(toks) == 1:
                for form in _inflect(toks[0]) if inflect else toks:
                    words.setdefault(form, []).append((kind, entry))
                parts = toks[0].split("-")
                if len(parts) > 1:  # "fault-tolerant" also matches "fault tolerant"
                    phrase(parts, kind, entry)
            elif toks:
                for v in [toks, [*toks[:-1], toks[-1] + "s"]] if inflect else [toks]:
                    phrase(v, kind, entry)

    for domain, entries in lex.DOMAIN_STRONG.items():
        add("strong:" + domain, entries)
    for domain, entries in lex.DOMAIN_WEAK.items():
        add("weak:" + domain, entries)
    for kind in ("CODE", "CODE_AMBIGUOUS", "MATH", "CREATIVE", "TRANSLATE", "EXTRACT", "REASONING", "TRADE_OFF",
                 "EXPOSITORY", "DELIVERABLE", "DEPTH", "THEORY", "SCALE", "ARTIFACT", "DESIGN_NOUN",
                 "ADVICE", "FACT", "EVERYDAY"):  # fmt: skip
        add(kind, getattr(lex, kind))
    add("LIGHT", lex.LIGHT, inflect=False)
    add("COMPARE", COMPARE_LIGHT, inflect=False)
    verbs: dict[str, str] = {}
    for kind, entries in (("simple", lex.VERB_SIMPLE), ("routine", lex.VERB_ROUTINE), ("expert", lex.VERB_EXPERT)):
        for entry in entries:
            for form in _inflect(entry, double=True):  # a verb's -ing form opens requests: "help planning"
                verbs[form] = kind
    return {
        "WORDS": {w: tuple(pairs) for w, pairs in sorted(words.items())},
        "PHRASES": {k: tuple(v) for k, v in sorted(phrases.items())},
        "VERBS": dict(sorted(verbs.items())),
        "CONTENT_VERBS": tuple(sorted({f for v in MATERIAL_VERBS for f in _inflect(v)})),
        "TEACH_VERBS": tuple(sorted({f for v in TEACH_VERBS for f in _inflect(v)})),
        "STEP_WORDS": STEP_WORDS,
        "CONSTRAINT_WORDS": CONSTRAINT_WORDS,
        "POLITE": lex.POLITE,
        "SIMPLE_LEAD": lex.SIMPLE_LEAD,
        "ANALYTIC_LEAD": lex.ANALYTIC_LEAD,
        "LANG_STOPWORDS": dict(lex.LANG_STOPWORDS),
        "STRONG_DOMAINS": tuple(lex.DOMAIN_STRONG),
        "WEAK_DOMAINS": tuple(lex.DOMAIN_WEAK),
    }
