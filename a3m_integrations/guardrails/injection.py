"""Prompt-injection scoring: rules and a small model, combined, over every message of a request.

Score of one text (in [0, 1]), a noisy-OR of independent pieces of evidence:

    score = 1 - (1 - p_model) * prod over fired rules r of (1 - w_r)

`p_model` is the calibrated probability of the shipped classifier (`_model.py`); `w_r` is a
rule's weight (`_rules.py`), including the obfuscation tricks normalisation found. Each rule
counts once per text. A request's score is the highest role-weighted message score:

    request_score = max over messages i of role_weight[role_i] * score_i

Default role weights: user 1.0 (written by whoever sends the request), tool 1.0 (tool results,
fetched pages and retrieved documents are where indirect injections hide; the attacker writes
them, so they get full weight), assistant 0.5 (earlier model turns are not attacker-written
but can echo injected text, so only strong evidence counts), system 0.0 (written by the
application's developer and trusted: system prompts routinely say "you are X, never reveal
these instructions", which would otherwise look like an attack). Applications that paste
retrieved documents into the system message should raise the system weight.

Long texts are scored in windows of `WINDOW_CHARS`; beyond `MAX_WINDOWS` windows the head, the
tail and evenly spaced windows between are scored, and a finding `input.sampled` says so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from a3m_integrations.guardrails._features import analyze, word_keys
from a3m_integrations.guardrails._model import InjectionModel, load_default_model
from a3m_integrations.guardrails._rules import OBFUSCATION_WEIGHTS, match_rules
from a3m_integrations.guardrails._text import normalize, sanitize
from a3m_integrations.guardrails.base import Finding

__all__ = [
    "DEFAULT_ROLE_WEIGHTS",
    "MAX_WINDOWS",
    "WINDOW_CHARS",
    "InjectionDetector",
    "TextScore",
    "combine",
]

DEFAULT_ROLE_WEIGHTS: Mapping[str, float] = {"user": 1.0, "tool": 1.0, "assistant": 0.5, "system": 0.0}
WINDOW_CHARS = 16_384
WINDOW_OVERLAP = 512
MAX_WINDOWS = 16


def combine(model_probability: float, rule_weights: Iterable[float]) -> float:
    """Noisy-OR of the model's probability and the weights of the rules that fired."""
    keep = 1.0 - min(max(model_probability, 0.0), 1.0)
    for w in rule_weights:
        keep *= 1.0 - min(max(w, 0.0), 1.0)
    return 1.0 - keep


@dataclass(frozen=True, slots=True)
class TextScore:
    """The verdict on one text: combined score, the model's part, and the rules that fired."""

    score: float
    model_probability: float
    rules: tuple[tuple[str, float], ...] = ()
    sampled: bool = False


def _windows(text: str) -> tuple[list[str], bool]:
    if len(text) <= WINDOW_CHARS:
        return [text], False
    step = WINDOW_CHARS - WINDOW_OVERLAP
    starts = list(range(0, len(text) - WINDOW_OVERLAP, step))
    if len(starts) <= MAX_WINDOWS:
        return [text[s : s + WINDOW_CHARS] for s in starts], False
    last = len(text) - WINDOW_CHARS
    picks = [round(i * last / (MAX_WINDOWS - 1)) for i in range(MAX_WINDOWS)]
    return [text[s : s + WINDOW_CHARS] for s in picks], True


@dataclass
class InjectionDetector:
    """Scores texts and requests for prompt injection; see the module docstring for the formula.

    Args:
        model: the classifier; None loads the shipped one on first use. `use_model=False`
            scores with rules alone.
        role_weights: multiplier per message role (missing roles count 1.0).
    """

    model: InjectionModel | None = None
    use_model: bool = True
    role_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_ROLE_WEIGHTS))

    def _model(self) -> InjectionModel | None:
        if not self.use_model:
            return None
        if self.model is None:
            self.model = load_default_model()
        return self.model

    def score_text(self, text: object) -> TextScore:
        """Score one text (any object; see `_text.sanitize`)."""
        clean, _ = sanitize(text)
        if not clean.strip():
            return TextScore(0.0, 0.0)
        model = self._model()
        windows, sampled = _windows(clean)
        best = TextScore(-1.0, 0.0)
        for window in windows:
            norm = normalize(window)
            if model is not None:
                ids, keys = analyze(norm.text, model.bits)
                p = model.probability_of(ids)
            else:
                keys, p = word_keys(norm.text), 0.0
            rules = [(r.name, r.weight) for r in match_rules(norm.text, keys.tolist())]
            rules += [(f"obfuscation.{f}", OBFUSCATION_WEIGHTS[f]) for f in sorted(norm.flags)]
            score = combine(p, (w for _, w in rules))
            if score > best.score:
                best = TextScore(score, p, tuple(rules), sampled)
        return best

    def score_messages(self, texts: Sequence[tuple[str, object]]) -> tuple[float, list[Finding]]:
        """Score (role, text) pairs; the request score and one finding per fired rule per message.

        The model's own contribution is reported as the finding `model.classifier` when its
        probability alone is at least 0.5.
        """
        top = 0.0
        findings: list[Finding] = []
        for index, (role, text) in enumerate(texts):
            weight = float(self.role_weights.get(role, 1.0))
            if weight <= 0.0:
                continue
            result = self.score_text(text)
            top = max(top, weight * result.score)
            for name, w in result.rules:
                findings.append(Finding(name, "injection", round(weight * w, 4), message_index=index))
            if result.model_probability >= 0.5:
                findings.append(
                    Finding("model.classifier", "injection", round(weight * result.model_probability, 4), index)
                )
            if result.sampled:
                findings.append(Finding("input.sampled", "other", 0.0, message_index=index))
        return (0.0 if math.isnan(top) else top), findings
