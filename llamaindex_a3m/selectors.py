"""A3MSelector: picks query-engine tools for `RouterQueryEngine` by the core's signals, with no LLM call.

Each choice's name and description, and the query, are read by `a3m_integrations.signals`
(specialist domain, task) and by their content words (light stems, stop words dropped). A
choice scores

    0.40 x domain overlap + 0.50 x keyword overlap + 0.10 x shared task

where domain overlap is the shared share of the two texts' domain strengths, keyword overlap the
share of the query's content stems found in the choice, and a shared task one of code, math,
extraction, creative, multilingual or reasoning. Where a learned scorer is configured (a callable,
or a quality model trained with the choices' names as its "models": anything with `predict` and
`models`, like the core's learned routers), its score in [0, 1] is blended in by
`learned_weight`. The best choice is always selected; with `max_outputs > 1` so is every other
choice within `margin` of it. Each selection's reason says what matched.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from llama_index.core.base.base_selector import BaseSelector, SelectorResult, SingleSelection
from llama_index.core.prompts.mixin import PromptDictType
from llama_index.core.schema import QueryBundle
from llama_index.core.tools.types import ToolMetadata

from a3m_integrations.errors import ConfigError
from a3m_integrations.signals import Features, analyze_text
from llamaindex_a3m.embeddings import content_words, stem

__all__ = ["DEFAULT_SELECTOR_WEIGHTS", "A3MSelector", "ChoiceScore"]

#: Weights of the three signals (they sum to 1, so a score stays within [0, 1]).
DEFAULT_SELECTOR_WEIGHTS: dict[str, float] = {"domain": 0.40, "keywords": 0.50, "task": 0.10}
_TASKS = frozenset({"code", "math", "extraction", "creative", "multilingual", "reasoning"})

LearnedScorer = Callable[[str, Sequence[str]], Sequence[float]]


@dataclass(frozen=True, slots=True)
class _Reading:
    """What the signals read off one text."""

    domains: Mapping[str, float]
    tasks: frozenset[str]
    stems: Mapping[str, str]  # light stem -> the first word it came from


@dataclass(frozen=True, slots=True)
class ChoiceScore:
    """One choice's score and what made it."""

    index: int
    score: float
    domains: tuple[str, ...]
    keywords: tuple[str, ...]
    tasks: tuple[str, ...]
    learned: float | None

    def reason(self, name: str) -> str:
        """A one-line reason for selecting this choice."""
        parts = []
        if self.domains:
            parts.append(f"domain {', '.join(self.domains)}")
        if self.keywords:
            parts.append(f"keywords {', '.join(self.keywords[:5])}")
        if self.tasks:
            parts.append(f"task {', '.join(self.tasks)}")
        if self.learned is not None:
            parts.append(f"learned {self.learned:.2f}")
        matched = "; ".join(parts) or "no signal matched"
        return f"{name}: {matched} (score {self.score:.2f})"


def _read(features: Features, text: str) -> _Reading:
    total = sum(s for _, s in features.domains) or 1.0
    return _Reading(
        domains={d: s / total for d, s in features.domains},
        tasks=frozenset(features.tasks) & _TASKS,
        stems={stem(w): w for w in reversed(content_words(text.replace("_", " ")))},
    )


def _learned_scores(scorer: Any, query: str, names: Sequence[str]) -> list[float] | None:
    """The learned scorer's scores for `names` (None when it knows none of them)."""
    if hasattr(scorer, "predict") and hasattr(scorer, "models"):
        column = {str(m): i for i, m in enumerate(scorer.models)}
        if not column.keys() & set(names):
            return None
        row = scorer.predict([query])[0]
        return [float(row[column[n]]) if n in column else 0.0 for n in names]
    scores = [float(s) for s in scorer(query, names)]
    if len(scores) != len(names):
        raise ConfigError(f"the learned scorer returned {len(scores)} scores for {len(names)} choices", field="scorer")
    return scores


