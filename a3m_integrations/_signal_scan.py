"""Reading one text for the complexity signals: its words, phrases, leading verbs, structure, language.

`Scan(text)` holds everything `signals._score` combines into a score. The vocabulary is the
generated `_signal_tables` (built from `_lexicon`); words are found by one intersection of the
text's vocabulary with the word table, phrases by one intersection of its adjacent-token pairs
with the phrase table. When the optional C extension `_speedups` is built (and A3M_NO_SPEEDUPS
is not set), its `Scanner` reads the words, pairs, group counts and sentence openings in one
pass instead; the pure-Python reading is the reference, and a test holds the two equal.
"""

from __future__ import annotations

import os
import re
from itertools import chain, pairwise, product

from a3m_integrations import _signal_tables as tables
from a3m_integrations._signal_text import _ARITH_RE, _ASCII_TABLE, _NUMBERED_RE, _SCRIPTS, _WORD_COUNT_RE
from a3m_integrations._signal_text import normalize as _normalize

TYPE_CHECKING = False  # typing is not imported at run time: the routing path must start fast
if TYPE_CHECKING:
    from collections.abc import Sequence

    from a3m_integrations._speedups import Scanner as _Scanner

__all__ = ["SCANNER", "Scan", "language", "leading_verbs", "verbs_after_connectors"]

# One vocabulary for every signal (built from `_lexicon` by `_signal_build`, shipped as data): a
# word maps to the (kind, entry) pairs it stands for; a phrase is keyed by its first two words, so
# the phrases of a text are one intersection of its adjacent-token pairs with the table (a phrase
# of 3+ words is then checked in the joined text).
_WORDS = tables.WORDS
_PHRASES = tables.PHRASES
_VERBS = tables.VERBS
_CONNECTORS = frozenset({"you", "u", "and", "then", "please", "me", "us", "also"})
_STEPS = frozenset(tables.STEP_WORDS)
_CONSTRAINTS = frozenset(tables.CONSTRAINT_WORDS)
_STOPWORDS = tuple((lang, frozenset(words)) for lang, words in tables.LANG_STOPWORDS.items())
_EN_FIRST = len(_STOPWORDS) > 1 and _STOPWORDS[0][0] == "en"
_WORD_KEYS = frozenset(_WORDS)
_PHRASE_PAIRS = frozenset(_PHRASES)
_POLITE = frozenset(tables.POLITE)
_SIMPLE_LEAD = frozenset(tables.SIMPLE_LEAD)
_VERB_RANK = {None: 0, "question": 1, "simple": 2, "routine": 3, "expert": 4}
_ANALYTIC = frozenset(tables.ANALYTIC_LEAD)
_EXPERT_FORMS = frozenset(f for f, k in _VERBS.items() if k == "expert")
_TASK_VERBS = frozenset(f for f, k in _VERBS.items() if k != "simple")
_FIRST_PERSON = frozenset({"i", "we", "my", "our", "me", "us", "i'm", "we're", "i've", "we've"})
_US = frozenset({"us"})
_YOU = frozenset({"you", "u", "ya", "y'all"})
_IS_A = frozenset({"is", "are"})
_NARRATORS = frozenset({"i", "we"})
_CAUSAL = frozenset({"why did", "what caused", "how will", "how might"})
_ARTICLES = frozenset({"a", "an"})
_DEFINITION_LEADS = frozenset({"what is", "what's", "what are", "define", "what does", "who is", "who was"})
_EMPTY: frozenset[str] = frozenset()
_FOLLOW_UPS = frozenset(("and", w) for w in ("how", "what", "which", "when", "where", "why", "whether", "if", "who"))
_JUDGEMENT = frozenset({"should", "would", "more", "most", "best", "better", "each", "worth"})
_CODE_WORDS = frozenset(w for w, kinds in _WORDS.items() if any(k == "CODE" for k, _ in kinds))
#: (connector, task verb) pairs: a task verb right after a connector is a further task.
_CONNECTOR_VERBS = frozenset(product(_CONNECTORS, _TASK_VERBS))
_ANALYTIC_FIRST = frozenset(lead.split()[0] for lead in _ANALYTIC)
_DEFINITION_FIRST = frozenset(lead.split()[0] for lead in _DEFINITION_LEADS)
#: Words a sentence must open with for `leading_verbs` to read more than its first word.
_LEAD_WORDS = frozenset([*_VERBS, *_POLITE, *_SIMPLE_LEAD, "convert", *_ANALYTIC_FIRST, *_DEFINITION_FIRST])


