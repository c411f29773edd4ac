"""OpenAICompatibleProvider: OpenAI and every provider that speaks the chat-completions format.

Base URL, auth header and the environment variable holding the key come from the catalog's
ProviderInfo. Streams ask for usage (`stream_options.include_usage`, unless the provider's profile
says it rejects it); when a provider sends none, usage is counted and marked `estimated=True`.
"""

from __future__ import annotations

from typing import Any

from a3m_integrations._secrets import Secret
from a3m_integrations.catalog import ModelInfo, ProviderInfo
from a3m_integrations.providers import _openai_wire as wire
from a3m_integrations.providers._http import HTTPProvider, StreamDecoder
from a3m_integrations.types import ChatRequest, ChatResponse

__all__ = ["OpenAICompatibleProvider"]


class OpenAICompatibleProvider(HTTPProvider):
    """Calls `{base_url}/chat/completions` with httpx; sync, async and streaming.

    Example:
        provider = OpenAICompatibleProvider(catalog.provider("deepseek"))
        answer = provider.chat(ChatRequest.of("Hi"), catalog.model("deepseek/deepseek-chat"))
    """

    path = "/chat/completions"

    @classmethod
    def from_url(
        cls, base_url: str, *, id: str = "custom", api_key: Secret | str | None = None, **kwargs: Any
    ) -> OpenAICompatibleProvider:
        """A provider for any OpenAI-compatible endpoint not in the catalog."""
        return cls(ProviderInfo(id=id, name=id, api="openai", base_url=base_url), api_key=api_key, **kwargs)

    def _build(self, request: ChatRequest, model: ModelInfo, *, stream: bool) -> dict[str, Any]:
        return wire.build_body(request, model.name, stream=stream, stream_usage=self.profile.stream_usage)

    def _parse(self, data: Any, request: ChatRequest, model: ModelInfo) -> ChatResponse:
        return wire.parse_completion(data, request, model, self.id)

    def _decoder(self, request: ChatRequest, model: ModelInfo) -> StreamDecoder:
        return wire.OpenAIStreamDecoder(request, model, self.id)
