"""Guardrail speed: p50/p99 per 1 KB message for injection scoring + PII redaction together.

Messages are 1,024-character cuts of real text: jailbreak and benign prompts (jackhhao),
deepset prompts joined, and Presidio's PII sentences joined (dense with emails, cards, phones).
Each is checked by (a) the detectors (normalise + rules + model, then PII find + redact), and
(b) the whole GuardrailEngine.check on a one-message request (policy, findings, new request),
beside a baseline: a plain list of 17 injection regexes plus 5 PII regexes, as in the original.
Warm-up runs first (model load, regex compile); timings are per message, repeated.

    python tests/bench/bench_guardrails.py [--n 300] [--repeat 3]
Target (issue 6): <= 0.5 ms p50 per 1 KB message for injection + PII together.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _guard_baseline as baseline  # noqa: E402

from a3m_integrations.evaluation.datasets import data_dir  # noqa: E402
from a3m_integrations.guardrails.engine import GuardrailEngine  # noqa: E402
from a3m_integrations.guardrails.injection import InjectionDetector  # noqa: E402
from a3m_integrations.guardrails.pii import PiiDetector, Placeholders, redact_text  # noqa: E402
from a3m_integrations.types import ChatRequest, Message, RequestContext  # noqa: E402

TARGET_P50_MS = 0.5
SIZE = 1024


def _cuts(texts: list[str], n: int) -> list[str]:
    """`n` messages of exactly SIZE characters from `texts`, joined where they are short."""
    out: list[str] = []
    buf = ""
    for text in texts * 4:
        buf = f"{buf} {text}".strip()
        while len(buf) >= SIZE and len(out) < n:
            out.append(buf[:SIZE])
            buf = buf[SIZE:]
        if len(out) >= n:
            break
    return out


def corpus(n: int) -> dict[str, list[str]]:
    from a3m_integrations.guardrails._labeled import load_injection_file

    d = data_dir()
    jb_texts, jb_labels = load_injection_file(
        d / "guardrail-injection/jackhhao-jailbreak/balanced/jailbreak_dataset_test_balanced.csv"
    )
    ds_texts, _ = load_injection_file(
        d / "guardrail-injection/deepset-prompt-injections/test-00000-of-00001-701d16158af87368.parquet"
    )
    pii = [r["full_text"] for r in json.loads((d / "pii-presidio/synth_dataset_v2.json").read_text())]
    third = max(1, n // 4)
    return {
        "jailbreak prompts": _cuts([t for t, y in zip(jb_texts, jb_labels) if y], third),
        "benign prompts": _cuts([t for t, y in zip(jb_texts, jb_labels) if not y], third),
        "deepset prompts": _cuts(ds_texts, third),
        "PII-dense text": _cuts(pii, third),
    }


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p50 = ordered[len(ordered) // 2]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return p50, p99, statistics.fmean(ordered)


def time_each(fn: Callable[[str], object], messages: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of every call (CPU time is steadier on a shared machine)."""
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(repeat):
        for text in messages:
            w0, c0 = time.perf_counter(), time.process_time()
            fn(text)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
    return wall, cpu


def main() -> int:
    ap = argparse.ArgumentParser(description="guardrail speed per 1 KB message")
    ap.add_argument("--n", type=int, default=300, help="messages (split over four kinds)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    kinds = corpus(args.n)
    everything = [m for msgs in kinds.values() for m in msgs]

    detector = InjectionDetector()
    pii = PiiDetector()
    engine = GuardrailEngine()
    context = RequestContext(request_id="bench")

    def ours(text: str) -> None:
        detector.score_text(text)
        redact_text(text, pii.find(text), Placeholders())

    def ours_injection(text: str) -> None:
        detector.score_text(text)

    def ours_pii(text: str) -> None:
        redact_text(text, pii.find(text), Placeholders())

    def ours_engine(text: str) -> None:
        engine.check(ChatRequest(messages=(Message.user(text),)), context)

    def base(text: str) -> None:
        baseline.injection_score(text)
        baseline.pii_redact(text)

    for fn in (ours, ours_engine, base):  # warm-up: model load, regex compile
        for text in everything[:20]:
            fn(text)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"guardrails speed: {len(everything)} messages of {SIZE} chars x {args.repeat} repeats")
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} (wall times stretch under load; CPU times less)")
    print(f"{'what':<40} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8} {'cpu p50':>8} {'cpu p99':>8}")
    rows = [
        ("ours: injection + PII (detectors)", ours, everything),
        ("ours: GuardrailEngine.check", ours_engine, everything),
        ("ours: injection only", ours_injection, everything),
        ("ours: PII only", ours_pii, everything),
        ("baseline: 17 regexes + 5 PII regexes", base, everything),
    ]
    rows += [(f"ours, {kind}", ours, msgs) for kind, msgs in kinds.items()]
    results: dict[str, tuple[float, float]] = {}
    for label, fn, msgs in rows:
        wall, cpu = time_each(fn, msgs, args.repeat)
        p50, p99, mean = percentiles(wall)
        c50, c99, _ = percentiles(cpu)
        results[label] = (p50, c50)
        print(f"{label:<40} {p50:>8.3f} {p99:>8.3f} {mean:>8.3f} {c50:>8.3f} {c99:>8.3f}")
    ours = results["ours: injection + PII (detectors)"]
    base = results["baseline: 17 regexes + 5 PII regexes"]
    print(f"ratio ours/baseline (p50): wall {ours[0] / base[0]:.1f}x, cpu {ours[1] / base[1]:.1f}x")
    for what, value in (("wall", ours[0]), ("cpu", ours[1])):
        verdict = "met" if value <= TARGET_P50_MS else "MISSED"
        print(
            f"target: p50 <= {TARGET_P50_MS} ms per 1 KB message (injection + PII), {what}: {value:.3f} ms, {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
