"""Routing and guarding as chain steps, for chains and agents that use models of their own.

- `A3MRouterRunnable`: input (text, messages, a prompt value, or a LangGraph-style state with
  "messages") -> the gateway's RoutingDecision. Pure routing: no call, no budget, no cache.
- `route_branch(...)`: a RunnableBranch choosing a runnable by the decision's tier, complexity,
  domain or model, e.g. a cheap model for tool-result turns and a premium one for planning.
- `A3MGuardrail`: runs the core guardrail on its input and raises GuardrailViolation or passes the
  input on redacted; placeholders stay redacted in what follows (nothing restores them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForChainRun
from langchain_core.messages import AnyMessage, BaseMessage, convert_to_messages
from langchain_core.prompt_values import ChatPromptValue, PromptValue
from langchain_core.runnables import Runnable, RunnableBranch, RunnableConfig, RunnableLambda, RunnableSerializable
from langchain_core.runnables.config import ensure_config
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict, Field

from a3m_integrations.errors import InvalidRequest
from a3m_integrations.gateway import A3MGateway
from a3m_integrations.guardrails.base import Guardrail
from a3m_integrations.types import TIERS, ChatRequest, RequestContext, RoutingDecision, tier_index
from langchain_a3m._context import context_fields, request_context
from langchain_a3m._convert import to_core_messages, to_core_tools
from langchain_a3m._errors import mapped_errors

__all__ = ["A3MGuardrail", "A3MRouterRunnable", "input_messages", "route_branch"]

_TEXT_KEYS = ("input", "question", "query", "text", "prompt")


def input_messages(value: Any) -> list[BaseMessage]:
    """The messages of a chain input: text, messages, a prompt value, or a dict with messages or a text key."""
    if isinstance(value, PromptValue):
        return value.to_messages()
    if isinstance(value, str):
        return convert_to_messages([("human", value)])
    if isinstance(value, Mapping):
        if "messages" in value:
            return input_messages(value["messages"])
        for key in _TEXT_KEYS:
            if isinstance(value.get(key), str):
                return input_messages(value[key])
    elif isinstance(value, Sequence):
        return convert_to_messages(value)
    raise InvalidRequest(
        f"cannot read messages from a {type(value).__name__}",
        field="input",
        hint=f"Pass text, messages, a prompt value, or a dict with 'messages' or one of {', '.join(_TEXT_KEYS)}.",
    )


def _context(config: RunnableConfig | None) -> RequestContext:
    return request_context(context_fields(ensure_config(config)))


class A3MRouterRunnable(RunnableSerializable[Any, RoutingDecision]):
    """The routing decision for an input, from a gateway's router.

    Args:
        gateway: whose router and pool decide.
        tools: tools the routed call will offer (they require a tool-capable model).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    gateway: A3MGateway = Field(exclude=True)
    tools: list[Any] = Field(default_factory=list)

    def _decide(self, value: Any, run_manager: CallbackManagerForChainRun, config: RunnableConfig) -> RoutingDecision:
        with mapped_errors():
            messages = to_core_messages(input_messages(value))
            tools = to_core_tools([convert_to_openai_tool(t) for t in self.tools])
            return self.gateway.route(ChatRequest(messages, tools=tools), _context(config))

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> RoutingDecision:
        return self._call_with_config(self._decide, input, config, run_type="chain")

    async def ainvoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> RoutingDecision:
        return self.invoke(input, config)  # routing is pure computation, no I/O to await


Selector = Literal["tier", "complexity", "domain", "model"]


class _Match:
    """Whether a decision (and the routed input's domain) falls in one branch: low < value <= high, or equal."""

    __slots__ = ("by", "high", "key", "low")

    def __init__(self, by: Selector, key: Any, low: float = 0.0, high: float = 0.0) -> None:
        self.by, self.key, self.low, self.high = by, key, low, high

    def __call__(self, decision: RoutingDecision, domain: str | None) -> bool:
        if self.by == "tier":
            return self.low < tier_index(decision.tier) <= self.high
        if self.by == "complexity":
            return self.low <= decision.complexity < self.high
        if self.by == "domain":
            return bool(domain == self.key)
        return bool(decision.model == self.key)


