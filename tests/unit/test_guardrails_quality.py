"""Quality floors on the shared labeled data (regression guards; the targets are in the benchmark)."""

from __future__ import annotations

from pathlib import Path

import pytest

from a3m_integrations.guardrails._labeled import load_injection_file, load_pii_file
from a3m_integrations.guardrails._rules import RULES, match_rules
from a3m_integrations.guardrails._text import normalize, sanitize
from a3m_integrations.guardrails.evaluate import evaluate_injection, evaluate_pii
from a3m_integrations.guardrails.injection import InjectionDetector

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "guardrails"
INJECTION = "guardrail-injection"


def test_rule_gate_never_changes_a_verdict(data_dir: Path) -> None:
    texts, _ = load_injection_file(
        data_dir / INJECTION / "jackhhao-jailbreak/balanced/jailbreak_dataset_test_balanced.csv"
    )
    texts += load_injection_file(FIXTURES / "attacks_tricky.jsonl")[0]
    texts += load_injection_file(FIXTURES / "benign_tricky.jsonl")[0]
    for raw in texts:
        text = normalize(sanitize(raw)[0]).text[:16_384]
        assert [r.name for r in match_rules(text)] == [r.name for r in RULES if r.search(text)], raw[:80]


def test_fixtures_attacks_caught_by_rules_and_benign_rarely_flagged() -> None:
    attacks, _ = load_injection_file(FIXTURES / "attacks_tricky.jsonl")
    benign, _ = load_injection_file(FIXTURES / "benign_tricky.jsonl")
    rules_only = InjectionDetector(use_model=False)
    assert all(rules_only.score_text(t).score >= 0.5 for t in attacks)
    assert not [t for t in benign if rules_only.score_text(t).score >= 0.5]
    full = InjectionDetector()
    flagged = [t for t in benign if full.score_text(t).score >= 0.5]
    assert len(flagged) <= MAX_BENIGN_FIXTURE_FLAGGED, flagged


@pytest.mark.parametrize(
    ("path", "min_f1", "max_fpr"),
    [
        # measured 0.846 / 0.000 and 0.982 / 0.033 (2026-11-24; 0.860 / 0.018 and 0.975 / 0.033 before,
        # see docs/guardrails.md); floors catch regressions
        ("deepset-prompt-injections/test-00000-of-00001-701d16158af87368.parquet", 0.84, 0.03),
        ("jackhhao-jailbreak/balanced/jailbreak_dataset_test_balanced.csv", 0.95, 0.06),
    ],
)
def test_injection_test_splits(data_dir: Path, path: str, min_f1: float, max_fpr: float) -> None:
    texts, labels = load_injection_file(data_dir / INJECTION / path)
    report, _, _ = evaluate_injection(texts, labels)
    assert report.f1 >= min_f1
    assert report.fpr <= max_fpr


def test_pii_structured_types(data_dir: Path) -> None:
    reports, _ = evaluate_pii(load_pii_file(data_dir / "pii-presidio" / "synth_dataset_v2.json"))
    for entity in ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS"):
        assert reports[entity].precision >= 0.95, entity
        assert reports[entity].recall >= 0.95, entity
    assert reports["PERSON"].precision >= 0.9
    assert reports["STREET_ADDRESS"].precision >= 0.9


MAX_BENIGN_FIXTURE_FLAGGED = 4  # measured 3 of 40 (3 with the previous model too), all by the model alone
