"""A user's own outcome log as a `RoutingTable`: how users train routers on their traffic.

Two shapes are read, from CSV or JSONL (one JSON object per line):

- long, one row per (query, model) outcome. Columns: `query` (required), `model` (required),
  `score` (required, 0..1), `cost` (USD, optional), `task` (optional), `id` (optional),
  `response` (the answer's text, optional: cascades learn from it).
  Several rows for the same (query, model) are averaged. `model` should hold catalog ids when
  the router will serve the gateway directly.
- wide, one row per query. CSV: `query` (or `prompt`), optional `task` (or `eval_name`) and
  `id` (or `sample_id`), then per model a score column `<model>` and a cost column
  `<model>|total_cost` (or `<model>|cost`), and optionally its answer `<model>|model_response` —
  RouterBench's shape, so its CSVs load as they are. JSONL: `{"query": ..., "scores": {model:
  score}, "costs": {model: usd}, "responses": {model: text}, "task": ...}`.

Missing costs stay NaN; `fill_costs` models them from catalog prices and token estimates.
"""

from __future__ import annotations

import ast
import csv
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from a3m_integrations.errors import ConfigError
from a3m_integrations.evaluation.table import RoutingTable

__all__ = ["fill_costs", "prompt_text", "read_outcomes", "read_rows", "table_from_long", "table_from_wide"]

_QUERY_KEYS = ("query", "prompt", "question")
_TASK_KEYS = ("task", "eval_name", "task_name")
_ID_KEYS = ("id", "sample_id", "global_index")
_COST_SUFFIXES = ("|total_cost", "|cost")
_SKIP_SUFFIXES = ("|model_response", "|response", "_response")  # answer text columns
_META_COLUMNS = frozenset(
    {"", "Unnamed: 0", "oracle_model_to_route_to", "cluster_id", *_QUERY_KEYS, *_TASK_KEYS, *_ID_KEYS}
)


def prompt_text(value: Any) -> str:
    """A prompt as text; RouterBench stores prompts as a Python-list string ("['...']"), joined here."""
    if isinstance(value, (list, tuple)):
        return "\n".join(str(v) for v in value)
    text = "" if value is None else str(value)
    stripped = text.strip()
    if stripped.startswith("[") and stripped.endswith("]") and len(stripped) > 2 and stripped[1] in "'\"":
        try:
            parsed = ast.literal_eval(stripped)  # literals only: no code runs
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return text
        if isinstance(parsed, list) and all(isinstance(p, str) for p in parsed):
            return "\n".join(parsed)
    return text


