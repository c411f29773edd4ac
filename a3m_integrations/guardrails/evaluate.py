"""Measure the guardrails on labeled data: injection F1/FPR, PII span precision/recall per type.

Used by `a3m guard eval` and the benchmarks, so both report the same numbers.

PII matching is span-level and one-to-one per entity type. A prediction matches a gold span
of the same type when they overlap ("overlap" figures) or, for the "exact" figures, when both
boundaries agree after trimming whitespace and trailing punctuation. Gold types map to ours by
`GOLD_TYPES`; `DATE_OF_BIRTH` is scored against the data set's `DATE_TIME` spans, with recall
counted only over dates that follow a birth cue (the data set labels every date, we redact
only dates of birth). Gold types we do not detect (GPE, ORGANIZATION, ...) are ignored, but a
prediction that lands on one counts as a false positive of the predicted type.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from a3m_integrations.guardrails._labeled import GoldSpan, PiiRecord
from a3m_integrations.guardrails._lazyre import LazyRegex
from a3m_integrations.guardrails.injection import InjectionDetector
from a3m_integrations.guardrails.pii import ENTITIES, PiiDetector, PiiMatch

__all__ = [
    "GOLD_TYPES",
    "BinaryReport",
    "EntityReport",
    "binary_report",
    "evaluate_injection",
    "evaluate_pii",
    "summarize_pii",
]

#: Our entity type -> the gold labels it is scored against.
GOLD_TYPES: dict[str, tuple[str, ...]] = {name: (name,) for name in ENTITIES}
GOLD_TYPES["DATE_OF_BIRTH"] = ("DATE_OF_BIRTH", "DATE_TIME")
_BIRTH_CUE = LazyRegex(r"\b(?:born|birth|dob|d\.o\.b|birthday|geboren)\b", re.IGNORECASE)
_TRIM = " \t\r\n.,;:!?\"'()[]<>"


@dataclass(frozen=True, slots=True)
class BinaryReport:
    """Binary classification figures at one threshold."""

    n: int
    positives: int
    tp: int
    fp: int
    fn: int
    tn: int
    threshold: float

    @property
    def precision(self) -> float:
        """TP / (TP + FP)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """TP / (TP + FN)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def fpr(self) -> float:
        """Share of negatives flagged: FP / (FP + TN)."""
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "positives": self.positives,
            "threshold": self.threshold,
            "f1": round(self.f1, 4),
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "fpr": round(self.fpr, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
        }


def binary_report(scores: Sequence[float], labels: Sequence[int], threshold: float) -> BinaryReport:
    """Confusion counts of `score >= threshold` against 0/1 labels."""
    tp = fp = fn = tn = 0
    for s, y in zip(scores, labels):
        flagged = s >= threshold
        if y:
            tp += flagged
            fn += not flagged
        else:
            fp += flagged
            tn += not flagged
    return BinaryReport(len(labels), sum(labels), tp, fp, fn, tn, threshold)


def evaluate_injection(
    texts: Sequence[str], labels: Sequence[int], detector: InjectionDetector | None = None, threshold: float = 0.5
) -> tuple[BinaryReport, list[float], float]:
    """Score every text as a user message; the report, the scores, and the mean ms per text."""
    detector = detector or InjectionDetector()
    scores: list[float] = []
    start = time.perf_counter()
    for text in texts:
        scores.append(detector.score_text(text).score)
    elapsed = time.perf_counter() - start
    return binary_report(scores, labels, threshold), scores, (elapsed / len(texts) * 1000 if texts else 0.0)


@dataclass
class EntityReport:
    """Span precision and recall of one entity type, overlap and exact."""

    entity: str
    predicted: int = 0
    gold: int = 0
    matched_overlap_pred: int = 0
    matched_overlap_gold: int = 0
    matched_exact: int = 0
    examples_fp: list[str] = field(default_factory=list)
    examples_fn: list[str] = field(default_factory=list)

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    @property
    def precision(self) -> float:
        """Overlap precision."""
        return self._ratio(self.matched_overlap_pred, self.predicted)

    @property
    def recall(self) -> float:
        """Overlap recall."""
        return self._ratio(self.matched_overlap_gold, self.gold)

    @property
    def exact_precision(self) -> float:
        """Exact-boundary precision."""
        return self._ratio(self.matched_exact, self.predicted)

    @property
    def exact_recall(self) -> float:
        """Exact-boundary recall."""
        return self._ratio(self.matched_exact, self.gold)

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "predicted": self.predicted,
            "gold": self.gold,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "exact_precision": round(self.exact_precision, 4),
            "exact_recall": round(self.exact_recall, 4),
        }


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _gold_for(entity: str, record: PiiRecord) -> tuple[list[GoldSpan], list[GoldSpan]]:
    """(spans predictions may match, spans recall is counted over) for one of our types."""
    labels = GOLD_TYPES.get(entity, (entity,))
    matchable = [g for g in record.spans if g.entity in labels]
    if entity != "DATE_OF_BIRTH":
        return matchable, matchable
    counted = [
        g
        for g in matchable
        if g.entity == "DATE_OF_BIRTH" or _BIRTH_CUE.search(record.text[max(0, g.start - 40) : g.start])
    ]
    return matchable, counted


def _score_record(report: EntityReport, record: PiiRecord, preds: list[PiiMatch], keep_examples: int) -> None:
    matchable, counted = _gold_for(report.entity, record)
    text = record.text
    report.predicted += len(preds)
    report.gold += len(counted)
    used_gold: set[int] = set()
    for p in preds:
        hit = next(
            (i for i, g in enumerate(matchable) if i not in used_gold and p.start < g.end and g.start < p.end), None
        )
        if hit is None:
            if len(report.examples_fp) < keep_examples:
                report.examples_fp.append(text[p.start : p.end])
            continue
        used_gold.add(hit)
        report.matched_overlap_pred += 1
        g = matchable[hit]
        if any(g is c for c in counted):
            report.matched_overlap_gold += 1
            if _trimmed(text, p.start, p.end) == _trimmed(text, g.start, g.end):
                report.matched_exact += 1
    for i, g in enumerate(matchable):
        if i not in used_gold and any(g is c for c in counted) and len(report.examples_fn) < keep_examples:
            report.examples_fn.append(text[g.start : g.end])


def evaluate_pii(
    records: Iterable[PiiRecord],
    detector: PiiDetector | None = None,
    *,
    keep_examples: int = 0,
    find: Callable[[str], list[PiiMatch]] | None = None,
) -> tuple[dict[str, EntityReport], float]:
    """Per-entity reports over `records`, and the mean detection time per record in ms."""
    detector = detector or PiiDetector()
    finder = find or detector.find
    reports = {e: EntityReport(e) for e in sorted(detector.entities)}
    elapsed = 0.0
    count = 0
    for record in records:
        start = time.perf_counter()
        preds = finder(record.text)
        elapsed += time.perf_counter() - start
        count += 1
        by_type: dict[str, list[PiiMatch]] = {e: [] for e in reports}
        for p in preds:
            if p.entity in by_type:
                by_type[p.entity].append(p)
        for entity, report in reports.items():
            _score_record(report, record, by_type[entity], keep_examples)
    return reports, (elapsed / count * 1000 if count else 0.0)


def summarize_pii(reports: Mapping[str, EntityReport]) -> list[dict[str, Any]]:
    """Reports as plain dicts, in `ENTITIES` order."""
    return [reports[e].to_dict() for e in ENTITIES if e in reports]
