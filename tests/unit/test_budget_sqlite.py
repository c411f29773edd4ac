"""SQLiteLedger: persistence, corrupt and foreign files, read-only use, group commit isolation."""

from __future__ import annotations

import json
import math
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from a3m_integrations.budget import SQLiteLedger
from a3m_integrations.budget.ledger import Limit
from a3m_integrations.cli import main
from a3m_integrations.errors import LedgerError

GLOBAL = Limit("global", "total", "total", -math.inf, math.inf, 1_000_000, True)


def reserve(ledger: SQLiteLedger, amount: int, now: float = 100.0) -> str:
    outcome = ledger.reserve(amount, [GLOBAL], now=now, expires_at=now + 60, meta={"user": "u1"}, thresholds=(0.5,))
    assert outcome.accepted and outcome.reservation_id
    return outcome.reservation_id


def test_state_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "ledger.sqlite3"
    first = SQLiteLedger(path)
    rid = reserve(first, 300_000)
    open_id = reserve(first, 100_000)
    first.settle(rid, 250_000, now=101.0, attribution={"model": "m"})
    first.close()
    with pytest.raises(LedgerError, match="closed"):
        first.open_reservations()
    again = SQLiteLedger(path)
    assert again.tally(GLOBAL).spent == 250_000 and again.tally(GLOBAL).reserved == 100_000
    assert again.settle(rid, 250_000, now=102.0).status == "duplicate"
    assert again.release(open_id, now=103.0) and not again.release(open_id, now=103.0)
    assert again.tally(GLOBAL).reserved == 0
    assert again.integrity_check() == "ok"
    assert again._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all" * 100, b"SQLite format 3\x00" + os.urandom(4000)],
)
def test_corrupt_or_foreign_file_is_a_ledger_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "ledger.sqlite3"
    path.write_bytes(content)
    with pytest.raises(LedgerError, match="ledger"):
        SQLiteLedger(path)
    assert path.read_bytes() == content  # left untouched for inspection


def test_truncated_ledger_is_a_ledger_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    led = SQLiteLedger(path)
    for _ in range(300):
        led.settle(reserve(led, 100), 100, now=101.0, attribution={"model": "x" * 200})
    led._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    led.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    for f in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        f.unlink(missing_ok=True)

    def open_and_read() -> None:
        broken = SQLiteLedger(path)
        broken.charges()  # if opening passed the quick check, reading the lost pages must fail cleanly

    with pytest.raises(LedgerError):
        open_and_read()


def test_a_directory_or_newer_schema_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LedgerError):
        SQLiteLedger(tmp_path)
    path = tmp_path / "future.sqlite3"
    SQLiteLedger(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(LedgerError, match="schema version 99"):
        SQLiteLedger(path)


def test_readonly_ledger(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match="no ledger at"):
        SQLiteLedger(tmp_path / "missing.sqlite3", readonly=True)
    path = tmp_path / "ledger.sqlite3"
    writer = SQLiteLedger(path)
    writer.settle(reserve(writer, 500), 400, now=101.0)
    reader = SQLiteLedger(path, readonly=True)
    assert [c.cost for c in reader.charges()] == [400]
    with pytest.raises(LedgerError):
        reader.reserve(1, [GLOBAL], now=1.0, expires_at=2.0, meta={})
    assert [c.cost for c in writer.charges()] == [400]


def test_one_failing_operation_does_not_spoil_its_batch(tmp_path: Path) -> None:
    """Threads share commits; a settle of an unknown id fails alone, the others commit."""
    led = SQLiteLedger(tmp_path / "ledger.sqlite3")
    errors: list[Exception] = []
    done: list[str] = []
    lock = threading.Lock()

    def good() -> None:
        for _ in range(50):
            rid = reserve(led, 10)
            led.settle(rid, 10, now=101.0)
            with lock:
                done.append(rid)

    def bad() -> None:
        for i in range(50):
            try:
                led.settle(f"missing-{i}", 10, now=101.0)
            except LedgerError as exc:
                with lock:
                    errors.append(exc)

    threads = [threading.Thread(target=good) for _ in range(4)] + [threading.Thread(target=bad) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(errors) == 100 and all("unknown reservation" in str(e) for e in errors)
    assert len(done) == 200
    assert led.tally(GLOBAL).spent == 2000 == sum(c.cost for c in led.charges())
    assert led.open_reservations() == 0


def test_cli_cost_reads_the_ledger(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ledger.sqlite3"
    led = SQLiteLedger(path)
    day = 1_741_000_000.0  # 2025-03-03
    for i, (model, cost, baseline) in enumerate(
        [("cheap/a", 1000, 9000), ("cheap/a", 3000, None), ("prem/b", 5000, 5000)]
    ):
        out = led.reserve(10_000, [GLOBAL], now=day + i, expires_at=day + 60, meta={"user": f"u{i % 2}"})
        assert out.reservation_id
        attribution: dict[str, object] = {"model": model, "input_tokens": 10, "output_tokens": 5}
        if baseline is not None:
            attribution["baseline_cost_micros"] = baseline
        led.settle(out.reservation_id, cost, now=day + i, attribution=attribution)
    led.close()
    assert main(["cost", "--ledger", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = {r["key"]: r for r in data["rows"]}
    assert rows["cheap/a"]["calls"] == 2 and rows["cheap/a"]["cost"] == "0.004000"
    assert rows["cheap/a"]["baseline"] == "0.012000" and rows["cheap/a"]["saving"] == "0.008000"
    assert data["total"]["cost"] == "0.009000" and data["total"]["baseline_calls"] == 2
    assert main(["cost", "--ledger", str(path), "--by", "user"]) == 0
    table = capsys.readouterr().out
    assert "u0" in table and "u1" in table and "total" in table and "$0.0090" in table
    assert (
        main(["cost", "--ledger", str(path), "--by", "day", "--since", "2025-03-03", "--until", "2025-03-03", "--json"])
        == 0
    )
    assert [r["key"] for r in json.loads(capsys.readouterr().out)["rows"]] == ["2025-03-03"]
    assert main(["cost", "--ledger", str(path), "--since", "2025-03-04", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"]["calls"] == 0
    assert main(["cost", "--ledger", str(tmp_path / "none.sqlite3")]) == 1
    assert "no ledger at" in capsys.readouterr().err
    assert main(["cost", "--ledger", str(path), "--since", "yesterday"]) == 1
    assert main(["cost", "--by", "planet"]) == 2


def test_default_path_honours_a3m_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from a3m_integrations.budget import default_ledger_path

    monkeypatch.setenv("A3M_LEDGER", str(tmp_path / "x.sqlite3"))
    assert default_ledger_path() == tmp_path / "x.sqlite3"
    monkeypatch.delenv("A3M_LEDGER")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_ledger_path() == tmp_path / ".a3m" / "ledger.sqlite3"


def test_waits_for_another_process_writer_then_gives_up(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    led = SQLiteLedger(path, timeout=0.3)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    start = time.monotonic()
    with pytest.raises(LedgerError, match="locked"):
        reserve(led, 1)
    assert time.monotonic() - start >= 0.3
    other.execute("ROLLBACK")
    reserve(led, 1)  # usable again once the other writer is gone
    assert led.open_reservations() == 1
