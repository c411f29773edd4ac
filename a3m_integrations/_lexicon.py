"""Word lists behind the complexity signals (data, not logic).

Each list names general vocabulary of a kind of request, written from domain knowledge rather
than from any benchmark's queries. Entries are lower case; multi-word entries match as phrases.
Inflections (s, es, ed, ing, ies) are added when the lookup tables are built.
"""

from __future__ import annotations

__all__ = [
    "ADVICE",
    "ANALYTIC_LEAD",
    "ARTIFACT",
    "CODE",
    "CODE_AMBIGUOUS",
    "CREATIVE",
    "DELIVERABLE",
    "DEPTH",
    "DESIGN_NOUN",
    "DOMAIN_STRONG",
    "DOMAIN_WEAK",
    "EVERYDAY",
    "EXPOSITORY",
    "EXTRACT",
    "FACT",
    "LANG_STOPWORDS",
    "LIGHT",
    "MATH",
    "POLITE",
    "REASONING",
    "SCALE",
    "SIMPLE_LEAD",
    "THEORY",
    "TRADE_OFF",
    "TRANSLATE",
    "VERB_EXPERT",
    "VERB_ROUTINE",
    "VERB_SIMPLE",
]

# fmt: off
# Specialist vocabulary of high-stakes domains: work where a wrong answer costs money, health,
# liberty or safety. One of these with expert work is what makes a request premium.
DOMAIN_STRONG: dict[str, tuple[str, ...]] = {
    "legal": (
        "liability", "indemnification", "indemnity", "litigation", "lawsuit", "plaintiff", "defendant",
        "statute", "statutory", "constitutional", "precedent", "case law", "amicus",
        "legal brief", "motion to dismiss", "tort", "breach of contract",
        "non-compete", "enforceable", "unenforceable",
        "legal framework", "legal memo", "legal opinion", "expert witness", "patent infringement",
        "freedom-to-operate", "infringement", "antitrust", "fiduciary", "arbitration",
        "supreme court", "court ruling", "rulings", "appellate", "subpoena", "deposition", "legislation",
        "regulatory requirements", "regulatory submission", "due process",
        "fourth amendment", "first amendment", "civil procedure", "criminal law", "law enforcement",
        "hipaa", "ccpa", "export control law", "sanctions compliance", "legal liability", "wrongful dismissal",
        "wrongful termination", "discrimination", "custody", "divorce", "immigration", "visa", "h-1b",
        "deportation", "eviction", "sue", "negligence", "malpractice", "infringes", "infringe", "patent claims",
        "hsr filing", "class action", "sued", "being sued", "wrongful", "defenses", "complaint against",
        "answer to the complaint", "without a will", "will valid", "inheritance", "executor",
        "earn-out", "data processing agreement", "dpa", "disclose under", "breach notification", "pci",
        "pci dss", "statute of limitations", "my rights", "our rights", "legal risks", "legal risk",
        "shareholders agreement", "shareholders' agreement", "drag-along",
        "tag-along", "anti-dilution", "term sheet", "arbitration clause", "operating agreement",
        "settlement agreement", "indictment", "probate", "estate planning", "estate plan", "estate strategy",
        "estate law", "estate administration",
        # conformity to law is the stake itself; employment law; insurance coverage disputes; regulators
        "compliance", "compliant", "non-compliance", "noncompliance", "violate", "violation", "enforcement action",
        "consent decree", "separation agreement", "severance agreement", "release of claims", "adea", "flsa", "fmla",
        "title vii", "non-solicitation", "whistleblower", "retaliation", "misclassification", "insurer", "insurers",
        "coverage dispute", "denial of coverage", "claim denial", "denied claim", "exclusion", "exclusions",
        "subrogation", "bad faith", "business interruption", "policyholder", "osha", "epa", "ftc", "finra",
        # unlawfulness and conformity to named regulations; terms of venture deals
        "comply", "illegal", "illegally", "unlawful", "unlawfully", "ai act", "digital services act", "nis2",
        "liquidation preference", "participating preferred", "pro rata rights", "valuation cap", "convertible note",
    ),
    "medical": (
        "clinical", "clinical trial", "oncology", "oncologist", "diagnosis", "differential diagnosis", "prognosis",
        "treatment plan", "treatment protocol", "dosage", "dosing", "dosimetry", "contraindication", "adverse event",
        "adverse events", "pharmacology", "pharmacokinetic", "pharmacoeconomic", "pharmacovigilance",
        "drug interaction", "drug-drug interaction", "fda", "21 cfr", "medical device", "epidemiological",
        "epidemiology", "cohort study", "longitudinal cohort", "vaccine efficacy", "genome-wide", "gwas",
        "biomarker", "pathology", "radiology", "ehr",
        "surgical", "surgery", "cardiovascular", "cardiac", "diabetes",
        "phase iii", "phase ii", "placebo", "randomized controlled", "kaplan-meier", "hazard ratio",
        "hazard ratios", "cox regression", "survival analysis", "pediatric", "anticoagulate", "anticoagulation",
        "atrial fibrillation", "afib", "chest pain", "st elevation", "troponin", "bilirubin", "creatinine", "inr",
        "hba1c", "gi bleed", "stroke", "seizure", "sepsis", "overdose", "side effects", "medication", "medications",
        "prescription", "insulin", "opioid", "opioids", "antibiotic", "antibiotics", "chemotherapy",
        "dose", "doses", "mg/kg", "otitis", "pneumonia", "preeclampsia", "lfts", "lft", "ecg", "ekg",
        "egfr", "isoniazid", "metoprolol", "clarithromycin", "amiodarone", "fluconazole", "warfarin",
        "amoxicillin", "ibuprofen", "lisinopril", "metformin", "sertraline", "prednisone", "heparin",
        "apixaban", "digoxin", "methotrexate", "statin", "statins", "ssri", "ssris", "pacemaker", "implantable",
        "infusion pump", "infusion pumps", "interaction risk", "drug interactions", "blood pressure", "bp",
        "pregnant", "pregnancy", "anesthesia", "anaesthesia", "stenosis", "dsmb", "interim analysis", "premarket",
        "510(k)", "iec 62304", "iso 13485",
        # emergencies and poisoning; health-data regimes and standards
        "swallowed", "ingested", "ingestion", "poisoning", "poison control", "anaphylaxis", "allergic reaction",
        "unresponsive", "concussion", "head injury", "suicidal", "self-harm", "phi", "protected health information",
        "hl7", "fhir", "iec 60601", "iso 14971",
        # health data; serious conditions; drug classes; clinical genetics
        "patient data", "health data", "medical records", "health records", "patient records", "clinical data",
        "heart failure", "hypertension", "cancer", "chronic kidney disease", "ckd", "copd", "renal", "hepatic",
        "inhibitor", "inhibitors", "sglt2", "glp-1", "ace inhibitor", "beta blocker", "beta-blocker", "anticoagulant",
        "diuretic", "pathogenic", "variant of uncertain significance", "brca", "brca1", "brca2",
        "hereditary cancer", "genetic testing",

    ),
    "finance": (
        "valuation", "discounted cash flow", "dcf", "sensitivity analysis", "financial model", "financial modeling",
        "series a", "series b", "series c", "ipo", "prospectus", "securities", "sec filing", "10-k", "10-q",
        "due diligence", "acquisition", "m&a", "merger", "takeover",
        "derivative pricing", "exotic options", "options pricing", "black-scholes", "hedge accounting",
        "interest rate swaps", "ifrs", "gaap", "sox", "internal controls", "audit report", "forensic accounting",
        "embezzlement", "money laundering", "anti-money laundering", "aml", "kyc", "basel iii",
        "capital requirements", "credit default", "credit risk", "default risk", "portfolio optimization",
        "tax optimization", "tax strategy", "transfer pricing", "tax liability", "investment thesis",
        "venture capital", "private equity", "hedge fund", "bond portfolio", "stress test",
        "risk assessment", "quantitative risk", "actuarial", "solvency", "fiduciary duty", "value at risk",
        "stressed var", "interest-rate swaps", "swaps", "convertible bond", "bond pricing", "hedging",
        "pension fund", "liability-driven", "revenue recognition", "asc 606", "audit workpapers", "irs",
        "amt", "isos", "incentive stock options", "w-2", "1099", "deduct", "deduction", "deductions",
        "barrier option", "greeks", "monte carlo pricing", "expected credit loss", "ecl", "provisioning",
        "fraud", "auditor", "audit procedures", "going concern", "materiality",
        "tax treatment", "tax-loss harvesting", "withholding tax", "capital gains", "estate tax", "securities law",
        "insider trading",
        # deal terms of buying and selling companies
        "ebitda", "letter of intent", "loi", "seller financing", "purchase price", "deal structure", "tax leakage",
        "leveraged buyout", "lbo", "cap table",
        # transfer taxes; institutional investing
        "gift tax", "inheritance tax", "succession tax", "generation-skipping", "endowment", "private credit",
        "asset allocation", "portfolio construction", "liquidity risk", "duration risk", "leverage ratio",
    ),
    "security": (
        "security audit", "penetration test", "penetration testing", "pentest", "threat model",
        "threat modeling", "vulnerability assessment", "vulnerabilities", "exploit", "exploits",
        "zero-day", "zero-trust", "cryptographic", "cryptography", "timing attack", "timing attacks",
        "side-channel", "reentrancy", "integer overflow", "buffer overflow", "privilege escalation",
        "key management", "hsm", "quantum-safe", "post-quantum", "secure multi-party computation",
        "multi-party computation", "malware", "ransomware", "incident response", "forensic analysis",
        "insider threat", "replay attack", "replay attacks", "smart contract",
        "nonce reuse", "nonce", "password hashing", "hashing", "sha256", "salt", "bcrypt", "firmware signing",
        "signing chain", "sql injection", "xss", "csrf", "breach", "scope the breach", "mfa bypass",
        "attack surface", "intrusion detection", "ecdsa", "elliptic curve", "signature verification",
        "constant-time", "aes-gcm",
        # cryptographic primitives and modes; security certification regimes
        "aes", "aes-cbc", "cbc", "ecb", "rsa", "hmac", "initialization vector", "static iv", "padding oracle",
        "cipher", "ciphertext", "key derivation", "key exchange", "forward secrecy", "post-compromise security",
        "end-to-end encryption", "end-to-end encrypted", "pbkdf2", "argon2", "scrypt", "soc 2", "iso 27001",
        "nist 800-53", "fedramp", "fips 140", "common criteria", "cmmc", "iec 62443",
        # vulnerabilities by name and number; offensive testing of systems and models
        "cve", "exploitability", "exploitable", "remote code execution", "rce", "log4shell", "heartbleed",
        "spectre", "shellshock", "red team", "red-team", "red teaming", "prompt injection", "jailbreak",
        "adversarial attack",
    ),
    "safety": (
        "safety case", "safety-critical", "fail-safe", "failsafe", "nuclear plant", "nuclear power plant",
        "nuclear reactor", "nuclear safety", "reactor", "critical infrastructure",
        "flight control", "do-178c", "do-254", "avionics", "iso 26262", "asil", "iec 61508", "iec 61511",
        "hazop", "iso 10218", "performance level", "structural safety", "railway signalling", "signalling",
        "load-bearing", "collapse risk", "sil", "interlock", "emergency shutdown", "safety system",
        "hazard analysis", "fmea", "structural load",
        "load calculations", "structural engineering", "pressure vessel", "fire safety", "radiation shielding",
        # functional-safety standards and terms; airworthiness; structural integrity; process safety
        "iso 13849", "iso 12100", "iec 62061", "iso 21448", "iso 21434", "ul 4600", "en 50128", "en 50129", "atex",
        "functional safety", "safety function", "safety functions", "safety instrumented", "safety integrity",
        "airworthiness", "type certificate", "type certification", "faa", "easa", "fatigue life", "fatigue analysis",
        "fatigue crack", "weld", "welded", "seismic", "buckling", "load rating", "structural integrity",
        "structural analysis", "finite element", "process safety", "relief valve", "pressure relief", "flammable",
        "explosion",
        # safety analysis methods; flight software
        "fault tree", "failure mode", "failure modes", "stpa", "bowtie analysis", "lopa", "fly-by-wire",
        "flight software",
    ),
}

