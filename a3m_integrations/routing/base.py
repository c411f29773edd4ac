"""The Router protocol, the registry of routers by name, and the model choice every router shares.

A router answers one question: which model should take this request. Tier routers score a
request's complexity and map it to a tier (`TierRouter.score`); learned routers predict each
model's quality (see routing/learned). Both hand the final choice to `choose_models`, which
filters by what the request needs (tools, images, JSON, context length) and by health, picks the
cheapest capable model in the wanted tier (escalating when the tier has none) and two fallbacks,
preferring other providers so one outage does not take out the whole chain.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from a3m_integrations._record import Record
from a3m_integrations.catalog import Catalog, ModelInfo
from a3m_integrations.cost.estimate import approx_request_tokens
from a3m_integrations.errors import ConfigError, NoCapableModel
from a3m_integrations.types import TIERS, ChatRequest, RequestContext, RoutingDecision, Tier, tier_index

TYPE_CHECKING = False  # typing is not imported at run time: the routing path must start fast
if TYPE_CHECKING:
    from typing import Any

    from a3m_integrations.routing.protocol import Router

_set = object.__setattr__
__all__ = [
    "DEFAULT_OUTPUT_TOKENS",
    "DEFAULT_TIER_CUTS",
    "ROUTERS",
    "HealthCheck",
    "Requirements",
    "Router",
    "TierRouter",
    "choose_models",
    "estimate_decision_cost",
    "get_router",
    "pinned_model",
    "register_router",
    "spread_fallbacks",
    "tier_for_complexity",
]

#: Complexity cuts: below 0.20 free, below 0.45 cheap, below 0.70 mid, else premium.
DEFAULT_TIER_CUTS: tuple[float, float, float] = (0.20, 0.45, 0.70)
#: Expected answer length when the request sets no max_tokens, by tier (for cost estimates).
DEFAULT_OUTPUT_TOKENS: dict[str, int] = {"free": 256, "cheap": 512, "mid": 1024, "premium": 1536}

HealthCheck = Callable[[str], bool]
_Choice = tuple[ModelInfo, tuple[ModelInfo, ...], list[str]]  # (primary, fallbacks, reasons)


class Requirements(Record):
    """What a model must support to take a request."""

    __slots__ = ("json", "json_schema", "min_context", "tools", "vision")
    tools: bool
    vision: bool
    json: bool
    json_schema: bool
    min_context: int

    def __init__(
        self,
        tools: bool = False,
        vision: bool = False,
        json: bool = False,
        json_schema: bool = False,
        min_context: int = 0,
    ) -> None:
        set_json, set_json_schema, set_min_context, set_tools, set_vision = Requirements._slot_setters
        set_tools(self, tools)
        set_vision(self, vision)
        set_json(self, json)
        set_json_schema(self, json_schema)
        set_min_context(self, min_context)

    @classmethod
    def of(cls, request: ChatRequest, prompt_tokens: int | None = None) -> Requirements:
        """Requirements read off a request; `min_context` is prompt tokens plus max_tokens."""
        rf = request.response_format
        tokens = approx_request_tokens(request) if prompt_tokens is None else prompt_tokens
        return cls(  # positional (tools, vision, json, json_schema, min_context): cheaper than by name
            bool(request.tools) and request.tool_choice != "none",
            request.has_images,
            rf is not None and rf.type in ("json_object", "json_schema"),
            rf is not None and rf.type == "json_schema",
            tokens + (request.max_tokens or 0),
        )

    def names(self) -> tuple[str, ...]:
        """The requirements as capability names (and context size), for messages."""
        out = [n for n in ("tools", "vision", "json", "json_schema") if getattr(self, n)]
        if self.min_context:
            out.append(f"context>={self.min_context}")
        return tuple(out)

    def unmet(self, model: ModelInfo) -> str | None:
        """Why `model` cannot take the request, or None if it can."""
        caps = model.capabilities
        if self.tools and "tools" not in caps:
            return "no tool calling"
        if self.vision and "vision" not in caps:
            return "no image input"
        if self.json_schema and "json_schema" not in caps and "tools" not in caps:
            return "no structured output"
        if self.json and "json" not in caps and "json_schema" not in caps:
            return "no JSON mode"
        if self.min_context > model.context_window:
            return f"context window {model.context_window} < {self.min_context} tokens needed"
        return None


def tier_for_complexity(complexity: float, cuts: Sequence[float] = DEFAULT_TIER_CUTS) -> Tier:
    """The tier a complexity falls in, given three ascending cuts."""
    for tier, cut in zip(TIERS, cuts):
        if complexity < cut:
            return tier
    return "premium"


def _ORDER_KEY(m: ModelInfo) -> tuple[float, str]:  # noqa: N802 (a constant key function)
    return m.order_key


def _tier_order(tier: str) -> tuple[str, ...]:
    """Tiers to look in: the wanted one, then up (safer), then down."""
    i = tier_index(tier)
    return (*TIERS[i:], *reversed(TIERS[:i]))


def choose_models(
    pool: Sequence[ModelInfo],
    tier: str,
    requirements: Requirements,
    *,
    healthy: HealthCheck | None = None,
    fallbacks: int = 2,
    preference: Callable[[ModelInfo], Any] | None = None,
    presorted: bool = False,
) -> tuple[ModelInfo, tuple[ModelInfo, ...], list[str]]:
    """(primary, fallbacks, reasons) for a wanted tier.

    Within a tier models are ordered by `preference` (default: blended price, cheapest first;
    `presorted` says the pool is already in that order). Unhealthy models are skipped unless
    every capable model is unhealthy.
    """
    reasons: list[str] = []
    rejected: dict[str, str] = {}
    capable: list[ModelInfo] = []
    for m in pool:
        why = requirements.unmet(m)
        if why is None:
            capable.append(m)
        else:
            rejected[m.id] = why
    if not capable:
        raise NoCapableModel(
            f"no model in the pool of {len(pool)} supports {', '.join(requirements.names()) or 'this request'}",
            requirements=requirements.names(),
            rejected=rejected,
        )
    if rejected:
        reasons.append(f"filtered {len(rejected)} model(s) lacking {', '.join(requirements.names())}")
    if healthy is not None:
        up = [m for m in capable if healthy(m.id)]
        if up and len(up) < len(capable):
            reasons.append(f"skipped {len(capable) - len(up)} unhealthy model(s)")
            capable = up
        elif not up:
            reasons.append("every capable model is unhealthy; trying them anyway")
    if preference is not None:
        capable.sort(key=preference)
    elif not presorted:
        capable.sort(key=_ORDER_KEY)
    ordered = [m for t in _tier_order(tier) for m in capable if m.tier == t]
    primary = ordered[0]
    if primary.tier != tier:
        reasons.append(f"no capable model in tier {tier}; using tier {primary.tier}")
    return primary, tuple(spread_fallbacks(ordered[1:], primary.provider, fallbacks)), reasons


def spread_fallbacks(order: Sequence[ModelInfo], primary_provider: str, n: int) -> list[ModelInfo]:
    """Up to n fallbacks kept in `order`, other providers first (one outage cannot take the whole chain)."""
    picked: set[int] = set()
    used = {primary_provider}
    for i, m in enumerate(order):
        if len(picked) >= n:
            break
        if m.provider not in used:
            picked.add(i)
            used.add(m.provider)
    for i in range(len(order)):
        if len(picked) >= n:
            break
        picked.add(i)
    return [order[i] for i in sorted(picked)]


def pinned_model(
    catalog: Catalog,
    pool: Sequence[ModelInfo],
    request: ChatRequest,
    needs: Requirements,
    *,
    healthy: HealthCheck | None,
    fallbacks: int,
) -> tuple[ModelInfo, tuple[ModelInfo, ...]]:
    """The model `request.model` pins (NoCapableModel if it cannot take the request) and fallbacks from the pool."""
    pinned = catalog.model(request.model or "")
    unmet = needs.unmet(pinned)
    if unmet is not None:
        raise NoCapableModel(
            f"pinned model {pinned.id} cannot take this request: {unmet}",
            requirements=needs.names(),
            rejected={pinned.id: unmet},
            hint="Pin a model with the needed capability, or let the router choose (model='auto').",
        )
    others = [m for m in pool if m.id != pinned.id]
    if not others or not fallbacks:
        return pinned, ()
    try:
        _, chosen, _ = choose_models(others, pinned.tier, needs, healthy=healthy, fallbacks=fallbacks, presorted=True)
    except NoCapableModel:  # nothing else can take it: the pinned model goes alone
        return pinned, ()
    return pinned, chosen


def estimate_decision_cost(request: ChatRequest, model: ModelInfo, prompt_tokens: int | None = None) -> Decimal:
    """Estimated USD cost: approximate prompt tokens, plus max_tokens or the tier's typical answer length."""
    tokens_in = approx_request_tokens(request) if prompt_tokens is None else prompt_tokens
    tokens_out = request.max_tokens or DEFAULT_OUTPUT_TOKENS[model.tier]
    tokens_out = min(tokens_out, model.max_output)
    return model.cost(tokens_in, tokens_out)


