"""Budgets that cannot be overspent: reserve before a call, settle after it, caps per scope and period.

    from a3m_integrations.budget import BudgetManager

    budget = BudgetManager.from_config({"global": {"monthly": "500"}, "users": {"*": {"daily": "5"}}})
    reservation = budget.reserve(context, estimated_cost)      # BudgetExceeded before any call
    budget.settle(reservation, actual_cost, attribution={"model": ..., "provider": ...})

See docs/budgets.md for the design and its guarantees. Names load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "Budget": "a3m_integrations.budget.base",
    "Reservation": "a3m_integrations.budget.base",
    "BudgetManager": "a3m_integrations.budget.manager",
    "BudgetAlert": "a3m_integrations.budget.manager",
    "BudgetStatus": "a3m_integrations.budget.manager",
    "open_ledger": "a3m_integrations.budget.manager",
    "Cap": "a3m_integrations.budget.config",
    "BudgetConfig": "a3m_integrations.budget.config",
    "make_cap": "a3m_integrations.budget.config",
    "parse_config": "a3m_integrations.budget.config",
    "Ledger": "a3m_integrations.budget.ledger",
    "Limit": "a3m_integrations.budget.ledger",
    "Tally": "a3m_integrations.budget.ledger",
    "ChargeRow": "a3m_integrations.budget.ledger",
    "to_micros": "a3m_integrations.budget.ledger",
    "from_micros": "a3m_integrations.budget.ledger",
    "MemoryLedger": "a3m_integrations.budget._memory",
    "SQLiteLedger": "a3m_integrations.budget._sqlite",
    "default_ledger_path": "a3m_integrations.budget._sqlite",
    "Settlement": "a3m_integrations.budget.settlement",
    "SpendReport": "a3m_integrations.budget.report",
    "SpendRow": "a3m_integrations.budget.report",
    "spend_report": "a3m_integrations.budget.report",
    "PERIODS": "a3m_integrations.budget.periods",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'a3m_integrations.budget' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from a3m_integrations.budget._memory import MemoryLedger
    from a3m_integrations.budget._sqlite import SQLiteLedger, default_ledger_path
    from a3m_integrations.budget.base import Budget, Reservation
    from a3m_integrations.budget.config import BudgetConfig, Cap, make_cap, parse_config
    from a3m_integrations.budget.ledger import ChargeRow, Ledger, Limit, Tally, from_micros, to_micros
    from a3m_integrations.budget.manager import BudgetAlert, BudgetManager, BudgetStatus, open_ledger
    from a3m_integrations.budget.periods import PERIODS
    from a3m_integrations.budget.report import SpendReport, SpendRow, spend_report
    from a3m_integrations.budget.settlement import Settlement