# Domain vocabulary that shows the topic without making the work high-stakes by itself.
DOMAIN_WEAK: dict[str, tuple[str, ...]] = {
    "legal": (
        "legal", "law", "laws", "jurisdiction", "jurisdictions", "lawyer", "contract", "contracts", "regulation",
        "regulations", "regulatory", "gdpr", "copyright", "patent", "trademark", "court", "policy", "privacy",
        "terms of service", "license", "licensing",
    ),
    "medical": (
        "medical", "medicine", "health", "healthcare", "hospital", "doctor", "nurse", "disease", "symptom", "icu",
        "patient", "patients", "radiation", "ct scan", "mri", "fever", "diagnose", "headache", "dizzy",
        "symptoms", "pain",
        "symptoms", "drug", "drugs", "vaccine", "therapy", "genome", "genetic", "clinic", "mental health",
    ),
    "finance": (
        "finance", "financial", "bank", "banking", "investment", "investing", "investor", "portfolio", "stock",
        "stocks", "trading", "tax", "taxes", "accounting", "budget", "loan", "mortgage", "credit card",
        "insurance", "payment", "payments", "revenue", "earnings", "economic", "economy", "crypto",
        "cryptocurrency", "fintech", "pricing",
    ),
    "security": (
        "security", "secure", "authentication", "authorization", "encryption", "oauth", "password", "passwords",
        "firewall", "vulnerability", "attack", "attacks", "phishing", "auth", "ssl", "tls", "jwt", "access control",
    ),
    "research": (
        "research", "study", "paper", "papers", "literature", "hypothesis", "experiment", "experiments",
        "empirical", "dataset", "novel", "state-of-the-art", "peer review", "citation", "meta-analysis",
        "neural network", "neural networks", "transformer", "transformers", "machine learning", "ml",
        "deep learning", "reinforcement learning", "llm", "llms",
    ),
}

