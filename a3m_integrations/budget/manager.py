"""BudgetManager: caps per scope and period, enforced through a Ledger by reserve -> settle.

Every request maps to scopes from its RequestContext: `global`, `team:<team>`, `user:<user>`,
`key:<api_key_id>`, `tag:<tag>` (each tag) and `route:<route>`. Each configured cap that applies
becomes a `Limit` for the current period window; `reserve` holds the estimated cost under all of
them at once or raises BudgetExceeded before any provider is called; `settle` charges the actual
cost once and frees the rest. Alerts fire once per scope, period and threshold, to registered
callbacks and to the EventBus. The async twins run the same methods in a worker thread when the
ledger does blocking I/O.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from a3m_integrations.budget.base import Reservation
from a3m_integrations.budget.config import (
    DEFAULT_ALERTS,
    DEFAULT_LEASE_SECONDS,
    Cap,
    make_cap,
    parse_alerts,
    parse_config,
    parse_lease,
    parse_scope,
)
from a3m_integrations.budget.ledger import AlertHit, Ledger, Limit, from_micros, scope_matches, to_micros
from a3m_integrations.budget.periods import Window, get_timezone, window
from a3m_integrations.errors import BudgetExceeded, ConfigError, InvalidRequest
from a3m_integrations.events import EventBus
from a3m_integrations.types import RequestContext

__all__ = ["AlertCallback", "BudgetAlert", "BudgetManager", "BudgetStatus", "open_ledger"]

_log = logging.getLogger("a3m_integrations.budget")


@dataclass(frozen=True, slots=True)
class BudgetAlert:
    """A threshold reached for a scope in a period (fires once per scope, period and threshold).

    trigger: "spend" (settled spend reached threshold x cap), "soft_cap" (a request was let
    over a soft cap; this is the 100 % alert of a soft cap) or "refused" (a hard cap refused a
    request: fires once per scope and period, threshold 1.0, separately from the spend alerts).
    """

    scope: str
    period: str
    period_key: str
    threshold: float
    cap: Decimal
    spent: Decimal
    reserved: Decimal
    soft: bool
    trigger: str
    resets_at: datetime | None
    request_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "period": self.period,
            "period_key": self.period_key,
            "threshold": self.threshold,
            "cap": str(self.cap),
            "spent": str(self.spent),
            "reserved": str(self.reserved),
            "soft": self.soft,
            "trigger": self.trigger,
            "resets_at": self.resets_at.isoformat() if self.resets_at else None,
        }


@dataclass(frozen=True, slots=True)
class BudgetStatus:
    """Where one cap stands now."""

    scope: str
    period: str
    period_key: str
    cap: Decimal
    spent: Decimal
    reserved: Decimal
    soft: bool
    resets_at: datetime | None

    @property
    def remaining(self) -> Decimal:
        """What can still be reserved (never below 0)."""
        return max(Decimal(0), self.cap - self.spent - self.reserved)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "period": self.period,
            "period_key": self.period_key,
            "cap": str(self.cap),
            "spent": str(self.spent),
            "reserved": str(self.reserved),
            "remaining": str(self.remaining),
            "soft": self.soft,
            "resets_at": self.resets_at.isoformat() if self.resets_at else None,
        }


AlertCallback = Callable[[BudgetAlert], None]


def open_ledger(ledger: Ledger | str | os.PathLike[str] | None) -> Ledger:
    """A ledger from a Ledger, a path (SQLite), ":memory:" or None (the default SQLite path)."""
    if ledger is not None and not isinstance(ledger, (str, os.PathLike)):
        if not isinstance(ledger, Ledger):
            raise ConfigError(f"ledger must be a Ledger, a path or ':memory:', not {type(ledger).__name__}")
        return ledger
    if ledger == ":memory:":
        from a3m_integrations.budget._memory import MemoryLedger

        return MemoryLedger()
    from a3m_integrations.budget._sqlite import SQLiteLedger

    return SQLiteLedger(ledger)


class BudgetManager:
    """Spend caps per scope and period, enforced by reserve -> settle (implements the Budget protocol).

    Args:
        ledger: a Ledger, a SQLite path, ":memory:", or None for the default SQLite ledger
            ($A3M_LEDGER or ~/.a3m/ledger.sqlite3) so caps survive restarts.
        caps: Cap objects (see `make_cap`), or use `set_cap` / `from_config`.
        timezone: IANA zone where daily/weekly/monthly periods start at midnight (default UTC).
        alerts: thresholds as fractions of a cap (default 0.5, 0.8, 1.0).
        lease_seconds: how long a reservation is held if never settled (a crashed process's
            reservation frees itself after this).
        events: an EventBus for "budget_reserved", "budget_settled" and "budget_alert" events.
        clock: seconds since the epoch (tests pass a fake clock).
        expire_every: how often (seconds) `reserve` also frees expired leases in the ledger.
    """

    def __init__(
        self,
        ledger: Ledger | str | os.PathLike[str] | None = None,
        *,
        caps: Iterable[Cap] = (),
        timezone: str | tzinfo = "UTC",
        alerts: Sequence[float] = DEFAULT_ALERTS,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
        events: EventBus | None = None,
        clock: Callable[[], float] = time.time,
        expire_every: float = 30.0,
    ) -> None:
        self.ledger: Ledger = open_ledger(ledger)
        self.tz = get_timezone(timezone)
        self.alerts: tuple[float, ...] = parse_alerts(list(alerts))
        self.lease_seconds = parse_lease(lease_seconds)
        self.events = events
        self.clock = clock
        self.expire_every = float(expire_every)
        self._lock = threading.Lock()
        self._caps: dict[tuple[str, str], Cap] = {}
        self._index: dict[str, dict[str | None, list[tuple[Cap, int]]]] = {}
        self._windows: dict[str, Window] = {}
        # scope owners -> (index it was built from, valid from, valid until, limits, their scopes)
        self._limits_cache: dict[tuple[Any, ...], tuple[object, float, float, tuple[Limit, ...], tuple[str, ...]]] = {}
        self._callbacks: list[AlertCallback] = []
        self._last_expire = 0.0
        for cap in caps:
            self._caps[(cap.scope, cap.period)] = make_cap(cap.scope, cap.period, cap.limit, soft=cap.soft)
        self._reindex()

    @classmethod
    def from_config(
        cls,
        config: Mapping[str, Any],
        *,
        ledger: Ledger | str | os.PathLike[str] | None = None,
        events: EventBus | None = None,
        clock: Callable[[], float] = time.time,
    ) -> BudgetManager:
        """Build from a config dict (format in `budget/config.py`); `ledger` overrides config["ledger"]."""
        parsed = parse_config(config)
        return cls(
            ledger if ledger is not None else parsed.ledger,
            caps=parsed.caps,
            timezone=parsed.timezone,
            alerts=parsed.alerts,
            lease_seconds=parsed.lease_seconds,
            events=events,
            clock=clock,
        )

    def __repr__(self) -> str:
        return f"BudgetManager(caps={len(self._caps)}, ledger={self.ledger!r}, timezone={self.tz})"

    def __enter__(self) -> BudgetManager:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the ledger."""
        self.ledger.close()

    # ---- caps ----
    @property
    def caps(self) -> tuple[Cap, ...]:
        """The configured caps."""
        return tuple(self._caps.values())

    def set_cap(self, scope: str, period: str, limit: Decimal | str | int | float, *, soft: bool = False) -> Cap:
        """Add or replace the cap of `scope` for `period` ("user:*" sets every user's default)."""
        cap = make_cap(scope, period, limit, soft=soft)
        with self._lock:
            self._caps[(scope, period)] = cap
            self._reindex()
        return cap

    def remove_cap(self, scope: str, period: str | None = None) -> int:
        """Remove the cap(s) of `scope` (one period, or all); returns how many were removed."""
        parse_scope(scope)
        with self._lock:
            gone = [k for k in self._caps if k[0] == scope and (period is None or k[1] == period)]
            for key in gone:
                del self._caps[key]
            self._reindex()
        return len(gone)

    def _reindex(self) -> None:
        index: dict[str, dict[str | None, list[tuple[Cap, int]]]] = {}
        for cap in self._caps.values():
            kind, ident = parse_scope(cap.scope)
            index.setdefault(kind, {}).setdefault(ident, []).append((cap, cap.micros))
        self._index = index

    def on_alert(self, callback: AlertCallback) -> AlertCallback:
        """Register a callback for budget alerts (usable as a decorator). Exceptions are logged."""
        self._callbacks.append(callback)
        return callback

    def remove_alert_callback(self, callback: AlertCallback) -> None:
        """Unregister an alert callback (no error if absent)."""
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    # ---- scopes and limits ----
    @classmethod
    def scopes_for(cls, context: RequestContext) -> tuple[str, ...]:
        """Every scope a request belongs to: global, team, user, key, tags, route."""
        return tuple(scope for _, _, scope in cls._kinds_for(context))

    def _window(self, period: str, now: float) -> Window:
        cached = self._windows.get(period)
        if cached is not None and cached.contains(now):
            return cached
        fresh = window(period, now, self.tz)
        self._windows[period] = fresh
        return fresh

    @staticmethod
    def _kinds_for(context: RequestContext) -> list[tuple[str, str | None, str]]:
        """(kind, id, scope) for every scope of the request, in `scopes_for` order."""
        out: list[tuple[str, str | None, str]] = [("global", None, "global")]
        for kind, ident in (("team", context.team), ("user", context.user), ("key", context.api_key_id)):
            if ident:
                out.append((kind, ident, f"{kind}:{ident}"))
        out += [("tag", t, f"tag:{t}") for t in dict.fromkeys(context.tags) if t]
        if context.route:
            out.append(("route", context.route, f"route:{context.route}"))
        return out

    def limits_for(self, context: RequestContext, now: float | None = None) -> list[Limit]:
        """The limits a request is held under now: one per applicable cap and period."""
        return list(self._limits(context, self.clock() if now is None else now)[0])

    def _limits(self, context: RequestContext, now: float) -> tuple[tuple[Limit, ...], tuple[str, ...]]:
        """(limits, their distinct scopes) for the request now, cached per scope owners and windows."""
        index = self._index
        owners = (context.team, context.user, context.api_key_id, tuple(context.tags), context.route)
        cached = self._limits_cache.get(owners)
        if cached is not None and cached[0] is index and cached[1] <= now < cached[2]:
            return cached[3], cached[4]
        limits = tuple(self._build_limits(context, now, index))
        scopes = tuple(dict.fromkeys(lim.scope for lim in limits))
        if len(self._limits_cache) > 10_000:
            self._limits_cache.clear()
        start = max((lim.start for lim in limits), default=-math.inf)
        end = min((lim.end for lim in limits), default=math.inf)
        self._limits_cache[owners] = (index, start, end, limits, scopes)
        return limits, scopes

    def _build_limits(
        self, context: RequestContext, now: float, index: dict[str, dict[str | None, list[tuple[Cap, int]]]]
    ) -> list[Limit]:
        limits: list[Limit] = []
        for kind, ident, scope in self._kinds_for(context):
            members = index.get(kind)
            if not members:
                continue
            own = members.get(ident, [])
            periods = {c.period for c, _ in own}
            chosen = own + [(c, m) for c, m in members.get("*", []) if c.period not in periods]
            for cap, micros in chosen:
                w = self._window(cap.period, now)
                limits.append(Limit(scope, cap.period, w.key, w.start, w.end, micros, not cap.soft))
        return limits

    # ---- reserve / settle ----
    def reserve(
        self,
        context: RequestContext,
        amount: Decimal | int | str,
        *,
        request_id: str | None = None,
        lease_seconds: float | None = None,
    ) -> Reservation:
        """Hold `amount` (USD) under every cap of the request, or raise BudgetExceeded.

        BudgetExceeded names the first hard cap that would be crossed, its cap, its spend plus
        reservations, the amount asked and when the period resets. InvalidRequest for a bad amount.
        """
        micros = to_micros(amount)
        lease = self.lease_seconds if lease_seconds is None else float(lease_seconds)
        if not lease > 0:
            raise InvalidRequest("lease_seconds must be positive", field="lease_seconds")
        request_id = request_id or context.request_id
        now = self.clock()
        if now - self._last_expire > self.expire_every:
            self._last_expire = now
            self.ledger.expire(now)
        limits, scopes = self._limits(context, now)
        meta = {
            "request_id": request_id,
            "user": context.user,
            "team": context.team,
            "api_key_id": context.api_key_id,
            "route": context.route,
            "tags": list(dict.fromkeys(context.tags)),
        }
        outcome = self.ledger.reserve(
            micros, limits, now=now, expires_at=now + lease, meta=meta, thresholds=self.alerts
        )
        self._dispatch(outcome.alerts, request_id)
        if not outcome.accepted or outcome.reservation_id is None:
            refused = outcome.refused
            assert refused is not None
            limit = refused.limit
            raise BudgetExceeded(
                scope=limit.scope,
                cap=from_micros(limit.cap),
                spent=from_micros(refused.committed),
                requested=from_micros(micros),
                resets_at=self._resets_at(limit),
                period=limit.period,
            )
        reservation = Reservation(outcome.reservation_id, from_micros(micros), scopes, now + lease)
        if self.events:
            self.events.emit(
                "budget_reserved",
                request_id,
                reservation_id=reservation.id,
                amount=str(reservation.amount),
                scopes=list(scopes),
                expires_at=reservation.expires_at,
            )
        return reservation

    def settle(
        self,
        reservation: Reservation,
        actual: Decimal | int | str,
        *,
        attribution: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
        baseline_cost: Decimal | int | str | None = None,
    ) -> None:
        """Charge `actual` (USD) for `reservation` once and free the rest of what it held.

        attribution: model, provider, tier, route, user, team, request_id, input_tokens,
            output_tokens, and any other string fields; stored with the charge for reports.
        baseline_cost: what the call would have cost on the premium reference model (also
            accepted as attribution["baseline_cost"]); reports show the saving against it.
        idempotency_key: a key of the caller's; a second settle with it charges nothing.
        A second settle of the same reservation charges nothing either. Settling after the
        lease expired still charges (a "late" settle). LedgerError if the ledger never made it.
        """
        cost = to_micros(actual, field="actual")
        attr = {k: v for k, v in (attribution or {}).items() if v is not None}
        baseline = baseline_cost if baseline_cost is not None else attr.pop("baseline_cost", None)
        attr.pop("baseline_cost", None)
        if baseline is not None:
            attr["baseline_cost_micros"] = to_micros(baseline, field="baseline_cost")
        outcome = self.ledger.settle(
            reservation.id,
            cost,
            now=self.clock(),
            idempotency_key=idempotency_key,
            attribution=attr,
            thresholds=self.alerts,
        )
        request_id = attr.get("request_id")
        self._dispatch(outcome.alerts, request_id)
        overrun = outcome.status != "duplicate" and cost > outcome.reserved
        if overrun:
            _log.info(
                "reservation %s settled above its estimate (%s > %s USD)",
                reservation.id,
                from_micros(cost),
                from_micros(outcome.reserved),
            )
        if self.events:
            self.events.emit(
                "budget_settled",
                request_id,
                reservation_id=reservation.id,
                cost=str(from_micros(outcome.charged)),
                reserved=str(reservation.amount),
                status=outcome.status,
                overrun=overrun,
            )

    def release(self, reservation: Reservation) -> None:
        """Free a reservation whose call never happened (no charge). A no-op if already settled."""
        self.ledger.release(reservation.id, now=self.clock())

    def extend(self, reservation: Reservation, seconds: float | None = None) -> Reservation:
        """Push a long call's lease end to now + `seconds` (default: the lease); returns the new Reservation."""
        expires_at = self.clock() + (self.lease_seconds if seconds is None else float(seconds))
        if not self.ledger.extend(reservation.id, expires_at):
            raise InvalidRequest(
                f"reservation {reservation.id} is no longer open (settled, released or expired)",
                field="reservation",
                hint="Settle it anyway: a late settle still charges the actual cost.",
            )
        return Reservation(reservation.id, reservation.amount, reservation.scopes, expires_at)

    def expire(self) -> int:
        """Free reservations whose lease ended; returns how many."""
        self._last_expire = now = self.clock()
        return self.ledger.expire(now)

    def settlement(self, reservation: Reservation, attribution: Mapping[str, Any] | None = None) -> Any:
        """A guard that settles `reservation` exactly once, even if a stream is abandoned."""
        from a3m_integrations.budget.settlement import Settlement

        return Settlement(self, reservation, attribution)

    # ---- async twins: the same code, in a worker thread when the ledger blocks ----
    async def _run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if getattr(self.ledger, "blocking", True):
            return await asyncio.to_thread(fn, *args, **kwargs)
        return fn(*args, **kwargs)

    async def areserve(
        self,
        context: RequestContext,
        amount: Decimal | int | str,
        *,
        request_id: str | None = None,
        lease_seconds: float | None = None,
    ) -> Reservation:
        """Async `reserve`."""
        result: Reservation = await self._run(
            self.reserve, context, amount, request_id=request_id, lease_seconds=lease_seconds
        )
        return result

    async def asettle(
        self,
        reservation: Reservation,
        actual: Decimal | int | str,
        *,
        attribution: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
        baseline_cost: Decimal | int | str | None = None,
    ) -> None:
        """Async `settle`."""
        await self._run(
            self.settle,
            reservation,
            actual,
            attribution=attribution,
            idempotency_key=idempotency_key,
            baseline_cost=baseline_cost,
        )

    async def arelease(self, reservation: Reservation) -> None:
        """Async `release`."""
        await self._run(self.release, reservation)

    # ---- reading ----
    def _resets_at(self, limit: Limit) -> datetime | None:
        return Window(limit.period, limit.key, limit.start, limit.end).resets_at(self.tz)

    def status(self, context: RequestContext | None = None) -> list[BudgetStatus]:
        """Where each cap stands now: the caps that apply to `context`, or every concrete cap."""
        now = self.clock()
        self.ledger.expire(now)
        if context is not None:
            limits = self.limits_for(context, now)
        else:
            limits = []
            for cap in self._caps.values():
                if cap.scope.endswith(":*"):
                    continue  # a default, not a counter of its own
                w = self._window(cap.period, now)
                limits.append(Limit(cap.scope, cap.period, w.key, w.start, w.end, cap.micros, not cap.soft))
        out = []
        for lim in limits:
            tally = self.ledger.tally(lim)
            out.append(
                BudgetStatus(
                    lim.scope,
                    lim.period,
                    lim.key,
                    from_micros(lim.cap),
                    from_micros(tally.spent),
                    from_micros(tally.reserved),
                    not lim.hard,
                    self._resets_at(lim),
                )
            )
        return out

    def spend(self, scope: str, period: str = "total") -> Decimal:
        """Settled spend of `scope` in the current `period` window, from the ledger's charges."""
        parse_scope(scope)
        w = window(period, self.clock(), self.tz)
        since = None if math.isinf(w.start) else w.start
        until = None if math.isinf(w.end) else w.end
        rows = self.ledger.charges(since, until)
        return from_micros(
            sum(c.cost for c in rows if scope_matches(scope, c.user, c.team, c.api_key_id, c.route, c.tags))
        )

    # ---- alerts ----
    def _dispatch(self, hits: Sequence[AlertHit], request_id: str | None) -> None:
        for hit in hits:
            alert = BudgetAlert(
                scope=hit.limit.scope,
                period=hit.limit.period,
                period_key=hit.limit.key,
                threshold=hit.threshold,
                cap=from_micros(hit.limit.cap),
                spent=from_micros(hit.spent),
                reserved=from_micros(hit.reserved),
                soft=not hit.limit.hard,
                trigger=hit.trigger,
                resets_at=self._resets_at(hit.limit),
                request_id=request_id,
            )
            _log.warning(
                "budget %s (%s %s) reached %d%% of $%s (%s)",
                alert.scope,
                alert.period,
                alert.period_key,
                round(alert.threshold * 100),
                alert.cap,
                alert.trigger,
            )
            for callback in tuple(self._callbacks):
                try:
                    callback(alert)
                except Exception:  # an alert hook must never break a request
                    _log.exception("budget alert callback %r failed", callback)
            if self.events:
                self.events.emit("budget_alert", request_id, **alert.to_dict())


if TYPE_CHECKING:  # mypy checks that BudgetManager satisfies the Budget protocol the gateway uses
    from a3m_integrations.budget.base import Budget

    _conforms: type[Budget] = BudgetManager
