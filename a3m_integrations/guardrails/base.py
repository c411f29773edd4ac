"""The Guardrail protocol and its verdict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

from a3m_integrations.errors import GuardrailViolation
from a3m_integrations.types import ChatRequest, RequestContext

__all__ = ["Finding", "GuardResult", "Guardrail"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a guardrail found: a rule that fired, where, and how sure it is. Never the text."""

    rule: str
    kind: Literal["injection", "pii", "error", "other"]
    score: float = 1.0
    message_index: int | None = None
    span: tuple[int, int] | None = None
    entity: str | None = None


@dataclass(frozen=True, slots=True)
class GuardResult:
    """A guardrail's verdict on a request.

    `request` is what continues down the pipeline (redacted where PII was found): it is what gets
    cached and sent. `restore` maps placeholders back to originals when the policy allows it; it
    holds personal data, so it is never logged, cached or put in an event.
    """

    action: Literal["allow", "warn", "block"]
    request: ChatRequest
    findings: tuple[Finding, ...] = ()
    score: float = 0.0
    restore: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def rules(self) -> tuple[str, ...]:
        """Names of the rules that fired, in order, without repeats."""
        return tuple(dict.fromkeys(f.rule for f in self.findings))

    def raise_if_blocked(self, route: str | None = None) -> None:
        """Raise GuardrailViolation (rules and score only) if the verdict is block."""
        if self.action == "block":
            raise GuardrailViolation(
                f"request blocked by guardrails (score {self.score:.2f}; rules: {', '.join(self.rules) or 'none'})",
                rules=self.rules,
                score=self.score,
                route=route,
            )


@runtime_checkable
class Guardrail(Protocol):
    """Checks a request before the cache and the provider see it.

    `check` returns a verdict; it raises only GuardrailViolation. Any other exception is a failure
    of the guardrail, which the gateway turns into GuardrailError unless the route is fail-open.
    `restore` puts redacted values back into the answer's text when the verdict allows it.
    """

    def check(self, request: ChatRequest, context: RequestContext) -> GuardResult:
        """Judge and possibly redact a request."""
        ...

    def restore(self, text: str, result: GuardResult) -> str:
        """Replace placeholders in `text` with the originals in `result.restore`."""
        ...
