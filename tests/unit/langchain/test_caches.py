"""A3MSemanticCache on LangChain's own cache path (fake chat model, no network)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from langchain_core.language_models import FakeListChatModel
from langchain_core.load import dumps
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.outputs import ChatGeneration

from a3m_integrations.cache import RoutePolicy, SemanticCache
from a3m_integrations.errors import CacheError
from a3m_integrations.types import RequestContext
from langchain_a3m import A3MSemanticCache
from langchain_a3m.caches import _messages, _request, _settings


def model(cache: A3MSemanticCache, *answers: str) -> FakeListChatModel:
    return FakeListChatModel(responses=list(answers), cache=cache)


def test_identical_and_paraphrased_calls_come_from_the_cache_and_traps_do_not() -> None:
    cache = A3MSemanticCache()
    llm = model(cache, "first", "second", "third")
    assert llm.invoke("How do I reverse a list in Python?").content == "first"
    assert llm.invoke("How do I reverse a list in Python?").content == "first"
    assert llm.invoke("What's the easiest way to reverse a Python list?").content == "first"
    assert llm.invoke("How do I reverse a list in Java?").content == "second"
    stats = cache.cache.stats()
    assert stats["hits_exact"] == 1 and stats["hits_semantic"] == 1


async def test_async_path() -> None:
    cache = A3MSemanticCache()
    llm = model(cache, "a", "b")
    assert (await llm.ainvoke("What is the capital of France?")).content == "a"
    assert (await llm.ainvoke("What's France's capital?")).content == "a"
    assert (await llm.ainvoke("What is the capital of Spain?")).content == "b"


def test_model_parameters_separate_entries() -> None:
    cache = A3MSemanticCache()
    a = FakeListChatModel(responses=["from a"], cache=cache)
    b = FakeListChatModel(responses=["from b", "b again"], cache=cache)
    a.invoke("hi there")
    assert b.invoke("hi there").content == "from b"  # other parameters: another scope
    assert b.invoke("hi there").content == "from b"  # now cached for b
    assert b.invoke("hi there", stop=["\n"]).content == "b again"  # a stop sequence is another key


def test_conversation_prefix_must_match() -> None:
    cache = A3MSemanticCache()
    llm = model(cache, "one", "two", "three")
    history = [SystemMessage("Be brief."), HumanMessage("I use Python 3.12."), AIMessage("Noted.")]
    llm.invoke([*history, HumanMessage("How do I reverse a list?")])
    assert llm.invoke([*history, HumanMessage("What's the easiest way to reverse a list?")]).content == "one"
    other = [SystemMessage("Be brief."), HumanMessage("I use Python 2.7."), AIMessage("Noted.")]
    assert llm.invoke([*other, HumanMessage("How do I reverse a list?")]).content == "two"


def test_prompt_conversion() -> None:
    prompt = dumps(
        [
            SystemMessage("sys"),
            HumanMessage(
                content=[
                    {"type": "text", "text": "look"},
                    {"type": "image_url", "image_url": {"url": "https://x/i.png"}},
                ]
            ),
            AIMessage("", tool_calls=[{"name": "search", "args": {"q": "x"}, "id": "c1"}]),
            ToolMessage("result", tool_call_id="c1"),
            HumanMessage("thanks"),
        ]
    )
    msgs = _messages(prompt)
    assert [m.role for m in msgs] == ["system", "user", "assistant", "tool", "user"]
    assert msgs[1].images[0].url == "https://x/i.png" and msgs[1].text == "look"
    assert msgs[2].tool_calls[0].name == "search" and json.loads(msgs[2].tool_calls[0].arguments) == {"q": "x"}
    assert msgs[3].tool_call_id == "c1"
    assert _messages("plain completion prompt")[0].text == "plain completion prompt"
    assert _messages("[]")[0].text == "[]"


def test_llm_string_parsing() -> None:
    from langchain_openai import ChatOpenAI

    llm = ChatOpenAI(model="gpt-4o-mini", temperature=0.3, api_key="sk-not-used", base_url="http://127.0.0.1:9")
    llm_string = llm._get_llm_string(stop=None)
    assert _settings(llm_string) == ("gpt-4o-mini", 0.3)
    assert _settings("[('model', 'foo'), ('temperature', 0.5)]") == ("foo", 0.5)
    assert _settings("opaque") == (None, None)
    req = _request(dumps([HumanMessage("hi")]), llm_string)
    assert req.model == "gpt-4o-mini" and req.temperature == 0.3
    assert "sk-not-used" not in llm_string


def test_temperature_policy_applies_through_llm_string() -> None:
    from langchain_openai import ChatOpenAI

    cache = A3MSemanticCache(policy=RoutePolicy(max_temperature=0.5))
    hot = ChatOpenAI(model="m", temperature=0.9, api_key="k", base_url="http://127.0.0.1:9")._get_llm_string()
    cache.update(dumps([HumanMessage("hello")]), hot, [ChatGeneration(message=AIMessage("x"))])
    assert cache.lookup(dumps([HumanMessage("hello")]), hot) is None
    assert len(cache.cache) == 0


class Exploding:
    dim = 4
    name = "exploding"

    def embed(self, texts: Any) -> np.ndarray:
        raise RuntimeError("boom")


def test_a_broken_cache_is_a_miss_not_a_failure(caplog: pytest.LogCaptureFixture) -> None:
    cache = A3MSemanticCache(embedder=Exploding())
    llm = model(cache, "answer", "again")
    assert llm.invoke("What is a monad?").content == "answer"  # update failed, logged
    assert llm.invoke("What is a monad?").content == "again"
    assert "treated as a miss" in caplog.text
    strict = A3MSemanticCache(embedder=Exploding(), raise_errors=True)
    with pytest.raises(CacheError):
        strict.update("p", "l", [ChatGeneration(message=AIMessage("x"))])


def test_shared_core_cache_tenant_and_clear(tmp_path: Path) -> None:
    core = SemanticCache(tmp_path)
    alice = A3MSemanticCache(core, context=RequestContext(user="alice"))
    bob = A3MSemanticCache(core, context=RequestContext(user="bob"))
    model(alice, "for alice").invoke("Tell me a joke")
    assert model(bob, "for bob").invoke("Tell me a joke").content == "for bob"
    assert len(core) == 2
    alice.clear(namespace="team=-;user=alice")
    assert len(core) == 1
    bob.clear()
    assert len(core) == 0
