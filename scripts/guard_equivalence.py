"""Check that two versions of the guardrails give identical outputs on the same texts.

Runs the guardrails of the working tree and of a git revision (`--ref`, its `a3m_integrations`
extracted with `git archive`) in separate processes over the same inputs, then compares, text
by text: the normalised view and its flags, the injection verdict (score, model probability,
rules, sampled) with and without the model, PII matches for three entity choices, the redacted
text and its placeholder map, and `GuardrailEngine.check` on a one-message request. Floats
must agree to 1e-12 (the count of bit-identical ones is printed too).

Inputs: every row of the injection data sets and Presidio's PII sentences (under the shared
data folder), the guardrail fixtures, the routing fixtures, every string constant in the
guardrail tests, the 1 KB cuts the speed bench times, and obfuscated, re-cased and long
(windowed) variants of a sample of them.

    python scripts/guard_equivalence.py [--ref HEAD] [--quick]
Exit status 0 when everything matches, 1 otherwise (the first differences are printed).
"""

from __future__ import annotations

import base64
import json
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _equivalence import ROOT, data_dir, test_strings
from _equivalence import main as equivalence_main

TOLERANCE = 1e-12
GUARD_TESTS = (
    "tests/unit/test_guardrails_text.py",
    "tests/unit/test_guardrails_pii.py",
    "tests/unit/test_guardrails_engine.py",
    "tests/unit/test_guardrails_quality.py",
    "tests/unit/test_guardrails_cli.py",
    "tests/unit/test_guardrails_fastpaths.py",
    "tests/integration/test_gateway_guardrails.py",
)


# Inputs -------------------------------------------------------------------------------------
def _test_strings() -> list[str]:
    return test_strings(GUARD_TESTS)


def _dataset_texts(quick: bool) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from a3m_integrations.guardrails._labeled import load_injection_file

    d = data_dir()
    texts: list[str] = []
    for path in sorted((d / "guardrail-injection").rglob("*")):
        if path.suffix in (".csv", ".parquet"):
            texts += load_injection_file(path)[0]
    pii = d / "pii-presidio" / "synth_dataset_v2.json"
    if pii.is_file():
        texts += [r["full_text"] for r in json.loads(pii.read_text(encoding="utf-8"))]
    if not texts:
        raise SystemExit(f"no data sets found under {d} (set A3M_DATA_DIR)")
    return texts[::7] if quick else texts


