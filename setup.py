"""Build hook for the optional C extension; everything else is in pyproject.toml.

`a3m_integrations._speedups` is optional: without a compiler the build warns and installs the
pure-Python package, which gives identical results (see docs/architecture.md).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "a3m_integrations._speedups",
            sources=["a3m_integrations/_speedups.c", "a3m_integrations/_speedups_tables.c"],
            depends=["a3m_integrations/_speedups.h"],
            optional=True,
        )
    ]
)
