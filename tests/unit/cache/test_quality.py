"""The fixture's promise: no false hit, and most paraphrases served (dev and held-out splits)."""

from __future__ import annotations

import pytest

from tests.unit.cache.quality import evaluate, load_pairs


def test_fixture_size_and_split() -> None:
    traps, paras = load_pairs("traps"), load_pairs("paraphrases")
    assert len(traps) >= 100 and len(paras) >= 100
    assert {p["split"] for p in traps + paras} == {"dev", "holdout"}
    assert len({p["a"] for p in traps + paras}) == len(traps) + len(paras)  # every stored prompt distinct


@pytest.mark.parametrize("split", ["dev", "holdout"])
def test_no_false_hits_and_paraphrases_hit(split: str) -> None:
    q = evaluate(split)
    assert q.trap_false_hits == []
    assert q.paraphrase_wrong_hits == []
    assert q.hit_rate >= 0.60, f"{split}: {q.paraphrase_hits}/{q.paraphrases}"


def test_facets_mode_with_default_embedder_also_has_no_false_hits() -> None:
    q = evaluate(None, guard="facets")
    assert q.false_hits == 0
    assert q.hit_rate >= 0.60


def test_low_threshold_shows_the_guards_doing_the_work() -> None:
    q = evaluate(None, threshold=0.5)
    assert q.false_hits == 0  # similarity alone would let traps through at 0.5; the guards stop them
    assert sum(q.rejected.values()) > 50
