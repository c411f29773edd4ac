"""Core request and response types.

Light, validated, immutable records (`_record.Record`: slotted classes with explicit `__init__`;
no pydantic, no dataclasses, nothing heavier than the standard library), so `a3m route` starts
fast. Copy with `.replace(field=...)`. Every type has `to_dict()` and a matching `from_dict()` for
JSON (CLI output, cache persistence, config). Validation errors are `InvalidRequest` naming the field.
"""

from a3m_integrations._types_exchange import (
    ChatChunk,
    ChatRequest,
    ChatResponse,
    RequestContext,
    RoutingDecision,
    Usage,
)
from a3m_integrations._types_messages import (
    ROLES,
    TIERS,
    ContentPart,
    ImagePart,
    Message,
    ResponseFormat,
    Role,
    TextPart,
    Tier,
    ToolCall,
    ToolCallDelta,
    ToolSpec,
    tier_index,
)

__all__ = [
    "ROLES",
    "TIERS",
    "ChatChunk",
    "ChatRequest",
    "ChatResponse",
    "ContentPart",
    "ImagePart",
    "Message",
    "RequestContext",
    "ResponseFormat",
    "Role",
    "RoutingDecision",
    "TextPart",
    "Tier",
    "ToolCall",
    "ToolCallDelta",
    "ToolSpec",
    "Usage",
    "tier_index",
]
