"""Quality evaluation of the semantic cache on the trap/paraphrase fixture (used by tests and the benchmark)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from a3m_integrations.cache import RoutePolicy, SemanticCache
from a3m_integrations.types import ChatRequest, ChatResponse, Message, RequestContext

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "cache"


def load_pairs(name: str) -> list[dict[str, str]]:
    with (FIXTURES / f"{name}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass
class Quality:
    traps: int = 0
    trap_false_hits: list[dict[str, Any]] = field(default_factory=list)
    paraphrases: int = 0
    paraphrase_hits: int = 0
    paraphrase_wrong_hits: list[dict[str, Any]] = field(default_factory=list)
    rejected: dict[str, int] = field(default_factory=dict)

    @property
    def hit_rate(self) -> float:
        return self.paraphrase_hits / self.paraphrases if self.paraphrases else 0.0

    @property
    def false_hits(self) -> int:
        return len(self.trap_false_hits) + len(self.paraphrase_wrong_hits)


def evaluate(
    split: str | None = None, *, embedder: Any = None, threshold: float = 0.92, guard: str = "strict"
) -> Quality:
    """Store every `a` of both files in one cache, look up every `b` (of `split`, or all), and score."""
    traps, paras = load_pairs("traps"), load_pairs("paraphrases")
    cache = SemanticCache(embedder=embedder, policy=RoutePolicy(threshold=threshold, guard=guard))  # type: ignore[arg-type]
    ctx = RequestContext(user="eval")
    owner: dict[str, str] = {}

    def request(text: str) -> ChatRequest:
        return ChatRequest(messages=(Message.user(text),), model="m")

    for pair in [*traps, *paras]:
        cache.store(request(pair["a"]), ctx, ChatResponse(message=Message.assistant(f"answer {pair['id']}"), model="m"))
        owner[f"answer {pair['id']}"] = pair["id"]
    q = Quality()
    for pair in traps:
        if split and pair["split"] != split:
            continue
        q.traps += 1
        hit = cache.lookup(request(pair["b"]), ctx)
        if hit is not None:
            q.trap_false_hits.append({**pair, "served": owner[hit.response.text], "similarity": hit.similarity})
    for pair in paras:
        if split and pair["split"] != split:
            continue
        q.paraphrases += 1
        hit = cache.lookup(request(pair["b"]), ctx)
        if hit is None:
            continue
        if owner[hit.response.text] == pair["id"]:
            q.paraphrase_hits += 1
        else:
            q.paraphrase_wrong_hits.append({**pair, "served": owner[hit.response.text]})
    q.rejected = dict(cache.stats()["rejected"])
    cache.close()
    return q
