"""A string that never shows itself: for API keys held in memory."""

from __future__ import annotations

import os
from collections.abc import Iterable

__all__ = ["Secret", "scrub"]


class Secret:
    """Holds a secret value; `repr`, `str` and formatting show only asterisks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    @classmethod
    def from_env(cls, name: str | None) -> Secret | None:
        """The secret in environment variable `name`, or None if unset or empty."""
        if not name:
            return None
        value = os.environ.get(name)
        return cls(value) if value else None

    def get_secret_value(self) -> str:
        """The secret itself. Use only where it is sent, never where it is shown."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __bool__(self) -> bool:
        return bool(self._value)


def scrub(text: str, secrets: Iterable[Secret | str | None]) -> str:
    """`text` with every occurrence of the given secrets (4+ chars) replaced by asterisks."""
    for s in secrets:
        value = s.get_secret_value() if isinstance(s, Secret) else s
        if value and len(value) >= 4:
            text = text.replace(value, "**********")
    return text
