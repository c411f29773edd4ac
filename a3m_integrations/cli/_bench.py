"""`a3m bench --data FILE... [--router-file FILE...]`: LLMRouterBench figures of routers on data.

Each `--data` set is scored on its own. Routers come from:

- `--router-file FILE`: trained files, scored on the queries they did not train on;
- `--kinds knn,mlp,...` (the default when no file is given): trained here, by k-fold
  cross-validation on the data (`--folds`, `--seeds`), or on `--train` sets and scored on the data;
- the heuristic router (unless `--no-heuristic`), through `evaluation.tiers`.

Prints a table (or `--json`), draws progress on stderr, and with `--plot FILE.png` draws accuracy
against cost with every router's curve, the single models, the baselines and the Pareto frontier.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from a3m_integrations.cli._common import print_json, usage_error
from a3m_integrations.cli._router import KINDS, parse_params, single_threaded_blas
from a3m_integrations.errors import ConfigError

__all__ = ["add_arguments", "format_report", "run"]

_COLUMNS = (
    ("AvgAcc", "avg_acc", "{:.4f}"),
    ("$/query", "cost", "{:.2e}"),
    ("Gain@R", "gain_at_random", "{:+.1%}"),
    ("Gain@B", "gain_at_best", "{:+.1%}"),
    ("Gap@O", "gap_at_oracle", "{:.1%}"),
    ("MaxAcc", "max_acc", "{:.4f}"),
    ("PerfGain", "perf_gain", "{:+.1%}"),
    ("CostSave", "cost_save", "{:.1%}"),
    ("CostSave95", "cost_save_95", "{:.1%}"),
    ("Acc@B$", "acc_at_best_cost", "{:.4f}"),
    ("Acc@R$", "acc_at_random_cost", "{:.4f}"),
    ("ParetoDist", "pareto_dist", "{:.4f}"),
)


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """Options of `bench`."""
    single_threaded_blas()
    parser.add_argument("--data", nargs="+", required=True, metavar="FILE", help="data files or set names")
    parser.add_argument("--router-file", nargs="+", default=[], metavar="FILE", help="trained router files to score")
    parser.add_argument("--kinds", metavar="K,K", help=f"router kinds to train and score (of {', '.join(KINDS)})")
    parser.add_argument("--train", nargs="+", default=[], metavar="FILE", help="train --kinds on these, not by CV")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    parser.add_argument("--seeds", type=int, default=1, help="repeat cross-validation with this many seeds")
    parser.add_argument(
        "--param", action="append", default=[], metavar="KEY=VALUE", help="router setting (kinds without it ignore it)"
    )
    parser.add_argument("--average", choices=("task", "query"), default="task", help="accuracy averaged per task")
    parser.add_argument("--no-heuristic", action="store_true", help="leave the heuristic router out")
    parser.add_argument("--plot", metavar="FILE.png", help="draw accuracy vs cost (needs matplotlib: the eval extra)")
    parser.add_argument("--data-dir", metavar="DIR", help="folder of the named data sets (default $A3M_DATA_DIR)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def _fmt(value: Any, spec: str) -> str:
    if value is None:
        return "-"
    try:
        return spec.format(value)
    except (TypeError, ValueError):
        return str(value)


def format_report(rep: Any) -> str:
    """The report as a plain-text table: baselines, then one row per router."""
    lines = [f"{rep.table}: {rep.queries} queries, accuracy averaged per {rep.average}"]
    lines.append("baselines")
    for key in ("random", "best_single", "cheapest", "oracle"):
        b = rep.baselines[key]
        lines.append(f"  {b.name:<46} acc {b.accuracy:.4f}  ${b.cost:.2e}/query")
    width = max([len(n) for n in rep.figures] + [6])
    header = "  " + "router".ljust(width) + "".join(f"  {c[0]:>10}" for c in _COLUMNS)
    lines += ["routers", header]
    for name, fig in rep.figures.items():
        lines.append(
            "  " + name.ljust(width) + "".join(f"  {_fmt(fig.get(key), spec):>10}" for _, key, spec in _COLUMNS)
        )
    for name, notes in rep.notes.items():
        for note in notes:
            lines.append(f"  note [{name}]: {note}")
    return "\n".join(lines)


def _plot(rep: Any, path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ConfigError(
            "--plot needs matplotlib", hint="Install the eval extra: pip install 'a3m-integrations[eval]'."
        ) from exc
    fig, ax = plt.subplots(figsize=(9, 6), dpi=120)
    for name, curve in rep.curves.items():
        pts = sorted(curve, key=lambda p: p.cost)
        ax.plot([p.cost for p in pts], [p.accuracy for p in pts], marker=".", linewidth=1.4, label=name)
    singles = [b for k, b in rep.baselines.items() if k.startswith("model:")]
    ax.scatter([b.cost for b in singles], [b.accuracy for b in singles], color="grey", s=18, label="single models")
    for b in singles:
        ax.annotate(b.name[6:].split("/")[-1][:22], (b.cost, b.accuracy), fontsize=6, color="grey")
    for key, marker in (("random", "x"), ("best_single", "*"), ("cheapest", "v"), ("oracle", "P")):
        b = rep.baselines[key]
        ax.scatter([b.cost], [b.accuracy], marker=marker, s=90, color="black", zorder=5)
        ax.annotate(key.replace("_", " "), (b.cost, b.accuracy), fontsize=8, xytext=(4, 4), textcoords="offset points")
    front = sorted(rep.frontier, key=lambda p: p.cost)
    ax.step([p.cost for p in front], [p.accuracy for p in front], where="post", linestyle="--", color="black",
            linewidth=0.8, label="Pareto frontier")  # fmt: skip
    ax.set_xscale("log")
    ax.set_xlabel("mean cost per query (USD, log scale)")
    ax.set_ylabel(f"accuracy (mean per {rep.average})")
    ax.set_title(f"{rep.table}: {rep.queries} queries")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def _plot_path(base: str, name: str, many: bool) -> Path:
    p = Path(base)
    if not many:
        return p
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in Path(name).stem)
    return p.with_name(f"{p.stem}-{safe}{p.suffix or '.png'}")


def run(args: argparse.Namespace, name: str) -> int:
    """Run `a3m bench`."""
    if args.folds < 2:
        return usage_error(name, "--folds must be 2 or more")
    if args.seeds < 1:
        return usage_error(name, "--seeds must be 1 or more")
    if args.plot and not args.plot.lower().endswith(".png"):
        return usage_error(name, "--plot takes a .png file name")
    kinds = [k.strip() for k in (args.kinds or "").split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        return usage_error(name, f"unknown kind(s) {', '.join(unknown)}; choose from {', '.join(KINDS)}")
    if not kinds and not args.router_file:
        kinds = ["knn", "cluster", "logistic", "mlp", "mf", "cascade"]
    params = parse_params(args.param)

    from a3m_integrations.cli._progress import ProgressBar
    from a3m_integrations.evaluation.bench import run_bench

    per_set = 1 + len(args.router_file) + len(kinds) * (1 if args.train else args.folds * args.seeds)
    bar = ProgressBar(len(args.data) * per_set + (len(kinds) if args.train else 0), quiet=args.quiet)
    reports = run_bench(
        args.data,
        router_files=args.router_file,
        kinds=kinds,
        train=args.train,
        folds=args.folds,
        seeds=args.seeds,
        params=params,
        average=args.average,
        heuristic=not args.no_heuristic,
        root=args.data_dir,
        progress=bar,
    )
    bar.close()
    if args.plot:
        for rep in reports:
            _plot(rep, _plot_path(args.plot, rep.table, len(reports) > 1))
    if args.json:
        print_json([rep.to_dict() for rep in reports] if len(reports) > 1 else reports[0].to_dict())
        return 0
    print("\n\n".join(format_report(rep) for rep in reports))
    if args.plot:
        print(f"\nplot: {', '.join(str(_plot_path(args.plot, r.table, len(reports) > 1)) for r in reports)}")
    return 0