class TierRouter(ABC):
    """A router that scores complexity in [0, 1] and maps it to a tier through three cuts.

    Subclasses implement `score`; `route` does the rest: pinned models, requirements, health,
    the cheapest capable model in the tier, fallbacks and the estimated cost.
    """

    name = "tier"

    def __init__(
        self,
        catalog: Catalog | None = None,
        *,
        pool: str | Iterable[str] | None = None,
        tier_cuts: Sequence[float] = DEFAULT_TIER_CUTS,
        healthy: HealthCheck | None = None,
        fallbacks: int = 2,
    ) -> None:
        cuts = tuple(float(c) for c in tier_cuts)
        if len(cuts) != 3 or not 0.0 < cuts[0] < cuts[1] < cuts[2] < 1.0:
            raise ConfigError(
                f"tier_cuts must be three ascending numbers within (0, 1), not {tuple(tier_cuts)}",
                field="tier_cuts",
            )
        if fallbacks < 0:
            raise ConfigError("fallbacks must be 0 or more", field="fallbacks")
        self.catalog = catalog if catalog is not None else Catalog.default()
        self.pool: tuple[ModelInfo, ...] = tuple(sorted(self.catalog.resolve(pool), key=_ORDER_KEY))
        if not self.pool:
            raise ConfigError("the router's model pool is empty", field="pool")
        self.tier_cuts = cuts
        self.healthy = healthy
        self.fallbacks = fallbacks
        self._choices: dict[tuple[str, int], tuple[object, int, _Choice]] = {}

    @abstractmethod
    def score(self, request: ChatRequest) -> tuple[float, tuple[str, ...]]:
        """Complexity in [0, 1] and the reasons that moved it."""

    def route(self, request: ChatRequest, context: RequestContext | None = None) -> RoutingDecision:
        """Decide the model for `request` (a pinned `request.model` is honoured)."""
        prompt_tokens = approx_request_tokens(request)
        needs = Requirements.of(request, prompt_tokens)
        if request.model and request.model != "auto":
            pinned, fallbacks = pinned_model(
                self.catalog, self.pool, request, needs, healthy=self.healthy, fallbacks=self.fallbacks
            )
            return RoutingDecision(
                model=pinned.id,
                provider=pinned.provider,
                tier=pinned.tier,
                complexity=0.0,
                estimated_cost=estimate_decision_cost(request, pinned, prompt_tokens),
                reasons=("model pinned by the request",),
                fallbacks=tuple(m.id for m in fallbacks),
                router=self.name,
            )
        complexity, reasons = self.score(request)
        tier = tier_for_complexity(complexity, self.tier_cuts)
        primary, chosen, why = self._choose(tier, needs)
        return RoutingDecision(  # positional, in the order of its fields: cheaper than by name
            primary.id,
            primary.provider,
            primary.tier,
            complexity,
            estimate_decision_cost(request, primary, prompt_tokens),
            (*reasons, *why),
            tuple([m.id for m in chosen]),
            self.name,
        )

    def _choose(self, tier: str, needs: Requirements) -> _Choice:
        """`choose_models` over the pool; remembered per tier for requests every model can take.

        Such a request (no tools, images or JSON; within every context window; no health check)
        gets the same answer for the same tier, so it is worked out once per tier.
        """
        pool = self.pool
        if not pool or self.healthy is not None or needs.tools or needs.vision or needs.json or needs.json_schema:
            return choose_models(pool, tier, needs, healthy=self.healthy, fallbacks=self.fallbacks, presorted=True)
        key = (tier, self.fallbacks)
        entry = self._choices.get(key)
        if entry is None or entry[0] is not pool:  # first use, or the pool was replaced
            plain = choose_models(pool, tier, Requirements(), fallbacks=self.fallbacks, presorted=True)
            entry = self._choices[key] = (pool, min(m.context_window for m in pool), plain)
        if needs.min_context > entry[1]:
            return choose_models(pool, tier, needs, fallbacks=self.fallbacks, presorted=True)
        primary, chosen, why = entry[2]
        return primary, chosen, list(why)


