"""A LlamaIndex FunctionAgent on A3MLLM: the gateway sends tool calls to a model that can make them.

Run: `python examples/llamaindex_agent.py` (offline). The pool has two models: the free local
SmolLM2 (no tool calling) and a tool-capable model served by the project's loopback wire server
(`tests/servers/wire.py`, a stand-in for a hosted OpenAI-format provider, started here). Plain
chat goes to the free model; every agent step offers tools, so the router filters the pool to
models with the `tools` capability and the tool-capable model takes it. The tools really run.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # a checkout: no install needed

from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult
from llama_index.core.tools import FunctionTool

from a3m_integrations.catalog import Catalog
from a3m_integrations.events import Event
from a3m_integrations.gateway import A3MGateway
from llamaindex_a3m import A3MLLM
from tests.servers.wire import WireServer

TOOL_MODEL = {
    "id": "loopback/tool-model",
    "provider": "loopback",
    "name": "tool-model",
    "tier": "cheap",
    "input_per_1m": "0.15",
    "output_per_1m": "0.60",
    "context_window": 32000,
    "max_output": 4096,
    "capabilities": ["tools", "json", "streaming"],
    "price_date": "2025-01-01",
    "price_source": "example",
}


def multiply(a: int, b: int) -> int:
    """Multiply two integers."""
    return a * b


def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


def show(event: Event) -> None:
    """Print where the gateway sent each call."""
    if event.kind == "routed":
        print(f"  [gateway] -> {event.data['model']} ({event.data['tier']})")


async def run(llm: A3MLLM) -> None:
    """Chat once, then let the agent solve a task with tools."""
    print("chat: Say hello in five words.")
    answer = await llm.acomplete("Say hello in five words.")
    print(f"  answer: {' '.join(answer.text.split())[:100]}")

    agent = FunctionAgent(tools=[FunctionTool.from_defaults(multiply), FunctionTool.from_defaults(add)], llm=llm)
    print("agent: What is 6 times 7?")
    handler = agent.run("What is 6 times 7?")
    async for event in handler.stream_events():
        if isinstance(event, ToolCallResult):
            print(f"  tool: {event.tool_name}({event.tool_kwargs}) = {event.tool_output.content}")
    result = await handler
    print(f"  final: {result}")


def main() -> None:
    """Start the loopback provider, build a two-model gateway and run the agent."""
    with WireServer() as server:
        os.environ["A3M_EXAMPLE_KEY"] = "sk-example-loopback-only"
        provider = {"api": "openai", "base_url": server.openai_base, "api_key_env": "A3M_EXAMPLE_KEY"}
        catalog = Catalog.load({"providers": {"loopback": provider}, "models": [TOOL_MODEL]})
        gateway = A3MGateway(catalog=catalog, pool=["local/smollm2-135m-instruct", TOOL_MODEL["id"]])
        gateway.add_listener(show)
        llm = A3MLLM(gateway, max_tokens=32, timeout=300)
        asyncio.run(run(llm))
        llm.close()


if __name__ == "__main__":
    main()
