from __future__ import annotations

import pytest

from a3m_integrations._lexicon import CODE_AMBIGUOUS
from a3m_integrations.signals import DEFAULT_WEIGHTS, analyze, analyze_text
from a3m_integrations.types import ChatRequest, Message, ToolSpec


@pytest.mark.parametrize(
    ("prompt", "domain"),
    [
        ("Review this lease for liability and indemnification risks", "legal"),
        ("Suggest a differential diagnosis for these symptoms and lab results", "medical"),
        ("Build a discounted cash flow valuation for this acquisition", "finance"),
        ("Perform a penetration test plan and threat model for our API", "security"),
        ("Write a Python function that parses ISO dates", "code"),
        ("Write a literature review of empirical studies on transformer pruning", "research"),
    ],
)
def test_domains(prompt: str, domain: str) -> None:
    assert analyze_text(prompt).domain == domain


@pytest.mark.parametrize(
    ("prompt", "task"),
    [
        ("Write a JavaScript function to debounce a callback", "code"),
        ("Calculate the integral of x squared from 0 to 3", "math"),
        ("Write a haiku about the sea", "creative"),
        ("Translate this paragraph into German", "multilingual"),
        ("Summarize the key points of this meeting transcript", "extraction"),
        ("Analyze the trade-offs of remote work for startups", "reasoning"),
        ("hello there", "chat"),
    ],
)
def test_tasks(prompt: str, task: str) -> None:
    assert analyze_text(prompt).task == task


def test_structure_counts() -> None:
    text = (
        "First, list the risks. Then rank them. Finally, propose fixes.\n"
        "1. must keep latency under 100 ms\n2. should avoid new services\n"
        "```python\nprint('x')\n```\nDoes it scale? Is it safe?"
    )
    f = analyze_text(text)
    assert f.steps >= 3
    assert f.constraints >= 2
    assert f.list_items == 2
    assert f.code_blocks == 1 and f.has_code
    assert f.questions == 2


@pytest.mark.parametrize(
    ("prompt", "language"),
    [
        ("Wie kann ich die Datenbank für eine große Anwendung mit vielen Nutzern optimieren?", "de"),
        ("Comment puis-je optimiser la base de données pour une application avec des utilisateurs?", "fr"),
        ("¿Cómo puedo optimizar la base de datos para una aplicación con muchos usuarios?", "es"),
        ("如何为大型应用优化数据库？", "zh"),
        ("データベースを最適化する方法を教えてください", "ja"),
        ("Как оптимизировать базу данных?", "ru"),
        ("How do I optimize the database for the app?", "en"),
    ],
)
def test_language(prompt: str, language: str) -> None:
    f = analyze_text(prompt)
    assert f.language == language
    if language != "en":
        assert "multilingual" in f.tasks


def test_reasons_add_up_to_the_score() -> None:
    f = analyze_text("Design a fault-tolerant payment system. First model failures, then write a migration plan.")
    assert f.complexity == pytest.approx(min(1.0, max(0.0, sum(d for _, d in f.reasons))), abs=1e-3)
    assert any("expert task 'design'" in r for r in f.reason_strings())


def test_simple_short_expert_ordering() -> None:
    trivial = analyze_text("What is the capital of France?").complexity
    routine = analyze_text("Write a Python function to reverse a string").complexity
    analytic = analyze_text("Analyze the economic implications of automation on developing countries").complexity
    expert = analyze_text("Review this merger contract for liability and indemnification exposure").complexity
    assert trivial < routine < analytic < expert


def test_specialist_words_count_less_in_trivia_than_in_expert_work() -> None:
    trivia = analyze_text("What is a tort?").complexity
    advice = analyze_text("Is this non-compete enforceable in California, and what is our exposure?").complexity
    assert trivia < 0.2 <= 0.7 <= advice


def test_conversation_lends_domain_and_counts_tools() -> None:
    history = ChatRequest.of(
        [
            Message.system("You are counsel for a hospital network."),
            Message.user("We are negotiating a merger agreement with indemnification caps."),
            Message.assistant("Understood."),
            Message.user("What about clause 7?"),
        ]
    )
    alone = analyze_text("What about clause 7?")
    f = analyze(history)
    assert f.complexity > alone.complexity
    assert any("earlier in the conversation" in r for r in f.reason_strings())
    assert f.turns == 2
    tools = ChatRequest.of("Book a table for two", tools=[ToolSpec(f"t{i}") for i in range(5)])
    assert analyze(tools).tools == 5
    assert analyze(tools).complexity > analyze_text("Book a table for two").complexity


def test_weights_override_and_bounds() -> None:
    base = analyze_text("Design a schema for orders")
    heavier = analyze_text("Design a schema for orders", weights={"verb_expert": 0.6, "unstaked_cap": 1.0})
    assert heavier.complexity == pytest.approx(base.complexity + 0.25, abs=1e-6)
    maxed = analyze_text("x", weights={"base": 5.0, "unstaked_cap": 5.0})
    assert maxed.complexity == 1.0
    assert set(DEFAULT_WEIGHTS) >= {"base", "verb_expert", "domain_strong_first"}


@pytest.mark.parametrize("text", ["", " ", "\x00\x01", "🙂" * 50, "a" * 100_000, "word " * 20_000, "\ud800 lone"])
def test_odd_input_never_crashes(text: str) -> None:
    f = analyze_text(text)
    assert 0.0 <= f.complexity <= 1.0
    assert f.to_dict()["complexity"] == round(f.complexity, 4)


@pytest.mark.parametrize("word", CODE_AMBIGUOUS)
def test_a_code_fence_with_only_ambiguous_code_words_is_code(word: str) -> None:
    """A fence plus only ambiguous code words ('bug', 'query', ...) raised KeyError('CODE'); now it is code."""
    for prompt in (f"fix the {word}\n```\nx = 1\n```", f"explain this {word}: ```select * from t```"):
        s = analyze_text(prompt)
        assert s.has_code and s.code_blocks == 1
        assert "code" in dict(s.domains)


def test_without_high_stakes_vocabulary_the_score_stays_below_premium() -> None:
    cap = DEFAULT_WEIGHTS["unstaked_cap"]
    plain = analyze_text("Design a schema for orders", weights={"verb_expert": 0.6})
    assert plain.complexity == cap
    assert any(r.startswith("no high-stakes vocabulary") for r in plain.reason_strings())
    staked = analyze_text("Design a schema for orders under HIPAA", weights={"verb_expert": 0.6})
    assert staked.complexity > cap
    history = [Message.system("You advise on HIPAA compliance."), Message.user("Design a schema for orders")]
    assert analyze(history, weights={"verb_expert": 0.6}).complexity > cap  # stakes lent by the conversation


def test_a_weight_set_to_zero_leaves_no_reason_and_the_cap_reason_survives() -> None:
    """Zero deltas are dropped before the total; the unstaked cap's reason is added after that."""
    prompt = "Write a comprehensive literature review on transformer architectures for NLP"
    default = analyze_text(prompt)
    assert any(name == "depth: comprehensive" for name, _ in default.reasons)
    assert default.reasons[-1][0] == "no high-stakes vocabulary"
    zeroed = analyze_text(prompt, weights={"depth": 0.0})
    assert all(delta != 0 for _, delta in zeroed.reasons)
    assert not any(name.startswith("depth:") for name, _ in zeroed.reasons)
    assert zeroed.complexity == round(min(1.0, sum(d for _, d in zeroed.reasons)), 4)
