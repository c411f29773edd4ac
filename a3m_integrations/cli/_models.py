"""`a3m models`: list catalog models, filtered by tier, provider, capability or pool."""

from __future__ import annotations

import argparse

from a3m_integrations.catalog import CAPABILITIES
from a3m_integrations.cli._common import add_catalog_argument, load_catalog, print_json
from a3m_integrations.types import TIERS

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """Options of `models`."""
    parser.add_argument("--tier", choices=TIERS, help="only this tier")
    parser.add_argument("--provider", help="only this provider id")
    parser.add_argument(
        "--capability", action="append", default=[], choices=sorted(CAPABILITIES), help="required capability"
    )
    parser.add_argument("--pool", help="only the models of this pool")
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_catalog_argument(parser)


def run(args: argparse.Namespace, name: str) -> int:
    """List models, cheapest first within each tier."""
    catalog = load_catalog(args)
    if args.provider:
        catalog.provider(args.provider)  # unknown provider -> InvalidRequest with the fix
    models = catalog.models(tier=args.tier, provider=args.provider, capabilities=args.capability)
    if args.pool:
        members = {m.id for m in catalog.pool(args.pool)}
        models = [m for m in models if m.id in members]
    if args.json:
        print_json(
            [
                {
                    "id": m.id, "provider": m.provider, "name": m.name, "tier": m.tier,
                    "input_per_1m": m.input_per_1m, "output_per_1m": m.output_per_1m,
                    "cached_input_per_1m": m.cached_input_per_1m, "context_window": m.context_window,
                    "max_output": m.max_output, "capabilities": m.capabilities,
                    "price_date": m.price_date, "price_source": m.price_source,
                }
                for m in models
            ]
        )  # fmt: skip
        return 0
    if not models:
        print("no models match")
        return 0
    width = max(len(m.id) for m in models)
    print(f"{'model'.ljust(width)}  tier     in/1M    out/1M   context  capabilities")
    for m in models:
        print(
            f"{m.id.ljust(width)}  {m.tier:<7}  {m.input_per_1m!s:>7}  {m.output_per_1m!s:>7}  "
            f"{m.context_window:>8}  {','.join(sorted(m.capabilities))}"
        )
    print(f"{len(models)} models from {len({m.provider for m in models})} providers")
    return 0
