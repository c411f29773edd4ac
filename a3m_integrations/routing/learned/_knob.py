"""The one cost-quality knob every learned router shares.

`quality` in [0, 1] turns predicted quality and price into a choice: 1 picks the model with the
best predicted quality, 0 the cheapest, and in between each model is scored

    utility = predicted quality - lambda x log10((price + e) / (cheapest price + e))

with lambda = LAMBDA_SCALE x (1 - quality) / quality: the quality (0..1) one tenfold step in
price must buy. At quality 0.5 a model ten times dearer must be predicted 0.10 better; at 0.9,
0.011 better. Prices are per query (the catalog's estimate, or a learned cost model), so long
prompts weigh dear models more. e = one micro-dollar (`PRICE_FLOOR`) keeps a free local model
from looking infinitely cheaper than a paid one (it counts as two decades below a $0.0001 call).
"""

from __future__ import annotations

import numpy as np

from a3m_integrations.errors import ConfigError

__all__ = ["LAMBDA_SCALE", "PRICE_FLOOR", "choose", "rank", "tradeoff_lambda", "utilities"]

#: quality points a tenfold price must buy at quality 0.5 (lambda = LAMBDA_SCALE x (1 - q) / q).
LAMBDA_SCALE = 0.1
#: USD added to every price before taking ratios (one micro-dollar, the ledger's unit).
PRICE_FLOOR = 1e-6


def tradeoff_lambda(quality: float) -> float:
    """Lambda for a knob value: 0 at 1 (quality only), infinite at 0 (cheapest only)."""
    if not 0.0 <= quality <= 1.0:
        raise ConfigError(f"quality must be within [0, 1], not {quality}", field="quality")
    if quality >= 1.0:
        return 0.0
    if quality <= 0.0:
        return float("inf")
    return LAMBDA_SCALE * (1.0 - quality) / quality


def utilities(quality_pred: np.ndarray, cost: np.ndarray, quality: float) -> np.ndarray:
    """(n, m) utility of each model per query at knob `quality` (higher is better)."""
    q = np.atleast_2d(np.asarray(quality_pred, dtype=np.float64))
    c = np.atleast_2d(np.maximum(np.asarray(cost, dtype=np.float64), 0.0)) + PRICE_FLOOR
    rel = np.log10(c) - np.log10(c).min(axis=1, keepdims=True)
    lam = tradeoff_lambda(quality)
    if np.isinf(lam):
        return np.asarray(-rel + 1e-6 * q)  # cheapest; predicted quality only breaks ties
    return np.asarray(q - lam * rel)


def choose(quality_pred: np.ndarray, cost: np.ndarray, quality: float) -> np.ndarray:
    """(n,) index of the chosen model per query."""
    return np.asarray(np.argmax(utilities(quality_pred, cost, quality), axis=1))


def rank(quality_pred: np.ndarray, cost: np.ndarray, quality: float) -> np.ndarray:
    """(n, m) model indices per query, best utility first (the choice, then fallbacks)."""
    return np.argsort(-utilities(quality_pred, cost, quality), axis=1, kind="stable")
