from __future__ import annotations

from a3m_integrations import _signal_tables
from a3m_integrations._signal_build import build


def test_shipped_tables_equal_a_fresh_build_from_the_lexicon() -> None:
    """Edit _lexicon.py, then run `python scripts/build_signal_tables.py`; this fails until you do."""
    fresh = build()
    for name, value in fresh.items():
        shipped = getattr(_signal_tables, name)
        assert shipped == value, f"{name} is stale: run scripts/build_signal_tables.py"
