"""Language identification, so non-English documents are skipped with a stated reason."""
from __future__ import annotations

import py3langid

from pledgewatch.settings import LANGUAGE_SAMPLE_CHARS, MIN_LANGUAGE_LETTERS


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language ("en" for texts too short to judge)."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LANGUAGE_LETTERS:
        return "en"
    lang, _score = py3langid.classify(sample)
    return lang
