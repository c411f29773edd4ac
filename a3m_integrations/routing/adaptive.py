"""`AdaptiveRouter`: any router, with its candidates re-ranked by what the memory remembers.

The wrapped router decides first (model plus fallbacks). Each candidate then gets a score

    blended = (1 - w) * prior + w * remembered quality        (w = `weight`, default 0.5)

where `prior` is the wrapped router's predicted quality for it (`decision.scores`) or, for routers
that give none, a rank prior (1.0 for its choice, minus 0.1 per place after it), and the
remembered quality is the memory's EMA for (model, task) with at least `min_observations`
samples (else the model keeps its prior: the memory acts only on evidence). With
`latency_weight` > 0, `latency_weight x latency / slowest candidate's latency` is subtracted.
Candidates are re-ordered by the blended score; the set never changes, so the wrapped router's
cost and capability choices stand. The task comes from `task_of(request)` (default: the
request context's route name, else "*").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from a3m_integrations.catalog import Catalog
from a3m_integrations.errors import ConfigError
from a3m_integrations.memory import ALL_TASKS, ModelMemory
from a3m_integrations.routing.base import Router, estimate_decision_cost, get_router
from a3m_integrations.types import ChatRequest, RequestContext, RoutingDecision

__all__ = ["AdaptiveRouter"]

TaskOf = Callable[[ChatRequest, "RequestContext | None"], str]


def _default_task(request: ChatRequest, context: RequestContext | None) -> str:
    return (context.route if context is not None and context.route else None) or ALL_TASKS


class AdaptiveRouter:
    """Re-ranks a router's candidates by remembered (model, task) quality.

    Args:
        router: the router to wrap (an object, or a registered name built with `catalog` and
            `router_options`, e.g. pool= and healthy= from the gateway).
        memory: the `ModelMemory` to read, or a SQLite path for one (default: an in-memory one);
            give the gateway's own memory so its feedback reaches the router.
        weight: share of the remembered quality in the blend, in [0, 1].
        min_observations: samples a (model, task) needs before the memory acts (default: the memory's).
        latency_weight: penalty for remembered latency relative to the slowest candidate.
        task_of: maps (request, context) to the memory's task name.
        catalog: for the provider, tier and cost of a promoted model.
    """

    name = "adaptive"

    def __init__(
        self,
        router: Router | str = "learned",
        memory: ModelMemory | str | None = None,
        *,
        weight: float = 0.5,
        min_observations: int | None = None,
        latency_weight: float = 0.0,
        task_of: TaskOf | None = None,
        catalog: Catalog | None = None,
        **router_options: Any,
    ) -> None:
        if not 0.0 <= weight <= 1.0:
            raise ConfigError(f"weight must be within [0, 1], not {weight}", field="weight")
        if latency_weight < 0:
            raise ConfigError("latency_weight must be 0 or more", field="latency_weight")
        if isinstance(router, str):
            if catalog is not None:
                router_options["catalog"] = catalog
            self.router: Router = get_router(router, **router_options)
        elif router_options:
            raise ConfigError(f"router options {sorted(router_options)} need a router name, not an object")
        else:
            self.router = router
        self.memory = memory if isinstance(memory, ModelMemory) else ModelMemory(memory or ":memory:")
        self.weight = float(weight)
        self.min_observations = min_observations if min_observations is not None else self.memory.min_observations
        self.latency_weight = float(latency_weight)
        self.task_of = task_of or _default_task
        self.catalog = catalog or getattr(self.router, "catalog", None) or Catalog.default()
        self.name = f"adaptive({getattr(self.router, 'name', 'router')})"

    def blended(self, decision: RoutingDecision, task: str) -> dict[str, tuple[float, str | None]]:
        """Per candidate: (blended score, why the memory moved it or None)."""
        out: dict[str, tuple[float, str | None]] = {}
        latencies = {m: self.memory.latency(m, task) for m in decision.candidates}
        slowest = max((v for v in latencies.values() if v), default=0.0)
        for r, model in enumerate(decision.candidates):
            prior = decision.scores.get(model, 1.0 - 0.1 * r)
            score, why = prior, None
            found = self.memory.quality(model, task, min_observations=self.min_observations)
            if found is not None:
                quality, n = found
                score = (1.0 - self.weight) * prior + self.weight * quality
                why = f"{model} remembered quality {quality:.2f} over {n} outcome(s)"
            lat = latencies[model]
            if self.latency_weight and lat and slowest:
                score -= self.latency_weight * lat / slowest
            out[model] = (score, why)
        return out

    def route(self, request: ChatRequest, context: RequestContext | None = None) -> RoutingDecision:
        """The wrapped router's decision, candidates re-ordered by the blend."""
        decision = self.router.route(request, context)
        if request.model and request.model != "auto":
            return decision
        task = self.task_of(request, context)
        scores = self.blended(decision, task)
        order = sorted(decision.candidates, key=lambda m: -scores[m][0])
        if order[0] == decision.model and list(order) == list(decision.candidates):
            return decision
        reasons = list(decision.reasons)
        if order[0] != decision.model:
            why = "; ".join(w for w in (scores[order[0]][1], scores[decision.model][1]) if w)
            reasons.append(f"adaptive memory (task {task}): promoted {order[0]} over {decision.model}: {why}")
        primary = self.catalog.model(order[0])
        return decision.replace(
            model=primary.id,
            provider=primary.provider,
            tier=primary.tier,
            estimated_cost=estimate_decision_cost(request, primary),
            reasons=tuple(reasons),
            fallbacks=tuple(order[1:]),
            router=self.name,
            scores={**decision.scores, **{m: round(s, 4) for m, (s, _) in scores.items()}},
        )
