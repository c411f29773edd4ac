"""Rebuild the shipped default router: a3m_integrations/routing/learned/data/default_router.npz.

A logistic quality model (one sigmoid per model over hashed n-gram TF-IDF projected to 64
dimensions; ~300 KB) trained on RouterBench's train split (11 models, measured cost) and
LLMRouter's dcrouter train split (9 models, cost modelled from default_llm.json), seed 0.

The data sets' models are old or open models, not catalog ids, so the file carries a tier map
(`meta["tiers"]`): each model's blended price per 1M tokens, derived from the data (median of
cost / (prompt + answer tokens), where the answers are kept; dcrouter's list prices otherwise),
is put in the tier the catalog gives that price (`catalog.tier_for_price`: <= $0.50 cheap,
<= $3 mid, else premium). `LearnedRouter()` then predicts a quality per tier and lets
`choose_models` pick the cheapest capable catalog model in the chosen tier.

Usage: A3M_DATA_DIR=../shared/data python scripts/train_default_router.py [--out FILE]
Deterministic: same data, same seed, same file contents (modulo numpy/zip versions).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from a3m_integrations.catalog import tier_for_price  # noqa: E402
from a3m_integrations.cost.estimate import approx_tokens  # noqa: E402
from a3m_integrations.evaluation.datasets import data_dir, load_table  # noqa: E402
from a3m_integrations.evaluation.table import RoutingTable  # noqa: E402
from a3m_integrations.routing.features import HashedNgramEmbedder  # noqa: E402
from a3m_integrations.routing.learned import make_quality_model  # noqa: E402
from a3m_integrations.routing.learned.router import default_router_path  # noqa: E402

SOURCES = ("routerbench", "dcrouter-train")


def blended_prices(table: RoutingTable) -> dict[str, float]:
    """USD per 1M tokens per model: median of cost / (prompt + answer tokens) over the data."""
    prices = {}
    tokens_in = np.array([approx_tokens(q) for q in table.queries], dtype=float)
    for j, model in enumerate(table.models):
        ok = np.isfinite(table.costs[:, j])
        if table.responses is not None:
            out = np.array([approx_tokens(str(a)) if a is not None else np.nan for a in table.responses[:, j]])
            ok &= np.isfinite(out)
            per_token = table.costs[ok, j] / (tokens_in[ok] + out[ok])
        else:
            llm = json.loads((data_dir() / "llmrouter-dcrouter" / "default_llm.json").read_text())
            entry = llm[model]
            prices[model] = (3 * float(entry["input_price"]) + float(entry["output_price"])) / 4
            continue
        prices[model] = float(np.median(per_token) * 1e6)
    return prices


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(default_router_path()))
    args = parser.parse_args()
    tables = [load_table(s) for s in SOURCES]
    tiers: dict[str, str] = {}
    prices: dict[str, float] = {}
    for t in tables:
        for model, price in blended_prices(t).items():
            prices[model] = round(price, 4)
            tiers[model] = tier_for_price(Decimal(str(price)), Decimal(str(price)))
    table = RoutingTable.concat(tables, name="+".join(SOURCES))
    embedder = HashedNgramEmbedder(buckets=2048, dim=64)
    model = make_quality_model("logistic", embedder=embedder, seed=0).fit(table)
    model.trained_on = list(SOURCES)
    model.meta = {
        "tiers": tiers,
        "blended_price_per_1m": prices,
        "built_by": "scripts/train_default_router.py",
        "note": "data-set models grouped into catalog tiers by price; see docs/routing-learned.md",
    }
    path = model.save(args.out)
    print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB): {len(table)} queries x {len(model.models)} models")
    for m in model.models:
        print(f"  {m:42} ${prices[m]:>8.3f}/1M  -> {tiers[m]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
