"""Cost and token totals per model, tier and user, for every chat model of a chain (streaming included).

    with get_a3m_callback() as cb:
        chain.invoke({"question": "..."}, config={"metadata": {"user": "alice"}})
    print(cb)                      # totals
    cb.by_model["openai/gpt-4o-mini"].cost, cb.by_tier["cheap"].total_tokens, cb.by_user["alice"].requests

A3MChatModel answers carry their own cost (the gateway priced them, cache hits cost 0); other
LangChain chat models are priced from the catalog by the name they report (`model_name`, else
the run's `ls_model_name`) and their `usage_metadata`. A model the catalog does not know is
counted in tokens and in `unpriced`, never guessed and never an error. Thread-safe; runs inline.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGeneration, LLMResult
from langchain_core.tracers.context import register_configure_hook

from a3m_integrations.catalog import Catalog, ModelInfo
from a3m_integrations.errors import InvalidRequest
from a3m_integrations.types import Usage
from langchain_a3m._context import CONTEXT_KEY, context_fields
from langchain_a3m._convert import MODEL_PROVIDER

__all__ = ["PROVIDER_CALL_TAG", "A3MCostCallbackHandler", "Totals", "get_a3m_callback"]

#: Tag of the runs a LangChainProvider makes inside the gateway: the gateway's own answer prices them.
PROVIDER_CALL_TAG = "a3m:provider-call"
_DATE_SUFFIX = re.compile(r"-\d{4}-?\d{2}-?\d{2}$|-\d{4}$")
_ZERO = Decimal(0)


@dataclass
class Totals:
    """Tokens and money for one model, tier, user, or everything."""

    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost: Decimal = _ZERO
    saved_cost: Decimal = _ZERO
    cache_hits: int = 0
    unpriced: int = 0  # answers from models the catalog has no price for

    @property
    def total_tokens(self) -> int:
        """Input plus output tokens."""
        return self.input_tokens + self.output_tokens

    def add(self, tokens_in: int, tokens_out: int, cost: Decimal | None, saved: Decimal, cache_hit: bool) -> None:
        """Count one answer."""
        self.requests += 1
        self.input_tokens += tokens_in
        self.output_tokens += tokens_out
        if cost is None:
            self.unpriced += 1
        else:
            self.cost += cost
        self.saved_cost += saved
        self.cache_hits += int(cache_hit)

    def to_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "total_tokens": self.total_tokens,
            "cost": str(self.cost),
            "saved_cost": str(self.saved_cost),
            "cache_hits": self.cache_hits,
            "unpriced": self.unpriced,
        }


@dataclass
class _Run:
    user: str | None
    model_hint: str | None
    provider_hint: str | None
    skip: bool


@dataclass
class _Answer:
    model: str
    tier: str | None
    tokens_in: int
    tokens_out: int
    cost: Decimal | None
    saved: Decimal = _ZERO
    cache_hit: bool = False


def _usage(message: BaseMessage) -> tuple[int, int, int]:
    usage = getattr(message, "usage_metadata", None) or {}
    details = usage.get("input_token_details") or {}
    return int(usage.get("input_tokens", 0)), int(usage.get("output_tokens", 0)), int(details.get("cache_read", 0))


class A3MCostCallbackHandler(BaseCallbackHandler):
    """Totals tokens and cost per model, tier and user over the chat-model runs it sees.

    Args:
        catalog: where other models' prices and tiers come from (default: the shipped catalog).
    """

    run_inline = True

    def __init__(self, catalog: Catalog | None = None) -> None:
        super().__init__()
        self._catalog = catalog
        self._lock = threading.Lock()
        self._runs: dict[UUID, _Run] = {}
        self._known: dict[tuple[str, str | None], ModelInfo | None] = {}
        self.total = Totals()
        self.by_model: dict[str, Totals] = {}
        self.by_tier: dict[str, Totals] = {}
        self.by_user: dict[str, Totals] = {}

    # -- what the handler reports ---------------------------------------------------------------
    @property
    def total_cost(self) -> Decimal:
        """USD over every answer seen."""
        return self.total.cost

    @property
    def total_tokens(self) -> int:
        """Tokens over every answer seen."""
        return self.total.total_tokens

    @property
    def successful_requests(self) -> int:
        """Answers seen."""
        return self.total.requests

    def report(self) -> dict[str, Any]:
        """The totals as plain data (money as strings)."""
        with self._lock:
            return {
                "total": self.total.to_dict(),
                "by_model": {k: v.to_dict() for k, v in sorted(self.by_model.items())},
                "by_tier": {k: v.to_dict() for k, v in sorted(self.by_tier.items())},
                "by_user": {k: v.to_dict() for k, v in sorted(self.by_user.items())},
            }

    def __repr__(self) -> str:
        t = self.total
        return (
            f"Requests: {t.requests} (cache hits {t.cache_hits}, unpriced {t.unpriced})\n"
            f"Tokens: {t.total_tokens} (input {t.input_tokens}, output {t.output_tokens})\n"
            f"Cost (USD): ${t.cost} (saved ${t.saved_cost})"
        )

    # -- callbacks --------------------------------------------------------------------------------
    def on_chat_model_start(
        self,
        serialized: dict[str, Any],
        messages: list[list[BaseMessage]],
        *,
        run_id: UUID,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self._start(run_id, tags, metadata, kwargs.get("invocation_params"))

    def on_llm_start(
        self,
        serialized: dict[str, Any],
        prompts: list[str],
        *,
        run_id: UUID,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self._start(run_id, tags, metadata, kwargs.get("invocation_params"))

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> None:
        with self._lock:
            run = self._runs.pop(run_id, None)
        if run is None or run.skip:
            return
        for generations in response.generations:
            for generation in generations:
                if isinstance(generation, ChatGeneration):
                    answer = self._answer(generation.message, run)
                    if answer is not None:
                        self._count(answer, run.user)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        with self._lock:
            self._runs.pop(run_id, None)

    # -- helpers ------------------------------------------------------------------------------------
    def _start(
        self, run_id: UUID, tags: list[str] | None, metadata: Mapping[str, Any] | None, params: Mapping[str, Any] | None
    ) -> None:
        metadata = metadata or {}
        fields = context_fields({"metadata": metadata})
        a3m_fields = (params or {}).get(CONTEXT_KEY)
        if isinstance(a3m_fields, Mapping):
            fields.update(a3m_fields)
        run = _Run(
            user=fields.get("user"),
            model_hint=metadata.get("ls_model_name"),
            provider_hint=metadata.get("ls_provider"),
            skip=PROVIDER_CALL_TAG in (tags or ()),
        )
        with self._lock:
            self._runs[run_id] = run

    def _answer(self, message: BaseMessage, run: _Run) -> _Answer | None:
        meta = message.response_metadata
        tokens_in, tokens_out, cached = _usage(message)
        if meta.get("model_provider") == MODEL_PROVIDER and "cost" in meta:  # priced by the gateway
            return _Answer(
                model=str(meta.get("model_name")),
                tier=meta.get("tier"),
                tokens_in=tokens_in,
                tokens_out=tokens_out,
                cost=Decimal(str(meta["cost"])),
                saved=Decimal(str(meta.get("saved_cost") or "0")),
                cache_hit=bool(meta.get("cache_hit")),
            )
        name = meta.get("model_name") or meta.get("model") or run.model_hint
        if not name:
            return None
        info = self._lookup(str(name), run.provider_hint)
        if info is None:
            return _Answer(model=str(name), tier=None, tokens_in=tokens_in, tokens_out=tokens_out, cost=None)
        usage = Usage(tokens_in, tokens_out, cached_input_tokens=min(cached, tokens_in))
        from a3m_integrations.cost.pricing import cost_of

        return _Answer(info.id, info.tier, tokens_in, tokens_out, cost_of(info, usage))

    def _lookup(self, name: str, provider: str | None) -> ModelInfo | None:
        key = (name, provider)
        if key in self._known:
            return self._known[key]
        catalog = self._catalog or Catalog.default()
        found: ModelInfo | None = None
        bare = _DATE_SUFFIX.sub("", name)
        for candidate in (name, f"{provider}/{name}" if provider else None, bare, f"{provider}/{bare}"):
            if candidate and candidate in catalog:
                try:
                    found = catalog.model(candidate)
                    break
                except InvalidRequest:
                    continue
        self._known[key] = found
        return found

    def _count(self, answer: _Answer, user: str | None) -> None:
        keys = [(self.by_model, answer.model), (self.by_tier, answer.tier or "unknown")]
        if user:
            keys.append((self.by_user, user))
        with self._lock:
            for table, key in keys:
                table.setdefault(key, Totals()).add(
                    answer.tokens_in, answer.tokens_out, answer.cost, answer.saved, answer.cache_hit
                )
            self.total.add(answer.tokens_in, answer.tokens_out, answer.cost, answer.saved, answer.cache_hit)


_callback_var: ContextVar[A3MCostCallbackHandler | None] = ContextVar("a3m_cost_callback", default=None)
register_configure_hook(_callback_var, inheritable=True)


@contextmanager
def get_a3m_callback(catalog: Catalog | None = None) -> Iterator[A3MCostCallbackHandler]:
    """A cost handler attached to every LangChain run inside the `with` block (like `get_openai_callback`)."""
    handler = A3MCostCallbackHandler(catalog)
    token = _callback_var.set(handler)
    try:
        yield handler
    finally:
        _callback_var.reset(token)
