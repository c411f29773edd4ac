"""What the equivalence scripts share: inputs from the tests and data, and running two versions.

`guard_equivalence.py` and `route_equivalence.py` each dump one JSON line of outputs per input
with whichever `a3m_integrations` is on sys.path; `run_both` runs that dump for a git revision
(extracted with `git archive`) and for the working tree, in separate processes.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
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
