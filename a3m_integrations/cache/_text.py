"""Text analysis for the semantic cache: one pass turns a prompt into a `TextSignature`.

The signature holds the canonical content words (stemmed, synonyms folded, request scaffolding such
as "how do I" or "can you tell me" removed) and the *facets* whose change flips an answer: numbers,
units, dates, negations, quantifiers, question type, tense, relations ("to X"), particles
("zoom in/out"), names, code and quoted literals. The guards compare signatures; the default
embedder hashes the same features. Pure functions, standard library only.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from a3m_integrations.cache import _lexicon as lx

__all__ = ["ANALYSER_VERSION", "TextSignature", "analyse", "stem"]

#: Bump when analysis changes in a way that changes `TextSignature.key()` (stored keys are recomputed).
ANALYSER_VERSION = "1"

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "´": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_FENCE = re.compile(r"```[\w+-]*\n?(.*?)```", re.S)
_INLINE = re.compile(r"`([^`\n]+)`")
_URL = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PATH = re.compile(r"(?<![\w/])(?:~|\.{1,2})?/[\w.-]+(?:/[\w.-]*)+|\b[A-Za-z]:\\[^\s]+")
_DQUOTE = re.compile(r'"([^"\n]{1,300})"')
_SQUOTE = re.compile(r"(?<![\w'])'([^'\n]{1,300}?)'(?![\w])")
_TOKEN = re.compile(
    r"(?P<call>[A-Za-z_][\w.]*\(\))"
    r"|(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]))"
    r"|(?P<word>[^\W_][\w]*(?:['.-][^\W_][\w]*)*[+#]*)"
    r"|(?P<cur>[$€£¥])"
    r"|(?P<op>[-+*/^=<>!%×÷≠≤≥]+)"
    r"|(?P<stop>[.!?;:\n]+)"
)
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_DECADE = re.compile(r"^(\d{2,4})s$")
_GLUED_UNIT = re.compile(r"^(\d+(?:\.\d+)?)([a-z%°]+)$")
_LOWER_CAMEL = re.compile(r"^[a-z]+[A-Z][A-Za-z0-9]*$")
_DOTTED = re.compile(r"[A-Za-z]\.[A-Za-z]")
_CONTRACTIONS = {"n't": "not", "'re": "are", "'ll": "will", "'ve": "have", "'d": "would", "'m": "am"}


def _split(text: str) -> list[str]:
    return text.split()


_NT_BASE = {"can": "can", "won": "will", "shan": "shall", "ain": "is"}
_IS_HOSTS = frozenset(_split("what that it there here he she who where how when why which everything nothing"))
_RELATION_BEFORE_NAME = frozenset(_split("in with using for to on from into via than vs versus"))
_SPAN = "spanx"  # stands in for an extracted code span or literal; a stop word
_OPS_IGNORED = frozenset({"!", "%"})
_PARTICLE_FOLLOWERS = frozenset(_split("; on in at to from with for of by into onto"))
_DETERMINERS = frozenset(_split("a an the my your our their his her its this that these those some every each"))
_PHRASES = tuple((re.compile(rf"\b(?:{pat})\b"), rep) for pat, rep in lx.PHRASES)
_FRAMING = tuple(re.compile(pat) for pat in lx.FRAMING_PATTERNS)
_SYN: dict[str, str] = {}


@dataclass(frozen=True, slots=True)
class TextSignature:
    """What a text says, in comparable parts. `content` keeps order; facets are sets or sorted tuples."""

    text: str
    content: tuple[str, ...]
    words: frozenset[str]
    numbers: tuple[str, ...]
    operators: tuple[str, ...]
    units: frozenset[str]
    times: frozenset[str]
    negations: int
    quantifiers: frozenset[str]
    wh: frozenset[str]
    tense: frozenset[str]
    modality: frozenset[str]
    persons: frozenset[str]
    relations: frozenset[tuple[str, str, bool]]
    particles: frozenset[str]
    entities: frozenset[str]
    code: frozenset[str]
    literals: frozenset[str]

    @property
    def content_set(self) -> frozenset[str]:
        """The content words as a set."""
        return frozenset(self.content)

    def key(self) -> str:
        """A digest of the content-word set and every facet that strict guards require to be equal.

        Two texts that pass the strict guards always share it (relations and word order are left
        out: the guards judge those), so it finds every strict-mode candidate without a vector search.
        """
        parts = [
            sorted(self.content_set),
            list(self.numbers),
            list(self.operators),
            sorted(self.units),
            sorted(self.times),
            self.negations,
            sorted(self.quantifiers),
            sorted(self.wh),
            sorted(self.tense),
            sorted(self.modality),
            sorted(self.persons),
            sorted(self.particles),
            sorted(self.entities),
            sorted(self.code),
            sorted(self.literals),
            self.text if not self.content else "",
        ]
        return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=12).hexdigest()

    def features(self) -> list[tuple[str, float]]:
        """Weighted string features for hashing embedders (content, facets, char n-grams, bigrams)."""
        out: list[tuple[str, float]] = []
        for word in self.content:
            out.append(("w:" + word, 1.0))
            padded = f"<{word}>"
            grams = [padded[i : i + n] for n in (3, 4) for i in range(len(padded) - n + 1)]
            if grams:
                share = 0.5 / len(grams) ** 0.5
                out.extend(("c:" + g, share) for g in grams)
        out.extend(("b:" + a + "_" + b, 0.35) for a, b in zip(self.content, self.content[1:]))
        facets = [
            *("n:" + n for n in self.numbers),
            *("o:" + o for o in self.operators),
            *("u:" + u for u in self.units),
            *("t:" + t for t in self.times),
            *("q:" + q for q in self.quantifiers),
            *("h:" + h for h in self.wh),
            *("p:" + p for p in self.tense),
            *("m:" + m for m in self.modality),
            *("g:" + g for g in self.persons),
            *("r:" + r + ">" + w for r, w, bare in self.relations if not bare),
            *("x:" + x for x in self.particles),
            *("e:" + e for e in self.entities),
            *("k:" + k for k in self.code),
            *("l:" + li for li in self.literals),
        ]
        if self.negations:
            facets.append(f"neg:{self.negations}")
        out.extend((f, 1.0) for f in facets)
        if not out:
            out.extend(("raw:" + self.text[i : i + 3], 1.0) for i in range(max(1, len(self.text) - 2)))
        return out


def _undouble(w: str) -> str:
    if len(w) > 2 and w[-1] == w[-2] and w[-1] not in "lsz" and w[-1] not in "aeiou":
        return w[:-1]
    return w


def _has_vowel(w: str) -> bool:
    return any(c in "aeiouy" for c in w)


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """A light English stemmer: plurals, -ing/-ed/-ly, -ation/-ion/-ment, final e/y, British spellings."""
    w = lx.IRREGULAR.get(word, word)
    if w != word or len(w) <= 3 or w in lx.STEM_KEEP or not w.isalpha():
        return w
    if len(w) >= 6:
        w = re.sub(r"([iy])s(e|es|ed|ing|ation|ations)$", r"\1z\2", w)
        w = re.sub(r"(?<=[a-z]{3})our(s|ed|ing|ite|ites|ful|able)?$", r"or\1", w)
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "xes", "ches", "shes", "zes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ing") and len(w) >= 6 and _has_vowel(w[:-3]) and w not in lx.STEM_KEEP:
        w = _undouble(w[:-3])
    elif w.endswith("ed") and not w.endswith("eed") and len(w) >= 5 and _has_vowel(w[:-2]) and w not in lx.STEM_KEEP:
        w = _undouble(w[:-2])
    elif w.endswith("ly") and len(w) >= 6:
        w = w[:-2]
    if w.endswith("ation") and len(w) >= 9:
        w = w[:-5]
    elif w.endswith("ion") and len(w) >= 8:
        w = w[:-3]
    if w.endswith("ment") and len(w) >= 8:
        w = w[:-4]
    if w.endswith("e") and not w.endswith("ee") and len(w) >= 4:
        w = w[:-1]
    if w.endswith(("y", "ie")) and len(w) >= 4:
        w = w[:-2] + "i" if w.endswith("ie") else w[:-1] + "i"
    return w


def _canon(word: str) -> str:
    if not _SYN:
        for surface, label in lx.SYNONYMS.items():
            _SYN[surface] = label
            _SYN.setdefault(stem(surface), label)
    if word in _SYN:
        return _SYN[word]
    s = stem(word)
    return _SYN.get(s, s)


def _ws(text: str) -> str:
    return " ".join(text.split())


def _split_word(raw: str) -> list[str]:
    """Lower-case parts of one raw word: contractions split, possessives dropped, hyphens resolved."""
    w = raw.lower().replace("’", "'")
    if w.endswith("n't") and len(w) > 3:
        base = w[:-3]
        return [_NT_BASE.get(base, base), "not"]
    for suffix, full in _CONTRACTIONS.items():
        if suffix != "n't" and w.endswith(suffix) and len(w) > len(suffix):
            return [w[: -len(suffix)], full]
    if w.endswith("'s"):
        w = w[:-2]
        if w in _IS_HOSTS:
            return [w, "is"]
    if "-" in w:
        parts = [p for p in w.split("-") if p]
        if any(p.isdigit() or p in lx.NUMBER_WORDS or p in lx.ORDINAL_WORDS for p in parts):
            return parts
        return ["".join(parts)]
    return [w]


def _number(tok: str) -> str | None:
    if _THOUSANDS.match(tok):
        return tok.replace(",", "")
    if _NUMBER.match(tok):
        return tok.rstrip("0").rstrip(".") if "." in tok and tok.count(".") == 1 and "," not in tok else tok
    m = _ORDINAL.match(tok)
    if m:
        return f"{int(m.group(1))}th"
    m = _DECADE.match(tok)
    if m:
        return tok
    return lx.NUMBER_WORDS.get(tok) or lx.ORDINAL_WORDS.get(tok)


@dataclass(slots=True)
class _Acc:
    code: set[str]
    literals: set[str]
    entities: set[str]
    operators: list[str]


def _extract_spans(text: str, acc: _Acc) -> str:
    def keep(bucket: set[str], lower: bool) -> Callable[[re.Match[str]], str]:
        def sub(m: re.Match[str]) -> str:
            value = _ws(m.group(1) if m.groups() else m.group(0))
            bucket.add(value.lower() if lower else value)
            return f" {_SPAN} "

        return sub

    text = _FENCE.sub(keep(acc.code, False), text)
    text = _INLINE.sub(keep(acc.code, False), text)
    text = _URL.sub(keep(acc.literals, False), text)
    text = _EMAIL.sub(keep(acc.literals, True), text)
    text = _PATH.sub(keep(acc.literals, False), text)
    text = _DQUOTE.sub(keep(acc.literals, True), text)
    return _SQUOTE.sub(keep(acc.literals, True), text)


def _scan(text: str, acc: _Acc) -> list[str]:
    """Raw tokens -> lower-case stream; records names, code identifiers and operators on the way."""
    stream: list[str] = []
    initial = True
    prev_lower = ""
    for m in _TOKEN.finditer(text):
        kind, tok = m.lastgroup, m.group(0)
        if kind == "stop":
            initial = True
            stream.append(";")
            continue
        if kind == "op":
            if tok == "%":
                stream.append("%")
            elif tok not in _OPS_IGNORED:
                acc.operators.append(tok)
            continue
        if kind == "cur":
            stream.append(tok)
            continue
        camel = _LOWER_CAMEL.match(tok) and len(tok) >= 5 and tok.lower() not in lx.NAMED
        if kind == "call" or "_" in tok or _DOTTED.search(tok) or camel:
            acc.code.add(tok)
            acc.entities.add(tok.lower())
            stream.append(tok.lower().rstrip("()"))
            initial = False
            prev_lower = tok.lower()
            continue
        low = tok.lower()
        bare = low[:-2] if low.endswith("'s") else low
        letters = [c for c in tok if c.isalpha()]
        is_name = (
            (tok[0].isupper() and not initial and tok != "I")
            or (len(letters) >= 2 and all(c.isupper() for c in letters))
            or (any(c.isdigit() for c in tok) and any(c.isalpha() for c in tok) and _glued(low) is None)
            or (bare in lx.NAMED and (bare not in lx.AMBIGUOUS_NAMES or prev_lower in _RELATION_BEFORE_NAME))
        )
        if is_name and _number(bare) is None:
            acc.entities.add(bare.replace("-", ""))
        if "-" in tok and len(tok) >= 3:
            parts = tok.split("-")
            if any(len(p) == 1 and p.isalpha() for p in parts) and any(p.isdigit() for p in parts):
                acc.operators.append("-")
        stream.extend(_split_word(tok))
        initial = False
        prev_lower = low
    return stream


def _glued(tok: str) -> tuple[str, str] | None:
    m = _GLUED_UNIT.match(tok)
    if m and m.group(2) in lx.UNITS:
        return m.group(1), lx.UNITS[m.group(2)]
    return None


def _rewrite(stream: list[str]) -> list[str]:
    text = " " + " ".join(stream) + " "
    for pattern, rep in _PHRASES:
        text = pattern.sub(rep, text)
    parts = []
    for chunk in text.split(";"):
        chunk = " ".join(chunk.split())
        for pattern in _FRAMING:
            chunk = pattern.sub(" ", chunk)
        parts.append(" ".join(chunk.split()))
    return " ; ".join(p for p in parts if p).split()


@lru_cache(maxsize=8192)
def analyse(text: str) -> TextSignature:
    """The signature of `text` (cached: the same prompt is analysed once)."""
    norm = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    acc = _Acc(set(), set(), set(), [])
    stream = _rewrite(_scan(_extract_spans(norm, acc), acc))
    content: list[str] = []
    words: set[str] = set()
    numbers: list[str] = []
    units: set[str] = set()
    times: set[str] = set()
    quantifiers: set[str] = set()
    wh: set[str] = set()
    tense: set[str] = set()
    modality: set[str] = set()
    persons: set[str] = set()
    relations: set[tuple[str, str, bool]] = set()
    particles: set[str] = set()
    negations = 0
    pending: list[list[object]] = []  # [relation, bare]: relations waiting for their object
    after_number = False
    i = 0
    while i < len(stream):
        tok = stream[i]
        nxt = stream[i + 1] if i + 1 < len(stream) else ";"
        i += 1
        if tok == ";":
            _close_relations(pending, relations, "", nominal=True)
            pending = []
            after_number = False
            continue
        words.add(stem(tok))
        meaningful: str | None = None
        glued = _glued(tok)
        num = _number(tok)
        if tok == "how" and nxt in lx.HOW_QUANTITY:
            wh.add("how_" + ("many" if nxt == "much" else nxt))
            i += 1
        elif tok in lx.WH_WORDS:
            wh.add(lx.WH_WORDS[tok])
        elif tok in lx.NEGATIONS:
            negations += 1
        elif tok in lx.TENSE:
            tense.add(lx.TENSE[tok])
        elif tok in lx.MODALS:
            modality.add(lx.MODALS[tok])
        elif tok in lx.PERSONS:
            persons.add(lx.PERSONS[tok])
        elif after_number and tok in ("am", "pm", "a.m", "p.m"):
            times.add(tok.replace(".", ""))
        elif tok in lx.QUANTIFIERS and not (tok == "more" and nxt in ("or",)):
            quantifiers.add(lx.QUANTIFIERS[tok])
        elif tok in lx.RELATIONS:
            pending.append([lx.RELATIONS[tok], True])
        elif tok in ("up", "down", "out", "off") or (tok in ("in", "on") and nxt in _PARTICLE_FOLLOWERS):
            particles.add(tok)
        elif glued is not None:
            numbers.append(glued[0])
            units.add(glued[1])
            meaningful = glued[0]
        elif num is not None and not (tok == "one" and not after_number and nxt not in lx.UNITS):
            numbers.append(num)
            meaningful = num
            after_number = True
            _close_relations(pending, relations, meaningful, nominal=True)
            pending = []
            continue
        elif tok in lx.UNITS and (len(tok) > 3 or after_number or tok in ("%", "$", "€", "£", "¥", "°")):
            units.add(lx.UNITS[tok])
            meaningful = lx.UNITS[tok]
        elif tok in lx.MONTHS or tok in lx.WEEKDAYS or tok in lx.TIME_WORDS:
            times.add(stem(tok) if tok not in lx.MONTHS else tok[:3])
            meaningful = tok
        elif tok in lx.STOPWORDS or tok == _SPAN:
            if tok in _DETERMINERS:
                for p in pending:
                    p[1] = False
        else:
            canon = _canon(tok)
            if canon not in lx.STOPWORDS:
                content.append(canon)
                meaningful = canon
        after_number = False
        if meaningful is not None and pending:
            nominal = meaningful != _canon(tok) or tok in acc.entities or meaningful in units
            _close_relations(pending, relations, meaningful, nominal=nominal)
            pending = []
    _close_relations(pending, relations, "", nominal=True)
    return TextSignature(
        text=" ".join(norm.lower().split()),
        content=tuple(content),
        words=frozenset(words),
        numbers=tuple(sorted(numbers)),
        operators=tuple(acc.operators),
        units=frozenset(units),
        times=frozenset(times),
        negations=negations,
        quantifiers=frozenset(quantifiers),
        wh=frozenset(wh),
        tense=frozenset(tense),
        modality=frozenset(modality),
        persons=frozenset(persons),
        relations=frozenset(relations),
        particles=frozenset(particles),
        entities=frozenset(acc.entities),
        code=frozenset(acc.code),
        literals=frozenset(acc.literals),
    )


def _close_relations(
    pending: list[list[object]], relations: set[tuple[str, str, bool]], word: str, *, nominal: bool
) -> None:
    """Close every pending relation with `word`, the first meaningful word after the preposition.

    A relation is *bare* when its object follows with no determiner and is not a name, number or
    unit ("to eat", "from barking"): it may be an infinitive or gerund rather than a direction.
    """
    relations.update((str(r), word, bool(bare) and not nominal) for r, bare in pending)
