"""The call step of the pipeline: try a decision's models in order, with retries and breakers.

One sans-I/O plan decides everything: it yields effects, `Attempt` ("call this model with this
request") and `Sleep` ("wait n seconds"), and receives each attempt's `Outcome`. It consults the
model's circuit breaker before every attempt, the provider's RetryPolicy after every failure,
records failures in the breakers and the HealthBoard, emits events, and returns the chosen
model once an attempt succeeds or raises AllModelsFailed (one error per model tried). Four thin
drivers run it: `call`, `acall`, `stream`, `astream`; they only call providers and sleep.

Streams: an attempt succeeds when the first chunk arrives, so a stream that fails before its
first chunk is retried or falls back like any call; one that fails after chunks were delivered
raises StreamInterrupted saying how much arrived. The last chunk carries usage and the response,
whose `model` is the catalog id that answered. Closing a stream early closes the provider's
stream (and its HTTP response).

Events (to the optional EventBus): "attempt" (model, provider, attempt, total), "retry" (model,
attempt, delay, error, status), "fallback" (from, to, error), and the breakers' "breaker".
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass

from a3m_integrations.catalog import Catalog, ModelInfo
from a3m_integrations.errors import (
    A3MError,
    AllModelsFailed,
    BadRequest,
    BadResponse,
    CircuitOpen,
    InvalidRequest,
    ProviderError,
    StreamInterrupted,
    Timeout,
)
from a3m_integrations.events import EventBus
from a3m_integrations.providers.base import Provider
from a3m_integrations.providers.registry import ProviderRegistry
from a3m_integrations.resilience.breaker import BreakerBoard, CircuitBreaker
from a3m_integrations.resilience.health import HealthBoard
from a3m_integrations.resilience.retry import DEFAULT_POLICY, RetryPolicy
from a3m_integrations.types import ChatChunk, ChatRequest, ChatResponse

__all__ = ["Attempt", "CallResult", "Chosen", "Executor", "Outcome", "Plan", "Sleep"]


@dataclass(frozen=True, slots=True)
class CallResult:
    """What the call step returns.

    Attributes:
        response: the answer; `model` is the catalog id that answered, `attempts` the calls made.
        model: the catalog entry of the model that answered.
        attempts: provider calls made for this request, retries and fallbacks included.
        errors: one error per model given up on before the one that answered.
    """

    response: ChatResponse
    model: ModelInfo
    attempts: int
    errors: tuple[ProviderError, ...]


@dataclass(frozen=True, slots=True)
class Attempt:
    """Effect: call `provider` for `model` with `request` (its timeout is this attempt's)."""

    model: ModelInfo
    provider: Provider
    request: ChatRequest
    number: int


@dataclass(frozen=True, slots=True)
class Sleep:
    """Effect: wait `seconds` before the next attempt."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Outcome:
    """An attempt's result as the driver saw it: an error, or None for success; and how long it took."""

    error: ProviderError | None
    latency: float


@dataclass(frozen=True, slots=True)
class Chosen:
    """The plan's result: the model that answered and how the request got there."""

    model: ModelInfo
    breaker: CircuitBreaker
    attempts: int
    errors: tuple[ProviderError, ...]
    started: float  # when the request began (for its total latency)
    attempt_started: float  # when the answering attempt began (for the provider's health)


Plan = Generator[Attempt | Sleep, Outcome | None, Chosen]


class Executor:
    """Runs the call step for a request and the ordered candidate model ids of its RoutingDecision.

    Args:
        registry: builds and pools the providers.
        catalog: resolves candidate ids (default: the registry's catalog).
        policy: the retry policy for providers without their own.
        policies: retry policies by provider id.
        health: the HealthBoard to record into (its breakers are used too); one is made if omitted.
        breakers: the breakers, when no HealthBoard is given.
        events: where "attempt", "retry", "fallback" and "breaker" events go.
        clock: monotonic seconds (injectable for tests).
        sleep, asleep: how the sync and async drivers wait (injectable for tests).
        rng: the jitter source.
    """

    def __init__(
        self,
        registry: ProviderRegistry,
        catalog: Catalog | None = None,
        *,
        policy: RetryPolicy = DEFAULT_POLICY,
        policies: Mapping[str, RetryPolicy] | None = None,
        health: HealthBoard | None = None,
        breakers: BreakerBoard | None = None,
        events: EventBus | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        asleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.registry = registry
        self.catalog = catalog if catalog is not None else registry.catalog
        self.policy = policy
        self.policies = dict(policies or {})
        self.events = events if events is not None else EventBus()
        if breakers is None:
            breakers = health.breakers if health is not None else BreakerBoard(clock=clock, events=self.events)
        if breakers.events is None:
            breakers.events = self.events
        self.breakers = breakers
        self.health = health if health is not None else HealthBoard(self.catalog, breakers=breakers, clock=clock)
        self._clock = clock
        self._sleep = sleep
        self._asleep = asleep
        self._rng = rng or random.Random()

    def policy_for(self, provider_id: str) -> RetryPolicy:
        """The retry policy of a provider."""
        return self.policies.get(provider_id, self.policy)

    # -- the plan (all decisions) -------------------------------------------------------------
    def plan(self, request: ChatRequest, candidates: Sequence[str], request_id: str | None = None) -> Plan:
        """The sans-I/O plan for one request: yields Attempt/Sleep, receives Outcome, returns Chosen."""
        if not candidates:
            raise InvalidRequest("no candidate models to call", field="candidates")
        models = [self.catalog.model(c) for c in candidates]
        started = self._clock()
        errors: list[ProviderError] = []
        total = 0
        for index, model in enumerate(models):
            policy = self.policy_for(model.provider).for_request(request)
            provider = self._provider(model, errors)
            last: ProviderError | None = None
            if provider is not None:
                breaker = self.breakers.get(model.provider, model.id)
                number = 0
                while True:
                    if not breaker.allow(request_id):
                        last = last or CircuitOpen("circuit breaker is open", provider=model.provider, model=model.id)
                        break
                    timeout = policy.attempt_timeout(self._clock() - started)
                    if timeout <= 0:
                        breaker.release()
                        errors.append(
                            Timeout(
                                f"the request's deadline of {policy.deadline:g} s passed",
                                provider=model.provider,
                                model=model.id,
                                retryable=False,
                            )
                        )
                        raise AllModelsFailed(errors)
                    number += 1
                    total += 1
                    if self.events:  # no listener: skip building the event
                        self.events.emit(
                            "attempt", request_id, model=model.id, provider=model.provider, attempt=number, total=total
                        )
                    attempt_started = self._clock()
                    try:
                        outcome = yield Attempt(model, provider, _with_timeout(request, timeout), number)
                    except GeneratorExit:  # the driver went away mid-attempt: free a half-open probe
                        breaker.release()
                        raise
                    assert outcome is not None
                    if outcome.error is None:
                        breaker.record_success(request_id)
                        return Chosen(model, breaker, total, tuple(errors), started, attempt_started)
                    last = _with_model(outcome.error, model)
                    self._record_failure(model, breaker, last, outcome.latency, request_id)
                    delay = policy.next_delay(number, last, self._clock() - started, rng=self._rng)
                    if delay is None:
                        break
                    self.events.emit(  # rare: no need to check for listeners
                        "retry",
                        request_id,
                        model=model.id,
                        provider=model.provider,
                        attempt=number,
                        delay=delay,
                        error=type(last).__name__,
                        status=last.status_code,
                    )
                    yield Sleep(delay)
                errors.append(last)
            if index + 1 < len(models):
                self.events.emit(
                    "fallback",
                    request_id,
                    **{"from": model.id, "to": models[index + 1].id, "error": type(errors[-1]).__name__},
                )
        raise AllModelsFailed(errors)

    def _provider(self, model: ModelInfo, errors: list[ProviderError]) -> Provider | None:
        """The model's provider, or None (with the reason appended to `errors`) if it cannot be built."""
        try:
            return self.registry.get(model.provider)
        except ProviderError as exc:
            errors.append(_with_model(exc, model))
        except A3MError as exc:  # ConfigError: missing dependency, model file, base_url
            errors.append(
                ProviderError(exc.message, provider=model.provider, model=model.id, retryable=False, hint=exc.hint)
            )
        return None

    def _record_failure(
        self, model: ModelInfo, breaker: CircuitBreaker, error: ProviderError, latency: float, request_id: str | None
    ) -> None:
        if isinstance(error, BadRequest):  # the request's fault (or too long for this model), not the provider's
            breaker.release()
            return
        breaker.record_failure(request_id, type(error).__name__)
        self.health.record_failure(model.provider, error, latency)

    # -- shared by the drivers (pure) ---------------------------------------------------------
    def _finish(self, chosen: Chosen, response: ChatResponse) -> ChatResponse:
        now = self._clock()
        self.health.record_success(chosen.model.provider, now - chosen.attempt_started)  # this provider's time only
        elapsed = now - chosen.started  # the caller's wait, retries and fallbacks included
        return response._evolve(  # ChatResponse validates nothing: a plain copy is the same as replace()
            model=chosen.model.id,
            provider=chosen.model.provider,
            attempts=chosen.attempts,
            latency_ms=elapsed * 1000.0,
        )

    def _result(self, chosen: Chosen, response: ChatResponse) -> CallResult:
        return CallResult(self._finish(chosen, response), chosen.model, chosen.attempts, chosen.errors)

    def _final_chunk(self, chosen: Chosen, chunk: ChatChunk) -> ChatChunk:
        assert chunk.response is not None
        return chunk._evolve(model=chosen.model.id, response=self._finish(chosen, chunk.response))

    def _interrupted(
        self, chosen: Chosen, exc: ProviderError, chunks: int, chars: int, request_id: str | None
    ) -> StreamInterrupted:
        chosen.breaker.record_failure(request_id, type(exc).__name__)
        self.health.record_failure(chosen.model.provider, exc, self._clock() - chosen.attempt_started)
        return StreamInterrupted(
            "the stream broke",
            chunks_received=chunks,
            chars_received=chars,
            cause=f"{type(exc).__name__}: {exc.message}",
            provider=chosen.model.provider,
            model=chosen.model.id,
            status_code=exc.status_code,
        )

    # -- sync drivers -------------------------------------------------------------------------
    def call(self, request: ChatRequest, candidates: Sequence[str], *, request_id: str | None = None) -> CallResult:
        """Answer `request` with the first candidate that succeeds (retrying each as its policy allows)."""
        plan = self.plan(request, candidates, request_id)
        effect = next(plan)
        while True:
            if isinstance(effect, Sleep):
                self._sleep(effect.seconds)
                effect = plan.send(None)
                continue
            t0 = self._clock()
            try:
                response = effect.provider.chat(effect.request, effect.model)
            except Exception as exc:
                effect = plan.send(Outcome(_as_provider_error(exc, effect.model), self._clock() - t0))
                continue
            try:
                effect = plan.send(Outcome(None, self._clock() - t0))
            except StopIteration as done:
                return self._result(done.value, response)

    def stream(
        self, request: ChatRequest, candidates: Sequence[str], *, request_id: str | None = None
    ) -> Iterator[ChatChunk]:
        """Stream the answer of the first candidate whose stream starts; the last chunk has usage."""
        plan = self.plan(request, candidates, request_id)
        effect = next(plan)
        while True:
            if isinstance(effect, Sleep):
                self._sleep(effect.seconds)
                effect = plan.send(None)
                continue
            t0 = self._clock()
            chunks = effect.provider.stream(effect.request, effect.model)
            try:
                first = next(chunks)
            except StopIteration:
                error: ProviderError = BadResponse(
                    "the stream ended before its first chunk", provider=effect.model.provider, model=effect.model.id
                )
            except Exception as exc:
                error = _as_provider_error(exc, effect.model)
            else:
                try:
                    effect = plan.send(Outcome(None, self._clock() - t0))
                except StopIteration as done:
                    yield from self._rest(done.value, first, chunks, request_id)
                    return
                continue  # pragma: no cover - the plan always returns after a success
            _close(chunks)
            effect = plan.send(Outcome(error, self._clock() - t0))

    def _rest(
        self, chosen: Chosen, first: ChatChunk, chunks: Iterator[ChatChunk], request_id: str | None
    ) -> Iterator[ChatChunk]:
        count, chars = 0, 0
        try:
            chunk = first
            while True:
                if chunk.response is not None:
                    chunk = self._final_chunk(chosen, chunk)
                count += 1
                chars += len(chunk.text)
                yield chunk
                try:
                    chunk = next(chunks)
                except StopIteration:
                    return
                except Exception as exc:
                    error = _as_provider_error(exc, chosen.model)
                    raise self._interrupted(chosen, error, count, chars, request_id) from exc
        finally:
            _close(chunks)

    # -- async drivers ------------------------------------------------------------------------
    async def acall(
        self, request: ChatRequest, candidates: Sequence[str], *, request_id: str | None = None
    ) -> CallResult:
        """Async `call`."""
        plan = self.plan(request, candidates, request_id)
        effect = next(plan)
        while True:
            if isinstance(effect, Sleep):
                await self._asleep(effect.seconds)
                effect = plan.send(None)
                continue
            t0 = self._clock()
            try:
                response = await effect.provider.achat(effect.request, effect.model)
            except Exception as exc:
                effect = plan.send(Outcome(_as_provider_error(exc, effect.model), self._clock() - t0))
                continue
            try:
                effect = plan.send(Outcome(None, self._clock() - t0))
            except StopIteration as done:
                return self._result(done.value, response)

    async def astream(
        self, request: ChatRequest, candidates: Sequence[str], *, request_id: str | None = None
    ) -> AsyncIterator[ChatChunk]:
        """Async `stream`; `aclose()` or cancelling closes the provider's stream."""
        plan = self.plan(request, candidates, request_id)
        effect = next(plan)
        while True:
            if isinstance(effect, Sleep):
                await self._asleep(effect.seconds)
                effect = plan.send(None)
                continue
            t0 = self._clock()
            chunks = effect.provider.astream(effect.request, effect.model)
            try:
                first = await chunks.__anext__()
            except StopAsyncIteration:
                error: ProviderError = BadResponse(
                    "the stream ended before its first chunk", provider=effect.model.provider, model=effect.model.id
                )
            except Exception as exc:
                error = _as_provider_error(exc, effect.model)
            else:
                try:
                    effect = plan.send(Outcome(None, self._clock() - t0))
                except StopIteration as done:
                    chosen: Chosen = done.value
                    break
                continue  # pragma: no cover - the plan always returns after a success
            await _aclose(chunks)
            effect = plan.send(Outcome(error, self._clock() - t0))
        count, chars = 0, 0
        try:
            chunk = first
            while True:
                if chunk.response is not None:
                    chunk = self._final_chunk(chosen, chunk)
                count += 1
                chars += len(chunk.text)
                yield chunk
                try:
                    chunk = await chunks.__anext__()
                except StopAsyncIteration:
                    return
                except Exception as exc:
                    error = _as_provider_error(exc, chosen.model)
                    raise self._interrupted(chosen, error, count, chars, request_id) from exc
        finally:
            await _aclose(chunks)


def _with_timeout(request: ChatRequest, timeout: float) -> ChatRequest:
    """`request` with another (positive) timeout; a field copy, skipping the validation it already passed."""
    return request if request.timeout == timeout else request._evolve(timeout=timeout)


def _with_model(error: ProviderError, model: ModelInfo) -> ProviderError:
    """`error` with the provider and model filled in where the provider left them out."""
    if error.model is None:
        error.model = model.id
    if error.provider is None:
        error.provider = model.provider
    return error


def _as_provider_error(exc: BaseException, model: ModelInfo) -> ProviderError:
    """A provider's failure as a ProviderError (a user-registered provider may raise anything)."""
    if isinstance(exc, ProviderError):
        return _with_model(exc, model)
    if isinstance(exc, A3MError):
        return ProviderError(exc.message, provider=model.provider, model=model.id, retryable=False, hint=exc.hint)
    return ProviderError(
        f"the provider raised {type(exc).__name__}: {str(exc)[:200]}",
        provider=model.provider,
        model=model.id,
        retryable=False,
        hint="A provider must raise ProviderError subclasses; fix or wrap the provider registered for this id.",
    )


def _close(chunks: Iterator[ChatChunk]) -> None:
    close = getattr(chunks, "close", None)
    if close is not None:
        close()


async def _aclose(chunks: AsyncIterator[ChatChunk]) -> None:
    aclose = getattr(chunks, "aclose", None)
    if aclose is not None:
        await aclose()
