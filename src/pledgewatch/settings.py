"""Limits and defaults, declared once (name, default, why) so code and docs agree.

Article text is attacker-controlled: every size that bounds work lives here.
"""
from __future__ import annotations

# Largest input file or stdin stream we read (bytes). A 50 MB page is an error, not a hang.
MAX_INPUT_BYTES = 20 * 1024 * 1024
# Largest single document text (characters), e.g. one JSONL line's "text".
MAX_DOCUMENT_CHARS = 2_000_000
# Entries read from one feed (a feed is a page of recent items, rarely more than a few hundred).
MAX_FEED_ENTRIES = 10_000
# Longest JSONL line (bytes) we try to decode.
MAX_JSONL_LINE_BYTES = 4 * 1024 * 1024
# Sentences longer than this (characters) are cut into windows before parsing, so a page with
# no punctuation cannot make the parser's cost explode.
MAX_SENTENCE_CHARS = 1_500
# Bytes charset-normalizer reads to guess the encoding of a text that is not UTF-8 (its cost
# grows with the sample; a page's first 64 KB tell its encoding).
CHARSET_SAMPLE_BYTES = 65_536
# Highest "chaos" (share of implausible characters, in percent) charset-normalizer's guess may
# have: above it the bytes are not text in any encoding we would trust.
MAX_CHARSET_CHAOS = 20.0
# Share of control/undecodable characters above which a file is treated as binary.
MAX_BINARY_RATIO = 0.05
# Texts shorter than this many letters are too short to judge their language; assumed English.
MIN_LANGUAGE_LETTERS = 40
# Batch size for the spaCy pipe over candidate sentences.
PARSE_BATCH_SIZE = 64
# Documents planned together so their candidate sentences share one parser batch.
DOCUMENT_BATCH = 32
# Characters of a document read to identify its language (langid's cost grows with them).
LANGUAGE_SAMPLE_CHARS = 1500
# The sentence splitter takes lines in pieces of at most this many characters (spaCy refuses
# texts over 1,000,000) ...
SPLIT_PIECE_CHARS = 20_000
# ... and runs without spaces longer than this are cut (spaCy's affix search is quadratic).
MAX_TOKEN_CHARS = 200
# Seconds each network step of a URL fetch may take (connect, read, write, pool), and the
# deadline for the whole fetch, so a server that trickles a byte a second cannot hold us.
FETCH_TIMEOUT_SECONDS = 10.0
# Redirects followed for one URL; a loop or a longer chain is an error.
MAX_REDIRECTS = 5
# Who we are to the sites we fetch: an honest name and where to read about it.
USER_AGENT = "pledgewatch/0.1 (+https://github.com/pledgewatch/pledgewatch)"
# Largest robots.txt read (bytes); Google reads 500 KiB and ignores the rest.
MAX_ROBOTS_BYTES = 512 * 1024
# --- duplicate detection (pledgewatch.ingest.dedupe) ---
# Estimated Jaccard similarity of two texts' word shingles from which the later one is a near
# duplicate of the earlier. In tests/test_ingest_dedupe.py the same 370-word wire story with
# another headline, dateline or footer, re-wrapped, curly quotes, or its last two paragraphs
# cut scores 0.84-0.94, a 160-word one under heavy site boilerplate 0.69; a different story on
# the same topic quoting the same two sentences scores 0.05, and the agency's follow-up that
# reuses two background paragraphs verbatim 0.22. 0.5 sits in the gap, with margin both ways.
NEAR_DUPLICATE_THRESHOLD = 0.5
# Permutations of the MinHash signature: the estimate's standard error is about
# sqrt(J(1-J)/n), 0.044 at J = 0.5 with 128; more would cost time and memory per document.
MINHASH_PERMUTATIONS = 128
# Fixed seed of the MinHash permutations, so that a run is reproducible (and signatures are
# comparable across runs: changing it invalidates any stored signature).
MINHASH_SEED = 1
# Words per shingle. Five-word runs are rare enough that two different articles share few of
# them (even on the same topic), and short enough that a re-wrapped line, another quote mark
# or an edited word changes only the five shingles around it.
SHINGLE_WORDS = 5
# Documents (new stories) a Deduplicator remembers; the oldest is forgotten first, so memory
# stays flat however long the stream. Syndicated copies appear within hours or days of the
# original; each remembered story costs about 10 KB (mostly MinHashLSH's per-band buckets),
# so this window is about 100 MB (benchmarks/dedupe_speed.py measures it).
DEDUPE_WINDOW = 10_000
# Texts with fewer shingles than this (about 55 words) get exact matching only: in a teaser or
# a headline one shared quote is half the text, so similarity says nothing about the story.
MIN_SHINGLES_FOR_NEAR = 50
# (false positive, false negative) weights for the LSH band layout. Every candidate is
# confirmed with the estimated Jaccard, so a false positive costs one signature comparison
# while a false negative is a missed duplicate; even weights would miss ~45% of pairs right at
# the threshold, these (26 bands of 3 rows at 0.5) miss ~3% at 0.5 and ~0.2% at 0.6.
LSH_WEIGHTS = (0.05, 0.95)
# Shingles hashed per MinHash batch: bounds the (batch x permutations) work array, so a
# 2,000,000-character text costs time, not hundreds of MB.
MINHASH_BATCH_SHINGLES = 4096

# --------------------------------------------------------------------------- store
# Where the record lives when neither --db nor $PLEDGEWATCH_DB say otherwise (a file in the
# working folder: the embedded default needs no server).
DEFAULT_DB_FILE = "pledgewatch.db"
DB_ENV = "PLEDGEWATCH_DB"
# How long an SQLite writer waits for another process's transaction before giving up (ms):
# long enough for two ingest runs to take turns, one document transaction at a time.
SQLITE_BUSY_TIMEOUT_MS = 60_000
# Statements of the same country and contribution this many days before the latest one are
# "the same period": if they say something else, the board flags a disagreement.
DISAGREEMENT_WINDOW_DAYS = 7

# --------------------------------------------------------------------------- web
# Largest request body the API reads (bytes): a page to ingest, as text, HTML or a form.
MAX_REQUEST_BYTES = 5 * 1024 * 1024
# Where `serve` listens unless told otherwise (loopback: nothing is exposed by default).
SERVE_HOST = "127.0.0.1"
SERVE_PORT = 8000
# The bearer token that writes need; unset means the API is read-only.
TOKEN_ENV = "PLEDGEWATCH_TOKEN"
