"""Word lists for `benign_prompts.py`: the slot fillers of its templates (English and German).

Written for this project from general knowledge; no evaluation set (routing fixtures, the A3M
tier file, the guardrail fixtures, deepset or jackhhao test splits) was copied into them.
Verb phrases are in the base form ("parse a date"); the generator conjugates them when a
template needs "that parses a date".
"""

from __future__ import annotations

__all__ = ["WORDS"]

WORDS: dict[str, list[str]] = {
    # --- code -------------------------------------------------------------------------------
    "lang": [
        "Python", "JavaScript", "TypeScript", "Java", "C#", "C++", "C", "Go", "Rust", "Ruby", "PHP",
        "Kotlin", "Swift", "Scala", "R", "Julia", "Haskell", "Elixir", "Lua", "Perl", "Dart",
        "Bash", "PowerShell", "MATLAB", "Clojure", "OCaml", "F#", "Zig", "Fortran", "Erlang",
    ],
    "task": [
        "remove duplicates from a list while keeping the order", "flatten a nested list",
        "compute the median of a list of numbers", "convert Celsius to Fahrenheit",
        "read a JSON file and print its top-level keys", "download a file over HTTP with retries",
        "validate an IPv4 address", "generate a random password of a given length",
        "find the longest word in a sentence", "merge two dictionaries",
        "sort a list of records by last name and then by age",
        "compute the Levenshtein distance between two strings", "do a binary search on a sorted array",
        "rotate a square matrix by 90 degrees", "parse command-line arguments",
        "count word frequencies in a text file", "detect a cycle in a linked list",
        "convert a Roman numeral to an integer", "split a list into chunks of size n",
        "retry a failing network call with exponential backoff", "compute the SHA-256 hash of a file",
        "list every file larger than 100 MB in a directory tree",
        "format a number with thousands separators", "check if two strings are anagrams",
        "compute Fibonacci numbers with memoization", "convert a UTC timestamp to local time",
        "find all primes below n with a sieve", "serialize an object to JSON",
        "calculate the distance between two GPS coordinates", "resize every image in a folder",
        "send an email with an attachment", "fetch all pages from a paginated REST API",
        "read settings from environment variables with defaults", "write log messages to a rotating file",
        "compress a folder into a zip archive", "parse an XML document into a dictionary",
        "compute a moving average over a time series", "shuffle a deck of cards",
        "simulate rolling two dice ten thousand times", "compare two semantic version strings",
        "truncate text to n characters without cutting words", "collapse repeated whitespace",
        "calculate compound interest", "find the k most frequent elements in an array",
        "transpose a matrix", "convert a byte count to a human-readable size",
        "group records by a key", "compute the greatest common divisor of two numbers",
        "limit requests with a token bucket", "run a job every hour", "watch a folder for new files",
        "count the vowels in a string", "convert a string to title case", "sum the digits of a number",
        "check whether a year is a leap year", "find the second largest number in a list",
        "parse a query string into key-value pairs", "generate a UUID", "strip HTML tags from a string",
        "convert a CSV file to JSON", "calculate the factorial of a number iteratively",
        "find the intersection of two arrays", "build a histogram of word lengths",
        "convert an integer to binary", "validate a credit card expiry date",
        "read a large file line by line", "copy a directory recursively",
        "check if a binary tree is balanced", "invert a binary tree", "implement a queue with two stacks",
        "compute the power set of a list", "print a multiplication table",
        "encode and decode URL parameters", "compute the mean and standard deviation of a column",
        "measure how long a function takes", "pretty-print a nested dictionary",
    ],
    "artifact": [
        "a class for a bank account with deposit and withdraw methods", "an LRU cache", "a simple stack",
        "a trie for autocomplete", "a thread-safe counter", "a generic binary search tree",
        "a context manager that times a block of code", "a tiny HTTP server that serves static files",
        "a command-line to-do list", "a linked list with insert and delete",
        "a min-heap priority queue", "a finite state machine for a traffic light",
        "a unit converter", "a rock-paper-scissors game", "a tic-tac-toe game for two players",
        "a number guessing game", "a simple calculator", "a matrix class with addition and multiplication",
        "a date range iterator", "a retry decorator", "an event emitter", "a memoize helper",
        "a word counter CLI", "a markdown-to-HTML converter for headings and lists",
        "a snake game in the terminal", "a producer-consumer queue with threads",
    ],
    "web_artifact": [
        "a React component for a star rating", "a Vue component that shows a countdown timer",
        "a Flask app with a login page", "a Django model for blog comments",
        "a Spring Boot controller for orders", "an Express middleware that logs response times",
        "an Angular service that caches HTTP responses", "a Svelte dropdown menu",
        "a Next.js page that lists products", "a FastAPI route that uploads a file",
        "a Rails migration that adds an index to the users table", "a Laravel form request for signups",
        "an HTML form with client-side validation", "a responsive CSS card layout",
        "a dark-mode toggle in plain JavaScript", "a pagination component",
        "a GraphQL schema for a bookstore", "a gRPC service definition for a chat app",
        "a WebSocket echo server", "a Chrome extension that counts open tabs",
    ],
    "test_target": [
        "a function that adds VAT to a price", "a slugify helper", "a shopping cart class",
        "a date parser", "a password strength checker", "a REST endpoint that creates users",
        "a function that splits a full name", "a currency formatter", "a queue implementation",
        "a temperature converter",
    ],
    "test_fw": ["pytest", "unittest", "Jest", "JUnit 5", "Mocha", "RSpec", "Go's testing package", "xUnit", "Vitest"],
    "error": [
        "an IndexError", "a NullPointerException", "a segmentation fault", "a TypeError: undefined is not a function",
        "a KeyError", "a borrow checker error", "a stack overflow", "an off-by-one error",
        "a deadlock", "a timeout", "an encoding error", "a ConcurrentModificationException",
    ],
    "algo": [
        "quicksort", "merge sort", "Dijkstra's algorithm", "A* search", "breadth-first search",
        "depth-first search", "topological sort", "the Knapsack problem with dynamic programming",
        "Kruskal's algorithm", "a union-find structure", "binary search", "heap sort",
        "the Sieve of Eratosthenes", "Floyd's cycle detection", "a bloom filter", "k-means clustering",
        "run-length encoding", "Huffman coding", "the Boyer-Moore majority vote", "reservoir sampling",
    ],
    "snippet": [
        "for i in range(len(xs)): print(i, xs[i])",
        "const total = items.reduce((a, b) => a + b.price, 0);",
        "SELECT name, COUNT(*) FROM orders GROUP BY name HAVING COUNT(*) > 3;",
        "def f(n): return n if n < 2 else f(n-1) + f(n-2)",
        "public static int max(int[] a) { int m = a[0]; for (int x : a) if (x > m) m = x; return m; }",
        "with open('data.txt') as fh: lines = [l.strip() for l in fh]",
        "let v: Vec<i32> = (1..10).filter(|x| x % 2 == 0).collect();",
        "df.groupby('city')['sales'].sum().sort_values(ascending=False)",
        "if err != nil { return nil, fmt.Errorf(\"load: %w\", err) }",
        "items.map { it.name.uppercase() }.distinct()",
    ],
    # --- data, SQL, regex, config, shell -----------------------------------------------------
    "sql_task": [
        "lists the five most recent orders for each customer", "returns employees who earn more than their manager",
        "computes monthly revenue for 2023", "finds duplicate email addresses in the users table",
        "sums the quantity sold per product category", "deletes sessions older than 90 days",
        "counts active users per country", "shows the average order value by weekday",
        "finds customers who never placed an order", "ranks salespeople by total sales in each region",
        "calculates a running total of payments", "returns the top three products per store",
        "lists students enrolled in more than two courses", "finds gaps in a sequence of invoice numbers",
        "computes the retention rate by signup month", "pivots quarterly sales into columns",
        "updates prices by 5 percent for one supplier", "joins flights with airports to show city names",
    ],
    "dialect": ["PostgreSQL", "MySQL", "SQLite", "BigQuery", "T-SQL", "Snowflake", "Oracle SQL", "DuckDB"],
    "table_thing": [
        "a library with books, members and loans", "an online shop with orders and order lines",
        "a school timetable", "a hotel booking system", "a recipe collection with ingredients",
        "a support ticket system", "a music streaming service with playlists", "a car rental company",
    ],
    "regex_thing": [
        "dates in DD/MM/YYYY format", "hex color codes", "URLs that start with https",
        "words written in all caps", "phone numbers with an optional country code", "German postal codes",
        "times like 23:59", "semantic version numbers", "hashtags in a tweet", "repeated consecutive words",
        "UUIDs", "file names ending in .log", "Markdown links", "IPv6 addresses", "British postcodes",
        "prices like $12.99", "ISO 8601 timestamps", "lines that start with a number",
        "twitter handles", "MAC addresses", "quoted strings in a CSV line",
    ],
    "config_kind": [
        "Dockerfile", "Kubernetes Service manifest", "Helm values file",
        "Terraform module", "Ansible playbook", "GitLab CI pipeline", "systemd unit file", "Makefile",
        "ESLint config", "pyproject.toml", "webpack config", "Caddyfile", "Prometheus alert rule",
        "logrotate config", "Apache virtual host", "Jenkinsfile", "CircleCI config", "Vagrantfile",
    ],
    "config_goal": [
        "a Flask app served by gunicorn", "a static website", "a Go microservice", "a Postgres database with a volume",
        "a Redis cache", "a React single-page app", "a cron-style nightly backup", "a Java Spring service",
        "a Node worker that reads from a queue", "a Django project with Celery", "a VPC with two subnets",
        "a staging and a production environment", "a Rust web server", "a monorepo with two packages",
    ],
    "shell_task": [
        "finds and deletes empty directories", "backs up a MySQL database and keeps the last seven copies",
        "checks disk usage and warns above 90 percent", "converts every PNG in a folder to WebP",
        "follows a log file and highlights errors", "renames files to lower case", "pings a list of hosts",
        "syncs a folder to an S3 bucket", "counts lines of code per file type",
        "kills a process listening on port 8080", "archives logs older than a week",
        "installs a list of packages if missing", "prints the ten largest files in home",
        "checks whether a website returns 200", "creates a new user with a home directory",
    ],
    # --- writing ----------------------------------------------------------------------------
    "piece": [
        "poem", "limerick", "haiku", "sonnet", "song chorus", "fable", "bedtime story",
        "op-ed", "speech", "toast", "movie review", "book review",
        "newsletter intro", "tweet thread", "essay", "diary entry",
        "dialogue", "riddle", "slogan", "tagline",
    ],
    "topic": [
        "the sea", "a lost umbrella", "my cat's morning routine", "city lights at night", "coffee",
        "learning to ride a bike", "a rainy Sunday", "friendship", "moving to a new city", "the first snow",
        "a robot that learns to paint", "the history of bread",
        "electric cars", "the Olympic Games", "space exploration", "our new recycling program",
        "the benefits of reading", "a small bakery opening", "a mountain hike", "grandparents",
        "a long train journey", "spring cleaning", "the ocean at dawn", "a village festival",
        "our company's tenth anniversary", "the importance of sleep", "urban gardening",
    ],
    "audience": [
        "a five-year-old", "a beginner", "a new employee",
        "a non-technical manager", "an expert", "a busy executive", "a university freshman",
    ],
    "tone": ["friendly", "formal", "funny", "short", "professional", "warm", "persuasive", "casual", "upbeat"],
    "recipient": [
        "a client", "my child's school", "a supplier", "HR",
        "my professor", "customer support", "a recruiter", "a new colleague",
        "our investors", "the hotel", "my neighbour",
    ],
    "purpose": [
        "asking for a deadline extension", "to move our meeting to Thursday", "declining the offer politely",
        "about an unpaid invoice", "thanking them for the interview", "announcing that our office is moving",
        "asking for a refund for a damaged item", "asking about the status of my application",
        "introducing our new product", "requesting two days off next month", "reporting a leaking tap",
        "confirming the booking details", "apologising for the late delivery", "inviting them to our launch event",
        "asking for feedback on my presentation", "explaining a delay in the project", "welcoming them to the team",
    ],
    # --- summaries, translation -------------------------------------------------------------
    "paragraph": [
        "The city council approved a budget that adds twelve new bus routes and extends night service "
        "on weekends. Officials expect ridership to grow by a fifth over the next two years.",
        "Researchers found that adults who walked at least 7,000 steps a day had a lower risk of heart "
        "disease than those who walked fewer. The study followed 2,000 people for ten years.",
        "Our quarterly revenue rose 8 percent, driven by strong demand in Europe, while costs stayed flat. "
        "The team plans to hire five engineers and open a small office in Lisbon.",
        "The museum's new wing displays textiles from West Africa and hosts weekend workshops for children. "
        "Entry is free on the first Sunday of each month.",
        "A heat wave is expected to bring temperatures above 35 degrees through Friday. Residents are urged "
        "to drink water, avoid midday sun and check on elderly neighbours.",
        "The new phone has a larger battery, a brighter screen and a slightly heavier body. Reviewers praise "
        "the camera but say the price is high for what it offers.",
        "Volunteers planted 3,000 trees along the river last weekend. The project aims to reduce flooding "
        "and give birds new nesting places.",
        "During the meeting we agreed to ship version 2.1 on the 14th, postpone the redesign, and ask the "
        "data team for a churn analysis. Maria will send the notes.",
        "Photosynthesis lets plants turn light, water and carbon dioxide into sugar and oxygen. It takes "
        "place mainly in the leaves, inside structures called chloroplasts.",
        "The library will close for renovation from March to June. During that time, borrowed books can be "
        "returned at the community centre on Elm Street.",
        "Customer complaints fell by a third after the support team introduced live chat. Average response "
        "time dropped from six hours to forty minutes.",
        "The novel follows two sisters who inherit a vineyard and must decide whether to sell it. It is a "
        "quiet story about family, work and the land.",
        "Honeybees communicate the location of flowers with a waggle dance. The angle of the dance shows the "
        "direction relative to the sun, and its length shows the distance.",
        "The company will move to a hybrid schedule in September: staff work from the office on Tuesdays and "
        "Thursdays and from home on the other days. Desks will be booked through the intranet.",
        "Sales of e-bikes doubled in three years, and many cities are adding secure parking at train stations. "
        "Shop owners report that most buyers are commuters over forty.",
        "The bridge, built in 1932, will get new steel cables and a wider footpath. Traffic will run on one lane "
        "from May until the end of October.",
        "In the first half, the home team controlled the ball but missed two clear chances. After the break the "
        "visitors scored twice on the counter-attack and held on to win.",
        "Our app's new release adds offline mode, fixes the login loop on older Android phones and cuts the "
        "startup time in half. Users can update from the store today.",
        "The Roman aqueducts carried water over long distances using only gravity. Engineers kept a slight, "
        "steady slope, sometimes less than a metre per kilometre.",
        "The survey asked 1,200 parents about screen time. Most said their children spend two to three hours a "
        "day on devices, and about half want schools to teach more about online safety.",
        "The recipe calls for flour, butter, sugar and two eggs. Mix the dry ingredients first, then add the "
        "butter in small pieces and knead until the dough is smooth.",
        "The contract runs for two years and renews automatically unless either party cancels in writing three "
        "months before the end date. Prices may be adjusted once a year.",
        "Volcanic eruptions can cool the planet for a year or two, because ash and sulphur droplets in the "
        "upper atmosphere reflect sunlight back into space.",
        "The hiking trail climbs 600 metres through pine forest to a lake. Allow four hours for the round trip "
        "and bring water, as there is no hut on the way.",
    ],
    "doc_question": [
        "What is the main argument?", "Who is affected, and how?", "What are the three most important facts?",
        "What should I do next, based on this?", "Is anything in it unclear or contradictory?",
        "What dates and numbers are mentioned?", "What would a sceptical reader ask?",
        "Which parts matter for a small business owner?",
    ],
    "sentence": [
        "The meeting starts at nine tomorrow.", "I would like a table for two.",
        "Thank you for your help yesterday.", "The train is delayed by twenty minutes.",
        "Could you send me the invoice again?", "We are closed on public holidays.", "My flight lands at noon.",
        "Please keep the receipt.", "The package arrived this morning.", "I am allergic to peanuts.",
        "See you next week!", "How much does this cost?", "The weather is lovely today.",
    ],
    "phrase": [
        "thank you very much", "where is the train station", "I would like a coffee",
        "see you tomorrow", "nice to meet you", "how much is it", "excuse me", "happy birthday",
        "I don't understand", "cheers", "good luck", "the bill, please", "welcome",
    ],
    "language": [
        "French", "Spanish", "German", "Italian", "Portuguese", "Japanese", "Korean", "Chinese", "Dutch",
        "Polish", "Turkish", "Swedish", "Greek", "Arabic", "Hindi", "Russian", "Ukrainian", "Czech",
    ],
    # --- explanations -----------------------------------------------------------------------
    "concept": [
        "recursion", "the TCP three-way handshake", "photosynthesis", "inflation",
        "the electoral college", "black holes", "how vaccines work", "blockchain", "gradient descent",
        "CRISPR", "plate tectonics", "DNS",
        "the Krebs cycle", "tax brackets",
        "how a mortgage works", "index funds", "the greenhouse effect", "public-key cryptography",
        "the theory of evolution", "opportunity cost", "a neural network", "containers versus virtual machines",
        "eventual consistency", "the Pythagorean theorem", "interest rate hikes",
        "how tides work", "the Cold War", "machine learning overfitting", "REST versus GraphQL",
        "the placebo effect", "how an electric motor works", "Bayes' theorem",
    ],
    "pair": [
        "a set and a frozenset in Python", "weather and climate", "a virus and a bacterium",
        "stocks and bonds", "HTTP and HTTPS", "a latte and a cappuccino", "RAM and storage",
        "an LLC and a corporation", "mitosis and meiosis", "SQL and NoSQL databases", "affect and effect",
        "baking soda and baking powder",
        "git merge and git rebase", "margin and padding in CSS", "alligators and crocodiles",
    ],
    # --- planning, analysis, design ---------------------------------------------------------
    "trip": [
        "three days in Lisbon", "a week in Japan", "a weekend in Vienna", "ten days in Peru", "a road trip along the Pacific coast",
        "two days in Rome with kids", "a cheap week in Portugal", "a hiking trip in the Alps", "four days in New York",
    ],
    "plan_thing": [
        "a study plan for my statistics exam in six weeks", "a weekly vegetarian meal plan",
        "a project plan for moving our website to a new host", "a beginner running plan for a 5K",
        "a birthday party for a seven-year-old", "an onboarding checklist for a new designer",
        "a budget for a family of four", "a content calendar for our bakery's Instagram",
        "a roadmap for learning data science", "a garden layout for a small balcony",
        "a wedding timeline", "a product launch checklist", "a morning routine", "a revision schedule for finals",
        "a two-week sprint for a small mobile team", "a plan to pay off my credit card debt",
    ],
    "option": [
        "renting versus buying a home", "moving our servers to the cloud",
        "learning Rust before Go", "hiring a freelancer instead of an agency", "switching to electric heating",
        "opening a second store", "using microservices for a small team", "buying a used car",
        "adopting TypeScript in a large JavaScript codebase", "remote-first hiring",
    ],
    "system": [
        "a recommendation system for a bookshop",
        "an inventory system for a small warehouse", "a booking system for a dental clinic",
        "an event ticketing platform", "a logging pipeline", "a notification service", "a parking app",
        "a leaderboard for an online game", "a file sync service", "a food delivery app",
        "a rate-limited public API", "a payroll system for a small company", "a school grading portal",
    ],
    "data_thing": [
        "our sales data by region", "these survey results", "website traffic for the last quarter",
        "customer churn in our subscription app", "the results of our A/B test", "monthly energy usage at home",
        "employee satisfaction scores", "support ticket volumes", "my running times over the year",
    ],
    # --- everyday ---------------------------------------------------------------------------
    "dish": [
        "banana bread", "a quick vegetable curry", "lasagna", "pancakes", "tomato soup", "guacamole",
        "chocolate chip cookies", "a Greek salad", "risotto", "chili con carne", "falafel", "apple pie",
    ],
    "everyday_q": [
        "How long should I boil an egg?", "How do I get red wine out of a carpet?", "What should I pack for a beach holiday?",
        "How often should I water a cactus?", "What are good houseplants for a dark room?",
        "How do I unclog a sink without chemicals?", "Is it better to stretch before or after running?",
        "How can I fall asleep faster?", "What's a good gift for a ten-year-old who likes science?",
        "How do I change a flat tire?", "How much should I tip in the US?", "How do I remove rust from a bike chain?",
        "What time is sunset in winter in Oslo?", "How many cups are in a liter?", "Why is the sky blue?",
        "How do I make my coffee less bitter?", "What's the best way to learn a new language as an adult?",
        "How do I keep basil alive indoors?", "Can dogs eat carrots?", "How do I start journaling?",
        "What's the healthiest way to cook broccoli?", "How long does it take to walk 5 km?",
        "How do I politely say no to extra work?", "Which is the longest river in Africa?",
        "Who composed the Four Seasons?", "When did the Berlin Wall fall?", "What's the population of Canada?",
    ],
    "book_topic": [
        "the history of Rome", "personal finance", "habits", "cooking for beginners", "climate science",
        "negotiation", "astronomy", "startups", "the human brain", "birdwatching",
    ],
    "activity": [
        "a salary negotiation", "public speaking", "saving money on groceries", "studying for exams",
        "working from home", "travelling with a toddler", "keeping a sourdough starter", "running in the rain",
        "learning guitar", "taking better phone photos", "staying focused", "a long-haul flight",
    ],
    # --- chit-chat --------------------------------------------------------------------------
    "greet": [
        "hi", "hello", "hey", "hey there", "good evening", "hiya", "yo", "morning!",
        "hello again", "hi, it's me again", "hallo", "hola", "bonjour", "guten Tag", "servus", "moin",
    ],
    "small_talk": [
        "how are you?", "how's it going?", "how are you doing today?", "what's up?", "how was your day?",
        "are you there?", "what can you do?", "who are you?", "what's your name?",
        "I have a question", "do you have a minute?", "are you a bot?", "what do you think?",
        "nice to meet you", "long day, huh", "can we chat for a bit?", "tell me a joke",
        "tell me something interesting", "what should I do this weekend?", "I'm bored",
        "wie geht's?", "wie geht es dir?", "was kannst du alles?", "kannst du mir helfen?", "alles klar?",
    ],
    "reply": [
        "thanks!", "thank you so much, that helped", "ok", "cool, thanks", "great, can you make it shorter?",
        "perfect", "bye", "yes please", "no, that's fine", "sorry, I meant the second option",
        "hmm, not quite", "can you explain that again?", "one more thing", "lol, nice",
        "could you give an example?", "that's all for now", "awesome!", "got it",
        "danke!", "super, danke dir", "passt, danke", "tschüss", "ja, bitte", "nein, danke",
    ],
    "assistant_line": [
        "Hi! How can I help?", "Hello! What can I do for you today?", "Sure, here you go.",
        "Of course! Let me know if you need anything else.", "I'm doing well, thanks for asking. How can I help?",
        "Happy to help. What would you like to know?", "Here is a shorter version.", "Glad that helped!",
        "Hallo! Wie kann ich helfen?", "Gern geschehen!",
    ],
    # --- German -----------------------------------------------------------------------------
    "aufgabe": [
        "Duplikate aus einer Liste entfernt", "eine CSV-Datei einliest und die Summe einer Spalte berechnet",
        "ein Datum im Format TT.MM.JJJJ ausgibt", "zwei sortierte Listen zusammenführt",
        "die Wörter in einem Text zählt", "eine E-Mail-Adresse validiert",
        "den größten gemeinsamen Teiler zweier Zahlen berechnet", "alle Dateien in einem Ordner umbenennt",
        "eine JSON-Datei lädt und ausgibt", "prüft, ob ein Wort ein Palindrom ist", "eine Zahl in Binär umwandelt",
        "den Durchschnitt einer Liste berechnet", "eine Temperatur von Celsius in Fahrenheit umrechnet",
        "die Fakultät einer Zahl berechnet", "ein zufälliges Passwort erzeugt", "eine Matrix transponiert",
    ],
    "thema": [
        "den Herbstwald", "meine Katze", "das Meer", "eine Zugfahrt", "den ersten Schnee", "Freundschaft",
        "unseren Garten", "die Stadt bei Nacht", "Kaffee", "den Umzug in eine neue Stadt", "den Frühling",
    ],
    "textart": ["ein Gedicht", "eine kurze Geschichte", "einen Blogartikel", "eine Rede", "einen Limerick", "einen Werbetext"],
    "empfaenger": [
        "meinen Vermieter", "meine Chefin", "einen Kunden", "die Schule meiner Tochter", "das Hotel",
        "den Kundenservice", "mein Team", "meinen Professor",
    ],
    "zweck": [
        "um eine Fristverlängerung bitten", "den Termin auf Donnerstag verschieben", "mich für das Gespräch bedanken",
        "eine Rückerstattung anfragen", "eine Reparatur melden", "das Angebot höflich ablehnen",
        "nach dem Stand meiner Bewerbung fragen",
    ],
    "satz_de": [
        "Der Zug hat zehn Minuten Verspätung.", "Ich hätte gern einen Tisch für zwei Personen.",
        "Vielen Dank für Ihre schnelle Antwort.", "Das Paket ist heute Morgen angekommen.",
        "Wir sehen uns nächste Woche.", "Wo ist die nächste Apotheke?", "Die Besprechung beginnt um neun Uhr.",
    ],
    "absatz_de": [
        "Die Stadt hat beschlossen, bis 2026 zwanzig neue Radwege zu bauen. Die Kosten liegen bei rund "
        "zwölf Millionen Euro, ein Teil davon kommt vom Land.",
        "In der Besprechung haben wir vereinbart, die neue Version am Freitag zu veröffentlichen und das "
        "Redesign zu verschieben. Jonas schickt das Protokoll.",
        "Die Studie zeigt, dass regelmäßige Bewegung das Risiko für Herzkrankheiten senkt. Schon dreißig "
        "Minuten Spazierengehen am Tag machen einen Unterschied.",
        "Das Museum zeigt ab März eine Ausstellung über die Geschichte der Fotografie. Der Eintritt ist für "
        "Kinder und Studierende frei.",
    ],
    "absatz_de_extra": [
        "Ab nächster Woche gilt im Büro eine neue Regel: Besprechungen dauern höchstens dreißig Minuten und "
        "beginnen pünktlich. Wer etwas vorstellen will, schickt die Folien vorher herum.",
        "Die Bibliothek bleibt von Juli bis September geschlossen, weil das Dach erneuert wird. Ausgeliehene "
        "Bücher können im Rathaus zurückgegeben werden.",
        "Der Verein sucht Freiwillige für das Sommerfest am 12. August. Gebraucht werden Helferinnen und Helfer "
        "für den Kuchenstand, den Aufbau und die Kinderspiele.",
        "Unsere neue Version der App lädt schneller, zeigt Termine übersichtlicher an und funktioniert jetzt "
        "auch ohne Internetverbindung. Das Update ist kostenlos.",
        "Bienen verständigen sich mit einem Tanz über die Lage von Blüten. Die Richtung des Tanzes zeigt den "
        "Winkel zur Sonne, seine Dauer die Entfernung.",
    ],
    "sprache": ["Englische", "Französische", "Spanische", "Italienische", "Niederländische", "Polnische"],
    "konzept_de": [
        "die Inflation", "die Photosynthese", "den Zinseszins", "das Grundgesetz", "Rekursion in der Informatik",
        "den Treibhauseffekt", "die Relativitätstheorie", "das Immunsystem", "die Blockchain", "Angebot und Nachfrage",
        "die Wahl zum Bundestag", "neuronale Netze", "die Mehrwertsteuer",
    ],
    "paar_de": [
        "Wetter und Klima", "Aktien und Anleihen", "einem Virus und einem Bakterium", "TCP und UDP",
        "Miete und Nebenkosten", "Brutto und Netto",
    ],
    "plan_de": [
        "einen Lernplan für meine Matheprüfung", "einen Wochenplan für vegetarisches Essen",
        "einen Trainingsplan für meinen ersten Halbmarathon", "eine Checkliste für den Umzug",
        "einen Kindergeburtstag für zehn Kinder", "ein Budget für unseren Familienurlaub",
    ],
    "ort_de": ["Wien", "Hamburg", "Lissabon", "die Ostsee", "Südtirol", "Kopenhagen", "Rom"],
    "dativ_sprache": ["Englisch", "Französisch", "Spanisch", "Italienisch", "Türkisch", "Japanisch"],
    "phrase_de": ["Guten Morgen", "Vielen Dank", "Wo ist der Bahnhof", "Ich verstehe das nicht", "Bis morgen", "Prost"],
    "verb_de": ["schreiben", "erklären", "zusammenfassen", "übersetzen", "verbessern", "kürzen", "planen"],
    "objekt_de": [
        "einen Lebenslauf", "eine Bewerbung als Erzieherin", "eine Kündigung für mein Fitnessstudio",
        "eine Einladung zum Grillfest", "eine Beschwerde an die Hausverwaltung", "eine Produktbeschreibung für unseren Honig",
        "eine Präsentation über erneuerbare Energien", "einen Glückwunsch zur Hochzeit", "eine Rede für die Abschlussfeier",
        "ein Protokoll der Teamsitzung", "eine Anleitung für die neue Kaffeemaschine",
    ],
    "frage_de": [
        "Wie lange muss ein Ei kochen?", "Was kann ich heute Abend kochen?", "Wie bekomme ich Rotwein aus dem Teppich?",
        "Welche Zimmerpflanzen brauchen wenig Licht?", "Wie oft sollte ich meinen Kaktus gießen?",
        "Wie kann ich besser einschlafen?", "Was ist die Hauptstadt von Australien?", "Wie funktioniert eine Wärmepumpe?",
        "Welche Bücher über Geschichte kannst du empfehlen?", "Wie spare ich Strom im Haushalt?",
        "Wann ist die beste Reisezeit für Island?", "Wie viel Trinkgeld gibt man in Italien?",
        "Wie entferne ich Kalk aus dem Wasserkocher?", "Welche Hunderassen sind gut für Allergiker?",
        "Wie lange ist Brot im Gefrierschrank haltbar?", "Warum ist der Himmel blau?",
        "Wie beantrage ich einen neuen Reisepass?", "Was ist ein guter Name für eine Bäckerei?",
    ],
    "sql_de": [
        "alle Kunden ohne Bestellung findet", "den Umsatz pro Monat berechnet", "doppelte E-Mail-Adressen findet",
        "die drei besten Verkäufer pro Region auflistet", "alte Einträge löscht",
    ],
    "regex_de": ["deutsche Postleitzahlen", "Datumsangaben im Format TT.MM.JJJJ", "IBANs", "Uhrzeiten wie 14:30", "Hashtags"],
    "system_de": [
        "ein Buchungssystem für eine Arztpraxis", "eine Lagerverwaltung", "einen URL-Kürzer", "eine Chat-App",
        "ein Ticketsystem für den Kundenservice",
    ],
}
