"""The a3m-integrations demo: route real prompts and show what each decision saves.

Run with `python3 tasks.py demo`. Each prompt gets a decision (model, tier, complexity, estimated
cost, reasons, fallbacks); the total is compared with sending everything to a premium model.
"""

from __future__ import annotations

from decimal import Decimal

from a3m_integrations.catalog import Catalog
from a3m_integrations.routing.base import estimate_decision_cost
from a3m_integrations.routing.heuristic import HeuristicRouter
from a3m_integrations.types import ChatRequest

PROMPTS = [
    "What is the capital of France?",
    "Write a Python function that removes duplicates from a list while keeping order",
    "Summarize the main arguments for and against a four-day work week",
    "Design a real-time fraud detection pipeline for 50k card payments per second",
    "Review this merger agreement for indemnification and liability exposure",
    "Translate 'where is the train station' into Japanese",
    "Analyze survival data from a phase III oncology trial using Cox regression",
    "Explain how TCP congestion control works",
]
BASELINE = "openai/gpt-4o"


def main() -> None:
    """Route each prompt and print the decisions and the saving against the baseline model."""
    catalog = Catalog.default()
    router = HeuristicRouter(catalog)
    baseline = catalog.model(BASELINE)
    routed_total = baseline_total = Decimal(0)
    for prompt in PROMPTS:
        request = ChatRequest.of(prompt)
        d = router.route(request)
        base_cost = estimate_decision_cost(request, baseline)
        routed_total += d.estimated_cost
        baseline_total += base_cost
        print(f"\n> {prompt}")
        print(f"  {d.tier:<8} {d.model}   complexity {d.complexity:.2f}   est. ${d.estimated_cost:.6f}")
        print(f"  why:       {'; '.join(d.reasons[1:]) or 'plain request'}")
        print(f"  fallbacks: {', '.join(d.fallbacks)}")
    saving = (baseline_total - routed_total) / baseline_total * 100
    print(f"\nAll {len(PROMPTS)} prompts on {BASELINE}: ${baseline_total:.6f} estimated")
    print(f"Routed by a3m:                       ${routed_total:.6f} estimated ({saving:.1f}% saved)")


if __name__ == "__main__":
    main()
