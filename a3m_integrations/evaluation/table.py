"""One table for every routing data set: queries, tasks, and per-model score and cost.

A `RoutingTable` holds `n` queries and `m` models: `scores[i, j]` is how well model `j` answered
query `i` (0..1; 0/1 for exact-match tasks) and `costs[i, j]` what that answer cost in USD. A
missing outcome is NaN (a user's outcome log rarely tries every model on every query); routers
train on what is there and the metrics use only complete rows. Plain numpy arrays and lists:
pandas is needed only by some loaders.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from a3m_integrations.errors import ConfigError

__all__ = ["RoutingTable", "kfold_indices"]


@dataclass(frozen=True)
class RoutingTable:
    """Per-query, per-model outcomes of one data set.

    Attributes:
        name: where the table came from (a data set name or a file path).
        queries: the query texts (the prompt a router sees).
        tasks: a task or data set label per query (used for per-task averages).
        models: the model names, in column order.
        scores: (n, m) float64 quality in [0, 1], NaN where unknown.
        costs: (n, m) float64 USD per answer, NaN where unknown.
        ids: a stable id per query (sample id, or the row number).
        cost_note: how the costs were obtained (measured, or modelled from prices).
        responses: optional (n, m) object array of the answers' text (None where unknown), for
            routers that look at a cheap model's answer before escalating (cascades).
    """

    name: str
    queries: list[str]
    tasks: list[str]
    models: list[str]
    scores: np.ndarray
    costs: np.ndarray
    ids: list[str] = field(default_factory=list)
    cost_note: str = "measured"
    responses: np.ndarray | None = None

    def __post_init__(self) -> None:
        n, m = len(self.queries), len(self.models)
        if not self.ids:
            object.__setattr__(self, "ids", [str(i) for i in range(n)])
        if self.responses is not None:
            resp = np.asarray(self.responses, dtype=object)
            if resp.shape != (n, m):
                raise ConfigError(
                    f"table {self.name}: responses must be ({n}, {m}), not {resp.shape}", source=self.name
                )
            object.__setattr__(self, "responses", resp)
        object.__setattr__(self, "scores", np.asarray(self.scores, dtype=np.float64).reshape(n, m))
        object.__setattr__(self, "costs", np.asarray(self.costs, dtype=np.float64).reshape(n, m))
        if len(self.tasks) != n or len(self.ids) != n:
            raise ConfigError(
                f"table {self.name}: {n} queries but {len(self.tasks)} tasks and {len(self.ids)} ids",
                source=self.name,
            )
        if len(set(self.models)) != m:
            raise ConfigError(f"table {self.name}: model names repeat", source=self.name, field="models")
        bad = np.isfinite(self.scores) & ((self.scores < 0) | (self.scores > 1))
        if bad.any():
            i, j = np.argwhere(bad)[0]
            raise ConfigError(
                f"table {self.name}: score {self.scores[i, j]} of {self.models[j]} on query {self.ids[i]} "
                "is outside [0, 1]",
                source=self.name,
                field="score",
                hint="Scale scores to [0, 1] (e.g. a 1-10 judge score divided by 10).",
            )
        if (np.isfinite(self.costs) & (self.costs < 0)).any():
            raise ConfigError(f"table {self.name}: a cost is negative", source=self.name, field="cost")

    # -- shape ----------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.queries)

    @property
    def n_models(self) -> int:
        """Number of models (columns)."""
        return len(self.models)

    @property
    def observed(self) -> np.ndarray:
        """(n, m) bool: where both score and cost are known."""
        return np.asarray(np.isfinite(self.scores) & np.isfinite(self.costs))

    @property
    def task_names(self) -> list[str]:
        """Distinct tasks in first-seen order."""
        return list(dict.fromkeys(self.tasks))

    def task_index(self) -> np.ndarray:
        """(n,) int: each query's position in `task_names`."""
        lookup = {t: i for i, t in enumerate(self.task_names)}
        return np.fromiter((lookup[t] for t in self.tasks), dtype=np.int64, count=len(self.tasks))

    # -- slicing --------------------------------------------------------------------------------
    def subset(self, rows: Sequence[int] | np.ndarray, *, name: str | None = None) -> RoutingTable:
        """The table restricted to `rows` (indices or a boolean mask)."""
        idx = np.asarray(rows)
        if idx.dtype == bool:
            idx = np.flatnonzero(idx)
        return RoutingTable(
            name=name or self.name,
            queries=[self.queries[i] for i in idx],
            tasks=[self.tasks[i] for i in idx],
            models=list(self.models),
            scores=self.scores[idx],
            costs=self.costs[idx],
            ids=[self.ids[i] for i in idx],
            cost_note=self.cost_note,
            responses=None if self.responses is None else self.responses[idx],
        )

    def select_models(self, models: Sequence[str]) -> RoutingTable:
        """The table with only `models`, in that order."""
        missing = [m for m in models if m not in self.models]
        if missing:
            raise ConfigError(
                f"table {self.name} has no model(s) {', '.join(missing)}; it has {', '.join(self.models)}",
                source=self.name,
                field="models",
            )
        cols = [self.models.index(m) for m in models]
        return RoutingTable(
            self.name,
            list(self.queries),
            list(self.tasks),
            list(models),
            self.scores[:, cols],
            self.costs[:, cols],
            list(self.ids),
            self.cost_note,
            None if self.responses is None else self.responses[:, cols],
        )

    def with_costs(self, costs: np.ndarray, note: str) -> RoutingTable:
        """The same table with other costs."""
        return RoutingTable(
            self.name, list(self.queries), list(self.tasks), list(self.models), self.scores, costs,
            list(self.ids), note, self.responses,
        )  # fmt: skip

    def complete(self) -> RoutingTable:
        """Only the rows where every model's score and cost are known (what the metrics need)."""
        return self.subset(np.asarray(self.observed.all(axis=1)))

    def rename_models(self, mapping: dict[str, str]) -> RoutingTable:
        """The table with model names mapped (names not in `mapping` kept)."""
        return RoutingTable(
            self.name,
            list(self.queries),
            list(self.tasks),
            [mapping.get(m, m) for m in self.models],
            self.scores,
            self.costs,
            list(self.ids),
            self.cost_note,
            self.responses,
        )

    @classmethod
    def concat(cls, tables: Sequence[RoutingTable], *, name: str | None = None) -> RoutingTable:
        """Stack tables row-wise over the union of their models (NaN where a table lacks a model)."""
        if not tables:
            raise ConfigError("no tables to combine", field="data")
        models = list(dict.fromkeys(m for t in tables for m in t.models))
        n = sum(len(t) for t in tables)
        scores = np.full((n, len(models)), np.nan)
        costs = np.full((n, len(models)), np.nan)
        responses = (
            np.full((n, len(models)), None, dtype=object) if any(t.responses is not None for t in tables) else None
        )
        row = 0
        for t in tables:
            cols = [models.index(m) for m in t.models]
            scores[row : row + len(t), cols] = t.scores
            costs[row : row + len(t), cols] = t.costs
            if responses is not None and t.responses is not None:
                responses[row : row + len(t), cols] = t.responses
            row += len(t)
        notes = list(dict.fromkeys(t.cost_note for t in tables))
        return cls(
            name=name or "+".join(t.name for t in tables),
            queries=[q for t in tables for q in t.queries],
            tasks=[x for t in tables for x in t.tasks],
            models=models,
            scores=scores,
            costs=costs,
            ids=[f"{t.name}:{i}" for t in tables for i in t.ids] if len(tables) > 1 else list(tables[0].ids),
            cost_note="; ".join(notes),
            responses=responses,
        )

    # -- description ----------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """Sizes, tasks and per-model mean score and cost (over observed cells)."""
        with np.errstate(invalid="ignore"):
            mean_score = np.nanmean(np.where(np.isfinite(self.scores), self.scores, np.nan), axis=0)
            mean_cost = np.nanmean(np.where(np.isfinite(self.costs), self.costs, np.nan), axis=0)
        return {
            "name": self.name,
            "queries": len(self),
            "models": len(self.models),
            "tasks": {t: self.tasks.count(t) for t in self.task_names},
            "complete_rows": int(self.observed.all(axis=1).sum()),
            "per_model": {
                m: {"score": float(mean_score[j]), "cost": float(mean_cost[j])} for j, m in enumerate(self.models)
            },
            "cost_note": self.cost_note,
        }


def kfold_indices(
    n: int, k: int = 5, *, seed: int = 0, groups: Sequence[str] | None = None
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(train, test) index pairs of a shuffled k-fold split.

    With `groups` (e.g. the query text), rows sharing a group land in the same fold, so a query
    repeated in the data is never scored by a router that trained on its twin.
    """
    if k < 2 or k > n:
        raise ConfigError(f"k-fold needs 2 <= k <= {n} rows, not k={k}", field="folds")
    rng = np.random.default_rng(seed)
    if groups is None:
        order = rng.permutation(n)
        folds = np.array_split(order, k)
    else:
        keys = list(dict.fromkeys(groups))
        perm = rng.permutation(len(keys))
        fold_of_key = {keys[p]: i % k for i, p in enumerate(perm)}
        assign = np.fromiter((fold_of_key[g] for g in groups), dtype=np.int64, count=n)
        folds = [np.flatnonzero(assign == f) for f in range(k)]
    for f in range(k):
        test = np.sort(folds[f])
        train = np.sort(np.concatenate([folds[g] for g in range(k) if g != f]))
        yield train, test
