"""Check that two versions of the heuristic router give identical outputs on the same prompts.

Runs the signals and the router of the working tree and of a git revision (`--ref`, its
`a3m_integrations` extracted with `git archive`) in separate processes over the same inputs,
then compares, prompt by prompt, as exact JSON text (floats must be bit-identical):

- `analyze(prompt)`: every field of `Features.to_dict()` and `reason_strings()`;
- `analyze` of a conversation (a system prompt and an earlier user turn lend context);
- `HeuristicRouter.route` of the prompt as a plain request, with max_tokens, with 2 and 5 tools,
  with JSON mode, as a conversation, with a health check that marks some models down, with a
  pinned model, and on the 'all' pool; `RoutingDecision.to_dict()` (model, tier, complexity,
  reasons, fallbacks, estimated cost) or the error's type and message.

Inputs: the A3M author's labelled queries, the routing fixtures (dev and blind sets), every
string constant in the routing and signal tests, the bench prompt, RouterBench prompts,
guardrail-injection texts and DC-Router queries (under the shared data folder), and re-cased,
newline-split and cut variants of a sample of them.

    python scripts/route_equivalence.py [--ref 599053d] [--quick]
Exit status 0 when everything matches, 1 otherwise (the first differences are printed).
"""

from __future__ import annotations

import csv
import json
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _equivalence import ROOT, data_dir, test_strings
from _equivalence import main as equivalence_main

ROUTE_TESTS = (
    "tests/unit/test_signals.py",
    "tests/unit/test_heuristic_router.py",
    "tests/unit/test_cli_route.py",
    "tests/unit/test_signal_tables.py",
)


# Inputs -------------------------------------------------------------------------------------
def _test_strings() -> list[str]:
    return test_strings(ROUTE_TESTS)


def _labelled() -> list[str]:
    labels = data_dir() / "a3m-tier-labels" / "routing-benchmark-v2.queries.json"
    texts = [q["query"] for q in json.loads(labels.read_text(encoding="utf-8"))]
    for path in sorted((ROOT / "tests" / "fixtures" / "routing").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data.get("queries", []) if isinstance(data, dict) else data
        texts += [q["query"] for q in rows if isinstance(q, dict) and "query" in q]
    return texts


def _datasets(quick: bool) -> list[str]:
    d = data_dir()
    step = 3 if quick else 1
    texts: list[str] = []
    csv.field_size_limit(1 << 30)
    for path in sorted((d / "routerbench-subset").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            texts += [row["prompt"] for row in csv.DictReader(f)][: 600 // step]
    sys.path.insert(0, str(ROOT))
    from a3m_integrations.guardrails._labeled import load_injection_file

    for path in sorted((d / "guardrail-injection").rglob("*")):
        if path.suffix in (".csv", ".parquet"):
            texts += load_injection_file(path)[0][: 800 // step]
    for name in ("default_query_test.jsonl", "default_query_train.jsonl"):
        lines = (d / "llmrouter-dcrouter" / name).read_text(encoding="utf-8").splitlines()
        texts += [json.loads(line)["query"] for line in lines[: 900 // step] if line.strip()]
    return texts


def build_inputs(quick: bool) -> list[str]:
    """Every prompt both versions are run on, de-duplicated, in a fixed order."""
    sys.path.insert(0, str(ROOT / "tests" / "bench"))
    import bench_routing

    rng = random.Random(3)
    base = [bench_routing.PROMPT_200, *_labelled(), *_test_strings(), *_datasets(quick)]
    sample = rng.sample(base, min(len(base), 100 if quick else 400))
    extra: list[str] = []
    for t in sample:
        cut = rng.randrange(1, max(2, len(t)))
        extra += [t.upper(), t.title(), t.replace(". ", ".\n"), t[:cut], f"1. {t}\n2. {t[:80]}\n- and then"]
    seen: set[str] = set()
    out: list[str] = []
    for t in base + extra:
        if isinstance(t, str) and t.strip() and t not in seen:
            seen.add(t)
            out.append(t)
    return out


# Dump (runs inside the process of one version) ---------------------------------------------
def _route(router: Any, request: Any) -> Any:
    try:
        decision = router.route(request)
        return [decision.to_dict(), repr(decision.complexity), repr(decision.estimated_cost)]
    except Exception as exc:  # an error is an output too
        return [type(exc).__name__, str(exc)]


def _analyze(analyze: Any, request: Any) -> Any:
    try:
        f = analyze(request)
        return [f.to_dict(), f.reason_strings(), repr(f.complexity), repr(f.domains)]
    except Exception as exc:  # an error is an output too
        return [type(exc).__name__, str(exc)]


def dump(inputs: Path, out: Path) -> None:
    """Write one JSON line of outputs per prompt, using whichever package is on sys.path."""
    from a3m_integrations.routing.heuristic import HeuristicRouter
    from a3m_integrations.signals import analyze
    from a3m_integrations.types import ChatRequest, Message, ResponseFormat, ToolSpec

    texts: list[str] = json.loads(inputs.read_text(encoding="utf-8"))
    router = HeuristicRouter()
    down = {m.id for m in router.pool[::3]}
    flaky = HeuristicRouter(healthy=lambda model_id: model_id not in down)
    everything = HeuristicRouter(pool="all")
    pinned_id = router.pool[len(router.pool) // 2].id
    json_mode = ResponseFormat("json_object")
    with out.open("w", encoding="utf-8") as f:
        for i, text in enumerate(texts):
            plain = ChatRequest.of(text)
            convo = ChatRequest(
                (
                    Message.system("You are a careful assistant for a law firm's contract team."),
                    Message.user(texts[i - 1][:600]),
                    Message.assistant("Noted."),
                    Message.user(text),
                )
            )
            row: dict[str, Any] = {
                "analyze": _analyze(analyze, text),
                "analyze_convo": _analyze(analyze, convo),
                "route": _route(router, plain),
                "max_tokens": _route(router, ChatRequest((Message.user(text),), max_tokens=4000)),
                "tools2": _route(router, ChatRequest((Message.user(text),), tools=(ToolSpec("a"), ToolSpec("b")))),
                "tools5": _route(router, ChatRequest((Message.user(text),), tools=tuple(ToolSpec(c) for c in "abcde"))),
                "json": _route(router, ChatRequest((Message.user(text),), response_format=json_mode)),
                "convo": _route(router, convo),
                "flaky": _route(flaky, plain),
                "pinned": _route(router, ChatRequest((Message.user(text),), model=pinned_id)),
                "all": _route(everything, plain),
            }
            f.write(json.dumps(row, sort_keys=True, default=str) + "\n")


# Compare -----------------------------------------------------------------------------------
def _first_difference(a: dict[str, Any], b: dict[str, Any]) -> str:
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            return f"{key}: {json.dumps(a.get(key))[:300]} != {json.dumps(b.get(key))[:300]}"
    return "?"


def main() -> int:
    return equivalence_main(
        __file__,
        what="routing",
        quick_help="a third of the data set rows and fewer variants",
        build_inputs=build_inputs,
        dump=dump,
        differ=lambda a, b: None if a == b else _first_difference(json.loads(a), json.loads(b)),
        summary=lambda: " (all 11 outputs, exact JSON text)",
    )


if __name__ == "__main__":
    sys.exit(main())
