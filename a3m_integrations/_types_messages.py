"""Messages and their parts, tool specs and calls, response formats (re-exported by `types`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from a3m_integrations._record import Record
from a3m_integrations.errors import InvalidRequest

_set = object.__setattr__

__all__ = [
    "ROLES",
    "TIERS",
    "ContentPart",
    "ImagePart",
    "Message",
    "ResponseFormat",
    "Role",
    "TextPart",
    "Tier",
    "ToolCall",
    "ToolCallDelta",
    "ToolSpec",
    "tier_index",
]

Role = Literal["system", "user", "assistant", "tool"]
ROLES: tuple[str, ...] = ("system", "user", "assistant", "tool")
Tier = Literal["free", "cheap", "mid", "premium"]
TIERS: tuple[Tier, ...] = ("free", "cheap", "mid", "premium")


def tier_index(tier: str) -> int:
    """Position of `tier` in TIERS (free=0 ... premium=3); InvalidRequest if unknown."""
    try:
        return TIERS.index(tier)
    except ValueError:
        raise InvalidRequest(f"unknown tier {tier!r}; expected one of {', '.join(TIERS)}", field="tier") from None


def _tuple(value: Iterable[Any] | None) -> tuple[Any, ...]:
    return () if value is None else tuple(value)


class TextPart(Record):
    """A text part of a multimodal message."""

    __slots__ = ("text", "type")
    text: str
    type: Literal["text"]

    def __init__(self, text: str, type: Literal["text"] = "text") -> None:
        _set(self, "text", text)
        _set(self, "type", type)

    def to_dict(self) -> dict[str, Any]:
        return {"type": "text", "text": self.text}


class ImagePart(Record):
    """An image part: an https or data: URL, with the detail level providers bill by."""

    __slots__ = ("detail", "type", "url")
    url: str
    detail: Literal["auto", "low", "high"]
    type: Literal["image"]

    def __init__(
        self, url: str, detail: Literal["auto", "low", "high"] = "auto", type: Literal["image"] = "image"
    ) -> None:
        _set(self, "url", url)
        _set(self, "detail", detail)
        _set(self, "type", type)
        self._validate()

    def _validate(self) -> None:
        if not self.url:
            raise InvalidRequest("image part needs a url (https:// or data:)", field="url")
        if self.detail not in ("auto", "low", "high"):
            raise InvalidRequest(f"image detail must be auto, low or high, not {self.detail!r}", field="detail")

    def to_dict(self) -> dict[str, Any]:
        return {"type": "image", "url": self.url, "detail": self.detail}


ContentPart = TextPart | ImagePart


def _part_from_dict(data: Mapping[str, Any]) -> ContentPart:
    kind = data.get("type")
    if kind == "text":
        return TextPart(str(data.get("text", "")))
    if kind in ("image", "image_url"):
        url = data.get("url")
        if url is None and isinstance(data.get("image_url"), Mapping):
            url = data["image_url"].get("url")
            detail = data["image_url"].get("detail", "auto")
        else:
            detail = data.get("detail", "auto")
        return ImagePart(str(url or ""), detail=detail)
    raise InvalidRequest(f"unknown content part type {kind!r}; use 'text' or 'image'", field="content")


class ToolCall(Record):
    """A tool call the model asked for. `arguments` is the raw JSON text the model produced."""

    __slots__ = ("arguments", "id", "name")
    id: str
    name: str
    arguments: str

    def __init__(self, id: str, name: str, arguments: str = "{}") -> None:
        _set(self, "id", id)
        _set(self, "name", name)
        _set(self, "arguments", arguments)

    def parsed_arguments(self) -> dict[str, Any]:
        """The arguments as a dict; InvalidRequest if the model produced invalid JSON."""
        try:
            value = json.loads(self.arguments or "{}")
        except json.JSONDecodeError as exc:
            raise InvalidRequest(
                f"tool call {self.name!r} has arguments that are not valid JSON ({exc.msg})",
                field="arguments",
                hint="Ask the model again or repair the arguments before running the tool.",
            ) from None
        if not isinstance(value, dict):
            raise InvalidRequest(f"tool call {self.name!r} arguments must be a JSON object", field="arguments")
        return value

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "arguments": self.arguments}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ToolCall:
        args = data.get("arguments", "{}")
        return cls(
            id=str(data.get("id", "")),
            name=str(data["name"]),
            arguments=args if isinstance(args, str) else json.dumps(args),
        )


class ToolCallDelta(Record):
    """A fragment of a streamed tool call; fragments with the same index join into one ToolCall."""

    __slots__ = ("arguments", "id", "index", "name")
    index: int
    id: str | None
    name: str | None
    arguments: str

    def __init__(self, index: int, id: str | None = None, name: str | None = None, arguments: str = "") -> None:
        _set(self, "index", index)
        _set(self, "id", id)
        _set(self, "name", name)
        _set(self, "arguments", arguments)

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "id": self.id, "name": self.name, "arguments": self.arguments}


class Message(Record):
    """One chat message. `content` is text or a tuple of parts (text and images)."""

    __slots__ = ("content", "name", "role", "tool_call_id", "tool_calls")
    role: Role
    content: str | tuple[ContentPart, ...]
    name: str | None
    tool_calls: tuple[ToolCall, ...]
    tool_call_id: str | None

    def __init__(
        self,
        role: Role,
        content: str | tuple[ContentPart, ...] = "",
        name: str | None = None,
        tool_calls: tuple[ToolCall, ...] = (),
        tool_call_id: str | None = None,
    ) -> None:
        _set(self, "role", role)
        _set(self, "content", content)
        _set(self, "name", name)
        _set(self, "tool_calls", tool_calls)
        _set(self, "tool_call_id", tool_call_id)
        self._validate()

    def _validate(self) -> None:
        if self.role not in ROLES:
            raise InvalidRequest(f"message role must be one of {', '.join(ROLES)}, not {self.role!r}", field="role")
        if not isinstance(self.content, str):
            object.__setattr__(self, "content", tuple(self.content))
            for part in self.content:
                if not isinstance(part, (TextPart, ImagePart)):
                    raise InvalidRequest("message content parts must be TextPart or ImagePart", field="content")
        if not isinstance(self.tool_calls, tuple):
            object.__setattr__(self, "tool_calls", tuple(self.tool_calls))
        if self.tool_calls and self.role != "assistant":
            raise InvalidRequest("only assistant messages carry tool_calls", field="tool_calls")
        if self.role == "tool" and not self.tool_call_id:
            raise InvalidRequest("a tool message needs the tool_call_id it answers", field="tool_call_id")

    @property
    def text(self) -> str:
        """The message's text: the content string, or its text parts joined by newlines."""
        if isinstance(self.content, str):
            return self.content
        return "\n".join(p.text for p in self.content if isinstance(p, TextPart))

    @property
    def images(self) -> tuple[ImagePart, ...]:
        """The message's image parts."""
        if isinstance(self.content, str):
            return ()
        return tuple(p for p in self.content if isinstance(p, ImagePart))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "role": self.role,
            "content": self.content if isinstance(self.content, str) else [p.to_dict() for p in self.content],
        }
        if self.name is not None:
            out["name"] = self.name
        if self.tool_calls:
            out["tool_calls"] = [c.to_dict() for c in self.tool_calls]
        if self.tool_call_id is not None:
            out["tool_call_id"] = self.tool_call_id
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Message:
        if not isinstance(data, Mapping) or "role" not in data:
            raise InvalidRequest("each message must be an object with a 'role'", field="messages")
        content = data.get("content")
        parsed: str | tuple[ContentPart, ...]
        if content is None:
            parsed = ""
        elif isinstance(content, str):
            parsed = content
        elif isinstance(content, Sequence):
            parsed = tuple(_part_from_dict(p) for p in content)
        else:
            raise InvalidRequest("message content must be a string or a list of parts", field="content")
        return cls(
            role=data["role"],
            content=parsed,
            name=data.get("name"),
            tool_calls=tuple(ToolCall.from_dict(c) for c in data.get("tool_calls") or ()),
            tool_call_id=data.get("tool_call_id"),
        )

    @classmethod
    def user(cls, text: str) -> Message:
        """A user message with text content."""
        return cls("user", text)

    @classmethod
    def system(cls, text: str) -> Message:
        """A system message."""
        return cls("system", text)

    @classmethod
    def assistant(cls, text: str = "", tool_calls: Sequence[ToolCall] = ()) -> Message:
        """An assistant message, optionally with tool calls."""
        return cls("assistant", text, tool_calls=tuple(tool_calls))


