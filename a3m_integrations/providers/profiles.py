"""Per-provider error profiles: how each provider says "rate-limited", "out of quota", "overloaded".

Providers agree on HTTP less than they seem to. Several report a rate limit or an empty balance
inside a 200 or 400 body, or use one status (429) for both "slow down" (retry) and "your balance
is gone" (do not retry). A profile reads the provider's error payload (its code, type and message)
and names the kind of failure; `providers/_errors.py` turns the kind into an error class.

Kinds: rate_limit (retry after a wait), overloaded and server (retry), timeout (retry), quota
(balance or plan quota used up: never retried, falls back), auth, bad_request, context (prompt too
long for the window), content_filter (the provider's moderation refused; not retried).

Profiles are keyed by `ProviderInfo.profile`. Rules are tried in order, the profile's own first,
then the generic rules every provider shares; when none matches the HTTP status decides. The
codes come from each provider's public error-code pages (see docs/providers.md for sources).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "ERROR_KEYS",
    "ERROR_KINDS",
    "PROFILES",
    "ErrorInfo",
    "ErrorKind",
    "ErrorProfile",
    "ErrorRule",
    "embedded_error",
    "get_profile",
]

_log = logging.getLogger("a3m_integrations.providers")

ErrorKind = Literal[
    "rate_limit", "overloaded", "server", "timeout", "quota", "auth", "bad_request", "context", "content_filter"
]
ERROR_KINDS: tuple[str, ...] = (
    "rate_limit",
    "overloaded",
    "server",
    "timeout",
    "quota",
    "auth",
    "bad_request",
    "context",
    "content_filter",
)


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """What a provider's error payload says: its codes/types (as strings) and its message."""

    codes: tuple[str, ...] = ()
    message: str = ""


@dataclass(frozen=True, slots=True)
class ErrorRule:
    """Name a kind when the status (if given) matches and a code or the message matches."""

    kind: ErrorKind
    codes: frozenset[str] = frozenset()
    message: str | None = None
    status: frozenset[int] | None = None
    prefixes: tuple[str, ...] = ()
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.message is not None:
            object.__setattr__(self, "_pattern", re.compile(self.message, re.IGNORECASE))

    def matches(self, status: int, info: ErrorInfo) -> bool:
        if self.status is not None and status not in self.status:
            return False
        if self.codes and any(c in self.codes for c in info.codes):
            return True
        if self.prefixes and any(c.startswith(self.prefixes) for c in info.codes):
            return True
        return self._pattern is not None and bool(self._pattern.search(info.message))


def _rule(
    kind: ErrorKind,
    *codes: str | int,
    message: str | None = None,
    status: tuple[int, ...] = (),
    prefixes: tuple[str, ...] = (),
) -> ErrorRule:
    return ErrorRule(kind, frozenset(str(c) for c in codes), message, frozenset(status) if status else None, prefixes)


@dataclass(frozen=True, slots=True)
class ErrorProfile:
    """A provider's error dialect and request quirks.

    Attributes:
        name: the profile id used in the catalog (`ProviderInfo.profile`).
        description: what is special about this provider, in one or two sentences.
        rules: the provider's own rules, tried before the generic ones.
        stream_usage: whether to ask for usage in streams (`stream_options.include_usage`).
        keepalive_padding: the provider pads a slow answer with blank lines or SSE comments, which
            re-arm a read timeout, so the whole answer gets a deadline of its own.
        sources: where the codes were read.
    """

    name: str
    description: str
    rules: tuple[ErrorRule, ...] = ()
    stream_usage: bool = True
    keepalive_padding: bool = False
    sources: tuple[str, ...] = ()

    def classify(self, status: int, info: ErrorInfo) -> ErrorKind | None:
        """The kind of failure a payload describes, or None to let the HTTP status decide."""
        for rule in (*self.rules, *_GENERIC):
            if rule.matches(status, info):
                return rule.kind
        return None


