"""Accuracy floors, like trafilatura's eval gate: a rule change that lowers them fails CI.

* tests/data/stance_cases.jsonl: our own gold set (written by us, in wire style). The rules were
  developed against it, so its score is a regression floor, not an estimate of accuracy.
* ../shared/dev: 32 real articles with gold (read in place, never copied); the honest estimate.
  Skipped where the folder is absent.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pledgewatch.evaluate import evaluate
from pledgewatch.extract.document import extract_documents
from pledgewatch.model import SourceDocument

DATA = Path(__file__).parent / "data" / "stance_cases.jsonl"
DEV = Path(__file__).resolve().parents[2] / "shared" / "dev"
OWN_F1_FLOOR = 0.89
DEV_F1_FLOOR = 0.83


def test_own_gold_set_floor(tmp_path):
    cases = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    docs = [SourceDocument(id=c["id"], text=c["text"], source="cases", date=c.get("date"))
            for c in cases]
    pred = tmp_path / "pred.json"
    pred.write_text(json.dumps({"documents": [r.to_dict() for r in extract_documents(docs)]}))
    score = evaluate(DATA, pred)
    assert score.f1 >= OWN_F1_FLOOR, f"own gold set F1 {score.f1:.3f} < {OWN_F1_FLOOR}"


@pytest.mark.skipif(not (DEV / "gold").is_dir(), reason="../shared/dev not present")
def test_shared_dev_set_floor(tmp_path):
    dates = {row["id"]: row["date"] for row in
             csv.DictReader((DEV / "sources.tsv").open(encoding="utf-8"), delimiter="\t")}
    docs = [SourceDocument(id=p.stem, text=p.read_text(encoding="utf-8"), source=str(p),
                           date=dates.get(p.stem))
            for p in sorted((DEV / "articles").glob("*.txt"))]
    pred = tmp_path / "pred.json"
    pred.write_text(json.dumps({"documents": [r.to_dict() for r in extract_documents(docs)]}))
    score = evaluate(DEV / "gold", pred)
    assert score.f1 >= DEV_F1_FLOOR, f"dev F1 {score.f1:.3f} < {DEV_F1_FLOOR}"
