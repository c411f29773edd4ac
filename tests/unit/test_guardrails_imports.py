from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import a3m_integrations
import a3m_integrations.guardrails as guardrails

ROOT = Path(__file__).resolve().parents[2]


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys; print('\\n'.join(sorted(sys.modules)))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(out.stdout.split())


def test_routing_path_does_not_load_guardrails_or_numpy() -> None:
    loaded = _modules_after("import a3m_integrations, a3m_integrations.routing.base, a3m_integrations.guardrails.base")
    assert "a3m_integrations.guardrails.engine" not in loaded
    assert "a3m_integrations.guardrails._rules" not in loaded
    assert "numpy" not in loaded


def test_engine_import_is_light_until_first_check() -> None:
    loaded = _modules_after("from a3m_integrations.guardrails import GuardrailEngine; GuardrailEngine()")
    assert "a3m_integrations.guardrails.engine" in loaded
    assert "numpy" not in loaded  # numpy and the model load on the first scored text


def test_public_names() -> None:
    assert guardrails.GuardrailEngine is a3m_integrations.GuardrailEngine
    assert {"GuardrailEngine", "GuardrailPolicy", "InjectionPolicy", "PiiPolicy", "guard_metadata"} <= set(
        guardrails.__all__
    )