# Shared by every provider: OpenAI's and Anthropic's codes (many providers copy them) and
# messages that mean the same thing everywhere.
_GENERIC: tuple[ErrorRule, ...] = (
    _rule("context", "context_length_exceeded", "string_above_max_length"),
    _rule(
        "context",
        message=r"context.length|maximum context|context window|prompt is too long|too many tokens|"
        r"exceeds? (the )?(model'?s? )?(maximum|max)|input length|token limit",
        status=(200, 400, 404, 413, 422),
    ),
    _rule("quota", "insufficient_quota", "billing_hard_limit_reached", "billing_not_active"),
    _rule(
        "quota",
        message=r"exceeded your current quota|insufficient (account )?balance|insufficient_quota|in arrears|"
        r"account is suspended|credit balance is too low|recharge",
    ),
    _rule("rate_limit", "rate_limit_exceeded", "rate_limit_error", "rate_limit_reached", "too_many_requests"),
    _rule("overloaded", "overloaded_error", "server_overloaded", "engine_overloaded"),
    _rule("auth", "invalid_api_key", "authentication_error", "permission_error", "invalid_authentication"),
    _rule("server", "api_error", "internal_error", "server_error"),
    _rule("timeout", "timeout", "request_timeout"),
    _rule("content_filter", "content_filter", "content_policy_violation"),
)

PROFILES: dict[str, ErrorProfile] = {}


def _register(profile: ErrorProfile) -> None:
    PROFILES[profile.name] = profile


