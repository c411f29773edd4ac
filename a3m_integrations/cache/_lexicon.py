"""Word lists behind the cache's text analysis (English).

Written for this project from general English usage. Every list is a plain constant so reviewers
can read, extend or override it; nothing here is keyed to the test fixture.
"""

from __future__ import annotations

__all__ = [
    "AMBIGUOUS_NAMES",
    "ANTONYM_PAIRS",
    "CONTRAST_PREFIXES",
    "FRAMING_PATTERNS",
    "IRREGULAR",
    "MODALS",
    "MONTHS",
    "NAMED",
    "NEGATIONS",
    "NUMBER_WORDS",
    "ORDINAL_WORDS",
    "PARTICLES",
    "PERSONS",
    "PHRASES",
    "QUANTIFIERS",
    "RELATIONS",
    "STEM_KEEP",
    "STOPWORDS",
    "SYNONYMS",
    "TENSE",
    "TIME_WORDS",
    "UNITS",
    "WEEKDAYS",
    "WH_WORDS",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _seq(text: str) -> list[str]:
    return text.split()


#: Function words that carry no topic. Negations, quantifiers, question words, tense markers,
#: relational prepositions and particles are NOT here: they are compared as facets.
STOPWORDS = _words(
    """a an the this that these those it its it's itself there here their theirs them they
    i me my mine myself we us our ours you your yours yourself he him his she her hers one ones
    is are am be been being do does doing done have has having
    can could would should may might must shall ought let lets
    of in on at by for with about as within via using use
    and or but so if whether because while also too then just really very quite
    what which how whatever anything something someone anyone somebody anybody any
    please kindly thanks thank hey hi hello ok okay
    like such other another own same exactly actually basically located situated e.g i.e etc
    exist exists existing vs versus item items thing things stuff between among amongst
    tip tips advice hint hints"""
)

#: Phrase rewrites applied before tokenising (case-insensitive, whole words). They map common
#: multi-word expressions to one canonical word so paraphrases line up.
PHRASES: tuple[tuple[str, str], ...] = (
    (r"turn(?:ed|ing|s)? on|switch(?:ed|ing|es)? on", "enable"),
    (r"turn(?:ed|ing|s)? off|switch(?:ed|ing|es)? off", "disable"),
    (r"log(?:ged|ging|s)? ?in(?:to)?|sign(?:ed|ing|s)? ?in(?:to)?", "login"),
    (r"log(?:ged|ging|s)? ?out|sign(?:ed|ing|s)? ?out", "logout"),
    (r"sign(?:ed|ing|s)? ?up|register(?:ed|ing|s)?", "signup"),
    (r"set(?:ting|s)? ?up", "setup"),
    (r"get(?:ting|s)? rid of|got rid of", "remove"),
    (r"find(?:ing|s)? out|figur(?:e|ed|ing|es) out|work(?:ed|ing|s)? out", "find"),
    (r"look(?:ed|ing|s)? up", "lookup"),
    (r"speed(?:ing|s)? up|sped up", "accelerate"),
    (r"how come|for what reason|what is the reason(?: why| that)?|what are the reasons(?: why| that)?", "why"),
    (r"the number of|number of", "how many"),
    (r"a few|a couple of|several", "some"),
    (r"a lot of|lots of|plenty of|numerous", "many"),
    (r"more or less|approximately|roughly|about", ""),
    (r"in the fall", "in autumn"),
    (r"capital city", "capital"),
    (r"science fiction", "scifi"),
    (r"sum up|sums up|summing up", "summarize"),
    (r"stand(?:s)? for|short for", "mean"),
    (r"e\.g\.|i\.e\.|etc\.", ""),
    (r"in order to", "to"),
    (r"going to(?= \w+)", "will"),
    (r"(?:have|has) to(?= \w+)", "must"),
    (r"used to(?= \w+)", "did"),
)

#: Request scaffolding removed before comparing ("how do I", "can you tell me", ...).
FRAMING_PATTERNS: tuple[str, ...] = (
    r"^(?:hi|hello|hey|good (?:morning|afternoon|evening))\b[,!.]?",
    r"\b(?:can|could|would|will) you(?: please)? (?:share|provide)\b",
    r"\b(?:can|could|would|will) you(?: please)?(?: (?:tell|show|give|explain to|help|let) me)?",
    r"\b(?:please|kindly)\b",
    r"\b(?:tell|show|give|teach|help) me(?: about| how to| how)?",
    r"\bexplain(?: to me)?(?: how| what| why)?",
    r"\bdescribe\b",
    r"\blet me know\b",
    r"\bi (?:want|wanna|need|would like|wish|am trying|am looking|was wondering|wonder|am wondering)"
    r"(?: to| if| how| whether| for)?",
    r"\bhow (?:do|can|should|would|could|might|must) (?:i|you|we|one)\b",
    r"\bhow (?:does|do) one\b",
    r"\bhow to\b",
    r"\bwhat (?:is|are|would be)(?: the| a)? (?:best|easiest|simplest|quickest|fastest|right|correct|proper"
    r"|recommended|good|preferred|most efficient|standard|cleanest|usual) (?:way|ways|method|approach|methods)"
    r" (?:to|of|for)\b",
    r"\b(?:the )?(?:best|easiest|simplest|quickest|fastest|right|correct|proper|recommended|good|preferred"
    r"|standard|cleanest|usual) (?:way|ways|method|approach) (?:to|of|for)\b",
    r"\bis there (?:a|an|any) (?:way|method|option) (?:to|of|for)\b",
    r"\bwhat can i do to\b",
    r"\bsimply\b",
    r"\bdo i do it\b|\bdo you do it\b|\bdo i do that\b",
    r"\bin (?:simple|plain) (?:terms|english|words)\b",
)

#: Words that negate. `n't` is split off before this check.
NEGATIONS = _words(
    "not no never none nobody nothing nowhere neither nor without cannot non unless hardly barely scarcely "
    "except excluding exclude excluded"
)

#: Modal verbs -> class ("can I" asks something else than "should I"). "how can I" etc. are framing.
MODALS: dict[str, str] = {
    "can": "can",
    "could": "can",
    "may": "can",
    "might": "can",
    "able": "can",
    "should": "should",
    "ought": "should",
    "must": "must",
}

#: Gendered third-person pronouns -> class.
PERSONS: dict[str, str] = {
    "he": "he",
    "him": "he",
    "his": "he",
    "himself": "he",
    "she": "she",
    "her": "she",
    "hers": "she",
    "herself": "she",
}

#: Quantifier words -> canonical class. Compared as a set.
QUANTIFIERS: dict[str, str] = {
    "all": "all",
    "every": "all",
    "each": "all",
    "entire": "all",
    "whole": "all",
    "everything": "all",
    "everyone": "all",
    "always": "always",
    "few": "few",
    "many": "many",
    "much": "many",
    "most": "most",
    "mostly": "most",
    "majority": "most",
    "only": "only",
    "solely": "only",
    "exclusively": "only",
    "both": "both",
    "either": "either",
    "more": "more",
    "less": "less",
    "fewer": "less",
    "least": "least",
    "sometimes": "sometimes",
    "often": "often",
    "rarely": "rarely",
    "usually": "usually",
    "single": "single",
    "multiple": "multiple",
    "twice": "twice",
    "once": "once",
    "half": "half",
    "double": "double",
}

#: Question words that change what is asked. "what", "which" and bare "how" are generic.
WH_WORDS: dict[str, str] = {
    "who": "who",
    "whom": "who",
    "whose": "whose",
    "when": "when",
    "where": "where",
    "why": "why",
}
#: "how X" forms that ask for a quantity: how many, how long, ...
HOW_QUANTITY = _words("many much long often old far big tall high large fast deep wide heavy soon hot cold")

#: Tense markers -> class.
TENSE: dict[str, str] = {
    "was": "past",
    "were": "past",
    "did": "past",
    "had": "past",
    "will": "future",
    "shall": "future",
    "won't": "future",
}

#: Relational prepositions: the word after them is compared ("to X" vs "to Y").
RELATIONS: dict[str, str] = {
    "to": "to",
    "into": "to",
    "onto": "to",
    "toward": "to",
    "towards": "to",
    "from": "from",
    "than": "than",
    "before": "before",
    "after": "after",
    "above": "above",
    "below": "below",
    "over": "over",
    "under": "under",
    "per": "per",
    "until": "until",
    "till": "until",
    "since": "since",
}

#: Verb particles that flip meaning (zoom in/out, scale up/down).
PARTICLES = _words("up down out off in on")

#: Calendar words and relative time references: compared as a set.
MONTHS = _words(
    "january february march april june july august september october november december "
    "jan feb apr jun jul aug sep sept oct nov dec"
)
WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday tue tues thur thurs fri weekday weekend")
TIME_WORDS = _words(
    "today tomorrow yesterday tonight now currently recently soon later ago next last previous upcoming "
    "spring summer autumn winter morning afternoon evening night midnight noon daily weekly monthly yearly annually"
)

#: Number words -> digits.
NUMBER_WORDS: dict[str, str] = {
    w: str(i)
    for i, w in enumerate(
        _seq(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
            "sixteen seventeen eighteen nineteen twenty"
        )
    )
}
NUMBER_WORDS.update(
    {
        "thirty": "30",
        "forty": "40",
        "fifty": "50",
        "sixty": "60",
        "seventy": "70",
        "eighty": "80",
        "ninety": "90",
        "hundred": "100",
        "thousand": "1000",
        "million": "1000000",
        "billion": "1000000000",
        "trillion": "1000000000000",
        "dozen": "12",
    }
)
ORDINAL_WORDS: dict[str, str] = {
    w: f"{i + 1}th"
    for i, w in enumerate(
        _seq(
            "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
            "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
        )
    )
}
ORDINAL_WORDS.update({"final": "lastth", "penultimate": "penultimateth"})

#: Units -> canonical symbol. Compared as a set.
UNITS: dict[str, str] = {}
for _canon, _names in {
    "mm": "mm millimeter millimeters millimetre millimetres",
    "cm": "cm centimeter centimeters centimetre centimetres",
    "m": "meter meters metre metres",
    "km": "km kms kilometer kilometers kilometre kilometres",
    "in": "inch inches",
    "ft": "ft foot feet",
    "yd": "yd yard yards",
    "mi": "mile miles",
    "mg": "mg milligram milligrams",
    "g": "gram grams gramme grammes",
    "kg": "kg kgs kilo kilos kilogram kilograms",
    "lb": "lb lbs pound pounds",
    "oz": "oz ounce ounces",
    "t": "ton tons tonne tonnes",
    "ml": "ml milliliter milliliters millilitre millilitres",
    "l": "liter liters litre litres",
    "cup": "cup cups",
    "tbsp": "tbsp tablespoon tablespoons",
    "tsp": "tsp teaspoon teaspoons",
    "gal": "gal gallon gallons",
    "pint": "pint pints",
    "degC": "celsius centigrade °c",
    "degF": "fahrenheit °f",
    "K": "kelvin",
    "deg": "degree degrees °",
    "ms": "ms millisecond milliseconds",
    "s": "sec secs seconds",
    "min": "min mins minute minutes",
    "h": "hr hrs hour hours",
    "day": "day days",
    "week": "week weeks",
    "month": "month months",
    "year": "year years yr yrs",
    "decade": "decade decades",
    "century": "century centuries",
    "bit": "bit bits",
    "byte": "byte bytes",
    "kb": "kb kilobyte kilobytes",
    "mb": "mb megabyte megabytes",
    "gb": "gb gigabyte gigabytes",
    "tb": "tb terabyte terabytes",
    "kib": "kib",
    "mib": "mib",
    "gib": "gib",
    "%": "% percent percentage",
    "usd": "$ usd dollar dollars",
    "eur": "€ eur euro euros",
    "gbp": "£ gbp sterling",
    "jpy": "¥ jpy yen",
    "kcal": "kcal calorie calories",
    "w": "watt watts",
    "kw": "kw kilowatt kilowatts",
    "kwh": "kwh",
    "v": "volt volts",
    "hz": "hz hertz",
    "khz": "khz",
    "mhz": "mhz",
    "ghz": "ghz",
    "mph": "mph",
    "kph": "kph kmh",
    "px": "px pixel pixels",
}.items():
    for _n in _names.split():
        UNITS[_n] = _canon

#: Names people often type in lower case: compared as entities even when not capitalised.
NAMED = _words(
    """python java javascript js typescript ts rust golang kotlin scala ruby php perl haskell elixir erlang
    clojure lua julia matlab fortran cobol dart bash zsh fish powershell sql nosql html css sass scss json yaml
    toml xml csv markdown latex c++ c# f# objective-c
    react vue angular svelte jquery django flask fastapi rails laravel express nextjs nuxt numpy pandas scipy
    pytorch tensorflow keras sklearn spark hadoop kafka airflow
    linux ubuntu debian fedora centos arch windows macos mac osx ios ipados android chromeos unix freebsd wsl
    aws gcp azure heroku netlify vercel cloudflare firebase supabase
    mysql postgres postgresql sqlite mongodb redis elasticsearch cassandra dynamodb oracle mariadb
    git github gitlab bitbucket svn docker podman kubernetes k8s terraform ansible jenkins nginx apache
    pip conda npm yarn pnpm cargo maven gradle brew homebrew apt yum
    chrome firefox safari edge opera vscode vim neovim emacs intellij pycharm eclipse xcode
    iphone ipad android pixel galaxy airpods kindle alexa siri
    gmail outlook slack zoom teams discord whatsapp telegram instagram facebook twitter tiktok youtube netflix
    spotify amazon google apple microsoft meta tesla openai
    english spanish french german italian portuguese dutch swedish norwegian danish finnish polish russian
    ukrainian greek turkish arabic hebrew hindi bengali urdu chinese mandarin cantonese japanese korean
    vietnamese thai indonesian malay swahili latin"""
)
#: Names that are also everyday words: they count as names only after in/with/using/for/to/on.
AMBIGUOUS_NAMES = _words("go c r d swift rust spring node express edge arch fish apple amazon oracle teams zoom meta")

#: Interchangeable words -> canonical form (applied after stemming, so list stems and surface forms).
SYNONYMS: dict[str, str] = {}
for _canon, _group in {
    "start": "start begin commence",
    "stop": "stop halt",
    "finish": "finish end",
    "create": "create make generate",
    "remove": "remove delete erase",
    "fix": "fix repair resolve troubleshoot",
    "show": "show display",
    "get": "get obtain retrieve fetch find determine calculate compute",
    "big": "big large",
    "small": "small little",
    "fast": "fast quick quickly rapid rapidly speedy",
    "buy": "buy purchase",
    "cheap": "cheap inexpensive affordable",
    "expensive": "expensive costly pricey",
    "price": "price cost",
    "car": "car automobile",
    "doctor": "doctor physician",
    "child": "child kid children kids",
    "mother": "mother mom mum",
    "father": "father dad",
    "movie": "movie film",
    "photo": "photo picture image pic",
    "problem": "problem issue trouble",
    "mean": "mean meaning definition define",
    "differ": "differ difference different distinguish",
    "use": "use utilize utilise employ",
    "need": "need require",
    "help": "help assist aid",
    "change": "change modify alter edit",
    "convert": "convert transform",
    "combine": "combine merge",
    "concatenate": "concatenate concat",
    "check": "check verify validate confirm",
    "sort": "sort order arrange",
    "run": "run execute",
    "configure": "configure config setup configuration",
    "write": "write compose",
    "close": "close shut",
    "answer": "answer reply respond response",
    "ask": "ask inquire enquire",
    "talk": "talk speak",
    "think": "think believe",
    "happy": "happy glad",
    "smart": "smart intelligent clever",
    "rich": "rich wealthy",
    "hard": "hard difficult tough",
    "easy": "easy simple simply straightforward",
    "wrong": "wrong incorrect",
    "huge": "huge enormous massive gigantic",
    "increase": "increase raise boost",
    "decrease": "decrease reduce",
    "enable": "enable activate",
    "disable": "disable deactivate",
    "update": "update upgrade",
    "benefit": "benefit advantage pro",
    "cause": "cause reason",
    "symptom": "symptom",
    "author": "author writer",
    "idea": "idea suggestion",
    "summary": "summary summarize summarise recap",
    "recommend": "recommend suggest",
    "safe": "safe safely secure",
    "improve": "improve enhance",
    "list": "list enumerate",
    "pair": "pair connect",
    "see": "see view",
    "dict": "dict dictionary",
    "app": "app application",
    "sci-fi": "scifi sci-fi",
    "autumn": "autumn",
    "color": "color colour",
    "job": "job occupation",
    "story": "story tale",
    "house": "house home",
    "shop": "shop",
    "rule": "rule regulation",
}.items():
    for _w in _group.split():
        SYNONYMS[_w] = _canon

#: Irregular forms -> base.
IRREGULAR: dict[str, str] = {
    "using": "use",
    "used": "use",
    "uses": "use",
    "made": "make",
    "making": "make",
    "makes": "make",
    "ran": "run",
    "running": "run",
    "wrote": "write",
    "written": "write",
    "writing": "write",
    "built": "build",
    "went": "go",
    "gone": "go",
    "took": "take",
    "taken": "take",
    "gave": "give",
    "given": "give",
    "chose": "choose",
    "chosen": "choose",
    "broke": "break",
    "broken": "break",
    "found": "find",
    "sent": "send",
    "kept": "keep",
    "bought": "buy",
    "sold": "sell",
    "thought": "think",
    "taught": "teach",
    "caught": "catch",
    "brought": "bring",
    "children": "child",
    "people": "person",
    "men": "man",
    "women": "woman",
    "mice": "mouse",
    "geese": "goose",
    "teeth": "tooth",
    "feet": "foot",
    "leaves": "leaf",
    "knives": "knife",
    "lives": "life",
    "wives": "wife",
    "data": "data",
    "media": "media",
    "criteria": "criterion",
    "indices": "index",
    "indexes": "index",
    "bacteria": "bacterium",
    "viruses": "virus",
    "analyses": "analysis",
    "better": "good",
    "best": "best",
    "worse": "bad",
    "worst": "worst",
}

#: Words the stemmer leaves alone (stripping would merge them with unrelated words).
STEM_KEEP = _words(
    """string thing nothing something everything anything morning evening during spring bring king ring wing sing
    swing ceiling building embed bed red shed news series species status virus bus gas analysis basis axis thesis
    crisis always perhaps themselves yes this his is was has does goes class glass pass mass less process access
    address business success express kiss boss loss cross miss bias alias atlas canvas chaos lens plus minus
    focus bonus campus census corpus genus onus radius sinus tennis iris cactus fungus octopus apparatus
    physics mathematics economics politics ethics statistics graphics linux windows macos ios"""
)

#: Prefixes whose swap or addition turns a word into its opposite or a different operation.
CONTRAST_PREFIXES: tuple[str, ...] = (
    "un", "dis", "de", "non", "in", "im", "il", "ir", "anti", "mis", "ex", "en", "up", "down", "out",
    "pre", "post", "over", "under", "inter", "intra", "sub", "super", "micro", "macro", "upper", "lower",
    "inc", "dec", "max", "min", "a",
)  # fmt: skip

#: Word pairs of opposite or contrasting meaning (compared after stemming; order does not matter).
ANTONYM_PAIRS: frozenset[frozenset[str]] = frozenset(
    frozenset(p.split("/"))
    for p in _seq(
        """enable/disable activate/deactivate on/off in/out up/down increase/decrease raise/lower add/remove
    include/exclude import/export upload/download push/pull open/close opened/closed lock/unlock show/hide
    accept/reject accept/decline allow/deny allow/block start/stop begin/end win/lose buy/sell borrow/lend
    give/take send/receive encode/decode encrypt/decrypt compress/decompress zip/unzip mount/unmount
    install/uninstall connect/disconnect follow/unfollow subscribe/unsubscribe like/dislike agree/disagree
    approve/disapprove legal/illegal possible/impossible valid/invalid visible/invisible true/false yes/no
    pass/fail success/failure advantage/disadvantage pro/con benefit/drawback benefit/risk positive/negative
    max/min maximum/minimum maximize/minimize first/last early/late before/after above/below over/under
    inside/outside internal/external input/output inbound/outbound upper/lower uppercase/lowercase left/right
    north/south east/west high/low hot/cold warm/cool fast/slow quick/slow big/small large/small long/short
    tall/short heavy/light thick/thin wide/narrow deep/shallow old/new old/young rich/poor cheap/expensive
    best/worst good/bad happy/sad easy/hard simple/complex safe/dangerous safe/unsafe healthy/unhealthy
    strong/weak light/dark dark/bright loud/quiet full/empty wet/dry clean/dirty hard/soft largest/smallest
    fastest/slowest oldest/youngest oldest/newest hottest/coldest highest/lowest biggest/smallest longest/shortest
    cheapest/dearest most/least more/less many/few all/none always/never everything/nothing ascending/descending
    asc/desc forward/backward increment/decrement expand/collapse online/offline public/private global/local
    sync/async synchronous/asynchronous static/dynamic mutable/immutable client/server frontend/backend
    read/write get/set serialize/deserialize attach/detach freeze/unfreeze boil/freeze boiling/freezing
    melt/freeze arrive/depart arrival/departure enter/exit entrance/exit come/go morning/evening day/night
    sunrise/sunset summer/winter spring/autumn male/female man/woman boy/girl husband/wife mother/father
    son/daughter brother/sister king/queen plus/minus add/subtract multiply/divide sum/product sum/difference
    gain/loss profit/loss credit/debit income/expense love/hate friend/enemy victory/defeat attack/defend
    offense/defense question/answer parent/child past/future previous/next yesterday/tomorrow today/tomorrow
    today/yesterday ancient/modern pros/cons include/omit permit/forbid sharp/blunt rise/fall rise/sink
    float/sink push/pop enqueue/dequeue head/tail top/bottom front/back inner/outer major/minor
    minimum/maximum lowercase/uppercase rent/buy lend/borrow teach/learn win/loss join/leave"""
    )
)
