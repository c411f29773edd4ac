"""`a3m cost`: spend from the budget ledger, grouped, with the saving against an all-premium baseline.

    a3m cost                                # by model, whole ledger
    a3m cost --by day --since 2025-03-01 --until 2025-03-31 --tz Europe/Berlin
    a3m cost --by user --json --ledger /var/lib/a3m/ledger.sqlite3

The ledger is opened read-only: $A3M_LEDGER, else ~/.a3m/ledger.sqlite3, unless --ledger says.
--since and --until take a date (YYYY-MM-DD, a whole day in --tz; --until includes that day)
or an ISO date-time (--until then excludes that instant).
"""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime, timedelta, tzinfo

from a3m_integrations.errors import InvalidRequest

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """Options of `a3m cost`."""
    from a3m_integrations.budget.report import GROUPINGS

    parser.add_argument("--ledger", metavar="PATH", help="ledger file (default: $A3M_LEDGER or ~/.a3m/ledger.sqlite3)")
    parser.add_argument("--by", choices=GROUPINGS, default="model", help="group rows by this (default: model)")
    parser.add_argument("--since", metavar="WHEN", help="first day (YYYY-MM-DD) or instant (ISO date-time)")
    parser.add_argument("--until", metavar="WHEN", help="last day, inclusive (YYYY-MM-DD), or instant, exclusive")
    parser.add_argument("--tz", default="UTC", metavar="ZONE", help="time zone for days and dates (default: UTC)")
    parser.add_argument("--limit", type=int, default=0, metavar="N", help="show only the N largest rows")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def _when(text: str | None, tz: tzinfo, *, end: bool) -> datetime | None:
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is not None:
        if end:
            day += timedelta(days=1)
        return datetime(day.year, day.month, day.day, tzinfo=tz)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidRequest(
            f"{'--until' if end else '--since'} {text!r} is not a date (YYYY-MM-DD) or an ISO date-time",
            field="until" if end else "since",
            hint="Write it like 2025-03-01 or 2025-03-01T12:00:00+01:00.",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _money(micros: int) -> str:
    return f"${micros / 1_000_000:,.4f}"


def _table(rows: list[list[str]]) -> str:
    header = ["", "calls", "cost", "baseline", "saving", "saving %", "tokens in", "tokens out"]
    table = [header, *rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines = []
    for n, row in enumerate(table):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
        if n == 0 or n == len(table) - 2:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def run(args: argparse.Namespace, name: str) -> int:
    """Print the spend report."""
    from a3m_integrations.budget._sqlite import SQLiteLedger
    from a3m_integrations.budget.periods import get_timezone
    from a3m_integrations.budget.report import spend_report

    tz = get_timezone(args.tz)
    since = _when(args.since, tz, end=False)
    until = _when(args.until, tz, end=True)
    if since and until and until <= since:
        raise InvalidRequest("--until must be after --since", field="until")
    if args.limit < 0:
        raise InvalidRequest("--limit must be 0 (all rows) or more", field="limit")
    ledger = SQLiteLedger(args.ledger, readonly=True)
    try:
        report = spend_report(ledger, by=args.by, since=since, until=until, timezone=tz)
    finally:
        ledger.close()
    rows = report.rows[: args.limit] if args.limit else report.rows
    data = report.to_dict()
    data["timezone"] = args.tz
    data["ledger"] = str(ledger.path)
    if args.json:
        data["rows"] = [r.to_dict() for r in rows]
        print(json.dumps(data, indent=2))
        return 0
    if not report.total.calls:
        print(f"no settled calls in {ledger.path}" + (" for that period" if since or until else ""))
        return 0
    lines = []
    for row in [*rows, report.total]:
        pct = row.saving_pct
        lines.append(
            [
                row.key,
                f"{row.calls:,}",
                _money(row.cost),
                _money(row.baseline),
                _money(row.baseline - row.cost),
                "-" if pct is None else f"{pct:.1f}%",
                f"{row.input_tokens:,}",
                f"{row.output_tokens:,}",
            ]
        )
    span = f"{since.date() if since else 'start'} .. {until.date() if until else 'now'}"
    print(f"spend by {args.by}, {span} ({args.tz}), ledger {ledger.path}")
    print(_table(lines))
    covered = report.total.baseline_calls
    if covered < report.total.calls:
        print(f"baseline known for {covered:,} of {report.total.calls:,} calls; the others count no saving")
    return 0
