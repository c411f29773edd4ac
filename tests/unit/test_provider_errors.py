from __future__ import annotations

import inspect
import json

import httpx
import pytest

from a3m_integrations.catalog import Catalog
from a3m_integrations.errors import (
    AuthError,
    BadRequest,
    BadResponse,
    ConnectionFailed,
    ContextWindowExceeded,
    ProviderError,
    RateLimited,
    ServerError,
    Timeout,
)
from a3m_integrations.providers._errors import error_from_payload, error_from_status, excerpt, map_transport_error
from a3m_integrations.providers.profiles import PROFILES, ErrorInfo, embedded_error, get_profile
from tests.servers._faults import PROVIDER_BODIES

KEY = "sk-live-0123456789abcdef"


def _httpx_exception_classes() -> list[type[BaseException]]:
    return [
        obj for name in httpx.__all__ if inspect.isclass(obj := getattr(httpx, name)) and issubclass(obj, Exception)
    ]


def _instance(cls: type[BaseException]) -> BaseException:
    request = httpx.Request("POST", "https://api.example.test/v1/chat/completions")
    if issubclass(cls, httpx.HTTPStatusError):
        return cls("boom", request=request, response=httpx.Response(503, request=request))
    if issubclass(cls, httpx.RequestError):
        return cls("boom", request=request)
    if cls is httpx.HTTPError:
        return cls("boom")
    try:
        return cls("boom")
    except TypeError:
        return cls()


@pytest.mark.parametrize("cls", _httpx_exception_classes(), ids=lambda c: c.__name__)
def test_every_httpx_exception_maps_to_a_provider_error(cls: type[BaseException]) -> None:
    exc = _instance(cls)
    mapped = map_transport_error(exc, provider="p", model="p/m")  # type: ignore[arg-type]
    assert isinstance(mapped, ProviderError)
    assert mapped.provider == "p"
    assert mapped.model == "p/m"
    assert mapped.hint


def test_most_specific_classes() -> None:
    req = httpx.Request("POST", "http://x")
    assert isinstance(map_transport_error(httpx.ReadTimeout("t", request=req), provider="p", model="m"), Timeout)
    assert isinstance(map_transport_error(httpx.PoolTimeout("t", request=req), provider="p", model="m"), Timeout)
    reset = map_transport_error(httpx.ReadError("reset", request=req), provider="p", model="m")
    assert isinstance(reset, ConnectionFailed)
    assert reset.retryable
    cut = map_transport_error(httpx.RemoteProtocolError("incomplete", request=req), provider="p", model="m")
    assert isinstance(cut, ConnectionFailed)
    assert cut.retryable
    bad_url = map_transport_error(httpx.UnsupportedProtocol("ftp", request=req), provider="p", model="m")
    assert isinstance(bad_url, ConnectionFailed)
    assert not bad_url.retryable
    assert isinstance(map_transport_error(httpx.DecodingError("gz", request=req), provider="p", model="m"), BadResponse)


@pytest.mark.parametrize(
    ("status", "cls", "retryable"),
    [
        (400, BadRequest, False),
        (401, AuthError, False),
        (402, AuthError, False),
        (403, AuthError, False),
        (404, BadRequest, False),
        (408, Timeout, True),
        (409, ServerError, True),
        (422, BadRequest, False),
        (429, RateLimited, True),
        (500, ServerError, True),
        (502, ServerError, True),
        (503, ServerError, True),
        (529, ServerError, True),
    ],
)
def test_status_mapping(status: int, cls: type[ProviderError], retryable: bool) -> None:
    err = error_from_status(status, {}, b"", profile=get_profile("default"), provider="p", model="p/m")
    assert type(err) is cls
    assert err.retryable is retryable
    assert err.status_code == status


def test_429_carries_retry_after_and_request_id() -> None:
    headers = httpx.Headers({"Retry-After": "3", "x-request-id": "req_abc"})
    err = error_from_status(429, headers, b'{"error": {"message": "slow down"}}', profile=None, provider="p", model="m")
    assert isinstance(err, RateLimited)
    assert err.retry_after == 3.0
    assert err.request_id == "req_abc"
    assert "slow down" in str(err)


def test_context_window_detected_by_code_and_message() -> None:
    status, body = PROVIDER_BODIES["openai-context"]
    err = error_from_status(status, {}, json.dumps(body), profile=get_profile("openai"), provider="p", model="m")
    assert isinstance(err, ContextWindowExceeded)
    anthropic = {
        "type": "error",
        "error": {"type": "invalid_request_error", "message": "prompt is too long: 210000 tokens"},
    }
    err = error_from_status(400, {}, json.dumps(anthropic), profile=get_profile("anthropic"), provider="p", model="m")
    assert isinstance(err, ContextWindowExceeded)