_register(ErrorProfile("default", "OpenAI-style errors: HTTP status plus an error object with code, type and message."))
_register(
    ErrorProfile(
        "openai",
        "OpenAI: 429 means either a rate limit (retry) or `insufficient_quota` (never retried).",
        sources=("https://platform.openai.com/docs/guides/error-codes",),
    )
)
_register(
    ErrorProfile(
        "anthropic",
        "Anthropic: `overloaded_error` with HTTP 529, and errors sent as SSE `error` events inside a 200 stream.",
        rules=(_rule("overloaded", status=(529,), message=r".*"),),
        sources=("https://docs.anthropic.com/en/api/errors",),
    )
)
_register(
    ErrorProfile(
        "deepseek",
        "DeepSeek: 402 for an empty balance (not retried), 422 for bad parameters, 503 when overloaded. "
        "Under load it pads the answer with blank lines (plain) or `: keep-alive` comments (streams) for up "
        "to 10 minutes, so answers get a deadline that padding cannot extend.",
        rules=(
            _rule("quota", status=(402,), message=r".*"),
            _rule("overloaded", status=(503,), message=r".*"),
        ),
        keepalive_padding=True,
        sources=(
            "https://api-docs.deepseek.com/quick_start/error_codes",
            "https://api-docs.deepseek.com/quick_start/rate_limit",
        ),
    )
)
_register(
    ErrorProfile(
        "moonshot",
        "Moonshot (Kimi): the error `type` carries the meaning. HTTP 429 holds both rate limits "
        "(`rate_limit_reached_error`; `engine_overloaded_error`, a platform capacity error: retry) and "
        "`exceeded_current_quota_error` (not retried); 403 means an empty balance; 400 `content_filter`.",
        rules=(
            _rule("quota", "exceeded_current_quota_error", message=r"suspended|insufficient balance"),
            _rule("quota", status=(403,), message=r"balance|quota"),
            _rule("rate_limit", "rate_limit_reached_error"),
            _rule("overloaded", "engine_overloaded_error", message=r"engine is currently overloaded"),
            _rule("auth", "invalid_authentication_error", "incorrect_api_key_error", "permission_denied_error"),
            _rule("content_filter", "content_filter"),
            _rule("context", message=r"exceeded model token limit"),
            _rule("bad_request", "invalid_request_error", "resource_not_found_error"),
        ),
        sources=("https://platform.kimi.com/docs/api/errors", "https://www.kimi.com/help/kimi-api/api-error-codes"),
    )
)
_register(
    ErrorProfile(
        "dashscope",
        "Alibaba DashScope (Qwen): string codes. `Arrearage` (overdue account) arrives as 400 or 403 and "
        "`DataInspectionFailed` (moderation) as 400; 429 `Throttling.*`, and `insufficient_quota` here means "
        "the per-minute token allocation (retry), not billing.",
        rules=(
            _rule("quota", "Arrearage", "Throttling.AllocationQuota.Exhausted"),
            _rule(
                "rate_limit",
                "Throttling",
                "Throttling.RateQuota",
                "Throttling.AllocationQuota",
                "Throttling.BurstRate",
                "limit_requests",
                "insufficient_quota",
                message=r"rate increased too quickly",
            ),
            _rule("content_filter", "DataInspectionFailed", "data_inspection_failed", prefixes=("DataInspection",)),
            _rule("auth", "InvalidApiKey", "invalid_api_key", "AccessDenied", "AccessDenied.Unpurchased"),
            _rule("timeout", "RequestTimeOut"),
            _rule("server", "InternalError", "InternalError.Algo", "ModelServiceUnavailable"),
            _rule("context", message=r"Range of input length|input length", status=(400,)),
            _rule("bad_request", "InvalidParameter", "invalid_parameter_error", "ModelNotFound", "model_not_found"),
        ),
        sources=(
            "https://help.aliyun.com/en/model-studio/error-code",
            "https://help.aliyun.com/zh/model-studio/rate-limit",
        ),
    )
)
_register(
    ErrorProfile(
        "zhipu",
        'Zhipu (GLM, bigmodel.cn / z.ai): a business code (a string such as "1302") inside the error '
        "object. HTTP 429 carries account limits (1302 concurrency, 1303 frequency: retry), platform "
        "overload (1305, 1312: retry or switch), and quota or arrears (1113, 1304, 1308, 1310: not retried).",
        rules=(
            _rule("rate_limit", "1302", "1303"),
            _rule("overloaded", "1305", "1312"),
            _rule("quota", "1113", "1304", "1308", "1309", "1310"),
            _rule("auth", "1000", "1001", "1002", "1003", "1004", "1110", "1111", "1112", "1120", "1121", "1220"),
            _rule("content_filter", "1301"),
            _rule("context", "1261"),
            _rule("server", "500", "1230", "1234"),
            _rule("bad_request", "1210", "1211", "1212", "1213", "1214", "1215", "1221", "1222"),
        ),
        sources=("https://docs.bigmodel.cn/cn/api/api-code", "https://docs.z.ai/api-reference/api-code"),
    )
)
_register(
    ErrorProfile(
        "minimax",
        "MiniMax: errors arrive with HTTP 200 and a `base_resp.status_code` other than 0 (1002 rate limit, "
        "1008 balance, 1004 auth, 1026/1027 sensitive input/output, 1039 token limit), in plain and streamed "
        "answers.",
        rules=(
            _rule("rate_limit", "1002", "1041"),
            _rule("quota", "1008"),
            _rule("auth", "1004"),
            _rule("context", "1039"),
            _rule("timeout", "1001"),
            _rule("content_filter", "1026", "1027"),
            _rule("server", "1000", "1024", "1033"),
            _rule("bad_request", "2013", "1042"),
        ),
        sources=("https://platform.minimax.io/docs/api-reference/errorcode",),
    )
)
_register(
    ErrorProfile(
        "stepfun",
        "StepFun: OpenAI-style envelope; 402 is an empty balance (not retried) and 451 a safety-review block "
        "of the input or output.",
        rules=(
            _rule("quota", status=(402,), message=r".*"),
            _rule("content_filter", status=(451,), message=r".*"),
        ),
        sources=("https://platform.stepfun.com/docs/zh/guide/exception",),
    )
)
_register(
    ErrorProfile(
        "siliconflow",
        'SiliconFlow: errors are `{"code": 20012, "message": ..., "data": null}`, not the OpenAI '
        "envelope; 403 means no balance or real-name verification needed; 429's message names the limit "
        "(RPM, TPM, ...); 503/504 under load.",
        rules=(
            _rule("quota", status=(403,), message=r"balance|insufficient"),
            _rule("auth", status=(403,), message=r"real.?name|verif"),
        ),
        sources=("https://docs.siliconflow.cn/en/faqs/error-code",),
    )
)
_register(
    ErrorProfile(
        "volcengine",
        "Volcengine Ark (Doubao): error codes such as `InputTextRiskDetection` (content security), "
        "`AccountOverdueError` (403, not retried) and `ModelNotOpen` (the model must be activated first).",
        rules=(
            _rule("content_filter", prefixes=("InputTextRiskDetection", "InputImageRiskDetection", "OutputTextRisk")),
            _rule("quota", "AccountOverdueError", prefixes=("QuotaExceeded",)),
            _rule("auth", "AuthenticationError", "AccessDenied"),
            _rule("bad_request", "ModelNotOpen", prefixes=("InvalidEndpoint", "InvalidEndpointOrModel")),
            _rule("rate_limit", prefixes=("RateLimitExceeded", "ServerOverloaded")),
        ),
        sources=("https://www.volcengine.com/docs/82379/1299023",),
    )
)
_register(
    ErrorProfile(
        "baidu",
        'Baidu Qianfan: v2 answers `{"error": {"code", "message", "type"}}`; the legacy v1 API '
        "puts `error_code` inside a 200 body (18 QPS limit: retry; 17 daily limit or unpaid: not retried).",
        rules=(
            _rule("rate_limit", "18", "rate_limit_exceeded"),
            _rule("quota", "17", "19"),
            _rule("context", "characters_too_long", "tokens_too_long", "336007"),
            _rule("content_filter", "unsafe_request", "336003"),
            _rule("bad_request", "malformed_json", "invalid_model", "invalid_messages"),
        ),
        sources=("https://cloud.baidu.com/doc/qianfan-api/s/Om9b4yj3w",),
    )
)
_register(
    ErrorProfile(
        "tencent",
        'Tencent Hunyuan / TokenHub: Tencent Cloud errors `{"Response": {"Error": {"Code", "Message"}}}` '
        "with dotted codes; the dotted code (LimitExceeded.*, AuthFailure.*, ResourceInsufficient.*) is the "
        "reliable signal.",
        rules=(
            _rule("rate_limit", prefixes=("LimitExceeded", "RequestLimitExceeded")),
            _rule(
                "quota", prefixes=("ResourceInsufficient", "FailedOperation.Arrears", "ResourceUnavailable.InArrears")
            ),
            _rule("auth", prefixes=("AuthFailure", "UnauthorizedOperation", "OperationDenied")),
            _rule("content_filter", message=r"content safety|sensitive"),
            _rule("server", prefixes=("InternalError", "FailedOperation.EngineServerError")),
        ),
        sources=("https://www.tencentcloud.com/document/api/1284/75543",),
    )
)
_register(
    ErrorProfile(
        "baichuan",
        'Baichuan: HTTP 429 for both "Rate limit reached for requests" (retry) and '
        '"Insufficient account balance" (not retried); told apart by the message.',
        rules=(
            _rule("quota", status=(429,), message=r"insufficient account balance|balance"),
            _rule("rate_limit", status=(429,), message=r"rate limit"),
        ),
        sources=("https://platform.baichuan-ai.com/docs/api",),
    )
)
_register(
    ErrorProfile(
        "yi",
        "01.AI (Yi, lingyiwanwu): OpenAI-compatible errors; no provider-specific codes are documented, "
        "so the generic rules (quota and rate-limit messages) apply.",
        sources=("https://platform.lingyiwanwu.com/docs",),
    )
)