#: Routers by name: "module:Class", imported on first use (so naming one costs nothing).
ROUTERS: dict[str, str] = {
    "heuristic": "a3m_integrations.routing.heuristic:HeuristicRouter",
    "learned": "a3m_integrations.routing.learned.router:LearnedRouter",
    "knn": "a3m_integrations.routing.learned.router:KNNRouter",
    "cluster": "a3m_integrations.routing.learned.router:ClusterRouter",
    "mlp": "a3m_integrations.routing.learned.router:MLPRouter",
    "logistic": "a3m_integrations.routing.learned.router:MLPRouter",
    "mf": "a3m_integrations.routing.learned.router:MFRouter",
    "cascade": "a3m_integrations.routing.learned.router:CascadeRouter",
    "adaptive": "a3m_integrations.routing.adaptive:AdaptiveRouter",
}


def __getattr__(name: str) -> object:
    """`Router` lives in routing.protocol (typing.Protocol is kept off the routing path)."""
    if name == "Router":
        from a3m_integrations.routing.protocol import Router

        return Router
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def register_router(name: str, target: str | type) -> None:
    """Make a router class available by name (a class, or 'module:Class' to import lazily)."""
    if isinstance(target, type):
        target = f"{target.__module__}:{target.__qualname__}"
    ROUTERS[name] = target


def get_router(name: str, **kwargs: Any) -> Router:
    """Build the router registered as `name` with `kwargs`; ConfigError listing names if unknown."""
    try:
        target = ROUTERS[name]
    except KeyError:
        raise ConfigError(
            f"unknown router {name!r}; known routers: {', '.join(sorted(ROUTERS))}", field="router"
        ) from None
    module, _, cls_name = target.partition(":")
    cls = getattr(importlib.import_module(module), cls_name)
    router: Router = cls(**kwargs)
    return router
