"""Faults the wire server can inject, and the book that says which request gets which.

A fault is a short string, `kind` or `kind:arguments`:

| fault                         | what the server does                                                   |
| ----------------------------- | ---------------------------------------------------------------------- |
| `500` `502` `503` `529` `4xx` | that status with the wire format's error body                          |
| `429`                         | 429 rate-limit error body                                              |
| `429:retry-after=2`           | any status with extra headers; `retry-after-date=N` sends an HTTP-date  |
|                               | N seconds ahead; other `name=value` pairs are sent as they are         |
| `hang:S`                      | waits S seconds before answering normally (past the client's timeout)  |
| `reset`                       | closes the connection with a TCP reset before answering                |
| `malformed`                   | 200 whose body (or first stream event) is not valid JSON               |
| `cut:N`                       | stream: N content chunks, then the connection closes mid-answer;       |
|                               | non-stream: half the body, then the connection drops                   |
| `slow:S`                      | waits S seconds between stream chunks                                  |
| `keepalive:S`                 | 200 at once, then S seconds of padding (blank lines; `: keep-alive`    |
|                               | comments in streams, as DeepSeek does under load), then the answer     |
| `no-usage`                    | answers normally but never reports usage                               |
| `stream-error:N`              | 200 stream with N content chunks, then an in-stream error event        |
| `echo-headers`                | 401 whose error message repeats every request header (leak tests)      |
| `body:NAME`                   | a provider's own error body, from `PROVIDER_BODIES` (status included)  |

Which request gets a fault: the `x-a3m-fault` request header first; else the next fault queued
for the request's model (or for any model, `*`); else the model's sticky fault, if one is set.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["PROVIDER_BODIES", "Fault", "FaultBook", "parse_fault"]

#: Provider-specific error answers: name -> (status, JSON body).
PROVIDER_BODIES: dict[str, tuple[int, dict[str, Any]]] = {
    "openai-quota": (
        429,
        {
            "error": {
                "message": "You exceeded your current quota.",
                "type": "insufficient_quota",
                "code": "insufficient_quota",
            }
        },
    ),
    "openai-context": (
        400,
        {
            "error": {
                "message": "This model's maximum context length is 8192 tokens.",
                "type": "invalid_request_error",
                "code": "context_length_exceeded",
            }
        },
    ),
    "minimax-1002": (200, {"id": "x", "choices": None, "base_resp": {"status_code": 1002, "status_msg": "rate limit"}}),
    "minimax-1008": (
        200,
        {"id": "x", "choices": None, "base_resp": {"status_code": 1008, "status_msg": "insufficient balance"}},
    ),
    "zhipu-1302": (
        429,
        {"error": {"code": "1302", "message": "High concurrency usage of this API, please reduce concurrency."}},
    ),
    "zhipu-1113": (429, {"error": {"code": "1113", "message": "Your account is in arrears, please recharge."}}),
    "moonshot-overloaded": (
        429,
        {
            "error": {
                "type": "engine_overloaded_error",
                "message": "The engine is currently overloaded, please try again later",
            }
        },
    ),
    "moonshot-quota": (
        429,
        {"error": {"type": "exceeded_current_quota_error", "message": "You exceeded your current token quota"}},
    ),
    "dashscope-throttle": (
        429,
        {"error": {"code": "Throttling.RateQuota", "message": "Requests rate limit exceeded, please try again later."}},
    ),
    "dashscope-arrearage": (
        400,
        {
            "error": {
                "code": "Arrearage",
                "message": "Access denied, please make sure your account is in good standing.",
            }
        },
    ),
    "deepseek-402": (402, {"error": {"message": "Insufficient Balance", "type": "unknown_error"}}),
    "baichuan-balance": (429, {"error": {"message": "Insufficient account balance, please recharge", "type": "error"}}),
    "anthropic-overloaded": (529, {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
    "zhipu-1305": (429, {"error": {"code": "1305", "message": "The service may be temporarily overloaded."}}),
    "stepfun-451": (451, {"error": {"message": "content blocked by safety review", "type": "content_filter"}}),
    "siliconflow-balance": (
        403,
        {"code": 30001, "message": "Sorry, your account balance is insufficient", "data": None},
    ),
    "siliconflow-rpm": (
        429,
        {"code": 50603, "message": "Request was rejected due to rate limiting (RPM).", "data": None},
    ),
    "volcengine-overdue": (
        403,
        {
            "error": {
                "code": "AccountOverdueError",
                "message": "The request failed because your account has an overdue balance.",
                "type": "Forbidden",
            }
        },
    ),
    "baidu-v1-qps": (200, {"error_code": 18, "error_msg": "Open api qps request limit reached"}),
    "baidu-v1-daily": (200, {"error_code": 17, "error_msg": "Open api daily request limit reached"}),
    "tencent-limit": (
        429,
        {
            "Response": {
                "Error": {"Code": "LimitExceeded", "Message": "Request frequency exceeds the limit."},
                "RequestId": "r1",
            }
        },
    ),
    "tencent-arrears": (
        403,
        {
            "Response": {
                "Error": {"Code": "ResourceInsufficient.ChargeResourceExhaust", "Message": "Resources exhausted."},
                "RequestId": "r2",
            }
        },
    ),
}


@dataclass(frozen=True)
class Fault:
    """A parsed fault: its kind, a numeric argument, and extra response headers."""

    kind: str
    number: float = 0.0
    status: int = 0
    headers: tuple[tuple[str, str], ...] = ()
    name: str = ""
    spec: str = ""

    @property
    def streams_ok(self) -> bool:
        """Whether the request is answered with a (possibly damaged) 200."""
        return self.kind in ("hang", "slow", "no-usage", "cut", "stream-error", "malformed", "keepalive")


def parse_fault(spec: str) -> Fault:
    """Parse a fault string (see the module docstring); ValueError names a bad one."""
    spec = spec.strip()
    kind, _, arg = spec.partition(":")
    if kind.isdigit():
        headers: list[tuple[str, str]] = []
        for pair in filter(None, (p.strip() for p in arg.split(","))):
            name, eq, value = pair.partition("=")
            if not eq:
                raise ValueError(f"fault header {pair!r} must be name=value")
            headers.append((name.strip().lower(), value.strip()))
        return Fault("status", status=int(kind), headers=tuple(headers), spec=spec)
    if kind in ("hang", "slow", "cut", "stream-error", "keepalive"):
        default = {"hang": 5.0, "slow": 0.05, "cut": 3.0, "stream-error": 0.0, "keepalive": 1.0}[kind]
        return Fault(kind, number=float(arg) if arg else default, spec=spec)
    if kind in ("reset", "malformed", "no-usage", "echo-headers"):
        return Fault(kind, spec=spec)
    if kind == "body":
        if arg not in PROVIDER_BODIES:
            raise ValueError(f"unknown provider body {arg!r}; known: {', '.join(sorted(PROVIDER_BODIES))}")
        return Fault("body", status=PROVIDER_BODIES[arg][0], name=arg, spec=spec)
    raise ValueError(f"unknown fault {spec!r}")


@dataclass
class FaultBook:
    """Which fault the next request for a model gets: queued faults first, then a sticky one."""

    _queues: dict[str, deque[Fault]] = field(default_factory=dict)
    _sticky: dict[str, Fault] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def push(self, model: str, *specs: str, times: int = 1) -> None:
        """Queue faults for the next requests to `model` ('*' for any model), each `times` times."""
        parsed = [parse_fault(s) for s in specs]
        with self._lock:
            queue = self._queues.setdefault(model, deque())
            for fault in parsed:
                queue.extend([fault] * times)

    def always(self, model: str, spec: str | None) -> None:
        """Give every request to `model` this fault until cleared (None clears it)."""
        with self._lock:
            if spec is None:
                self._sticky.pop(model, None)
            else:
                self._sticky[model] = parse_fault(spec)

    def clear(self, models: Iterable[str] | None = None) -> None:
        """Forget queued and sticky faults (of the given models, or all)."""
        with self._lock:
            if models is None:
                self._queues.clear()
                self._sticky.clear()
            else:
                for m in models:
                    self._queues.pop(m, None)
                    self._sticky.pop(m, None)

    def pending(self, model: str) -> int:
        """How many queued faults `model` has left."""
        with self._lock:
            return len(self._queues.get(model, ()))

    def take(self, model: str, header: str | None = None) -> Fault | None:
        """The fault for one request to `model`, consuming a queued one."""
        if header:
            return parse_fault(header)
        with self._lock:
            for key in (model, "*"):
                queue = self._queues.get(key)
                if queue:
                    return queue.popleft()
            return self._sticky.get(model) or self._sticky.get("*")
