"""`a3m router train --data FILE... --kind NAME --out FILE` and `a3m router info FILE`."""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from a3m_integrations.cli._common import print_json, usage_error
from a3m_integrations.errors import ConfigError

__all__ = ["KINDS", "add_arguments", "parse_params", "run", "single_threaded_blas"]

KINDS = ("knn", "cluster", "mlp", "logistic", "mf", "cascade")


def single_threaded_blas() -> None:
    """Run BLAS single-threaded unless the user chose otherwise (call before numpy is imported).

    Routing math is one row at a time, where BLAS threads only add hand-off cost, and on a shared
    machine idle-spinning threads slow everything down (measured 20x on our 2-core hosts).
    """
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """Sub-commands `train` and `info`."""
    single_threaded_blas()
    sub = parser.add_subparsers(dest="action", required=True, metavar="{train,info}")
    train = sub.add_parser("train", help="train a learned router on outcome data and save it")
    train.add_argument("--data", nargs="+", required=True, metavar="FILE", help="data files or set names (stacked)")
    train.add_argument("--kind", required=True, choices=KINDS, help="which router to train")
    train.add_argument("--out", required=True, metavar="FILE", help="where to write the router (.npz)")
    train.add_argument("--param", action="append", default=[], metavar="KEY=VALUE", help="router setting, e.g. k=20")
    train.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    train.add_argument("--tiers", metavar="JSON", help="data set model -> tier map saved in the file (JSON or file)")
    train.add_argument("--data-dir", metavar="DIR", help="folder of the named data sets (default $A3M_DATA_DIR)")
    train.add_argument("--json", action="store_true", help="print JSON")
    train.add_argument("--quiet", action="store_true", help="no progress on stderr")
    info = sub.add_parser("info", help="show what a router file holds")
    info.add_argument("file", help="a router file (.npz)")
    info.add_argument("--json", action="store_true", help="print JSON")


def parse_params(items: list[str]) -> dict[str, Any]:
    """KEY=VALUE strings as settings: numbers become numbers, 'auto' and other words stay text."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--param takes KEY=VALUE, not {item!r}", field="param")
        text = value.strip()
        parsed: Any
        try:
            parsed = int(text)
        except ValueError:
            try:
                parsed = float(text)
            except ValueError:
                parsed = text
        out[key.strip().replace("-", "_")] = parsed
    return out


def _json_arg(text: str, what: str) -> dict[str, str]:
    raw = Path(text).read_text(encoding="utf-8") if Path(text).is_file() else text
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{what} is neither a JSON object nor a JSON file: {exc.msg}", field=what) from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{what} must be a JSON object", field=what)
    return {str(k): str(v) for k, v in data.items()}


def _train(args: argparse.Namespace) -> int:
    from a3m_integrations.cli._progress import ProgressBar
    from a3m_integrations.evaluation.datasets import load_table
    from a3m_integrations.evaluation.table import RoutingTable
    from a3m_integrations.routing.learned.router import make_quality_model

    params = parse_params(args.param)
    tiers = _json_arg(args.tiers, "tiers") if args.tiers else None
    bar = ProgressBar(len(args.data) + 2, quiet=args.quiet)
    tables = []
    for source in args.data:
        bar.advance(f"loading {source}")
        tables.append(load_table(source, root=args.data_dir))
    table = tables[0] if len(tables) == 1 else RoutingTable.concat(tables)
    model = make_quality_model(args.kind, seed=args.seed, **params)
    started = time.monotonic()
    bar.advance(f"training {args.kind} on {len(table)} queries x {table.n_models} models")
    model.fit(table)
    if tiers:
        unknown = sorted(set(tiers) - set(model.models))
        if unknown:
            raise ConfigError(f"--tiers names models not in the data: {', '.join(unknown)}", field="tiers")
        model.meta["tiers"] = tiers
    model.trained_on = [str(s) for s in args.data]
    path = model.save(args.out)
    bar.advance(f"saved {path}")
    bar.close()
    size = path.stat().st_size
    out: dict[str, Any] = {
        "file": str(path),
        "bytes": size,
        "kind": model.kind,
        "queries": len(table),
        "models": model.models,
        "trained_on": model.trained_on,
        "seconds": round(time.monotonic() - started, 2),
        "settings": model._state()[0],
    }
    if args.json:
        print_json(out)
        return 0
    print(f"trained a {args.kind} router on {len(table)} queries x {len(model.models)} models in {out['seconds']} s")
    print(f"  settings  {json.dumps(out['settings'])}")
    print(f"  saved     {path} ({size / 1024:.0f} KB)")
    print(f"  use it    a3m bench --data TEST.csv --router-file {path}")
    return 0


def _info(args: argparse.Namespace) -> int:
    from a3m_integrations.routing.learned._base import load_quality_model

    model = load_quality_model(args.file)
    out = {
        "file": args.file,
        "kind": model.kind,
        "models": model.models,
        "trained_on": model.trained_on,
        "training_queries": len(model.train_hashes),
        "embedder": model.embedder.config(),
        "settings": model._state()[0],
        "meta": model.meta,
    }
    if args.json:
        print_json(out)
        return 0
    print(f"{args.file}: a {model.kind} router")
    print(f"  trained on   {', '.join(model.trained_on)} ({len(model.train_hashes)} distinct queries)")
    print(f"  models       {', '.join(model.models)}")
    print(f"  settings     {json.dumps(out['settings'])}")
    print(f"  embedder     {json.dumps(out['embedder'])}")
    if model.meta:
        print(f"  meta         {json.dumps(model.meta)}")
    return 0


def run(args: argparse.Namespace, name: str) -> int:
    """Run `a3m router ACTION`."""
    if args.action == "train":
        if not str(args.out).strip():
            return usage_error(name, "--out needs a file name")
        return _train(args)
    return _info(args)
