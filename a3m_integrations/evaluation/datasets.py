"""Loaders for the routing data sets in `../shared/data`, each into a `RoutingTable`.

| name | source | models | cost |
|---|---|---|---|
| `routerbench` | RouterBench via RouterDC, `routerbench-subset/*_train.csv` | 11 | measured USD per query |
| `dcrouter`, `dcrouter-train` | LLMRouter `dcrouter_preprocessed/{test,train}.json` | 9 | modelled (below) |
| `routerdc`, `routerdc-test`, `routerdc-ood` | RouterDC `routerdc-7model` | 7 | modelled, one flat price |
| `routellm`, `routellm-mmlu/-gsm8k/-mtbench` | RouteLLM evals | 2 | modelled from list prices |
| `routerarena` | RouterArena cached results | 2 | measured USD per query |

Modelled cost = (input tokens x input price + output tokens x output price) / 1e6, with input
tokens from `cost.estimate.approx_tokens` (about 4 characters per token) and output tokens a
typical answer length per task (`OUTPUT_TOKENS`), or the real answer's length where the data
set keeps the answers (RouteLLM GSM8K). dcrouter prices are LLMRouter's own `default_llm.json`.

Any file path is read as a user outcome log (`outcomes.read_outcomes`), so a held-back split of
RouterBench (same CSV shape) loads with `load_table("path/to/test.csv")`; a folder path stacks
every CSV/JSONL file in it into one table (RouterBench keeps one file per task).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from a3m_integrations.cost.estimate import approx_tokens
from a3m_integrations.errors import ConfigError
from a3m_integrations.evaluation.outcomes import fill_costs, read_outcomes, read_rows, table_from_wide
from a3m_integrations.evaluation.table import RoutingTable

__all__ = [
    "DATASETS",
    "OUTPUT_TOKENS",
    "ROUTELLM_PRICES",
    "data_dir",
    "load_dcrouter",
    "load_routellm",
    "load_routerarena",
    "load_routerbench",
    "load_routerdc",
    "load_table",
    "load_tables",
]

#: Typical answer length in tokens per task, for modelled costs (assumption; see module doc).
OUTPUT_TOKENS: dict[str, int] = {
    "mmlu": 32,
    "gpqa": 32,
    "arc_challenge": 32,
    "arc_easy": 32,
    "commonsense_qa": 32,
    "openbook_qa": 32,
    "cmmlu": 32,
    "agentverse-logicgrid": 64,
    "natural_qa": 32,
    "trivia_qa": 32,
    "commongen": 64,
    "math": 320,
    "MATH_prealgebra": 320,
    "gsm8k": 256,
    "agentverse-mgsm": 256,
    "mbpp": 192,
    "human_eval": 192,
    "humaneval": 192,
    "javascript": 192,
    "mt_bench": 512,
}
_DEFAULT_OUTPUT_TOKENS = 128

#: USD per 1M (input, output) tokens for RouteLLM's pair; from RouterArena's cost.json
#: (gpt-4-1106-preview 10/30; mistralai/mixtral-8x7b-instruct 0.6/0.6 is the listed price there).
ROUTELLM_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4-1106-preview": (10.0, 30.0),
    "mistralai/Mixtral-8x7B-Instruct-v0.1": (0.6, 0.6),
}
#: routerdc-7model has no prices; all seven are ~7B open models, priced alike at this rate.
ROUTERDC_FLAT_PRICE = (0.20, 0.20)


def data_dir(path: str | Path | None = None) -> Path:
    """The data directory: `path`, else $A3M_DATA_DIR, else the nearest `shared/data` up from the checkout.

    From a checkout that is `../shared/data` or one beside a parent folder (a worktree); from an
    installed package, the same search up from its site-packages.
    """
    if path is not None:
        return Path(path)
    env = os.environ.get("A3M_DATA_DIR")
    if env:
        return Path(env)
    root = Path(__file__).resolve().parents[2]
    for parent in root.parents:
        if (parent / "shared" / "data").is_dir():
            return parent / "shared" / "data"
    return root.parent / "shared" / "data"


def _need(root: Path, sub: str) -> Path:
    p = root / sub
    if not p.exists():
        raise ConfigError(
            f"data set folder {p} not found",
            source=str(p),
            hint="Set A3M_DATA_DIR (or --data-dir) to the folder holding the shared data sets.",
        )
    return p


def _output_tokens_for(table: RoutingTable) -> Callable[[int], int]:
    return lambda i: OUTPUT_TOKENS.get(table.tasks[i], _DEFAULT_OUTPUT_TOKENS)


# -- RouterBench ---------------------------------------------------------------------------------
def load_routerbench(root: Path, files: Sequence[str] | None = None) -> RoutingTable:
    """RouterBench's train split (arc-challenge, mbpp, winogrande), 11 models, measured cost."""
    folder = _need(root, "routerbench-subset")
    paths = [folder / f for f in files] if files else sorted(folder.glob("*.csv"))
    tables = [read_outcomes(p) for p in paths]
    out = RoutingTable.concat(tables, name="routerbench") if len(tables) > 1 else tables[0]
    ids = _plain_ids(tables)
    return RoutingTable(
        out.name, out.queries, out.tasks, out.models, out.scores, out.costs, ids, "measured", out.responses
    )


