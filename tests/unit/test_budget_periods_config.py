from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from a3m_integrations.budget.config import Cap, caps_to_config, make_cap, parse_config
from a3m_integrations.budget.periods import get_timezone, window
from a3m_integrations.errors import ConfigError

BERLIN = get_timezone("Europe/Berlin")
NEW_YORK = get_timezone("America/New_York")


def ts(tz: Any, *args: int) -> float:
    return datetime(*args, tzinfo=tz).timestamp()


@pytest.mark.parametrize(
    ("moment", "key", "start", "end"),
    [
        ((2025, 1, 31, 23, 59), "2025-01", (2025, 1, 1), (2025, 2, 1)),
        ((2025, 2, 1, 0, 0), "2025-02", (2025, 2, 1), (2025, 3, 1)),
        ((2024, 2, 29, 12, 0), "2024-02", (2024, 2, 1), (2024, 3, 1)),
        ((2025, 12, 31, 23, 30), "2025-12", (2025, 12, 1), (2026, 1, 1)),
        ((2025, 3, 30, 3, 0), "2025-03", (2025, 3, 1), (2025, 4, 1)),  # month holding the spring DST change
    ],
)
def test_monthly_windows_follow_the_calendar(
    moment: tuple[int, ...], key: str, start: tuple[int, ...], end: tuple[int, ...]
) -> None:
    w = window("monthly", ts(BERLIN, *moment), BERLIN)
    assert w.key == key
    assert w.start == ts(BERLIN, *start) and w.end == ts(BERLIN, *end)
    assert w.contains(ts(BERLIN, *moment))
    assert w.resets_at(BERLIN) == datetime(*end, tzinfo=BERLIN)


def test_month_boundary_is_local_midnight_not_utc() -> None:
    # 23:30 UTC on Jan 31 is already February in Berlin (UTC+1)
    moment = datetime(2025, 1, 31, 23, 30, tzinfo=timezone.utc).timestamp()
    assert window("monthly", moment, BERLIN).key == "2025-02"
    assert window("monthly", moment, timezone.utc).key == "2025-01"
    assert window("monthly", moment, NEW_YORK).key == "2025-01"


@pytest.mark.parametrize(
    ("tz", "day", "hours"),
    [
        (BERLIN, (2025, 3, 30), 23),  # spring forward
        (BERLIN, (2025, 10, 26), 25),  # fall back
        (NEW_YORK, (2025, 3, 9), 23),
        (NEW_YORK, (2025, 11, 2), 25),
        (BERLIN, (2025, 6, 1), 24),
    ],
)
def test_daily_windows_across_dst(tz: Any, day: tuple[int, int, int], hours: int) -> None:
    noon = ts(tz, *day, 12)
    w = window("daily", noon, tz)
    assert w.key == "{:04d}-{:02d}-{:02d}".format(*day)
    assert (w.end - w.start) / 3600 == hours
    nxt = window("daily", w.end, tz)
    assert nxt.start == w.end  # windows tile time with no gap or overlap
    assert window("daily", w.end - 0.001, tz).key == w.key


def test_weekly_is_iso_monday_start_across_year_end() -> None:
    w = window("weekly", ts(BERLIN, 2025, 12, 31, 10), BERLIN)
    assert w.key == "2026-W01"
    assert datetime.fromtimestamp(w.start, BERLIN) == datetime(2025, 12, 29, tzinfo=BERLIN)
    assert w.end - w.start == timedelta(days=7).total_seconds()
    spring = window("weekly", ts(BERLIN, 2025, 3, 30, 12), BERLIN)  # a week with a 23-hour day
    assert spring.end - spring.start == 7 * 86400 - 3600


def test_total_never_resets() -> None:
    w = window("total", 0.0, BERLIN)
    assert w.key == "total" and math.isinf(w.end) and w.resets_at(BERLIN) is None


def test_unknown_period_and_zone() -> None:
    with pytest.raises(ConfigError, match="period"):
        window("hourly", 0.0, BERLIN)
    with pytest.raises(ConfigError, match="time zone"):
        get_timezone("Mars/Olympus")


def test_parse_config_example() -> None:
    cfg = parse_config(
        {
            "global": {"monthly": "500"},
            "teams": {"eng": {"monthly": "200"}},
            "users": {"u1": {"daily": "5", "soft": True}, "*": {"daily": 10, "weekly": "40", "soft": ["weekly"]}},
            "api_keys": {"k1": {"total": "50"}},
            "tags": {"batch": {"weekly": 20.5}},
            "routes": {"support": {"daily": "0"}},
            "timezone": "Europe/Berlin",
            "alerts": [0.8, 0.5, 1.0, 0.5],
            "lease_seconds": 120,
            "ledger": ":memory:",
        }
    )
    caps = {(c.scope, c.period): c for c in cfg.caps}
    assert caps[("global", "monthly")] == Cap("global", "monthly", Decimal("500"))
    assert caps[("user:u1", "daily")].soft
    assert caps[("user:*", "daily")].limit == Decimal(10) and not caps[("user:*", "daily")].soft
    assert caps[("user:*", "weekly")].soft
    assert caps[("key:k1", "total")].limit == Decimal(50)
    assert caps[("tag:batch", "weekly")].limit == Decimal("20.5")
    assert caps[("route:support", "daily")].micros == 0  # a hard 0: the route is blocked
    assert cfg.alerts == (0.5, 0.8, 1.0)
    assert cfg.timezone == "Europe/Berlin" and cfg.lease_seconds == 120 and cfg.ledger == ":memory:"
    again = parse_config(caps_to_config(cfg.caps))
    assert set(again.caps) == set(cfg.caps)


@pytest.mark.parametrize(
    ("config", "match"),
    [
        ({"planets": {}}, "unknown budget key"),
        ({"global": {"hourly": "1"}}, "unknown key"),
        ({"global": {"daily": "-1"}}, "negative"),
        ({"global": {"daily": "NaN"}}, "finite"),
        ({"global": {"daily": float("inf")}}, "finite"),
        ({"global": {"daily": True}}, "number of dollars"),
        ({"global": {"daily": "lots"}}, "not a number"),
        ({"users": {"u1": {"daily": "0", "soft": True}}}, "soft cap of 0"),
        ({"users": {"u1": {"daily": "1", "soft": "yes"}}}, "soft"),
        ({"users": {"": {"daily": "1"}}}, "empty"),
        ({"users": ["u1"]}, "map ids"),
        ({"alerts": [0.5, -1]}, "alert threshold"),
        ({"alerts": "0.5"}, "list"),
        ({"lease_seconds": 0}, "lease_seconds"),
        ({"timezone": "Nowhere/City"}, "time zone"),
        ({"ledger": 5}, "ledger"),
    ],
)
def test_bad_config_is_a_config_error(config: dict[str, Any], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        parse_config(config)


@pytest.mark.parametrize("scope", ["planet:earth", "user:", "user", "", "global:x", "team: "])
def test_unknown_scopes_are_config_errors(scope: str) -> None:
    with pytest.raises(ConfigError, match="scope"):
        make_cap(scope, "daily", "1")
