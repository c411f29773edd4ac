"""`LearnedRouter`: a trained quality model as a gateway `Router`.

Two ways to meet the catalog:

- **direct**: the quality model's models are catalog ids (trained on the user's own outcome log,
  whose `model` column holds catalog ids), or are mapped to them by `model_map` (data set name ->
  catalog id; several names may map to one id, whose predicted quality is then their mean).
  The router predicts each candidate's quality, prices it from the catalog
  (`estimate_decision_cost`), and ranks by the knob (`quality`, 0 cheapest .. 1 best).
- **tiers**: the quality model's models are grouped into the catalog's tiers by `tiers` (data set
  name -> tier). The router predicts each tier's quality (the mean of its models), prices each
  tier by the cheapest capable catalog model in it, picks a tier by the knob, and hands it to
  `choose_models` (cheapest capable model in the tier, escalating if none). This is how the
  shipped default router, trained on public benchmarks of older models, meets today's catalog.

Either way requirements (tools, vision, JSON, context) and health filter the candidates first,
`RoutingDecision.scores` holds the predicted quality per candidate, fallbacks come from the ranking
(other providers first), and `complexity` is 1 - the mean predicted quality of the candidates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from a3m_integrations.catalog import Catalog, ModelInfo
from a3m_integrations.cost.estimate import approx_request_tokens
from a3m_integrations.errors import ConfigError
from a3m_integrations.routing.base import (
    HealthCheck,
    Requirements,
    choose_models,
    estimate_decision_cost,
    pinned_model,
    spread_fallbacks,
)
from a3m_integrations.routing.learned._base import QUALITY_MODELS, QualityModel, _import, load_quality_model
from a3m_integrations.routing.learned._knob import rank, tradeoff_lambda
from a3m_integrations.types import TIERS, ChatRequest, RequestContext, RoutingDecision

__all__ = [
    "DEFAULT_ROUTER_FILE",
    "CascadeRouter",
    "ClusterRouter",
    "KNNRouter",
    "LearnedRouter",
    "MFRouter",
    "MLPRouter",
    "default_router_path",
    "make_quality_model",
    "routing_text",
]

DEFAULT_ROUTER_FILE = "default_router.npz"
_MAX_CHARS = 4000


def default_router_path() -> Path:
    """The router file shipped in the package (see scripts/train_default_router.py)."""
    return Path(str(resources.files("a3m_integrations.routing.learned") / "data" / DEFAULT_ROUTER_FILE))


def make_quality_model(kind: str, *, strict: bool = True, **params: Any) -> QualityModel:
    """An untrained quality model by kind ("knn", "cluster", "mlp", "logistic", "mf", "cascade").

    With `strict=False`, settings the kind does not take are dropped (one list for many kinds).
    """
    if kind == "logistic":
        params.setdefault("hidden", 0)
        kind = "mlp"
    if kind not in QUALITY_MODELS:
        raise ConfigError(
            f"unknown router kind {kind!r}; known kinds: {', '.join(sorted([*QUALITY_MODELS, 'logistic']))}",
            field="kind",
        )
    cls = _import(QUALITY_MODELS[kind])
    if not strict:
        import inspect

        accepted = set(inspect.signature(cls.__init__).parameters)
        params = {k: v for k, v in params.items() if k in accepted}
    try:
        return cls(**params)
    except TypeError as exc:
        raise ConfigError(f"bad settings for a {kind} router: {exc}", field="kind") from exc


def routing_text(request: ChatRequest) -> str:
    """What a learned router reads: the system prompt and the last user message (clipped)."""
    text = request.last_user_text or "\n".join(m.text for m in request.messages)
    system = request.system_prompt
    if system:
        text = f"{system}\n{text}"
    return text[-_MAX_CHARS:]


class LearnedRouter:
    """A `Router` that ranks catalog models by a learned quality model and the cost knob.

    Args:
        model: a trained `QualityModel`, a path to a saved one, or None for the shipped default.
        catalog: the catalog (default: `Catalog.default()`).
        model_map: data set model name -> catalog id (direct mode).
        tiers: data set model name -> tier (tier mode); a file may carry its own (`meta["tiers"]`).
        pool: restrict the candidates to these catalog ids (or a pool name).
        quality: the knob, 0 (cheapest) .. 1 (best predicted quality).
        healthy: health check by model id; unhealthy models are tried last.
        fallbacks: how many fallbacks a decision carries.
        embedder: the embedder the model was trained with, if it was an external one.
    """

    name = "learned"
    kind: ClassVar[str | None] = None  # subclasses registered by kind insist on it

    def __init__(
        self,
        model: QualityModel | str | Path | None = None,
        *,
        catalog: Catalog | None = None,
        model_map: Mapping[str, str] | None = None,
        tiers: Mapping[str, str] | None = None,
        pool: str | Iterable[str] | None = None,
        quality: float = 0.7,
        healthy: HealthCheck | None = None,
        fallbacks: int = 2,
        embedder: Any = None,
        path: str | Path | None = None,
    ) -> None:
        tradeoff_lambda(quality)  # validates the knob
        if fallbacks < 0:
            raise ConfigError("fallbacks must be 0 or more", field="fallbacks")
        source = model if model is not None else path
        if source is None:
            if self.kind is not None:
                raise ConfigError(
                    f"the {self.kind} router needs a trained file: path=... (train one with "
                    f"`a3m router train --kind {self.kind}`)",
                    field="path",
                )
            source = default_router_path()
        if isinstance(source, QualityModel):
            self.model = source
        else:
            self.model = load_quality_model(source, embedder=embedder, expect=self.kind)
        if self.kind is not None and self.model.kind != self.kind:
            raise ConfigError(f"a {self.kind} router needs a {self.kind} model, not {self.model.kind}", field="model")
        self.name = f"learned-{self.model.kind}"
        self.catalog = catalog or Catalog.default()
        self.pool: tuple[ModelInfo, ...] = self.catalog.resolve(pool)
        self.quality = float(quality)
        self.healthy = healthy
        self.fallbacks = fallbacks
        self.tiers: dict[str, str] | None = None
        self._group: np.ndarray | None = None
        meta_tiers = self.model.meta.get("tiers")
        if tiers is None and model_map is None and isinstance(meta_tiers, Mapping) and not self._all_in_catalog():
            tiers = {str(k): str(v) for k, v in meta_tiers.items()}
        if tiers is not None:
            self._set_tiers(tiers)
        else:
            self._set_direct(model_map or {})

    # -- set-up ---------------------------------------------------------------------------------
    def _all_in_catalog(self) -> bool:
        return all(m in self.catalog for m in self.model.models)

    def _set_direct(self, model_map: Mapping[str, str]) -> None:
        pool_ids = {m.id for m in self.pool}
        columns: dict[str, list[int]] = {}
        for j, name in enumerate(self.model.models):
            target = model_map.get(name, name)
            if target in self.catalog:
                mid = self.catalog.model(target).id
                if mid in pool_ids:
                    columns.setdefault(mid, []).append(j)
        if not columns:
            raise ConfigError(
                f"none of the router's models ({', '.join(self.model.models[:6])}...) is a catalog id in the pool",
                field="model_map",
                hint="Give model_map={dataset name: catalog id}, or tiers={dataset name: tier}.",
            )
        self.columns = columns
        self.candidates = [self.catalog.model(mid) for mid in columns]

    def _set_tiers(self, tiers: Mapping[str, str]) -> None:
        groups: dict[str, list[int]] = {}
        for j, name in enumerate(self.model.models):
            tier = tiers.get(name)
            if tier is not None:
                if tier not in TIERS:
                    raise ConfigError(f"tier {tier!r} of {name} is not one of {', '.join(TIERS)}", field="tiers")
                groups.setdefault(tier, []).append(j)
        if not groups:
            raise ConfigError("the tier map names none of the router's models", field="tiers")
        self.tiers = dict(tiers)
        self.columns = groups

    # -- routing --------------------------------------------------------------------------------
    def predict(self, request: ChatRequest) -> dict[str, float]:
        """Predicted quality per candidate (catalog id, or tier in tier mode) for `request`."""
        q = self.model.predict([routing_text(request)])[0]
        if self._group is None:  # (models, keys): the mean over each key's columns, as one product
            group = np.zeros((len(self.model.models), len(self.columns)))
            for k, cols in enumerate(self.columns.values()):
                group[cols, k] = 1.0 / len(cols)
            self._group = group
        return dict(zip(self.columns, np.einsum("m,mk->k", q, self._group).tolist()))

    def route(self, request: ChatRequest, context: RequestContext | None = None) -> RoutingDecision:
        """Decide the model for `request` (a pinned `request.model` is honoured)."""
        tokens = approx_request_tokens(request)
        needs = Requirements.of(request, tokens)
        if request.model and request.model != "auto":
            return self._pinned(request, needs, tokens)
        predicted = self.predict(request)
        if self.tiers is not None:
            return self._route_tiers(request, needs, tokens, predicted)
        return self._route_direct(request, needs, tokens, predicted)

    def _route_direct(
        self, request: ChatRequest, needs: Requirements, tokens: int, predicted: Mapping[str, float]
    ) -> RoutingDecision:
        capable = [m for m in self.candidates if needs.unmet(m) is None]
        reasons: list[str] = []
        if not capable:
            primary, chosen, why = choose_models(
                self.pool, "mid", needs, healthy=self.healthy, fallbacks=self.fallbacks
            )
            reasons = [f"no learned model supports {', '.join(needs.names())}; chose from the pool", *why]
            return self._decision(request, tokens, primary, chosen, reasons, predicted, 0.5)
        if len(capable) < len(self.candidates):
            reasons.append(
                f"filtered {len(self.candidates) - len(capable)} model(s) lacking {', '.join(needs.names())}"
            )
        q = np.array([[predicted[m.id] for m in capable]])
        c = np.array([[float(estimate_decision_cost(request, m, tokens)) for m in capable]])
        order = [capable[i] for i in rank(q, c, self.quality)[0]]
        if self.healthy is not None:
            up = [m for m in order if self.healthy(m.id)]
            if up and len(up) < len(order):
                reasons.append(f"skipped {len(order) - len(up)} unhealthy model(s)")
                order = up + [m for m in order if m not in up]
        primary = order[0]
        reasons.insert(0, self._why(primary.id, predicted, order))
        fallbacks = spread_fallbacks(order[1:], primary.provider, self.fallbacks)
        complexity = 1.0 - float(np.mean([predicted[m.id] for m in capable]))
        return self._decision(request, tokens, primary, fallbacks, reasons, predicted, complexity)

    def _route_tiers(
        self, request: ChatRequest, needs: Requirements, tokens: int, predicted: Mapping[str, float]
    ) -> RoutingDecision:
        priced: list[tuple[str, float, float]] = []
        for tier, q in predicted.items():
            capable = [m for m in self.pool if m.tier == tier and needs.unmet(m) is None]
            if capable:
                cheapest = min(capable, key=lambda m: (m.blended_per_1m, m.id))
                priced.append((tier, q, float(estimate_decision_cost(request, cheapest, tokens))))
        if priced:
            qa = np.array([[p[1] for p in priced]])
            ca = np.array([[p[2] for p in priced]])
            tier = priced[int(rank(qa, ca, self.quality)[0, 0])][0]
        else:
            tier = "premium"
        primary, chosen, why = choose_models(self.pool, tier, needs, healthy=self.healthy, fallbacks=self.fallbacks)
        scores = {m.id: predicted.get(m.tier, float("nan")) for m in (primary, *chosen)}
        if priced:
            quality = ", ".join(f"{t} {q:.2f}" for t, q, _ in priced)
            head = f"learned {self.model.kind} router: tier {tier} (predicted quality {quality}; knob {self.quality:g})"
        else:
            head = f"learned {self.model.kind} router: no capable pool model in tiers {', '.join(predicted)}"
        reasons = [head, *why]
        complexity = 1.0 - float(np.mean(list(predicted.values())))
        return self._decision(request, tokens, primary, chosen, reasons, scores, complexity)

    def _why(self, model_id: str, predicted: Mapping[str, float], order: Sequence[ModelInfo]) -> str:
        best = max(predicted.values())
        return (
            f"learned {self.model.kind} router: {model_id} predicted quality {predicted[model_id]:.2f} "
            f"(best {best:.2f}, {len(order)} candidates; knob {self.quality:g})"
        )

    def _decision(
        self,
        request: ChatRequest,
        tokens: int,
        primary: ModelInfo,
        fallbacks: Sequence[ModelInfo],
        reasons: Sequence[str],
        scores: Mapping[str, float],
        complexity: float,
    ) -> RoutingDecision:
        return RoutingDecision(
            model=primary.id,
            provider=primary.provider,
            tier=primary.tier,
            complexity=min(1.0, max(0.0, complexity)),
            estimated_cost=estimate_decision_cost(request, primary, tokens),
            reasons=tuple(reasons),
            fallbacks=tuple(m.id for m in fallbacks),
            router=self.name,
            scores={k: round(float(v), 4) for k, v in scores.items() if np.isfinite(v)},
        )

    def _pinned(self, request: ChatRequest, needs: Requirements, tokens: int) -> RoutingDecision:
        pinned, chosen = pinned_model(
            self.catalog, self.pool, request, needs, healthy=self.healthy, fallbacks=self.fallbacks
        )
        return self._decision(request, tokens, pinned, chosen, ("model pinned by the request",), {}, 0.0)

    def estimated_cost(self, request: ChatRequest) -> Decimal:
        """The estimated cost of the model this router would choose for `request`."""
        return self.route(request).estimated_cost


class KNNRouter(LearnedRouter):
    """`LearnedRouter` over a saved kNN model (`get_router("knn", path=...)`)."""

    kind = "knn"


class ClusterRouter(LearnedRouter):
    """`LearnedRouter` over a saved per-cluster model."""

    kind = "cluster"


class MLPRouter(LearnedRouter):
    """`LearnedRouter` over a saved MLP / logistic model."""

    kind = "mlp"


class MFRouter(LearnedRouter):
    """`LearnedRouter` over a saved matrix-factorisation model."""

    kind = "mf"


class CascadeRouter(LearnedRouter):
    """`LearnedRouter` over a saved cascade model; `verify` checks a draft answer."""

    kind = "cascade"

    def verify(self, request: ChatRequest, model_id: str, answer: str) -> float:
        """Estimated quality of `answer` from `model_id` (catalog id); NaN if it has no verifier.

        The gateway can call the decision's cheap model first, keep its answer when this is at
        least the next candidate's predicted quality (`decision.scores`), and escalate otherwise.
        """
        from a3m_integrations.routing.learned.cascade import CascadeModel

        assert isinstance(self.model, CascadeModel)
        cols = self.columns.get(model_id, [])
        useful = [j for j in cols if self.model.informative[j]]
        if not useful:
            return float("nan")
        text = routing_text(request)
        got = self.model.verify([text] * len(useful), useful, [answer] * len(useful))
        return float(np.mean(got))