def _plain_ids(tables: Sequence[RoutingTable]) -> list[str]:
    return [i for t in tables for i in t.ids]


# -- LLMRouter dcrouter --------------------------------------------------------------------------
def load_dcrouter(root: Path, split: str = "test") -> RoutingTable:
    """LLMRouter's dcrouter split (9 models); tasks from the query files; cost from default_llm.json."""
    folder = _need(root, "llmrouter-dcrouter")
    rows = json.loads((folder / "dcrouter_preprocessed" / f"{split}.json").read_text(encoding="utf-8"))
    task_of: dict[str, str] = {}
    for name in ("default_query_train.jsonl", "default_query_test.jsonl"):
        qfile = folder / name
        if qfile.exists():
            for r in read_rows(qfile):
                task_of.setdefault(str(r.get("query")), str(r.get("task_name") or "all"))
    for r in rows:
        r["task"] = task_of.get(r["question"], "all")
    table = table_from_wide(rows, name=f"dcrouter-{split}" if split != "test" else "dcrouter")
    llms = json.loads((folder / "default_llm.json").read_text(encoding="utf-8"))

    def price(model: str) -> tuple[float, float] | None:
        entry = llms.get(model)
        return None if entry is None else (float(entry["input_price"]), float(entry["output_price"]))

    return fill_costs(
        table,
        price,
        output_tokens=_output_tokens_for(table),
        note="modelled: default_llm.json prices x (approx prompt tokens + typical answer tokens per task)",
    )


# -- RouterDC 7 models ---------------------------------------------------------------------------
_ROUTERDC_SPLITS: dict[str, tuple[str, ...]] = {
    "train": ("mmlu_train", "cmmlu_train", "gsm8k-train", "arc_challenge_train", "arc_easy_train", "humaneval_train"),
    "test": ("mmlu_test", "cmmlu_test", "gsm8k-test", "arc_challenge_test", "arc_easy_test", "humaneval_test"),
    "ood": ("ceval", "MATH_prealgebra", "mbpp", "javascript"),
}


def load_routerdc(root: Path, split: str = "train") -> RoutingTable:
    """RouterDC's 7-model data (soft scores); one flat modelled price, so only accuracy is informative."""
    folder = _need(root, "routerdc-7model")
    tables = []
    for stem in _ROUTERDC_SPLITS[split]:
        task = stem.replace("_train", "").replace("_test", "").replace("-train", "").replace("-test", "")
        rows = json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))
        tables.append(table_from_wide(rows, name=stem, task=task))
    table = RoutingTable.concat(tables, name=f"routerdc-{split}")
    return fill_costs(
        table,
        lambda m: ROUTERDC_FLAT_PRICE,
        output_tokens=_output_tokens_for(table),
        note="modelled: one flat price for all seven ~7B models (no prices in the data)",
    )


# -- RouteLLM evals ------------------------------------------------------------------------------
def _routellm_mmlu(folder: Path) -> RoutingTable:
    tables = []
    for p in sorted((folder / "mmlu" / "responses").glob("mmlu_*.csv")):
        subject = p.stem.removeprefix("mmlu_")
        tables.append(table_from_wide(read_rows(p), name=p.stem, task=f"mmlu/{subject}"))
    table = RoutingTable.concat(tables, name="routellm-mmlu")
    return fill_costs(table, ROUTELLM_PRICES.get, output_tokens=4, note="modelled: list prices, 4 answer tokens")


def _routellm_gsm8k(folder: Path) -> RoutingTable:
    rows = list(read_rows(folder / "gsm8k" / "gsm8k_responses.csv"))
    table = table_from_wide(rows, name="routellm-gsm8k", task="gsm8k")
    costs = np.full_like(table.costs, np.nan)
    for j, model in enumerate(table.models):
        p_in, p_out = ROUTELLM_PRICES[model]
        for i, r in enumerate(rows):
            costs[i, j] = (
                approx_tokens(table.queries[i]) * p_in + approx_tokens(r.get(f"{model}_response") or "") * p_out
            ) / 1e6
    return table.with_costs(costs, "modelled: list prices x (approx prompt tokens + approx tokens of the real answer)")


