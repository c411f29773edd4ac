"""The optional C scanner (`a3m_integrations._speedups`) against the pure-Python reference.

`Scan` reads a text either through the compiled `Scanner.scan` or in pure Python. Both must give
identical Scans. The contract of `Scanner.scan` is written out here as a small Python model:

- the model, plugged into `Scan` in place of the C scanner, must reproduce the reference Scan
  (always run: it shows the contract is enough for identical outputs);
- the C scanner must return what the model returns, and build the same Scans (skipped, and
  only those, when the extension is not built).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest

from a3m_integrations import _signal_scan
from a3m_integrations._signal_text import normalize

try:
    from a3m_integrations import _speedups
except ImportError:  # not built (no compiler, or a source checkout without build_ext)
    _speedups = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parents[2]
NEEDS_C = pytest.mark.skipif(
    _speedups is None, reason="a3m_integrations._speedups is not built (python setup.py build_ext --inplace)"
)
SEPARATORS = frozenset("|")


def _is_separator(c: str) -> bool:
    return c in SEPARATORS or c.isspace()


class ModelScanner:
    """The contract of `_speedups.Scanner`, in plain Python."""

    def __init__(
        self,
        words: list[str],
        pairs: list[tuple[str, str]],
        entries: dict[str, tuple[tuple[str, str], ...]],
        marks: tuple[str, ...] = (),
        whole_only: tuple[str, ...] = (),
    ) -> None:
        self.words = frozenset(words)
        self.pairs = frozenset(pairs)
        self.entries = entries
        self.marks = marks
        self.whole_only = frozenset(whole_only)

    def scan(self, text: str) -> tuple[int, str | None, set[str], set[tuple[str, str]], dict[str, set[str]], int]:
        toks: list[str] = []
        current: list[str] = []
        for c in text + " ":
            if _is_separator(c):
                if current:
                    toks.append("".join(current))
                    current = []
            else:
                current.append(c)
        vocab = {t for t in toks if t in self.words}
        for tok in toks:
            if "-" in tok:
                vocab.update(p for p in tok.split("-") if p in self.words and p not in self.whole_only)
        pairs = {p for p in pairwise(toks) if p in self.pairs}
        hits: dict[str, set[str]] = {}
        for word in vocab:
            for kind, entry in self.entries.get(word, ()):
                hits.setdefault(kind, set()).add(entry)
        marks = sum(1 << i for i, m in enumerate(self.marks) if m in toks)
        return len(toks), (toks[0] if toks else None), vocab, pairs, hits, marks


def _scanner_args() -> tuple[list[str], list[tuple[str, str]]]:
    """The words and pairs `_signal_scan` gives its scanner (built the same way)."""
    s = _signal_scan
    pairs = s._PHRASE_PAIRS | s._FOLLOW_UPS | s._CONNECTOR_VERBS
    words = {*s._WORD_KEYS, *s._STEPS, *s._CONSTRAINTS, *s._FIRST_PERSON, *s._JUDGEMENT, *s._MARKS}
    words |= {"words", "word", "step", "1"}
    for _, stopwords in s._STOPWORDS:
        words |= stopwords
    for pair in pairs:
        words.update(pair)
    return sorted(words), sorted(pairs)


def _model() -> ModelScanner:
    words, pairs = _scanner_args()
    return ModelScanner(words, pairs, _signal_scan._WORDS, _signal_scan._MARKS, ("long",))


def _fixture_prompts() -> list[str]:
    texts: list[str] = []
    for path in sorted((ROOT / "tests" / "fixtures" / "routing").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data.get("queries", []) if isinstance(data, dict) else data
        texts += [q["query"] for q in rows if isinstance(q, dict) and isinstance(q.get("query"), str)]
    return texts


EDGE_CASES = [
    "",
    " ",
    "\t\n\r \x0b\x0c",
    "|||",
    "...!!!???;;;::",
    "İstanbul İIıi",  # Turkish dotted and dotless I: lower() makes 'i̇' (two code points)
    "Straße STRASSE straße ß ẞ",
    "café cafe\u0301 naïve résumé",  # precomposed and combining accents
    "😀 emoji 🔓 in text 👍🏽 and ZWJ 👨‍👩‍👧",
    "a" * 5000,
    "x-" * 2000,
    "rock-and-roll week-long long-term long long-form semester-long",
    "state-of-the-art -- - -x x- a--b",
    "Don't can't we're i'm i've y'all O'Brien",
    "1. first\n2. second\n3. third\n- dash\n* star\n\u2022 bullet",
    "12,000 words, a 1500-word essay, 800 words",
    "def f(x):\n    return {x; y; z}\n```python\nprint(1)\n```",
    "C++ and C# and F# vs c++ x+y a&b AT&T",
    "snake_case __dunder__ _under",
    "Why did the 2008 crisis happen, and how should we sequence the reforms?",
    "What is a mortgage? Is a whale a mammal? Is ibuprofen an nsaid?",
    "Analyze, then design and then write; also discuss. Could you suggest and evaluate?",
    "Привет, как дела? Напиши эссе.",
    "日本語の文章です。中文句子。한국어 문장.",
    "مرحبا بالعالم שלום עולם नमस्ते दुनिया สวัสดี Γειά σου",
    "avantages et inconvénients, avantages-et-inconvénients, für, não, qué, cómo",
    "broken \ud83d surrogate \udc00 and \ud800x",
    "nul \x00 and controls \x01\x1c\x1d\x1e\x1f\x85\xa0\u2028\u2029\u3000 end",
    "ＦＵＬＬＷＩＤＴＨ ｆｕｌｌ ０１２",
    "The US Supreme Court, us, we, I, my",
    "step 1, step 2; first, second, finally",
]


def _generated(n: int, seed: int = 0) -> Iterator[str]:
    """Random texts mixing table words, phrases and awkward characters."""
    rng = random.Random(seed)
    words, pairs = _scanner_args()
    phrases = [p.strip() for entries in _signal_scan._PHRASES.values() for p, _, _ in entries if p]
    junk = [
        "-", "'", "|", ".", ",", "?", "\n", "\t", " ", "  ", "İ", "ß", "é", "e\u0301", "😀", "\ud800", "\x1c",
        "\xa0", "\u2003", "ж", "中", "1", "42", "x-y", "C++", "a&b", "```", "{", ";",
    ]  # fmt: skip
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(0, 40)):
            r = rng.random()
            if r < 0.45:
                parts.append(rng.choice(words))
            elif r < 0.6:
                parts.append(" ".join(rng.choice(pairs)))
            elif r < 0.7 and phrases:
                parts.append(rng.choice(phrases))
            elif r < 0.8:
                parts.append(rng.choice(words).upper() if rng.random() < 0.5 else rng.choice(words).title())
            else:
                parts.append(rng.choice(junk))
            parts.append(rng.choice([" ", " ", " ", "-", ", ", ". ", "\n", "|", ""]))
        yield "".join(parts)


def _texts() -> list[str]:
    return [*EDGE_CASES, *_fixture_prompts(), *_generated(1500)]


def _scan_slots(text: str) -> dict[str, object]:
    scan = _signal_scan.Scan(text)
    return {name: getattr(scan, name) for name in _signal_scan.Scan.__slots__}


def _reference(text: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    monkeypatch.setattr(_signal_scan, "_SCANNER", None)
    return _scan_slots(text)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _texts()


@pytest.mark.parametrize("impl", ["model", pytest.param("c", marks=NEEDS_C)])
def test_scan_matches_the_pure_python_reference(impl: str, texts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    if impl == "model":
        scanner: object = _model()
    else:
        words, pairs = _scanner_args()
        scanner = _speedups.Scanner(words, pairs, _signal_scan._WORDS, _signal_scan._MARKS, ("long",))
    mismatches = []
    for text in texts:
        want = _reference(text, monkeypatch)
        monkeypatch.setattr(_signal_scan, "_SCANNER", scanner)
        got = _scan_slots(text)
        if got != want:
            mismatches.append((text[:80], {k: (got[k], want[k]) for k in want if got[k] != want[k]}))
    assert not mismatches, mismatches[:3]


@NEEDS_C
def test_c_scanner_keeps_the_contract(texts: list[str]) -> None:
    """On normalised texts and on raw ones (any str: surrogates, NULs, every width)."""
    model = _model()
    words, pairs = _scanner_args()
    scanner = _speedups.Scanner(words, pairs, _signal_scan._WORDS, _signal_scan._MARKS, ("long",))
    for text in texts:
        for variant in (normalize(text), text, text.lower()):
            assert scanner.scan(variant) == model.scan(variant), variant[:80]


@NEEDS_C
def test_c_scanner_small_tables_and_bad_arguments() -> None:
    s = _speedups.Scanner(["a", "b", "é", "long"], [("a", "b"), ("b", "é")], {"é": (("K", "e"),)}, ["a"], ["long"])
    assert s.sizes() == (4, 2)
    # "long" is whole-only: a part of "long-a" does not count; "a" is mark 0
    assert s.scan("x a b|é a-é long-a") == (6, "x", {"a", "b", "é"}, {("a", "b"), ("b", "é")}, {"K": {"e"}}, 1)
    assert s.scan("a-long long") == (2, "a-long", {"a", "long"}, set(), {}, 0)
    assert s.scan("\U0001f600 é") == (2, "\U0001f600", {"é"}, set(), {"K": {"e"}}, 0)  # UCS4 text, UCS1 word
    assert s.scan("") == (0, None, set(), set(), {}, 0)
    empty = _speedups.Scanner([], [], {})
    assert empty.scan("anything at all") == (3, "anything", set(), set(), {}, 0)
    with pytest.raises(TypeError):
        s.scan(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="pair"):
        _speedups.Scanner(["a"], [("a", "b")], {})
    with pytest.raises(ValueError, match="mark"):
        _speedups.Scanner(["a"], [], {}, ["b"])
    with pytest.raises(ValueError, match="entries"):
        _speedups.Scanner(["a"], [], {"b": ()})
    with pytest.raises(TypeError):
        _speedups.Scanner(["a"], [], {"a": (("K",),)})
    with pytest.raises(TypeError):
        _speedups.Scanner([1], [], {})
    with pytest.raises(ValueError, match="32"):
        _speedups.Scanner([str(i) for i in range(40)], [], {}, [str(i) for i in range(33)])


@NEEDS_C
def test_c_scanner_on_huge_and_malformed_text(monkeypatch: pytest.MonkeyPatch) -> None:
    huge = "a" * 10_000_000
    words, pairs = _scanner_args()
    scanner = _speedups.Scanner(words, pairs, _signal_scan._WORDS, _signal_scan._MARKS, ("long",))
    assert scanner.scan(huge)[:2] == (1, huge)
    filler = "The weather report says sunny spells and light winds. " * 10_000
    for text in (filler, "hi \ud83d there", "\ud800" * 1000, "-" * 100_000):
        want = _reference(text, monkeypatch)
        monkeypatch.setattr(_signal_scan, "_SCANNER", scanner)
        assert _scan_slots(text) == want


def test_env_var_forces_the_pure_python_scanner() -> None:
    code = "import a3m_integrations.signals as s; print(s.SCANNER)"
    env_off = {"A3M_NO_SPEEDUPS": "1", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], env=env_off, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "python"
    env_on = {"A3M_NO_SPEEDUPS": "0", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], env=env_on, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ("python" if _speedups is None else "c")