def get_profile(name: str | None) -> ErrorProfile:
    """The profile named `name`; the default profile (with a warning) when the name is unknown."""
    if not name:
        return PROFILES["default"]
    profile = PROFILES.get(name)
    if profile is None:
        _log.warning("unknown provider profile %r; using the default error profile", name)
        return PROFILES["default"]
    return profile


def _codes(value: Any) -> tuple[str, ...]:
    return (str(value),) if isinstance(value, (str, int)) and not isinstance(value, bool) and value != "" else ()


#: Top-level keys whose presence means a body may be an error payload (a cheap test before `embedded_error`).
ERROR_KEYS = frozenset({"error", "base_resp", "code", "Response", "error_code"})
_SUCCESS_CODES = frozenset({0, 200, "0", "200", "success", "Success", "OK", "ok"})


def embedded_error(body: Mapping[str, Any]) -> ErrorInfo | None:
    """The error a JSON body or stream event describes, or None when it is a normal answer.

    Recognises OpenAI/Anthropic-style `{"error": {...}}` (and `{"error": "text"}`), MiniMax's
    `base_resp.status_code` (0 means success), Tencent Cloud's `{"Response": {"Error": {...}}}`,
    Baidu v1's `error_code`/`error_msg`, and a top-level `code` with a `message` (DashScope,
    SiliconFlow) in a body that is not an answer.
    """
    err = body.get("error")
    if isinstance(err, dict) and err:
        codes = (*_codes(err.get("code")), *_codes(err.get("type")), *_codes(body.get("code")))
        return ErrorInfo(codes, str(err.get("message") or err.get("msg") or ""))
    if isinstance(err, str) and err:
        return ErrorInfo(_codes(body.get("code")) + _codes(body.get("type")), err)
    base = body.get("base_resp")
    if isinstance(base, dict) and base.get("status_code") not in (None, 0, "0"):
        return ErrorInfo(_codes(base.get("status_code")), str(base.get("status_msg") or ""))
    if "choices" in body or "content" in body:
        return None
    response = body.get("Response")
    if isinstance(response, dict) and isinstance(response.get("Error"), dict):
        tc = response["Error"]
        return ErrorInfo(_codes(tc.get("Code")), str(tc.get("Message") or ""))
    if body.get("error_code") not in (None, 0, "0"):
        return ErrorInfo(_codes(body.get("error_code")), str(body.get("error_msg") or ""))
    code = body.get("code")
    if code is not None and code not in _SUCCESS_CODES and (body.get("message") or body.get("msg")):
        return ErrorInfo(_codes(code), str(body.get("message") or body.get("msg")))
    return None
