"""The deterministic model the wire server plays (pure; no I/O).

Given a conversation, it answers the same way every time:

- tools offered (and not tool_choice "none") and a user turn last: it calls the tool that
  tool_choice names, else the first tool, with arguments synthesised from the tool's JSON schema
  (numbers and integers taken in order from the user's text, strings from an enum, then the user's
  quoted text, then capitalised words, booleans true, arrays of one item, nested objects filled the same way);
- a tool result last: a text answer that quotes every trailing tool result;
- response_format json_schema: a JSON object valid for the schema (synthesised as above);
- response_format json_object: `{"answer": <text>}`;
- otherwise: "Echo: <the last user text>".

`max_tokens` cuts the text (finish reason "length"). Token counts use the project's
tokenizer-free estimate, so they are real numbers for the text that was sent and answered.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from a3m_integrations.cost.estimate import approx_tokens

__all__ = ["Answer", "Prompt", "Turn", "answer", "completion_tokens", "prompt_tokens", "split_text", "synthesise"]

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_QUOTED = re.compile(r"(?:(?<=\s)|^)['\"]([^'\"]+)['\"](?=\W|$)")


@dataclass(frozen=True)
class Turn:
    """One turn of the conversation as the scripted model sees it."""

    role: str
    text: str
    tool_name: str | None = None


@dataclass(frozen=True)
class Prompt:
    """What the scripted model answers: turns, tools (name -> schema) and output constraints."""

    turns: Sequence[Turn]
    tools: Sequence[tuple[str, Mapping[str, Any]]] = ()
    tool_choice: str | None = None  # auto | none | required | <tool name>
    json_schema: Mapping[str, Any] | None = None
    json_object: bool = False
    max_tokens: int | None = None
    extra_tokens: int = 0  # tokens of tool schemas and framing the wire format adds


@dataclass(frozen=True)
class Answer:
    """The scripted answer: text and/or one tool call (name, JSON arguments), and why it stopped."""

    text: str = ""
    tool_calls: tuple[tuple[str, str], ...] = ()
    finish: str = "stop"  # stop | length | tool_calls
    extra: dict[str, Any] = field(default_factory=dict)


def _last_user(prompt: Prompt) -> str:
    for turn in reversed(prompt.turns):
        if turn.role == "user":
            return turn.text
    return ""


def synthesise(schema: Any, numbers: list[str], words: list[str], depth: int = 0) -> Any:
    """A value valid for a (simple) JSON schema, taking numbers and words from the prompt in order."""
    if not isinstance(schema, Mapping) or depth > 6:
        return None
    if schema.get("enum"):
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for key in ("anyOf", "oneOf", "allOf"):
        if isinstance(schema.get(key), list) and schema[key]:
            return synthesise(schema[key][0], numbers, words, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "object" or (kind is None and "properties" in schema):
        props = schema.get("properties") or {}
        return {name: synthesise(sub, numbers, words, depth + 1) for name, sub in props.items()}
    if kind == "array":
        return [synthesise(schema.get("items") or {"type": "string"}, numbers, words, depth + 1)]
    if kind == "integer":
        return int(float(numbers.pop(0))) if numbers else 1
    if kind == "number":
        value = float(numbers.pop(0)) if numbers else 1.0
        return int(value) if value.is_integer() else value
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    if schema.get("format") == "date":
        return "2024-01-01"
    return words.pop(0) if words else "value"


def _prompt_words(text: str) -> list[str]:
    quoted = _QUOTED.findall(text)  # 'quoted text', in any script, comes first
    words = _WORD.findall(text)
    capitalised = [w for i, w in enumerate(words) if w[0].isupper() and i > 0]
    longest = sorted((w for w in words if len(w) > 3), key=len, reverse=True)
    return quoted + capitalised + longest


def _cut(text: str, max_tokens: int | None) -> tuple[str, str]:
    if max_tokens is None or approx_tokens(text) <= max_tokens:
        return text, "stop"
    return text[: max_tokens * 4], "length"


def answer(prompt: Prompt) -> Answer:
    """The scripted answer to `prompt`."""
    user = _last_user(prompt)
    last = prompt.turns[-1] if prompt.turns else Turn("user", "")
    if last.role == "tool":
        results = []
        for turn in reversed(prompt.turns):
            if turn.role != "tool":
                break
            results.append(f"{turn.tool_name or 'tool'} returned {turn.text}")
        text, finish = _cut("The tool results: " + "; ".join(reversed(results)) + ".", prompt.max_tokens)
        return Answer(text=text, finish=finish)
    if prompt.tools and prompt.tool_choice != "none" and last.role == "user":
        names = [name for name, _ in prompt.tools]
        chosen = prompt.tool_choice if prompt.tool_choice in names else names[0]
        schema = dict(prompt.tools)[chosen]
        args = synthesise(schema, _NUMBER.findall(user), _prompt_words(user))
        return Answer(tool_calls=((chosen, json.dumps(args if isinstance(args, dict) else {})),), finish="tool_calls")
    if prompt.json_schema is not None:
        value = synthesise(prompt.json_schema, _NUMBER.findall(user), _prompt_words(user))
        return Answer(text=json.dumps(value))
    text, finish = _cut(f"Echo: {user}", prompt.max_tokens)
    if prompt.json_object:
        return Answer(text=json.dumps({"answer": text}), finish=finish)
    return Answer(text=text, finish=finish)


def prompt_tokens(prompt: Prompt) -> int:
    """Input tokens: 4 per turn plus its text, 3 for the reply, plus the wire format's extras."""
    return 3 + sum(4 + approx_tokens(t.text) for t in prompt.turns) + prompt.extra_tokens


def completion_tokens(ans: Answer) -> int:
    """Output tokens of an answer."""
    return approx_tokens(ans.text) + sum(approx_tokens(n) + approx_tokens(a) + 3 for n, a in ans.tool_calls)


def split_text(text: str) -> list[str]:
    """The pieces a streamed answer is sent in: one word (with its trailing space) per chunk."""
    return re.findall(r"\S+\s*|\s+", text) or ([text] if text else [])
