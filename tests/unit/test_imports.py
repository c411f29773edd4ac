from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import a3m_integrations

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("numpy", "httpx", "pydantic", "faiss", "tiktoken", "langchain_core", "llama_index")
#: Standard-library modules that cost milliseconds the cold-start budget does not have.
SLOW_STDLIB = ("dataclasses", "pathlib", "typing", "inspect", "shutil", "sqlite3", "asyncio")


def _modules_after(code: str) -> set[str]:
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_import_and_route_stay_light() -> None:
    # Only what our code adds counts: an install method (e.g. an editable finder) may load
    # some of these modules into every interpreter before our package is imported.
    baseline = {m.split(".")[0] for m in _modules_after("pass")}
    assert not baseline & set(HEAVY), "the interpreter preloads a heavy package: the checks below would miss it"
    loaded = _modules_after("import a3m_integrations")
    assert not ({m.split(".")[0] for m in loaded} - baseline) & set(HEAVY)
    loaded = _modules_after("from a3m_integrations.cli import main; main(['route', 'hi', '--json'])")
    heavy = sorted(({m.split(".")[0] for m in loaded} - baseline) & {*HEAVY, *SLOW_STDLIB})
    assert heavy == [], f"the routing path imported {heavy}"


def test_exports_resolve_and_are_pinned() -> None:
    names = set(a3m_integrations.__all__) - {"__version__"}
    for name in names:
        assert getattr(a3m_integrations, name) is not None
    assert {"ChatRequest", "HeuristicRouter", "Catalog", "A3MError", "BudgetExceeded", "analyze"} <= names


def test_core_never_imports_the_frameworks() -> None:
    for path in (ROOT / "a3m_integrations").rglob("*.py"):
        text = path.read_text()
        for framework in ("langchain", "llama_index"):
            assert f"import {framework}" not in text and f"from {framework}" not in text, path
