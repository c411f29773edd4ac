"""The `a3m` command line.

Each command lives in its own module with `add_arguments(parser)` and `run(args) -> int`; only
the module of the command being run is imported, so `a3m route` stays fast. Errors of the
library (A3MError) print their message and hint and exit 1; usage errors exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

__all__ = ["COMMANDS", "main"]

#: command -> (module, one-line help). Modules are imported only when their command runs.
COMMANDS: dict[str, tuple[str, str]] = {
    "route": ("a3m_integrations.cli._route", "show which model a prompt would be routed to, and why"),
    "analyze": ("a3m_integrations.cli._route", "show the complexity signals of a prompt"),
    "models": ("a3m_integrations.cli._models", "list catalog models (filter by tier, provider, capability)"),
    "router": (
        "a3m_integrations.cli._router",
        "train a learned router on outcome data (train), or show a router file (info)",
    ),
    "bench": ("a3m_integrations.cli._bench", "score routers on routing data: LLMRouterBench metrics, table, plot"),
    "health": (
        "a3m_integrations.cli._health",
        "show each configured provider's breaker state, health score, last error",
    ),
    "cost": ("a3m_integrations.cli._cost", "spend from the budget ledger by user/team/model/day, and the saving"),
    "guard": ("a3m_integrations.cli._guard", "check a text with the guardrails, or score them on a labeled file"),
}


class _Formatter(argparse.HelpFormatter):
    """Help at a fixed width: argparse's default asks `shutil` for the terminal size, an import on every run."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=100, max_help_position=32)


def _usage() -> str:
    width = max(len(c) for c in COMMANDS)
    lines = ["usage: a3m <command> [options]", "", "commands:"]
    lines += [f"  {name.ljust(width)}  {help_}" for name, (_, help_) in COMMANDS.items()]
    lines += ["", "Run `a3m <command> --help` for a command's options."]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(_usage())
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"a3m: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(COMMANDS[name][0])
    parser = argparse.ArgumentParser(prog=f"a3m {name}", description=COMMANDS[name][1], formatter_class=_Formatter)
    module.add_arguments(parser, name)
    try:
        ns = parser.parse_args(rest)
    except SystemExit as exc:  # argparse exits 2 on bad usage and 0 on --help
        return int(exc.code or 0)
    from a3m_integrations.errors import A3MError

    try:
        return int(module.run(ns, name))
    except A3MError as exc:
        print(f"a3m {name}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and friends
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
