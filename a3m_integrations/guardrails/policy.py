"""Guardrail policies: what to do about injections, PII and bad input, per route.

Shape of the dict form (the gateway's config file embeds it under `guardrails`); every key is
optional and a route's policy is laid over the default one key by key:

    {
      "default": {
        "injection": {"action": "block", "threshold": 0.5, "model": true,
                      "role_weights": {"user": 1.0, "tool": 1.0, "assistant": 0.5, "system": 0.0}},
        "pii": {"action": "redact", "entities": {"PERSON": "warn", "CREDIT_CARD": "block"},
                "restore": false, "roles": ["user", "tool", "assistant", "system"]},
        "bad_input": "block",
        "max_chars": 2000000,
        "fail_open": false
      },
      "routes": {"support-bot": {"pii": {"restore": true}}, "internal": {"injection": {"action": "log"}}}
    }

Injection actions: block (the request fails with GuardrailViolation naming the rules), warn
(it goes on, flagged in the response metadata and events), log (it goes on; only the event
records it), off (not scored). PII actions per entity: redact (replace with `<EMAIL_1>`...),
block, warn (left in place, flagged), off. `restore` puts redacted values back into the answer.
`bad_input` is what happens to binary or oversized input (block or warn). `fail_open` lets a
request through when a guardrail itself fails (default: blocked with GuardrailError).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from a3m_integrations.errors import ConfigError
from a3m_integrations.guardrails.injection import DEFAULT_ROLE_WEIGHTS
from a3m_integrations.guardrails.pii import ENTITIES
from a3m_integrations.types import ROLES

__all__ = [
    "DEFAULT_MAX_CHARS",
    "GuardrailPolicy",
    "InjectionAction",
    "InjectionPolicy",
    "PiiAction",
    "PiiPolicy",
    "policies_from_dict",
]

InjectionAction = Literal["block", "warn", "log", "off"]
PiiAction = Literal["redact", "block", "warn", "off"]
_INJECTION_ACTIONS = ("block", "warn", "log", "off")
_PII_ACTIONS = ("redact", "block", "warn", "off")
#: Requests whose text totals more than this many characters are not scanned: see `bad_input`.
DEFAULT_MAX_CHARS = 2_000_000


def _fail(message: str, field_name: str, hint: str | None = None) -> ConfigError:
    return ConfigError(message, field=field_name, hint=hint)


@dataclass(frozen=True, slots=True)
class InjectionPolicy:
    """How prompt-injection scores are acted on."""

    action: InjectionAction = "block"
    threshold: float = 0.5
    use_model: bool = True
    role_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_ROLE_WEIGHTS))
    #: what a flag raised by the model alone (no attack rule fired; obfuscation findings do not
    #: count) does; None means `action`. The model catches paraphrased attacks no rule names, but
    #: it also scores some ordinary task prompts high, so a deployment that must not refuse benign
    #: traffic sets this to "warn" (the gateway's default guardrails do).
    model_alone: InjectionAction | None = None

    def __post_init__(self) -> None:
        if self.action not in _INJECTION_ACTIONS:
            raise _fail(f"injection action must be one of {', '.join(_INJECTION_ACTIONS)}", "injection.action")
        if self.model_alone is not None and self.model_alone not in _INJECTION_ACTIONS:
            raise _fail(
                f"injection model_alone must be one of {', '.join(_INJECTION_ACTIONS)}", "injection.model_alone"
            )
        if not 0.0 < self.threshold <= 1.0:
            raise _fail(f"injection threshold must be within (0, 1], not {self.threshold!r}", "injection.threshold")
        for role, weight in self.role_weights.items():
            if role not in ROLES:
                raise _fail(f"unknown role {role!r} in role_weights", "injection.role_weights")
            if not 0.0 <= float(weight) <= 1.0:
                raise _fail(f"role weight for {role} must be within [0, 1]", "injection.role_weights")


@dataclass(frozen=True, slots=True)
class PiiPolicy:
    """How each PII entity type is acted on, and whether answers get the originals back."""

    action: PiiAction = "redact"
    entities: Mapping[str, PiiAction] = field(default_factory=dict)
    restore: bool = False
    roles: tuple[str, ...] = ROLES

    def __post_init__(self) -> None:
        if self.action not in _PII_ACTIONS:
            raise _fail(f"pii action must be one of {', '.join(_PII_ACTIONS)}", "pii.action")
        for entity, action in self.entities.items():
            if entity not in ENTITIES:
                raise _fail(
                    f"unknown PII entity {entity!r}", "pii.entities", hint=f"Known entities: {', '.join(ENTITIES)}."
                )
            if action not in _PII_ACTIONS:
                raise _fail(f"pii action for {entity} must be one of {', '.join(_PII_ACTIONS)}", "pii.entities")
        for role in self.roles:
            if role not in ROLES:
                raise _fail(f"unknown role {role!r} in pii roles", "pii.roles")

    def action_for(self, entity: str) -> PiiAction:
        """The action for one entity type."""
        return self.entities.get(entity, self.action)

    @property
    def active_entities(self) -> frozenset[str]:
        """Entity types whose action is not off."""
        return frozenset(e for e in ENTITIES if self.action_for(e) != "off")


@dataclass(frozen=True, slots=True)
class GuardrailPolicy:
    """The policy of one route: injection, PII, bad input and failure handling."""

    injection: InjectionPolicy = field(default_factory=InjectionPolicy)
    pii: PiiPolicy = field(default_factory=PiiPolicy)
    bad_input: Literal["block", "warn"] = "block"
    max_chars: int = DEFAULT_MAX_CHARS
    fail_open: bool = False

    def __post_init__(self) -> None:
        if self.bad_input not in ("block", "warn"):
            raise _fail("bad_input must be 'block' or 'warn'", "bad_input")
        if not isinstance(self.max_chars, int) or self.max_chars < 1:
            raise _fail("max_chars must be a positive integer", "max_chars")

    def merged(self, data: Mapping[str, Any]) -> GuardrailPolicy:
        """This policy with the keys of `data` (dict form, possibly partial) laid over it."""
        _check_keys(data, ("injection", "pii", "bad_input", "max_chars", "fail_open"), "policy")
        injection, pii = self.injection, self.pii
        if "injection" in data:
            raw = _mapping(data["injection"], "injection")
            _check_keys(raw, ("action", "threshold", "model", "role_weights", "model_alone"), "injection")
            weights = dict(injection.role_weights)
            weights.update(
                {str(k): _number(v, "injection.role_weights") for k, v in raw.get("role_weights", {}).items()}
            )
            injection = InjectionPolicy(
                action=raw.get("action", injection.action),
                threshold=_number(raw.get("threshold", injection.threshold), "injection.threshold"),
                use_model=_flag(raw.get("model", injection.use_model), "injection.model"),
                role_weights=weights,
                model_alone=raw.get("model_alone", injection.model_alone),
            )
        if "pii" in data:
            raw = _mapping(data["pii"], "pii")
            _check_keys(raw, ("action", "entities", "restore", "roles"), "pii")
            entities = dict(pii.entities)
            entities.update(_mapping(raw.get("entities", {}), "pii.entities"))
            roles = raw.get("roles", pii.roles)
            if isinstance(roles, str) or not all(isinstance(r, str) for r in roles):
                raise _fail("pii roles must be a list of role names", "pii.roles")
            pii = PiiPolicy(
                action=raw.get("action", pii.action),
                entities=entities,
                restore=_flag(raw.get("restore", pii.restore), "pii.restore"),
                roles=tuple(roles),
            )
        max_chars = data.get("max_chars", self.max_chars)
        if isinstance(max_chars, bool) or not isinstance(max_chars, int):
            raise _fail("max_chars must be a positive integer", "max_chars")
        return replace(
            self,
            injection=injection,
            pii=pii,
            bad_input=data.get("bad_input", self.bad_input),
            max_chars=max_chars,
            fail_open=_flag(data.get("fail_open", self.fail_open), "fail_open"),
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GuardrailPolicy:
        """A policy from its dict form (missing keys take the defaults)."""
        return cls().merged(_mapping(data, "policy"))


def _mapping(value: object, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(f"{name} must be a mapping", name)
    return value


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(f"{name} must be a number", name)
    return float(value)


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(f"{name} must be true or false", name)
    return value


def _check_keys(data: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = [k for k in data if k not in allowed]
    if unknown:
        raise _fail(
            f"unknown key(s) {', '.join(map(repr, unknown))} in {where}", where, hint=f"Allowed: {', '.join(allowed)}."
        )


def policies_from_dict(data: Mapping[str, Any]) -> tuple[GuardrailPolicy, dict[str, GuardrailPolicy]]:
    """The default policy and the per-route policies from the dict form (see the module docstring)."""
    data = _mapping(data, "guardrails")
    _check_keys(data, ("default", "routes"), "guardrails")
    default = GuardrailPolicy.from_dict(data.get("default", {}))
    routes = {
        str(name): default.merged(_mapping(raw, f"routes.{name}"))
        for name, raw in _mapping(data.get("routes", {}), "routes").items()
    }
    return default, routes
