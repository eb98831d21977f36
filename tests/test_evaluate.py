"""`pledgewatch.evaluate` must give the numbers of shared/eval/score.py, on every input shape.

Hand-made cases check the semantics directly (required vs optional items, stance_alt,
contribution_alt, micro-averaging); when score.py is present, the same cases and a batch of
random ones are also run through it and the printed lines compared character for character.
"""
from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from pledgewatch.errors import EvalError
from pledgewatch.evaluate import Counts, evaluate, score_document

SCORE_PY = Path(__file__).resolve().parents[2] / "shared/eval/score.py"
needs_score_py = pytest.mark.skipif(not SCORE_PY.exists(), reason="shared/eval/score.py absent")


def rec(country: str, contribution: str, stance: str, **extra) -> dict:
    return {"country": country, "contribution": contribution, "stance": stance, **extra}


def write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def score_py(gold: Path, pred: Path) -> list[str]:
    """score.py's --verbose output lines."""
    out = subprocess.run([sys.executable, str(SCORE_PY), str(gold), str(pred), "--verbose"],
                         capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def our_lines(gold: Path, pred: Path) -> list[str]:
    result = evaluate(gold, pred)
    return [*result.document_lines(), result.totals_line()]


# Each case: (name, gold records, predicted records, expected (tp, fp, fn, tp_pred)).
CASES = [
    ("basic", [rec("ROU", "troops", "ruled_out"), rec("GBR", "peacekeeping", "leading")],
     [rec("ROU", "troops", "ruled_out"), rec("FRA", "troops", "committed")], (1, 1, 1, 1)),
    ("duplicates-count-once",
     [rec("ROU", "troops", "ruled_out"), rec("ROU", "troops", "ruled_out")],
     [rec("ROU", "troops", "ruled_out"), rec("ROU", "troops", "ruled_out")], (1, 0, 0, 1)),
    ("stance-alt", [rec("DNK", "funding", "conditional", stance_alt=["committed"])],
     [rec("DNK", "funding", "committed")], (1, 0, 0, 1)),
    ("contribution-alt", [rec("CAN", "weapons", "committed", contribution_alt=["troops"])],
     [rec("CAN", "troops", "committed")], (1, 0, 0, 1)),
    ("both-alts-two-predictions-one-item",
     [rec("CAN", "weapons", "committed", contribution_alt=["troops"],
          stance_alt=["considering"])],
     [rec("CAN", "weapons", "committed"), rec("CAN", "troops", "considering")], (1, 0, 0, 2)),
    ("one-prediction-two-items",
     [rec("GBR", "troops", "committed", stance_alt=["conditional"]),
      rec("GBR", "troops", "conditional")],
     [rec("GBR", "troops", "conditional")], (2, 0, 0, 1)),
    ("optional-match-is-not-counted",
     [rec("DEU", "troops", "ruled_out"), rec("DEU", "funding", "committed", optional=True)],
     [rec("DEU", "troops", "ruled_out"), rec("DEU", "funding", "committed")], (1, 0, 0, 1)),
    ("optional-alt-is-not-counted",
     [rec("JPN", "funding", "committed", optional=True, stance_alt=["considering"])],
     [rec("JPN", "funding", "considering")], (0, 0, 0, 0)),
    ("optional-missed-is-not-fn",
     [rec("ITA", "troops", "ruled_out", optional=True)], [], (0, 0, 0, 0)),
    ("required-beats-optional-same-key",
     [rec("ESP", "peacekeeping", "ruled_out", optional=True),
      rec("ESP", "peacekeeping", "ruled_out")], [], (0, 0, 1, 0)),
    ("prediction-matching-required-alt-and-optional-counts",
     [rec("POL", "logistics", "leading", stance_alt=["committed"]),
      rec("POL", "logistics", "committed", optional=True)],
     [rec("POL", "logistics", "committed")], (1, 0, 0, 1)),
    ("wrong-stance-is-fp-and-fn", [rec("BGR", "troops", "uncertain")],
     [rec("BGR", "troops", "considering")], (0, 1, 1, 0)),
    ("empty-both", [], [], (0, 0, 0, 0)),
    ("prediction-only", [], [rec("USA", "weapons", "reconsidering")], (0, 1, 0, 0)),
]


@pytest.mark.parametrize("name,gold,pred,expected", CASES, ids=[c[0] for c in CASES])
def test_semantics_of_each_case(name, gold, pred, expected):
    counts = score_document(name, gold, pred).counts
    assert (counts.tp, counts.fp, counts.fn, counts.tp_pred) == expected


@needs_score_py
@pytest.mark.parametrize("name,gold,pred,expected", CASES, ids=[c[0] for c in CASES])
def test_each_case_agrees_with_score_py_file_mode(tmp_path, name, gold, pred, expected):
    g = write(tmp_path / "gold.json", {"stances": gold})
    p = write(tmp_path / "pred.json", {"documents": [{"id": "x", "stances": pred}]})
    assert our_lines(g, p) == score_py(g, p)


def _folders(tmp_path: Path) -> tuple[Path, Path]:
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    for name, gold, pred, _ in CASES:
        write(gold_dir / f"{name}.json", {"id": name, "stances": gold})
        if name != "basic":  # a missing prediction file counts as no stances
            write(pred_dir / f"{name}.json", {"stances": pred})
    return gold_dir, pred_dir


def test_micro_average_over_folders(tmp_path):
    gold_dir, pred_dir = _folders(tmp_path)
    result = evaluate(gold_dir, pred_dir)
    assert len(result.documents) == len(CASES)
    expected = Counts()
    for name, gold, pred, _ in CASES:
        expected.add(score_document(name, gold, [] if name == "basic" else pred).counts)
    assert (result.tp, result.fp, result.fn) == (expected.tp, expected.fp, expected.fn)
    assert result.precision == pytest.approx(expected.tp_pred / (expected.tp_pred + expected.fp))
    assert result.recall == pytest.approx(expected.tp / (expected.tp + expected.fn))


@needs_score_py
def test_folders_agree_with_score_py(tmp_path):
    gold_dir, pred_dir = _folders(tmp_path)
    assert our_lines(gold_dir, pred_dir) == score_py(gold_dir, pred_dir)


@needs_score_py
def test_gold_folder_against_documents_file_matches_by_id(tmp_path):
    gold_dir, pred_dir = _folders(tmp_path)
    docs = [{"id": p.stem, **json.loads(p.read_text())} for p in sorted(pred_dir.glob("*.json"))]
    docs.append({"id": "not-in-gold", "stances": [rec("FRA", "troops", "committed")]})
    pred_file = write(tmp_path / "out.json", {"documents": docs})
    assert our_lines(gold_dir, pred_file) == score_py(gold_dir, pred_dir)


@needs_score_py
def test_jsonl_gold_against_documents_file(tmp_path):
    gold_dir, pred_dir = _folders(tmp_path)
    gold_jsonl = tmp_path / "gold.jsonl"
    gold_jsonl.write_text("".join(
        json.dumps({"id": p.stem, "text": "...", **json.loads(p.read_text())}) + "\n"
        for p in sorted(gold_dir.glob("*.json"))), encoding="utf-8")
    docs = [{"id": p.stem, **json.loads(p.read_text())} for p in sorted(pred_dir.glob("*.json"))]
    pred_file = write(tmp_path / "out.json", {"documents": docs})
    assert our_lines(gold_jsonl, pred_file) == score_py(gold_dir, pred_dir)
    # and the JSONL gold against the prediction folder
    assert our_lines(gold_jsonl, pred_dir) == score_py(gold_dir, pred_dir)


@needs_score_py
def test_single_files_take_the_union_over_documents(tmp_path):
    g = write(tmp_path / "gold.json", {"id": "page", "stances": [
        rec("ROU", "troops", "ruled_out"), rec("GBR", "peacekeeping", "leading"),
        rec("FRA", "peacekeeping", "leading")]})
    p = write(tmp_path / "pred.json", {"documents": [
        {"id": "a", "stances": [rec("ROU", "troops", "ruled_out")]},
        {"id": "b", "stances": [rec("GBR", "peacekeeping", "leading"),
                                rec("ROU", "troops", "ruled_out")]},
        {"id": "c", "skipped": "not English", "stances": []}]})
    assert our_lines(g, p) == score_py(g, p)
    assert evaluate(g, p).tp == 2
    # a gold file against a prediction folder: PRED/<gold id>.json
    write(tmp_path / "preds" / "page.json", json.loads(p.read_text()))
    assert our_lines(g, tmp_path / "preds")[-1] == score_py(g, p)[-1]


def _random_records(rng: random.Random, gold: bool) -> list[dict]:
    records = []
    for _ in range(rng.randint(0, 6)):
        r = rec(rng.choice(["ROU", "GBR", "FRA"]),
                rng.choice(["troops", "peacekeeping", "funding"]),
                rng.choice(["committed", "ruled_out", "considering", "conditional"]))
        if gold and rng.random() < 0.3:
            r["stance_alt"] = rng.sample(["committed", "considering", "conditional"], 1)
        if gold and rng.random() < 0.3:
            r["contribution_alt"] = rng.sample(["troops", "peacekeeping"], 1)
        if gold and rng.random() < 0.25:
            r["optional"] = True
        records.append(r)
    return records


@needs_score_py
def test_random_cases_agree_with_score_py(tmp_path):
    rng = random.Random(20250428)
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    for number in range(60):
        write(gold_dir / f"{number:02d}.json", {"stances": _random_records(rng, gold=True)})
        if rng.random() < 0.9:
            write(pred_dir / f"{number:02d}.json", {"stances": _random_records(rng, gold=False)})
    assert our_lines(gold_dir, pred_dir) == score_py(gold_dir, pred_dir)


def test_breakdowns_sum_to_the_totals(tmp_path):
    gold_dir, pred_dir = _folders(tmp_path)
    result = evaluate(gold_dir, pred_dir)
    for table in (result.by_contribution, result.by_stance):
        total = Counts()
        for counts in table.values():
            total.add(counts)
        assert (total.tp, total.fp, total.fn, total.tp_pred) == (
            result.total.tp, result.total.fp, result.total.fn, result.total.tp_pred)
    assert list(result.by_stance)[0] == "ruled_out"  # DESIGN.md order


def test_per_document_missed_and_extra(tmp_path):
    g = write(tmp_path / "g" / "doc.json", {"stances": [
        rec("ROU", "troops", "ruled_out"), rec("BGR", "troops", "uncertain")]})
    write(tmp_path / "p" / "doc.json", {"stances": [
        rec("ROU", "troops", "ruled_out"), rec("BGR", "troops", "considering")]})
    result = evaluate(g.parent, tmp_path / "p")
    (doc,) = result.documents
    assert doc.id == "doc"
    assert doc.missed == [("BGR", "troops", "uncertain")]
    assert doc.extra == [("BGR", "troops", "considering")]
    data = result.to_dict()
    assert data["per_document"][0]["missed"] == [["BGR", "troops", "uncertain"]]
    assert data["documents"] == 1 and data["tp"] == 1 and data["fp"] == 1 and data["fn"] == 1


def test_own_gold_set_scores_perfectly_against_itself():
    gold = Path(__file__).parent / "data" / "stance_cases.jsonl"
    result = evaluate(gold, gold)
    assert result.fn == 0 and result.fp == 0 and len(result.documents) > 0


@pytest.mark.parametrize("content,message", [
    (None, "no such file"),
    ("{not json", "not valid JSON"),
    ('{"stances": [{"country": "ROU", "stance": "committed"}]}', "no \"contribution\""),
    ('{"stances": {}}', "not a list"),
    ("[1, 2]", "expected a JSON object"),
])
def test_unreadable_inputs_raise_eval_error(tmp_path, content, message):
    gold = tmp_path / "gold.json"
    if content is not None:
        gold.write_text(content, encoding="utf-8")
    pred = write(tmp_path / "pred.json", {"documents": []})
    with pytest.raises(EvalError, match=message):
        evaluate(gold, pred)
