"""GuardrailEngine: injection scoring and PII redaction for every request, by route policy.

`check(request, context)` returns a GuardResult: `allow`, `warn` or `block`, the request to
send on (PII redacted), the findings (rule names, scores, message indexes; never text) and the
restore map. It never raises for what it finds: the gateway calls `result.raise_if_blocked()`.
If a guardrail itself fails, the route's `fail_open` decides: False (default) raises
GuardrailError, True lets the request through unchanged with a `guardrail.error` finding and
action `warn`. Either way a "guard" event records it.

Bad input gets a decided outcome (see docs/guardrails.md):
- empty text: nothing to find, allowed;
- lone surrogates (malformed unicode): replaced by U+FFFD in the request sent on, finding
  `input.malformed_unicode`, action unchanged;
- binary (NUL bytes or more than 10% control characters): finding `input.binary`, then the
  policy's `bad_input` (block by default; warn scans it and lets it through);
- over `max_chars` in total (default 2,000,000 characters): finding `input.oversize`, not
  scanned at all; `bad_input` block (default) refuses it, warn passes it on unscanned.
Texts longer than 16K characters are scored for injection in windows (sampled beyond 16), but
PII is always scanned in full, so redaction never misses a part of an accepted request.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from a3m_integrations.errors import GuardrailError
from a3m_integrations.events import EventBus
from a3m_integrations.guardrails._model import InjectionModel
from a3m_integrations.guardrails._text import sanitize
from a3m_integrations.guardrails.base import Finding, GuardResult
from a3m_integrations.guardrails.injection import InjectionDetector
from a3m_integrations.guardrails.pii import (
    PiiDetector,
    PiiMatch,
    Placeholders,
    StreamRestorer,
    redact_text,
    restore_text,
)
from a3m_integrations.guardrails.policy import GuardrailPolicy, policies_from_dict
from a3m_integrations.types import ChatRequest, ContentPart, Message, RequestContext, TextPart, ToolCall

__all__ = ["GuardrailEngine", "guard_metadata"]

Action = Literal["allow", "warn", "block"]
_SEVERITY: dict[str, int] = {"allow": 0, "warn": 1, "block": 2}
_BINARY_RATIO = 0.10


def _worse(a: Action, b: Action) -> Action:
    return a if _SEVERITY[a] >= _SEVERITY[b] else b


def guard_metadata(result: GuardResult) -> dict[str, Any]:
    """What a response's metadata and callbacks carry about the verdict: no text, no PII values."""
    pii: dict[str, int] = {}
    for f in result.findings:
        if f.kind == "pii" and f.entity:
            pii[f.entity] = pii.get(f.entity, 0) + 1
    return {
        "action": result.action,
        "score": round(result.score, 4),
        "rules": list(result.rules),
        "pii": pii,
    }


class _Scan:
    """The mutable state of one check: findings, verdict and the rewritten messages."""

    def __init__(self, request: ChatRequest) -> None:
        self.findings: list[Finding] = []
        self.action: Action = "allow"
        reserved = "\n".join(m.text for m in request.messages if "<" in m.text)
        self.placeholders = Placeholders(reserved)

    def add(self, finding: Finding, action: Action = "allow") -> None:
        self.findings.append(finding)
        self.action = _worse(self.action, action)


