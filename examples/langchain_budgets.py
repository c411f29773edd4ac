"""Budgets per user through A3MChatModel: every call reserves its worst case first, alerts fire once,
and a user over a hard cap is refused before any model is called (nothing sent, nothing charged).

The local model is free, so this example prices it as self-hosted (say, its GPU cost) with a
catalog override; budgets then have something to count offline. One model object serves every
user: who is calling comes from each run's config.

    python examples/langchain_budgets.py
"""

from __future__ import annotations

from a3m_integrations.budget import BudgetAlert, BudgetManager
from a3m_integrations.catalog import Catalog
from a3m_integrations.errors import BudgetExceeded
from a3m_integrations.gateway import A3MGateway
from a3m_integrations.types import RequestContext
from langchain_a3m import A3MChatModel

LOCAL = "local/smollm2-135m-instruct"
GPU_PRICE = {"id": LOCAL, "input_per_1m": "20", "output_per_1m": "60", "price_source": "example: our GPU cost"}
BUDGETS = {
    "ledger": ":memory:",  # a file path keeps spend across runs (SQLite)
    "alerts": [0.5, 1.0],
    "users": {"alice": {"daily": "0.005"}, "*": {"daily": "1"}},
}
QUESTIONS = ["Name a colour.", "Name a fruit.", "Name an animal.", "Name a city.", "Name a planet."]


def main() -> None:
    catalog = Catalog.load({"models": [GPU_PRICE]}, base=Catalog.default())
    budget = BudgetManager.from_config(BUDGETS)

    @budget.on_alert
    def show(alert: BudgetAlert) -> None:
        print(f"  ALERT {alert.scope} {alert.period}: {alert.trigger} at {alert.threshold:.0%} of ${alert.cap}")

    gateway = A3MGateway(catalog=catalog, budget=budget)
    llm = A3MChatModel(gateway=gateway, max_tokens=16, temperature=0)
    for user, questions in (("alice", QUESTIONS), ("bob", QUESTIONS[:2])):
        print(f"user {user}")
        for question in questions:
            try:
                message = llm.invoke(question, config={"metadata": {"user": user}})
            except BudgetExceeded as exc:
                print(f"  refused  {question!r}: {exc.message}")
                break
            meta = message.response_metadata
            print(f"  answered {question!r} on {meta['model_name']} for ${meta['cost']}")
        for status in budget.status(RequestContext(user=user)):
            print(f"  {status.scope} {status.period}: spent ${status.spent} of ${status.cap}")
    gateway.close()


if __name__ == "__main__":
    main()
