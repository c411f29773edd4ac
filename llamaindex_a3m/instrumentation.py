"""Cost tracking from LlamaIndex's own instrumentation: tokens and cost per model, user and tier.

    tracker = A3MCostTracker().attach()        # an event handler and a span handler on the root dispatcher
    query_engine.query("...")                  # any LLM: A3MLLM, OpenAI, OpenAILike, Ollama, ...
    print(tracker.summary())

The event handler reads `LLMChatStartEvent` / `LLMCompletionStartEvent` (model, per-call
keywords, instrument tags), the in-progress events of streams (deltas, any usage a chunk
reports) and the end events, and prices each call (see `_measure`): A3MLLM answers carry the
gateway's exact cost; other LLMs are priced from the catalog by model name, with their reported
usage or, when they report none (most streams: llama_index #19740), an offline token count of the
prompt and of what was streamed. A stream closed early is counted for what arrived.

The span handler only learns which span encloses which, so a call made inside another LLM call
(LlamaIndex's `CustomLLM` derives `chat` from a decorated `complete`; `StructuredLLM` calls its
inner LLM) is counted once, at the innermost call, where the real usage is.

Attribution: `user`, `team`, `route` from the A3MLLM answer, else from `instrument_tags` (the
`llama_index_instrumentation.dispatcher.instrument_tags` context manager), else from the call's
keywords. Every method is thread-safe.
"""

from __future__ import annotations

import inspect
import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from llama_index.core.bridge.pydantic import PrivateAttr
from llama_index.core.instrumentation.event_handlers import BaseEventHandler
from llama_index.core.instrumentation.events import BaseEvent
from llama_index.core.instrumentation.events.exception import ExceptionEvent
from llama_index.core.instrumentation.events.llm import (
    LLMChatEndEvent,
    LLMChatInProgressEvent,
    LLMChatStartEvent,
    LLMCompletionEndEvent,
    LLMCompletionInProgressEvent,
    LLMCompletionStartEvent,
)
from llama_index.core.instrumentation.span import BaseSpan
from llama_index.core.instrumentation.span_handlers import BaseSpanHandler
from llama_index_instrumentation import get_dispatcher
from llama_index_instrumentation.dispatcher import Dispatcher

from a3m_integrations.catalog import Catalog
from llamaindex_a3m._measure import LLMCall, measure, reported_usage

__all__ = ["A3MCostTracker", "LLMCall", "a3m_tokenizer"]

_START = (LLMChatStartEvent, LLMCompletionStartEvent)
_PROGRESS = (LLMChatInProgressEvent, LLMCompletionInProgressEvent)
_END = (LLMChatEndEvent, LLMCompletionEndEvent)
_MAX_PENDING = 10_000
_MAX_DEPTH = 64


@dataclass
class _Pending:
    """A call that started and has not ended."""

    model_name: str | None
    llm: str
    prompt: str | Sequence[Any]
    who: dict[str, Any]
    parent: str | None  # the enclosing pending call, if any
    covered: bool = False  # a call nested in this one was counted
    chunks: int = 0
    deltas: list[str] = field(default_factory=list)
    last: Any = None
    usage: tuple[int, int] | None = None


@dataclass
class _Totals:
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost: Decimal = Decimal(0)
    unpriced_calls: int = 0
    counted_calls: int = 0
    streamed_calls: int = 0

    def add(self, call: LLMCall) -> None:
        self.calls += 1
        self.input_tokens += call.input_tokens
        self.output_tokens += call.output_tokens
        if call.cost is None:
            self.unpriced_calls += 1
        else:
            self.cost += call.cost
        self.counted_calls += call.source == "counted"
        self.streamed_calls += call.streamed

    def to_dict(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "total_tokens": self.input_tokens + self.output_tokens,
            "cost": self.cost,
            "unpriced_calls": self.unpriced_calls,
            "counted_calls": self.counted_calls,
            "streamed_calls": self.streamed_calls,
        }


def _who(event: BaseEvent, *sources: Mapping[str, Any]) -> dict[str, Any]:
    """user/team/route from the event's instrument tags, else the first source that has them."""
    out = {}
    for key in ("user", "team", "route"):
        found = [m.get(key) for m in (event.tags or {}, *sources) if m.get(key) is not None]
        out[key] = found[0] if found else None
    return out


class _EventHandler(BaseEventHandler):
    _tracker: A3MCostTracker = PrivateAttr()

    @classmethod
    def class_name(cls) -> str:
        return "A3MCostEventHandler"

    def handle(self, event: BaseEvent, **kwargs: Any) -> None:
        self._tracker.handle(event)


