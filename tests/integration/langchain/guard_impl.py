"""A small rule-based Guardrail (the core protocol) for the tests, until the guardrails engine lands.

Blocks "ignore previous instructions" (injection) and redacts e-mail addresses to <EMAIL_n>.
"""

from __future__ import annotations

import re

from a3m_integrations.guardrails.base import Finding, GuardResult
from a3m_integrations.types import ChatRequest, RequestContext

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_INJECTION = re.compile(r"ignore (all )?previous instructions", re.IGNORECASE)


class RuleGuard:
    """Blocks one injection phrase; redacts e-mail addresses."""

    def __init__(self) -> None:
        self.checked: list[RequestContext] = []

    def check(self, request: ChatRequest, context: RequestContext) -> GuardResult:
        self.checked.append(context)
        findings: list[Finding] = []
        restore: dict[str, str] = {}
        messages = []
        for i, m in enumerate(request.messages):
            if _INJECTION.search(m.text):
                findings.append(Finding("injection.ignore_previous", "injection", 0.99, i))
            text = m.text
            for address in _EMAIL.findall(text):
                placeholder = f"<EMAIL_{len(restore) + 1}>"
                restore[placeholder] = address
                text = text.replace(address, placeholder)
                findings.append(Finding("pii.email", "pii", 1.0, i, entity="EMAIL"))
            messages.append(m.replace(content=text) if text != m.text else m)
        if any(f.kind == "injection" for f in findings):
            return GuardResult("block", request, tuple(findings), 0.99)
        return GuardResult("allow", request.with_messages(messages), tuple(findings), 0.0, restore)

    def restore(self, text: str, result: GuardResult) -> str:
        for placeholder, original in result.restore.items():
            text = text.replace(placeholder, original)
        return text