@pytest.mark.parametrize(
    ("body", "profile", "cls", "retryable"),
    [
        ("openai-quota", "openai", AuthError, False),
        ("zhipu-1302", "zhipu", RateLimited, True),
        ("zhipu-1113", "zhipu", AuthError, False),
        ("moonshot-overloaded", "moonshot", ServerError, True),
        ("moonshot-quota", "moonshot", AuthError, False),
        ("dashscope-throttle", "dashscope", RateLimited, True),
        ("dashscope-arrearage", "dashscope", AuthError, False),
        ("deepseek-402", "deepseek", AuthError, False),
        ("baichuan-balance", "baichuan", AuthError, False),
        ("anthropic-overloaded", "anthropic", ServerError, True),
        ("zhipu-1305", "zhipu", ServerError, True),
        ("stepfun-451", "stepfun", BadRequest, False),
        ("siliconflow-balance", "siliconflow", AuthError, False),
        ("siliconflow-rpm", "siliconflow", RateLimited, True),
        ("volcengine-overdue", "volcengine", AuthError, False),
        ("tencent-limit", "tencent", RateLimited, True),
        ("tencent-arrears", "tencent", AuthError, False),
    ],
)
def test_provider_bodies_classified_by_profile(
    body: str, profile: str, cls: type[ProviderError], retryable: bool
) -> None:
    status, payload = PROVIDER_BODIES[body]
    err = error_from_status(status, {}, json.dumps(payload), profile=get_profile(profile), provider="p", model="m")
    assert type(err) is cls, (body, err)
    assert err.retryable is retryable


def test_same_429_means_different_things_per_profile() -> None:
    _, payload = PROVIDER_BODIES["zhipu-1113"]
    generic = error_from_status(429, {}, json.dumps(payload), profile=get_profile("default"), provider="p", model="m")
    zhipu = error_from_status(429, {}, json.dumps(payload), profile=get_profile("zhipu"), provider="p", model="m")
    assert isinstance(zhipu, AuthError)  # arrears: never retried
    assert isinstance(generic, AuthError)  # the generic "recharge"/"arrears" message rule also catches it
    _, overloaded = PROVIDER_BODIES["moonshot-overloaded"]
    assert error_from_status(
        429, {}, json.dumps(overloaded), profile=get_profile("moonshot"), provider="p", model="m"
    ).retryable


def test_dashscope_insufficient_quota_is_a_rate_limit_not_billing() -> None:
    body = json.dumps({"error": {"code": "insufficient_quota", "message": "Allocated quota exceeded"}})
    dash = error_from_status(429, {}, body, profile=get_profile("dashscope"), provider="p", model="m")
    openai = error_from_status(429, {}, body, profile=get_profile("openai"), provider="p", model="m")
    assert isinstance(dash, RateLimited)
    assert dash.retryable
    assert isinstance(openai, AuthError)  # OpenAI's insufficient_quota is billing: not retried


def test_baidu_v1_codes_inside_200_bodies() -> None:
    for name, cls in (("baidu-v1-qps", RateLimited), ("baidu-v1-daily", AuthError)):
        _, body = PROVIDER_BODIES[name]
        info = embedded_error(body)
        assert info is not None
        err = error_from_payload(info, status=200, headers={}, profile=get_profile("baidu"), provider="p", model="m")
        assert type(err) is cls


def test_embedded_errors_in_200_bodies() -> None:
    _, minimax = PROVIDER_BODIES["minimax-1002"]
    info = embedded_error(minimax)
    assert info == ErrorInfo(("1002",), "rate limit")
    err = error_from_payload(info, status=200, headers={}, profile=get_profile("minimax"), provider="p", model="m")
    assert isinstance(err, RateLimited)
    _, balance = PROVIDER_BODIES["minimax-1008"]
    err = error_from_payload(
        embedded_error(balance), status=200, headers={}, profile=PROFILES["minimax"], provider="p", model="m"
    )  # type: ignore[arg-type]
    assert isinstance(err, AuthError)
    assert embedded_error({"base_resp": {"status_code": 0, "status_msg": "success"}, "choices": []}) is None
    assert embedded_error({"choices": [{"message": {"content": "hi"}}]}) is None
    assert embedded_error({"error": {"message": "model not multimodal", "code": 400}}) is not None
    assert embedded_error({"code": "Throttling", "message": "Requests throttling triggered."}) is not None


def test_secrets_never_reach_error_messages() -> None:
    body = json.dumps({"error": {"message": f"Incorrect API key provided: {KEY}. Header was Bearer {KEY}"}})
    err = error_from_status(401, {}, body, profile=get_profile("openai"), provider="p", model="m", secrets=[KEY])
    assert KEY not in str(err)
    assert KEY not in repr(err)
    assert "**********" in str(err)
    exc = httpx.ConnectError(f"cannot reach https://x/?key={KEY}", request=httpx.Request("GET", "http://x"))
    mapped = map_transport_error(exc, provider="p", model="m", secrets=[KEY])
    assert KEY not in str(mapped)


def test_excerpt_is_one_short_line() -> None:
    text = "line one\nline two " + "x" * 1000
    out = excerpt(text)
    assert "\n" not in out
    assert len(out) <= 300
    assert out.endswith("...")


def test_every_profile_in_the_shipped_catalog_exists() -> None:
    catalog = Catalog.default()
    names = {p.profile for p in catalog.providers.values()}
    assert names <= set(PROFILES), names - set(PROFILES)
    for profile in PROFILES.values():
        assert profile.description


def test_unknown_profile_falls_back_to_default(caplog: pytest.LogCaptureFixture) -> None:
    assert get_profile("no-such-provider") is PROFILES["default"]
    assert "no-such-provider" in caplog.text
