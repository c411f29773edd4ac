"""Token counting: offline encodings equal tiktoken's, chat counts match the OpenAI cookbook recipe."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import logging
import os
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest

from a3m_integrations.catalog import Catalog
from a3m_integrations.cost import _bpe, tokens
from a3m_integrations.cost.estimate import approx_tokens
from a3m_integrations.cost.tokens import (
    count_message,
    count_messages,
    count_request,
    count_text,
    count_tools,
    tokenizer_for,
)
from a3m_integrations.types import ChatRequest, ImagePart, Message, TextPart, ToolCall, ToolSpec

ROOT = Path(__file__).resolve().parents[2]


def _llama_cache() -> Path:
    spec = importlib.util.find_spec("llama_index.core")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "_static" / "tiktoken_cache"


@pytest.fixture(scope="module")
def tiktoken_ref() -> Any:
    """tiktoken's own encodings, loaded from llama-index-core's cached BPE files (no network)."""
    import tiktoken

    old = os.environ.get("TIKTOKEN_CACHE_DIR")
    os.environ["TIKTOKEN_CACHE_DIR"] = str(_llama_cache())
    try:
        return {name: tiktoken.get_encoding(name) for name in ("o200k_base", "cl100k_base")}
    finally:
        if old is None:
            del os.environ["TIKTOKEN_CACHE_DIR"]
        else:
            os.environ["TIKTOKEN_CACHE_DIR"] = old


# ---- the OpenAI cookbook's recipe, written out independently as the reference ----
def cookbook_messages(messages: list[dict[str, str]], encoding: Any) -> int:
    n = 0
    for message in messages:
        n += 3
        for key, value in message.items():
            n += len(encoding.encode(value))
            if key == "name":
                n += 1
    return n + 3


def cookbook_tools(functions: list[dict[str, Any]], encoding: Any, func_init: int) -> int:
    n = 0
    for f in functions:
        n += func_init
        fn = f["function"]
        n += len(encoding.encode(fn["name"] + ":" + fn["description"].removesuffix(".")))
        props = fn["parameters"]["properties"]
        if props:
            n += 3
            for key, prop in props.items():
                n += 3
                if "enum" in prop:
                    n += -3
                    for item in prop["enum"]:
                        n += 3 + len(encoding.encode(item))
                n += len(encoding.encode(f"{key}:{prop['type']}:{prop['description'].removesuffix('.')}"))
    return n + 12 if functions else n


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base"])
def test_offline_encodings_equal_tiktoken(name: str, tiktoken_ref: Any) -> None:
    ours = _bpe.load_encoding(name)
    ref = tiktoken_ref[name]
    assert ours is not None
    assert ours._pat_str == ref._pat_str
    assert ours._special_tokens == ref._special_tokens
    assert ours.n_vocab == ref.n_vocab
    samples = ["Hello, world!", "  indented\n\tcode();", "お誕生日おめでとう", "12345678 + 0.5e-3", "<|endoftext|> x"]
    for text in samples:
        assert ours.encode_ordinary(text) == ref.encode_ordinary(text)


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base"])
def test_shipped_file_is_openais_data(name: str) -> None:
    """The compact shipped file rebuilds OpenAI's .tiktoken byte for byte (the SHA-256 tiktoken pins)."""
    spec = _bpe.ENCODINGS[name]
    payload = zlib.decompress((_bpe._DATA_DIR / f"{name}.bpe.z").read_bytes())
    ranks = _bpe._parse_compact(payload)
    assert len(ranks) == spec.n_ranks
    text = b"".join(base64.b64encode(tok) + b" " + str(rank).encode() + b"\n" for tok, rank in ranks.items())
    assert hashlib.sha256(text).hexdigest() == spec.tiktoken_sha256
    assert (_bpe._DATA_DIR / "LICENSE-tiktoken.txt").read_text().startswith("MIT License")


