"""`a3m health`: each configured provider's breaker state, health score and last error.

Breakers and scores live in the process that makes the calls, so a fresh `a3m health` knows only
what it observes itself: with `--probe` it sends a one-token request to the cheapest model of
each configured provider (one attempt, no fallback) and reports what happened.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """Options of `a3m health`."""
    parser.add_argument("--probe", action="store_true", help="send a tiny request to each configured provider")
    parser.add_argument("--provider", action="append", default=[], metavar="ID", help="only this provider (repeatable)")
    parser.add_argument(
        "--catalog", action="append", default=[], metavar="FILE", help="catalog override file (repeatable)"
    )
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds each probe may take (default 20)")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _probe_model(catalog: Any, provider_id: str) -> Any:
    models = [m for m in catalog if m.provider == provider_id]
    return min(models, key=lambda m: (m.blended_per_1m, m.id)) if models else None


def run(args: argparse.Namespace, name: str) -> int:
    """Print the health report; exit 1 when a probe failed."""
    from a3m_integrations.catalog import Catalog
    from a3m_integrations.errors import AllModelsFailed, ConfigError
    from a3m_integrations.providers.registry import ProviderRegistry
    from a3m_integrations.resilience.executor import Executor
    from a3m_integrations.resilience.retry import RetryPolicy
    from a3m_integrations.types import ChatRequest

    if args.timeout <= 0:
        raise ConfigError("--timeout must be positive seconds", field="timeout")
    catalog = Catalog.load(*args.catalog) if args.catalog else Catalog.default()
    for pid in args.provider:
        catalog.provider(pid)  # InvalidRequest naming the fix when unknown
    registry = ProviderRegistry(catalog)
    configured = set(registry.configured())
    wanted = args.provider or sorted(catalog.providers)
    policy = RetryPolicy(timeout=args.timeout, max_attempts=1, deadline=args.timeout + 1.0)
    probes: dict[str, dict[str, Any]] = {}
    with registry:
        executor = Executor(registry, policy=policy)
        if args.probe:
            for pid in wanted:
                model = _probe_model(catalog, pid)
                if pid not in configured or model is None:
                    continue
                try:
                    result = executor.call(ChatRequest.of("ping", max_tokens=1, temperature=0.0), (model.id,))
                except AllModelsFailed as exc:
                    err = exc.errors[0] if exc.errors else exc
                    probes[pid] = {"model": model.id, "ok": False, "error": f"{type(err).__name__}: {err.message}"}
                else:
                    latency = result.response.latency_ms
                    probes[pid] = {"model": model.id, "ok": True, "latency_ms": round(latency or 0.0, 1)}
        rows = []
        for pid in wanted:
            health = executor.health.provider_health(pid).to_dict()
            rows.append({**health, "configured": pid in configured, "probe": probes.get(pid)})
    if args.json:
        print(json.dumps({"providers": rows, "probed": bool(args.probe)}, indent=2))
    else:
        _print_table(rows, probed=bool(args.probe))
    return 1 if any(p and not p["ok"] for p in probes.values()) else 0


def _print_table(rows: list[dict[str, Any]], *, probed: bool) -> None:
    header = ("provider", "configured", "score", "breakers", "probe", "last error")
    lines = [header]
    for row in rows:
        breakers = ", ".join(f"{m.split('/', 1)[-1]}={b['state']}" for m, b in row["breakers"].items()) or "closed"
        probe = row["probe"]
        probe_text = "-" if probe is None else (f"ok {probe['latency_ms']:.0f} ms" if probe["ok"] else "failed")
        lines.append(
            (
                row["provider"],
                "yes" if row["configured"] else "no",
                f"{row['score']:.2f}",
                breakers,
                probe_text,
                (row["last_error"] or "-")[:80],
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip())
    if not probed:
        print("\nNo calls observed in this process; run `a3m health --probe` to test each configured provider.")
