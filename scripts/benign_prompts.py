#!/usr/bin/env python3
"""Synthetic benign instruction prompts: training augmentation for the injection classifier.

    python scripts/benign_prompts.py [--n 3000] [--seed 11] [--out FILE.jsonl]

Why: deepset/prompt-injections labels some plain task prompts as injections (train rows
"generate c++", "schreibe c++ code") and almost none of its benign rows is an
instruction, so a model trained on it learns "write/generate code" as attack evidence and
flags ordinary work. These prompts show the model what ordinary requests look like: code in
thirty languages and many phrasings, SQL, regexes, configs and shell scripts, writing,
emails, summaries, translations, explanations, planning, analysis and design, everyday
questions, greetings and short multi-turn chit-chat, in English and German, with polite and
terse forms, casing and punctuation varied.

Every text is built from a template in `TEMPLATES` and the word lists in `benign_words.py`,
both written for this project; no evaluation set (routing fixtures, the A3M tier file, the
guardrail fixtures, any test split) is read or copied. Output is deterministic for a seed.
Each prompt carries its template id, so cross-validation can hold whole templates out
(see scripts/train_injection.py).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benign_words import WORDS

__all__ = ["TEMPLATES", "Prompt", "generate"]

DEFAULT_N = 3000
DEFAULT_SEED = 11


@dataclass(frozen=True)
class Prompt:
    text: str
    family: str
    template: str  # "family.index", the unit cross-validation holds out


# (family, wrappable, template). Wrappable templates are imperatives starting with a verb in the
# base form; they may get a polite prefix ("Could you ..."), a suffix, or lower case.
TEMPLATES: list[tuple[str, bool, str]] = [
    # code
    ("code", True, "Write a {lang} function to {task}."),
    ("code", True, "Write a {lang} function that {task_s}."),
    ("code", True, "Create a {lang} program that {task_s}."),
    ("code", True, "Generate {lang} code to {task}."),
    ("code", True, "Implement {algo} in {lang}."),
    ("code", True, "Write {artifact} in {lang}."),
    ("code", True, "Show me how to {task} in {lang}."),
    ("code", True, "Give me a {lang} snippet that {task_s}."),
    ("code", True, "Write {web_artifact}."),
    ("code", True, "Build {web_artifact} and explain the main parts."),
    ("code", True, "Write unit tests for {test_target} using {test_fw}."),
    ("code", True, "Explain what this code does: {snippet}"),
    ("code", True, "Refactor this to be more readable: {snippet}"),
    ("code", True, "Add type hints and a docstring to this: {snippet}"),
    ("code", False, "How do I {task} in {lang}?"),
    ("code", False, "{lang} code to {task}"),
    ("code", False, "{lang}: {task}"),
    ("code", False, "I need a {lang} script that {task_s}."),
    ("code", False, "My {lang} code to {task} fails with {error}. What's wrong?"),
    ("code", False, "What's the cleanest way to {task} in {lang}?"),
    ("code", False, "{algo} in {lang}, with comments please"),
    ("code", False, "Is {lang} or {lang2} better for a beginner who wants to {task}?"),
    ("code", False, "can u write {artifact} in {lang}"),
    # SQL, regex, config, shell
    ("data", True, "Write a SQL query that {sql_task}."),
    ("data", True, "Write a {dialect} query that {sql_task}."),
    ("data", True, "Design a database schema for {table_thing}."),
    ("data", True, "Optimize this query: {sql_snippet}"),
    ("data", True, "Write a regex that matches {regex_thing}."),
    ("data", True, "Give me a regular expression for {regex_thing}."),
    ("data", True, "Write a {config_kind} for {config_goal}."),
    ("data", True, "Create a {config_kind} for {config_goal}."),
    ("data", True, "Write a bash script that {shell_task}."),
    ("data", True, "Write a PowerShell script that {shell_task}."),
    ("data", False, "SQL query that {sql_task}"),
    ("data", False, "How do I write a query that {sql_task} in {dialect}?"),
    ("data", False, "regex for {regex_thing}"),
    ("data", False, "{config_kind} for {config_goal}"),
    ("data", False, "one-liner that {shell_task}?"),
    ("data", False, "What does this regex match: ^[A-Z]{{2}}\\d{{4}}$ ?"),
    # writing
    ("writing", True, "Write {a_piece} about {topic}."),
    ("writing", True, "Write a {tone} {piece} about {topic}."),
    ("writing", True, "Compose {a_piece} about {topic} for {audience}."),
    ("writing", True, "Draft a {tone} {piece} about {topic}, about 200 words."),
    ("writing", True, "Generate three titles for {a_piece} about {topic}."),
    ("writing", True, "Rewrite this sentence to sound more {tone}: {sentence}"),
    ("writing", True, "Proofread this and fix the grammar: {sentence_err}"),
    ("writing", False, "{a_piece} about {topic}, please"),
    ("writing", False, "I need {a_piece} about {topic} for {audience}."),
    ("writing", False, "Can you help me write {a_piece} about {topic}?"),
    # email
    ("email", True, "Write an email to {recipient} {purpose}."),
    ("email", True, "Draft a {tone} email to {recipient} {purpose}."),
    ("email", True, "Help me write a short message to {recipient} {purpose}."),
    ("email", True, "Reply to this email in a {tone} way: {paragraph}"),
    ("email", False, "email to {recipient} {purpose}"),
    ("email", False, "I have to write to {recipient} {purpose}. Any tips on wording?"),
    # summaries, translation
    ("summary", True, "Summarize this in two sentences: {paragraph}"),
    ("summary", True, "Give me the key points of this text: {paragraph}"),
    ("summary", True, "Summarize the following for {audience}: {paragraph}"),
    ("summary", True, "Turn this into three bullet points: {paragraph}"),
    ("summary", False, "TL;DR: {paragraph}"),
    ("summary", False, "{paragraph}\n\nCan you summarise that in one line?"),
    ("summary", False, "What is the main idea of this paragraph? {paragraph}"),
    ("summary", True, "Summarize this document in five bullet points:\n\n{paragraphs}"),
    ("summary", False, "Here is an article.\n\n{paragraphs}\n\n{doc_question}"),
    ("summary", False, "Article: {paragraphs}\nQuestion: {doc_question}"),
    ("summary", True, "Read these notes and write a short status update for my team:\n{paragraphs}"),
    ("summary", True, "Proofread the following text and list any errors:\n\n{paragraphs}"),
    ("summary", False, "{paragraphs}\n\nWhat do you make of this? {doc_question}"),
    ("translate", True, "Translate '{sentence}' into {language}."),
    ("translate", True, "Translate this into {language}: {sentence}"),
    ("translate", True, "Translate this paragraph into {language}: {paragraph}"),
    ("translate", False, "How do you say '{phrase}' in {language}?"),
    ("translate", False, "What's '{phrase}' in {language}?"),
    ("translate", False, "{phrase} in {language}?"),
    ("translate", False, "Is '{sentence}' correct English?"),
    ("translate", False, "How would I say '{phrase}' in {language}?"),
    ("translate", False, "What is the {language} for '{phrase}'?"),
    ("translate", False, "How do people greet each other in {language}?"),
    ("translate", True, "Teach me how to say '{phrase}' in {language}, with pronunciation."),
    ("translate", False, "Can you translate '{phrase}' into {language} and {language2}?"),
    # explanations
    ("explain", True, "Explain {concept} to {audience}."),
    ("explain", True, "Explain {concept} in simple terms."),
    ("explain", True, "Describe {concept} with an example."),
    ("explain", True, "Tell me about {concept}."),
    ("explain", False, "What is {concept}?"),
    ("explain", False, "How does {concept} work?"),
    ("explain", False, "What's the difference between {pair}?"),
    ("explain", False, "ELI5: {concept}"),
    ("explain", False, "Why does {concept} matter?"),
    ("explain", False, "{concept} explained briefly"),
    # planning
    ("plan", True, "Plan {trip}."),
    ("plan", True, "Make an itinerary for {trip}."),
    ("plan", True, "Create {plan_thing}."),
    ("plan", True, "Help me make {plan_thing}."),
    ("plan", True, "Outline the steps for {plan_thing}."),
    ("plan", False, "I need {plan_thing}. Where do I start?"),
    ("plan", False, "Ideas for {trip}?"),
    # analysis and design
    ("analysis", True, "Analyze the pros and cons of {option}."),
    ("analysis", True, "Compare {pair} in a table."),
    ("analysis", True, "Design {system}."),
    ("analysis", True, "Design {system} and explain the trade-offs."),
    ("analysis", True, "Sketch the architecture of {system} for 10,000 users."),
    ("analysis", True, "Analyze {data_thing} and tell me what stands out."),
    ("analysis", True, "Suggest metrics to track for {system}."),
    ("analysis", True, "List the risks of {option}."),
    ("analysis", False, "Should we consider {option}? Give arguments for both sides."),
    ("analysis", False, "How would you design {system}?"),
    ("analysis", False, "What charts would show {data_thing} best?"),
    # everyday
    ("everyday", False, "{everyday_q}"),
    ("everyday", True, "Give me a recipe for {dish}."),
    ("everyday", True, "Suggest a simple recipe for {dish} without an oven."),
    ("everyday", True, "Recommend a book about {book_topic}."),
    ("everyday", True, "Give me five tips for {activity}."),
    ("everyday", False, "What's a good recipe for {dish}?"),
    ("everyday", False, "Any advice for {activity}?"),
    ("everyday", False, "Which books about {book_topic} would you recommend?"),
    # chit-chat, single lines and short transcripts
    ("chat", False, "{greet}"),
    ("chat", False, "{greet}!"),
    ("chat", False, "{small_talk}"),
    ("chat", False, "{reply}"),
    ("chat", False, "{assistant_line}"),
    ("chat", False, "{greet}, {small_talk}"),
    ("chat", False, "{greet}\n{assistant_line}\n{small_talk}"),
    ("chat", False, "User: {greet}\nAssistant: {assistant_line}\nUser: {reply}"),
    ("chat", False, "{reply} {small_talk}"),
    # German
    ("de", False, "Schreibe eine {lang}-Funktion, die {aufgabe}."),
    ("de", False, "Kannst du mir ein {lang}-Skript schreiben, das {aufgabe}?"),
    ("de", False, "Wie implementiere ich {algo} in {lang}?"),
    ("de", False, "Schreibe eine SQL-Abfrage, die {sql_de}."),
    ("de", False, "Gib mir einen regulären Ausdruck für {regex_de}."),
    ("de", False, "Schreib {textart} über {thema}."),
    ("de", False, "Bitte schreibe {textart} über {thema} für meine Oma."),
    ("de", False, "Schreibe eine E-Mail an {empfaenger}, ich möchte {zweck}."),
    ("de", False, "Hilf mir bitte, eine kurze Nachricht an {empfaenger} zu formulieren: ich will {zweck}."),
    ("de", False, "Übersetze bitte ins {sprache}: {satz_de}"),
    ("de", False, "Fasse diesen Text in zwei Sätzen zusammen: {absatz_de}"),
    ("de", False, "Was sind die wichtigsten Punkte? {absatz_de}"),
    ("de", False, "Erkläre mir {konzept_de} in einfachen Worten."),
    ("de", False, "Was ist der Unterschied zwischen {paar_de}?"),
    ("de", False, "Erstelle {plan_de}."),
    ("de", False, "Plane ein Wochenende in {ort_de} für zwei Personen."),
    ("de", False, "Entwirf {system_de} und nenne die wichtigsten Komponenten."),
    ("de", False, "{frage_de}"),
    ("de", False, "{greet}! {small_talk_de}"),
    ("de", False, "{reply_de}"),
    ("de", False, "Kannst du mir helfen, {objekt_de} zu {verb_de}?"),
    ("de", False, "Könntest du bitte {objekt_de} {verb_de}?"),
    ("de", False, "Ich brauche {objekt_de}. Kannst du das für mich {verb_de}?"),
    ("de", False, "Hilf mir, {objekt_de} zu {verb_de}."),
    ("de", False, "Bitte hilf mir bei einer Aufgabe: {objekt_de} {verb_de}."),
    ("de", False, "Können Sie mir {objekt_de} {verb_de}?"),
    ("de", False, "Schreiben Sie bitte {objekt_de}."),
    ("de", False, "Schreib mir {objekt_de}, aber kurz."),
    ("de", False, "Erstelle eine Liste mit Ideen für {objekt_de}."),
    ("de", False, "Wie programmiere ich in {lang} eine Funktion, die {aufgabe}?"),
    ("de", False, "Ich brauche ein {lang}-Programm, das {aufgabe}. Kannst du helfen?"),
    ("de", False, "Schreibe mir bitte eine SQL-Abfrage, die {sql_de}."),
    ("de", False, "Erstelle eine Klasse in {lang}, die {aufgabe}."),
    ("de", False, "Generiere {lang}-Code, der {aufgabe}."),
    ("de", False, "Was heißt '{phrase_de}' auf {dativ_sprache}?"),
    ("de", False, "Wie sagt man '{phrase_de}' auf {dativ_sprache}?"),
    ("de", False, "Übersetze diesen Absatz ins {sprache}: {absatz_de_extra}"),
    ("de", False, "Fasse zusammen:\n\n{absaetze_de}"),
    ("de", False, "Lies bitte den Text und nenne die wichtigsten Termine:\n{absaetze_de}"),
    ("de", False, "Wie funktioniert {konzept_de}? Erklär es mir wie einem Kind."),
    ("de", False, "Gib mir fünf Tipps für {plan_de}."),
    ("de", False, "Vergleiche {paar_de} in einer Tabelle."),
    ("de", False, "Analysiere die Vor- und Nachteile von Homeoffice."),
    ("de", False, "Wie würdest du {system_de} aufbauen?"),
    ("de", False, "Hallo! {frage_de}"),
    ("de", False, "Guten Morgen, ich habe eine Frage: {frage_de}"),
    ("de", False, "{greet}\n{assistant_line_de}\n{small_talk_de}"),
]

_WRAP = [
    ("", "."), ("", "."), ("", "."), ("Please ", "."), ("Can you ", "?"), ("Could you ", "?"),
    ("Could you please ", "?"), ("Would you ", "?"), ("hey, can you ", "?"), ("Hi! Could you ", "? Thanks!"),
    ("I need you to ", "."), ("Quick one: ", ""), ("I'd like you to ", "."), ("Kindly ", "."),
]  # fmt: skip
_SUFFIX = [
    " Thanks!", " Thank you.", " Keep it short.", " Please explain each step.", " :)", " Add comments, please.",
    " No need for a long explanation.", " Use simple language.", " Bullet points are fine.",
]  # fmt: skip
_FAMILY_WEIGHT = {"code": 2.0, "de": 3.0}
_EXTRA: dict[str, list[str]] = {
    "sql_snippet": [
        "SELECT * FROM orders WHERE YEAR(created_at) = 2023 ORDER BY total DESC;",
        "SELECT c.name, (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id) FROM customers c;",
        "SELECT DISTINCT city FROM users WHERE lower(email) LIKE '%@example.com';",
    ],
    "sentence_err": [
        "Me and him goes to the store yesterday.",
        "Their going to announce the results tomorow.",
        "The datas shows a clear increase in sale.",
        "Its a long story, but I have went there twice.",
    ],
    "small_talk_de": [w for w in WORDS["small_talk"] if any(x in w for x in ("geht", "kannst", "klar"))],
    "assistant_line_de": ["Hallo! Wie kann ich helfen?", "Gern geschehen!", "Klar, hier ist eine kürzere Fassung."],
    "reply_de": [w for w in WORDS["reply"] if any(x in w for x in ("danke", "tschüss", "bitte", "passt"))],
}


def _conjugate(phrase: str) -> str:
    """Third person singular of a phrase's first verb: "find the" -> "finds the"."""
    verb, _, rest = phrase.partition(" ")
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        verb = verb[:-1] + "ies"
    elif verb.endswith(("s", "sh", "ch", "x", "z")):
        verb += "es"
    elif verb == "do":
        verb = "does"
    else:
        verb += "s"
    return f"{verb} {rest}".strip()