class GuardrailEngine:
    """The guardrails step of the pipeline (implements the Guardrail protocol).

    Args:
        default: policy for routes without their own (default: `GuardrailPolicy()`).
        routes: policy per `RequestContext.route`.
        events: bus for "guard" events (action, score, rules, PII counts; never text).
        model: injection model to use instead of the shipped one.
        pii_detector: PII detector to use (tests inject failing ones); None builds one per policy.
    """

    def __init__(
        self,
        default: GuardrailPolicy | None = None,
        routes: Mapping[str, GuardrailPolicy] | None = None,
        *,
        events: EventBus | None = None,
        model: InjectionModel | None = None,
        pii_detector: PiiDetector | None = None,
    ) -> None:
        self.default = default or GuardrailPolicy()
        self.routes = dict(routes or {})
        self.events = events
        self._model = model
        self._pii_override = pii_detector
        self._detectors: dict[tuple[Any, ...], InjectionDetector] = {}
        self._pii: dict[frozenset[str], PiiDetector] = {}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, events: EventBus | None = None) -> GuardrailEngine:
        """An engine from the dict form of its policies (see `policy.py`); ConfigError if invalid."""
        default, routes = policies_from_dict(data)
        return cls(default, routes, events=events)

    def policy_for(self, route: str | None) -> GuardrailPolicy:
        """The policy of `route`, or the default one."""
        return self.routes.get(route, self.default) if route is not None else self.default

    # -- Guardrail protocol -------------------------------------------------------------------
    def check(self, request: ChatRequest, context: RequestContext) -> GuardResult:
        """Judge and redact `request` under its route's policy (see the module docstring)."""
        policy = self.policy_for(context.route)
        started = time.perf_counter()
        try:
            result = self._check(request, policy)
        except Exception as exc:  # a failure of the guardrail itself, mapped at this boundary
            self._emit(context, policy, None, started, error=type(exc).__name__)
            if policy.fail_open:
                return GuardResult("warn", request, (Finding("guardrail.error", "error", 0.0),), 0.0)
            raise GuardrailError(
                f"a guardrail failed while checking the request ({type(exc).__name__}); blocked because "
                "the route fails closed",
                rules=("guardrail.error",),
                route=context.route,
            ) from exc
        self._emit(context, policy, result, started)
        return result

    def warm_up(self) -> None:
        """Compile every pattern and load the model now, so the first request does not pay for it."""
        from a3m_integrations.guardrails import _pii_numbers, _pii_text, _rules, _text
        from a3m_integrations.guardrails._lazyre import LazyRegex

        for rule in _rules.RULES:
            for clause in rule.clauses:
                _ = clause.pattern.compiled
        for module in (_text, _pii_numbers, _pii_text):
            for value in vars(module).values():
                for regex in value if isinstance(value, tuple) else (value,):
                    if isinstance(regex, LazyRegex):
                        _ = regex.compiled
        _text.normalize("é")  # non-ASCII text: builds the character-kind table
        for policy in (self.default, *self.routes.values()):
            self._injection_detector(policy).score_text("warm up")
            self._pii_detector(policy).find("warm up 555-0100 a@b.io")

    def restore(self, text: str, result: GuardResult) -> str:
        """`text` with the placeholders of `result` replaced by the originals (if the policy allowed)."""
        return restore_text(text, result.restore)

    def stream_restorer(self, result: GuardResult) -> StreamRestorer:
        """A restorer for a streamed answer: feed it chunks, emit what it returns, then `flush()`."""
        return StreamRestorer(result.restore)

    # -- internals ----------------------------------------------------------------------------
    def _injection_detector(self, policy: GuardrailPolicy) -> InjectionDetector:
        key = (policy.injection.use_model, tuple(sorted(policy.injection.role_weights.items())))
        detector = self._detectors.get(key)
        if detector is None:
            detector = InjectionDetector(
                model=self._model, use_model=policy.injection.use_model, role_weights=policy.injection.role_weights
            )
            self._detectors[key] = detector
        return detector

    def _pii_detector(self, policy: GuardrailPolicy) -> PiiDetector:
        if self._pii_override is not None:
            return self._pii_override
        entities = policy.pii.active_entities
        detector = self._pii.get(entities)
        if detector is None:
            detector = self._pii[entities] = PiiDetector(entities)
        return detector

    def _check(self, request: ChatRequest, policy: GuardrailPolicy) -> GuardResult:
        scan = _Scan(request)
        total = sum(len(m.text) for m in request.messages) + sum(
            len(c.arguments) for m in request.messages for c in m.tool_calls
        )
        if total > policy.max_chars:
            scan.add(Finding("input.oversize", "other", 0.0), policy.bad_input)
            return GuardResult(scan.action, request, tuple(scan.findings), 0.0)
        messages: list[Message] = []
        to_score: list[tuple[str, object]] = []
        for index, message in enumerate(request.messages):
            new_message, texts = self._clean_message(index, message, scan, policy)
            messages.append(new_message)
            to_score.append((message.role, "\n".join(texts)))
        if scan.action == "block":  # binary input under a blocking policy: no need to go further
            return GuardResult("block", request, tuple(scan.findings), 0.0)
        score = 0.0
        inj = policy.injection
        if inj.action != "off":
            score, found = self._injection_detector(policy).score_messages(to_score)
            flagged = score >= inj.threshold
            # obfuscation findings say the text was de-obfuscated before scoring; alone they are no attack
            rules_fired = any(
                f.kind == "injection" and f.rule != "model.classifier" and not f.rule.startswith("obfuscation.")
                for f in found
            )
            act = inj.action if rules_fired or inj.model_alone is None else inj.model_alone
            verdict: Action = "block" if act == "block" else "warn" if act == "warn" else "allow"
            for f in found:
                scan.add(f)
            if flagged:
                scan.action = _worse(scan.action, verdict)
        if policy.pii.active_entities:
            messages = self._redact(messages, scan, policy)
        changed = any(a is not b for a, b in zip(messages, request.messages))
        new_request = request.replace(messages=tuple(messages)) if changed else request
        restore = dict(scan.placeholders.mapping) if policy.pii.restore else {}
        return GuardResult(scan.action, new_request, tuple(scan.findings), score, restore)

    def _clean_message(
        self, index: int, message: Message, scan: _Scan, policy: GuardrailPolicy
    ) -> tuple[Message, list[str]]:
        """The message with malformed unicode repaired, and its texts; flags binary input."""
        texts: list[str] = []
        surrogates = controls = length = 0
        has_nul = False

        def clean(value: str) -> str:
            nonlocal surrogates, controls, length, has_nul
            text, report = sanitize(value)
            surrogates += report.surrogates
            controls += report.control_chars
            length += report.length
            has_nul = has_nul or "\x00" in text
            texts.append(text)
            return text

        if isinstance(message.content, str):
            content: str | tuple[ContentPart, ...] = clean(message.content)
        else:
            content = tuple(TextPart(clean(p.text)) if isinstance(p, TextPart) else p for p in message.content)
        new = message if not surrogates else message.replace(content=content)
        if surrogates:
            scan.add(Finding("input.malformed_unicode", "other", 0.0, message_index=index))
        if has_nul or (length and controls / length > _BINARY_RATIO):
            scan.add(Finding("input.binary", "other", 0.0, message_index=index), policy.bad_input)
        return new, texts

    def _redact(self, messages: Sequence[Message], scan: _Scan, policy: GuardrailPolicy) -> list[Message]:
        detector = self._pii_detector(policy)
        out: list[Message] = []
        for index, message in enumerate(messages):
            if message.role not in policy.pii.roles:
                out.append(message)
                continue
            if isinstance(message.content, str):
                content: str | tuple[ContentPart, ...] = self._redact_text(
                    message.content, index, scan, policy, detector
                )
            else:
                content = tuple(
                    TextPart(self._redact_text(p.text, index, scan, policy, detector, spans=False))
                    if isinstance(p, TextPart)
                    else p
                    for p in message.content
                )
            calls = tuple(self._redact_call(c, index, scan, policy, detector) for c in message.tool_calls)
            unchanged = content == message.content and all(a is b for a, b in zip(calls, message.tool_calls))
            out.append(message if unchanged else message.replace(content=content, tool_calls=calls))
        return out

    def _redact_text(
        self,
        text: str,
        index: int,
        scan: _Scan,
        policy: GuardrailPolicy,
        detector: PiiDetector,
        *,
        spans: bool = True,
    ) -> str:
        if not text:
            return text
        redact: list[PiiMatch] = []
        for m in detector.find(text):
            action = policy.pii.action_for(m.entity)
            if action == "off":
                continue
            verdict: Action = "block" if action == "block" else "warn" if action == "warn" else "allow"
            finding = Finding(
                f"pii.{m.entity.lower()}",
                "pii",
                m.score,
                message_index=index,
                span=(m.start, m.end) if spans else None,
                entity=m.entity,
            )
            scan.add(finding, verdict)
            if action == "redact":
                redact.append(m)
        return redact_text(text, redact, scan.placeholders) if redact else text

    def _redact_call(
        self, call: ToolCall, index: int, scan: _Scan, policy: GuardrailPolicy, detector: PiiDetector
    ) -> ToolCall:
        """A tool call with PII redacted inside the string values of its JSON arguments."""
        try:
            args = json.loads(call.arguments or "{}")
        except json.JSONDecodeError:
            new_text = self._redact_text(call.arguments, index, scan, policy, detector, spans=False)
            return call if new_text == call.arguments else call.replace(arguments=new_text)

        def walk(value: Any) -> Any:
            if isinstance(value, str):
                return self._redact_text(value, index, scan, policy, detector, spans=False)
            if isinstance(value, list):
                return [walk(v) for v in value]
            if isinstance(value, dict):
                return {k: walk(v) for k, v in value.items()}
            return value

        new_args = walk(args)
        return call if new_args == args else call.replace(arguments=json.dumps(new_args, ensure_ascii=False))

    def _emit(
        self,
        context: RequestContext,
        policy: GuardrailPolicy,
        result: GuardResult | None,
        started: float,
        *,
        error: str | None = None,
    ) -> None:
        if not self.events:
            return
        data: dict[str, Any] = {
            "route": context.route,
            "duration_ms": round((time.perf_counter() - started) * 1000, 3),
            "fail_open": policy.fail_open,
        }
        if result is None:
            data.update(action="allow" if policy.fail_open else "block", score=None, rules=["guardrail.error"])
            data["error"] = error
            data["pii"] = {}
        else:
            data.update(guard_metadata(result))
        self.events.emit("guard", context.request_id, **data)