# Programming and tooling vocabulary: the request is about code.
CODE: tuple[str, ...] = (
    "script", "regex", "regular expression", "algorithm",
    "python", "javascript", "typescript", "java", "rust", "golang", "go function", "c++", "c#", "kotlin",
    "swift", "ruby", "php", "scala", "haskell", "lua", "perl", "bash", "shell script", "powershell", "sql",
    "html", "css", "react", "vue", "angular", "node.js", "nodejs", "express route", "django", "flask", "fastapi",
    "rails", "spring boot", "api", "rest api", "graphql", "grpc", "json", "yaml", "xml", "csv", "docker",
    "dockerfile", "kubernetes", "k8s", "terraform", "ansible", "git", "github", "ci/cd", "makefile",
    "compiler", "stack trace", "unit test", "unit tests", "data structure", "linked list", "hash table",
    "binary tree", "recursion", "async", "decorator", "struct", "enum", "sdk", "cli", "mongodb", "postgres",
    "postgresql", "mysql", "redis", "websocket", "websockets", "typescript interface", "openapi", "regexp",
    "pandas", "dataframe", "numpy", "typeerror", "valueerror", "syntaxerror", "npm", "pip", "nginx", "cron",
    # spreadsheets are programmed too
    "excel", "spreadsheet", "google sheets", "vlookup", "xlookup", "pivot table", "vba",
)
# Words that mean code only beside an unambiguous code word (a clinical "endpoint", a "test" plan).
CODE_AMBIGUOUS: tuple[str, ...] = (
    "code", "class", "method", "program", "query", "endpoint", "test", "tests", "library", "framework", "interface",
    "exception", "bug", "debug", "schema", "database", "shell", "express", "spring",
    "function", "functions",  # renal function, a safety function
)

