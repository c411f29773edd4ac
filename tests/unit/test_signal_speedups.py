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
from a3m_integrations._signal_text import _ASCII_TABLE, normalize

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


Found = tuple[
    int, str | None, set[tuple[str, str]], dict[str, set[str]], int, tuple[int, ...], int,
    list[tuple[int, str, str]], tuple[int, ...] | None,
]  # fmt: skip


def _split(text: str) -> list[str]:
    toks: list[str] = []
    current: list[str] = []
    for c in text + " ":
        if _is_separator(c):
            if current:
                toks.append("".join(current))
                current = []
        else:
            current.append(c)
    return toks


class ModelScanner:
    """The contract of `_speedups.Scanner`, in plain Python."""

    def __init__(
        self,
        words: list[str],
        pairs: list[tuple[str, str]],
        entries: dict[str, tuple[tuple[str, str], ...]],
        marks: tuple[str, ...] = (),
        whole_only: tuple[str, ...] = (),
        groups: tuple[frozenset[str], ...] = (),
        leads: frozenset[str] = frozenset(),
        table: bytes | None = None,
        chars: str = "",
    ) -> None:
        self.words = frozenset(words)
        self.pairs = frozenset(pairs)
        self.entries = entries
        self.marks = marks
        self.whole_only = frozenset(whole_only)
        self.groups = groups
        self.leads = leads
        self.table = table
        self.chars = chars

    def scan(self, text: str) -> Found:
        toks = _split(text)
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
        counts = tuple(len(vocab & group) for group in self.groups)
        sentences = 0
        leads = []
        for piece in text.split("|", 20)[:20]:
            piece_toks = _split(piece)
            if piece_toks:
                sentences += 1
                if piece_toks[0] in self.leads:
                    leads.append((sentences, piece_toks[0], piece))
        return len(toks), (toks[0] if toks else None), pairs, hits, marks, counts, sentences, leads, None

    def scan_ascii(self, text: str) -> Found:
        assert text.isascii() and self.table is not None
        found = self.scan(text.encode().translate(self.table).decode("ascii"))
        return (*found[:-1], tuple(text.count(c) for c in self.chars))


def _scanner_args() -> tuple[list[str], list[tuple[str, str]]]:
    words, pairs = _signal_scan._scanner_words()
    return sorted(words), sorted(pairs)  # sorted: the generated texts are the same from run to run


def _options() -> tuple[object, ...]:
    s = _signal_scan
    return s._WORDS, s._MARKS, ("long",), s._GROUPS, s._LEAD_WORDS, _ASCII_TABLE, s._CHARS


def _model() -> ModelScanner:
    return ModelScanner(*_scanner_args(), *_options())  # type: ignore[arg-type]


def _compiled() -> _speedups.Scanner:
    return _speedups.Scanner(*_scanner_args(), *_options())  # type: ignore[arg-type]


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
    scanner = _model() if impl == "model" else _compiled()
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
    scanner = _compiled()
    for text in texts:
        for variant in (normalize(text), text, text.lower()):
            assert scanner.scan(variant) == model.scan(variant), variant[:80]
        if text.isascii():
            assert scanner.scan_ascii(text) == model.scan_ascii(text), text[:80]


