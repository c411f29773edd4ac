"""A3MSelector: tool selection by signals and keywords (and a learned scorer), without an LLM."""

from __future__ import annotations

import numpy as np
import pytest
from llama_index.core.base.base_selector import MultiSelection
from llama_index.core.tools.types import ToolMetadata

from a3m_integrations.errors import ConfigError
from llamaindex_a3m import A3MSelector

CHOICES = [
    ToolMetadata(
        name="legal_notes",
        description="Legal notes: contracts, liability, non-compete clauses, statutes of limitation, tenancy law.",
    ),
    ToolMetadata(
        name="cooking_notes",
        description="Cooking notes: recipes, baking bread and sourdough, roasting vegetables, kitchen techniques.",
    ),
]
LEGAL = [
    "Can my employer enforce a non-compete clause after I resign?",
    "How many years do I have to sue for breach of contract?",
    "Who carries liability when a contract is broken?",
]
COOKING = [
    "How long should I bake sourdough bread?",
    "What temperature is best for roasting vegetables?",
    "Give me a recipe for a quick weeknight dinner",
]


@pytest.mark.parametrize(("query", "expected"), [(q, 0) for q in LEGAL] + [(q, 1) for q in COOKING])
def test_each_query_goes_to_its_tool(query: str, expected: int) -> None:
    result = A3MSelector().select(CHOICES, query)
    assert isinstance(result, MultiSelection)
    assert result.inds == [expected]
    assert result.reason.startswith(CHOICES[expected].name or "")


def test_reasons_say_what_matched() -> None:
    legal = A3MSelector().select(CHOICES, LEGAL[0]).reason
    assert "domain legal" in legal and "non-compete" in legal
    cooking = A3MSelector().select(CHOICES, COOKING[0]).reason
    assert "keywords bake, bread, sourdough" in cooking


def test_no_signal_takes_the_default_choice() -> None:
    result = A3MSelector(default_index=1).select(CHOICES, "hello there")
    assert result.inds == [1] and "no signal matched" in result.reason


def test_multi_selection_within_the_margin() -> None:
    both = "What does contract law say about recipes and baking bread?"
    ranked = A3MSelector().rank(CHOICES, both)
    assert all(r.score > 0 for r in ranked) and ranked[0].score > ranked[1].score
    assert A3MSelector().select(CHOICES, both).inds == [ranked[0].index]  # one by default
    multi = A3MSelector(max_outputs=2, margin=1.0).select(CHOICES, both)
    assert multi.inds == [ranked[0].index, ranked[1].index] and len(multi.reasons) == 2
    assert A3MSelector(max_outputs=2, margin=0.0).select(CHOICES, both).inds == [ranked[0].index]


def test_learned_callable_scorer_is_blended_in() -> None:
    calls: list[tuple[str, tuple[str, ...]]] = []

    def scorer(query: str, names: tuple[str, ...]) -> list[float]:
        calls.append((query, tuple(names)))
        return [1.0 if n == "cooking_notes" else 0.0 for n in names]

    result = A3MSelector(scorer=scorer, learned_weight=0.9).select(CHOICES, LEGAL[0])
    assert result.inds == [1] and "learned 1.00" in result.reason
    assert calls == [(LEGAL[0], ("legal_notes", "cooking_notes"))]
    assert A3MSelector(scorer=scorer, learned_weight=0.1).select(CHOICES, LEGAL[0]).inds == [0]


class _RouteModel:
    """A quality model over route names: predict(queries) -> (n, m), like the core's learned routers."""

    models = ("cooking_notes", "other_route")

    def predict(self, queries: list[str]) -> np.ndarray:
        return np.array([[0.9, 0.1] for _ in queries])


def test_learned_quality_model_scores_by_column_name() -> None:
    result = A3MSelector(scorer=_RouteModel(), learned_weight=0.8).select(CHOICES, "hello")
    assert result.inds == [1]
    ranked = A3MSelector(scorer=_RouteModel(), learned_weight=0.8).rank(CHOICES, "hello")
    assert [r.learned for r in sorted(ranked, key=lambda r: r.index)] == [0.0, pytest.approx(0.9)]


def test_bad_settings_and_scorers_are_config_errors() -> None:
    with pytest.raises(ConfigError):
        A3MSelector(max_outputs=0)
    with pytest.raises(ConfigError):
        A3MSelector(weights={"vibes": 1.0})
    with pytest.raises(ConfigError, match="scores"):
        A3MSelector(scorer=lambda q, names: [0.5]).select(CHOICES, "x")
    with pytest.raises(ConfigError, match="no choices"):
        A3MSelector().select([], "x")


def test_no_prompts_and_async_gives_the_same_answer() -> None:
    import asyncio

    selector = A3MSelector()
    assert selector.get_prompts() == {}
    selector.update_prompts({})
    sync = selector.select(CHOICES, COOKING[1])
    assert asyncio.run(selector.aselect(CHOICES, COOKING[1])) == sync