def test_cookbook_published_counts() -> None:
    """The cookbook's examples, whose counts it checked against the OpenAI API (124 and 101 prompt tokens)."""
    jargon = [
        Message(
            "system",
            "You are a helpful, pattern-following assistant that translates corporate jargon into plain English.",
        ),
        Message("system", "New synergies will help drive top-line growth.", name="example_user"),
        Message("system", "Things working well together will increase revenue.", name="example_assistant"),
        Message(
            "system",
            "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.",
            name="example_user",
        ),
        Message("system", "Let's talk later when we're less busy about how to do better.", name="example_assistant"),
        Message("user", "This late pivot means we don't have time to boil the ocean for the client deliverable."),
    ]
    assert count_messages(jargon, "openai/gpt-4o-mini") == 124
    weather = ToolSpec(
        "get_current_weather",
        "Get the current weather in a given location",
        {
            "type": "object",
            "properties": {
                "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
                "unit": {
                    "type": "string",
                    "description": "The unit of temperature to return",
                    "enum": ["celsius", "fahrenheit"],
                },
            },
            "required": ["location"],
        },
    )
    request = ChatRequest(
        (
            Message.system("You are a helpful assistant that can answer to questions about the weather."),
            Message.user("What's the weather like in San Francisco?"),
        ),
        tools=(weather,),
    )
    assert count_request(request, "openai/gpt-4o") == 101
    assert count_request(request, "gpt-4") == 105


def _conversations(data_dir: Path) -> list[list[dict[str, str]]]:
    """Real prompts from the shared data sets, shaped into chats of 1 to 5 messages."""
    convs: list[list[dict[str, str]]] = []
    system = {"role": "system", "content": "You are a careful assistant. Answer precisely."}
    for line in (data_dir / "routellm-evals/mt_bench/question.jsonl").read_text().splitlines():
        turns = json.loads(line)["turns"]
        convs.append([system, {"role": "user", "content": turns[0]}])
        if len(turns) > 1:
            convs.append(
                [
                    system,
                    {"role": "user", "content": turns[0]},
                    {"role": "assistant", "content": "Here is my first answer."},
                    {"role": "user", "content": turns[1]},
                ]
            )
    arena = (data_dir / "routerarena-cached/claude-3-haiku-20240307.jsonl").read_text().splitlines()
    for line in arena[:300]:
        row = json.loads(line)
        convs.append(
            [
                {"role": "user", "content": row["question"]},
                {"role": "assistant", "content": row.get("generated_answer") or "", "name": "claude"},
                {"role": "user", "content": "Check your answer and correct it if needed."},
            ]
        )
    for line in (data_dir / "llmrouter-dcrouter/default_query_test.jsonl").read_text().splitlines()[:200]:
        convs.append([system, {"role": "user", "content": json.loads(line)["query"]}])
    for item in json.loads((data_dir / "routerdc-7model/ceval.json").read_text())[:150]:
        convs.append([{"role": "user", "content": item["question"]}])
    return convs


@pytest.mark.parametrize("model", ["openai/gpt-4o", "openai/gpt-4o-mini", "openai/gpt-4.1", "gpt-4", "gpt-3.5-turbo"])
def test_chat_counts_match_cookbook_on_real_conversations(model: str, data_dir: Path, tiktoken_ref: Any) -> None:
    convs = _conversations(data_dir)
    assert len(convs) > 700
    encoding = tiktoken_ref[tokenizer_for(model).encoding]
    worst = 0.0
    exact = 0
    for conv in convs:
        ours = count_messages([Message.from_dict(m) for m in conv], model)
        ref = cookbook_messages(conv, encoding)
        worst = max(worst, abs(ours - ref) / ref)
        exact += ours == ref
    assert worst <= 0.02, f"worst relative error {worst:.4f}"
    assert exact == len(convs)  # the recipe is deterministic: we reproduce it exactly on plain text


