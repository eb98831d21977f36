"""Parsing only candidate sentences must give the same records as parsing every sentence."""
from __future__ import annotations

import json
from pathlib import Path

from pledgewatch.extract.document import extract_documents
from pledgewatch.model import SourceDocument

DATA = Path(__file__).parent / "data" / "stance_cases.jsonl"
SEED = Path(__file__).resolve().parents[1] / "examples" / "coalition-page.txt"


def _records(parse_all: bool) -> set[tuple]:
    docs = [SourceDocument(id=c["id"], text=c["text"], source="cases", date=c.get("date"))
            for c in map(json.loads, DATA.read_text(encoding="utf-8").splitlines())]
    docs.append(SourceDocument(id="seed", text=SEED.read_text(encoding="utf-8"), source="seed"))
    return {(r.id, s.segment, s.country, s.contribution, s.stance, s.start, s.speaker)
            for r in extract_documents(docs, parse_all=parse_all) for s in r.stances}


def test_filtered_run_equals_full_parse():
    filtered = _records(parse_all=False)
    assert filtered, "the gold set should give records"
    assert filtered == _records(parse_all=True)