def _matchers(by: Selector, keys: Sequence[Any]) -> list[_Match]:
    """One matcher per key, in the keys' order."""
    if by == "tier":
        for key in keys:
            if key not in TIERS:
                raise InvalidRequest(f"unknown tier {key!r}; expected one of {', '.join(TIERS)}", field="branches")
        ranks = sorted(tier_index(k) for k in keys)
        below = {r: ranks[i - 1] if i else -1 for i, r in enumerate(ranks)}
        return [_Match(by, k, below[tier_index(k)], tier_index(k)) for k in keys]
    if by == "complexity":
        bounds = sorted(float(k) for k in keys)
        above = {b: bounds[i + 1] if i + 1 < len(bounds) else float("inf") for i, b in enumerate(bounds)}
        return [_Match(by, k, float(k), above[float(k)]) for k in keys]
    if by in ("domain", "model"):
        return [_Match(by, k) for k in keys]
    raise InvalidRequest(f"route_branch by must be tier, complexity, domain or model, not {by!r}", field="by")


def route_branch(
    branches: Mapping[Any, Runnable[Any, Any] | Callable[..., Any]],
    default: Runnable[Any, Any] | Callable[..., Any],
    *,
    router: A3MRouterRunnable | A3MGateway,
    by: Selector = "tier",
    route_on: Callable[[Any], Any] | None = None,
) -> RunnableBranch[Any, Any]:
    """A RunnableBranch that sends each input to the branch its routing decision selects.

    Keys by `by`: "tier": tiers; each branch takes its tier and those below it down to the next
    lower key (so {"cheap": a, "premium": b} sends mid to b), above the top key goes to `default`.
    "complexity": lower bounds in [0, 1], each up to the next one. "domain": signal domains
    (legal, medical, finance, security, ...; None for none). "model": catalog ids.

    `route_on` picks what is routed from the input (default: all of it); an agent routing each
    step on its latest turn passes `lambda messages: messages[-1:]`. The branch gets the whole input.
    """
    route = router if isinstance(router, A3MRouterRunnable) else A3MRouterRunnable(gateway=router)
    keys = list(branches)

    def judge(condition: _Match) -> Runnable[Any, bool]:
        def check(value: Any, config: RunnableConfig) -> bool:
            routed = route_on(value) if route_on is not None else value
            decision = route.invoke(routed, config)
            domain = _domain(routed) if by == "domain" else None
            return condition(decision, domain)

        return RunnableLambda(check, name=f"a3m_route_{by}")

    pairs = [(judge(m), branches[k]) for m, k in zip(_matchers(by, keys), keys)]
    return RunnableBranch(*pairs, default)


def _domain(value: Any) -> str | None:
    from a3m_integrations.signals import analyze

    with mapped_errors():
        return analyze(ChatRequest(to_core_messages(input_messages(value)))).domain


class A3MGuardrail(RunnableSerializable[Any, Any]):
    """Runs a core Guardrail on the input: raises GuardrailViolation when it blocks, else passes it on redacted.

    The output has the input's shape (text, messages, prompt value, or the same dict with its
    messages or text redacted).

    Args:
        guardrail: any `a3m_integrations.guardrails.base.Guardrail` (e.g. a gateway's `guardrails`).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    guardrail: Guardrail = Field(exclude=True)

    def _guard(self, value: Any, run_manager: CallbackManagerForChainRun, config: RunnableConfig) -> Any:
        with mapped_errors():
            messages = input_messages(value)
            request = ChatRequest(to_core_messages(messages))
            result = self.guardrail.check(request, _context(config))
            result.raise_if_blocked(ensure_config(config).get("metadata", {}).get("route"))
        texts = [m.text for m in result.request.messages]
        if texts == [m.text for m in request.messages]:
            return value
        return _replace(value, [_redacted(m, t) for m, t in zip(messages, texts)])

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        return self._call_with_config(self._guard, input, config, run_type="parser")

    async def ainvoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Any:
        return self.invoke(input, config)  # guardrails are local computation


def _redacted(message: BaseMessage, text: str) -> BaseMessage:
    """`message` with its text replaced by `text` (one text block where the first was; images kept)."""
    if message.text == text:
        return message
    if isinstance(message.content, str):
        return message.model_copy(update={"content": text})
    blocks: list[Any] = []
    placed = False
    for block in message.content:
        if isinstance(block, str) or (isinstance(block, Mapping) and block.get("type") == "text"):
            if not placed:
                blocks.append({"type": "text", "text": text})
                placed = True
        else:
            blocks.append(block)
    return message.model_copy(update={"content": blocks})


def _replace(value: Any, messages: list[AnyMessage] | list[BaseMessage]) -> Any:
    """`value` in its own shape, carrying `messages` instead of its own."""
    if isinstance(value, PromptValue):
        return ChatPromptValue(messages=list(messages))
    if isinstance(value, str):
        return messages[0].text
    if isinstance(value, Mapping):
        if "messages" in value:
            return {**value, "messages": _replace(value["messages"], messages)}
        key = next(k for k in _TEXT_KEYS if isinstance(value.get(k), str))
        return {**value, key: messages[0].text}
    return list(messages)