def test_tool_counts_match_cookbook(tiktoken_ref: Any) -> None:
    functions = [
        {
            "type": "function",
            "function": {
                "name": f"tool_{i}",
                "description": f"Does thing number {i}. Carefully.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string", "description": "What to look up."},
                        "mode": {"type": "string", "description": "How", "enum": ["fast", "thorough", "cheap"]},
                        "limit": {"type": "integer", "description": "At most this many"},
                    },
                },
            },
        }
        for i in range(5)
    ]
    specs = [ToolSpec.from_dict(f) for f in functions]
    assert count_tools(specs, "openai/gpt-4o") == cookbook_tools(functions, tiktoken_ref["o200k_base"], 7)
    assert count_tools(specs, "gpt-4") == cookbook_tools(functions, tiktoken_ref["cl100k_base"], 10)
    assert count_tools([], "openai/gpt-4o") == 0


def test_encoding_per_catalog_model() -> None:
    catalog = Catalog.default()
    seen = {m.id: tokenizer_for(m) for m in catalog.models()}
    assert seen["openai/gpt-4o"].encoding == "o200k_base" and seen["openai/gpt-4o"].exact
    assert seen["openai/gpt-4.1-mini"].encoding == "o200k_base"
    for model in catalog.models():
        info = seen[model.id]
        if model.tokenizer:  # OpenAI models, also when another provider (Azure, GitHub) serves them
            want = "o200k_base" if model.tokenizer == "o200k_harmony" else model.tokenizer  # same BPE ranks
            assert info.encoding == want and info.exact, model.id
        elif model.provider in ("anthropic", "google", "mistral", "deepseek"):
            assert info.encoding is None and not info.exact, model.id
    assert seen["anthropic/claude-sonnet-4-6"].family == "anthropic"
    assert seen["anthropic/claude-sonnet-4-6"].encoding is None
    assert seen["google/gemini-2.5-flash"].family == "google"
    assert tokenizer_for("gpt-4-turbo").encoding == "cl100k_base"
    assert tokenizer_for("o3-mini").encoding == "o200k_base"
    assert tokenizer_for("mistral-large").encoding is None


def test_estimate_families_track_provider_billing(data_dir: Path) -> None:
    """On 809 real calls each, the estimate's total is within 5 % of what Claude and Gemini billed."""
    for name, model in (
        ("claude-3-haiku-20240307", "anthropic/claude-3-haiku"),
        ("gemini-2.0-flash-001", "google/gemini-2.0-flash"),
    ):
        billed = counted = 0
        for line in (data_dir / f"routerarena-cached/{name}.jsonl").read_text().splitlines():
            row = json.loads(line)
            usage = row["token_usage"] if isinstance(row["token_usage"], dict) else json.loads(row["token_usage"])
            billed += usage["input_tokens"]
            counted += count_messages([Message.user(row["question"])], model)
        assert abs(counted / billed - 1) < 0.05, (name, counted / billed)


def test_images_are_billed_per_family() -> None:
    png = base64.b64encode(
        b"\x89PNG\r\n\x1a\n"
        + b"\x00\x00\x00\rIHDR"
        + (2048).to_bytes(4, "big")
        + (1024).to_bytes(4, "big")
        + b"\x08\x02\x00\x00\x00"
        + b"\x00" * 16
    ).decode()
    wide = ImagePart(f"data:image/png;base64,{png}", detail="high")
    remote = ImagePart("https://example.invalid/cat.jpg")
    from a3m_integrations.cost.images import image_size, image_tokens

    assert image_size(wide) == (2048, 1024)
    assert image_size(remote) is None
    # 2048x1024 -> short side 768 -> 1536x768 -> 3x2 tiles of 512
    assert image_tokens(wide, "openai", "gpt-4o") == 85 + 170 * 6
    assert image_tokens(wide, "openai", "gpt-4o-mini") == 2833 + 5667 * 6
    assert image_tokens(ImagePart(wide.url, detail="low"), "openai", "gpt-4o") == 85
    assert image_tokens(remote, "openai", "gpt-4o") == 765  # assumed 1024x1024: 4 tiles
    assert image_tokens(wide, "anthropic") == round(1568 * 784 / 750 + 0.5)
    assert image_tokens(remote, "google") == 258 * 4
    message = Message("user", (TextPart("What is this?"), wide))
    with_image = count_message(message, "openai/gpt-4o")
    assert with_image == count_message(Message.user("What is this?"), "openai/gpt-4o") + 85 + 170 * 6