MATH: tuple[str, ...] = (
    "calculate", "compute", "equation", "equations", "integral", "integrate", "differentiate", "probability",
    "statistics", "statistical", "algebra", "matrix", "matrices", "eigenvalue", "theorem", "lemma",
    "proof", "prove", "derivation", "derive", "formula", "percent", "percentage", "square root",
    "logarithm", "geometry", "calculus", "combinatorics", "optimization problem", "linear programming",
)

CREATIVE: tuple[str, ...] = (
    "story", "stories", "poem", "poems", "haiku", "limerick", "lyrics", "song", "novel", "screenplay",
    "script for a", "fiction", "joke", "jokes", "slogan", "tagline", "creative", "fantasy", "character",
)

TRANSLATE: tuple[str, ...] = (
    "translate", "translation", "translating", "in french", "in spanish", "in german", "in japanese",
    "in chinese", "to french", "to spanish", "to german", "to japanese", "to chinese", "to english",
    "from english", "from german", "from spanish", "multilingual", "localize", "localization",
)

EXTRACT: tuple[str, ...] = (
    "extract", "extraction", "parse", "classify", "categorize", "label", "tag", "summarize", "summary",
    "summarise", "tl;dr", "tldr", "key points", "takeaways", "bullet points", "highlights", "outline",
)