class A3MSelector(BaseSelector):
    """Selects query-engine tools by domain, keywords and task (and a learned scorer), without an LLM.

    Args:
        max_outputs: most choices to select; 1 gives a single selection.
        margin: with `max_outputs > 1`, also select choices scoring within this of the best.
        scorer: optional learned scorer: `f(query, names) -> scores in [0, 1]`, or an object with
            `predict([query]) -> (1, m)` and `models` (the choices' names).
        learned_weight: share of the final score given to the learned scorer.
        weights: overrides of DEFAULT_SELECTOR_WEIGHTS.
        default_index: the choice taken when no signal matches any choice.
    """

    def __init__(
        self,
        *,
        max_outputs: int = 1,
        margin: float = 0.15,
        scorer: LearnedScorer | Any = None,
        learned_weight: float = 0.5,
        weights: Mapping[str, float] | None = None,
        default_index: int = 0,
    ) -> None:
        unknown = set(weights or {}) - set(DEFAULT_SELECTOR_WEIGHTS)
        if unknown:
            raise ConfigError(f"unknown selector weight(s) {sorted(unknown)}", field="weights")
        if max_outputs < 1:
            raise ConfigError("max_outputs must be 1 or more", field="max_outputs")
        if not 0.0 <= learned_weight <= 1.0 or not 0.0 <= margin <= 1.0:
            raise ConfigError("learned_weight and margin must be within [0, 1]", field="learned_weight")
        self.max_outputs = max_outputs
        self.margin = margin
        self.scorer = scorer
        self.learned_weight = learned_weight if scorer is not None else 0.0
        self.weights = {**DEFAULT_SELECTOR_WEIGHTS, **(weights or {})}
        self.default_index = default_index
        self._readings: dict[str, _Reading] = {}

    def _get_prompts(self) -> PromptDictType:
        """No prompts: the selector makes no LLM call."""
        return {}

    def _update_prompts(self, prompts: PromptDictType) -> None:
        """No prompts to update: the selector makes no LLM call."""

    def _reading(self, text: str) -> _Reading:
        found = self._readings.get(text)
        if found is None:
            found = self._readings[text] = _read(analyze_text(text), text)
        return found

    def rank(self, choices: Sequence[ToolMetadata], query: str) -> list[ChoiceScore]:
        """Every choice's score for `query`, best first (ties keep the choices' order)."""
        q = _read(analyze_text(query), query)
        names = [c.name or f"choice {i}" for i, c in enumerate(choices)]
        learned = _learned_scores(self.scorer, query, names) if self.scorer is not None else None
        w = self.weights
        out = []
        for i, choice in enumerate(choices):
            c = self._reading(f"{choice.name or ''} {choice.description}")
            shared = sorted(q.domains.keys() & c.domains.keys())
            domain = sum(min(q.domains[d], c.domains[d]) for d in shared)
            keywords = sorted(q.stems[k] for k in q.stems.keys() & c.stems.keys())
            keyword = len(keywords) / len(q.stems) if q.stems else 0.0
            tasks = sorted(q.tasks & c.tasks)
            score = w["domain"] * domain + w["keywords"] * keyword + w["task"] * (1.0 if tasks else 0.0)
            mine = learned[i] if learned is not None else None
            if mine is not None:
                score = (1.0 - self.learned_weight) * score + self.learned_weight * mine
            out.append(ChoiceScore(i, round(score, 4), tuple(shared), tuple(keywords), tuple(tasks), mine))
        return sorted(out, key=lambda s: (-s.score, s.index))

    def _decide(self, choices: Sequence[ToolMetadata], query: QueryBundle) -> SelectorResult:
        if not choices:
            raise ConfigError("the selector was given no choices", field="choices")
        ranked = self.rank(choices, query.query_str)
        best = ranked[0]
        if best.score <= 0.0:
            index = min(max(self.default_index, 0), len(choices) - 1)
            name = choices[index].name or f"choice {index}"
            reason = f"{name}: no signal matched; default"
            return SelectorResult(selections=[SingleSelection(index=index, reason=reason)])
        picked = [s for s in ranked if s.score > 0.0 and best.score - s.score <= self.margin][: self.max_outputs]
        return SelectorResult(
            selections=[
                SingleSelection(index=s.index, reason=s.reason(choices[s.index].name or f"choice {s.index}"))
                for s in picked
            ]
        )

    def _select(self, choices: Sequence[ToolMetadata], query: QueryBundle) -> SelectorResult:
        return self._decide(choices, query)

    async def _aselect(self, choices: Sequence[ToolMetadata], query: QueryBundle) -> SelectorResult:
        return self._decide(choices, query)