def test_tool_calls_and_tool_results_count() -> None:
    call = ToolCall("call_1", "lookup", '{"query": "weather in Paris"}')
    base = count_message(Message.assistant(""), "openai/gpt-4o")
    assert count_message(Message.assistant("", [call]), "openai/gpt-4o") > base + count_text(call.arguments, "gpt-4o")
    tool_msg = Message("tool", "sunny, 21 C", tool_call_id="call_1")
    assert count_message(tool_msg, "openai/gpt-4o") > count_text("sunny, 21 C", "gpt-4o")


def test_fallback_to_estimate_is_logged_once(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(_bpe, "_DATA_DIR", Path("/nonexistent-a3m"))
    monkeypatch.setattr(_bpe, "_cache_dirs", lambda: iter(()))
    monkeypatch.setattr(_bpe, "_cache", {})
    monkeypatch.setattr(_bpe, "_sources", {})
    text = "The quick brown fox jumps over the lazy dog. " * 20
    with caplog.at_level(logging.WARNING, logger="a3m_integrations.cost"):
        first = count_text(text, "openai/gpt-4o")
        second = count_text(text, "openai/gpt-4o")
    assert first == second == approx_tokens(text)
    assert not tokenizer_for("openai/gpt-4o").exact
    assert [r.message for r in caplog.records].count(caplog.records[0].message) == 1
    assert "falls back to the estimate" in caplog.records[0].message


def _fresh_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR")}
    home = tmp_path / "home"
    temp = tmp_path / "tmp"
    home.mkdir()
    temp.mkdir()
    env.update(
        HOME=str(home),
        TMPDIR=str(temp),
        PYTHONPATH=str(ROOT),
        HTTPS_PROXY="http://127.0.0.1:9",
        HTTP_PROXY="http://127.0.0.1:9",
        NO_PROXY="",
    )
    return env


_PROBE = """
import socket, sys, json
def no_network(*a, **k):
    raise RuntimeError("network used")
socket.socket.connect = no_network
socket.create_connection = no_network
{setup}
from a3m_integrations.cost import tokens, _bpe
info = tokens.tokenizer_for("openai/gpt-4o")
llama = any(m.startswith("llama_index") for m in sys.modules)
print(json.dumps({{"exact": info.exact, "n": tokens.count_text("Hello offline world", "openai/gpt-4o"),
                  "source": _bpe.loaded_source("o200k_base"), "llama_imported": llama}}))
"""


def test_counting_works_offline_on_a_fresh_install(tmp_path: Path, tiktoken_ref: Any) -> None:
    """A new process, empty HOME and temp dir, no TIKTOKEN_CACHE_DIR, sockets disabled: still exact."""
    out = subprocess.run(
        [sys.executable, "-c", _PROBE.format(setup="")],
        env=_fresh_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result = json.loads(out.stdout)
    assert result["exact"] is True
    assert result["n"] == len(tiktoken_ref["o200k_base"].encode_ordinary("Hello offline world"))
    assert result["source"] == "a3m_integrations/cost/_bpe_data"
    assert result["llama_imported"] is False
    assert not any((tmp_path / "tmp").iterdir())  # nothing was downloaded into tiktoken's temp cache


def test_without_shipped_files_llama_index_cache_is_used(tmp_path: Path) -> None:
    setup = "from pathlib import Path\nimport a3m_integrations.cost._bpe as b\nb._DATA_DIR = Path('/nonexistent')"
    out = subprocess.run(
        [sys.executable, "-c", _PROBE.format(setup=setup)],
        env=_fresh_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result = json.loads(out.stdout)
    assert result["exact"] is True
    assert result["source"] == str(_llama_cache())
    assert result["llama_imported"] is False


def test_default_model_and_string_ids() -> None:
    assert tokenizer_for(None).encoding == "o200k_base"
    assert count_text("hello world") == count_text("hello world", "openai/gpt-4o") == 2
    assert count_text("", "anthropic/claude-3-5-haiku") == 0
    assert tokens.count_text("hello world", "anthropic/claude-3-5-haiku") == approx_tokens("hello world")
