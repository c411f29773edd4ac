"""Budget periods: calendar day, ISO week, calendar month (in a configurable time zone) and total.

A period window is [start, end) in UTC seconds plus a key naming it ("2025-03-30",
"2025-W13", "2025-03", "total"). Boundaries are local midnights computed with zoneinfo, so a
day is 23 or 25 hours long across a DST change and a month is its true length.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo

from a3m_integrations.errors import ConfigError

__all__ = ["PERIODS", "Window", "get_timezone", "window"]

#: The periods a cap can have, shortest first.
PERIODS: tuple[str, ...] = ("daily", "weekly", "monthly", "total")


@dataclass(frozen=True, slots=True)
class Window:
    """One period instance: [start, end) in UTC epoch seconds, and its key."""

    period: str
    key: str
    start: float
    end: float  # math.inf for "total"

    def contains(self, ts: float) -> bool:
        """Whether `ts` falls in this window."""
        return self.start <= ts < self.end

    def resets_at(self, tz: tzinfo) -> datetime | None:
        """When the window ends, as an aware datetime in `tz` (None for "total")."""
        return None if math.isinf(self.end) else datetime.fromtimestamp(self.end, tz)


def get_timezone(name: str | tzinfo | None) -> tzinfo:
    """A tzinfo for an IANA name ("Europe/Berlin"), "UTC", or a tzinfo; ConfigError if unknown."""
    if name is None or name in ("UTC", "utc", "Z"):
        return timezone.utc
    if isinstance(name, tzinfo):
        return name
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    except ImportError:  # pragma: no cover - Python 3.9 and older are not supported
        raise ConfigError("time zones need Python's zoneinfo module", field="timezone") from None
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"unknown time zone {name!r}",
            field="timezone",
            hint="Use an IANA name such as 'UTC', 'Europe/Berlin' or 'America/New_York' "
            "(install the tzdata package if the system has no time zone database).",
        ) from None


def _midnight(day: date, tz: tzinfo) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=tz).timestamp()


def window(period: str, ts: float, tz: tzinfo) -> Window:
    """The window of `period` that contains `ts` (UTC epoch seconds), with boundaries in `tz`."""
    if period == "total":
        return Window("total", "total", -math.inf, math.inf)
    local = datetime.fromtimestamp(ts, tz).date()
    if period == "daily":
        return Window(period, local.isoformat(), _midnight(local, tz), _midnight(local + timedelta(days=1), tz))
    if period == "weekly":
        monday = local - timedelta(days=local.weekday())
        year, week, _ = monday.isocalendar()
        return Window(period, f"{year}-W{week:02d}", _midnight(monday, tz), _midnight(monday + timedelta(days=7), tz))
    if period == "monthly":
        first = local.replace(day=1)
        following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        return Window(period, f"{first.year}-{first.month:02d}", _midnight(first, tz), _midnight(following, tz))
    raise ConfigError(f"unknown budget period {period!r}; use one of {', '.join(PERIODS)}", field="period")
