"""Limits and defaults, declared once (name, default, why) so code and docs agree.

Article text is attacker-controlled: every size that bounds work lives here.
"""
from __future__ import annotations

# Largest input file or stdin stream we read (bytes). A 50 MB page is an error, not a hang.
MAX_INPUT_BYTES = 20 * 1024 * 1024
# Largest single document text (characters), e.g. one JSONL line's "text".
MAX_DOCUMENT_CHARS = 2_000_000
# Longest JSONL line (bytes) we try to decode.
MAX_JSONL_LINE_BYTES = 4 * 1024 * 1024
# Sentences longer than this (characters) are cut into windows before parsing, so a page with
# no punctuation cannot make the parser's cost explode.
MAX_SENTENCE_CHARS = 1_500
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