#: The later adjacent pairs of each phrase of 3+ words: all must be among a text's pairs before it is searched.
_PHRASE_LINKS = {
    phrase: frozenset(list(pairwise(phrase.split()))[1:])
    for entries in _PHRASES.values()
    for phrase, _, _ in entries
    if phrase
}


def _compiled_scanner() -> _Scanner | None:
    """The C scanner over every word and pair `Scan` looks at, or None (not built, or A3M_NO_SPEEDUPS set)."""
    if os.environ.get("A3M_NO_SPEEDUPS", "") not in ("", "0"):
        return None
    try:
        from a3m_integrations._speedups import Scanner
    except ImportError:
        return None
    words, pairs = _scanner_words()
    return Scanner(words, pairs, _WORDS, _MARKS, ("long",), _GROUPS, _LEAD_WORDS, _ASCII_TABLE, _CHARS)


def _scanner_words() -> tuple[set[str], list[tuple[str, str]]]:
    """Every word and adjacent pair `Scan` looks at: what the C scanner reports of a text (any order)."""
    pairs = [*_PHRASE_PAIRS, *_FOLLOW_UPS, *_CONNECTOR_VERBS, *chain.from_iterable(_PHRASE_LINKS.values())]
    words = {*_WORD_KEYS, *_MARKS, *_LEAD_WORDS, "long", *chain.from_iterable(pairs)}
    for group in _GROUPS:
        words |= group
    return words, pairs


#: Characters counted in a text: commas, question marks, semicolons, braces, backticks, newlines.
_CHARS = ",?;{`\n"
#: Words whose presence as a whole token (not only as a part of a hyphenated one) the C scanner reports.
_MARKS = ("and", "or")
#: Word groups counted in a text's vocabulary (by the C scanner, or by intersections): the stopwords of each
#: language, then the groups numbered below.
_GROUPS = (
    *(words for _, words in _STOPWORDS),
    *(_STEPS, _CONSTRAINTS, _FIRST_PERSON, _US, _JUDGEMENT),
    *(frozenset({"step"}), frozenset({"1"}), frozenset({"words", "word"})),
)
_G_STEPS, _G_CONSTRAINTS, _G_PERSON, _G_US, _G_JUDGEMENT, _G_STEP, _G_ONE, _G_WORDS = range(
    len(_STOPWORDS), len(_GROUPS)
)
_SCANNER = _compiled_scanner()
#: Which scanner reads texts: "c" (the optional `_speedups` extension) or "python" (the reference).
SCANNER = "python" if _SCANNER is None else "c"


_PHRASE_RES: dict[str, re.Pattern[str]] = {}


def _phrase_in(norm: str, phrase: str) -> bool:
    """Whether `phrase` (" a b c ") is in `norm`'s tokens joined by single spaces.

    Tokens are `norm.replace("|", " ").split()`; a regex over `norm` finds the words with runs of
    whitespace or "|" between them (re's whitespace class is `str.split`'s), bounded the same way at both
    ends, so no token list or joined string is built (that cost ~120 k instructions on a
    200-word prompt).
    """
    pattern = _PHRASE_RES.get(phrase)
    if pattern is None:
        pattern = _PHRASE_RES[phrase] = re.compile(r"[\s|]+".join(map(re.escape, phrase.split())) + r"(?![^\s|])")
    pos = 0
    while (found := pattern.search(norm, pos)) is not None:
        start = found.start()
        if start == 0 or norm[start - 1].isspace() or norm[start - 1] == "|":
            return True
        pos = start + 1
    return False


