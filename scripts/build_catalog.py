"""Build a3m_integrations/catalog/data/catalog.json from the curated tables plus a LiteLLM price map.

    python scripts/build_catalog.py --litellm model_prices_and_context_window.json
    python scripts/build_catalog.py --litellm prices.json --check        # exit 1 if the file would change

The curated tables (catalog_providers.py, catalog_models.py) choose the providers and models,
their tiers, families and overrides; LiteLLM's map (MIT) supplies prices, limits and capability
flags for the rows that name a LiteLLM key. Same inputs, same bytes out: the committed catalog
was built from LiteLLM 1.109.1 (the PyPI wheel's litellm/model_prices_and_context_window_backup.json,
sha256 below). To refresh prices, fetch a newer map, pass --label/--date, and review the diff;
rows whose LiteLLM entry disappeared or carries a past deprecation_date stop the build.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from catalog_models import LOCAL_SEED, MODELS, POOLS, SOURCES  # noqa: E402
from catalog_providers import PROVIDERS  # noqa: E402

DEFAULT_OUT = HERE.parent / "a3m_integrations" / "catalog" / "data" / "catalog.json"
KNOWN_LITELLM_SHA256 = "8f8060d8ce7a40c91b995c74d6a27657543d49e3c1c53430dabd556f244392c6"
DEFAULT_LABEL = "LiteLLM 1.109.1 model_prices_and_context_window (MIT)"
DEFAULT_DATE = "2026-11-23"
#: CNY prices are converted at this rate; the original CNY figures stay in price_source.
CNY_PER_USD = Decimal("7.0")
TIERS = ("free", "cheap", "mid", "premium")
CHINA = frozenset(
    {
        "deepseek",
        "moonshot",
        "dashscope",
        "zhipu",
        "zai",
        "yi",
        "baichuan",
        "minimax",
        "stepfun",
        "siliconflow",
        "volcengine",
        "baidu",
        "tencent",
        "tencent-tokenhub",
        "iflytek",
        "xiaomi",
    }
)
_CAP_ORDER = ("tools", "vision", "json", "json_schema", "streaming", "reasoning")
_MILLION = Decimal(1_000_000)


class BuildError(Exception):
    """A curated row does not fit the price map (missing key, deprecated, no limits)."""


def _dec(value: Decimal) -> str:
    """A Decimal as a plain decimal string without exponent or trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _per_million(per_token: Any) -> Decimal:
    return Decimal(repr(float(per_token))) * _MILLION


def _caps(rec: dict[str, Any], row: dict[str, Any]) -> list[str]:
    caps = {"streaming"}
    if rec.get("supports_function_calling"):
        caps.add("tools")
    if rec.get("supports_vision"):
        caps.add("vision")
    if rec.get("supports_response_schema"):
        caps |= {"json", "json_schema"}
    if rec.get("supports_reasoning"):
        caps.add("reasoning")
    caps |= set(row.get("caps_add", ()))
    caps -= set(row.get("caps_remove", ()))
    return [c for c in _CAP_ORDER if c in caps]


def _pricing_page(provider: str) -> str:
    return str(PROVIDERS[provider].get("pricing") or PROVIDERS[provider].get("docs") or "")


def _from_litellm(row: dict[str, Any], prices: dict[str, Any], label: str, date: str) -> dict[str, Any]:
    key = row["key"]
    rec = prices.get(key)
    if not isinstance(rec, dict):
        raise BuildError(f"{row['provider']}/{row['name']}: no LiteLLM entry {key!r}")
    if rec.get("mode") != "chat":
        raise BuildError(f"{key}: LiteLLM mode is {rec.get('mode')!r}, not chat")
    deprecated = rec.get("deprecation_date")
    if isinstance(deprecated, str) and deprecated[:10] <= date:
        raise BuildError(f"{key}: deprecated on {deprecated} (price date {date}); drop or replace the row")
    if rec.get("input_cost_per_token") is None or rec.get("output_cost_per_token") is None:
        raise BuildError(f"{key}: LiteLLM has no flat per-token price")
    ctx = row.get("ctx") or rec.get("max_input_tokens") or rec.get("max_tokens")
    max_out = row.get("max_out") or rec.get("max_output_tokens") or ctx
    if not ctx:
        raise BuildError(f"{key}: no context window in LiteLLM; set ctx= in the row")
    model: dict[str, Any] = {
        "input_per_1m": _per_million(rec["input_cost_per_token"]),
        "output_per_1m": _per_million(rec["output_cost_per_token"]),
        "context_window": int(ctx),
        "max_output": min(int(max_out), int(ctx)),
        "capabilities": _caps(rec, row),
        "price_source": f"{label}, entry {key!r}; from {_pricing_page(row['provider'])}",
    }
    if rec.get("cache_read_input_token_cost") is not None:
        model["cached_input_per_1m"] = _per_million(rec["cache_read_input_token_cost"])
    return model


def _from_manual(row: dict[str, Any]) -> dict[str, Any]:
    label, currency, _ = SOURCES[row["source"]]
    rate = CNY_PER_USD if currency == "CNY" else Decimal(1)

    def usd(amount: str) -> Decimal:
        return (Decimal(amount) / rate).quantize(Decimal("0.000001"))

    source = label
    if currency == "CNY":
        source += f"; CNY {row['in']}/{row['out']} per 1M converted at {CNY_PER_USD} CNY/USD"
    model: dict[str, Any] = {
        "input_per_1m": usd(row["in"]),
        "output_per_1m": usd(row["out"]),
        "context_window": row["ctx"],
        "max_output": row["max_out"] or row["ctx"],
        "capabilities": [c for c in _CAP_ORDER if c in set(row["caps"])],
        "price_source": source,
    }
    if row.get("cached") is not None:
        model["cached_input_per_1m"] = usd(row["cached"])
    return model