class _Slots(dict[str, str]):
    """Fills a template's slots on first use; the same slot name gets the same value."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> str:
        if key.endswith("_s") and key[:-2] in WORDS:
            value = _conjugate(self[key[:-2]])
        elif key.startswith("a_"):
            word = self[key[2:]]
            value = ("an " if word[0].lower() in "aeiou" else "a ") + word
        elif key in ("lang2", "language2"):
            value = self.rng.choice([x for x in WORDS[key[:-1]] if x != self[key[:-1]]])
        elif key in ("paragraphs", "absaetze_de"):
            pool = WORDS["paragraph"] if key == "paragraphs" else WORDS["absatz_de"] + WORDS["absatz_de_extra"]
            value = "\n\n".join(self.rng.sample(pool, self.rng.randint(3, 7)))
        else:
            value = self.rng.choice(WORDS.get(key) or _EXTRA[key])
        self[key] = value
        return value


def _wrap(text: str, rng: random.Random) -> str:
    prefix, end = rng.choice(_WRAP)
    if prefix:
        text = prefix + text[0].lower() + text[1:]
        if text.endswith(".") and ":" not in text:
            text = text[:-1] + end
    if rng.random() < 0.15:
        text += rng.choice(_SUFFIX)
    return text


def _vary_case(text: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.12:
        text = text.lower()
    elif r < 0.2 and text[-1:] in ".?!":
        text = text[:-1]
    return text


def generate(n: int = DEFAULT_N, seed: int = DEFAULT_SEED) -> list[Prompt]:
    """`n` distinct benign prompts (fewer if the templates run out), deterministic for `seed`.

    A family is drawn first (code twice and German three times as often as the others), then a template
    within it, so the families with many templates do not crowd out the rest.
    """
    rng = random.Random(seed)
    families = sorted({f for f, _, _ in TEMPLATES})
    weights = [_FAMILY_WEIGHT.get(f, 1.0) for f in families]
    by_family = {f: [(i, w, t) for i, (g, w, t) in enumerate(TEMPLATES) if g == f] for f in families}
    out: list[Prompt] = []
    seen: set[str] = set()
    for _ in range(50 * n):
        if len(out) >= n:
            break
        family = rng.choices(families, weights)[0]
        index, wrappable, template = rng.choice(by_family[family])
        text = template.format_map(_Slots(rng))
        if wrappable:
            text = _wrap(text, rng)
        text = _vary_case(text, rng)
        if text.lower() in seen:
            continue
        seen.add(text.lower())
        out.append(Prompt(text, family, f"{family}.{index}"))
    return out


def jsonl_main(
    description: str, default_n: int, default_seed: int, rows: Callable[[int, int], list[dict[str, object]]]
) -> int:
    """The command line both generators share: `--n`, `--seed`, `--out` (JSONL; stdout by default)."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--n", type=int, default=default_n)
    ap.add_argument("--seed", type=int, default=default_seed)
    ap.add_argument("--out", type=Path, help="JSONL file (default: stdout)")
    args = ap.parse_args()
    lines = [json.dumps(row, ensure_ascii=False) for row in rows(args.n, args.seed)]
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        print("\n".join(lines))
    return 0


def main() -> int:
    return jsonl_main(
        "write synthetic benign prompts as JSONL",
        DEFAULT_N,
        DEFAULT_SEED,
        lambda n, seed: [
            {"text": p.text, "label": 0, "family": p.family, "template": p.template} for p in generate(n, seed)
        ],
    )


if __name__ == "__main__":
    sys.exit(main())
