"""`a3m route PROMPT` and `a3m analyze PROMPT`."""

from __future__ import annotations

import argparse

from a3m_integrations.cli._common import add_catalog_argument, load_catalog, print_json, read_prompt, usage_error
from a3m_integrations.errors import ConfigError
from a3m_integrations.routing.base import ROUTERS, get_router
from a3m_integrations.types import ChatRequest, Message, ResponseFormat, ToolSpec

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """Options of `route` and `analyze`."""
    parser.add_argument("prompt", nargs="+", help="the prompt ('-' reads it from stdin)")
    parser.add_argument("--system", metavar="TEXT", help="a system prompt sent with the request")
    parser.add_argument("--json", action="store_true", help="print JSON")
    if name == "route":
        parser.add_argument("--router", default="heuristic", help=f"router name (known: {', '.join(sorted(ROUTERS))})")
        parser.add_argument("--pool", help="model pool: a pool name, 'all', or comma-separated model ids")
        parser.add_argument("--max-tokens", type=int, metavar="N", help="the request's max_tokens")
        parser.add_argument("--tools", type=int, default=0, metavar="N", help="pretend the request carries N tools")
        parser.add_argument("--json-mode", action="store_true", help="the request asks for JSON output")
        parser.add_argument("--tier-cuts", metavar="A,B,C", help="complexity cuts between the four tiers")
        parser.add_argument("--baseline", default="openai/gpt-4o", help="premium model to compare the cost with")
        add_catalog_argument(parser)


def _request(args: argparse.Namespace, prompt: str) -> ChatRequest:
    messages = [Message.system(args.system)] if args.system else []
    messages.append(Message.user(prompt))
    tools = tuple(ToolSpec(f"tool_{i}") for i in range(getattr(args, "tools", 0) or 0))
    rf = ResponseFormat("json_object") if getattr(args, "json_mode", False) else None
    return ChatRequest(tuple(messages), max_tokens=getattr(args, "max_tokens", None), tools=tools, response_format=rf)


def _analyze(args: argparse.Namespace, prompt: str) -> int:
    from a3m_integrations.signals import analyze

    f = analyze(_request(args, prompt))
    if args.json:
        print_json(f.to_dict())
        return 0
    print(f"complexity  {f.complexity:.2f}")
    print(f"domain      {f.domain or '-'}" + (f"  ({', '.join(d for d, _ in f.domains)})" if f.domains else ""))
    print(f"task        {f.task}  ({', '.join(f.tasks)})")
    print(f"verb        {f.verb or '-'} ({f.verb_class or 'none'})")
    print(f"structure   {f.words} words, {f.sentences} sentences, {f.steps} steps, {f.constraints} constraints,")
    print(f"            {f.list_items} list items, {f.code_blocks} code blocks, {f.questions} questions")
    print(f"language    {f.language}")
    print("signals")
    for reason in f.reason_strings():
        print(f"  {reason}")
    return 0


def _route(args: argparse.Namespace, prompt: str) -> int:
    catalog = load_catalog(args)
    kwargs: dict[str, object] = {"catalog": catalog}
    if args.pool:
        kwargs["pool"] = args.pool.split(",") if "," in args.pool or "/" in args.pool else args.pool
    if args.tier_cuts:
        try:
            kwargs["tier_cuts"] = tuple(float(x) for x in args.tier_cuts.split(","))
        except ValueError:
            raise ConfigError("--tier-cuts takes three numbers like 0.2,0.45,0.7", field="tier_cuts") from None
    router = get_router(args.router, **kwargs)
    request = _request(args, prompt)
    decision = router.route(request)
    chosen = catalog.model(decision.model)
    baseline = catalog.model(args.baseline) if args.baseline in catalog else None
    baseline_cost = None
    if baseline is not None:
        from a3m_integrations.routing.base import estimate_decision_cost

        baseline_cost = estimate_decision_cost(request, baseline)
    if args.json:
        out = decision.to_dict()
        out["price_per_1m"] = {"input": str(chosen.input_per_1m), "output": str(chosen.output_per_1m)}
        if baseline is not None and baseline_cost is not None:
            out["baseline"] = {"model": baseline.id, "estimated_cost": str(baseline_cost)}
        print_json(out)
        return 0
    print("Routing decision")
    print(f"  model        {decision.model}")
    print(f"  tier         {decision.tier}   (${chosen.input_per_1m}/${chosen.output_per_1m} per 1M in/out)")
    print(f"  complexity   {decision.complexity:.2f}")
    print(f"  est. cost    ${decision.estimated_cost:.6f}")
    if baseline is not None and baseline_cost:
        saving = (baseline_cost - decision.estimated_cost) / baseline_cost * 100
        word = "cheaper" if saving >= 0 else "dearer"
        print(f"  vs {baseline.id}  ${baseline_cost:.6f} ({abs(saving):.0f}% {word})")
    print(f"  fallbacks    {', '.join(decision.fallbacks) or '-'}")
    print("  reasons")
    for reason in decision.reasons:
        print(f"    {reason}")
    return 0


def run(args: argparse.Namespace, name: str) -> int:
    """Run `route` or `analyze`."""
    prompt = read_prompt(args)
    if not prompt:
        return usage_error(name, 'the prompt is empty; pass the text to route, e.g. a3m route "Explain TCP"')
    if name == "analyze":
        return _analyze(args, prompt)
    return _route(args, prompt)
