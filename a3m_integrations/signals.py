"""Complexity signals: what a request asks for, and how hard it is, in [0, 1], with the reasons.

`analyze(request)` reads the whole conversation: the last user turn is scored in full; earlier
turns and the system prompt lend their domain at half weight; tools, tool results and context
length add their own signals. The score is additive and explainable, like the original router:

    base 0.10
    + the leading verb's kind: expert work (analyze, design, audit, ...) +0.35, routine work
      (write, explain, summarize, ...) +0.20, but routine doing (draft, check, specify, ...) on
      high-stakes specialist vocabulary is expert work, and so is a judgement asked in two parts
      ("..., and how should we sequence it?") or a question asking for trade-offs; a question
      on causes or the future ("why did ...?") weighs +0.35; a short plain question -0.10
    + specialist vocabulary of a high-stakes domain (legal, medical, finance, security, safety):
      +0.25 for the first term, +0.10 for each further one, at most +0.35
    + the topic's domain words +0.05 each (at most +0.10)
    + a heavy deliverable (report, plan, strategy, ...) +0.15, depth words (comprehensive, in
      depth, long-form, ...: a long answer, mid work even for a routine ask) +0.15, theory
      (mathematical, proof, ...) +0.15, system scale +0.05 each (<= +0.10)
    + structure: length, steps, constraints, lists, questions, code blocks, tools, long context
      (not the steps or lists of given material, nor the chat around a plain question)
    - words asking for brevity -0.05
    and at most 0.65 (below the premium cut) without high-stakes vocabulary here or earlier

Bounds on one signal's reach: a question asking a fact ("what does IPO stand for?") is never
advice; code, everyday writing (email, card) and creative pieces done with a routine verb stay
routine whatever specialist subject they touch.

Only the standard library is used, and the tables are built once at import (~1 ms), so the
routing path stays within its cold-start and per-decision budgets. The optional C extension
`_speedups` reads the text's words when it is built (`SCANNER` says "c" or "python";
A3M_NO_SPEEDUPS=1 forces the pure-Python reference); both give identical results.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet

from a3m_integrations import _signal_tables as tables
from a3m_integrations._record import Record
from a3m_integrations._signal_scan import SCANNER
from a3m_integrations._signal_scan import Scan as _Scan
from a3m_integrations.types import ChatRequest, Message

TYPE_CHECKING = False  # typing is not imported at run time: the routing path must start fast
if TYPE_CHECKING:
    from typing import Any

__all__ = ["DEFAULT_WEIGHTS", "SCANNER", "Features", "analyze", "analyze_text"]

#: Every weight the score uses; `analyze(..., weights={...})` overrides any of them.
DEFAULT_WEIGHTS: dict[str, float] = {
    "base": 0.10,
    "verb_expert": 0.35,
    "verb_routine": 0.20,
    "how_to": 0.15,
    "short_question": -0.10,
    "domain_strong_first": 0.25,
    "domain_strong_more": 0.10,
    "domain_strong_cap": 0.35,
    "domain_weak": 0.05,
    "domain_weak_cap": 0.10,
    "context_domain_cap": 0.15,
    "deliverable": 0.15,
    "depth": 0.15,
    "theory": 0.15,
    "scale": 0.05,
    "scale_cap": 0.10,
    "code_task": 0.05,
    "code_block": 0.05,
    "long_code": 0.10,
    "math": 0.05,
    "reasoning": 0.05,
    "multi_task": 0.05,
    "length_25": 0.05,
    "length_80": 0.10,
    "length_250": 0.15,
    "length_1000": 0.20,
    "steps_2": 0.05,
    "steps_3": 0.10,
    "constraint": 0.03,
    "constraint_cap": 0.09,
    "enumeration": 0.05,
    "questions": 0.05,
    "tools": 0.05,
    "many_tools": 0.10,
    "long_context": 0.05,
    "very_long_context": 0.10,
    "light": -0.05,
    "unstaked_cap": 0.65,
}


_CONTENT_VERBS = frozenset(tables.CONTENT_VERBS)
_TEACH_VERBS = frozenset(tables.TEACH_VERBS)
_STRONG_KINDS = tuple(("strong:" + d, d) for d in tables.STRONG_DOMAINS)
_WEAK_KINDS = tuple(("weak:" + d, d) for d in tables.WEAK_DOMAINS)
_EMPTY: frozenset[str] = frozenset()
_DELTA_TEXTS: dict[float, str] = {}  # delta -> " (+0.25)", filled by Features.reason_strings


def _delta_text(delta: float) -> str:
    """' (+0.25)' for a delta, remembered for float deltas (they repeat: weights and their sums)."""
    text = f" ({delta:+.2f})"
    if type(delta) is float and len(_DELTA_TEXTS) < 4096:
        _DELTA_TEXTS[delta] = text
    return text


def _domain_order(item: tuple[str, float]) -> tuple[float, str]:
    return -item[1], item[0]  # strongest first, then by name


class Features(Record):
    """What `analyze` found, and the complexity it adds up to with the reasons that moved it."""

    __slots__ = (
        "code_blocks",
        "complexity",
        "constraints",
        "context_words",
        "domain",
        "domains",
        "has_code",
        "language",
        "list_items",
        "questions",
        "reasons",
        "sentences",
        "steps",
        "task",
        "tasks",
        "tools",
        "turns",
        "verb",
        "verb_class",
        "words",
    )
    complexity: float
    reasons: tuple[tuple[str, float], ...]
    domain: str | None
    domains: tuple[tuple[str, float], ...]
    task: str
    tasks: tuple[str, ...]
    verb: str | None
    verb_class: str | None
    words: int
    sentences: int
    steps: int
    constraints: int
    list_items: int
    code_blocks: int
    has_code: bool
    questions: int
    language: str
    turns: int
    tools: int
    context_words: int

    def __init__(
        self,
        complexity: float,
        reasons: tuple[tuple[str, float], ...],
        domain: str | None,
        domains: tuple[tuple[str, float], ...],
        task: str,
        tasks: tuple[str, ...],
        verb: str | None,
        verb_class: str | None,
        words: int,
        sentences: int,
        steps: int,
        constraints: int,
        list_items: int,
        code_blocks: int,
        has_code: bool,
        questions: int,
        language: str,
        turns: int = 1,
        tools: int = 0,
        context_words: int = 0,
    ) -> None:
        # the slots' own setters (in __slots__ order): cheaper than object.__setattr__ by name
        (
            set_code_blocks, set_complexity, set_constraints, set_context_words, set_domain, set_domains,
            set_has_code, set_language, set_list_items, set_questions, set_reasons, set_sentences, set_steps,
            set_task, set_tasks, set_tools, set_turns, set_verb, set_verb_class, set_words,
        ) = self._slot_setters  # fmt: skip
        set_complexity(self, complexity)
        set_reasons(self, reasons)
        set_domain(self, domain)
        set_domains(self, domains)
        set_task(self, task)
        set_tasks(self, tasks)
        set_verb(self, verb)
        set_verb_class(self, verb_class)
        set_words(self, words)
        set_sentences(self, sentences)
        set_steps(self, steps)
        set_constraints(self, constraints)
        set_list_items(self, list_items)
        set_code_blocks(self, code_blocks)
        set_has_code(self, has_code)
        set_questions(self, questions)
        set_language(self, language)
        set_turns(self, turns)
        set_tools(self, tools)
        set_context_words(self, context_words)

    def reason_strings(self) -> tuple[str, ...]:
        """Reasons as short strings, e.g. 'legal: liability (+0.25)'."""
        get = _DELTA_TEXTS.get
        return tuple([name + (get(delta) or _delta_text(delta)) for name, delta in self.reasons])

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        out = {name: getattr(self, name) for name in self.__slots__}
        out["complexity"] = round(self.complexity, 4)
        out["reasons"] = [{"signal": n, "delta": round(d, 4)} for n, d in self.reasons]
        out["domains"] = dict(self.domains)
        out["tasks"] = list(self.tasks)
        return out


def _score(
    scan: _Scan, context: _Scan | None, w: Mapping[str, float], *, tools: int, turns: int, context_tokens: int
) -> Features:
    reasons: list[tuple[str, float]] = []  # zero deltas (a weight set to 0) are dropped before the total
    add = reasons.append

    add(("base", w["base"]))
    g: Callable[[str, frozenset[str]], AbstractSet[str]] = scan.hits.get
    kind = scan.verb_class
    hits = scan.hits
    code = g("CODE", _EMPTY)
    strong_terms = sorted([(t, d) for tag, d in _STRONG_KINDS if tag in hits for t in hits[tag]])
    strong = bool(strong_terms)
    # work on given material (summarize, translate, ...) stays routine whatever the material is about
    material = scan.verb in _CONTENT_VERBS
    # a blog post or guide about a specialist subject explains it; a message, a card, a poem or a story about
    # it is everyday or creative writing: neither does the specialist work
    expository = "EXPOSITORY" in scan.hits or "EVERYDAY" in scan.hits or "CREATIVE" in scan.hits
    advice = (
        strong
        and not material
        and not g("LIGHT", _EMPTY)
        and not (scan.definition and scan.words <= 10)
        and (
            bool(g("ADVICE", _EMPTY))
            # a bare question is advice when it is the asker's own case or dense with specialist terms
            # (a question asking a fact, "what does IPO stand for?", is trivia whatever story is around it)
            or (
                kind in (None, "question", "simple")
                and "FACT" not in scan.hits
                and (scan.first_person or (scan.questions and len(strong_terms) > 1))
            )
        )
    )
    if advice and kind != "expert":
        kind = "expert"
        add((f"high-stakes advice: {min(g('ADVICE', _EMPTY) or {strong_terms[0][0]})}", w["verb_expert"]))
    elif (  # a judgement asked in two parts is a multi-faceted analysis
        scan.two_part
        and kind in (None, "question", "routine")
        and not material
        and (scan.analytic or g("REASONING", _EMPTY) or g("ADVICE", _EMPTY) or g("COMPARE", _EMPTY))
        and (not scan.definition or g("COMPARE", _EMPTY))  # "what are the differences ...", not "what is X"
    ):
        kind = "expert"
        add(("two-part analytical question", w["verb_expert"]))
    elif (  # asking for trade-offs is an evaluation, also when asked to explain or lay them out
        (kind in (None, "question") or (kind == "routine" and scan.verb in _TEACH_VERBS))
        and g("TRADE_OFF", _EMPTY)
        and scan.words > 12
    ):
        kind = "expert"
        add((f"asks for {min(g('TRADE_OFF', _EMPTY))}", w["verb_expert"]))
    elif kind in (None, "question") and g("COMPARE", _EMPTY):
        kind = "routine"
        add(("comparison", w["verb_routine"]))
    elif kind in (None, "simple") and not scan.questions and g("DESIGN_NOUN", _EMPTY):
        kind = "expert"
        add((f"asks for {min(g('DESIGN_NOUN', _EMPTY))}", w["verb_expert"]))
    elif kind in (None, "simple") and not scan.questions and (g("ARTIFACT", _EMPTY) or g("DELIVERABLE", _EMPTY)):
        kind = "routine"
        add((f"asks for {min(g('ARTIFACT', _EMPTY) or g('DELIVERABLE', _EMPTY))}", w["verb_routine"]))
    elif kind is None and not scan.questions and code:
        kind = "routine"
        add((f"asks for code: {min(code)}", w["verb_routine"]))
    elif kind == "expert":
        add((f"expert task '{scan.verb}'", w["verb_expert"]))
    elif (  # writing code that uses a specialist primitive (bcrypt, AES) is implementation, routine work
        kind == "routine" and strong and not material and scan.verb not in _TEACH_VERBS and not expository and not code
    ):
        kind = "expert"
        add((f"specialist task '{scan.verb}'", w["verb_expert"]))
    elif kind == "routine":
        add((f"routine task '{scan.verb}'", w["verb_routine"]))
    elif kind in ("question", None) and scan.analytic == 2 and not scan.first_person and scan.words > 6:
        kind = "routine"  # weighs as analysis; its specialist terms count as in a routine ask
        add(("causal or forecast question", w["verb_expert"]))
    elif kind in ("question", None) and (scan.analytic or g("REASONING", _EMPTY)) and scan.words > 5:
        kind = "routine"
        add(("analytical question", w["verb_routine"]))
    elif kind in ("question", None, "simple") and code and scan.words > 6:  # also "show me how"
        add(("technical how-to question", w["how_to"]))
    elif kind in ("question", "simple") and scan.words <= 12 and not g("DEPTH", _EMPTY) and not g("THEORY", _EMPTY):
        add(("short plain question", w["short_question"]))
    # specialist vocabulary counts in full for specialist work, less for routine work, little in a question
    deliverables = g("DELIVERABLE", _EMPTY) - {scan.verb}
    if deliverables and "ARTIFACT" in scan.hits:  # an everyday kind ("meal plan", "lesson plan") is no deliverable
        deliverables = {d for d in deliverables if not any(a.endswith(" " + d) for a in scan.hits["ARTIFACT"])}
    heavy = bool(deliverables) and not code and not expository
    n_strong = len(strong_terms)
    if material:
        stake = 0.0
    elif kind == "expert" or (kind == "routine" and (heavy or (n_strong >= 2 and not code))):
        stake = 1.0
    else:
        stake = 0.5 if kind == "routine" else 0.25
    if scan.verbs >= 2:
        add(("several tasks", w["multi_task"]))
    # domains: specialist vocabulary, then topic words, then what earlier turns lend
    strength: dict[str, float] = {}
    total = 0.0
    for i, (term, domain) in enumerate(strong_terms):
        delta = (w["domain_strong_first"] if i == 0 else w["domain_strong_more"]) * stake
        delta = round(min(delta, w["domain_strong_cap"] * stake - total), 4)
        if delta <= 0:
            break
        total += delta
        strength[domain] = strength.get(domain, 0.0) + delta
        add((f"{domain}: {term}", delta))
    weak_total = 0.0
    for tag, domain in _WEAK_KINDS:
        if tag not in scan.hits:
            continue
        for term in sorted(scan.hits[tag]):
            delta = min(w["domain_weak"], w["domain_weak_cap"] - weak_total)
            strength[domain] = strength.get(domain, 0.0) + w["domain_weak"]
            if delta > 0:
                weak_total += delta
                add((f"{domain} topic: {term}", delta))
    if code:
        strength["code"] = strength.get("code", 0.0) + w["domain_weak"] * len(code)
    staked = strong  # high-stakes vocabulary here or earlier in the conversation
    if context is not None:
        lent = 0.0
        for tag, domain in _STRONG_KINDS:
            staked = staked or bool(context.get(tag))
            if context.get(tag) and domain not in strength:
                delta = min(w["domain_strong_first"] / 2, w["context_domain_cap"] - lent)
                if delta > 0:
                    lent += delta
                    strength[domain] = delta
                    add((f"{domain} (earlier in the conversation)", delta))
    # the work asked for
    if deliverables and kind in ("routine", "expert") and not code and not material:
        add((f"deliverable: {min(deliverables)}", w["deliverable"]))
    if g("DEPTH", _EMPTY) or scan.long_answer:
        add((f"depth: {min(g('DEPTH', _EMPTY) or {'long answer'})}", w["depth"]))
    theory = g("THEORY", _EMPTY)
    if theory and kind != "question":
        add((f"theory: {min(theory)}", w["theory"]))
    scale = g("SCALE", _EMPTY)
    if scale:
        add((f"scale: {', '.join(sorted(scale)[:2])}", min(w["scale"] * len(scale), w["scale_cap"])))
    if code and kind in ("routine", "expert"):
        add(("code task", w["code_task"]))
    if scan.code_blocks:
        add((f"{scan.code_blocks} code block(s)", min(w["code_block"] * scan.code_blocks, 3 * w["code_block"])))
    if scan.code_lines > 30:
        add((f"{scan.code_lines} lines of code", w["long_code"]))
    if g("MATH", _EMPTY) and kind not in ("question", "simple", None):
        add(("math", w["math"]))
    if g("REASONING", _EMPTY) and kind != "question":
        add(("reasoning", w["reasoning"]))
    # structure
    plain = kind in (None, "question", "simple")
    for limit, key in ((1000, "length_1000"), (250, "length_250"), (80, "length_80"), (25, "length_25")):
        if scan.words > limit and not (plain and limit == 25):
            add((f"{scan.words} words", w["length_25"] if material else w[key]))
            break
    if not material:  # the steps, constraints, lists and questions of given material are not the ask's
        if scan.steps >= 3:
            add((f"{scan.steps} steps", w["steps_3"]))
        elif scan.steps == 2:
            add(("2 steps", w["steps_2"]))
        if scan.constraints:
            add((f"{scan.constraints} constraint(s)", min(w["constraint"] * scan.constraints, w["constraint_cap"])))
        if scan.enumeration and not plain:
            add(("enumerated items", w["enumeration"]))
        if scan.questions >= 2:
            add((f"{scan.questions} questions", w["questions"]))
    if tools:
        add((f"{tools} tool(s)", w["many_tools"] if tools > 3 else w["tools"]))
    if context_tokens > 8000:
        add((f"long context (~{context_tokens} tokens)", w["very_long_context"]))
    elif context_tokens > 2000:
        add((f"long context (~{context_tokens} tokens)", w["long_context"]))
    light = g("LIGHT", _EMPTY)
    if light:
        add((f"asks for brevity: {min(light)}", w["light"]))
    reasons[:] = [r for r in reasons if r[1]]  # in place: `add` appends to this list
    total = sum([d for _, d in reasons])
    if total > w["unstaked_cap"] and not staked:
        # premium is high-stakes specialist work: without its vocabulary (here or earlier) the score stays below it
        add(("no high-stakes vocabulary", w["unstaked_cap"] - total))
        total = w["unstaked_cap"]
    complexity = round(min(1.0, max(0.0, total)), 4)
    tasks = _tasks(scan, kind)
    domains = tuple(sorted([(d, round(s, 4)) for d, s in strength.items() if s > 0], key=_domain_order))
    return Features(  # positional: the order of Features.__init__
        complexity,
        tuple(reasons),
        domains[0][0] if domains else None,
        domains,
        tasks[0],
        tasks,
        scan.verb,
        kind,
        scan.words,
        scan.sentences,
        scan.steps,
        scan.constraints,
        scan.list_items,
        scan.code_blocks,
        scan.has_code or bool(g("CODE", _EMPTY)),
        scan.questions,
        scan.language,
        turns,
        tools,
        context.words if context is not None else 0,
    )


def _tasks(scan: _Scan, kind: str | None) -> tuple[str, ...]:
    h = scan.hits  # a kind is present only with at least one entry
    out: list[str] = []
    if "TRANSLATE" in h or scan.language != "en":
        out.append("multilingual")
    if scan.code_blocks or ("CODE" in h and kind in ("routine", "expert")):
        out.append("code")
    if "MATH" in h or scan.arith:
        out.append("math")
    if "CREATIVE" in h:
        out.append("creative")
    if "EXTRACT" in h:
        out.append("extraction")
    if kind == "expert" or "REASONING" in h or "THEORY" in h:
        out.append("reasoning")
    out.append("chat")
    return tuple(dict.fromkeys(out))


def _one_turn(text: str, weights: Mapping[str, float] | None, tools: int = 0) -> Features:
    """Features of a single user prompt: no context, one turn."""
    w = DEFAULT_WEIGHTS if not weights else {**DEFAULT_WEIGHTS, **weights}
    return _score(_Scan(text), None, w, tools=tools, turns=1, context_tokens=(len(text) + 3) // 4)


def analyze_text(text: str, *, weights: Mapping[str, float] | None = None) -> Features:
    """Features of a single prompt."""
    return _one_turn(text, weights)


def analyze(request: ChatRequest | str | Sequence[Message], *, weights: Mapping[str, float] | None = None) -> Features:
    """Features of a request (a prompt string, a message list or a ChatRequest), whole conversation read."""
    if isinstance(request, str):
        return _one_turn(request, weights)
    messages = request.messages if isinstance(request, ChatRequest) else tuple(request)
    tools = len(request.tools) if isinstance(request, ChatRequest) else 0
    if len(messages) == 1 and messages[0].role == "user":
        return _one_turn(messages[0].text, weights, tools)
    w = DEFAULT_WEIGHTS if not weights else {**DEFAULT_WEIGHTS, **weights}
    last_user = next((i for i in range(len(messages) - 1, -1, -1) if messages[i].role == "user"), None)
    main = messages[last_user].text if last_user is not None else (messages[-1].text if messages else "")
    # earlier user turns and the system prompt lend their domain (bounded, so huge histories stay cheap)
    context_parts = [m.text[-2000:] for i, m in enumerate(messages) if i != last_user and m.role in ("user", "system")]
    context = _Scan(" \n".join(context_parts)) if context_parts else None
    chars = sum(len(m.text) for m in messages)
    turns = sum(1 for m in messages if m.role == "user")
    return _score(_Scan(main), context, w, tools=tools, turns=max(turns, 1), context_tokens=(chars + 3) // 4)
