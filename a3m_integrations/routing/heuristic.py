"""The heuristic tier router: complexity signals -> tier -> cheapest capable model."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from a3m_integrations.catalog import Catalog
from a3m_integrations.routing.base import DEFAULT_TIER_CUTS, HealthCheck, TierRouter
from a3m_integrations.signals import DEFAULT_WEIGHTS, Features, analyze
from a3m_integrations.types import ChatRequest

__all__ = ["HeuristicRouter"]


class HeuristicRouter(TierRouter):
    """Routes by the additive complexity score of `signals.analyze`; no model weights, no I/O.

    Args:
        catalog: the model catalog (default: the shipped one).
        pool: a pool name, a list of model ids, or None for the catalog's 'default' pool.
        tier_cuts: complexity cuts between free|cheap|mid|premium.
        weights: overrides of `signals.DEFAULT_WEIGHTS`.
        healthy: a callback that says whether a model id is healthy (unhealthy ones are skipped).
        fallbacks: how many fallback models each decision carries.
    """

    name = "heuristic"

    def __init__(
        self,
        catalog: Catalog | None = None,
        *,
        pool: str | Iterable[str] | None = None,
        tier_cuts: Sequence[float] = DEFAULT_TIER_CUTS,
        weights: Mapping[str, float] | None = None,
        healthy: HealthCheck | None = None,
        fallbacks: int = 2,
    ) -> None:
        super().__init__(catalog, pool=pool, tier_cuts=tier_cuts, healthy=healthy, fallbacks=fallbacks)
        if weights:
            unknown = set(weights) - set(DEFAULT_WEIGHTS)
            if unknown:
                from a3m_integrations.errors import ConfigError

                raise ConfigError(
                    f"unknown signal weight(s) {sorted(unknown)}; known: {', '.join(sorted(DEFAULT_WEIGHTS))}",
                    field="weights",
                )
        self.weights = dict(weights or {})

    def features(self, request: ChatRequest) -> Features:
        """The signals behind the score (what `a3m analyze` prints)."""
        return analyze(request, weights=self.weights)

    def score(self, request: ChatRequest) -> tuple[float, tuple[str, ...]]:
        """Complexity in [0, 1] and the reasons that moved it."""
        f = self.features(request)
        return f.complexity, f.reason_strings()
