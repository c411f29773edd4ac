"""Adaptive memory: what each model has been worth lately, per task, persisted in SQLite.

For every (model, task) pair the memory keeps an exponential moving average (EMA) of quality and
of latency: `new = (1 - alpha) * old + alpha * sample`, alpha = 0.2 by default (the last ~5
outcomes carry most of the weight); the first sample sets the value. Quality samples come from:

- explicit feedback: `feedback(model, task, score)` with a score in [0, 1] (a user's thumbs up = 1,
  down = 0, or a grader's score); the gateway's `feedback(request_id, score)` lands here;
- implicit signals: `record(model, task, success=..., latency_ms=..., error=...)` after each call:
  an error (including each failed attempt before a retry or fallback) is a quality sample of 0,
  a `success` value (e.g. 1.0 for a clean answer, 0.5 for one that needed a repair) is a sample of
  that value; `latency_ms` updates the latency EMA.

Every sample also updates the model's row for task "*" (all tasks), which routers fall back to
when a task has too few observations. Rows live in one SQLite table (a file, or ":memory:").
"""

from __future__ import annotations

import asyncio
import math
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from a3m_integrations._record import Record
from a3m_integrations.errors import ConfigError, InvalidRequest

__all__ = ["ALL_TASKS", "DEFAULT_ALPHA", "ModelMemory", "Profile", "build_memory"]

