"""A3MLLM's shape: class hierarchy, fields, metadata from the catalog, construction from a config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from llama_index.core.base.llms.base import BaseLLM
from llama_index.core.llms.function_calling import FunctionCallingLLM

from a3m_integrations.catalog import Catalog
from a3m_integrations.errors import ConfigError
from a3m_integrations.gateway import A3MGateway
from llamaindex_a3m import A3MLLM
from tests.unit.llamaindex.conftest import test_catalog_data


def _gateway(catalog: Catalog, pool: list[str] | None = None) -> A3MGateway:
    return A3MGateway(catalog=catalog, pool=pool, baseline_model=None)


def test_class_hierarchy_and_identity(catalog: Catalog) -> None:
    assert BaseLLM in A3MLLM.__mro__ and FunctionCallingLLM in A3MLLM.__mro__
    llm = A3MLLM(_gateway(catalog))
    assert A3MLLM.class_name() == "a3m_llm"
    assert llm.gateway.catalog is catalog
    fields = A3MLLM.model_fields
    for name in ("model", "temperature", "max_tokens", "timeout", "user", "team", "route", "additional_kwargs"):
        assert fields[name].description, name


def test_metadata_is_the_pools_most_conservative(catalog: Catalog) -> None:
    meta = A3MLLM(_gateway(catalog)).metadata
    assert (meta.context_window, meta.num_output) == (8000, 1000)
    assert meta.is_chat_model and meta.is_function_calling_model  # a tool-capable model is in the pool
    assert meta.model_name == "auto"
    small_only = A3MLLM(_gateway(catalog, ["t/small"])).metadata
    assert not small_only.is_function_calling_model
    pinned = A3MLLM(_gateway(catalog), model="t/big", max_tokens=300).metadata
    assert (pinned.context_window, pinned.num_output, pinned.model_name) == (128000, 300, "t/big")


def test_metadata_follows_field_changes(catalog: Catalog) -> None:
    llm = A3MLLM(_gateway(catalog))
    assert llm.metadata.context_window == 8000
    llm.model = "t/big"
    assert llm.metadata.context_window == 128000


def test_payload_names_whom_calls_are_for_and_no_secret(catalog: Catalog) -> None:
    llm = A3MLLM(_gateway(catalog), user="alice", route="support")
    payload = llm.to_payload()
    assert payload["user"] == "alice" and payload["route"] == "support" and payload["class_name"] == "a3m_llm"
    assert "sk-test-not-used" not in json.dumps(payload, default=str)
    assert "sk-test-not-used" not in repr(llm) + json.dumps(llm.to_dict(), default=str)


def test_built_from_a_config_file_or_mapping(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "models.json"
    path.write_text(json.dumps(test_catalog_data()))
    config = {"catalog": [str(path)], "pool": ["t/big"], "baseline_model": None}
    from_mapping = A3MLLM(config=config)
    assert from_mapping.metadata.context_window == 128000 and from_mapping.config == config
    file = tmp_path / "a3m.json"
    file.write_text(json.dumps(config))
    assert A3MLLM(config=file).config == str(file)
    with pytest.raises(ConfigError, match="not both"):
        A3MLLM(_gateway(catalog), config=config)
    with pytest.raises(ConfigError, match="unknown key"):
        A3MLLM(config={"routers": "x"})


def test_field_validation(catalog: Catalog) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        A3MLLM(_gateway(catalog), temperature=3.0)
    with pytest.raises(ValidationError):
        A3MLLM(_gateway(catalog), max_tokens=0)