def _routellm_mtbench(folder: Path) -> RoutingTable:
    questions = {int(r["question_id"]): r for r in read_rows(folder / "mt_bench" / "question.jsonl")}
    judged: dict[tuple[int, str], list[float]] = {}
    for r in read_rows(folder / "mt_bench" / "judgements.jsonl"):
        if float(r.get("score", -1)) >= 0:
            judged.setdefault((int(r["question_id"]), str(r["model"])), []).append(float(r["score"]) / 10.0)
    rows = []
    for qid, q in questions.items():
        turns = q.get("turns") or [""]
        row: dict[str, Any] = {
            "query": "\n\n".join(turns),
            "task": f"mt_bench/{q.get('category', 'all')}",
            "id": str(qid),
        }
        row.update({m: float(np.mean(v)) for (i, m), v in judged.items() if i == qid})
        rows.append(row)
    table = table_from_wide(rows, name="routellm-mtbench")
    return fill_costs(table, ROUTELLM_PRICES.get, output_tokens=512, note="modelled: list prices, 512 answer tokens")


def load_routellm(root: Path, part: str = "all") -> RoutingTable:
    """RouteLLM's strong/weak pair on MMLU, GSM8K and MT-Bench (judge score / 10)."""
    folder = _need(root, "routellm-evals")
    parts = {"mmlu": _routellm_mmlu, "gsm8k": _routellm_gsm8k, "mtbench": _routellm_mtbench}
    if part == "all":
        return RoutingTable.concat([f(folder) for f in parts.values()], name="routellm")
    return parts[part](folder)


# -- RouterArena ---------------------------------------------------------------------------------
def load_routerarena(root: Path) -> RoutingTable:
    """RouterArena's cached answers of two models on 809 queries, measured cost (scores clipped to [0, 1])."""
    folder = _need(root, "routerarena-cached")
    by_id: dict[str, dict[str, object]] = {}
    models = []
    for p in sorted(folder.glob("*.jsonl")):
        models.append(p.stem)
        for r in read_rows(p):
            ev = r.get("evaluation_result") or {}
            gid = str(r["global_index"])
            row = by_id.setdefault(gid, {"query": r["question"], "id": gid, "task": gid.rsplit("_", 1)[0]})
            score = float(ev.get("score", 0.0)) if r.get("success", True) else 0.0
            row[p.stem] = min(1.0, max(0.0, score))  # a few metrics (NarrativeQA) dip below 0
            row[f"{p.stem}|total_cost"] = float(ev.get("inference_cost", 0.0))
    table = table_from_wide(list(by_id.values()), name="routerarena")
    return table.select_models(models)


#: name -> loader(root). `load_table` also accepts any file path.
DATASETS: dict[str, Callable[[Path], RoutingTable]] = {
    "routerbench": load_routerbench,
    "dcrouter": load_dcrouter,
    "dcrouter-train": lambda root: load_dcrouter(root, "train"),
    "routerdc": load_routerdc,
    "routerdc-test": lambda root: load_routerdc(root, "test"),
    "routerdc-ood": lambda root: load_routerdc(root, "ood"),
    "routellm": load_routellm,
    "routellm-mmlu": lambda root: load_routellm(root, "mmlu"),
    "routellm-gsm8k": lambda root: load_routellm(root, "gsm8k"),
    "routellm-mtbench": lambda root: load_routellm(root, "mtbench"),
    "routerarena": load_routerarena,
}


def load_table(source: str | Path, *, root: str | Path | None = None) -> RoutingTable:
    """A data set by name (see DATASETS) or any outcome file by path."""
    key = str(source)
    if key in DATASETS:
        return DATASETS[key](data_dir(root))
    path = Path(key)
    if path.is_dir():  # every CSV/JSONL in it, stacked: e.g. a held-out split kept as one file per task
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".csv", ".jsonl", ".json"))
        if not files:
            raise ConfigError(f"folder {path} holds no .csv/.jsonl/.json files", source=key, field="data")
        tables = [read_outcomes(p) for p in files]
        out = tables[0] if len(tables) == 1 else RoutingTable.concat(tables, name=path.name)
        ids = [i for t in tables for i in t.ids]
        return RoutingTable(
            out.name, out.queries, out.tasks, out.models, out.scores, out.costs, ids, out.cost_note, out.responses
        )
    if path.exists():
        return read_outcomes(key)
    raise ConfigError(
        f"unknown data set {key!r}: not a file and not one of {', '.join(DATASETS)}",
        field="data",
        hint="Give a CSV/JSONL path (columns: query, model, score, cost) or a data set name.",
    )


def load_tables(sources: Sequence[str | Path], *, root: str | Path | None = None) -> RoutingTable:
    """Several data sets stacked into one table (union of models; NaN where a set lacks a model)."""
    tables = [load_table(s, root=root) for s in sources]
    return tables[0] if len(tables) == 1 else RoutingTable.concat(tables)
