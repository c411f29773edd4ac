"""Budget configuration: caps per scope and period, from Python or from a dict (the gateway config).

Format (every key optional; amounts are USD as strings or numbers):

    {
      "ledger": "~/.a3m/ledger.sqlite3",      # or ":memory:"; default $A3M_LEDGER or that path
      "timezone": "Europe/Berlin",            # calendar periods are cut at local midnight; default UTC
      "alerts": [0.5, 0.8, 1.0],              # fractions of a cap; default 50/80/100 %
      "lease_seconds": 600,                   # a reservation not settled by then is freed
      "global":   {"monthly": "500"},
      "teams":    {"eng": {"monthly": "200"}},
      "users":    {"u1": {"daily": "5", "soft": true}, "*": {"daily": "10"}},
      "api_keys": {"key-7": {"total": "50"}},
      "tags":     {"batch": {"weekly": "20", "soft": ["weekly"]}},
      "routes":   {"support": {"daily": "30"}}
    }

Periods: daily, weekly (ISO, Monday start), monthly (calendar) and total. `"soft": true` makes
every cap of the entry soft (allowed past the cap, the 100 % alert fires); a list makes only
those periods soft. `"*"` is a default for every member of a kind without its own cap for that
period. A cap of 0 is a hard block (every reservation under it is refused: a kill switch); a
soft cap of 0 is a ConfigError. Negative, NaN or infinite amounts, unknown keys, kinds and
periods are ConfigErrors naming the entry.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from a3m_integrations.budget.ledger import to_micros
from a3m_integrations.budget.periods import PERIODS
from a3m_integrations.errors import ConfigError, InvalidRequest

__all__ = [
    "DEFAULT_ALERTS",
    "DEFAULT_LEASE_SECONDS",
    "SCOPE_KINDS",
    "BudgetConfig",
    "Cap",
    "caps_to_config",
    "make_cap",
    "parse_alerts",
    "parse_config",
    "parse_lease",
    "parse_scope",
]

#: Alert thresholds as fractions of a cap.
DEFAULT_ALERTS: tuple[float, ...] = (0.5, 0.8, 1.0)
#: How long a reservation is held before it expires if never settled.
DEFAULT_LEASE_SECONDS = 600.0
#: config key -> scope kind ("users" -> "user:<id>").
SCOPE_KINDS: dict[str, str] = {
    "global": "global",
    "teams": "team",
    "users": "user",
    "api_keys": "key",
    "tags": "tag",
    "routes": "route",
}
_KINDS = ("global", "team", "user", "key", "tag", "route")
_TOP_KEYS = {"ledger", "timezone", "alerts", "lease_seconds", *SCOPE_KINDS}


@dataclass(frozen=True, slots=True)
class Cap:
    """A spending cap: scope ("global", "team:eng", "user:*"...), period, limit in USD, hard or soft."""

    scope: str
    period: str
    limit: Decimal
    soft: bool = False

    @property
    def micros(self) -> int:
        """The limit in micro-dollars."""
        return to_micros(self.limit, field="cap")

    def to_dict(self) -> dict[str, Any]:
        return {"scope": self.scope, "period": self.period, "limit": str(self.limit), "soft": self.soft}


def parse_scope(scope: str) -> tuple[str, str | None]:
    """("user", "u1") for "user:u1", ("global", None) for "global"; ConfigError for anything else."""
    if scope == "global":
        return "global", None
    kind, sep, ident = scope.partition(":") if isinstance(scope, str) else ("", "", "")
    if not sep or kind not in _KINDS or kind == "global" or not ident.strip():
        raise ConfigError(
            f"unknown budget scope {scope!r}",
            field="scope",
            hint=f"Use 'global' or '<kind>:<id>' with kind one of {', '.join(_KINDS[1:])} "
            "(id '*' for every member of the kind).",
        )
    return kind, ident


def _amount(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ConfigError(f"a budget amount must be a number of dollars, not {value!r}", entry=where)
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ConfigError(f"{value!r} is not a number of dollars", entry=where) from None
    if not amount.is_finite():
        raise ConfigError(f"a budget amount must be finite, not {value!r}", entry=where)
    if amount < 0:
        raise ConfigError(f"a budget amount cannot be negative ({amount})", entry=where)
    return amount


def make_cap(scope: str, period: str, limit: Decimal | str | int | float, *, soft: bool = False) -> Cap:
    """A validated Cap (ConfigError for an unknown scope or period, a bad amount, or a soft cap of 0)."""
    parse_scope(scope)
    where = f"{scope} {period}"
    if period not in PERIODS:
        raise ConfigError(f"unknown budget period {period!r}; use one of {', '.join(PERIODS)}", entry=where)
    amount = _amount(limit, where)
    if soft and amount == 0:
        raise ConfigError(
            "a soft cap of 0 would alert on every call and limit nothing",
            entry=where,
            hint="Use a hard cap of 0 to block the scope, or a positive soft cap.",
        )
    try:
        to_micros(amount)
    except InvalidRequest as exc:  # pragma: no cover - _amount already checked
        raise ConfigError(exc.message, entry=where) from None
    return Cap(scope, period, amount, soft)


def parse_alerts(value: Any) -> tuple[float, ...]:
    """Alert thresholds, sorted and unique; each a fraction of the cap in (0, 10]."""
    if not isinstance(value, Sequence) or isinstance(value, (str, bytes)):
        raise ConfigError("alerts must be a list of fractions such as [0.5, 0.8, 1.0]", field="alerts")
    out = set()
    for item in value:
        if isinstance(item, bool) or not isinstance(item, (int, float, Decimal, str)):
            raise ConfigError(f"alert threshold {item!r} is not a number", field="alerts")
        try:
            number = float(item)
        except ValueError:
            raise ConfigError(f"alert threshold {item!r} is not a number", field="alerts") from None
        if not math.isfinite(number) or not 0 < number <= 10:
            raise ConfigError(f"alert threshold {item!r} must be a fraction of the cap in (0, 10]", field="alerts")
        out.add(number)
    return tuple(sorted(out))


def parse_lease(value: Any) -> float:
    """A lease length in seconds (positive, finite)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ConfigError(f"lease_seconds must be a positive number of seconds, not {value!r}", field="lease_seconds")
    return float(value)


