"""Shared test setup: a hermetic environment and the path of the shared data sets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from a3m_integrations.evaluation.datasets import data_dir as find_data_dir

ROOT = Path(__file__).resolve().parent.parent
#: The steering repo's data sets (../shared/data beside the checkout, or beside a parent folder);
#: override with A3M_DATA_DIR.
DATA_DIR = find_data_dir()

_PROVIDER_ENV_SUFFIXES = ("_API_KEY", "_API_TOKEN", "_BASE_URL")


@pytest.fixture(autouse=True)
def hermetic_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Strip provider keys and a3m settings from the environment so no test calls a real provider."""
    for name in list(os.environ):
        if name.endswith(_PROVIDER_ENV_SUFFIXES) or (name.startswith("A3M_") and name != "A3M_DATA_DIR"):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The shared data directory; tests that need it fail loudly if it is missing."""
    if not DATA_DIR.is_dir():
        raise FileNotFoundError(f"shared data not found at {DATA_DIR}; clone ../shared beside the project")
    return DATA_DIR
