from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from a3m_integrations.errors import ConfigError
from a3m_integrations.evaluation.datasets import DATASETS, data_dir, load_routerbench, load_table
from a3m_integrations.evaluation.outcomes import fill_costs, prompt_text, read_outcomes
from a3m_integrations.evaluation.table import RoutingTable, kfold_indices


def test_prompt_text_parses_python_list_strings_safely() -> None:
    assert prompt_text("['Write a function.']") == "Write a function."
    assert prompt_text("['a', 'b']") == "a\nb"
    assert prompt_text("[1, 2]") == "[1, 2]"  # not a list of strings: kept as it is
    assert prompt_text("['__import__(\"os\")']") == '__import__("os")'  # a literal, never run
    assert prompt_text("[not python") == "[not python"


def test_routerbench_loads_scores_costs_and_answers(data_dir: Path) -> None:
    t = load_routerbench(data_dir, files=["mbpp_train.csv"])
    assert len(t) == 299 and t.n_models == 11 and set(t.tasks) == {"mbpp"}
    assert "gpt-4-1106-preview" in t.models and not any("|" in m for m in t.models)
    assert not t.queries[0].startswith("['")
    assert np.nanmin(t.costs) > 0 and set(np.unique(t.scores[np.isfinite(t.scores)])) <= {0.0, 1.0}
    assert t.responses is not None and isinstance(t.responses[0, 0], str)
    g = t.models.index("gpt-4-1106-preview")
    assert np.nanmean(t.scores[:, g]) == pytest.approx(0.686, abs=0.002)  # SOURCE.md's table figure


def test_dcrouter_costs_are_modelled_from_prices(data_dir: Path) -> None:
    t = load_table("dcrouter", root=data_dir)
    assert len(t) == 500 and t.n_models == 9 and "all" not in t.tasks
    big, small = t.models.index("llama-3.1-nemotron-51b-instruct"), t.models.index("gemma-2-9b-it")
    assert np.allclose(t.costs[:, big] / t.costs[:, small], 0.9 / 0.1)  # same tokens, price ratio
    assert "default_llm.json" in t.cost_note


def test_a_folder_stacks_its_files(data_dir: Path, tmp_path: Path) -> None:
    t = load_table(data_dir / "routerbench-subset")
    assert len(t) == 2225 and set(t.tasks) == {"arc-challenge", "mbpp", "winogrande"} and t.n_models == 11
    with pytest.raises(ConfigError, match="holds no"):
        load_table(tmp_path)


def test_every_named_set_has_a_loader() -> None:
    assert {"routerbench", "dcrouter", "routerdc", "routellm", "routerarena"} <= set(DATASETS)
    with pytest.raises(ConfigError, match="unknown data set"):
        load_table("no-such-set")


def test_long_outcome_log(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    rows = [
        {"query": "hi", "model": "openai/gpt-4o-mini", "score": 1, "cost": 0.001, "task": "chat"},
        {"query": "hi", "model": "openai/gpt-4o-mini", "score": 0, "cost": 0.003, "task": "chat"},
        {"query": "hi", "model": "openai/gpt-4o", "score": 1},
        {"query": "sum 2+2", "model": "openai/gpt-4o", "score": 0.5, "cost": 0.01, "response": "4"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    t = read_outcomes(path)
    assert t.models == ["openai/gpt-4o-mini", "openai/gpt-4o"] and t.queries == ["hi", "sum 2+2"]
    assert t.scores[0, 0] == pytest.approx(0.5) and t.costs[0, 0] == pytest.approx(0.002)  # repeats averaged
    assert np.isnan(t.costs[0, 1]) and np.isnan(t.scores[1, 0])
    assert t.tasks == ["chat", "all"] and t.responses is not None and t.responses[1, 1] == "4"
    assert len(t.complete()) == 0
    filled = fill_costs(t, lambda m: (1.0, 2.0), output_tokens=100)
    assert np.isfinite(filled.costs).all() and filled.costs[0, 0] == pytest.approx(0.002)


def test_wide_csv_in_routerbench_shape(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["sample_id", "prompt", "eval_name", "m1", "m2", "m1|total_cost", "m2|total_cost", "m1|model_response"]
        )
        w.writerow(["s1", "['q one']", "t", "1.0", "0.0", "0.1", "0.2", "A"])
        w.writerow(["s2", "q two", "t", "0", "1", "0.1", "0.2", ""])
    t = read_outcomes(path)
    assert t.models == ["m1", "m2"] and t.queries == ["q one", "q two"] and t.ids == ["s1", "s2"]
    assert t.scores.tolist() == [[1, 0], [0, 1]] and t.costs[:, 1].tolist() == [0.2, 0.2]
    assert t.responses is not None and t.responses[0, 0] == "A" and t.responses[1, 0] is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("query,model\nhi,m\n", "no score"),
        ("query,model,score\nhi,m,2\n", "outside"),
        ("query,model,score\nhi,m,good\n", "not a number"),
        ("query,other\nhi,x\n", "not a number"),
        ("", "no header"),
    ],
)
def test_bad_outcome_logs_say_what_is_wrong(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(ConfigError, match=message):
        read_outcomes(path)


def test_table_ops_and_grouped_folds() -> None:
    t = RoutingTable(
        "t", ["a", "b", "a", "c"], ["x", "x", "y", "y"], ["m1", "m2"], np.ones((4, 2)) * 0.5, np.ones((4, 2))
    )
    assert t.subset([0, 2]).queries == ["a", "a"] and t.select_models(["m2"]).models == ["m2"]
    both = RoutingTable.concat([t, t.select_models(["m2"]).rename_models({"m2": "m3"})])
    assert both.models == ["m1", "m2", "m3"] and len(both) == 8 and len(both.complete()) == 0
    for train, test in kfold_indices(4, 2, seed=1, groups=t.queries):
        assert not {t.queries[i] for i in train} & {t.queries[i] for i in test}
    with pytest.raises(ConfigError):
        next(kfold_indices(4, 1))
    with pytest.raises(ConfigError):
        t.select_models(["nope"])


def test_the_data_folder_is_found_without_the_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("A3M_DATA_DIR", raising=False)
    assert (data_dir() / "routerbench-subset").is_dir()  # ../shared/data, or beside a parent (worktrees)
    assert data_dir("some/where") == Path("some/where")
    monkeypatch.setenv("A3M_DATA_DIR", "/elsewhere/data")
    assert data_dir() == Path("/elsewhere/data")