@dataclass(frozen=True, slots=True)
class BudgetConfig:
    """Parsed budget configuration."""

    caps: tuple[Cap, ...] = ()
    timezone: str = "UTC"
    alerts: tuple[float, ...] = DEFAULT_ALERTS
    lease_seconds: float = DEFAULT_LEASE_SECONDS
    ledger: str | None = None


def _entry_caps(scope: str, entry: Any) -> list[Cap]:
    if not isinstance(entry, Mapping):
        raise ConfigError(f"budget entry for {scope} must be an object like {{'monthly': '100'}}", entry=scope)
    soft = entry.get("soft", False)
    unknown = set(entry) - {*PERIODS, "soft"}
    if unknown:
        raise ConfigError(
            f"unknown key(s) {', '.join(sorted(map(str, unknown)))} in the budget for {scope}",
            entry=scope,
            hint=f"Use the periods {', '.join(PERIODS)} and 'soft'.",
        )
    if isinstance(soft, bool):
        soft_periods = set(PERIODS) if soft else set()
    elif isinstance(soft, Sequence) and not isinstance(soft, str) and all(p in PERIODS for p in soft):
        soft_periods = set(soft)
    else:
        raise ConfigError("'soft' must be true, false or a list of periods", entry=scope, field="soft")
    return [make_cap(scope, p, entry[p], soft=p in soft_periods) for p in PERIODS if p in entry]


def parse_config(data: Mapping[str, Any]) -> BudgetConfig:
    """Parse the budget section of a config (see the module docstring); ConfigError on any problem."""
    if not isinstance(data, Mapping):
        raise ConfigError("the budget configuration must be an object")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ConfigError(
            f"unknown budget key(s): {', '.join(sorted(map(str, unknown)))}",
            hint=f"Known keys: {', '.join(sorted(_TOP_KEYS))}.",
        )
    caps: list[Cap] = []
    if "global" in data:
        caps += _entry_caps("global", data["global"])
    for key, kind in SCOPE_KINDS.items():
        if kind == "global" or key not in data:
            continue
        members = data[key]
        if not isinstance(members, Mapping):
            raise ConfigError(f"'{key}' must map ids to budget entries", field=key)
        for ident, entry in members.items():
            if not isinstance(ident, str) or not ident.strip():
                raise ConfigError(f"'{key}' has an empty or non-text id {ident!r}", field=key)
            caps += _entry_caps(f"{kind}:{ident}", entry)
    timezone = data.get("timezone", "UTC")
    if not isinstance(timezone, str):
        raise ConfigError("timezone must be an IANA name such as 'Europe/Berlin'", field="timezone")
    from a3m_integrations.budget.periods import get_timezone

    get_timezone(timezone)  # validate now, not on the first request
    ledger = data.get("ledger")
    if ledger is not None and not isinstance(ledger, str):
        raise ConfigError("ledger must be a file path or ':memory:'", field="ledger")
    return BudgetConfig(
        caps=tuple(caps),
        timezone=timezone,
        alerts=parse_alerts(data["alerts"]) if "alerts" in data else DEFAULT_ALERTS,
        lease_seconds=parse_lease(data["lease_seconds"]) if "lease_seconds" in data else DEFAULT_LEASE_SECONDS,
        ledger=ledger,
    )


def caps_to_config(caps: Iterable[Cap]) -> dict[str, Any]:
    """The scope part of a config dict for `caps` (the inverse of parse_config's caps)."""
    out: dict[str, Any] = {}
    kinds = {v: k for k, v in SCOPE_KINDS.items()}
    for cap in caps:
        kind, ident = parse_scope(cap.scope)
        entry = (
            out.setdefault("global", {}) if kind == "global" else out.setdefault(kinds[kind], {}).setdefault(ident, {})
        )
        entry[cap.period] = str(cap.limit)
        if cap.soft:
            soft = entry.setdefault("soft", [])
            soft.append(cap.period)
    return out
