from __future__ import annotations

import pytest

from a3m_integrations.cache.keys import namespace_for, request_key
from a3m_integrations.cache.policy import RoutePolicy, cache_control, resolve_routes
from a3m_integrations.errors import ConfigError
from a3m_integrations.types import (
    ChatRequest,
    ImagePart,
    Message,
    RequestContext,
    ResponseFormat,
    TextPart,
    ToolCall,
    ToolSpec,
)
from tests.unit.cache.conftest import req

P = RoutePolicy()
CTX = RequestContext(user="alice", team="red")


def key(request: ChatRequest, ctx: RequestContext = CTX, policy: RoutePolicy = P) -> str:
    return request_key(request, ctx, policy).exact


BASE = req("What is a monad?")


@pytest.mark.parametrize(
    "changed",
    [
        BASE.replace(model="other-model"),
        BASE.replace(model=None),
        BASE.replace(temperature=0.7),
        BASE.replace(top_p=0.5),
        BASE.replace(max_tokens=50),
        BASE.replace(stop=("\n",)),
        BASE.replace(seed=7),
        BASE.replace(tools=(ToolSpec("search"),)),
        BASE.replace(tool_choice="required"),
        BASE.replace(response_format=ResponseFormat("json_object")),
        BASE.replace(extra={"logit_bias": {"50256": -100}}),
        req("What is a monad?", system="Answer in French."),
        req("What is a Monad?"),
    ],
)
def test_every_setting_that_changes_the_answer_changes_the_key(changed: ChatRequest) -> None:
    assert key(changed) != key(BASE)


def test_route_and_tenant_change_the_key() -> None:
    assert key(BASE, RequestContext(user="alice", team="red", route="support")) != key(BASE)
    assert key(BASE, RequestContext(user="bob", team="red")) != key(BASE)
    assert key(BASE, RequestContext(user="alice", team="blue")) != key(BASE)


def test_what_does_not_change_the_answer_does_not_change_the_key() -> None:
    assert key(BASE.replace(timeout=3.0, max_retries=9)) == key(BASE)
    assert key(req("  What is a monad?\r\n")) == key(BASE)
    assert key(BASE.replace(model="auto")) == key(BASE.replace(model=None))
    assert key(BASE, RequestContext(user="alice", team="red", request_id="x")) == key(BASE)


def test_tool_call_ids_are_ignored_but_arguments_are_not() -> None:
    def convo(call_id: str, args: str) -> ChatRequest:
        return ChatRequest(
            messages=(
                Message.user("weather?"),
                Message.assistant(tool_calls=[ToolCall(call_id, "weather", args)]),
                Message("tool", '{"temp": 20}', tool_call_id=call_id),
            )
        )

    assert key(convo("call_1", '{"city": "Oslo"}')) == key(convo("call_2", '{ "city":"Oslo" }'))
    assert key(convo("call_1", '{"city": "Oslo"}')) != key(convo("call_1", '{"city": "Rome"}'))


def test_semantic_text_is_the_last_user_turn_and_scope_holds_the_rest() -> None:
    k = request_key(req("How do I sort a dict?", system="Be brief."), CTX, P)
    assert k.text == "How do I sort a dict?"
    other_system = request_key(req("How do I sort a dict?", system="Be verbose."), CTX, P)
    assert other_system.scope != k.scope
    paraphrase = request_key(req("Sorting a dict: how?", system="Be brief."), CTX, P)
    assert paraphrase.scope == k.scope and paraphrase.exact != k.exact


@pytest.mark.parametrize(
    ("request_", "policy", "why"),
    [
        (ChatRequest(messages=(Message.user("hi"), Message.assistant("hello"))), P, "not a user turn"),
        (
            ChatRequest(messages=(Message("user", (TextPart("what is this?"), ImagePart("https://x/y.png"))),)),
            P,
            "images",
        ),
        (req("x" * 3000), P, "longer than"),
        (req("   "), P, "empty"),
        (req("hi"), RoutePolicy(semantic=False), "off"),
        (
            ChatRequest(messages=(Message.user("a"), Message.assistant("b"), Message.user("c"))),
            RoutePolicy(multi_turn=False),
            "multi-turn",
        ),
    ],
)
def test_requests_that_stay_exact_only(request_: ChatRequest, policy: RoutePolicy, why: str) -> None:
    k = request_key(request_, CTX, policy)
    assert k.text is None and k.why_exact is not None and why in k.why_exact


def test_namespaces() -> None:
    assert namespace_for(CTX, "user") == "team=red;user=alice"
    assert namespace_for(CTX, "team") == "team=red"
    assert namespace_for(CTX, "global") == "global"
    assert namespace_for(RequestContext(api_key_id="key-7"), "user") == "team=-;user=key-7"
    narrowed = RequestContext(user="alice", team="red", metadata={"cache_namespace": "project-x"})
    assert namespace_for(narrowed, "global") == "global;ns=project-x"


def test_route_policies_and_validation() -> None:
    routes = resolve_routes(P, {"support": {"ttl": 60, "threshold": 0.97}, "code": RoutePolicy(semantic=False)})
    assert routes["support"].ttl == 60 and routes["support"].threshold == 0.97 and routes["support"].guard == "strict"
    assert routes["code"].semantic is False
    with pytest.raises(ConfigError, match="unknown cache policy"):
        resolve_routes(P, {"x": {"treshold": 0.9}})
    for bad in ({"threshold": 0}, {"threshold": 1.5}, {"ttl": -1}, {"guard": "loose"}, {"namespace_scope": "all"}):
        with pytest.raises(ConfigError):
            RoutePolicy(**bad)  # type: ignore[arg-type]
    assert not RoutePolicy(max_temperature=0.3).allows_temperature(0.7)
    assert RoutePolicy(max_temperature=0.3).allows_temperature(None)


@pytest.mark.parametrize(
    ("value", "lookup", "store"),
    [(None, True, True), (False, False, False), ("off", False, False), ("no-cache", False, True),
     ("no-store", True, False), ({"no_cache": True}, False, True), ({"no-store": True}, True, False)],
)  # fmt: skip
def test_cache_control(value: object, lookup: bool, store: bool) -> None:
    c = cache_control(RequestContext(metadata={} if value is None else {"cache": value}))
    assert (c.lookup, c.store) == (lookup, store)


def test_cache_control_rejects_nonsense() -> None:
    with pytest.raises(ConfigError):
        cache_control(RequestContext(metadata={"cache": "sometimes"}))
