from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from a3m_integrations.cli import COMMANDS, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def wide_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A RouterBench-shaped CSV: code needs the dear model, trivia does not."""
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("data") / "bench.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["sample_id", "prompt", "eval_name", "cheap", "dear", "cheap|total_cost", "dear|total_cost"])
        for i in range(120):
            code = i % 2 == 1
            q = f"write a python function to parse {['json', 'csv', 'xml'][i % 3]} {i}" if code else f"capital of {i}?"
            p = (0.2, 0.95) if code else (0.9, 0.92)
            s = (rng.random(2) < p).astype(int)
            w.writerow([f"s{i}", repr([q]), "code" if code else "trivia", s[0], s[1], 0.0001, 0.003])
    return path


def test_commands_are_registered() -> None:
    assert "router" in COMMANDS and "bench" in COMMANDS


def test_router_train_info_and_bench_round_trip(
    capsys: pytest.CaptureFixture[str], wide_csv: Path, tmp_path: Path
) -> None:
    out_file = tmp_path / "knn.npz"
    code, out, err = run(capsys, "router", "train", "--data", str(wide_csv), "--kind", "knn", "--out", str(out_file),
                         "--param", "k=10", "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["kind"] == "knn" and data["models"] == ["cheap", "dear"] and out_file.is_file()
    assert data["settings"]["k"] == 10 and "training" in err  # progress went to stderr
    code, out, _ = run(capsys, "router", "info", str(out_file), "--json")
    assert code == 0 and json.loads(out)["training_queries"] == 120
    # the router trained on every row: bench must refuse to score it on its own training data
    code, _, err = run(capsys, "bench", "--data", str(wide_csv), "--router-file", str(out_file), "--no-heuristic")
    assert code == 1 and "training data" in err


def test_bench_cross_validates_and_plots(capsys: pytest.CaptureFixture[str], wide_csv: Path, tmp_path: Path) -> None:
    plot = tmp_path / "curve.png"
    code, out, err = run(capsys, "bench", "--data", str(wide_csv), "--kinds", "knn,logistic", "--folds", "2",
                         "--plot", str(plot), "--json", "--param", "epochs=20")  # fmt: skip
    assert code == 0, err
    rep = json.loads(out)
    assert set(rep["routers"]) == {"knn", "logistic", "heuristic"}
    assert rep["baselines"]["best_single"]["name"] == "best_single (dear)"
    knn = rep["routers"]["knn"]["figures"]
    assert knn["gain_at_random"] > 0 and 0 <= knn["gap_at_oracle"] <= 1
    assert plot.is_file() and plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "fold 2/2" in err
    code, out, _ = run(capsys, "bench", "--data", str(wide_csv), "--kinds", "knn", "--folds", "2", "--quiet")
    assert code == 0 and "AvgAcc" in out and "CostSave" in out and "best_single (dear)" in out


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["bench", "--data", "x.csv", "--folds", "1"], 2, "--folds"),
        (["bench", "--data", "x.csv", "--kinds", "forest"], 2, "unknown kind"),
        (["bench", "--data", "x.csv", "--plot", "out.jpg"], 2, ".png"),
        (["bench", "--data", "no-such.csv", "--kinds", "knn"], 1, "unknown data set"),
        (["bench", "--data", "x.csv", "--train", "y.csv", "--kinds", "knn"], 1, "unknown data set"),
        (["router", "train", "--data", "no-such.csv", "--kind", "knn", "--out", "o.npz"], 1, "unknown data set"),
        (["router", "train", "--data", "x.csv", "--kind", "forest", "--out", "o.npz"], 2, "invalid choice"),
        (["router", "info", "missing.npz"], 1, "not found"),
        (["router", "frobnicate"], 2, "invalid choice"),
        (["bench"], 2, "--data"),
    ],
)
def test_bad_usage(capsys: pytest.CaptureFixture[str], argv: list[str], code: int, message: str) -> None:
    got, _, err = run(capsys, *argv)
    assert got == code and message in err


def test_bad_param_and_bad_file(capsys: pytest.CaptureFixture[str], wide_csv: Path, tmp_path: Path) -> None:
    code, _, err = run(capsys, "router", "train", "--data", str(wide_csv), "--kind", "knn", "--out",
                       str(tmp_path / "o.npz"), "--param", "k")  # fmt: skip
    assert code == 1 and "KEY=VALUE" in err
    code, _, err = run(capsys, "router", "train", "--data", str(wide_csv), "--kind", "knn", "--out",
                       str(tmp_path / "o.npz"), "--param", "colour=blue")  # fmt: skip
    assert code == 1 and "bad settings" in err
    junk = tmp_path / "junk.npz"
    junk.write_text("nope")
    code, _, err = run(capsys, "router", "info", str(junk))
    assert code == 1 and "readable" in err
