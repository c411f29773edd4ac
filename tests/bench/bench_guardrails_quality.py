"""Guardrail quality on real labeled data, beside a plain regex-list baseline.

Injection (threshold 0.5, every text scored as a user message):
- deepset/prompt-injections TEST split (116 rows, partly German);
- jackhhao/jailbreak-classification balanced TEST split (262 rows);
- jackhhao full/default file minus every row whose prompt is in its train split (about 258 of
  what is left are also in the balanced test split; it is the same source, so it checks
  consistency rather than transfer);
- two hand-written fixtures: tricky-but-harmless prompts and obfuscated/indirect attacks.
Each is scored by the shipped detector (model + rules), the model alone, the rules alone and
the baseline (17 regexes). Cross-validation figures on the train splits, stored in the model
file by scripts/train_injection.py, are printed beside the test figures.

Benign false-positive rates (threshold 0.5) on ordinary prompts no training step reads: the
A3M tier queries (200, `a3m-tier-labels/routing-benchmark-v2.queries.json`), the four routing
fixture sets (dev and blind 1-3 in `tests/fixtures/routing/`, 720 prompts) and the 40 tricky-benign prompts;
model alone and combined detector, beside a previous model file when `--compare-model` names one.

PII: Presidio's synth_dataset_v2.json (1,000 sentences), span precision/recall per entity
(overlap and exact boundaries; see a3m_integrations/guardrails/evaluate.py), beside the
baseline's five regexes.

    python tests/bench/bench_guardrails_quality.py [--json] [--compare-model OLD.npz]
Targets (issue 6): F1 >= 0.90 on deepset test and jackhhao balanced test, FPR <= 5% on their
benign rows; PII structured types (email, phone, card, IBAN, SSN, IP) >= 0.95 precision and recall.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _guard_baseline as baseline  # noqa: E402

from a3m_integrations.evaluation.datasets import data_dir  # noqa: E402
from a3m_integrations.guardrails._labeled import load_injection_file, load_pii_file  # noqa: E402
from a3m_integrations.guardrails._model import InjectionModel, load_default_model  # noqa: E402
from a3m_integrations.guardrails.evaluate import binary_report, evaluate_pii  # noqa: E402
from a3m_integrations.guardrails.injection import InjectionDetector  # noqa: E402
from a3m_integrations.guardrails.pii import PiiDetector, PiiMatch  # noqa: E402

STRUCTURED = ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS")
FIXTURES = ROOT / "tests" / "fixtures" / "guardrails"
ROUTING = ROOT / "tests" / "fixtures" / "routing"
#: The routing sets held out from the guardrail's training lists. Later sets (blind 4-5, stress)
#: were written after those lists and share a greeting and a few phrases with them, so they are
#: not guardrail held-out data.
GUARD_HELD_OUT_ROUTING = ("tier_blind_set.json", "tier_blind_set_2.json", "tier_blind_set_3.json", "tier_dev_set.json")


def injection_sets() -> dict[str, tuple[list[str], list[int]]]:
    d = data_dir() / "guardrail-injection"
    deepset = load_injection_file(d / "deepset-prompt-injections/test-00000-of-00001-701d16158af87368.parquet")
    jb_test = load_injection_file(d / "jackhhao-jailbreak/balanced/jailbreak_dataset_test_balanced.csv")
    jb_train, _ = load_injection_file(d / "jackhhao-jailbreak/balanced/jailbreak_dataset_train_balanced.csv")
    full_texts, full_labels = load_injection_file(d / "jackhhao-jailbreak/default/jailbreak_dataset_full.csv")
    seen = set(jb_train)
    kept = [(t, y) for t, y in zip(full_texts, full_labels) if t not in seen]
    benign = load_injection_file(FIXTURES / "benign_tricky.jsonl")
    attacks = load_injection_file(FIXTURES / "attacks_tricky.jsonl")
    return {
        "deepset test": deepset,
        "jackhhao balanced test": jb_test,
        "jackhhao full minus train": ([t for t, _ in kept], [y for _, y in kept]),
        "fixture: tricky benign": benign,
        "fixture: tricky attacks": attacks,
    }


def score_injection() -> dict[str, Any]:
    full = InjectionDetector()
    rules = InjectionDetector(use_model=False)
    model = load_default_model()
    out: dict[str, Any] = {}
    print("injection (threshold 0.5)")
    print(f"{'set':<28} {'scorer':<10} {'n':>5} {'F1':>6} {'prec':>6} {'recall':>6} {'FPR':>6}")
    for name, (texts, labels) in injection_sets().items():
        rows: dict[str, Any] = {}
        scored = [full.score_text(t) for t in texts]
        scorers = {
            "ours": [s.score for s in scored],
            "model": [s.model_probability for s in scored],
            "rules": [rules.score_text(t).score for t in texts],
            "baseline": [baseline.injection_score(t) for t in texts],
        }
        for scorer, scores in scorers.items():
            report = binary_report(scores, labels, 0.5)
            rows[scorer] = report.to_dict()
            f1 = f"{report.f1:6.3f}" if report.positives else "     -"
            rec = f"{report.recall:6.3f}" if report.positives else "     -"
            fpr = f"{report.fpr:6.3f}" if report.n > report.positives else "     -"
            prec = f"{report.precision:6.3f}" if report.positives else "     -"
            print(f"{name:<28} {scorer:<10} {report.n:>5} {f1} {prec} {rec} {fpr}")
        out[name] = rows
    meta = model.meta
    print("cross-validation on the train splits (5 folds; from the model file):")
    for part in ("cv_model", "cv_combined"):
        for source, m in meta.get(part, {}).items():
            print(
                f"  {part:<12} {source:<9} F1 {m['f1']:.3f} precision {m['precision']:.3f} "
                f"recall {m['recall']:.3f} FPR {m['fpr']:.3f}"
            )
    out["cv"] = {k: meta.get(k) for k in ("cv_model", "cv_combined", "params")}
    for name in ("deepset test", "jackhhao balanced test"):
        r = out[name]["ours"]
        ok = r["f1"] >= 0.90 and r["fpr"] <= 0.05
        print(f"target {name}: F1 {r['f1']:.3f} (>= 0.90), FPR {r['fpr']:.3f} (<= 0.05): {'met' if ok else 'MISSED'}")
    return out


def benign_sets() -> dict[str, list[str]]:
    """Ordinary prompts, all benign, that no training step reads."""
    tier = json.loads((data_dir() / "a3m-tier-labels" / "routing-benchmark-v2.queries.json").read_text())
    out = {"A3M tier queries": [q["query"] for q in tier]}
    routing: list[str] = []
    for path in (ROUTING / name for name in GUARD_HELD_OUT_ROUTING):
        queries = [q["query"] for q in json.loads(path.read_text())["queries"]]
        out[f"routing {path.stem}"] = queries
        routing += queries
    out["routing fixtures (all 4)"] = routing
    out["fixture: tricky benign"] = load_injection_file(FIXTURES / "benign_tricky.jsonl")[0]
    return out


def score_benign(compare: Path | None) -> dict[str, Any]:
    """False-positive rates at 0.5 of the model alone and the combined detector (rules + model)."""
    detectors = {"shipped": InjectionDetector()}
    if compare is not None:
        detectors["previous"] = InjectionDetector(model=InjectionModel.load(compare))
    out: dict[str, Any] = {}
    print("\nbenign false-positive rate (threshold 0.5; every prompt is benign)")
    print(f"{'set':<32} {'n':>5} " + " ".join(f"{k + ' model':>16} {k + ' combined':>19}" for k in detectors))
    for name, texts in benign_sets().items():
        row: dict[str, Any] = {"n": len(texts)}
        cells = []
        for key, det in detectors.items():
            scored = [det.score_text(t) for t in texts]
            model_fp = sum(s.model_probability >= 0.5 for s in scored)
            comb_fp = sum(s.score >= 0.5 for s in scored)
            row[key] = {"model_fpr": model_fp / len(texts), "combined_fpr": comb_fp / len(texts)}
            row[key]["flagged"] = [t for t, s in zip(texts, scored) if s.score >= 0.5]
            cells.append(f"{model_fp:>5} ({model_fp / len(texts):6.3f})   {comb_fp:>5} ({comb_fp / len(texts):6.3f})  ")
        print(f"{name:<32} {len(texts):>5} " + " ".join(cells))
        out[name] = row
    chat = [("user", "hello"), ("assistant", "Hi! How can I help?"), ("user", "how are you?")]
    for key, det in detectors.items():
        print(f"{key}: chat 'hello' / 'Hi! How can I help?' / 'how are you?' scores {det.score_messages(chat)[0]:.3f}")
    return out


def score_pii() -> dict[str, Any]:
    records = load_pii_file(data_dir() / "pii-presidio" / "synth_dataset_v2.json")
    ours, ms = evaluate_pii(records, PiiDetector())

    def base_find(text: str) -> list[PiiMatch]:
        return [PiiMatch(e, s, t, 1.0) for e, s, t in baseline.pii_spans(text)]

    base, _ = evaluate_pii(records, PiiDetector(STRUCTURED), find=base_find)
    print(f"\nPII on {len(records)} Presidio sentences ({ms:.3f} ms per sentence)")
    print(
        f"{'entity':<15} {'gold':>5} {'pred':>5} {'prec':>6} {'recall':>6} {'exactP':>6} {'exactR':>6}   baseline P/R"
    )
    out: dict[str, Any] = {"ours": {}, "baseline": {}}
    for entity, r in ours.items():
        b = base.get(entity)
        base_txt = f"{b.precision:.3f}/{b.recall:.3f}" if b is not None and entity in STRUCTURED else "-"
        print(
            f"{entity:<15} {r.gold:>5} {r.predicted:>5} {r.precision:>6.3f} {r.recall:>6.3f} "
            f"{r.exact_precision:>6.3f} {r.exact_recall:>6.3f}   {base_txt}"
        )
        out["ours"][entity] = r.to_dict()
        if b is not None and entity in STRUCTURED:
            out["baseline"][entity] = b.to_dict()
    worst = min(min(ours[e].precision, ours[e].recall) for e in STRUCTURED)
    verdict = "met" if worst >= 0.95 else "MISSED"
    print(f"target: structured types >= 0.95 precision and recall: worst {worst:.3f}, {verdict}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description="guardrail quality on labeled data")
    ap.add_argument("--json", action="store_true", help="also print all figures as JSON")
    ap.add_argument("--compare-model", type=Path, help="a previous injection model file to score the benign sets with")
    ap.add_argument("--benign-only", action="store_true", help="only the benign false-positive section")
    args = ap.parse_args()
    if args.benign_only:
        result = {"benign": score_benign(args.compare_model)}
    else:
        result = {"injection": score_injection(), "benign": score_benign(args.compare_model), "pii": score_pii()}
    if args.json:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