DEFAULT_ALPHA = 0.2
ALL_TASKS = "*"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS profiles (
    model TEXT NOT NULL,
    task TEXT NOT NULL,
    quality REAL,
    quality_n INTEGER NOT NULL DEFAULT 0,
    latency_ms REAL,
    latency_n INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    updated REAL NOT NULL,
    PRIMARY KEY (model, task)
)
"""


class Profile(Record):
    """What the memory knows of one model on one task."""

    __slots__ = ("errors", "latency_ms", "latency_observations", "model", "observations", "quality", "task", "updated")
    model: str
    task: str
    quality: float | None
    observations: int
    latency_ms: float | None
    latency_observations: int
    errors: int
    updated: float

    def __init__(
        self,
        model: str,
        task: str,
        quality: float | None,
        observations: int,
        latency_ms: float | None,
        latency_observations: int,
        errors: int,
        updated: float,
    ) -> None:
        for name, value in (
            ("model", model),
            ("task", task),
            ("quality", quality),
            ("observations", observations),
            ("latency_ms", latency_ms),
            ("latency_observations", latency_observations),
            ("errors", errors),
            ("updated", updated),
        ):
            object.__setattr__(self, name, value)

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._fields}


def _ema(old: float | None, sample: float, alpha: float) -> float:
    return sample if old is None else (1.0 - alpha) * old + alpha * sample


class ModelMemory:
    """Per (model, task) quality and latency EMAs in SQLite.

    Args:
        path: SQLite file (created if missing) or ":memory:".
        alpha: EMA weight of a new sample, in (0, 1].
        min_observations: `quality()` answers only after this many quality samples.
    """

    def __init__(
        self, path: str | Path = ":memory:", *, alpha: float = DEFAULT_ALPHA, min_observations: int = 5
    ) -> None:
        if not 0.0 < alpha <= 1.0:
            raise ConfigError(f"alpha must be within (0, 1], not {alpha}", field="alpha")
        if min_observations < 1:
            raise ConfigError("min_observations must be 1 or more", field="min_observations")
        self.path = str(path)
        self.alpha = float(alpha)
        self.min_observations = int(min_observations)
        self._lock = threading.Lock()
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            if self.path != ":memory:":
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(_SCHEMA)
        except sqlite3.Error as exc:
            raise ConfigError(
                f"cannot open the memory database {self.path}: {exc}",
                source=self.path,
                hint="Point the memory at a writable SQLite file, or delete a corrupt one.",
            ) from exc

    # -- writes ---------------------------------------------------------------------------------
    def record(
        self,
        model_id: str,
        task: str | None = None,
        *,
        success: float | None = None,
        latency_ms: float | None = None,
        error: bool = False,
    ) -> Profile:
        """Record one call's outcome (implicit feedback); returns the updated (model, task) profile.

        `error=True` counts as a quality sample of 0 (and an error); otherwise `success`, if given,
        is the sample. `latency_ms`, if given, updates the latency EMA.
        """
        sample: float | None = 0.0 if error else success
        if sample is not None:
            sample = self._check_score(sample, "success")
        if latency_ms is not None and (not math.isfinite(latency_ms) or latency_ms < 0):
            raise InvalidRequest(f"latency_ms must be a non-negative number, not {latency_ms!r}", field="latency_ms")
        return self._update(model_id, task, sample, latency_ms, error)

    def feedback(self, model_id: str, task: str | None, score: float) -> Profile:
        """Explicit feedback: a quality score in [0, 1] for `model_id` on `task`."""
        return self._update(model_id, task, self._check_score(score, "score"), None, False)

    async def arecord(self, model_id: str, task: str | None = None, **kwargs: Any) -> Profile:
        """`record` off the event loop."""
        return await asyncio.to_thread(self.record, model_id, task, **kwargs)

    async def afeedback(self, model_id: str, task: str | None, score: float) -> Profile:
        """`feedback` off the event loop."""
        return await asyncio.to_thread(self.feedback, model_id, task, score)

    @staticmethod
    def _check_score(value: float, name: str) -> float:
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise InvalidRequest(f"{name} must be a number in [0, 1], not {value!r}", field=name) from None
        if not 0.0 <= v <= 1.0:
            raise InvalidRequest(f"{name} must be within [0, 1], not {v}", field=name)
        return v

    def _update(
        self, model_id: str, task: str | None, sample: float | None, latency: float | None, error: bool
    ) -> Profile:
        if not model_id:
            raise InvalidRequest("a model id is needed", field="model_id")
        task = task or ALL_TASKS
        now = time.time()
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                for t in dict.fromkeys((task, ALL_TASKS)):
                    self._update_row(model_id, t, sample, latency, error, now)
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise ConfigError(f"cannot write the memory database {self.path}: {exc}", source=self.path) from exc
        found = self.profile(model_id, task)
        assert found is not None
        return found

    def _update_row(
        self, model: str, task: str, sample: float | None, latency: float | None, error: bool, now: float
    ) -> None:
        row = self._db.execute(
            "SELECT quality, quality_n, latency_ms, latency_n, errors FROM profiles WHERE model=? AND task=?",
            (model, task),
        ).fetchone()
        quality, qn, lat, ln, errors = row if row else (None, 0, None, 0, 0)
        if sample is not None:
            quality, qn = _ema(quality, sample, self.alpha), qn + 1
        if latency is not None:
            lat, ln = _ema(lat, latency, self.alpha), ln + 1
        errors += int(error)
        self._db.execute(
            "INSERT OR REPLACE INTO profiles (model, task, quality, quality_n, latency_ms, latency_n, errors, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (model, task, quality, qn, lat, ln, errors, now),
        )

    # -- reads ----------------------------------------------------------------------------------
    def profile(self, model_id: str, task: str | None = None) -> Profile | None:
        """The (model, task) profile, or None if nothing was recorded."""
        with self._lock:
            row = self._db.execute(
                "SELECT model, task, quality, quality_n, latency_ms, latency_n, errors, updated "
                "FROM profiles WHERE model=? AND task=?",
                (model_id, task or ALL_TASKS),
            ).fetchone()
        return Profile(*row) if row else None

    def profiles(self, task: str | None = None) -> list[Profile]:
        """Every profile (of one task if given), best quality first."""
        sql = "SELECT model, task, quality, quality_n, latency_ms, latency_n, errors, updated FROM profiles"
        args: tuple[str, ...] = ()
        if task is not None:
            sql += " WHERE task=?"
            args = (task,)
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return sorted((Profile(*r) for r in rows), key=lambda p: (-(p.quality or 0.0), p.model, p.task))

    def quality(
        self, model_id: str, task: str | None = None, *, min_observations: int | None = None
    ) -> tuple[float, int] | None:
        """(remembered quality, observations) of the task's row, else of the model's all-task row.

        A row counts once it has `min_observations` quality samples (default: the memory's);
        None if neither row has enough.
        """
        need = self.min_observations if min_observations is None else min_observations
        for t in dict.fromkeys((task or ALL_TASKS, ALL_TASKS)):
            p = self.profile(model_id, t)
            if p is not None and p.quality is not None and p.observations >= need:
                return p.quality, p.observations
        return None

    def latency(self, model_id: str, task: str | None = None) -> float | None:
        """Remembered latency in ms (task row, else all-task row), or None."""
        for t in dict.fromkeys((task or ALL_TASKS, ALL_TASKS)):
            p = self.profile(model_id, t)
            if p is not None and p.latency_ms is not None:
                return p.latency_ms
        return None

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> ModelMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ModelMemory(path={self.path!r}, alpha={self.alpha}, min_observations={self.min_observations})"


def build_memory(section: Any, *, base_dir: str = ".", catalog: Any = None) -> ModelMemory:
    """The gateway's `memory:` config section: `{path: memory.sqlite3, alpha: 0.2, min_observations: 5}`.

    `path` is relative to the config file (":memory:" keeps it in RAM); a bare string is the path.
    """
    import os

    options = {"path": section} if isinstance(section, str) else dict(section or {})
    unknown = set(options) - {"path", "alpha", "min_observations"}
    if unknown:
        raise ConfigError(f"unknown memory setting(s) {sorted(unknown)}; known: path, alpha, min_observations")
    path = str(options.get("path", ":memory:"))
    if path != ":memory:":
        path = os.path.expanduser(path)
        path = path if os.path.isabs(path) else os.path.join(base_dir, path)
    return ModelMemory(
        path,
        alpha=float(options.get("alpha", DEFAULT_ALPHA)),
        min_observations=int(options.get("min_observations", 5)),
    )
