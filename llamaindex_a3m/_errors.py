"""Errors of the LlamaIndex adapters: a3m errors that are also the `ValueError` LlamaIndex code expects.

```
A3MError
└── ProviderError
    └── BadResponse
        ├── ToolCallMissing       (also ValueError) the answer holds no tool call, and one was required
        └── StructuredOutputError (also ValueError) the answer does not fit the requested output class
```
"""

from __future__ import annotations

from a3m_integrations.errors import BadResponse

__all__ = ["StructuredOutputError", "ToolCallMissing"]


class ToolCallMissing(BadResponse, ValueError):
    """The model answered without calling a tool where a tool call was required."""

    default_hint = (
        "Pass tool_required=True (or tool_choice='required') so the model must call a tool, "
        "or call with error_on_no_tool_call=False to accept a text answer."
    )


class StructuredOutputError(BadResponse, ValueError):
    """The model's answer is not valid JSON for the requested output class."""

    default_hint = (
        "Retry, pin a model with the json_schema capability, or loosen the output class "
        "(optional fields, fewer constraints)."
    )