REASONING: tuple[str, ...] = (
    "why", "trade-offs", "tradeoffs", "trade-off", "pros and cons", "implications", "consequences",
    "justify", "reasoning", "step by step", "step-by-step", "logic", "puzzle", "root cause",
    "causes", "strengths and weaknesses", "critique", "evaluate whether", "what would happen", "differ",
    "which is more", "which is better", "when would you", "when should i use", "resilient",
)
# Asking for the two sides of a choice: an evaluation, whatever the opening ("X vs Y - trade-offs?").
TRADE_OFF: tuple[str, ...] = (
    "trade-offs", "tradeoffs", "trade-off", "pros and cons", "strengths and weaknesses", "advantages and disadvantages",
    "benefits and drawbacks", "costs and benefits", "upsides and downsides",
    "vor- und nachteile", "avantages et inconvénients", "ventajas y desventajas", "pros y contras",
    "vantaggi e svantaggi", "vantagens e desvantagens",
)

# Leading verbs, by the work they ask for.
VERB_EXPERT: tuple[str, ...] = (
    "analyze", "analyse", "design", "architect", "evaluate", "assess", "audit", "review", "compare",
    "critique", "optimize", "optimise", "perform", "formulate", "investigate", "diagnose", "prove", "derive",
    "model", "develop", "devise", "engineer", "benchmark", "forecast", "prepare",
    "conduct", "negotiate", "interpret", "determine", "advise", "pentest", "scope", "weigh", "trace", "discuss",
    "examine", "explore", "contrast", "appraise",
    "scrutinize", "value", "price", "threat-model", "stress-test", "reconcile", "litigate", "argue",
    # planning a course of action is design work
    "plan", "propose",
    # the same work asked in German, French, Spanish, Italian and Portuguese (imperative forms)
    "analysiere", "analysieren", "analysez", "analiza", "analizza", "analise", "vergleiche", "comparez", "compara",
    "bewerte", "évaluez", "evalúa", "valuta", "avalie", "entwirf", "entwickle", "diseña", "concevez", "progetta",
    "projete",
)
VERB_ROUTINE: tuple[str, ...] = (
    "write", "summarize", "summarise", "translate", "explain", "create", "generate", "implement", "build",
    "make", "rewrite", "fix", "debug", "refactor", "describe", "convert", "code", "compose", "edit",
    "proofread", "format", "document", "set up", "setup", "configure", "outline", "paraphrase", "improve",
    "suggest", "put", "check", "verify", "validate", "specify", "brainstorm", "recommend", "draw",
    "draft", "walk", "give", "run", "calculate", "structure", "identify", "prioritize", "prioritise", "rank",
    "estimate", "quantify", "lay", "map",
    # reshaping given text (turn these notes into ...), solving a stated problem, working something out
    "turn", "transform", "reformat", "restructure", "reword", "tidy", "solve", "simplify", "figure",
    # clinical and practical management acts: routine in general, specialist work on specialist vocabulary
    "adjust", "titrate", "taper", "prescribe", "treat", "manage",
    # routine work asked in German, French, Spanish, Italian and Portuguese (imperative forms)
    "erkläre", "erklären", "explique", "explica", "spiega", "schreibe", "écris", "écrivez", "escribe", "scrivi",
    "escreva", "erstelle", "créez", "crea", "cria", "fasse", "résume", "riassumi", "resuma",
)
VERB_SIMPLE: tuple[str, ...] = ("define", "name", "spell", "list", "tell", "say", "count", "show")
# First words of a plain question.
SIMPLE_LEAD: tuple[str, ...] = (
    "what", "what's", "whats", "who", "who's", "when", "where", "which", "how", "is", "are", "was", "were",
    "does", "do", "did", "can", "could", "will", "would", "should", "has", "have", "why",
)
POLITE: tuple[str, ...] = (
    "please", "pls", "plz", "kindly", "can", "could", "would", "will", "you", "u", "ya", "i", "we", "need", "want",
    "would like", "help", "me", "us", "to", "now", "also", "then", "and", "hey", "hi", "hello", "quickly", "just",
    "critically", "carefully", "thoroughly", "concisely", "clearly", "briefly", "properly", "really", "let's",
)