def build(prices: dict[str, Any], *, label: str = DEFAULT_LABEL, date: str = DEFAULT_DATE) -> dict[str, Any]:
    """The catalog document for these LiteLLM prices (pure: no I/O)."""
    models: list[dict[str, Any]] = [dict(LOCAL_SEED)]
    open_weights = ["local/smollm2-135m-instruct"]
    seen = {LOCAL_SEED["id"]}
    errors: list[str] = []
    for row in MODELS:
        mid = f"{row['provider']}/{row['name']}"
        if mid in seen:
            raise BuildError(f"duplicate model id {mid}")
        seen.add(mid)
        if row["provider"] not in PROVIDERS or row["tier"] not in TIERS:
            raise BuildError(f"{mid}: unknown provider or tier")
        try:
            got = _from_litellm(row, prices, label, date) if row["kind"] == "litellm" else _from_manual(row)
        except BuildError as exc:
            errors.append(str(exc))
            continue
        free = got["input_per_1m"] == 0 and got["output_per_1m"] == 0
        if free != (row["tier"] == "free"):
            raise BuildError(f"{mid}: tier {row['tier']!r} does not match its price (free tier means $0)")
        price_date = date if row["kind"] == "litellm" else SOURCES[row["source"]][2]
        rec: dict[str, Any] = {"id": mid, "provider": row["provider"], "name": row["name"], "tier": row["tier"]}
        rec["input_per_1m"] = _dec(got["input_per_1m"])
        rec["output_per_1m"] = _dec(got["output_per_1m"])
        if "cached_input_per_1m" in got:
            rec["cached_input_per_1m"] = _dec(got["cached_input_per_1m"])
        rec["context_window"] = got["context_window"]
        rec["max_output"] = got["max_output"]
        rec["capabilities"] = got["capabilities"]
        rec["tokenizer"] = row.get("tok")
        rec["family"] = row["family"]
        if row.get("aliases"):
            rec["aliases"] = list(row["aliases"])
        if row.get("description"):
            rec["description"] = row["description"]
        rec["price_date"] = price_date
        rec["price_source"] = got["price_source"]
        models.append(rec)
        if row.get("ow"):
            open_weights.append(mid)
    if errors:
        raise BuildError("; ".join(errors))
    pools = {
        "default": list(POOLS["default"]),
        "open-weights": open_weights,
        "china": [m["id"] for m in models if m["provider"] in CHINA],
    }
    for name, ids in pools.items():
        missing = [i for i in ids if i not in seen]
        if missing:
            raise BuildError(f"pool {name} names unknown models {missing}")
    providers = {pid: {k: v for k, v in rec.items() if k != "pricing"} for pid, rec in PROVIDERS.items()}
    return {
        "version": 1,
        "notes": "Generated by scripts/build_catalog.py; see docs/catalog.md for schema, tiers and sources.",
        "sources": {
            "litellm": f"{label}: PyPI wheel litellm==1.109.1, litellm/model_prices_and_context_window_backup.json, "
            f"sha256 {KNOWN_LITELLM_SHA256}, read {DEFAULT_DATE}",
            "cny_per_usd": str(CNY_PER_USD),
            **{k: v[0] for k, v in SOURCES.items()},
        },
        "providers": providers,
        "models": models,
        "pools": pools,
    }


def render(doc: dict[str, Any]) -> str:
    """Compact, diff-friendly JSON: one provider, one model and one pool per line."""

    def one(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))

    def block(items: list[str], open_: str, close: str) -> str:
        return open_ + "\n" + ",\n".join(items) + "\n " + close

    lines = ["{"]
    lines.append(f' "version": {one(doc["version"])},')
    lines.append(f' "notes": {one(doc["notes"])},')
    lines.append(' "sources": ' + block([f"  {one(k)}: {one(v)}" for k, v in doc["sources"].items()], "{", "}") + ",")
    lines.append(
        ' "providers": ' + block([f"  {one(k)}: {one(v)}" for k, v in doc["providers"].items()], "{", "}") + ","
    )
    lines.append(' "models": ' + block([f"  {one(m)}" for m in doc["models"]], "[", "]") + ",")
    lines.append(' "pools": ' + block([f"  {one(k)}: {one(v)}" for k, v in doc["pools"].items()], "{", "}"))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build, write (or check) the catalog; return an exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--litellm", required=True, type=Path, help="LiteLLM model_prices_and_context_window JSON")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output file (default {DEFAULT_OUT})")
    parser.add_argument("--label", default=DEFAULT_LABEL, help="how price_source names the LiteLLM map")
    parser.add_argument("--date", default=DEFAULT_DATE, help="price_date for LiteLLM-priced rows (YYYY-MM-DD)")
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if the output would change")
    args = parser.parse_args(argv)
    raw = args.litellm.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != KNOWN_LITELLM_SHA256 and args.label == DEFAULT_LABEL:
        print(
            f"warning: {args.litellm} has sha256 {digest}, not the committed map's; pass --label/--date",
            file=sys.stderr,
        )
    try:
        text = render(build(json.loads(raw), label=args.label, date=args.date))
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print("catalog is up to date" if same else f"{args.out} differs from a fresh build")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    doc = json.loads(text)
    print(f"wrote {args.out}: {len(doc['providers'])} providers, {len(doc['models'])} models, {len(text) // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
