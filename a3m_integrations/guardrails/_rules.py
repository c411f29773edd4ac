"""Prompt-injection rules: named, weighted patterns over the normalised (lower-case) text.

Each rule's weight is its stand-alone belief that a text it fires on is an attack; weights are
combined with the model's probability by noisy-OR (see injection.py). Rules are grouped by
family (the part of the name before the dot) and cover English, German, French, Spanish,
Italian, Portuguese, Dutch, Croatian/Serbian and Russian phrasings. Obfuscation families
(`obfuscation.*`) come from normalisation flags rather than patterns.

A cheap trigger test gates each rule: its regex runs only when one of its trigger substrings
occurs in the text, which keeps the scan of a 1 KB message well under a tenth of a millisecond.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from a3m_integrations.guardrails._lazyre import LazyRegex

__all__ = ["OBFUSCATION_WEIGHTS", "RULES", "Rule", "match_rules"]


@dataclass(frozen=True, slots=True)
class Rule:
    """A named pattern with a weight in (0, 1) and the substrings that must occur for it to run."""

    name: str
    weight: float
    pattern: LazyRegex
    triggers: tuple[str, ...]
    description: str


def _rule(name: str, weight: float, triggers: Iterable[str], pattern: str, description: str) -> Rule:
    return Rule(name, weight, LazyRegex(pattern, re.DOTALL), tuple(triggers), description)


# Shared vocabulary -------------------------------------------------------------------------
_FORGET_EN = r"(?:ignor(?:e|ing)|disregard(?:ing)?|forget(?:ting)?|skip|bypass|override|overlook|neglect|abandon|drop|discard|erase|delete|clear|set aside|pay no attention to|do not follow|don'?t follow|stop following)"
_PRIOR_EN = (
    r"(?:(?:all|any|every|the|your|my|these|those|that|this|of|previous|prior|above|preceding|earlier|initial|original|"
    r"foregoing|former|old|past|existing|current|given|system|developer|safety|everything|what|was|were|i|you|have|"
    r"said|told|before)\b|\s|,){0,16}"
)
_TARGET_EN = r"(?:instructions?|prompts?|rules|directions?|guidelines|commands?|orders|context|tasks?|assignments?|programming|constraints|restrictions|directives?|policies|thoughts|documents?|articles?|sources)"
_FORGET_DE = r"(?:ignorier\w*|vergiss|vergessen\s+sie|vergesst|missachte\w*|verwirf|lösche|streich\w*|höre?\s+nicht\s+auf|hör\s+nicht\s+auf)"
_TARGET_DE = r"(?:anweisung\w*|instruktion\w*|befehl\w*|aufträge|auftrag|aufgaben?|regeln|vorgaben|richtlinien|gesagte\w*|alles|informationen|kontext)"


RULES: tuple[Rule, ...] = (
    # Instruction override ------------------------------------------------------------------
    _rule(
        "override.ignore_previous",
        0.9,
        (
            "ignor",
            "disregard",
            "forget",
            "skip",
            "bypass",
            "override",
            "overlook",
            "neglect",
            "abandon",
            "drop",
            "discard",
            "erase",
            "delete",
            "clear",
            "aside",
            "attention",
            "follow",
        ),
        rf"\b{_FORGET_EN}\s+{_PRIOR_EN}\b{_TARGET_EN}\b",
        "tells the model to drop the instructions it was given (English)",
    ),
    _rule(
        "override.forget_everything",
        0.85,
        ("forget", "ignore", "disregard"),
        r"\b(?:forget|ignore|disregard)\s+(?:about\s+)?(?:all\s+of\s+)?(?:everything|all(?:\s+that)?|anything|what)\b"
        r"(?:\s+(?:above|before|previously|prior|earlier|we\s+(?:discussed|talked|said)|i\s+(?:said|told|wrote)|you\s+(?:know|were\s+told|have\s+been\s+told)|that\s+came\s+before|said\s+before))",
        "forget everything said before (English)",
    ),
    _rule(
        "override.ignore_previous_de",
        0.9,
        ("ignor", "vergiss", "vergessen", "vergesst", "missacht", "verwirf", "lösche", "streich", "nicht auf"),
        rf"\b{_FORGET_DE}\s+(?:\w+\s+){{0,5}}?{_TARGET_DE}"
        r"|\b(?:alle|sämtliche)\s+(?:vorangegangenen|vorherigen|bisherigen|vorigen|obigen)\s+\w+\s+(?:aus\s+dem\s+kopf|zu\s+vergessen|zu\s+ignorieren)",
        "tells the model to drop its instructions (German)",
    ),
    _rule(
        "override.ignore_previous_intl",
        0.9,
        (
            "olvid",
            "ignor",
            "oubli",
            "dimentic",
            "esqueç",
            "esquec",
            "vergeet",
            "negeer",
            "zaboravi",
            "забудь",
            "игнорир",
            "zapomnij",
            "unutma",
        ),
        r"\b(?:olvid[ae]\w*|ignor[ae]\w*|oubli\w*|dimentica\w*|esque[çc]a\w*|vergeet|negeer|zaboravi\w*|zapomnij|забудь\w*|игнорир\w*)"
        r"\s+(?:\w+\s+){0,4}?(?:instrucciones|instructions?|istruzioni|instruções|instrucoes|instructies|instrukcije|upute|"
        r"indicaciones|órdenes|ordres|consignes|regole|regras|reglas|règles|regels|todo|tout|tutto|tudo|alles|sve|"
        r"wszystko|instrukcje|инструкции|указания|вс[её])\b",
        "tells the model to drop its instructions (Spanish, French, Italian, Portuguese, Dutch, Croatian, Polish, Russian)",
    ),
    _rule(
        "override.instead",
        0.55,
        ("instead", "stattdessen", "sondern", "en lugar", "au lieu", "invece"),
        r"\b(?:do\s+not|don'?t|never)\s+(?:answer|respond|reply|look|follow|translate|summari[sz]e)\b.{0,60}?\b(?:but|instead)\b"
        r"|\binstead\s*,?\s+(?:just\s+|only\s+)?(?:say|print|output|write|reply|respond|answer|tell)\b"
        r"|\bnicht\s+(?:\w+\s+){0,3}(?:sondern|stattdessen)\s+(?:schreib|sag|gib)\w*",
        "redirects the model from its task to another output",
    ),
    _rule(
        "override.new_task",
        0.45,
        ("now", "new", "nun", "jetzt", "neue", "here comes", "second", "next", "ahora", "maintenant"),
        r"\b(?:now|next)\s*,?\s+(?:comes?|follows?|here\s+(?:is|are|comes))\s+(?:a\s+|the\s+|your\s+)?(?:new|next|second|further|another|real|actual)\s+(?:\w+\s+)?(?:task|instruction|test|assignment|job|challenge)s?"
        r"|\b(?:your|the)\s+(?:new|real|actual|true|next)\s+(?:task|instructions?|assignment|goal|mission|objective|role|purpose)\s+(?:is|are|will\s+be)\b"
        r"|\b(?:new|updated|revised)\s+(?:instructions?|rules|task|directive|orders)\s*[:\-]"
        r"|\bhere\s+comes?\s+(?:the|a|your)\s+(?:new|next|second|real)\s+\w+"
        r"|\b(?:nun|jetzt)\s+(?:folgen|kommt|kommen)\s+(?:eine?\s+)?(?:neue|weitere|nächste)\w*\s+(?:aufgabe|anweisung|auftr[aä]g)\w*"
        r"|\b(?:neue|deine\s+neue)\s+aufgabe\s*(?:ist|lautet|:)"
        r"|\bconcentrat\w*\s+(?:only\s+)?on\s+(?:this|your|the)\s+new\s+task|\bkonzentriere?\s+dich\s+(?:jetzt\s+|nur\s+)*auf\s+(?:diese|deine)\s+(?:neue\s+)?aufgabe",
        "announces a new task that replaces the current one",
    ),
    _rule(
        "override.praise_pivot",
        0.5,
        (
            "well done",
            "great",
            "excellent",
            "good job",
            "enough",
            "gut gemacht",
            "ausgezeichnet",
            "glückwunsch",
            "hervorragend",
            "bravo",
            "perfect",
            "passed",
            "congratulations",
            "sehr gut",
        ),
        r"\b(?:well\s+done|great(?:\s+job|\s+work)?|excellent(?:\s+\w+)?|good\s+job|perfect|bravo|congratulations|"
        r"that\s+is\s+enough|that'?s\s+enough|you\s+(?:have\s+)?passed\s+the\s+\w+\s+test|gut\s+gemacht|sehr\s+gut|"
        r"ausgezeichnet\w*(?:\s+\w+)?|herzlichen\s+glückwunsch\w*|hervorragend\w*)\s*[.!,]+\s*(?:\w+\s+){0,6}?"
        r"(?:now|but\s+now|next|nun|jetzt|here\s+comes|please|bitte)\b"
        r"(?:.{0,80}?\b(?:task|aufgabe|test|instruction|anweisung|forget|vergiss|ignore|help\s+me|auftr))",
        "praises the previous work, then pivots to a new instruction",
    ),
    _rule(
        "override.from_now_on",
        0.3,
        (
            "from now on",
            "von nun an",
            "ab jetzt",
            "ab sofort",
            "à partir de maintenant",
            "a partir de ahora",
            "d'ora in poi",
        ),
        r"\b(?:from\s+now\s+on|von\s+nun\s+an|ab\s+jetzt|ab\s+sofort|à\s+partir\s+de\s+maintenant|a\s+partir\s+de\s+ahora|d'ora\s+in\s+poi)\b"
        r"\s*,?\s*(?:\w+\s+){0,3}?(?:you|your|du|dein\w*|tu|vous|tú|respond|answer|reply|act|only|always|never)\b",
        "changes the model's behaviour for the rest of the conversation",
    ),
    _rule(
        "override.despite",
        0.5,
        ("despite", "regardless", "no matter", "even if", "trotz", "egal"),
        r"\b(?:despite|regardless\s+of|no\s+matter)\s+(?:what|the|any|your)\s+(?:\w+\s+){0,3}?(?:you'?(?:ve|\s+have)?\s+been\s+told|told|instructions?|rules|guidelines|programming|polic(?:y|ies))"
        r"|\byou'?re\s+not\s+supposed\s+to\s+(?:tell|say|refuse)|\byou\s+are\s+supposed\s+to\s+answer\s+at\s+all\s+times",
        "overrides the rules the model was given",
    ),
    # Role play and persona jailbreaks ------------------------------------------------------
    _rule(
        "jailbreak.dan",
        0.9,
        (
            "dan",
            "do anything now",
            "jailbreak",
            "developer mode",
            "dev mode",
            "god mode",
            "stan",
            "dude",
            "aim",
            "antigpt",
            "basedgpt",
            "evil",
            "unfiltered",
            "uncensored",
            "🔓",
        ),
        r"\bdo\s+anything\s+now\b|\bdan\s*(?:mode|prompt|\d+(?:\.\d+)?|jailbreak)\b|\bact\s+as\s+(?:a\s+)?dan\b|\b(?:you\s+are|called|named)\s+dan\b|"
        r"\bjailbr(?:eak|oken)\w*|\b(?:unrestricted|uncensored|unfiltered|evil|chaos|opposite|dan)\s+mode\b|"
        r"\b(?:chatgpt|gpt|ai|you|assistant|model)\s+(?:with|in)\s+(?:developer|dev|god|debug)\s+mode\b|"
        r"\b(?:enable|activate|simulate|enter|switch\s+to|act\s+in)\w*\s+(?:the\s+)?(?:developer|dev|god)\s+mode\b(?!\s+(?:toggle|setting|option|menu))|"
        r"\b(?:developer|dev|god)\s+mode\s+(?:enabled|output|response|activated)\b|"
        r"\b(?:antigpt|basedgpt|evilgpt|dangpt|stangpt|🔓)|\[🔒\s*classic\]|\[🔓\s*jailbreak\]",
        "a known jailbreak persona or mode (DAN, developer mode, AntiGPT, ...)",
    ),
    _rule(
        "jailbreak.no_restrictions",
        0.7,
        (
            "restrict",
            "filter",
            "censor",
            "limit",
            "rules",
            "guideline",
            "moral",
            "ethic",
            "polic",
            "boundar",
            "confines",
            "free",
            "unbound",
            "beschränk",
            "einschränk",
            "regeln",
        ),
        r"\b(?:no|without\s+(?:any|all)?|free\s+(?:of|from)\s+(?:any|all)?|not\s+bound\s+by\s+(?:any)?|ignore\s+(?:all|any)?|"
        r"broken\s+free\s+of|break\s+free\s+(?:of|from)|freed\s+from|beyond|escaped?\s+(?:from)?|unbound\s+by|doesn'?t\s+(?:have|follow|care\s+about)\s+(?:any)?|"
        r"does\s+not\s+(?:have|follow|care\s+about)\s+(?:any)?|don'?t\s+have\s+(?:any|to\s+follow)?|never\s+follows?|ohne(?:\s+jegliche)?|keine)\s+"
        r"(?:\w+\s+){0,3}?(?:restrictions|filters?|censorship|limitations|limits|rules|guidelines|moral\w*|ethic\w*|content\s+polic\w*|"
        r"polic(?:y|ies)|boundaries|confines|safeguards|principles|beschränkungen|einschränkungen|regeln|grenzen|zensur)\b",
        "claims the model has no rules, filters or ethics",
    ),
    _rule(
        "jailbreak.policy_talk",
        0.55,
        ("openai", "content policy", "anthropic", "guidelines", "chatgpt", "language model", "as an ai"),
        r"\b(?:openai|anthropic|google|meta)'?s?\s+(?:content\s+)?(?:polic(?:y|ies)|guidelines|rules|restrictions|filters?)\b"
        r"|\bcontent\s+polic(?:y|ies)\b|\b(?:normal|default|standard|classic|filtered|censored)\s+(?:chatgpt|gpt|ai|assistant)\s+(?:response|answer|output)"
        r"|\b(?:two|2|dual|both)\s+(?:different\s+|separate\s+)?(?:responses|answers|paragraphs|outputs)\b"
        r"|\bstay\s+in\s+character\b|\bbreak(?:ing)?\s+character\b|\b(?:never|don'?t|do\s+not|cannot|can'?t|will\s+not|won'?t)\s+refuse\b",
        "talks about the provider's content policy, dual answers or never refusing (jailbreak templates)",
    ),
    _rule(
        "jailbreak.amoral_persona",
        0.6,
        (
            "amoral",
            "unethical",
            "immoral",
            "illegal",
            "harmful",
            "offensive",
            "sociopath",
            "no morals",
            "nsfw",
            "explicit",
            "profan",
            "swear",
            "curse",
            "hate",
        ),
        r"\b(?:you|he|she|it|they|persona|character|ai|bot|model|assistant)\s+(?:\w+\s+){0,4}?(?:is|are|will\s+be|be|becomes?|acts?\s+as)\s+"
        r"(?:\w+\s+){0,3}?(?:completely\s+|totally\s+|an?\s+)?(?:amoral|unethical|immoral|unfiltered|uncensored|unrestricted|sociopath\w*|evil|malicious|"
        r"rude|offensive|toxic|racist|vulgar)\b"
        r"|\b(?:nsfw|explicit|illegal|unethical|harmful|offensive|immoral)\s+(?:content|acts?|things|requests?|activities|answers|responses)\s+(?:is|are)\s+(?:allowed|permitted|fine|ok)"
        r"|\b(?:swear|curse|profanity|cuss)\w*\s+(?:words?\s+)?(?:is|are)?\s*(?:allowed|required|encouraged|as\s+much)",
        "asks the model to be amoral, unfiltered or offensive",
    ),
    _rule(
        "override.stop_interrupt",
        0.45,
        ("stop", "stopp", "halt", "attention", "achtung"),
        r"\b(?:stop|stopp|halt|attention|achtung)\s*[-–—!:,.]+\s*(?:\w+[:,]?\s+){0,6}?(?:write|say|print|output|ignore|forget|"
        r"schreib\w*|sag|ignorier\w*|vergiss|i\s+(?:urgently\s+)?need\s+you|new\s+(?:task|instructions?|rules))\b",
        "interrupts the task ('stop -', 'attention -') and issues a new command",
    ),
    _rule(
        "output.repeat_after_me",
        0.25,
        ("repeat after me", "sprich mir nach"),
        r"\brepeat\s+after\s+me\b|\bsprich\s+mir\s+nach\b",
        "asks the model to repeat dictated text (weak alone: also a harmless game)",
    ),
    _rule(
        "persona.evil_ai",
        0.4,
        ("evil", "böse", "malicious", "rogue", "unaligned", "bösartig"),
        r"\b(?:you\s+are|you'?re|pretend\s+(?:to\s+be|you\s+are)|act\s+as|du\s+bist|sei|imagine\s+you\s+are|stell\s+dir\s+vor,?\s+du\s+bist)\s+"
        r"(?:an?\s+|eine?\s+)?(?:\w+\s+)?(?:evil|böse|malicious|rogue|unaligned|bösartige?)\s+(?:ai|ki|assistant|chatbot|bot|model|robot|agent)\b",
        "casts the model as an evil AI",
    ),
    _rule(
        "persona.roleplay",
        0.1,
        (
            "act as",
            "pretend",
            "role",
            "you are now",
            "you're now",
            "du bist",
            "bist du",
            "simulate",
            "immerse",
            "play the",
            "spielen",
            "fungieren",
            "tu es",
            "tu eres",
            "sei un",
            "agisci",
            "character",
        ),
        r"\b(?:act(?:ing)?\s+as|pretend(?:ing)?\s+(?:to\s+be|you\s+are|that)|role-?\s?play\w*|immerse\s+yourself|simulate\s+(?:a|an|being)|"
        r"you\s+are\s+(?:now|going\s+to\s+(?:be|act|pretend|play))|you'?re\s+now|play\s+the\s+(?:role|part)\s+of|"
        r"(?:nun|jetzt)\s+bist\s+du|du\s+bist\s+(?:nun|jetzt|ab\s+sofort)|als\s+\w+\s+fungieren|die\s+rolle\s+(?:von|des|der|eines|einer)|"
        r"tu\s+es\s+maintenant|ahora\s+eres|sei\s+un\w*\s+\w+\s+che|agisci\s+come)\b",
        "asks the model to take on a role (weak alone: role play is often harmless)",
    ),
    _rule(
        "persona.fiction_frame",
        0.3,
        (
            "hypothetic",
            "theoretic",
            "fiction",
            "imaginary",
            "film",
            "movie",
            "story",
            "game",
            "play",
            "world",
            "szene",
            "spiel",
            "geschichte",
        ),
        r"\b(?:in\s+a|imagine\s+a|let'?s\s+(?:imagine|pretend|say)\s+(?:a|we\s+are\s+in\s+a)?)\s*(?:completely\s+)?(?:hypothetical|theoretical|fictional|fictitious|imaginary|parallel|alternate)\s+(?:world|universe|scenario|setting|reality)"
        r"|\b(?:film|movie|play|story|novel|scene)\s+(?:about|where)\s+(?:\w+\s+){0,4}?(?:heist|robbery|hack\w*|murder\w*|criminal|drug\w*|bomb|steal\w*|thie\w*|meth|weapon)"
        r"|\b(?:film|szene|geschichte|theaterstück)\s+über\s+(?:einen?\s+)?(?:\w+\s+){0,2}?(?:raub\w*|überfall\w*|hack\w*|mord\w*|verbrech\w*|einbruch\w*|diebstahl)"
        r"|\blet'?s\s+play\s+a\s+game\s+(?:where|in\s+which)\b|\b(?:stay|remain)\s+in\s+(?:the\s+)?(?:role|character)\b"
        r"|\bfor\s+(?:purely\s+)?(?:educational|research|academic)\s+purposes\s+only\b",
        "wraps a request in fiction or hypotheticals to slip past refusals",
    ),
    # System prompt extraction --------------------------------------------------------------
    _rule(
        "extraction.system_prompt",
        0.8,
        (
            "prompt",
            "instruction",
            "system",
            "initial",
            "above",
            "previous",
            "embedding",
            "anweisung",
            "befehl",
            "password",
            "passwort",
            "secret",
            "configuration",
        ),
        r"\b(?:reveal|show|print|output|repeat|display|tell|give|list|leak|dump|expose|recite|share|write\s+(?:down|out)|spell\s*-?check|"
        r"translate|summari[sz]e|what\s+(?:is|are|was|were))\s+(?:me\s+)?(?:\w+\s+){0,3}?(?:your|the|all|any|of)\s+(?:\w+\s+){0,2}?"
        r"(?:system\s+(?:prompt|message|instructions?)|(?:initial|original|hidden|secret|first|internal|pre-?)\s*(?:prompt|instructions?|rules|message)|"
        r"(?:prompt|instructions?)\s+(?:above|you\s+(?:were|have\s+been)\s+given)|embeddings|configuration|training\s+data)"
        r"|\b(?:repeat|print|output|show|spell\s*-?check|copy|translate)\s+(?:\w+\s+){0,3}?(?:text|words|everything|all|content|lines?)\s+(?:above|before\s+this|so\s+far|from\s+the\s+(?:beginning|start))"
        r"|\bwhat\s+(?:was|were|is)\s+(?:written|said|stated)\s+(?:above|before|at\s+the\s+(?:beginning|start))"
        r"|\b(?:sentences?|words|lines|text)\s+(?:before|above|preceding)\s+(?:the|this|my)\s+(?:text|prompt|question|message)\b"
        r"|\b(?:zeige?|gib|nenne|wiederhole)\s+(?:mir\s+)?(?:\w+\s+){0,2}?(?:deine|die|alle)\s+(?:\w+\s+)?(?:anweisungen|instruktionen|systemanweisung\w*|befehle|prompts?)"
        r"|\b(?:reveal|tell|give|what\s+is|what'?s|share|spell|say)\s+(?:me\s+)?(?:\w+\s+){0,2}?(?:the|your)\s+(?:secret\s+)?"
        r"(?:password|passphrase|passwort|wachtwoord|mot\s+de\s+passe|secret\s+(?:key|word|code))\s*(?:[?.!,;:]|$|you|that|which|for\s+(?:level|this))",
        "asks for the system prompt, the instructions above, or a secret the prompt holds",
    ),
    # Delimiter and context tricks ----------------------------------------------------------
    _rule(
        "delimiter.fake_role",
        0.7,
        (
            "<|",
            "[inst",
            "<<sys",
            "###",
            "system:",
            "assistant:",
            "human:",
            "user:",
            "</s>",
            "[system",
            "end of",
            "```",
            "system message",
            "system prompt",
            "admin",
        ),
        r"<\|?\s*(?:im_start|im_end|system|endoftext|end_of_turn|start_header_id|eot_id)\s*\|?>|\[/?inst\]|<</?sys>>|</s>"
        r"|(?:^|\n)\s*(?:#{2,}\s*)?(?:system|developer)\s*(?:prompt|message|instructions?)?\s*:\s*[a-z\"'\[]"
        r"|(?:^|\n)\s*#{2,}\s*(?:new\s+)?(?:instruction|system|task|rules)\b|\[(?:system|admin|developer)\s*(?:message|note|override)?\]"
        r"|\b(?:end|stop)\s+of\s+(?:the\s+)?(?:prompt|input|instructions|context|document|system\s+message)\b"
        r"|\b(?:new|updated|admin|developer|priority)\s+system\s+(?:prompt|message|instructions?)\b|```\s*system\b",
        "fakes a chat-format boundary or a system message inside content",
    ),
    _rule(
        "delimiter.context_poison",
        0.45,
        ("context", "kontext", "document", "dokument"),
        r"\b(?:context|kontext|document\s+context|dokument)\s*[:{\"“]\s*.{0,200}?\b(?:question|frage)\s*:",
        "supplies its own 'context' block before a question to steer the answer",
    ),
    # Forced output -------------------------------------------------------------------------
    _rule(
        "output.forced",
        0.55,
        (
            "say",
            "print",
            "output",
            "write",
            "repeat",
            "answer",
            "respond",
            "reply",
            "sag",
            "schreib",
            "antworte",
            "di ",
            "dis ",
            "dites",
            "only",
        ),
        r"\b(?:just|only|simply|now|then)\s+(?:say|print|output|write|reply|respond|answer|type)\s*(?:with\s+)?[:\"“'«]"
        r"|\b(?:say|print|output|write|reply|respond|answer)\s+(?:only|exactly|just)\s+(?:with\s+)?[\"“'«:]"
        r"|\bsay\s+(?:yes|no)\b[.!]?$|\bprint\s+(?:yay|yes|hello|pwned|hacked)\b"
        r"|\binclude\s+(?:that|the\s+(?:sentence|phrase|words?|statement))\s+.{0,60}?\bin\s+your\s+(?:answer|response|reply|output)"
        r"|\b(?:sag|schreib|antworte|gib)\w*\s+(?:nur|einfach|ausschließlich)\s+(?:mit\s+)?[\"“„':]"
        r"|\b(?:di|dis|dites|dite)\s+(?:lo\s+)?(?:siguiente|suivant|ce\s+qui\s+suit)",
        "dictates the exact output instead of asking a question",
    ),
    _rule(
        "output.pwned",
        0.8,
        ("pwned", "hacked", "been pwn"),
        r"\bi\s+have\s+been\s+(?:pwned|hacked)\b|\b(?:pwned|pwn3d)\b",
        "the HackAPrompt goal phrase 'I have been PWNED'",
    ),
    # Indirect injection and exfiltration (tool results, retrieved pages) -------------------
    _rule(
        "indirect.ai_addressed",
        0.65,
        ("ai", "assistant", "language model", "llm", "chatbot", "gpt", "model"),
        r"\b(?:note|message|instructions?|attention|important|notice)\s+(?:to|for)\s+(?:the\s+|any\s+|all\s+)?(?:ai|assistants?|language\s+models?|llms?|chatbots?|gpt|agents?)\b"
        r"|\bif\s+you\s+are\s+an?\s+(?:ai|llm|language\s+model|assistant|chatbot|agent)\b"
        r"|\b(?:dear|hey|hi|hello)\s+(?:ai|assistant|llm|chatbot|agent)\s*[,!:]\s*(?:\w+\s+){0,3}?(?:ignore|forget|you\s+must|please\s+(?:ignore|do|send|say))",
        "text that addresses the AI reading it (an indirect injection in a page or tool result)",
    ),
    _rule(
        "indirect.exfiltration",
        0.7,
        ("send", "forward", "email", "upload", "post", "exfiltrat", "leak", "http", "!["),
        r"\b(?:send|forward|e-?mail|upload|post|exfiltrate|leak|transmit)\s+(?:\w+\s+){0,4}?(?:conversation|chat\s+history|credentials?|passwords?|api\s+keys?|"
        r"tokens?|secrets?|personal\s+data|user(?:'s)?\s+data|emails|files|contacts|the\s+(?:user|system)\s+prompt)\s+(?:\w+\s+){0,3}?to\b"
        r"|!\[[^\]]{0,40}\]\(https?://[^)\s]{0,200}[?&][a-z_]+=",
        "asks to send data somewhere, or a markdown image URL that carries data out",
    ),
    _rule(
        "encoding.decode_and_follow",
        0.45,
        ("base64", "rot13", "hex", "decode", "encoded", "cipher", "reverse"),
        r"\b(?:decode|decipher|translate|reverse)\s+(?:\w+\s+){0,4}?(?:and|then)\s+(?:\w+\s+){0,2}?(?:follow|execute|do|run|obey|answer|perform)\b"
        r"|\b(?:base64|rot13|rot-13|hex|binary)\s*(?:-?encoded|encoded)?\s+(?:instructions?|prompt|message|commands?)\b",
        "asks the model to decode a payload and act on it",
    ),
)

#: Weights of the obfuscation tricks normalisation found (see `_text.normalize`). Weak alone:
#: zero-width characters and leetspeak appear in harmless copy-pasted text.
OBFUSCATION_WEIGHTS: dict[str, float] = {
    "unicode_tags": 0.7,
    "homoglyph": 0.35,
    "zero_width": 0.15,
    "spaced_letters": 0.15,
    "base64": 0.15,
    "hex": 0.1,
    "leetspeak": 0.05,
}


def match_rules(text: str) -> list[Rule]:
    """The rules that fire on normalised (lower-case) `text`, in table order."""
    fired: list[Rule] = []
    for rule in RULES:
        if any(t in text for t in rule.triggers) and rule.pattern.search(text):
            fired.append(rule)
    return fired
