"""Spend reports from a ledger's charges: by user, team, key, tag, provider, model, tier, route or day.

Each row sums calls, cost, tokens and the saving against the all-premium baseline: when the
gateway settled a call with `baseline_cost` (what the premium reference model would have cost),
saving = baseline - cost; a call without a baseline counts its own cost as baseline (no saving
claimed), and `baseline_calls` says how many calls had one. A call with several tags counts in
each tag's row; the total counts it once. Days are calendar days in the report's time zone,
by when the call was reserved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

from a3m_integrations.budget.ledger import ChargeRow, Ledger, from_micros
from a3m_integrations.budget.periods import get_timezone
from a3m_integrations.errors import InvalidRequest

__all__ = ["GROUPINGS", "SpendReport", "SpendRow", "spend_report", "summarize"]

#: What a report can be grouped by.
GROUPINGS: tuple[str, ...] = ("user", "team", "key", "tag", "provider", "model", "tier", "route", "day", "status")
_NONE = "(none)"


@dataclass(slots=True)
class SpendRow:
    """Totals for one group."""

    key: str
    calls: int = 0
    cost: int = 0  # micro-dollars
    baseline: int = 0
    baseline_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0

    def add(self, charge: ChargeRow) -> None:
        """Count one charge."""
        self.calls += 1
        self.cost += charge.cost
        if charge.baseline is not None:
            self.baseline += charge.baseline
            self.baseline_calls += 1
        else:
            self.baseline += charge.cost
        self.input_tokens += charge.input_tokens or 0
        self.output_tokens += charge.output_tokens or 0

    @property
    def saving(self) -> Decimal:
        """Baseline minus cost, in USD."""
        return from_micros(self.baseline - self.cost)

    @property
    def saving_pct(self) -> float | None:
        """Saving as a percentage of the baseline (None when there is no baseline)."""
        return None if self.baseline == 0 else round(100.0 * (self.baseline - self.cost) / self.baseline, 2)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "calls": self.calls,
            "cost": str(from_micros(self.cost)),
            "baseline": str(from_micros(self.baseline)),
            "saving": str(self.saving),
            "saving_pct": self.saving_pct,
            "baseline_calls": self.baseline_calls,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
        }


@dataclass(slots=True)
class SpendReport:
    """A grouped spend report."""

    by: str
    since: datetime | None
    until: datetime | None
    timezone: str
    rows: list[SpendRow] = field(default_factory=list)
    total: SpendRow = field(default_factory=lambda: SpendRow("total"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "timezone": self.timezone,
            "rows": [r.to_dict() for r in self.rows],
            "total": self.total.to_dict(),
        }


def _keys(charge: ChargeRow, by: str, tz: tzinfo) -> list[str]:
    if by == "day":
        return [datetime.fromtimestamp(charge.ts, tz).date().isoformat()]
    if by == "tag":
        return list(charge.tags) or [_NONE]
    value = {
        "user": charge.user,
        "team": charge.team,
        "key": charge.api_key_id,
        "provider": charge.provider,
        "model": charge.model,
        "tier": charge.tier,
        "route": charge.route,
        "status": charge.status,
    }[by]
    return [value or _NONE]


def summarize(charges: Iterable[ChargeRow], by: str, tz: tzinfo) -> tuple[list[SpendRow], SpendRow]:
    """Rows grouped by `by` (largest cost first; days in date order) and the overall total."""
    if by not in GROUPINGS:
        raise InvalidRequest(f"cannot group spend by {by!r}; use one of {', '.join(GROUPINGS)}", field="by")
    groups: dict[str, SpendRow] = {}
    total = SpendRow("total")
    for charge in charges:
        total.add(charge)
        for key in _keys(charge, by, tz):
            groups.setdefault(key, SpendRow(key)).add(charge)
    rows = list(groups.values())
    rows.sort(key=(lambda r: r.key) if by == "day" else (lambda r: (-r.cost, r.key)))
    return rows, total


def spend_report(
    ledger: Ledger,
    *,
    by: str = "model",
    since: datetime | None = None,
    until: datetime | None = None,
    timezone: str | tzinfo = "UTC",
) -> SpendReport:
    """Group the ledger's charges reserved in [since, until) by `by`."""
    tz = get_timezone(timezone)
    rows, total = summarize(
        ledger.charges(since.timestamp() if since else None, until.timestamp() if until else None), by, tz
    )
    return SpendReport(by, since, until, str(timezone), rows, total)