class ToolSpec(Record):
    """A tool the model may call: a name, a description and a JSON schema for its arguments."""

    __slots__ = ("description", "name", "parameters", "strict")
    name: str
    description: str
    parameters: Mapping[str, Any]
    strict: bool | None

    def __init__(
        self, name: str, description: str = "", parameters: Mapping[str, Any] | None = None, strict: bool | None = None
    ) -> None:
        _set(self, "name", name)
        _set(self, "description", description)
        _set(self, "parameters", {"type": "object", "properties": {}} if parameters is None else parameters)
        _set(self, "strict", strict)
        self._validate()

    def _validate(self) -> None:
        name = self.name
        if not name or len(name) > 64 or not all(c.isalnum() or c in "_-" for c in name) or not name.isascii():
            raise InvalidRequest(f"tool name {name!r} must be 1-64 ASCII letters, digits, '_' or '-'", field="tools")
        if not isinstance(self.parameters, Mapping):
            raise InvalidRequest(f"tool {name!r} parameters must be a JSON schema object", field="tools")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "description": self.description, "parameters": dict(self.parameters)}
        if self.strict is not None:
            out["strict"] = self.strict
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ToolSpec:
        if data.get("type") == "function" and isinstance(data.get("function"), Mapping):
            data = data["function"]
        return cls(
            name=str(data.get("name", "")),
            description=str(data.get("description") or ""),
            parameters=data.get("parameters") or {"type": "object", "properties": {}},
            strict=data.get("strict"),
        )


