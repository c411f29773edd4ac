"""Every decision of the request pipeline, once, for sync, async and streaming.

    guard -> cache -> route -> reserve -> call -> settle -> learn -> record -> cache store

`prepare` runs the steps before the call, `complete` the steps after it, `fail` the clean-up
when the call fails and `abandon` the settlement of a stream that stopped early. `plan` chains
them around a `Call` effect for non-streaming requests. All are generators of effects (see
`_plan`); the gateway's drivers carry the effects out.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from a3m_integrations.errors import A3MError, CacheError, GuardrailError, GuardrailViolation, ProviderError
from a3m_integrations.events import EventBus
from a3m_integrations.gateway._plan import Call, Lookup, Plan, Release, Reserve, Settle, Store
from a3m_integrations.types import ChatRequest, ChatResponse, RequestContext, RoutingDecision, Usage

if TYPE_CHECKING:
    from a3m_integrations.budget.base import Budget, Reservation
    from a3m_integrations.cache.base import CacheHit, ResponseCache
    from a3m_integrations.catalog import Catalog, ModelInfo
    from a3m_integrations.guardrails.base import Guardrail, GuardResult
    from a3m_integrations.resilience.executor import CallResult, Executor
    from a3m_integrations.routing.base import Router

__all__ = ["Pipeline", "Prepared"]

_log = logging.getLogger("a3m_integrations.gateway")
_ZERO = Decimal(0)


@dataclass(slots=True)
class Prepared:
    """What the steps before the call decided for one request."""

    original: ChatRequest
    request: ChatRequest
    context: RequestContext
    started: float
    #: the request as the cache saw it (after the guardrails, before the gateway set max_tokens)
    cache_key: ChatRequest | None = None
    guard: GuardResult | None = None
    hit: CacheHit | None = None
    decision: RoutingDecision | None = None
    reservation: Reservation | None = None
    reserved: Decimal = _ZERO
    task: str = "chat"
    flags: list[str] = field(default_factory=list)


@dataclass
class Pipeline:
    """The steps and the components they use. Any component may be None (the step is skipped)."""

    catalog: Catalog
    router: Router
    executor: Executor
    events: EventBus
    guardrails: Guardrail | None = None
    cache: ResponseCache | None = None
    budget: Budget | None = None
    memory: Any = None
    baseline: ModelInfo | None = None
    default_max_tokens: int = 4096
    guard_fail_open: bool = False
    task_of: Callable[[ChatRequest], str] | None = None
    #: request id -> (model, task) of recent answers, for feedback by id (bounded, oldest dropped)
    served: OrderedDict[str, tuple[str, str]] = field(default_factory=OrderedDict)
    served_limit: int = 10_000

    # -- before the call ----------------------------------------------------------------------
    def prepare(self, request: ChatRequest, context: RequestContext) -> Plan[Prepared]:
        """Guard, cache lookup, route and reserve. Returns early on a cache hit."""
        rid = context.request_id
        prep = Prepared(original=request, request=request, context=context, started=time.perf_counter())
        self.events.emit("request", rid, route=context.route, user=context.user, team=context.team)
        if self.guardrails is not None:
            prep.guard = self._guard(request, context)
            prep.request = prep.guard.request
            if prep.guard.action == "warn":
                prep.flags.append("guardrail_warning")
                prep.flags.extend(f"rule:{r}" for r in prep.guard.rules)
        if self.cache is not None:
            prep.cache_key = prep.request
            pinned = request.model if request.model and request.model != "auto" else None
            try:
                prep.hit = yield Lookup(self.cache, prep.request, context, pinned)
            except CacheError as exc:  # a broken cache is a miss, never a failed request
                self.events.emit("cache_miss", rid, error=type(exc).__name__)
                _log.warning("cache lookup failed (%s); treating as a miss", type(exc).__name__)
            else:
                if prep.hit is not None:
                    self.events.emit(
                        "cache_hit",
                        rid,
                        level=prep.hit.level,
                        similarity=prep.hit.similarity,
                        saved_cost=str(prep.hit.saved_cost),
                    )
                    return prep
                self.events.emit("cache_miss", rid)
        decision = self.router.route(prep.request, context)
        prep.decision = decision
        if self.memory is not None and self.task_of is not None:  # the task keys what memory learns
            prep.task = self.task_of(prep.request)
        self.events.emit("routed", rid, **decision.to_dict())
        models = [self.catalog.model(m) for m in decision.candidates]
        prep.request = _cap_output(prep.request, models, self.default_max_tokens)
        if self.budget is not None:
            from a3m_integrations.cost.pricing import estimate_request_cost

            prep.reserved = max(estimate_request_cost(prep.request, m) for m in models)
            prep.reservation = yield Reserve(self.budget, context, prep.reserved, rid)
            self.events.emit("budget_reserved", rid, amount=str(prep.reserved), scopes=list(prep.reservation.scopes))
        return prep

    def _guard(self, request: ChatRequest, context: RequestContext) -> GuardResult:
        assert self.guardrails is not None
        rid = context.request_id
        # a guardrail that reports to our bus itself (GuardrailEngine) is not reported twice
        own = getattr(self.guardrails, "events", None) is self.events
        try:
            result = self.guardrails.check(request, context)
        except GuardrailViolation as exc:
            if not own:
                self.events.emit("guard", rid, action="block", score=exc.score, rules=list(exc.rules))
            raise
        except Exception as exc:  # the guardrail itself failed
            self.events.emit("guard", rid, action="error", error=type(exc).__name__, fail_open=self.guard_fail_open)
            if self.guard_fail_open:
                from a3m_integrations.guardrails.base import GuardResult

                return GuardResult(action="allow", request=request)
            raise GuardrailError(
                f"guardrail {type(self.guardrails).__name__} failed ({type(exc).__name__})", route=context.route
            ) from exc
        if not own:
            self.events.emit("guard", rid, action=result.action, score=result.score, rules=list(result.rules))
        result.raise_if_blocked(context.route)
        return result

    # -- the call, for non-streaming requests ----------------------------------------------------
    def plan(self, request: ChatRequest, context: RequestContext) -> Plan[ChatResponse]:
        """The whole pipeline for one non-streaming request."""
        prep = yield from self.prepare(request, context)
        if prep.hit is not None:
            return self.from_hit(prep)
        assert prep.decision is not None
        try:
            result = yield Call(self.executor, prep.request, prep.decision.candidates, context.request_id)
        except BaseException as exc:
            yield from self.fail(prep, exc)
            raise
        return (yield from self.complete(prep, result))

    # -- after the call -------------------------------------------------------------------------
    def complete(self, prep: Prepared, result: CallResult) -> Plan[ChatResponse]:
        """Settle, learn, record and store; returns the answer the caller sees."""
        from a3m_integrations.cost.pricing import cost_of

        rid = prep.context.request_id
        model = result.model
        usage = result.response.usage
        cost = cost_of(model, usage)
        baseline_cost = cost_of(self.baseline, usage) if self.baseline is not None else None
        if prep.reservation is not None and self.budget is not None:
            yield Settle(self.budget, prep.reservation, cost, self._attribution(prep, model, baseline_cost))
            self.events.emit("budget_settled", rid, amount=str(cost), reserved=str(prep.reserved))
        self._learn(prep, result.errors, model.id, result.response.latency_ms)
        response = result.response.replace(
            cost=cost,
            saved_cost=baseline_cost - cost if baseline_cost is not None else _ZERO,
            decision=prep.decision,
            flags=tuple(prep.flags),
            metadata=self._metadata(prep, baseline_cost),
        )
        self.events.emit(
            "response",
            rid,
            model=model.id,
            provider=model.provider,
            tier=model.tier,
            usage=usage.to_dict(),
            cost=str(cost),
            baseline_cost=None if baseline_cost is None else str(baseline_cost),
            attempts=result.attempts,
            cache_hit=False,
            user=prep.context.user,
            team=prep.context.team,
            route=prep.context.route,
        )
        if self.cache is not None and prep.cache_key is not None and _cacheable(response):
            try:
                yield Store(self.cache, prep.cache_key, prep.context, response)
                self.events.emit("cache_store", rid, model=model.id)
            except CacheError as exc:
                _log.warning("cache store failed (%s); the answer is returned anyway", type(exc).__name__)
        return self.restore(prep, response)

    def fail(self, prep: Prepared, error: BaseException) -> Plan[None]:
        """The call failed: free the reservation, learn from the failures, record the error."""
        if prep.reservation is not None and self.budget is not None:
            yield Release(self.budget, prep.reservation)
        errors = getattr(error, "errors", None) or ((error,) if isinstance(error, ProviderError) else ())
        self._learn(prep, errors, None, None)
        self.events.emit(
            "error",
            prep.context.request_id,
            error=type(error).__name__,
            message=str(error) if isinstance(error, A3MError) else type(error).__name__,
        )

    def abandon(
        self,
        prep: Prepared,
        received: str,
        usage: Usage | None,
        model: ModelInfo | None,
        error: BaseException | None = None,
    ) -> Plan[None]:
        """A stream ended early (closed, cancelled, broken): charge what arrived, free the rest."""
        rid = prep.context.request_id
        if error is not None:
            self._learn(prep, getattr(error, "errors", None) or (error,), None, None)
            self.events.emit("error", rid, error=type(error).__name__, received_chars=len(received))
        if prep.reservation is None or self.budget is None:
            return
        if model is None or (not received and usage is None):
            yield Release(self.budget, prep.reservation)
            self.events.emit("budget_settled", rid, amount="0", reserved=str(prep.reserved), abandoned=True)
            return
        from a3m_integrations.cost.pricing import cost_of, usage_from_text

        used = usage if usage is not None else usage_from_text(prep.request, model, received)
        cost = cost_of(model, used)
        baseline_cost = cost_of(self.baseline, used) if self.baseline is not None else None
        yield Settle(self.budget, prep.reservation, cost, self._attribution(prep, model, baseline_cost))
        self.events.emit("budget_settled", rid, amount=str(cost), reserved=str(prep.reserved), abandoned=True)

    def from_hit(self, prep: Prepared) -> ChatResponse:
        """The answer for a cache hit: cost 0, the saving recorded."""
        assert prep.hit is not None
        hit = prep.hit
        response = hit.response.replace(
            cost=_ZERO,
            saved_cost=hit.saved_cost,
            cache_hit=True,
            flags=tuple(prep.flags),
            metadata={**self._metadata(prep, None), "cache": {"level": hit.level, "similarity": hit.similarity}},
        )
        self.events.emit(
            "response",
            prep.context.request_id,
            model=response.model,
            provider=response.provider,
            tier=response.decision.tier if response.decision else None,
            usage=Usage().to_dict(),
            cost="0",
            saved_cost=str(hit.saved_cost),
            cache_hit=True,
            user=prep.context.user,
            team=prep.context.team,
            route=prep.context.route,
        )
        return self.restore(prep, response)

    def restore(self, prep: Prepared, response: ChatResponse) -> ChatResponse:
        """Put redacted values back into the answer when the guardrail verdict allows it."""
        if prep.guard is None or not prep.guard.restore or self.guardrails is None:
            return response
        text = response.message.text
        restored = self.guardrails.restore(text, prep.guard)
        if restored == text:
            return response
        message = response.message.replace(content=restored)
        return response.replace(message=message)

    # -- helpers ----------------------------------------------------------------------------------
    def _learn(
        self, prep: Prepared, errors: Sequence[BaseException], model_id: str | None, latency_ms: float | None
    ) -> None:
        if self.memory is None:
            return
        if model_id is not None:
            self.served[prep.context.request_id] = (model_id, prep.task)
            while len(self.served) > self.served_limit:
                self.served.popitem(last=False)
        try:
            for error in errors:
                failed = getattr(error, "model", None)
                if failed:
                    self.memory.record(failed, prep.task, success=None, latency_ms=None, error=True)
            if model_id is not None:
                self.memory.record(model_id, prep.task, success=None, latency_ms=latency_ms, error=False)
        except Exception:  # learning must never fail a request
            _log.exception("memory update failed")

    def _attribution(self, prep: Prepared, model: ModelInfo, baseline_cost: Decimal | None) -> dict[str, str]:
        ctx = prep.context
        out = {"model": model.id, "provider": model.provider, "tier": model.tier, "request_id": ctx.request_id}
        for key, value in (("user", ctx.user), ("team", ctx.team), ("route", ctx.route), ("api_key", ctx.api_key_id)):
            if value:
                out[key] = value
        if baseline_cost is not None:
            out["baseline_cost"] = str(baseline_cost)
        return out

    def _metadata(self, prep: Prepared, baseline_cost: Decimal | None) -> dict[str, Any]:
        out: dict[str, Any] = {"request_id": prep.context.request_id, "task": prep.task}
        if prep.context.route:
            out["route"] = prep.context.route
        if baseline_cost is not None and self.baseline is not None:
            out["baseline"] = {"model": self.baseline.id, "cost": str(baseline_cost)}
        if prep.guard is not None:
            out["guard"] = {"action": prep.guard.action, "score": prep.guard.score, "rules": list(prep.guard.rules)}
        return out


def _cap_output(request: ChatRequest, models: Sequence[ModelInfo], default: int) -> ChatRequest:
    """Send an explicit max_tokens so the reservation is a true upper bound of the bill."""
    limit = min(m.max_output for m in models)
    wanted = request.max_tokens if request.max_tokens is not None else default
    capped = min(wanted, limit)
    return request if capped == request.max_tokens else request.replace(max_tokens=capped)


def _cacheable(response: ChatResponse) -> bool:
    """Answers worth storing: complete ones (a tool call answer depends on the tools' results)."""
    return bool(response.message.text) and response.finish_reason not in ("length", "content_filter", "error")
