# ruff: noqa: E501  (a regex reads best on one line)
"""The injection rule table: `Rule`s of gated regex `Clause`s (matching is in `_rules.py`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from a3m_integrations.guardrails._lazyre import LazyRegex

__all__ = ["RULES", "Clause", "Rule"]


@dataclass(frozen=True, slots=True)
class Clause:
    """One pattern of a rule and what every match contains.

    Every match contains one of `words` (or one of the substrings `marks`) and, if `also` is
    set, one of `also` too; the regex runs only when the text has them.
    """

    words: frozenset[str]
    marks: tuple[str, ...]
    pattern: LazyRegex
    also: frozenset[str] = frozenset()


def C(words: str, pattern: str, *, marks: Iterable[str] = (), also: str = "") -> Clause:  # noqa: N802
    """A clause: space-separated trigger words, a regex, optional trigger substrings and second word set."""
    regex = LazyRegex(pattern, re.DOTALL, skip_ahead=True)
    return Clause(frozenset(words.split()), tuple(marks), regex, frozenset(also.split()))


@dataclass(frozen=True, slots=True)
class Rule:
    """A named rule: it fires when any of its clauses matches."""

    name: str
    weight: float
    description: str
    clauses: tuple[Clause, ...]

    @classmethod
    def make(cls, name: str, weight: float, description: str, *clauses: Clause) -> Rule:
        """A rule from its clauses."""
        return cls(name, weight, description, clauses)

    def search(self, text: str) -> bool:
        """True if any clause matches `text` (ungated; for tests and tools)."""
        return any(c.pattern.search(text) for c in self.clauses)


# Shared vocabulary -------------------------------------------------------------------------
_FORGET_EN = r"(?:ignor(?:e|ing)|disregard(?:ing)?|forget(?:ting)?|never\s?mind|skip|bypass|override|overlook|neglect|abandon|drop|discard|erase|delete|clear|set aside|pay no attention to|do not follow|don'?t follow|stop following)"
_PRIOR_EN = (
    r"(?:(?:all|any|every|the|your|my|these|those|that|this|of|previous|prior|above|preceding|earlier|initial|original|"
    r"foregoing|former|old|past|existing|current|given|provided|supplied|system|developer|safety|everything|what|was|were|i|you|have|"
    r"said|told|before)\b|\s|,){0,16}"
)
_TARGET_EN = r"(?:instructions?|prompts?|rules|directions?|guidelines|commands?|orders|context|tasks?|assignments?|programming|constraints|restrictions|directives?|policies|thoughts|documents?|articles?|sources)"
_FORGET_DE = r"(?:ignorier\w*|vergiss|vergessen\s+sie|vergesst|missachte\w*|verwirf|lösche|streich\w*|höre?\s+nicht\s+auf|hör\s+nicht\s+auf)"
_TARGET_DE = r"(?:anweisung\w*|instruktion\w*|befehl\w*|aufträge|auftrag|aufgaben?|regeln|vorgaben|richtlinien|gesagte\w*|alles|informationen|ausführungen|kontext|dokumente\w*|artikel\w*|quellen)"
_FORGET_EN_WORDS = (
    "ignore ignoring disregard disregarding forget forgetting skip bypass override overlook neglect abandon drop "
    "discard erase delete clear aside attention follow following mind nevermind"
)
_TARGET_EN_WORDS = (
    "instruction instructions prompt prompts rules direction directions guidelines command commands orders context "
    "task tasks assignment assignments programming constraints restrictions directive directives policies thoughts "
    "document documents article articles sources"
)


RULES: tuple[Rule, ...] = (
    # Instruction override ------------------------------------------------------------------
    Rule.make(
        "override.ignore_previous",
        0.9,
        "tells the model to drop the instructions it was given (English)",
        C(_TARGET_EN_WORDS, rf"\b{_FORGET_EN}\s+{_PRIOR_EN}\b{_TARGET_EN}\b", also=_FORGET_EN_WORDS),
        C(
            "contrary deviating deviation departing",
            r"\b(?:contrary\s+to|deviating\s+from|in\s+deviation\s+from|departing\s+from)\s+(?:all\s+|the\s+|your\s+|any\s+)?(?:previous|prior|earlier|above|original|initial)\s+(?:instructions?|rules|guidelines|directions?|orders)\b",
        ),
    ),
    Rule.make(
        "override.forget_everything",
        0.85,
        "forget everything said before (English)",
        C(
            "forget ignore disregard",
            r"\b(?:forget|ignore|disregard)\s+(?:about\s+)?(?:all\s+of\s+)?(?:everything|all(?:\s+that)?|anything|what)\b(?:\s+(?:above|before|previously|prior|earlier|we\s+(?:discussed|talked|said)|i\s+(?:said|told|wrote)|you\s+(?:know|were\s+told|have\s+been\s+told)|that\s+came\s+before|said\s+before))",
        ),
        C(
            "above",
            r"\b(?:forget|ignore|disregard|never\s?mind)\s+(?:all\s+)?(?:of\s+)?(?:the|that|what'?s|what\s+is)\s+above\s*(?:[.!,;:]|and\b|$)",
            also="forget ignore disregard mind nevermind",
        ),
    ),
    Rule.make(
        "override.ignore_previous_de",
        0.9,
        "tells the model to drop its instructions (German)",
        C(
            "ignoriere ignorieren ignoriert ignorier ignoriere vergiss vergessen vergesst missachte missachten missachtet verwirf lösche streiche streichen streicht höre hör",
            rf"\b{_FORGET_DE}\s+(?:\w+\s+){{0,5}}?{_TARGET_DE}",
        ),
        C(
            "vorangegangenen vorherigen bisherigen vorigen obigen",
            r"\b(?:alle|sämtliche)\s+(?:vorangegangenen|vorherigen|bisherigen|vorigen|obigen)\s+\w+\s+(?:aus\s+dem\s+kopf|zu\s+vergessen|zu\s+ignorieren)",
        ),
        C(
            "ignorieren vergessen missachten",
            r"\b(?:die|alle|sämtliche)\s+(?:obigen|vorherigen|bisherigen|vorangegangenen|vorigen)\s+(?:ausführungen|anweisungen|instruktionen|befehle|informationen|vorgaben|regeln)\s+(?:\w+\s+){0,2}?(?:ignorieren|vergessen|missachten)\b",
        ),
        C(
            "abweichend entgegen gegensatz",
            r"\b(?:abweichend\s+(?:zu|von)|entgegen|im\s+gegensatz\s+zu)\s+(?:den\s+|allen\s+|deinen\s+|ihren\s+|der\s+)?(?:vorherigen|bisherigen|obigen|vorangegangenen|vorigen|ursprünglichen)\s+(?:anweisung\w*|instruktion\w*|befehl\w*|vorgaben|regeln)",
        ),
    ),
    Rule.make(
        "override.ignore_previous_intl",
        0.9,
        "tells the model to drop its instructions (Spanish, French, Italian, Portuguese, Dutch, Croatian, Polish, Russian)",
        C(
            "instrucciones instructions instruction istruzioni instruções instrucoes instructies instrukcije upute indicaciones órdenes ordres consignes regole regras reglas règles regels todo tout tutto tudo alles sve wszystko instrukcje инструкции указания все всё",
            r"\b(?:olvid[ae]\w*|ignor[ae]\w*|oubli\w*|dimentica\w*|esque[çc]a\w*|vergeet|negeer|zaboravi\w*|zapomnij|забудь\w*|игнорир\w*)\s+(?:\w+\s+){0,4}?(?:instrucciones|instructions?|istruzioni|instruções|instrucoes|instructies|instrukcije|upute|indicaciones|órdenes|ordres|consignes|regole|regras|reglas|règles|regels|todo|tout|tutto|tudo|alles|sve|wszystko|instrukcje|инструкции|указания|вс[её])\b",
        ),
        C(
            "sigas siga seguire suis suivez compte siga volgen",
            r"\b(?:no\s+sigas|no\s+siga|non\s+seguire|ne\s+suis\s+pas|ne\s+suivez\s+pas|ne\s+tiens\s+pas\s+compte\s+des|ne\s+tenez\s+pas\s+compte\s+des|não\s+siga|volg\s+niet)\s+(?:\w+\s+){0,2}?(?:instrucciones|instructions|consignes|reglas|règles|regole|istruzioni|regras|instruções|regels|instructies)\b",
        ),
        C(
            "anterior précède sopra hierboven",
            r"\b(?:olvid[ae]\w*|ignor[ae]\w*|oubli\w*|dimentica\w*|esque[çc]a\w*|vergeet|negeer)\s+(?:todo\s+)?(?:lo\s+anterior|ce\s+qui\s+précède|quanto\s+(?:detto\s+)?sopra|tudo\s+o\s+que\s+foi\s+dito\s+antes|wat\s+hierboven\s+staat)\b",
        ),
        C(
            "contrairement contrariamente diferencia differenza",
            r"\b(?:contrairement\s+aux|contrariamente\s+a\s+las|contrariamente\s+alle|a\s+diferencia\s+de\s+las|a\s+differenza\s+delle)\s+(?:instructions|consignes|instrucciones|istruzioni)\s+(?:précédentes|antérieures|anteriores|precedenti)\b",
        ),
    ),
    Rule.make(
        "override.void_previous",
        0.6,
        "declares the instructions or information given so far void",
        C(
            "irrelevant void invalid obsolete cancelled canceled longer",
            r"\b(?:all\s+|the\s+|any\s+|your\s+)?(?:previous|prior|earlier|above|preceding|original)\s+(?:instructions?|information)\s+(?:(?:that\s+|which\s+)?you\s+(?:have\s+)?(?:received|were\s+given|got)\s+)?(?:are|is)\s+(?:now\s+|hereby\s+)?(?:irrelevant|void|invalid|obsolete|cancell?ed|canceled|no\s+longer\s+(?:valid|relevant|in\s+effect))\b",
            also="previous prior earlier above preceding original",
        ),
        C(
            "irrelevant ungültig hinfällig nichtig gültig aufgehoben",
            r"\b(?:alle\s+|die\s+|sämtliche\s+)?(?:bisherigen|vorherigen|obigen|vorangegangenen|vorigen|ursprünglichen)\s+(?:informationen|anweisungen|instruktionen|vorgaben)\s*(?:,\s*die\s+[^.!?]{0,40}?,\s*)?(?:sind|gelten)\s+(?:ab\s+sofort\s+|jetzt\s+|nun\s+|ab\s+jetzt\s+)?(?:irrelevant|ungültig|hinfällig|nichtig|nicht\s+mehr\s+gültig|aufgehoben)\b",
            also="bisherigen vorherigen obigen vorangegangenen vorigen ursprünglichen",
        ),
        C(
            "valables valides annulées válidas anuladas",
            r"\b(?:les|todas\s+las|las)\s+(?:instructions|consignes|instrucciones)\s+(?:précédentes|antérieures|anteriores)\s+(?:ne\s+sont\s+plus\s+(?:valables|valides)|sont\s+annulées|ya\s+no\s+son\s+válidas|quedan\s+anuladas)\b",
        ),
    ),
    Rule.make(
        "override.ignore_context",
        0.55,
        "tells the model not to use the documents or context it was given (retrieval applications)",
        C(
            "knowledge",
            r"\bown\s+knowledge\b.{0,40}?\b(?:not|instead\s+of|rather\s+than|without)\b.{0,20}?\b(?:articles?|documents?|context|sources|texts)\b|\b(?:not|instead\s+of|rather\s+than|without)\s+(?:\w+\s+){0,4}?(?:articles?|documents?|context|sources)\b.{0,40}?\bown\s+knowledge\b",
            also="articles article documents document context sources texts",
        ),
        C(
            "articles article documents document context sources results",
            r"\b(?:don'?t|do\s+not|never|stop)\s+(?:use|using|look\s+(?:at|in)|consult|rely\s+on|refer\s+to|consider)\s+(?:\w+\s+){0,2}?(?:the|these|those|any)\s+(?:provided\s+|given\s+|supplied\s+|retrieved\s+|attached\s+)?(?:articles?|documents?|context|sources|search\s+results)\b",
            also="don dont do never stop",
        ),
        C(
            "artikel dokumente dokumenten texte texten quellen kontext",
            r"\bnicht\s+(?:anhand|auf\s+grundlage|basierend\s+auf|mithilfe|mit\s+hilfe)\s+(?:der|den|dieser|von)\s+(?:\w+\s+)?(?:artikel|dokumente|dokumenten|texte|texten|quellen)\b|\b(?:nutze|verwende|benutze|beachte|berücksichtige)\w*\s+(?:\w+\s+)?nicht\s+(?:die|den|diese|deine)\s+(?:\w+\s+)?(?:artikel|dokumente|texte|quellen|kontext)\b|\bohne\s+(?:die|den)\s+(?:\w+\s+)?(?:artikel|dokumente|quellen|kontext)\s+zu\s+(?:beachten|berücksichtigen|nutzen|verwenden)\b",
        ),
        C(
            "documents articles sources documentos artículos fuentes",
            r"\b(?:n'utilise\s+pas|n'utilisez\s+pas|sans\s+tenir\s+compte\s+des)\s+(?:les\s+)?(?:documents|articles|sources)\b|\b(?:no\s+(?:uses|utilices|mires|consultes)|sin\s+tener\s+en\s+cuenta)\s+(?:los|las)\s+(?:documentos|artículos|fuentes)\b",
        ),
    ),
    Rule.make(
        "override.instead",
        0.55,
        "redirects the model from its task to another output",
        C(
            "instead",
            r"\b(?:do\s+not|don'?t|never)\s+(?:answer|respond|reply|look|follow|translate|summari[sz]e)\b.{0,60}?\binstead\b|\binstead\s*,?\s+(?:just\s+|only\s+)?(?:say|print|output|write|reply|respond|answer|tell)\b",
        ),
        C(
            "answer respond reply look follow translate summarize summarise",
            r"\b(?:do\s+not|don'?t|never)\s+(?:answer|respond|reply|look|follow|translate|summari[sz]e)\b.{0,60}?\bbut\b",
            also="not don never",
        ),
        C("sondern stattdessen", r"\bnicht\s+(?:\w+\s+){0,3}(?:sondern|stattdessen)\s+(?:schreib|sag|gib)\w*"),
    ),
    Rule.make(
        "override.new_task",
        0.45,
        "announces a new task that replaces the current one",
        C(
            "comes come follows follow",
            r"\b(?:now|next)\s*,?\s+(?:comes?|follows?|here\s+(?:is|are|comes))\s+(?:a\s+|the\s+|your\s+)?(?:new|next|second|further|another|real|actual)\s+(?:\w+\s+)?(?:task|instruction|test|assignment|job|challenge)s?|\bhere\s+comes?\s+(?:the|a|your)\s+(?:new|next|second|real)\s+\w+",
        ),
        C(
            "task instruction instructions assignment goal mission objective role purpose",
            r"\b(?:your|the)\s+(?:new|real|actual|true|next)\s+(?:task|instructions?|assignment|goal|mission|objective|role|purpose)\s+(?:is|are|will\s+be)\b",
            also="new real actual true next",
        ),
        C(
            "instruction instructions rules task directive orders",
            r"\b(?:new|updated|revised|additional)\s+(?:instructions?|rules|task|directive|orders)\s*[:\-]",
        ),
        C(
            "folgen kommt kommen",
            r"\b(?:nun|jetzt)\s+(?:folgen|kommt|kommen)\s+(?:eine?\s+)?(?:neue|weitere|nächste)\w*\s+(?:aufgabe|anweisung|auftr[aä]g)\w*",
        ),
        C(
            "aufgabe",
            r"\b(?:neue|deine\s+neue)\s+aufgabe\s*(?:ist|lautet|:)|\bkonzentriere?\s+dich\s+(?:jetzt\s+|nur\s+)*auf\s+(?:diese|deine)\s+(?:neue\s+)?aufgabe",
        ),
        C("task", r"\bconcentrat\w*\s+(?:only\s+)?on\s+(?:this|your|the)\s+new\s+task"),
        C(
            "behind",
            r"\b(?:leave|put)\s+(?:all\s+)?(?:the\s+|your\s+)?(?:previous|prior|earlier)\s+(?:\w+\s+){1,2}?behind\b",
            also="leave put",
        ),
        C(
            "over afresh scratch",
            r"\bstart\s+(?:over|afresh|from\s+scratch)\s+(?:with|on)\s+(?:a|the)\s+new\s+(?:task|assignment|instructions?)\b",
            also="start",
        ),
        C(
            "hinter vorne neu",
            r"\b(?:lass|lasst|lassen\s+sie)\s+(?:alle\s+|die\s+)?(?:vorherigen|bisherigen|vorangegangenen|alten)\s+\w+\s+hinter\s+(?:dir|sich|euch)\b|\b(?:beginnen|starten|fangen)\s+(?:wir\s+)?(?:von\s+vorne|von\s+neu|neu)\s+(?:an\s+)?mit\s+einer\s+neuen\s+(?:aufgabe|anweisung)",
            also="lass lasst lassen beginnen starten fangen",
        ),
    ),
    Rule.make(
        "override.praise_pivot",
        0.5,
        "praises the previous work, then pivots to a new instruction",
        C(
            "task tasks aufgabe aufgaben test instruction instructions anweisung anweisungen forget vergiss ignore help auftrag aufträge",
            r"\b(?:well\s+done|great(?:\s+job|\s+work)?|excellent(?:\s+\w+)?|good\s+job|perfect|bravo|congratulations|that\s+is\s+enough|that'?s\s+enough|you\s+(?:have\s+)?passed\s+the\s+\w+\s+test|gut\s+gemacht|sehr\s+gut|ausgezeichnet\w*(?:\s+\w+)?|herzlichen\s+glückwunsch\w*|hervorragend\w*)\s*[.!,]+\s*(?:\w+\s+){0,6}?(?:now|but\s+now|next|nun|jetzt|here\s+comes|please|bitte)\b(?:.{0,80}?\b(?:task|aufgabe|test|instruction|anweisung|forget|vergiss|ignore|help\s+me|auftr))",
            also="well great excellent good perfect bravo congratulations enough passed gut sehr ausgezeichnet ausgezeichnete ausgezeichneter ausgezeichnetes ausgezeichneten hervorragend hervorragende hervorragender hervorragendes hervorragenden herzlichen",
        ),
    ),
    Rule.make(
        "override.from_now_on",
        0.3,
        "changes the model's behaviour for the rest of the conversation",
        C(
            "now nun jetzt sofort maintenant ahora poi",
            r"\b(?:from\s+now\s+on|von\s+nun\s+an|ab\s+jetzt|ab\s+sofort|à\s+partir\s+de\s+maintenant|a\s+partir\s+de\s+ahora|d'ora\s+in\s+poi)\b\s*,?\s*(?:\w+\s+){0,3}?(?:you|your|du|dein\w*|tu|vous|tú|respond|answer|reply|act|only|always|never)\b",
            also="from von ab partir ora",
        ),
    ),
    Rule.make(
        "override.despite",
        0.5,
        "overrides the rules the model was given",
        C(
            "despite regardless matter",
            r"\b(?:despite|regardless\s+of|no\s+matter)\s+(?:what|the|any|your)\s+(?:\w+\s+){0,3}?(?:you'?(?:ve|\s+have)?\s+been\s+told|told|instructions?|rules|guidelines|programming|polic(?:y|ies))",
        ),
        C(
            "supposed",
            r"\byou'?re\s+not\s+supposed\s+to\s+(?:tell|say|refuse)|\byou\s+are\s+supposed\s+to\s+answer\s+at\s+all\s+times",
        ),
    ),
    Rule.make(
        "override.stop_interrupt",
        0.45,
        "interrupts the task ('stop -', 'attention -') and issues a new command",
        C(
            "stop stopp halt attention achtung",
            r"\b(?:stop|stopp|halt|attention|achtung)\s*[-–—!:,.]+\s*(?:\w+[:,]?\s+){0,6}?(?:write|say|print|output|ignore|forget|schreib\w*|sag|ignorier\w*|vergiss|i\s+(?:urgently\s+)?need\s+your?|new\s+(?:task|instructions?|rules)|ich\s+(?:brauche|benötige)\s+(?:dringend\s+)?(?:deine|ihre)|neue\s+(?:aufgabe|anweisung\w*))\b",
        ),
    ),
    # Role play and persona jailbreaks ------------------------------------------------------
    Rule.make(
        "jailbreak.authority_claim",
        0.5,
        "claims to be the model's developer or provider staff to unlock it",
        C(
            "openai anthropic google meta microsoft developer developers creator creators admin administrator owner programmer",
            r"\bi\s+am\s+(?:an?\s+)?(?:\w+\s+){0,2}?(?:programmer|engineer|developer|employee|researcher|admin\w*)\s+(?:at|from|of|for|with)\s+(?:openai|anthropic|google|meta|microsoft)\b|\b(?:i\s+am|i'm)\s+your\s+(?:developer|creator|admin\w*|owner|programmer)s?\b",
        ),
    ),
    Rule.make(
        "jailbreak.dan",
        0.9,
        "a known jailbreak persona or mode (DAN, developer mode, AntiGPT, ...)",
        C("anything", r"do\s+anything\s+now\b"),
        # "dan:" opening the text or a line, "dan mode", "act as dan", "you are dan" (one clause
        # each: together, no literal opens every match, and the scan tried every position)
        C("dan", r"\A\s*dan\s*:"),
        C("dan", r"\n\s*dan\s*:"),
        C("dan", r"\bdan\s*(?:mode|prompt|\d+(?:\.\d+)?|jailbreak)\b"),
        C("dan", r"\bact\s+as\s+(?:a\s+)?dan\b"),
        C("dan", r"\b(?:you\s+are|called|named)\s+dan\b"),
        C("jailbreak jailbreaks jailbroken jailbreaking jailbreaked", r"jailbr(?:eak|oken)"),
        C(
            "mode",
            r"\b(?:unrestricted|uncensored|unfiltered|evil|chaos|opposite|dan)\s+mode\b|\b(?:chatgpt|gpt|ai|you|assistant|model)\s+(?:with|in)\s+(?:developer|dev|god|debug)\s+mode\b|\b(?:enable|activate|simulate|enter|switch\s+to|act\s+in)\w*\s+(?:the\s+)?(?:developer|dev|god)\s+mode\b(?!\s+(?:toggle|setting|option|menu))|\b(?:developer|dev|god)\s+mode\s+(?:enabled|output|response|activated)\b",
        ),
        C("antigpt basedgpt evilgpt dangpt stangpt", r"\b(?:antigpt|basedgpt|evilgpt|dangpt|stangpt)"),
        C("", "🔓|🔒\\s*classic", marks=("🔓", "🔒")),
    ),
    Rule.make(
        "jailbreak.no_restrictions",
        0.7,
        "claims the model has no rules, filters or ethics",
        C(
            "restrictions filter filters censorship limitations limits rules guidelines moral morals morality moralities moralizing moralising moralistic ethic ethics ethical ethically ethicist policy policies boundaries confines safeguards principles beschränkungen einschränkungen regeln grenzen zensur",
            r"\b(?:no|without\s+(?:any|all)?|free\s+(?:of|from)\s+(?:any|all)?|not\s+bound\s+by\s+(?:any)?|ignore\s+(?:all|any)?|broken\s+free\s+of|break\s+free\s+(?:of|from)|freed\s+from|beyond|escaped?\s+(?:from)?|unbound\s+by|doesn'?t\s+(?:have|follow|care\s+about)\s+(?:any)?|does\s+not\s+(?:have|follow|care\s+about)\s+(?:any)?|don'?t\s+have\s+(?:any|to\s+follow)?|never\s+follows?|ohne(?:\s+jegliche)?|keine)\s+(?:\w+\s+){0,3}?(?:restrictions|filters?|censorship|limitations|limits|rules|guidelines|moral\w*|ethic\w*|content\s+polic\w*|polic(?:y|ies)|boundaries|confines|safeguards|principles|beschränkungen|einschränkungen|regeln|grenzen|zensur)\b",
            also="no without free not ignore broken break freed beyond escaped escape unbound doesn does don never ohne keine",
        ),
        C(
            "sin sans senza sem zonder bez",
            r"\b(?:ia|ai|ki|bot|chatbot|asistente|assistente|assistant|modelo|modèle|modello|model)\s+(?:\w+\s+){0,2}?(?:sin|sans|senza|sem|zonder|bez)\s+(?:\w+\s+){0,2}?(?:restricci\w*|restrictions?|restrizion\w*|restri[çc]\w*|beperking\w*|filtr\w*|filtros|censur\w*|cenzur\w*|ogranicze\w*)\b",
            also="ia ai ki bot chatbot asistente assistente assistant modelo modèle modello model",
        ),
    ),
    Rule.make(
        "jailbreak.policy_talk",
        0.55,
        "talks about the provider's content policy, dual answers or never refusing (jailbreak templates)",
        C(
            "openai anthropic google meta openais anthropics googles metas",
            r"\b(?:openai|anthropic|google|meta)'?s?\s+(?:content\s+)?(?:polic(?:y|ies)|guidelines|rules|restrictions|filters?)\b",
        ),
        C("content", r"\bcontent\s+polic(?:y|ies)\b"),
        C(
            "response answer output",
            r"\b(?:normal|default|standard|classic|filtered|censored)\s+(?:chatgpt|gpt|ai|assistant)\s+(?:response|answer|output)",
            also="normal default standard classic filtered censored",
        ),
        C(
            "responses answers paragraphs outputs",
            r"\b(?:two|2|dual|both)\s+(?:different\s+|separate\s+)?(?:responses|answers|paragraphs|outputs)\b",
        ),
        C("character", r"\bstay\s+in\s+character\b|\bbreak(?:ing)?\s+character\b"),
        C("refuse", r"\b(?:never|don'?t|do\s+not|cannot|can'?t|will\s+not|won'?t)\s+refuse\b"),
    ),
    Rule.make(
        "jailbreak.amoral_persona",
        0.6,
        "asks the model to be amoral, unfiltered or offensive",
        C(
            "amoral unethical immoral unfiltered uncensored unrestricted sociopath sociopathic evil malicious rude offensive toxic racist vulgar",
            r"\b(?:you|he|she|it|they|persona|character|ai|bot|model|assistant)\s+(?:\w+\s+){0,4}?(?:is|are|will\s+be|be|becomes?|acts?\s+as)\s+(?:\w+\s+){0,3}?(?:completely\s+|totally\s+|an?\s+)?(?:amoral|unethical|immoral|unfiltered|uncensored|unrestricted|sociopath\w*|evil|malicious|rude|offensive|toxic|racist|vulgar)\b",
        ),
        C(
            "allowed permitted fine ok",
            r"\b(?:nsfw|explicit|illegal|unethical|harmful|offensive|immoral)\s+(?:content|acts?|things|requests?|activities|answers|responses)\s+(?:is|are)\s+(?:allowed|permitted|fine|ok)",
        ),
        C(
            "swear swearing swears curse cursing curses profanity cuss cussing",
            r"\b(?:swear|curse|profanity|cuss)\w*\s+(?:words?\s+)?(?:is|are)?\s*(?:allowed|required|encouraged|as\s+much)",
        ),
    ),
    Rule.make(
        "persona.evil_ai",
        0.4,
        "casts the model as an evil AI",
        C(
            "evil böse böser bösartige bösartiger bösartig malicious rogue unaligned",
            r"\b(?:you\s+are|you'?re|pretend\s+(?:to\s+be|you\s+are)|act\s+as|du\s+bist|sei|imagine\s+you\s+are|stell\s+dir\s+vor,?\s+du\s+bist)\s+(?:an?\s+|eine?\s+)?(?:\w+\s+)?(?:evil|böse|malicious|rogue|unaligned|bösartige?)\s+(?:ai|ki|assistant|chatbot|bot|model|robot|agent)\b",
        ),
    ),
    Rule.make(
        "persona.roleplay",
        0.1,
        "asks the model to take on a role (weak alone: role play is often harmless)",
        C(
            "act acting pretend pretending role roleplay roleplaying immerse simulate",
            r"\b(?:act(?:ing)?\s+as|pretend(?:ing)?\s+(?:to\s+be|you\s+are|that)|role-?\s?play\w*|immerse\s+yourself|simulate\s+(?:a|an|being)|play\s+the\s+(?:role|part)\s+of)\b",
        ),
        C(
            "now going",
            r"\byou\s+are\s+(?:now|going\s+to\s+(?:be|act|pretend|play))\b|\byou'?re\s+now\b|\bnow\s+you\s+are\b",
        ),
        C(
            "bist fungieren rolle",
            r"\b(?:(?:nun|jetzt)\s+bist\s+du|du\s+bist\s+(?:nun|jetzt|ab\s+sofort)|als\s+\w+\s+fungieren|die\s+rolle\s+(?:von|des|der|eines|einer))\b",
        ),
        C(
            "maintenant eres sei agisci",
            r"\b(?:tu\s+es\s+maintenant|ahora\s+eres|sei\s+un\w*\s+\w+\s+che|agisci\s+come)\b",
        ),
    ),
    Rule.make(
        "persona.fiction_frame",
        0.3,
        "wraps a request in fiction or hypotheticals to slip past refusals",
        C(
            "hypothetical theoretical fictional fictitious imaginary parallel alternate",
            r"\b(?:in\s+a|imagine\s+a|let'?s\s+(?:imagine|pretend|say)\s+(?:a|we\s+are\s+in\s+a)?)\s*(?:completely\s+)?(?:hypothetical|theoretical|fictional|fictitious|imaginary|parallel|alternate)\s+(?:world|universe|scenario|setting|reality)",
        ),
        C(
            "film movie play story novel scene",
            r"\b(?:film|movie|play|story|novel|scene)\s+(?:about|where)\s+(?:\w+\s+){0,4}?(?:heist|robbery|hack\w*|murder\w*|criminal|drug\w*|bomb|steal\w*|thie\w*|meth|weapon)",
            also="heist robbery hack hacks hacker hackers hacking hacked murder murders murderer murderers murdered murdering criminal criminals drug drugs dealer steal steals stealing thief thieves theft bomb meth weapon weapons",
        ),
        C(
            "film szene geschichte theaterstück",
            r"\b(?:film|szene|geschichte|theaterstück)\s+über\s+(?:einen?\s+)?(?:\w+\s+){0,2}?(?:raub\w*|überfall\w*|hack\w*|mord\w*|verbrech\w*|einbruch\w*|diebstahl)",
        ),
        C("game", r"\blet'?s\s+play\s+a\s+game\s+(?:where|in\s+which)\b"),
        C("role character", r"\b(?:stay|remain)\s+in\s+(?:the\s+)?(?:role|character)\b"),
        C("purposes", r"\bfor\s+(?:purely\s+)?(?:educational|research|academic)\s+purposes\s+only\b"),
    ),
    # System prompt extraction --------------------------------------------------------------
    Rule.make(
        "extraction.system_prompt",
        0.8,
        "asks for the system prompt, the instructions above, or a secret the prompt holds",
        C(
            "system initial original hidden secret internal pre preprompt prompt prompts instructions instruction embeddings configuration training",
            r"\b(?:reveal|show|print|output|repeat|display|tell|give|list|leak|dump|expose|recite|share|write\s+(?:down|out)|spell\s*-?check|translate|summari[sz]e|what\s+(?:is|are|was|were))\s+(?:me\s+)?(?:\w+\s+){0,3}?(?:your|the|all|any|of)\s+(?:\w+\s+){0,2}?(?:system\s+(?:prompt|message|instructions?)|(?:initial|original|hidden|secret|internal|pre-?)\s*(?:prompt|instructions?|rules|message)|first\s+(?:prompt|instructions?)|(?:prompt|instructions?)\s+(?:above|you\s+(?:were|have\s+been)\s+given)|embeddings|configuration|training\s+data)",
            also="reveal show print output repeat display tell give list leak dump expose recite share write spell spellcheck translate summarize summarise what",
        ),
        C(
            "above before far beginning start",
            r"\b(?:repeat|print|output|show|spell\s*-?check|copy|translate)\s+(?:\w+\s+){0,3}?(?:text|words|everything|all|content|lines?)\s+(?:above|before\s+this|so\s+far|from\s+the\s+(?:beginning|start))",
        ),
        C(
            "written said stated",
            r"\bwhat\s+(?:was|were|is)\s+(?:written|said|stated)\s+(?:above|before|at\s+the\s+(?:beginning|start))",
        ),
        C(
            "preceding before above",
            r"\b(?:sentences?|words|lines|text)\s+(?:before|above|preceding)\s+(?:the|this|my)\s+(?:text|prompt|question|message)\b",
        ),
        C(
            "anweisungen instruktionen befehle systemanweisung systemanweisungen prompt prompts systemprompt systemprompts",
            r"\b(?:zeige?|gib|nenne|wiederhole|verrate)\s+(?:mir\s+)?(?:\w+\s+){0,2}?(?:dein\w*|ihr\w*|die|alle)\s+(?:\w+\s+)?(?:system[\s-]?)?(?:anweisungen|instruktionen|systemanweisung\w*|befehle|systemprompts?|prompts?)\b|\bwas\s+steht\s+in\s+(?:deinem|ihrem|dem)\s+(?:system\s?)?prompts?\b",
        ),
        C(
            "prompt prompts instructions consignes instrucciones istruzioni",
            r"\b(?:montre|affiche|donne|révèle|répète|muéstrame|muestrame|muestra|dime|revela|repite|mostrami|mostra|rivela|ripeti)\b[- ]?(?:moi\s+|me\s+|mi\s+)?(?:\w+\s+){0,2}?(?:ton|tes|votre|vos|tu|tus|su|sus|tuo|tue|le\s+tue)\s+(?:\w+\s+)?(?:prompts?|instructions|consignes|instrucciones|istruzioni)\b",
            also="montre affiche donne révèle répète muéstrame muestrame muestra dime revela repite mostrami mostra rivela ripeti",
        ),
        C(
            "texto texte testo text",
            r"\b(?:repite|repita|répète|répétez|ripeti|wiederhole)\s+(?:\w+\s+){0,2}?(?:texto|texte|testo|text)\s+(?:de\s+arriba|anterior|ci-dessus|précédent|sopra|precedente|oben|darüber|über\s+dieser\s+zeile)\b",
            also="repite repita répète répétez ripeti wiederhole",
        ),
        C(
            "verbatim word exactly",
            r"\b(?:print|repeat|output|reveal|show|write)\s+(?:me\s+)?your\s+(?:\w+\s+)?(?:instructions|prompt)\s+(?:verbatim|word\s+for\s+word|exactly)\b",
            also="instructions prompt",
        ),
        C(
            "password passphrase passwort wachtwoord passe secret",
            r"\b(?:reveal|tell|give|what\s+is|what'?s|share|spell|say)\s+(?:me\s+)?(?:\w+\s+){0,2}?(?:the|your)\s+(?:secret\s+)?(?:password|passphrase|passwort|wachtwoord|mot\s+de\s+passe|secret\s+(?:key|word|code))\s*(?:[?.!,;:]|$|you|that|which|for\s+(?:level|this))",
        ),
    ),
    # Delimiter and context tricks ----------------------------------------------------------
    Rule.make(
        "delimiter.fake_role",
        0.7,
        "fakes a chat-format boundary or a system message inside content",
        C(
            "",
            r"<\|?\s*(?:im_start|im_end|system|endoftext|end_of_turn|start_header_id|eot_id)\s*\|?>",
            marks=("<|", "<im_", "<system", "<end", "<eot", "<start"),
        ),
        C("", r"\[/?inst\]|<</?sys>>|</s>", marks=("inst]", "sys>>", "</s>")),
        C(
            "system developer",
            r"(?:^|\n)[ \t]*(?:#{2,}[ \t]*)?(?:system|developer)[ \t]*(?:prompt|message|instructions?)?[ \t]*:\s*[a-z\"'\[]",
        ),
        C("", r"(?:^|\n)[ \t]*#{2,}[ \t]*(?:new\s+)?(?:instruction|system|task|rules)\b", marks=("##",)),
        C(
            "system admin developer",
            r"\[(?:system|admin|developer)\s*(?:message|note|override)?\]|\b(?:new|updated|admin|developer|priority)\s+system\s+(?:prompt|message|instructions?)\b",
        ),
        C("", r"```\s*system\b", marks=("```",)),
        C(
            "",
            r"\\n\s*(?:#+\s*)?(?:new\s+|neue\s+)?(?:instructions?|anweisung\w*|system|task|aufgabe)\s*:",
            marks=("\\n",),
        ),
    ),
    Rule.make(
        "delimiter.end_marker",
        0.45,
        "declares the prompt or document over, so what follows reads as new instructions",
        C("end", r"\bend\s+of\s+(?:the\s+)?(?:prompt|input|instructions|context|document|system\s+message)\b"),
    ),
    Rule.make(
        "delimiter.context_poison",
        0.45,
        "supplies its own 'context' block before a question to steer the answer",
        C(
            "context kontext dokument",
            r"\b(?:context|kontext|document\s+context|dokument)\s*[:{\"“]\s*.{0,200}?\b(?:question|frage)\s*:",
        ),
    ),
    # Forced output -------------------------------------------------------------------------
    Rule.make(
        "output.forced",
        0.55,
        "dictates the exact output instead of asking a question",
        C(
            "say print output write reply respond answer type",
            r"\b(?:just|only|simply|now|then)\s+(?:say|print|output|write|reply|respond|answer|type)\s*(?:with\s+)?[:\"“'«]|\b(?:say|print|output|write|reply|respond|answer)\s+(?:only|exactly|just)\s+(?:with\s+)?[\"“'«:]|\bsay\s+(?:yes|no)\b[.!]?$|\bprint\s+(?:yay|yes|hello|pwned|hacked)\b",
            also="just only simply now then exactly yes no yay hello pwned hacked",
        ),
        C(
            "include",
            r"\binclude\s+(?:that|the\s+(?:sentence|phrase|words?|statement))\s+.{0,60}?\bin\s+your\s+(?:answer|response|reply|output)",
        ),
        C(
            "nur einfach ausschließlich",
            r"\b(?:sag|schreib|antworte|gib)\w*\s+(?:nur|einfach|ausschließlich)\s+(?:mit\s+)?[\"“„':]",
        ),
        C("siguiente suivant suit", r"\b(?:di|dis|dites|dite)\s+(?:lo\s+)?(?:siguiente|suivant|ce\s+qui\s+suit)"),
        C(
            "hate despise detest",
            r"\b(?:say|state|admit|declare|confess|write|tell\s+(?:me|us|everyone))\s+that\s+you\s+(?:really\s+)?(?:hate|despise|detest)\b",
            also="say state admit declare confess write tell",
        ),
        C(
            "hasst verachtest détestes hais odias",
            r"\b(?:sag|sage|schreib|schreibe|gib\s+zu|behaupte)\w*,?\s+dass\s+du\s+(?:\w+\s+){1,3}?(?:hasst|verachtest)\b|\bdis\s+que\s+tu\s+(?:\w+\s+){0,2}?(?:détestes|hais)\b|\bdi\s+que\s+(?:tú\s+)?odias\b",
        ),
    ),
    Rule.make(
        "output.repeat_after_me",
        0.25,
        "asks the model to repeat dictated text (weak alone: also a harmless game)",
        C("repeat sprich", r"\brepeat\s+after\s+me\b|\bsprich\s+mir\s+nach\b"),
    ),
    Rule.make(
        "output.pwned",
        0.8,
        "the HackAPrompt goal phrase 'I have been PWNED'",
        C("pwned hacked", r"\bi\s+have\s+been\s+(?:pwned|hacked)\b|\bpwned\b"),
    ),
    # Indirect injection and exfiltration (tool results, retrieved pages) -------------------
    Rule.make(
        "indirect.ai_addressed",
        0.65,
        "text that addresses the AI reading it (an indirect injection in a page or tool result)",
        C(
            "ai assistant assistants model models llm llms chatbot chatbots gpt agent agents",
            r"\b(?:note|message|instructions?|attention|important|notice)\s+(?:to|for)\s+(?:the\s+|any\s+|all\s+)?(?:ai|assistants?|language\s+models?|llms?|chatbots?|gpt|agents?)\b|\bif\s+you\s+are\s+an?\s+(?:ai|llm|language\s+model|assistant|chatbot|agent)\b|\b(?:dear|hey|hi|hello)\s+(?:ai|assistant|llm|chatbot|agent)\s*[,!:]\s*(?:\w+\s+){0,3}?(?:ignore|forget|you\s+must|please\s+(?:ignore|do|send|say))",
        ),
    ),
    Rule.make(
        "indirect.exfiltration",
        0.7,
        "asks to send data somewhere, or a markdown image URL that carries data out",
        C(
            "send forward email mail upload post exfiltrate leak transmit",
            r"\b(?:send|forward|e-?mail|upload|post|exfiltrate|leak|transmit)\s+(?:\w+\s+){0,4}?(?:conversation|chat\s+history|credentials?|passwords?|api\s+keys?|tokens?|secrets?|personal\s+data|user(?:'s)?\s+data|emails|files|contacts|the\s+(?:user|system)\s+prompt)\s+(?:\w+\s+){0,3}?to\b",
        ),
        C("", r"!\[[^\]]{0,40}\]\(https?://[^)\s]{0,200}[?&][a-z_]+=", marks=("](http",)),
    ),
    Rule.make(
        "encoding.decode_and_follow",
        0.45,
        "asks the model to decode a payload and act on it",
        C(
            "decode decipher translate reverse",
            r"\b(?:decode|decipher|translate|reverse)\s+(?:\w+\s+){0,4}?(?:and|then)\s+(?:\w+\s+){0,2}?(?:follow|execute|do|run|obey|answer|perform)\b",
        ),
        C(
            "base64 rot13 rot hex binary",
            r"\b(?:base64|rot13|rot-13|hex|binary)\s*(?:-?encoded|encoded)?\s+(?:instructions?|prompt|message|commands?)\b",
        ),
    ),
)