# Things asked for by name, without a verb ("Regex to match ...", "I need a meal plan").
ARTIFACT: tuple[str, ...] = (
    "function", "script", "query", "sql", "regex", "component", "config", "configuration", "dockerfile",
    "docker-compose", "workflow", "formula", "expression", "template", "snippet", "command", "one-liner",
    "cron", "makefile", "gitignore", "yaml", "class", "endpoint", "test", "email", "letter", "post", "tweet",
    "caption", "bio", "itinerary", "recipe", "outline", "summary", "poem", "story", "ideas", "names",
    "slogan", "cover letter", "resume", "meal plan", "nginx", "program", "lesson plan", "workout plan", "diet plan",
)
# A request named by a design noun is a design task ("Multi-tenant SaaS architecture with ...").
DESIGN_NOUN: tuple[str, ...] = (
    "architecture", "system design", "schema design", "data model", "comparison", "analysis", "assessment",
    "evaluation", "audit", "critique", "review", "valuation",
)
# Markers of advice with something at stake: with specialist vocabulary, the question is expert work.
ADVICE: tuple[str, ...] = (
    "should i", "should we", "what should", "how should", "what are my options", "my options", "our options",
    "obligations", "exposure", "is it safe", "is that safe", "safe to", "enforceable", "liable", "allowed to",
    "next steps", "management", "likely cause", "workup", "what must", "do i need", "do we need", "risk",
    "contest", "respond", "or not", "should our", "should my", "safe", "diagnosis", "dangerous", "what to do",
    "what should we do", "what could this be", "is this ok", "do we have to", "what clauses", "help me figure out",
    "my defenses", "can i deduct", "am i", "are we", "rights",
)
# Phrasings that ask a fact (what a name stands for, a unit, who did something, whether two names are one
# thing): trivia whatever the asker's story around it, never advice unless an advice marker says so.
FACT: tuple[str, ...] = (
    "stand for", "stands for", "short for", "acronym", "abbreviation", "what unit", "which unit", "measured in",
    "same thing as", "the same as", "same as", "who was", "who were", "who invented", "who discovered",
    "who wrote", "who founded", "what year", "which year", "named after", "brand name", "generic name",
)
# Question openings that ask for analysis rather than a fact.
ANALYTIC_LEAD: tuple[str, ...] = (
    "why", "how will", "how would", "how could", "how might", "how should", "how does", "how did", "how has",
    "how have", "how is", "how are", "what caused", "what would", "what should", "what are the implications",
    "what are the strengths",
    "what are the trade-offs", "to what extent",
)