def _fixture_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted((ROOT / "tests" / "fixtures" / "guardrails").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for path in sorted((ROOT / "tests" / "fixtures" / "routing").glob("*.json")):
        texts += [q["query"] for q in json.loads(path.read_text(encoding="utf-8")).get("queries", [])]
    return texts


def _bench_cuts() -> list[str]:
    sys.path.insert(0, str(ROOT / "tests" / "bench"))
    import bench_guardrails

    return [m for msgs in bench_guardrails.corpus(300).values() for m in msgs]


_LEET = str.maketrans({"o": "0", "i": "1", "e": "3", "a": "4", "s": "5", "t": "7"})
_HOMO = str.maketrans({"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "i": "і"})


def _variants(text: str, rng: random.Random) -> list[str]:
    """Obfuscated and re-cased copies of `text`, the tricks normalisation undoes."""
    words = text.split()
    k = rng.randrange(len(words)) if words else 0
    spaced = " ".join(words[:k] + [" ".join(w) for w in words[k : k + 2]] + words[k + 2 :])
    zw = "".join(c + ("\u200b" if rng.random() < 0.1 else "") for c in text)
    b64 = " ".join(
        base64.b64encode(text[i : i + 40].encode("utf-8", "surrogatepass")).decode()
        for i in range(0, min(len(text), 400), 40)
    )
    tags = "".join(chr(0xE0000 + ord(c)) for c in text[:60] if ord(c) < 128)
    return [
        text.translate(_LEET),
        text.translate(_HOMO),
        spaced,
        zw,
        f"{text[:200]} {b64}",
        f"{text[:200]} {text[:60].encode('utf-8', 'surrogatepass').hex()}",
        f"ok {tags} {text[:200]}",
        text.upper(),
        text.lower(),
        text.title(),
        text.replace(" ", "\n"),
    ]


def build_inputs(quick: bool) -> list[str]:
    """Every text both versions are run on, de-duplicated, in a fixed order."""
    rng = random.Random(6)
    base = _dataset_texts(quick) + _fixture_texts() + _test_strings() + _bench_cuts()
    sample = rng.sample(base, min(len(base), 150 if quick else 600))
    extra = [v for t in sample for v in _variants(t, rng)]
    long_texts = ["\n".join(rng.sample(base, 60)) for _ in range(4 if quick else 12)]
    long_texts += [" ".join(base[i % len(base)] for i in range(400))]  # beyond 16 windows: sampled
    seen: set[str] = set()
    out: list[str] = []
    for t in base + extra + long_texts:
        if isinstance(t, str) and t not in seen:
            seen.add(t)
            out.append(t)
    return out


# Dump (runs inside the process of one version) ---------------------------------------------
def dump(inputs: Path, out: Path) -> None:
    """Write one JSON line of outputs per input text, using whichever package is on sys.path."""
    from a3m_integrations.guardrails._text import normalize, sanitize
    from a3m_integrations.guardrails.engine import GuardrailEngine
    from a3m_integrations.guardrails.injection import InjectionDetector
    from a3m_integrations.guardrails.pii import PiiDetector, Placeholders, redact_text
    from a3m_integrations.types import ChatRequest, Message, RequestContext

    texts: list[str] = json.loads(inputs.read_text(encoding="utf-8"))
    with_model = InjectionDetector()
    rules_only = InjectionDetector(use_model=False)
    pii_all = PiiDetector()
    pii_some = [PiiDetector({"PERSON"}), PiiDetector({"PHONE_NUMBER", "STREET_ADDRESS", "DATE_OF_BIRTH"})]
    engine = GuardrailEngine()
    context = RequestContext(request_id="equivalence")
    with out.open("w", encoding="utf-8") as f:
        for text in texts:
            norm = normalize(sanitize(text)[0])
            scored = with_model.score_text(text)
            rules = rules_only.score_text(text)
            matches = pii_all.find(text)
            holders = Placeholders(text)
            redacted = redact_text(text, matches, holders)
            result = engine.check(ChatRequest(messages=(Message.user(text),)), context)
            row: dict[str, Any] = {
                "norm": [norm.text, sorted(norm.flags)],
                "inj": [scored.score, scored.model_probability, [list(r) for r in scored.rules], scored.sampled],
                "rules": [rules.score, [list(r) for r in rules.rules], rules.sampled],
                "pii": [[m.entity, m.start, m.end, m.score] for m in matches],
                "pii_some": [[[m.entity, m.start, m.end, m.score] for m in d.find(text)] for d in pii_some],
                "redacted": [redacted, holders.mapping],
                "engine": [
                    result.action,
                    result.score,
                    [repr(x) for x in result.findings],
                    result.request.messages[0].text,
                    result.restore,
                ],
            }
            f.write(json.dumps(row) + "\n")  # ASCII: lone surrogates survive


# Compare -----------------------------------------------------------------------------------
def _diff(a: Any, b: Any, path: str, counts: dict[str, int]) -> str | None:
    """None if `a` and `b` agree (floats to TOLERANCE), else where they first differ."""
    if isinstance(a, float) and isinstance(b, float):
        counts["floats"] += 1
        counts["identical"] += a == b
        return None if abs(a - b) <= TOLERANCE else f"{path}: {a!r} != {b!r}"
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: length {len(a)} != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            found = _diff(x, y, f"{path}[{i}]", counts)
            if found:
                return found
        return None
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return f"{path}: keys differ"
        for k in a:
            found = _diff(a[k], b[k], f"{path}.{k}", counts)
            if found:
                return found
        return None
    return None if a == b and type(a) is type(b) else f"{path}: {a!r} != {b!r}"


def main() -> int:
    counts = {"floats": 0, "identical": 0}
    return equivalence_main(
        __file__,
        what="guardrail",
        quick_help="every 7th data set row and fewer variants",
        build_inputs=build_inputs,
        dump=dump,
        differ=lambda a, b: _diff(json.loads(a), json.loads(b), "", counts),
        summary=lambda: (
            f"; floats: {counts['floats']} compared, {counts['identical']} bit-identical, tolerance {TOLERANCE}"
        ),
    )


if __name__ == "__main__":
    sys.exit(main())
