"""A3MEmbedding and the offline n-gram hashing embedder."""

from __future__ import annotations

import numpy as np
import pytest
from llama_index.core import Document, VectorStoreIndex

from a3m_integrations.errors import ConfigError
from llamaindex_a3m import A3MEmbedding
from llamaindex_a3m.embeddings import NgramHashEmbedder, default_embedder, stem

DOCS = [
    "A non-compete clause restricts an employee from working for competitors after leaving.",
    "To bake sourdough bread, feed the starter, mix flour and water, proof overnight, and bake hot.",
    "The statute of limitations for breach of contract claims is usually six years.",
    "Roast vegetables at 200C with olive oil and salt until caramelised.",
]


def test_stems_join_inflections() -> None:
    assert stem("baking") == stem("bake") == stem("baked") == "bak"
    assert stem("recipes") == stem("recipe")
    assert stem("cat") == "cat"


def test_vectors_are_deterministic_unit_rows() -> None:
    e = NgramHashEmbedder(64)
    a = e.embed(["baking bread", "baking bread", "the of and"])
    assert a.shape == (3, 64) and a.dtype == np.float32
    assert np.allclose(a[0], a[1])
    assert np.isclose(np.linalg.norm(a[0]), 1.0)
    assert not a[2].any()  # only stop words: no features
    assert not np.allclose(NgramHashEmbedder(64, salt="other").embed(["baking bread"])[0], a[0])


def test_related_texts_are_closer_than_unrelated() -> None:
    e = NgramHashEmbedder()
    q, near, far = e.embed(["baked a sourdough loaf", DOCS[1], DOCS[2]])
    assert float(q @ near) > float(q @ far) + 0.1


def test_retrieval_in_a_real_in_memory_index() -> None:
    index = VectorStoreIndex.from_documents([Document(text=t) for t in DOCS], embed_model=A3MEmbedding())
    retriever = index.as_retriever(similarity_top_k=1)
    expected = {
        "how long do I have to sue for a broken contract": 2,
        "baking a sourdough loaf": 1,
        "roasting carrots": 3,
        "non compete agreement": 0,
    }
    for query, doc in expected.items():
        assert retriever.retrieve(query)[0].node.get_content() == DOCS[doc], query


def test_wraps_any_core_embedder_and_rejects_others() -> None:
    inner = NgramHashEmbedder(32)
    emb = A3MEmbedding(inner)
    assert emb.dim == 32 and emb.model_name == inner.name
    assert len(emb.get_query_embedding("hello world")) == 32
    assert len(emb.get_text_embedding_batch(["a b", "c d"])) == 2
    assert default_embedder(48).dim == 48
    with pytest.raises(ConfigError):
        A3MEmbedding(object())
    with pytest.raises(ConfigError):
        NgramHashEmbedder(8)
