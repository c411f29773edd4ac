"""An agent with a RunnableBranch chosen by the router: quick questions take a short answer path,
hard ones the planner, a LangGraph tool loop that calls tools when a tool-capable model is configured.

Offline (only the local model) both branches answer with SmolLM2 and the planner answers without
tools; with provider keys set, or A3M_CONFIG naming a gateway config, the planner calls the tools.

    python examples/langchain_agent.py
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Annotated, Any, TypedDict

from langchain_core.messages import AIMessage, AnyMessage, SystemMessage, ToolMessage
from langchain_core.runnables import Runnable, RunnableLambda
from langchain_core.tools import tool
from langgraph.graph import END, START, StateGraph
from langgraph.prebuilt import ToolNode

from langchain_a3m import A3MChatModel, route_branch

QUESTIONS = [
    "What is the weather in Paris?",
    "Plan a two-day team offsite in Lisbon: analyze the weather risk, compare indoor and outdoor venues "
    "step by step, and design a budget in euros with a contingency.",
]
WEATHER = {"paris": "sunny, 21C", "lisbon": "windy, 18C", "oslo": "snow, -3C"}
EUR_PER_USD = 0.92


@tool
def get_weather(city: str) -> str:
    """The current weather in a city."""
    return WEATHER.get(city.lower(), "no data")


@tool
def usd_to_eur(amount: float) -> str:
    """Convert US dollars to euros at today's rate."""
    return f"{amount * EUR_PER_USD:.2f} EUR"


TOOLS = [get_weather, usd_to_eur]


class State(TypedDict):
    messages: Annotated[Sequence[AnyMessage], operator.add]


def tool_loop(llm: A3MChatModel) -> Runnable[Any, Any]:
    """A LangGraph loop: the model answers or calls tools, a ToolNode runs them, until it answers."""
    step = llm.bind_tools(TOOLS)

    def agent(state: State) -> dict[str, list[AnyMessage]]:
        return {"messages": [step.invoke(list(state["messages"]))]}

    def next_node(state: State) -> str:
        last = state["messages"][-1]
        return "tools" if isinstance(last, AIMessage) and last.tool_calls and len(state["messages"]) < 8 else END

    graph = StateGraph(State)
    graph.add_node("agent", agent)
    graph.add_node("tools", ToolNode(TOOLS))
    graph.add_edge(START, "agent")
    graph.add_conditional_edges("agent", next_node, ["tools", END])
    graph.add_edge("tools", "agent")
    return graph.compile()


def build_agent(llm: A3MChatModel) -> tuple[Runnable[Any, Any], bool]:
    """The branch: complexity below 0.45 takes the quick path, above it the planner."""
    gateway = llm.get_gateway()
    tools_ready = any(m.supports("tools") for m in getattr(gateway.router, "pool", ()))
    quick = RunnableLambda(lambda msgs: [SystemMessage("Answer in one sentence."), *msgs]) | llm.bind(max_tokens=32)
    if tools_ready:
        planner: Runnable[Any, Any] = (
            RunnableLambda(lambda msgs: {"messages": msgs}) | tool_loop(llm) | RunnableLambda(lambda s: s["messages"])
        )
    else:
        planner = RunnableLambda(lambda msgs: [SystemMessage("Make a short plan."), *msgs]) | llm.bind(max_tokens=48)

    def tagged(name: str, branch: Runnable[Any, Any]) -> Runnable[Any, Any]:
        return branch | RunnableLambda(lambda out: (name, out if isinstance(out, list) else [out]))

    agent = route_branch(
        {0.0: tagged("quick", quick), 0.45: tagged("planner", planner)},
        tagged("planner", planner),
        router=gateway,
        by="complexity",
    )
    return agent, tools_ready


def main() -> None:
    llm = A3MChatModel(temperature=0)
    agent, tools_ready = build_agent(llm)
    print(f"planner tools: {'on' if tools_ready else 'off (no tool-capable model configured)'}")
    for question in QUESTIONS:
        branch, messages = agent.invoke([("human", question)])
        answer = messages[-1]
        tools_used = [m.name for m in messages if isinstance(m, ToolMessage)]
        meta = answer.response_metadata
        print(f"> {question}")
        print(f"  branch {branch}; model {meta.get('model_name')} ({meta.get('tier')}); tools {tools_used or 'none'}")
        print(f"  answer {str(answer.content).strip()[:200]}")


if __name__ == "__main__":
    main()
