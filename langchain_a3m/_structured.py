"""`with_structured_output` as composition: what to bind, which parser reads the answer, raw or not.

Three methods, as in langchain-openai:

- `json_schema` (default): `response_format` with the schema; the answer text is parsed;
- `function_calling`: the schema as the one tool the model must call; the call's arguments are parsed;
- `json_mode`: any JSON object (`response_format` json_object); the prompt must describe the shape.

With `include_raw=True` a parsing failure never raises: the result is
`{"raw": AIMessage, "parsed": None, "parsing_error": exc}`.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any, Literal

from langchain_core.output_parsers import JsonOutputParser, PydanticOutputParser
from langchain_core.output_parsers.openai_tools import JsonOutputKeyToolsParser, PydanticToolsParser
from langchain_core.runnables import Runnable, RunnableMap, RunnablePassthrough
from langchain_core.utils.function_calling import convert_to_openai_tool
from langchain_core.utils.pydantic import is_basemodel_subclass

__all__ = ["METHODS", "StructuredPlan", "plan_structured_output", "with_parser"]

Method = Literal["json_schema", "function_calling", "json_mode"]
METHODS: tuple[str, ...] = ("json_schema", "function_calling", "json_mode")


class StructuredPlan:
    """What `with_structured_output` binds (`tools` or `response_format` kwargs) and the parser to apply."""

    __slots__ = ("bind_kwargs", "parser", "tool")

    def __init__(self, bind_kwargs: dict[str, Any], parser: Runnable[Any, Any], tool: Any = None) -> None:
        self.bind_kwargs = bind_kwargs
        self.parser = parser
        self.tool = tool


def _is_pydantic(schema: Any) -> bool:
    return isinstance(schema, type) and is_basemodel_subclass(schema)


def plan_structured_output(schema: Any, method: str, strict: bool | None) -> StructuredPlan:
    """The binding and parser for `schema` (pydantic class, TypedDict, JSON schema or OpenAI tool dict)."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if schema is None and method != "json_mode":
        raise ValueError(f"schema is required for method {method!r}")
    pydantic = _is_pydantic(schema)
    trace = {"kwargs": {"method": method, "strict": strict}, "schema": schema}
    if method == "json_mode":
        parser: Runnable[Any, Any] = PydanticOutputParser(pydantic_object=schema) if pydantic else JsonOutputParser()
        return StructuredPlan(
            {"response_format": {"type": "json_object"}, "ls_structured_output_format": trace}, parser
        )
    function = convert_to_openai_tool(schema, strict=strict)["function"]
    name = function["name"]
    if method == "function_calling":
        parser = (
            PydanticToolsParser(tools=[schema], first_tool_only=True)
            if pydantic
            else JsonOutputKeyToolsParser(key_name=name, first_tool_only=True)
        )
        return StructuredPlan(
            {"tool_choice": name, "strict": strict, "ls_structured_output_format": trace}, parser, schema
        )
    response_format: dict[str, Any] = {
        "type": "json_schema",
        "json_schema": {"name": name, "schema": function["parameters"]},
    }
    if strict is not None:
        response_format["json_schema"]["strict"] = strict
    if function.get("description"):
        response_format["json_schema"]["description"] = function["description"]
    parser = PydanticOutputParser(pydantic_object=schema) if pydantic else JsonOutputParser()
    return StructuredPlan({"response_format": response_format, "ls_structured_output_format": trace}, parser)


def with_parser(llm: Runnable[Any, Any], parser: Runnable[Any, Any], include_raw: bool) -> Runnable[Any, Any]:
    """`llm | parser`, or with `include_raw` a map of raw, parsed and parsing_error that never raises on parsing."""
    if not include_raw:
        return llm | parser
    parse = RunnablePassthrough.assign(parsed=itemgetter("raw") | parser, parsing_error=lambda _: None)
    no_parse = RunnablePassthrough.assign(parsed=lambda _: None)
    return RunnableMap(raw=llm) | parse.with_fallbacks([no_parse], exception_key="parsing_error")