class ResponseFormat(Record):
    """Structured output: free text, any JSON object, or JSON matching `schema`."""

    __slots__ = ("name", "schema", "strict", "type")
    type: Literal["text", "json_object", "json_schema"]
    schema: Mapping[str, Any] | None
    name: str | None
    strict: bool | None

    def __init__(
        self,
        type: Literal["text", "json_object", "json_schema"] = "json_object",
        schema: Mapping[str, Any] | None = None,
        name: str | None = None,
        strict: bool | None = None,
    ) -> None:
        _set(self, "type", type)
        _set(self, "schema", schema)
        _set(self, "name", name)
        _set(self, "strict", strict)
        self._validate()

    def _validate(self) -> None:
        if self.type not in ("text", "json_object", "json_schema"):
            raise InvalidRequest(
                f"response_format type must be text, json_object or json_schema, not {self.type!r}",
                field="response_format",
            )
        if self.type == "json_schema" and not isinstance(self.schema, Mapping):
            raise InvalidRequest("response_format json_schema needs a schema object", field="response_format")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type}
        if self.schema is not None:
            out["schema"] = dict(self.schema)
        if self.name is not None:
            out["name"] = self.name
        if self.strict is not None:
            out["strict"] = self.strict
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ResponseFormat:
        if data.get("type") == "json_schema" and isinstance(data.get("json_schema"), Mapping):
            inner = data["json_schema"]
            return cls("json_schema", inner.get("schema"), inner.get("name"), inner.get("strict"))
        return cls(data.get("type", "json_object"), data.get("schema"), data.get("name"), data.get("strict"))
