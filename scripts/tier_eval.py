"""Tier accuracy of the heuristic router per labelled set: exact / within one tier, confusion, misses.

    python scripts/tier_eval.py              # per-set figures, confusion matrices, every miss with its reasons
    python scripts/tier_eval.py --summary    # per-set figures and the totals only
    python scripts/tier_eval.py --set 3      # one set (a3m, dev, 1, 2, 3, 4, s)

A miss is printed as `want -> got  complexity  query` with the verb, verb class, words and the
reasons that moved the score, so misses can be grouped by cause. The sets: the A3M author's 200
labelled queries (shared data), the developers' dev set, blind sets 1-5 and the stress set "s"
(written from the mechanisms of two-tier misses and chat-style requests; tests/fixtures/routing).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from a3m_integrations.evaluation.datasets import data_dir  # noqa: E402
from a3m_integrations.routing.base import tier_for_complexity  # noqa: E402
from a3m_integrations.signals import analyze_text  # noqa: E402
from a3m_integrations.types import TIERS  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "routing"


def sets() -> list[tuple[str, Path]]:
    return [
        ("a3m", data_dir() / "a3m-tier-labels" / "routing-benchmark-v2.queries.json"),
        ("dev", FIXTURES / "tier_dev_set.json"),
        ("1", FIXTURES / "tier_blind_set.json"),
        ("2", FIXTURES / "tier_blind_set_2.json"),
        ("3", FIXTURES / "tier_blind_set_3.json"),
        ("4", FIXTURES / "tier_blind_set_4.json"),
        ("s", FIXTURES / "tier_stress_set.json"),
        ("5", FIXTURES / "tier_blind_set_5.json"),
    ]


def rows_of(path: Path) -> list[dict[str, str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["queries"] if isinstance(data, dict) else data


def score(rows: list[dict[str, str]]) -> tuple[int, int, list[list[int]], list[tuple[dict[str, str], object, str]]]:
    """(exact, within one, confusion[want][got], misses as (row, features, got))."""
    exact = adjacent = 0
    confusion = [[0] * len(TIERS) for _ in TIERS]
    misses = []
    for row in rows:
        f = analyze_text(row["query"])
        got = tier_for_complexity(f.complexity)
        g, w = TIERS.index(got), TIERS.index(row["expected_tier"])
        confusion[w][g] += 1
        exact += g == w
        adjacent += abs(g - w) <= 1
        if g != w:
            misses.append((row, f, got))
    return exact, adjacent, confusion, misses


def _figures(name: str, exact: int, adjacent: int, n: int) -> str:
    return f"  {name:4s} {exact:4d}/{n:<4d} {exact / n:6.1%} exact   {adjacent / n:6.1%} within one"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--summary", action="store_true", help="figures only, no confusion or misses")
    ap.add_argument("--set", action="append", help="only these sets (a3m, dev, 1, 2, 3, 4, s)")
    args = ap.parse_args(argv)
    total_exact = total_adjacent = total = 0
    lines = []
    for name, path in sets():
        if args.set and name not in args.set:
            continue
        rows = rows_of(path)
        exact, adjacent, confusion, misses = score(rows)
        total_exact += exact
        total_adjacent += adjacent
        total += len(rows)
        lines.append(_figures(name, exact, adjacent, len(rows)))
        if args.summary:
            continue
        print(f"== set {name}: {exact / len(rows):.1%} / {adjacent / len(rows):.1%}  ({path.name})")
        print("   want\\got " + " ".join(f"{t:>7s}" for t in TIERS))
        for t, counts in zip(TIERS, confusion):
            print(f"   {t:8s} " + " ".join(f"{c:7d}" for c in counts))
        for row, f, got in sorted(misses, key=lambda m: (TIERS.index(m[0]["expected_tier"]), TIERS.index(m[2]))):
            print(f"   {row['expected_tier']:>7s} -> {got:7s} {f.complexity:.3f}  {row['query'][:150]!r}")
            print(
                f"       verb={f.verb} class={f.verb_class} words={f.words} q={f.questions} :: "
                + "; ".join(f.reason_strings())
            )
    print("per set (exact / within one tier):")
    print("\n".join(lines))
    if total:
        print(_figures("all", total_exact, total_adjacent, total))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