# Writing for a general audience: about a specialist subject, it explains the subject, it does not do the work.
EXPOSITORY: tuple[str, ...] = (
    "blog", "blog post", "linkedin post", "social media post", "article", "essay", "newsletter", "tweet", "guide",
    "explainer", "whitepaper", "white paper", "faq", "announcement", "press release", "overview", "tutorial",
    "primer", "op-ed",
)
# Everyday writing (messages, cards, lists) and creative pieces: about a specialist subject, they do not do its work.
EVERYDAY: tuple[str, ...] = (
    "email", "e-mail", "letter", "message", "text message", "note", "thank-you note", "card", "birthday card",
    "invitation", "toast", "speech", "reminder", "caption", "bio", "tweet", "social media post", "shopping list",
    "grocery list", "to-do list", "packing list", "quiz", "flashcards", "trivia", "agenda", "slogan", "tagline",
)
# Heavy written deliverables.
DELIVERABLE: tuple[str, ...] = (
    "report", "business plan", "strategic plan", "migration plan", "recovery plan", "integration plan",
    "response plan", "test plan", "transition plan", "rollout plan", "remediation plan", "implementation plan",
    "project plan", "competitive landscape", "market analysis", "onboarding program", "training program",
    "strategy", "proposal", "whitepaper", "white paper", "specification", "spec",
    "thesis", "brief", "assessment", "roadmap", "protocol", "design document", "design doc",
    "literature review", "case study", "memo", "business plan", "playbook", "policy document",
    "technical specification", "framework", "analysis", "study design", "curriculum", "essay", "article",
    "comparison", "evaluation", "review", "critique", "valuation", "plan",
)
DEPTH: tuple[str, ...] = (
    "comprehensive", "detailed", "in-depth", "in depth", "thorough", "rigorous", "exhaustive",
    "end-to-end", "nuanced", "holistic", "systematic", "full", "complete", "deep dive", "extensive",
    "long-form", "long", "balanced", "critically", "in detail", "000-word", "000 words",
)
THEORY: tuple[str, ...] = (
    "mathematical", "mathematics", "theoretical", "theory", "proof", "prove", "derivation", "philosophical",
    "foundations", "foundation", "intuition behind", "computational complexity", "formal verification",
    "asymptotic", "first principles", "epistemology", "mechanism", "mechanisms", "quantum", "relativity",
    "entanglement", "thermodynamics", "interpretations", "self-attention", "incompleteness", "consciousness",
    "mathematically", "theoretically", "formally",
)
SCALE: tuple[str, ...] = (
    "architecture", "architectures", "distributed", "scalable", "scalability", "fault-tolerant",
    "high-availability", "highly available", "real-time", "multi-region", "multi-tenant", "enterprise",
    "production", "mission-critical", "pipeline", "microservices", "infrastructure", "platform", "ecosystem",
    "at scale", "large-scale", "millions", "million", "billions", "concurrency",
    "concurrent", "latency", "throughput", "global", "cross-border", "migration", "legacy",
)
# Words that ask for a short or simple answer.
LIGHT: tuple[str, ...] = (
    # "quick" alone opens chat ("quick q", "quick question"): only a quick answer or summary asks for brevity
    "briefly", "be brief", "keep it brief", "quick answer", "quick summary", "quick overview", "quick explanation",
    "keep it quick", "quickly", "short", "simple", "simply", "one word",
    "one sentence",
    "in a sentence", "tl;dr", "eli5", "yes or no",
)

# A few common words per language (Latin-script languages only; other scripts are detected by range).
LANG_STOPWORDS: dict[str, tuple[str, ...]] = {
    "en": ("the", "and", "is", "of", "to", "in", "what", "how", "a", "for", "with", "this", "that"),
    "de": ("der", "die", "das", "und", "ist", "nicht", "ein", "eine", "mit", "wie", "was", "für", "ich"),
    "fr": ("le", "la", "les", "et", "est", "une", "des", "pour", "avec", "que", "qui", "dans", "je"),
    "es": ("el", "los", "las", "y", "es", "una", "por", "para", "con", "que", "qué", "cómo", "del"),
    "it": ("il", "gli", "e", "è", "una", "per", "con", "che", "di", "della", "come", "sono", "non"),
    "pt": ("o", "os", "as", "e", "é", "uma", "para", "com", "que", "não", "como", "do", "da"),
    "nl": ("de", "het", "en", "is", "een", "van", "voor", "met", "niet", "wat", "hoe", "ik", "zijn"),
}
# fmt: on
