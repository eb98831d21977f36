"""Attacker-controlled text: extraction never crashes and offsets stay exact."""
from __future__ import annotations

import io
import json

import pytest

from pledgewatch.extract.document import extract_document, split_sentences
from pledgewatch.ingest.readers import ReadProblem, read_jsonl
from pledgewatch.model import SourceDocument
from pledgewatch.settings import MAX_JSONL_LINE_BYTES, MAX_TOKEN_CHARS

HOSTILE = {
    "lone surrogate": "The UK will send troops \ud800 to Ukraine.",
    "punctuation run": "UK troops. " + "'" * 5000,
    "parentheses": "(" * 2000 + " UK troops " + ")" * 2000,
    "digit run": "euros " + "1" * 5000,
    "html": "<script>alert('x')</script><p onerror=alert(1)>Britain will send troops.</p>",
    "only newlines": "\n" * 1000,
    "no letters": "... !!! ??? 123 456 --- ***",
    "repeated names": "UK UK UK UK " * 500 + "will send troops.",
    "nested quotes": "\"'\"'\"' Britain said \"it will 'not' send \"troops\"\" '\"'\"",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_is_handled(name: str):
    text = HOSTILE[name]
    result = extract_document(SourceDocument(id=name, text=text, source="test"))
    for stance in result.stances:
        segment = result.segments[stance.segment]
        clean = text.replace("\ud800", "\ufffd")
        assert clean[segment.start:segment.end][stance.start:stance.end] == stance.evidence


def test_long_runs_without_spaces_are_cut_for_the_tokenizer():
    text = "Poland will send troops. " + "x" * (MAX_TOKEN_CHARS * 3 + 7)
    sentences = split_sentences(text)
    assert text[sentences[0].start:sentences[0].end] == "Poland will send troops."
    assert all(s.end - s.start <= MAX_TOKEN_CHARS for s in sentences[1:])
    assert sentences[-1].end == len(text)


def test_an_endless_jsonl_line_is_skipped_without_reading_it_whole():
    good = json.dumps({"id": "a", "text": "Britain will send troops to Ukraine."}).encode()
    stream = io.BytesIO(b"{" + b"x" * (MAX_JSONL_LINE_BYTES + 10) + b"\n" + good + b"\n")
    items = list(read_jsonl(stream, "dump.jsonl"))
    assert isinstance(items[0], ReadProblem) and items[0].reason == "line too long"
    assert items[1].id == "a"
