"""AnthropicProvider: the Messages API (system prompt, tool_use blocks, SSE events, usage) on httpx."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from a3m_integrations._secrets import Secret
from a3m_integrations.catalog import ModelInfo, ProviderInfo
from a3m_integrations.providers import _anthropic_wire as wire
from a3m_integrations.providers._http import HTTPProvider, StreamDecoder
from a3m_integrations.types import ChatRequest, ChatResponse

__all__ = ["ANTHROPIC_VERSION", "AnthropicProvider"]

#: The API version header sent when the catalog names none.
ANTHROPIC_VERSION = "2023-06-01"


class AnthropicProvider(HTTPProvider):
    """Calls `{base_url}/messages` with httpx; sync, async and streaming.

    The key goes in the header the catalog names (`x-api-key` for Anthropic) with no prefix.
    """

    path = "/messages"

    def __init__(
        self,
        info: ProviderInfo,
        *,
        api_key: Secret | str | None = None,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        version = info.headers.get("anthropic-version", ANTHROPIC_VERSION)
        merged = {"anthropic-version": version, **dict(headers or {})}
        super().__init__(info, api_key=api_key, headers=merged, **kwargs)

    def _build(self, request: ChatRequest, model: ModelInfo, *, stream: bool) -> dict[str, Any]:
        return wire.build_body(request, model, stream=stream)

    def _parse(self, data: Any, request: ChatRequest, model: ModelInfo) -> ChatResponse:
        return wire.parse_message(data, request, model, self.id)

    def _decoder(self, request: ChatRequest, model: ModelInfo) -> StreamDecoder:
        return wire.AnthropicStreamDecoder(request, model, self.id)
