"""The shipped catalog's data: coverage, attribution, tiers, pools and profiles."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

from a3m_integrations.catalog import DEFAULT_CATALOG_PATH as _CATALOG_FILE
from a3m_integrations.catalog import Catalog
from a3m_integrations.errors import InvalidRequest
from a3m_integrations.types import TIERS

CATALOG_PATH = Path(_CATALOG_FILE)

ROOT = Path(__file__).resolve().parents[2]

# Every provider the A3M README (and issue 3) names, by catalog id.
README_PROVIDERS = {
    "Groq": "groq",
    "DeepSeek": "deepseek",
    "Kimi/Moonshot": "moonshot",
    "Qwen/DashScope": "dashscope",
    "Zhipu GLM": "zhipu",
    "Yi": "yi",
    "Baichuan": "baichuan",
    "MiniMax": "minimax",
    "OpenAI": "openai",
    "Anthropic": "anthropic",
    "Google": "google",
    "Mistral": "mistral",
    "Together": "together",
    "Fireworks": "fireworks",
    "OpenRouter": "openrouter",
}
# Providers with their own error/rate-limit quirks: profile name -> provider ids using it.
QUIRK_PROFILES = {
    "moonshot": {"moonshot"},
    "deepseek": {"deepseek"},
    "dashscope": {"dashscope"},
    "zhipu": {"zhipu", "zai"},
    "minimax": {"minimax"},
    "baichuan": {"baichuan"},
    "yi": {"yi"},
    "stepfun": {"stepfun"},
    "siliconflow": {"siliconflow"},
    "volcengine": {"volcengine"},
    "baidu": {"baidu"},
    "tencent": {"tencent", "tencent-tokenhub"},
}
SEED_LOCAL = {
    "id": "local/smollm2-135m-instruct",
    "provider": "local",
    "name": "smollm2-135m-instruct",
    "tier": "free",
    "input_per_1m": "0",
    "output_per_1m": "0",
    "context_window": 8192,
    "max_output": 2048,
    "capabilities": ["json", "streaming"],
    "price_date": "2025-02-07",
    "price_source": "local model, no charge",
    "tokenizer": None,
    "family": "smollm2",
}
_CNY = re.compile(r"CNY ([0-9.]+)/([0-9.]+) per 1M converted at ([0-9.]+) CNY/USD")


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog.load(base=None)


@pytest.fixture(scope="module")
def raw() -> dict[str, object]:
    data: dict[str, object] = json.loads(CATALOG_PATH.read_text(encoding="utf-8"))
    return data


def _builder() -> ModuleType:
    path = ROOT / "scripts" / "build_catalog.py"
    spec = importlib.util.spec_from_file_location("build_catalog", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_catalog", module)
    spec.loader.exec_module(module)
    return module


def test_size_targets(cat: Catalog) -> None:
    assert len(cat.providers) >= 47
    assert len(cat) >= 150
    assert len({m.provider for m in cat}) >= 40  # most providers have priced models, not just an endpoint


@pytest.mark.parametrize(("readme_name", "pid"), sorted(README_PROVIDERS.items()))
def test_every_readme_provider_is_present_with_models(cat: Catalog, readme_name: str, pid: str) -> None:
    assert pid in cat.providers, readme_name
    assert cat.models(provider=pid), f"{readme_name} ({pid}) has no models"


def test_every_remote_provider_says_where_and_with_which_key(cat: Catalog) -> None:
    for pid, p in cat.providers.items():
        assert isinstance(p.profile, str) and p.profile, pid
        if p.api == "local":
            continue
        assert p.base_url and p.base_url.startswith(("https://", "http://localhost")), pid
        assert p.api_key_env and re.fullmatch(r"[A-Z][A-Z0-9_]+", p.api_key_env), pid
        assert p.docs and p.docs.startswith("https://"), pid
        if p.base_url.startswith("http://"):
            assert p.region == "local", f"{pid}: plain http only for servers on this machine"
        if p.auth_header != "Authorization":
            assert p.auth_prefix == "", f"{pid}: a custom auth header carries the bare key"


def test_quirk_profiles_are_named_for_the_provider_that_needs_them(cat: Catalog) -> None:
    for profile, pids in QUIRK_PROFILES.items():
        assert {pid for pid, p in cat.providers.items() if p.profile == profile} == pids, profile
    others = {p.profile for p in cat.providers.values()} - set(QUIRK_PROFILES)
    assert others == {"default"}


def test_the_anthropic_provider_uses_its_own_wire_format(cat: Catalog) -> None:
    p = cat.provider("anthropic")
    assert (p.api, p.auth_header, p.auth_prefix) == ("anthropic", "x-api-key", "")
    assert p.headers["anthropic-version"]


def test_every_model_is_priced_dated_and_attributed(cat: Catalog) -> None:
    for m in cat:
        assert m.provider in cat.providers, m.id
        assert m.id == f"{m.provider}/{m.name}", m.id
        for price in (m.input_per_1m, m.output_per_1m, m.cached_input_per_1m):
            assert price is None or (isinstance(price, Decimal) and price.is_finite() and price >= 0), m.id
        assert re.fullmatch(r"20\d\d-\d\d-\d\d", m.price_date), m.id
        assert m.price_source != "unknown" and len(m.price_source) >= 20, m.id
        assert 0 < m.max_output <= m.context_window, m.id
        assert m.supports("streaming"), m.id
        if m.cached_input_per_1m is not None:
            assert m.cached_input_per_1m <= m.input_per_1m, m.id


def test_tier_matches_price_at_the_free_boundary(cat: Catalog) -> None:
    for m in cat:
        free = m.input_per_1m == 0 and m.output_per_1m == 0
        assert free == (m.tier == "free"), m.id


def test_every_tier_has_models_with_tools(cat: Catalog) -> None:
    for tier in TIERS:
        assert cat.models(tier=tier, capabilities=["tools"]), tier
    assert cat.models(tier="premium", capabilities=["tools", "vision", "json_schema"])


def test_cny_prices_are_converted_as_their_source_says(cat: Catalog) -> None:
    converted = 0
    for m in cat:
        found = _CNY.search(m.price_source)
        if not found:
            continue
        cny_in, cny_out, rate = (Decimal(x) for x in found.groups())
        q = Decimal("0.000001")
        assert m.input_per_1m == (cny_in / rate).quantize(q), m.id
        assert m.output_per_1m == (cny_out / rate).quantize(q), m.id
        converted += 1
    assert converted >= 20


def test_litellm_priced_models_name_the_map_entry(cat: Catalog, raw: dict[str, object]) -> None:
    sources = raw["sources"]
    assert isinstance(sources, dict)
    assert re.search(r"sha256 [0-9a-f]{64}", sources["litellm"])
    from_litellm = [m for m in cat if m.price_source.startswith("LiteLLM ")]
    assert len(from_litellm) >= 150
    assert all(re.search(r"entry '[^']+'; from https://", m.price_source) for m in from_litellm)


def test_the_offline_local_model_is_unchanged(raw: dict[str, object]) -> None:
    models = raw["models"]
    assert isinstance(models, list)
    (local,) = [m for m in models if m["id"] == "local/smollm2-135m-instruct"]
    assert local == SEED_LOCAL


def test_seed_ids_that_still_exist_are_kept(cat: Catalog) -> None:
    for mid in (
        "openai/gpt-4o",
        "openai/gpt-4o-mini",
        "openai/gpt-4.1",
        "openai/gpt-4.1-mini",
        "google/gemini-2.5-pro",
    ):
        assert mid in cat
    assert cat.model("gpt-4o").id == "openai/gpt-4o"


def test_tokenizers_are_ones_tiktoken_has_and_agree_with_it() -> None:
    import tiktoken  # a core dependency

    cat = Catalog.load(base=None)
    names = set(tiktoken.list_encoding_names())
    with_tok = [m for m in cat if m.tokenizer]
    assert len(with_tok) >= 20
    for m in with_tok:
        assert m.tokenizer in names, m.id
        if m.provider in ("openai", "azure"):
            assert tiktoken.encoding_name_for_model(m.name) == m.tokenizer, m.id


def test_pools_resolve_and_cover_what_they_promise(cat: Catalog) -> None:
    default = cat.pool("default")
    assert 15 <= len(default) <= 25
    assert {m.tier for m in default} == set(TIERS)
    assert len({m.provider for m in default}) >= 6
    assert "local/smollm2-135m-instruct" in {m.id for m in default}
    assert cat.resolve(None) == default
    for tier in TIERS:
        assert [m for m in default if m.tier == tier and m.supports("tools")], tier
    china_providers = {pid for pids in QUIRK_PROFILES.values() for pid in pids} | {"iflytek", "xiaomi"}
    china = cat.pool("china")
    assert len(china) >= 40
    assert {m.provider for m in china} == china_providers
    assert {m.id for m in cat if m.provider in {"deepseek", "moonshot", "dashscope", "baichuan"}} <= {
        m.id for m in china
    }
    open_weights = cat.pool("open-weights")
    assert len(open_weights) >= 50
    assert "local/smollm2-135m-instruct" in {m.id for m in open_weights}
    assert not {m.family for m in open_weights} & {"claude", "gemini", "gpt-4o", "gpt-4.1", "gpt-5", "grok"}


def test_a_disabled_id_does_not_answer_through_another_providers_wire_name() -> None:
    # GitHub Models' wire name is "openai/gpt-4.1"; disabling OpenAI's model must not route to GitHub.
    cat = Catalog.load({"models": [{"id": "openai/gpt-4.1", "disabled": True}]})
    assert "github/openai/gpt-4.1" in cat
    assert "openai/gpt-4.1" not in cat
    with pytest.raises(InvalidRequest, match="unknown model"):
        cat.model("openai/gpt-4.1")
    with pytest.raises(InvalidRequest):
        cat.model("openai/gpt-oss-120b")  # Groq/Together wire name, not an OpenAI-hosted model
    assert cat.model("gpt-4.1-mini").id == "openai/gpt-4.1-mini"  # plain wire names still resolve


def test_committed_file_is_compact_and_in_the_builders_format(raw: dict[str, object]) -> None:
    text = CATALOG_PATH.read_text(encoding="utf-8")
    assert len(text.encode()) < 300_000
    models = raw["models"]
    assert isinstance(models, list)
    assert sum(1 for line in text.splitlines() if line.startswith('  {"id": ')) == len(models)
    assert _builder().render(raw) == text  # rebuilding from the same inputs gives the same bytes


def test_builder_refuses_missing_and_deprecated_entries() -> None:
    build = _builder()
    with pytest.raises(build.BuildError, match="no LiteLLM entry 'gpt-4o'"):
        build.build({})
    stale = {"gpt-4o": {"mode": "chat", "deprecation_date": "2020-01-01"}}
    with pytest.raises(build.BuildError, match="gpt-4o: deprecated on 2020-01-01"):
        build.build(stale)