class Scan:
    """Everything read off one text; cheap to build, combined by `signals._score`."""

    __slots__ = (
        "analytic", "arith", "long_answer", "code_blocks", "code_lines", "constraints", "definition", "enumeration",
        "first_person", "has_code", "hits", "language", "list_items", "questions", "sentences", "steps", "two_part",
        "verb", "verb_class", "verbs", "words",
    )  # fmt: skip

    def __init__(self, text: str) -> None:
        counts: Sequence[int]
        chars: Sequence[int] | None
        if _SCANNER is not None:  # the same, limited to the words and pairs looked at, with the words' hits
            norm = None if text.isascii() else _normalize(text)
            found = _SCANNER.scan_ascii(text) if norm is None else _SCANNER.scan(norm)
            n_toks, first, pairs, hits, marks, counts, sentences, leads, chars = found
            conjunction = bool(marks)  # "and" or "or" as a token
        else:
            norm = _normalize(text)
            chars = None
            spaced = norm.replace("|", " ")
            toks = spaced.split()
            n_toks, first = len(toks), (toks[0] if toks else None)
            vocab = set(toks)
            conjunction = "and" in vocab or "or" in vocab  # a token, not a part of "rock-and-roll"
            at = spaced.find("-")
            if at >= 0:
                long_word = "long" in vocab
                while at >= 0:  # parts of hyphenated words: "fault-tolerant" -> "fault", "tolerant"
                    end = spaced.find(" ", at)
                    end = len(spaced) if end < 0 else end
                    vocab.update(spaced[spaced.rfind(" ", 0, at) + 1 : end].split("-"))
                    at = spaced.find("-", end)
                if not long_word:  # "week-long", "semester-long": a duration, not a long answer
                    vocab.discard("long")
            pairs = set(pairwise(toks))  # adjacent tokens: where phrases and connector-verbs are found
            hits = {}
            for word in vocab.intersection(_WORD_KEYS):
                for kind, entry in _WORDS[word]:
                    hits.setdefault(kind, set()).add(entry)
            counts = [len(vocab & group) for group in _GROUPS]
            sentences, leads = _leads(norm)
        for pair in pairs.intersection(_PHRASE_PAIRS):
            for phrase, kind, entry in _PHRASES[pair]:
                if phrase:  # 3+ words: its first two were adjacent tokens; check the rest in the text
                    if not pairs.issuperset(_PHRASE_LINKS[phrase]):  # cheap: a later pair is missing
                        continue
                    if norm is None:
                        norm = _normalize(text)
                    if not _phrase_in(norm, phrase):
                        continue
                hits.setdefault(kind, set()).add(entry)
        ambiguous = hits.pop("CODE_AMBIGUOUS", None)
        if chars is None:  # counted by the C scanner in an ASCII text
            chars = [text.count(c) if c in text else 0 for c in _CHARS]  # `in` (a memchr): most are absent
        commas, questions, semicolons, braces, backticks, newlines = chars
        fence = backticks >= 3 and "```" in text
        if ambiguous and ("CODE" in hits or fence):
            hits["CODE"] = hits.get("CODE", set()) | ambiguous
        self.hits = hits
        self.words = n_toks
        self.steps = counts[_G_STEPS] + (1 if counts[_G_STEP] and counts[_G_ONE] else 0)
        self.constraints = counts[_G_CONSTRAINTS]
        self.list_items = len(_NUMBERED_RE.findall(text)) if newlines else 0
        if self.list_items >= 2:
            self.steps = max(self.steps, self.list_items)
        self.questions = questions
        self.arith = self.words <= 40 and bool(_ARITH_RE.search(text))
        self.long_answer = counts[_G_WORDS] > 0 and any(
            int(n) >= 800 for n in _WORD_COUNT_RE.findall(text.replace(",", ""))
        )
        self.code_blocks = text.count("```") // 2 if fence else 0
        self.code_lines = sum(p.count("\n") for p in text.split("```")[1::2]) if self.code_blocks else 0
        self.has_code = bool(self.code_blocks) or semicolons >= 2 or braces >= 2 or "def " in text
        self.enumeration = commas >= 2 and conjunction
        self.language = _language(text, counts)
        person = counts[_G_PERSON]
        # "the US Supreme Court": "US" in capitals is the country, not the asker
        self.first_person = person > 0 and not (person == 1 and counts[_G_US] == 1 and "US" in text)
        self.verb, self.verb_class, self.verbs, self.sentences, self.analytic, self.definition = _read_leads(
            leads, sentences
        )
        # a question (13+ words) with a further question joined by "and", asking for a judgement (should,
        # would, more, most, each): "..., and how should we sequence it?", not "what is X and how does it work?"
        self.two_part = (
            self.questions > 0 and self.words > 12 and not pairs.isdisjoint(_FOLLOW_UPS) and counts[_G_JUDGEMENT] > 0
        )
        later = verbs_after_connectors(pairs, first, self.verb)
        if later:
            kind = "expert" if later & _EXPERT_FORMS else "routine"
            self.verbs += len(later)
            if _VERB_RANK[kind] > _VERB_RANK[self.verb_class]:
                self.verb, self.verb_class = min(later), kind

    def get(self, kind: str) -> set[str] | frozenset[str]:
        """The entries of one kind of signal found in the text."""
        return self.hits.get(kind, _EMPTY)