@NEEDS_C
def test_c_scanner_small_tables_and_bad_arguments() -> None:
    table = bytes(c + 32 if 65 <= c <= 90 else (124 if c == 46 else c) for c in range(256))  # lower-case, '.' -> '|'
    s = _speedups.Scanner(
        ["a", "b", "é", "long", "x"], [("a", "b"), ("b", "é")], {"é": (("K", "e"),)},
        marks=["a"], whole_only=["long"], groups=[["a", "b"], ["long", "é"]], leads=["x", "b"], table=table, chars=".A",
    )  # fmt: skip
    assert s.sizes() == (5, 2)
    # "long" is whole-only (a part of "long-a" does not count); "a" is mark 0; pieces 1 and 3 open with lead words
    assert s.scan("x a b|é a-é long-a| |b") == (
        7, "x", {("a", "b"), ("b", "é")}, {"K": {"e"}}, 1, (2, 1), 3, [(1, "x", "x a b"), (3, "b", "b")], None,
    )  # fmt: skip
    assert s.scan("a-long long") == (2, "a-long", set(), {}, 0, (1, 1), 1, [], None)
    assert s.scan("\U0001f600 é") == (2, "\U0001f600", set(), {"K": {"e"}}, 0, (0, 1), 1, [], None)  # UCS4 text
    assert s.scan("") == (0, None, set(), {}, 0, (0, 0), 0, [], None)
    assert s.scan_ascii("X.B A") == (3, "x", set(), {}, 1, (2, 0), 2, [(1, "x", "x"), (2, "b", "b a")], (1, 1))
    assert s.scan_ascii("")[8] == (0, 0)
    assert s.scan("|" * 25 + "x")[6:8] == (0, [])  # only the first 20 pieces are sentences
    assert s.scan("x|" * 25)[6] == 20
    empty = _speedups.Scanner([], [], {})
    assert empty.scan("anything at all")[:2] == (3, "anything")
    with pytest.raises(ValueError, match="ASCII"):
        s.scan_ascii("é")
    with pytest.raises(ValueError, match="ASCII"):
        empty.scan_ascii("no table")
    with pytest.raises(TypeError):
        s.scan(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="pair"):
        _speedups.Scanner(["a"], [("a", "b")], {})
    with pytest.raises(ValueError, match="mark"):
        _speedups.Scanner(["a"], [], {}, ["b"])
    with pytest.raises(ValueError, match="group"):
        _speedups.Scanner(["a"], [], {}, groups=[["b"]])
    with pytest.raises(ValueError, match="lead"):
        _speedups.Scanner(["a"], [], {}, leads=["b"])
    with pytest.raises(ValueError, match="entries"):
        _speedups.Scanner(["a"], [], {"b": ()})
    with pytest.raises(ValueError, match="256"):
        _speedups.Scanner(["a"], [], {}, table=b"short")
    with pytest.raises(ValueError, match="ASCII"):
        _speedups.Scanner(["a"], [], {}, table=bytes([200]) * 256)
    with pytest.raises(TypeError):
        _speedups.Scanner(["a"], [], {"a": (("K",),)})  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        _speedups.Scanner([1], [], {})  # type: ignore[list-item]
    with pytest.raises(ValueError, match="32"):
        _speedups.Scanner([str(i) for i in range(40)], [], {}, [str(i) for i in range(33)])
    with pytest.raises(ValueError, match="32"):
        _speedups.Scanner(["a"], [], {}, groups=[["a"]] * 33)
    with pytest.raises(ValueError, match="distinct ASCII"):
        _speedups.Scanner(["a"], [], {}, chars="aa")
    with pytest.raises(ValueError, match="distinct ASCII"):
        _speedups.Scanner(["a"], [], {}, chars="é")
    with pytest.raises(ValueError, match="16"):
        _speedups.Scanner(["a"], [], {}, chars="abcdefghijklmnopq")


@NEEDS_C
def test_c_scanner_on_huge_and_malformed_text(monkeypatch: pytest.MonkeyPatch) -> None:
    huge = "a" * 10_000_000
    scanner = _compiled()
    assert scanner.scan(huge)[:2] == (1, huge)
    assert scanner.scan_ascii(huge.upper() + ". Write")[:2] == (2, huge)
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


def test_phrase_check_equals_the_joined_tokens_check() -> None:
    """`_phrase_in` over the text equals `phrase in " " + " ".join(tokens) + " "`, separators of every kind."""
    phrases = sorted({p for entries in _signal_scan._PHRASES.values() for p, _, _ in entries if p})
    assert phrases, "no 3+-word phrases in the tables"
    rng = random.Random(7)
    seps = [" ", "  ", "\t", "\n", "|", " | ", "\x1c", "\xa0", "\u2028", "-", "", "x"]
    checked = hits = 0
    for phrase in phrases[:400]:
        words = phrase.split()
        for _ in range(6):
            parts = [rng.choice(["", "so", words[0], words[-1], "a" + words[0]])]
            for w in [*words, rng.choice(["", words[0], "then", words[-1] + "s"])]:
                parts.append(rng.choice(seps))
                parts.append(w)
            norm = "".join(parts)
            joined = " " + " ".join(norm.replace("|", " ").split()) + " "
            expected = phrase in joined
            assert _signal_scan._phrase_in(norm, phrase) is expected, (phrase, norm)
            checked += 1
            hits += expected
    assert checked >= 400 and 0 < hits < checked  # both outcomes exercised
