"""Run benchmarks: every `tests/bench/bench_*.py` (or the names given) as its own process.

Each benchmark prints its figures, the baseline it ran side by side and the ratio, and the
target from its issue. Benchmarks never fail a build on speed; they report.
    python3 tasks.py bench              # all
    python3 tasks.py bench routing cache   # bench_routing.py and bench_cache.py
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    """Run the chosen benchmarks in turn; exit non-zero if any crashed."""
    names = argv or sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    failed = []
    for name in names:
        path = HERE / f"bench_{name}.py"
        if not path.exists():
            print(f"no benchmark named {name!r} ({path.name} not found)", file=sys.stderr)
            failed.append(name)
            continue
        print(f"\n===== bench {name} =====", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(path)], cwd=HERE.parent.parent)
        print(f"----- {name}: exit {code}, {time.perf_counter() - start:.1f} s", flush=True)
        if code:
            failed.append(name)
    if failed:
        print(f"benchmarks that crashed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
