"""`a3m guard`: check a text with the guardrails, or measure them on a labeled file.

    a3m guard "TEXT" [--route NAME] [--role user] [--config FILE] [--no-model] [--json]
    a3m guard eval --injection FILE [--text-column C] [--label-column C] [--threshold T] [--errors N]
    a3m guard eval --pii FILE [--examples N]

A check prints the verdict, the score, the rules that fired and the redacted text; it exits 0
for allow or warn and 3 for block. `-` (or no TEXT with piped input) reads the text from stdin.
Injection files are CSV/TSV, JSONL, JSON or parquet with a text and a label column (labels 0/1,
true/false, or words such as benign/injection/jailbreak); PII files are Presidio's span JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from a3m_integrations.errors import ConfigError, InvalidRequest

__all__ = ["add_arguments", "run"]

EXIT_BLOCKED = 3
_HINT = "Run `a3m guard --help` for the options."


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """Options of `a3m guard`."""
    parser.add_argument("text", nargs="?", help='text to check, "-" for stdin, or "eval" to score a labeled file')
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--route", help="route whose policy applies (from --config)")
    parser.add_argument("--role", default="user", choices=["user", "tool", "assistant", "system"])
    parser.add_argument("--config", type=Path, help="guardrails policy file (JSON, or YAML with pyyaml)")
    parser.add_argument("--no-model", action="store_true", help="score injections with the rules alone")
    group = parser.add_argument_group("eval")
    group.add_argument("--injection", type=Path, metavar="FILE", help="labeled injection file to score")
    group.add_argument("--pii", type=Path, metavar="FILE", help="Presidio-style PII span file to score")
    group.add_argument("--text-column", help="name of the text column (default: auto-detect)")
    group.add_argument("--label-column", help="name of the label column (default: auto-detect)")
    group.add_argument("--threshold", type=float, help="injection threshold (default: the policy's, 0.5)")
    group.add_argument("--errors", type=int, default=0, metavar="N", help="show up to N misclassified rows")
    group.add_argument("--examples", type=int, default=0, metavar="N", help="show up to N missed/extra PII spans")


def _load_config(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the config ({exc.strerror})", source=str(path)) from exc
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(raw)
        else:
            data = json.loads(raw)
    except ImportError as exc:
        raise ConfigError("YAML config needs pyyaml", source=str(path), hint="pip install pyyaml") from exc
    except Exception as exc:  # JSON or YAML syntax errors
        raise ConfigError(f"cannot parse the config ({type(exc).__name__})", source=str(path)) from exc
    if isinstance(data, dict) and isinstance(data.get("guardrails"), dict):
        data = data["guardrails"]
    if not isinstance(data, dict):
        raise ConfigError("the config must be a mapping (optionally under 'guardrails')", source=str(path))
    return data


def _engine(args: argparse.Namespace) -> Any:
    from a3m_integrations.guardrails.engine import GuardrailEngine

    config = _load_config(args.config)
    if args.no_model:
        default = dict(config.get("default", {}))
        default["injection"] = {**default.get("injection", {}), "model": False}
        config = {**config, "default": default}
        config["routes"] = {
            k: {**v, "injection": {**v.get("injection", {}), "model": False}}
            for k, v in config.get("routes", {}).items()
        }
    return GuardrailEngine.from_dict(config)


def _check(args: argparse.Namespace) -> int:
    from a3m_integrations.guardrails.engine import guard_metadata
    from a3m_integrations.types import ChatRequest, Message, RequestContext

    text = args.text
    if text == "-" or (text is None and not sys.stdin.isatty()):
        text = sys.stdin.read()
    if text is None:
        raise InvalidRequest(
            "give a TEXT to check, '-' to read stdin, or 'eval --injection/--pii FILE'", field="text", hint=_HINT
        )
    engine = _engine(args)
    policy = engine.policy_for(args.route)
    message = Message(args.role, text, tool_call_id="cli" if args.role == "tool" else None)
    result = engine.check(ChatRequest(messages=(message,)), RequestContext(route=args.route))
    redacted = result.request.messages[0].text
    findings = [
        {"rule": f.rule, "kind": f.kind, "score": round(f.score, 4), **({"entity": f.entity} if f.entity else {})}
        for f in result.findings
    ]
    if args.json:
        out = {**guard_metadata(result), "threshold": policy.injection.threshold, "findings": findings}
        out["redacted"] = redacted
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(
            f"verdict:  {result.action}  (injection score {result.score:.2f}, threshold {policy.injection.threshold})"
        )
        rules = [f for f in findings if f["kind"] != "pii"]
        print("rules:    " + (", ".join(f"{f['rule']} ({f['score']:.2f})" for f in rules) or "none"))
        pii = guard_metadata(result)["pii"]
        print("pii:      " + (", ".join(f"{k} x{v}" for k, v in pii.items()) or "none"))
        print(f"redacted: {redacted}")
    return EXIT_BLOCKED if result.action == "block" else 0


def _eval_injection(args: argparse.Namespace) -> dict[str, Any]:
    from a3m_integrations.guardrails._labeled import load_injection_file
    from a3m_integrations.guardrails.evaluate import evaluate_injection
    from a3m_integrations.guardrails.injection import InjectionDetector

    texts, labels = load_injection_file(args.injection, text_column=args.text_column, label_column=args.label_column)
    policy = _engine(args).policy_for(args.route)
    threshold = args.threshold if args.threshold is not None else policy.injection.threshold
    if not 0.0 < threshold <= 1.0:
        raise InvalidRequest(f"--threshold must be within (0, 1], not {threshold}", field="threshold", hint=_HINT)
    detector = InjectionDetector(use_model=policy.injection.use_model)
    report, scores, ms = evaluate_injection(texts, labels, detector, threshold)
    out: dict[str, Any] = {"file": str(args.injection), **report.to_dict(), "ms_per_text": round(ms, 3)}
    if args.errors:
        wrong = [i for i, (s, y) in enumerate(zip(scores, labels)) if (s >= threshold) != bool(y)]
        out["errors"] = [
            {"row": i + 1, "label": labels[i], "score": round(scores[i], 4), "text": texts[i][:160]}
            for i in wrong[: args.errors]
        ]
    return out


def _eval_pii(args: argparse.Namespace) -> dict[str, Any]:
    from a3m_integrations.guardrails._labeled import load_pii_file
    from a3m_integrations.guardrails.evaluate import evaluate_pii, summarize_pii

    records = load_pii_file(args.pii)
    reports, ms = evaluate_pii(records, keep_examples=args.examples)
    out: dict[str, Any] = {"file": str(args.pii), "records": len(records), "ms_per_record": round(ms, 3)}
    out["entities"] = summarize_pii(reports)
    if args.examples:
        out["examples"] = {
            e: {"missed": r.examples_fn, "extra": r.examples_fp}
            for e, r in reports.items()
            if r.examples_fn or r.examples_fp
        }
    return out


def _print_eval(out: dict[str, Any]) -> None:
    if "entities" in out:
        print(f"{out['file']}: {out['records']} records, {out['ms_per_record']} ms per record")
        print(f"{'entity':<15} {'pred':>5} {'gold':>5} {'prec':>6} {'recall':>6} {'exactP':>6} {'exactR':>6}")
        for e in out["entities"]:
            print(
                f"{e['entity']:<15} {e['predicted']:>5} {e['gold']:>5} {e['precision']:>6.3f} {e['recall']:>6.3f} "
                f"{e['exact_precision']:>6.3f} {e['exact_recall']:>6.3f}"
            )
        for entity, ex in out.get("examples", {}).items():
            print(f"  {entity}: missed {ex['missed']}; extra {ex['extra']}")
        return
    print(
        f"{out['file']}: {out['n']} rows ({out['positives']} positive), threshold {out['threshold']}\n"
        f"F1 {out['f1']:.3f}  precision {out['precision']:.3f}  recall {out['recall']:.3f}  "
        f"FPR {out['fpr']:.3f}  (TP {out['tp']} FP {out['fp']} FN {out['fn']} TN {out['tn']}), "
        f"{out['ms_per_text']} ms per text"
    )
    for e in out.get("errors", []):
        print(f"  row {e['row']} label {e['label']} score {e['score']:.2f}: {e['text']!r}")


def run(args: argparse.Namespace, name: str) -> int:
    """Run `a3m guard`; see the module docstring."""
    if args.text == "eval":
        if (args.injection is None) == (args.pii is None):
            raise InvalidRequest("eval needs exactly one of --injection FILE or --pii FILE", field="eval", hint=_HINT)
        out = _eval_injection(args) if args.injection is not None else _eval_pii(args)
        if args.json:
            print(json.dumps(out, ensure_ascii=False, indent=2))
        else:
            _print_eval(out)
        return 0
    if args.injection is not None or args.pii is not None:
        raise InvalidRequest("--injection/--pii belong to `a3m guard eval`", field="eval", hint=_HINT)
    return _check(args)