class _SpanHandler(BaseSpanHandler[BaseSpan]):
    _tracker: A3MCostTracker = PrivateAttr()

    @classmethod
    def class_name(cls) -> str:
        return "A3MCostSpanHandler"

    def span_enter(
        self,
        id_: str,
        bound_args: inspect.BoundArguments,
        instance: Any = None,
        parent_id: str | None = None,
        tags: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self._tracker.span_opened(id_, parent_id)

    def span_exit(
        self, id_: str, bound_args: inspect.BoundArguments, instance: Any = None, result: Any = None, **kwargs: Any
    ) -> None:
        self._tracker.span_closed(id_, failed=False)

    def span_drop(
        self,
        id_: str,
        bound_args: inspect.BoundArguments,
        instance: Any = None,
        err: BaseException | None = None,
        **kwargs: Any,
    ) -> None:
        self._tracker.span_closed(id_, failed=True)

    def new_span(self, *args: Any, **kwargs: Any) -> None:
        """Spans are not kept: only their parents are."""

    def prepare_to_exit_span(self, *args: Any, **kwargs: Any) -> None:
        """Spans are not kept: only their parents are."""

    def prepare_to_drop_span(self, *args: Any, **kwargs: Any) -> None:
        """Spans are not kept: only their parents are."""


class A3MCostTracker:
    """Totals tokens and cost of every LlamaIndex LLM call, per model, user and tier.

    Args:
        catalog: prices and tiers (default: the shipped catalog, plus A3M_CATALOG).
        keep_calls: how many recent calls `calls()` keeps.
    """

    def __init__(self, catalog: Catalog | None = None, *, keep_calls: int = 1000) -> None:
        self.catalog = catalog or Catalog.default()
        self._lock = threading.Lock()
        self._pending: dict[str, _Pending] = {}
        self._parents: dict[str, str | None] = {}
        self._recent: deque[LLMCall] = deque(maxlen=keep_calls)
        self._total = _Totals()
        self._groups: dict[str, dict[str, _Totals]] = {"model": {}, "user": {}, "tier": {}}
        self.errors = 0
        self.event_handler = _EventHandler()
        self.event_handler._tracker = self
        self.span_handler = _SpanHandler()
        self.span_handler._tracker = self
        self._dispatcher: Dispatcher | None = None

    # -- wiring ---------------------------------------------------------------------------------------
    def attach(self, dispatcher: Dispatcher | None = None) -> A3MCostTracker:
        """Add the event and span handlers to `dispatcher` (default: the root dispatcher)."""
        target = dispatcher or get_dispatcher()
        if self._dispatcher is None:
            target.add_event_handler(self.event_handler)
            target.add_span_handler(self.span_handler)
            self._dispatcher = target
        return self

    def detach(self) -> None:
        """Remove the handlers from the dispatcher they were added to."""
        target, self._dispatcher = self._dispatcher, None
        if target is not None:
            target.event_handlers = [h for h in target.event_handlers if h is not self.event_handler]
            target.span_handlers = [h for h in target.span_handlers if h is not self.span_handler]

    def __enter__(self) -> A3MCostTracker:
        return self.attach()

    def __exit__(self, *exc: object) -> None:
        self.detach()

    # -- spans ------------------------------------------------------------------------------------------
    def span_opened(self, span_id: str, parent_id: str | None) -> None:
        """Remember which span encloses `span_id` while it is open."""
        with self._lock:
            self._parents[span_id] = parent_id

    def span_closed(self, span_id: str, *, failed: bool) -> None:
        """Forget a span; a call whose span failed before it ended is dropped (it was not answered)."""
        with self._lock:
            self._parents.pop(span_id, None)
            if failed and self._pending.pop(span_id, None) is not None:
                self.errors += 1

    def _enclosing_call(self, span_id: str) -> str | None:
        parent = self._parents.get(span_id)
        for _ in range(_MAX_DEPTH):
            if parent is None or parent in self._pending:
                return parent
            parent = self._parents.get(parent)
        return None

    # -- events -----------------------------------------------------------------------------------------
    def handle(self, event: BaseEvent) -> None:
        """Take one instrumentation event (the event handler calls this)."""
        key = event.span_id or "-"
        if isinstance(event, _START):
            self._start(key, event)
        elif isinstance(event, _PROGRESS):
            with self._lock:
                pending = self._pending.get(key)
                if pending is not None:
                    pending.chunks += 1
                    pending.deltas.append(event.response.delta or "")
                    pending.last = event.response
                    pending.usage = reported_usage(event.response) or pending.usage
        elif isinstance(event, _END):
            self._end(key, event.response, event, complete=True)
        elif isinstance(event, ExceptionEvent):
            with self._lock:
                pending = self._pending.get(key)
                partial = pending is not None and pending.chunks > 0
            if partial:
                self._end(key, None, event, complete=False)

    def _start(self, key: str, event: LLMChatStartEvent | LLMCompletionStartEvent) -> None:
        model = event.model_dict.get("model_name") or event.model_dict.get("model")
        prompt = event.messages if isinstance(event, LLMChatStartEvent) else event.prompt
        with self._lock:
            if len(self._pending) >= _MAX_PENDING:  # streams never consumed: forget the oldest
                self._pending.pop(next(iter(self._pending)))
            self._pending[key] = _Pending(
                model_name=str(model) if model else None,
                llm=str(event.model_dict.get("class_name", "LLM")),
                prompt=prompt,
                who=_who(event, event.additional_kwargs, event.model_dict),
                parent=self._enclosing_call(key),
            )

    def _end(self, key: str, response: Any, event: BaseEvent, *, complete: bool) -> None:
        with self._lock:
            pending = self._pending.pop(key, None)
        if pending is None:  # attached mid-call: only what the answer says
            messages = getattr(event, "messages", None)
            prompt = getattr(event, "prompt", None) or messages or ""
            pending = _Pending(None, "LLM", prompt, _who(event), None)
        if pending.covered:
            return
        measured = measure(
            self.catalog,
            model_name=pending.model_name,
            prompt=pending.prompt,
            response=response if response is not None else pending.last,
            streamed_text="".join(pending.deltas),
            stream_usage=pending.usage,
        )
        who = {k: measured.who.get(k) or pending.who.get(k) for k in ("user", "team", "route")}
        call = LLMCall(
            model=measured.model,
            tier=measured.tier,
            input_tokens=measured.input_tokens,
            output_tokens=measured.output_tokens,
            cost=measured.cost,
            source=measured.source,
            streamed=pending.chunks > 0,
            complete=complete,
            llm=pending.llm,
            **who,
        )
        self.record(call, parent=pending.parent)

    # -- totals -------------------------------------------------------------------------------------------
    def record(self, call: LLMCall, *, parent: str | None = None) -> None:
        """Add one call to the totals (the handlers call this; tests and importers may too)."""
        with self._lock:
            if parent is not None and parent in self._pending:
                self._pending[parent].covered = True
            self._recent.append(call)
            self._total.add(call)
            for group, key in (("model", call.model), ("user", call.user), ("tier", call.tier)):
                self._groups[group].setdefault(key or "unattributed", _Totals()).add(call)

    def calls(self) -> list[LLMCall]:
        """The most recent calls, oldest first."""
        with self._lock:
            return list(self._recent)

    def summary(self) -> dict[str, Any]:
        """Totals (cost as Decimal USD) overall and by model, user and tier."""
        with self._lock:
            out = self._total.to_dict()
            for group, totals in self._groups.items():
                out[f"by_{group}"] = {k: t.to_dict() for k, t in sorted(totals.items())}
            out["errors"] = self.errors
            out["pending"] = len(self._pending)
        return out

    def reset(self) -> None:
        """Forget every total and recorded call."""
        with self._lock:
            self._recent.clear()
            self._total = _Totals()
            self._groups = {"model": {}, "user": {}, "tier": {}}
            self.errors = 0


def a3m_tokenizer(model: str | None = None) -> Callable[[str], list[int]]:
    """A `TokenCountingHandler(tokenizer=...)` that works offline and counts like the core does.

    `model` is a catalog id or a model name (None: an OpenAI model, o200k_base). Models whose
    tokenizer is public (OpenAI's) get their tiktoken encoding from the BPE files the core ships;
    others get the core's documented estimate, as a list of that many placeholder ids.
    """
    from a3m_integrations.cost import _bpe
    from a3m_integrations.cost.tokens import count_text, tokenizer_for

    info = tokenizer_for(model)
    encoding = _bpe.load_encoding(info.encoding) if info.encoding else None
    if encoding is not None:
        encode: Callable[[str], list[int]] = encoding.encode_ordinary
        return encode

    def estimate(text: str) -> list[int]:
        return [0] * count_text(text, model)

    return estimate