def read_rows(path: str | Path) -> Iterator[dict[str, Any]]:
    """Rows of a CSV (header required) or JSONL file as dicts; ConfigError naming the line if bad."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"no such file: {p}", source=str(p), hint="Check the path, or give a data set name.")
    if p.suffix.lower() in (".jsonl", ".ndjson"):
        with p.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ConfigError(f"line {lineno} is not JSON: {exc.msg}", source=str(p)) from exc
                if not isinstance(row, dict):
                    raise ConfigError(f"line {lineno} is not a JSON object", source=str(p))
                yield row
        return
    if p.suffix.lower() == ".json":
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ConfigError(f"not valid JSON: {exc.msg} at line {exc.lineno}", source=str(p)) from exc
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ConfigError("a .json outcome file must hold a list of objects", source=str(p))
        yield from data
        return
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with p.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames:
            raise ConfigError("the CSV file has no header row", source=str(p))
        try:
            yield from reader
        except csv.Error as exc:
            raise ConfigError(f"unreadable CSV at line {reader.line_num}: {exc}", source=str(p)) from exc


def _first(row: Mapping[str, Any], keys: Iterable[str]) -> Any:
    for k in keys:
        if k in row and row[k] not in (None, ""):
            return row[k]
    return None


def _number(value: Any, *, what: str, where: str) -> float:
    if value is None or value == "":
        return float("nan")
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return 1.0 if value.strip().lower() == "true" else 0.0
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{what} {value!r} is not a number", source=where, field=what) from None


def table_from_long(rows: Iterable[Mapping[str, Any]], *, name: str) -> RoutingTable:
    """A table from long rows (query, model, score[, cost, task, id]); repeats are averaged."""
    index: dict[str, int] = {}
    queries: list[str] = []
    tasks: list[str] = []
    ids: list[str] = []
    models: dict[str, int] = {}
    cells: dict[tuple[int, int], list[list[float]]] = {}
    answers: dict[tuple[int, int], str] = {}
    for n, row in enumerate(rows, 1):
        query = _first(row, _QUERY_KEYS)
        model = row.get("model")
        if query is None or not model:
            raise ConfigError(f"row {n} needs a query and a model", source=name, field="query/model")
        text = prompt_text(query)
        i = index.get(text)
        if i is None:
            i = index[text] = len(queries)
            queries.append(text)
            tasks.append(str(_first(row, _TASK_KEYS) or "all"))
            ids.append(str(_first(row, _ID_KEYS) or i))
        j = models.setdefault(str(model), len(models))
        score = _number(row.get("score"), what="score", where=name)
        if np.isnan(score):
            raise ConfigError(f"row {n} has no score", source=name, field="score")
        cost = _number(row.get("cost"), what="cost", where=name)
        cells.setdefault((i, j), []).append([score, cost])
        if row.get("response") not in (None, ""):
            answers[(i, j)] = str(row["response"])
    if not queries:
        raise ConfigError("the outcome log is empty", source=name)
    scores = np.full((len(queries), len(models)), np.nan)
    costs = np.full_like(scores, np.nan)
    for (i, j), values in cells.items():
        arr = np.asarray(values)
        scores[i, j] = arr[:, 0].mean()
        known = arr[np.isfinite(arr[:, 1]), 1]
        costs[i, j] = known.mean() if known.size else np.nan
    responses = None
    if answers:
        responses = np.full(scores.shape, None, dtype=object)
        for (i, j), text in answers.items():
            responses[i, j] = text
    return RoutingTable(name, queries, tasks, list(models), scores, costs, ids, "from the outcome log", responses)


def table_from_wide(rows: Iterable[Mapping[str, Any]], *, name: str, task: str | None = None) -> RoutingTable:
    """A table from wide rows: RouterBench-style columns, or JSON objects with `scores`/`costs` maps."""
    queries: list[str] = []
    tasks: list[str] = []
    ids: list[str] = []
    score_rows: list[dict[str, float]] = []
    cost_rows: list[dict[str, float]] = []
    answer_rows: list[dict[str, str]] = []
    for n, row in enumerate(rows, 1):
        query = _first(row, _QUERY_KEYS)
        if query is None:
            raise ConfigError(f"row {n} has no query/prompt/question", source=name, field="query")
        s: dict[str, float] = {}
        c: dict[str, float] = {}
        a: dict[str, str] = {}
        if isinstance(row.get("scores"), Mapping):
            s = {str(k): _number(v, what="score", where=name) for k, v in row["scores"].items()}
            if isinstance(row.get("costs"), Mapping):
                c = {str(k): _number(v, what="cost", where=name) for k, v in row["costs"].items()}
            if isinstance(row.get("responses"), Mapping):
                a = {str(k): prompt_text(v) for k, v in row["responses"].items() if v is not None}
        else:
            for key, value in row.items():
                if key is None or key in _META_COLUMNS:
                    continue
                answer = next((x for x in _SKIP_SUFFIXES if key.endswith(x)), None)
                if answer is not None:
                    if value not in (None, ""):
                        a[key[: -len(answer)]] = prompt_text(value)
                    continue
                suffix = next((x for x in _COST_SUFFIXES if key.endswith(x)), None)
                if suffix is not None:
                    c[key[: -len(suffix)]] = _number(value, what="cost", where=name)
                else:
                    s[key] = _number(value, what=f"score of {key}", where=name)
        queries.append(prompt_text(query))
        tasks.append(str(_first(row, _TASK_KEYS) or task or "all"))
        ids.append(str(_first(row, _ID_KEYS) or n - 1))
        score_rows.append(s)
        cost_rows.append(c)
        answer_rows.append(a)
    if not queries:
        raise ConfigError("the data file has no rows", source=name)
    models = list(dict.fromkeys(m for s in score_rows for m in s))
    if not models:
        raise ConfigError(
            "found no model score columns",
            source=name,
            hint="Give one column per model (and '<model>|total_cost'), or the long shape: query, model, score, cost.",
        )
    scores = np.array([[s.get(m, np.nan) for m in models] for s in score_rows], dtype=np.float64)
    costs = np.array([[c.get(m, np.nan) for m in models] for c in cost_rows], dtype=np.float64)
    note = "measured" if np.isfinite(costs).any() else "none in the file"
    responses = None
    if any(answer_rows):
        responses = np.array([[a.get(m) for m in models] for a in answer_rows], dtype=object)
    return RoutingTable(name, queries, tasks, models, scores, costs, ids, note, responses)


def read_outcomes(path: str | Path, *, task: str | None = None) -> RoutingTable:
    """A user's outcome log (long or wide, CSV/JSONL/JSON) as a table; the shape is detected from the columns."""
    rows = list(read_rows(path))
    if not rows:
        raise ConfigError("the file has no rows", source=str(path))
    first = rows[0]
    if "model" in first:  # the long shape (a wide file has no column named "model")
        return table_from_long(rows, name=str(path))
    return table_from_wide(rows, name=str(path), task=task)


def fill_costs(
    table: RoutingTable,
    price_of: Callable[[str], tuple[float, float] | None],
    *,
    output_tokens: Callable[[int], int] | int = 256,
    note: str = "modelled from prices",
) -> RoutingTable:
    """Fill missing costs from per-1M-token (input, output) prices and token estimates.

    Input tokens are the query's approximate count (`cost.estimate.approx_tokens`); output tokens
    are `output_tokens` (a number, or a function of the row index). Models `price_of` returns None
    for keep their NaN costs.
    """
    from a3m_integrations.cost.estimate import approx_tokens

    costs = table.costs.copy()
    tokens_in = np.array([approx_tokens(q) for q in table.queries], dtype=np.float64)
    if callable(output_tokens):
        tokens_out = np.array([output_tokens(i) for i in range(len(table))], dtype=np.float64)
    else:
        tokens_out = np.full(len(table), float(output_tokens))
    for j, model in enumerate(table.models):
        price = price_of(model)
        if price is None:
            continue
        modelled = (tokens_in * price[0] + tokens_out * price[1]) / 1e6
        missing = ~np.isfinite(costs[:, j])
        costs[missing, j] = modelled[missing]
    return table.with_costs(costs, note)
