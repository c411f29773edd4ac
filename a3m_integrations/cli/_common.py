"""Helpers shared by CLI commands: reading the prompt, loading the catalog, printing JSON."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from typing import Any

from a3m_integrations.catalog import Catalog

__all__ = ["add_catalog_argument", "load_catalog", "print_json", "read_prompt", "usage_error"]


def usage_error(command: str, message: str) -> int:
    """Print a usage error for `a3m COMMAND` and return exit code 2."""
    print(f"a3m {command}: {message}", file=sys.stderr)
    return 2


def read_prompt(args: argparse.Namespace) -> str:
    """The prompt from the positional words, or stdin when it is '-'."""
    words: list[str] = args.prompt
    text = sys.stdin.read() if words == ["-"] else " ".join(words)
    return text.strip()


def add_catalog_argument(parser: argparse.ArgumentParser) -> None:
    """--catalog FILE (repeatable) and --litellm FILE."""
    parser.add_argument(
        "--catalog", action="append", default=[], metavar="FILE", help="catalog override file (JSON or YAML)"
    )
    parser.add_argument("--litellm", metavar="FILE", help="a LiteLLM model_prices_and_context_window.json to import")


def load_catalog(args: argparse.Namespace) -> Catalog:
    """The shipped catalog with the command's overrides applied."""
    if not args.catalog and not args.litellm:
        return Catalog.default()
    return Catalog.load(*args.catalog, litellm=args.litellm, base=Catalog.default())


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def print_json(data: Any) -> None:
    """Print `data` as indented JSON (Decimals as strings)."""
    print(json.dumps(data, indent=2, default=_default, ensure_ascii=False))
