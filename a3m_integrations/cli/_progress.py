"""A plain-text progress bar on stderr, with no dependencies.

Redrawn in place on a terminal, one line per step otherwise (logs, CI), silent with `quiet`.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["ProgressBar"]


class ProgressBar:
    """`bar(label, done, total)` reports progress of a long command.

    Args:
        total_steps: steps in the whole command (bar length); the callback's own `done/total` is
            shown beside the label.
        stream: where to draw (stderr).
        quiet: draw nothing.
    """

    def __init__(self, total_steps: int, *, stream: TextIO | None = None, quiet: bool = False, width: int = 24) -> None:
        self.total = max(1, total_steps)
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.width = width
        self.step = 0
        self.start = time.monotonic()
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def advance(self, label: str) -> None:
        """One more step of the command is done."""
        self.step = min(self.total, self.step + 1)
        self._draw(label)

    def __call__(self, label: str, done: int, total: int) -> None:
        """A progress callback (`harness.Progress`): redraws without counting a step."""
        self._draw(f"{label}")

    def _draw(self, label: str) -> None:
        if self.quiet:
            return
        filled = round(self.width * self.step / self.total)
        bar = "#" * filled + "." * (self.width - filled)
        line = f"[{bar}] {self.step}/{self.total} {time.monotonic() - self.start:5.1f}s {label}"
        if self.tty:
            self.stream.write("\r" + line[:120].ljust(120))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line on a terminal."""
        if self.tty and not self.quiet:
            self.stream.write("\n")
            self.stream.flush()
