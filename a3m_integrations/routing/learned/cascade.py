"""Learned cascade (AutoMix / FrugalGPT style): try a cheap model, check its answer, escalate.

Before the call it is a plain quality model (a logistic regression per model, Hybrid-LLM's idea of
predicting from the query alone). After a cheap *draft* answer it adds what only the answer can
tell: a verifier per model, a logistic regression on the query's and the answer's features,
estimates P(this answer is good). The policy, at knob value `quality`:

1. the *final* model F is what the plain router would pick (`choose`);
2. the *draft* model D is the best-predicted model with an informative verifier (validation AUC
   >= 0.6) whose predicted cost is at most `draft_ratio` of F's; none -> call F only;
3. D answers; its answer is kept when verified quality + lambda x log10(cost F / cost D) >= F's
   predicted quality (the same trade-off as the knob), else F is called too and both are paid.

Verifiers need answers in the training data (RouterBench keeps them, `<model>|model_response`);
without any, the cascade is the plain logistic router.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np

from a3m_integrations.errors import ConfigError
from a3m_integrations.evaluation.table import RoutingTable
from a3m_integrations.routing.learned._base import QualityModel
from a3m_integrations.routing.learned._knob import PRICE_FLOOR, choose, tradeoff_lambda
from a3m_integrations.routing.learned._nn import bce, sigmoid, train
from a3m_integrations.routing.learned.mlp import MLPModel

__all__ = ["CascadeModel", "CascadePlan"]

_MIN_ANSWERS = 40
_MIN_AUC = 0.6


def _auc(y: np.ndarray, p: np.ndarray) -> float:
    pos, neg = y >= 0.5, y < 0.5
    if not pos.any() or not neg.any():
        return 0.5
    ranks = np.empty(len(p))
    ranks[np.argsort(p, kind="stable")] = np.arange(1, len(p) + 1)
    return float((ranks[pos].sum() - pos.sum() * (pos.sum() + 1) / 2) / (pos.sum() * neg.sum()))


class CascadePlan:
    """Per-query cascade decisions at one knob value: final model, draft model (-1: none)."""

    def __init__(self, final: np.ndarray, draft: np.ndarray, lam: float) -> None:
        self.final = final
        self.draft = draft
        self.lam = lam

    def accept(self, verified: np.ndarray, quality: np.ndarray, cost: np.ndarray) -> np.ndarray:
        """(n,) bool: keep the draft answer (rows without a draft: False)."""
        rows = np.arange(len(self.final))
        has = self.draft >= 0
        d = np.where(has, self.draft, 0)
        ratio = np.log10((cost[rows, self.final] + PRICE_FLOOR) / (cost[rows, d] + PRICE_FLOOR))
        bonus = 0.0 if np.isinf(self.lam) else self.lam * ratio
        keep = verified + bonus >= quality[rows, self.final]
        return np.where(has, keep | np.isinf(self.lam), False)


class CascadeModel(QualityModel):
    """A logistic quality model plus per-model answer verifiers for draft-then-escalate routing.

    Args:
        draft_ratio: a draft model may cost at most this share of the final model.
        l2: weight decay of the verifiers and the base model.
        embedder: any Embedder (default: hashed n-grams projected to 256 dimensions).
    """

    kind: ClassVar[str] = "cascade"
    default_features: ClassVar[Mapping[str, Any]] = {"dim": 256}

    def __init__(self, *, draft_ratio: float = 0.25, l2: float = 1e-4, embedder: Any = None, seed: int = 0) -> None:
        super().__init__(embedder=embedder, seed=seed)
        if not 0.0 < draft_ratio < 1.0:
            raise ConfigError("draft_ratio must be within (0, 1)", field="draft_ratio")
        self.draft_ratio = float(draft_ratio)
        self.l2 = float(l2)
        self.base = MLPModel(hidden=0, l2=l2, embedder=self.embedder, seed=seed)
        self.verifier = np.zeros((0, 0), dtype=np.float32)  # (2d + 1, models)
        self.informative = np.zeros(0, dtype=bool)
        self._answers: np.ndarray | None = None

    def fit(self, table: RoutingTable) -> CascadeModel:
        """Fit the base model, then verifiers on the answers the table keeps."""
        self._answers = table.responses
        keep = np.isfinite(table.scores).any(axis=1)
        if self._answers is not None and not keep.all():
            self._answers = self._answers[keep]
        try:
            return super().fit(table)
        finally:
            self._answers = None

    def _fit(self, x: np.ndarray, y: np.ndarray, mask: np.ndarray) -> None:
        self.base.prior = self.prior
        self.base._fit(x, y, mask)
        m, d = y.shape[1], x.shape[1]
        self.verifier = np.zeros((2 * d + 1, m), dtype=np.float32)
        self.informative = np.zeros(m, dtype=bool)
        if self._answers is None:
            return
        for j in range(m):
            rows = np.flatnonzero(mask[:, j] & np.array([a is not None for a in self._answers[:, j]]))
            if len(rows) < _MIN_ANSWERS:
                continue
            feats = self._verifier_features(x[rows], [str(a) for a in self._answers[rows, j]])
            self.verifier[:, j], self.informative[j] = self._fit_verifier(feats, y[rows, j])

    def _verifier_features(self, xq: np.ndarray, answers: Sequence[str]) -> np.ndarray:
        xa = self.embedder.embed(list(answers))
        return np.column_stack([xq, xa, np.ones(len(answers))]).astype(np.float64)

    def _fit_verifier(self, feats: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, bool]:
        rng = np.random.default_rng(self.seed)
        order = rng.permutation(len(feats))
        cut = max(1, len(feats) // 5)
        val, tr = order[:cut], order[cut:]

        def grad(
            p: dict[str, np.ndarray], xb: np.ndarray, yb: np.ndarray, mb: np.ndarray
        ) -> tuple[float, dict[str, np.ndarray]]:
            loss, dl = bce(xb @ p["w"], yb, mb)
            return loss, {"w": xb.T @ dl}

        y2, m2 = target[:, None], np.ones((len(target), 1))
        held = train({"w": np.zeros((feats.shape[1], 1))}, grad, feats[tr], y2[tr], m2[tr], l2=self.l2, seed=self.seed)
        informative = _auc(target[val], (feats[val] @ held["w"])[:, 0]) >= _MIN_AUC
        full = train({"w": np.zeros((feats.shape[1], 1))}, grad, feats, y2, m2, l2=self.l2, seed=self.seed)
        return full["w"][:, 0].astype(np.float32), bool(informative)

    def _predict(self, x: np.ndarray) -> np.ndarray:
        return self.base._predict(x)

    # -- the cascade ----------------------------------------------------------------------------
    def plan(
        self,
        quality: np.ndarray,
        cost: np.ndarray,
        knob: float,
        *,
        informative: np.ndarray | None = None,
        allowed: Sequence[int] | None = None,
    ) -> CascadePlan:
        """Final and draft model per query at knob `knob`.

        Columns follow `quality`; `informative` says which have a useful verifier (default: this
        model's, when the columns are its own models); `allowed` restricts the candidates.
        """
        inf = self.informative if informative is None else np.asarray(informative, dtype=bool)
        cols = np.arange(quality.shape[1]) if allowed is None else np.asarray(allowed)
        final = cols[choose(quality[:, cols], cost[:, cols], knob)]
        rows = np.arange(len(quality))
        ok = np.zeros_like(quality, dtype=bool)
        ok[:, cols] = inf[cols]
        ok &= cost <= self.draft_ratio * cost[rows, final][:, None]
        ok[rows, final] = False
        scored = np.where(ok, quality - 1e-9 * cost, -np.inf)
        draft = np.where(ok.any(axis=1), np.argmax(scored, axis=1), -1)
        return CascadePlan(final, draft, tradeoff_lambda(knob))

    def verify(self, queries: Sequence[str], models: Sequence[int], answers: Sequence[str]) -> np.ndarray:
        """(n,) estimated quality of `answers[i]` given by model `models[i]` to `queries[i]`."""
        self._require_fitted()
        xq = self.embedder.embed(list(queries))
        feats = self._verifier_features(xq, answers)
        w = self.verifier[:, np.asarray(models)].T  # (n, features)
        return np.asarray(sigmoid((feats * w).sum(axis=1)))

    def simulate(
        self, table: RoutingTable, quality: np.ndarray, cost: np.ndarray, knob: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """(score, paid cost) per query of running the cascade on a table that keeps the answers.

        `quality` and `cost` are this model's predictions in the table's model order; the paid cost
        is the table's measured cost of every model called.
        """
        cols = [self.models.index(m) for m in table.models]
        plan = self.plan(quality, cost, knob, informative=self.informative[cols])
        rows = np.arange(len(table))
        final_score = table.scores[rows, plan.final]
        final_cost = table.costs[rows, plan.final]
        has = plan.draft >= 0
        if table.responses is not None:
            has &= np.array([table.responses[i, d] is not None if d >= 0 else False for i, d in enumerate(plan.draft)])
        if not has.any():
            return final_score, final_cost
        idx = np.flatnonzero(has)
        d = plan.draft[idx]
        assert table.responses is not None
        verified = np.full(len(table), -np.inf)
        verified[idx] = self.verify(
            [table.queries[i] for i in idx], [cols[j] for j in d], [str(table.responses[i, j]) for i, j in zip(idx, d)]
        )
        keep = plan.accept(verified, quality, cost) & has
        draft = np.where(has, plan.draft, 0)
        score = np.where(keep, table.scores[rows, draft], final_score)
        paid = np.where(has, table.costs[rows, draft], 0.0) + np.where(keep, 0.0, final_cost)
        return score, paid

    # -- persistence ----------------------------------------------------------------------------
    def _state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        base_settings, base_arrays = self.base._state()
        arrays = {f"base_{k}": v for k, v in base_arrays.items()}
        arrays["verifier"] = self.verifier.astype(np.float16)
        arrays["informative"] = self.informative
        return {"draft_ratio": self.draft_ratio, "l2": self.l2, "base": base_settings}, arrays

    def _restore(self, settings: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        self.draft_ratio = float(settings["draft_ratio"])
        self.l2 = float(settings["l2"])
        self.base = MLPModel(embedder=self.embedder, seed=self.seed)
        self.base._restore(settings["base"], {k[5:]: v for k, v in arrays.items() if k.startswith("base_")})
        self.verifier = np.asarray(arrays["verifier"], dtype=np.float32)
        self.informative = np.asarray(arrays["informative"], dtype=bool)
