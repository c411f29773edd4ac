"""What the equivalence scripts share: inputs from the tests and data, and running two versions.

`guard_equivalence.py` and `route_equivalence.py` each dump one JSON line of outputs per input
with whichever `a3m_integrations` is on sys.path; `run_both` runs that dump for a git revision
(extracted with `git archive`) and for the working tree, in separate processes.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    """The shared data folder, found as the library finds it (imported from the working tree)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from a3m_integrations.evaluation.datasets import data_dir as find

    return find()


def test_strings(paths: Sequence[str]) -> list[str]:
    """Every string constant in the given test files (paths relative to the checkout)."""
    out: list[str] = []
    for name in paths:
        path = ROOT / name
        if path.is_file():
            tree = ast.parse(path.read_text(encoding="utf-8"))
            out += [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return out


def run_both(script: Path, ref: str, texts: list[str]) -> tuple[list[str], list[str]]:
    """Output lines of `script --dump` for revision `ref` and for the working tree, on `texts`."""
    with tempfile.TemporaryDirectory(prefix="a3m-eq-") as tmp:
        work = Path(tmp)
        old_root = work / "old"
        old_root.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", ref, "a3m_integrations"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(old_root)], input=archive, check=True)
        inputs = work / "inputs.json"
        inputs.write_text(json.dumps(texts), encoding="utf-8")
        lines = []
        for root, out in ((old_root, work / "old.jsonl"), (ROOT, work / "new.jsonl")):
            env = dict(os.environ, PYTHONPATH=str(root))
            cmd = [sys.executable, str(script), "--dump", str(inputs), str(out)]
            subprocess.run(cmd, check=True, env=env, cwd=root)
            lines.append(out.read_text(encoding="utf-8").splitlines())
    return lines[0], lines[1]


def main(
    script: str,
    *,
    what: str,
    quick_help: str,
    build_inputs: Callable[[bool], list[str]],
    dump: Callable[[Path, Path], None],
    differ: Callable[[str, str], str | None],
    summary: Callable[[], str] = lambda: "",
) -> int:
    """Command line of an equivalence script: `--dump` (one version's outputs) or the comparison.

    `differ` says where two output lines first differ (None when they agree); the exit status is
    0 when every input agrees, 1 otherwise (the first ten differences are printed).
    """
    ap = argparse.ArgumentParser(description=f"compare {what} outputs of the working tree and a git revision")
    ap.add_argument("--ref", default="HEAD", help="git revision to compare against (default HEAD)")
    ap.add_argument("--quick", action="store_true", help=quick_help)
    ap.add_argument("--dump", nargs=2, metavar=("INPUTS", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.dump:
        dump(Path(args.dump[0]), Path(args.dump[1]))
        return 0
    texts = build_inputs(args.quick)
    print(f"{len(texts)} inputs; running {args.ref} and the working tree")
    old, new = run_both(Path(script).resolve(), args.ref, texts)
    bad = 0
    for i, (a, b) in enumerate(zip(old, new)):
        found = differ(a, b)
        if found:
            bad += 1
            if bad <= 10:
                print(f"input {i} ({texts[i][:60]!r}...): {found}")
    if len(old) != len(new):
        print(f"row counts differ: {len(old)} != {len(new)}")
        bad += 1
    print(f"{len(texts) - bad} of {len(texts)} inputs identical{summary()}")
    return 0 if bad == 0 else 1