def verbs_after_connectors(pairs: set[tuple[str, str]], first: str | None, lead: str | None) -> set[str]:
    """Task verbs right after a connector ("... could you suggest", "... and discuss"), bar the lead verb.

    A verb that also opens the text does not count (as it never has: only its first occurrence was
    looked at).
    """
    found = {verb for _, verb in pairs.intersection(_CONNECTOR_VERBS)}
    found.discard(lead)
    found.discard(first)
    return found


def leading_verbs(norm: str) -> tuple[str | None, str | None, int, int, int, bool]:
    """Read the first 20 sentences' openings.

    Returns the strongest leading verb and its kind, the number of task verbs, the number of
    sentences, whether a sentence opens an analytical question (2: about causes or the future),
    and whether the first one asks for a definition ("what is ...").
    """
    sentences, leads = _leads(norm)
    return _read_leads(leads, sentences)


def _leads(norm: str) -> tuple[int, list[tuple[int, str, str]]]:
    """The sentences and leads `Scanner.scan` returns, in Python.

    How many of the first 20 sentences hold a word, and (number, first word, sentence) of those
    opening with a lead word (a verb, question or polite word).
    """
    sentences = 0
    leads = []
    for sentence in norm.split("|", 20)[:20]:
        toks = sentence.split(None, 1)
        if not toks:
            continue
        sentences += 1
        if toks[0] in _LEAD_WORDS:  # else no verb, question or polite word: nothing more to read
            leads.append((sentences, toks[0], sentence))
    return sentences, leads


def _read_leads(
    leads: list[tuple[int, str, str]], sentences: int
) -> tuple[str | None, str | None, int, int, int, bool]:
    best: str | None = None
    best_kind: str | None = None
    task_verbs = 0
    analytic: int = 0
    definition = False
    for number, word, sentence in leads:
        toks = sentence.split(None, 6)[:6]
        # an opening of 2 or 4 words is joined only if its first word can start one
        if not analytic and word in _ANALYTIC_FIRST:
            two = " ".join(toks[:2])
            analytic = word in _ANALYTIC or two in _ANALYTIC or " ".join(toks[:4]) in _ANALYTIC
            if two == "how are" and toks[2:3] and toks[2] in _YOU:  # "how are you (doing)?": small talk
                analytic = 0
            elif two in _CAUSAL:  # "why did ...", "how will ...": causes of a past event, course of a future one
                analytic = 2
        if number == 1 and word in _DEFINITION_FIRST:
            definition = word in _DEFINITION_LEADS or " ".join(toks[:2]) in _DEFINITION_LEADS
        elif number == 1 and word in _IS_A:  # "is a whale a mammal", "is ibuprofen an nsaid": what kind a thing is
            definition = not _ARTICLES.isdisjoint(toks[2:4])
        kind: str | None = "question" if word in _SIMPLE_LEAD else None
        prev = None
        for tok in toks:
            verb_kind = _VERBS.get(tok)
            if verb_kind is not None:
                if prev in _NARRATORS:  # "i run a bakery", "we plan to ...": the asker's story, not a request
                    break
                word, kind = tok, verb_kind
                if verb_kind != "simple":
                    task_verbs += 1
                break
            if tok not in _POLITE:
                break
            prev = tok
        if word == "convert" and any(c.isdigit() for c in sentence) and not _CODE_WORDS.intersection(toks):
            kind = "simple"  # a unit conversion, not a rewrite of code or text
        if _VERB_RANK[kind] > _VERB_RANK[best_kind]:
            best, best_kind = word, kind
    return best, best_kind, task_verbs, sentences, analytic, definition


def language(text: str, vocab: set[str]) -> str:
    """The text's language: by script, else by the stopwords in its vocabulary ("en" by default)."""
    return _language(text, [len(vocab & words) for _, words in _STOPWORDS])


def _language(text: str, counts: Sequence[int]) -> str:
    """`language` from the counts of each language's stopwords in the vocabulary (in `_STOPWORDS` order)."""
    if not text.isascii():
        sample = text[:400]
        for lang, pattern in _SCRIPTS:
            if pattern.search(sample):
                return lang
    if _EN_FIRST and max(counts[1 : len(_STOPWORDS)]) < 2:  # another language needs 2+ stopwords to win
        return "en"
    best, best_hits = "en", 0
    for (lang, _), n in zip(_STOPWORDS, counts):
        if n > best_hits and (n >= 2 or lang == "en"):
            best, best_hits = lang, n
    return best
