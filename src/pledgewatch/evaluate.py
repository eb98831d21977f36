"""Score stance predictions against gold, with exactly the semantics of `shared/eval/score.py`.

Why this exists: every rule change in the extractor has to be judged on the whole dev set, and
the number that counts is the one `score.py` prints. This module reproduces that number and adds
what `score.py` leaves out: a per-label breakdown, per-document missed and extra triples, and
more input shapes (a folder of NAME.json, a `{"documents": [...]}` file, a JSONL gold file).

Scoring (the same as score.py). A document is scored on its unique (country, contribution,
stance) triples. Each gold record is an *item* keyed by its main triple; it accepts its main
triple and every combination with its `contribution_alt` and `stance_alt`. Items marked
`"optional": true` are neither required nor an error (a key that is also required is required).
Per document:
  - tp (recall side): required items that some predicted triple matches; fn: the others;
  - predictions that match only optional items are set aside; of the rest, those that match a
    required item count for precision (`tp_pred`), those that do not are fp.
Counts are summed over documents (micro-average); precision = tp_pred / (tp_pred + fp),
recall = tp / (tp + fn). `tp_pred` and `tp` differ only when alternatives let two predictions
match one item (or one prediction match two items); the totals line prints `tp`, like score.py.

Pairing GOLD with PRED:
  - a single JSON gold file against a single JSON or JSONL prediction file: one unit, the union
    of all records of each side (score.py's file mode);
  - a folder of NAME.json gold files: each NAME against PRED/NAME.json when PRED is a folder,
    or against the documents whose "id" is NAME when PRED is a file;
  - a JSONL gold file (one document per line, with "id" and "stances"): each line against the
    documents of PRED with the same "id" (or PRED/ID.json when PRED is a folder);
  - a single JSON gold file against a prediction folder: PRED/ID.json, where ID is the gold's
    "id" (or else the file stem).
A prediction that is missing for a gold document counts as no stances. Several prediction
documents with the same id are scored as their union.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pledgewatch.errors import EvalError

Triple = tuple[str, str, str]


# --------------------------------------------------------------------------- results

@dataclass(slots=True)
class Counts:
    """tp/fp/fn of one document, one label or the total, with the derived P/R/F1."""

    tp: int = 0  # required gold items matched (recall side; the "tp" of score.py)
    fp: int = 0  # counted predictions that match no required item
    fn: int = 0  # required gold items not matched
    tp_pred: int = 0  # counted predictions that match a required item (precision side)

    @property
    def precision(self) -> float:
        """Share of counted predictions that match a required gold item."""
        total = self.tp_pred + self.fp
        return self.tp_pred / total if total else 0.0

    @property
    def recall(self) -> float:
        """Share of required gold items that some prediction matches."""
        total = self.tp + self.fn
        return self.tp / total if total else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall (0 when both are 0)."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        """Accumulate another count into this one (micro-averaging)."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tp_pred += other.tp_pred

    def to_dict(self) -> dict[str, Any]:
        """Counts plus rounded P/R/F1, for JSON output."""
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "tp_pred": self.tp_pred,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


@dataclass(slots=True)
class DocumentScore:
    """The score of one gold document, with the triples it missed and the extra ones."""

    id: str
    counts: Counts
    missed: list[Triple]
    extra: list[Triple]

    def to_dict(self) -> dict[str, Any]:
        """JSON shape: id, counts, missed and extra as [country, contribution, stance] lists."""
        return {"id": self.id, **self.counts.to_dict(),
                "missed": [list(t) for t in self.missed],
                "extra": [list(t) for t in self.extra]}


@dataclass(slots=True)
class EvalResult:
    """Totals, per-label breakdowns and per-document details of one evaluation run."""

    total: Counts
    documents: list[DocumentScore]
    by_contribution: dict[str, Counts] = field(default_factory=dict)
    by_stance: dict[str, Counts] = field(default_factory=dict)

    # Convenience accessors so callers can write result.f1 etc.
    @property
    def tp(self) -> int:
        """Required gold items matched, summed over documents."""
        return self.total.tp

    @property
    def fp(self) -> int:
        """Counted predictions matching no required item, summed over documents."""
        return self.total.fp

    @property
    def fn(self) -> int:
        """Required gold items missed, summed over documents."""
        return self.total.fn

    @property
    def precision(self) -> float:
        """Micro-averaged precision."""
        return self.total.precision

    @property
    def recall(self) -> float:
        """Micro-averaged recall."""
        return self.total.recall

    @property
    def f1(self) -> float:
        """Micro-averaged F1."""
        return self.total.f1

    def totals_line(self) -> str:
        """The last line of score.py, character for character."""
        t = self.total
        return (f"documents {len(self.documents)} tp {t.tp} fp {t.fp} fn {t.fn} "
                f"precision {t.precision:.3f} recall {t.recall:.3f} f1 {t.f1:.3f}")

    def document_lines(self) -> list[str]:
        """score.py's --verbose lines: `NAME: missed [...] extra [...]` per document."""
        return [f"{d.id}: missed {d.missed} extra {d.extra}" for d in self.documents]

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain JSON types."""
        return {
            "documents": len(self.documents),
            **self.total.to_dict(),
            "by_contribution": {k: v.to_dict() for k, v in self.by_contribution.items()},
            "by_stance": {k: v.to_dict() for k, v in self.by_stance.items()},
            "per_document": [d.to_dict() for d in self.documents],
        }


# --------------------------------------------------------------------------- scoring

def gold_items(records: Iterable[dict]) -> tuple[dict[Triple, set[Triple]],
                                                 dict[Triple, set[Triple]]]:
    """Required and optional items, each a set of acceptable triples keyed by its main triple
    (score.py's `gold_items`)."""
    required: dict[Triple, set[Triple]] = {}
    optional: dict[Triple, set[Triple]] = {}
    for r in records:
        key = (r["country"], r["contribution"], r["stance"])
        accepted = {(r["country"], k, s)
                    for k in [r["contribution"], *r.get("contribution_alt", [])]
                    for s in [r["stance"], *r.get("stance_alt", [])]}
        target = optional if r.get("optional") else required
        target.setdefault(key, set()).update(accepted)
    for key in required:
        optional.pop(key, None)
    return required, optional


def score_document(doc_id: str, gold: Iterable[dict], pred: Iterable[dict],
                   by_contribution: dict[str, Counts] | None = None,
                   by_stance: dict[str, Counts] | None = None) -> DocumentScore:
    """Score one document's gold records against its predicted records.

    When the two label dicts are given, the document's counts are also added to them: the
    recall side (tp, fn) under the gold item's main contribution and stance, the precision side
    (tp_pred, fp) under the predicted triple's labels, so each breakdown sums to the totals.
    """
    required, optional = gold_items(gold)
    got = {(r["country"], r["contribution"], r["stance"]) for r in pred}
    any_required: set[Triple] = set().union(*required.values())
    any_optional: set[Triple] = set().union(*optional.values())
    counted = {t for t in got if t in any_required or t not in any_optional}
    hits = [k for k, acc in required.items() if acc & got]
    hit_set = set(hits)
    right = counted & any_required
    wrong = counted - any_required
    counts = Counts(tp=len(hits), fp=len(wrong), fn=len(required) - len(hits),
                    tp_pred=len(right))
    if by_contribution is not None and by_stance is not None:
        for key in required:
            field_name = "tp" if key in hit_set else "fn"
            for index, table in ((1, by_contribution), (2, by_stance)):
                label = table.setdefault(key[index], Counts())
                setattr(label, field_name, getattr(label, field_name) + 1)
        for triple in counted:
            field_name = "tp_pred" if triple in right else "fp"
            for index, table in ((1, by_contribution), (2, by_stance)):
                label = table.setdefault(triple[index], Counts())
                setattr(label, field_name, getattr(label, field_name) + 1)
    return DocumentScore(id=doc_id, counts=counts,
                         missed=sorted(k for k in required if k not in hit_set),
                         extra=sorted(wrong))


def score_pairs(pairs: Iterable[tuple[str, list[dict], list[dict]]]) -> EvalResult:
    """Micro-averaged score over (document id, gold records, predicted records) pairs."""
    total = Counts()
    by_contribution: dict[str, Counts] = {}
    by_stance: dict[str, Counts] = {}
    documents = []
    for doc_id, gold, pred in pairs:
        doc = score_document(doc_id, gold, pred, by_contribution, by_stance)
        total.add(doc.counts)
        documents.append(doc)
    return EvalResult(total=total, documents=documents,
                      by_contribution=_ordered(by_contribution, _CONTRIBUTION_ORDER),
                      by_stance=_ordered(by_stance, _STANCE_ORDER))


def evaluate(gold: str | Path, pred: str | Path) -> EvalResult:
    """Score the predictions at `pred` against the gold at `gold` (files or folders; see the
    module docstring for how documents are paired). Raises EvalError for unreadable inputs."""
    return score_pairs(pair_documents(Path(gold), Path(pred)))


# --------------------------------------------------------------------------- loading

# Label order for the breakdown tables: the order of DESIGN.md, then anything else sorted.
_CONTRIBUTION_ORDER = (
    "troops", "peacekeeping", "weapons", "air_defence", "intelligence", "logistics",
    "training", "funding", "coalition_membership", "security_guarantee", "other")
_STANCE_ORDER = ("ruled_out", "not_ruled_out", "reconsidering", "uncertain", "conditional",
                 "considering", "leading", "committed")


def _ordered(table: dict[str, Counts], order: tuple[str, ...]) -> dict[str, Counts]:
    known = [k for k in order if k in table]
    rest = sorted(k for k in table if k not in order)
    return {k: table[k] for k in known + rest}


@dataclass(slots=True)
class _Source:
    """One side of an evaluation, loaded: documents by id, plus the union of all records."""

    path: Path
    kind: str  # "file" (one JSON object), "jsonl" or "folder"
    docs: dict[str, list[dict]]  # id -> records, in file/name order
    union: list[dict]
    name: str | None = None  # for a single JSON file: its "id", or its stem


def _check_records(records: Any, where: str) -> list[dict]:
    if not isinstance(records, list):
        raise EvalError(f"{where}: \"stances\" is not a list")
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise EvalError(f"{where}: stance {number} is not an object")
        for key in ("country", "contribution", "stance"):
            if not isinstance(record.get(key), str):
                raise EvalError(f"{where}: stance {number} has no \"{key}\"")
    return records


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise EvalError(f"{path}: not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise EvalError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    except OSError as exc:
        raise EvalError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _add(docs: dict[str, list[dict]], doc_id: str, records: list[dict]) -> None:
    docs.setdefault(doc_id, []).extend(records)


def _load_object(data: Any, where: str, fallback_id: str) -> tuple[dict[str, list[dict]],
                                                                   list[dict], str]:
    """Documents and union of one JSON object ({"stances"} and/or {"documents"})."""
    if not isinstance(data, dict):
        raise EvalError(f"{where}: expected a JSON object with \"stances\" or \"documents\"")
    own_id = str(data["id"]) if data.get("id") is not None else fallback_id
    docs: dict[str, list[dict]] = {}
    union: list[dict] = []
    if "stances" in data:
        records = _check_records(data["stances"], where)
        union.extend(records)
        _add(docs, own_id, records)
    documents = data.get("documents", [])
    if not isinstance(documents, list):
        raise EvalError(f"{where}: \"documents\" is not a list")
    for number, doc in enumerate(documents, start=1):
        if not isinstance(doc, dict):
            raise EvalError(f"{where}: document {number} is not an object")
        doc_where = f"{where}: document {doc.get('id', number)}"
        records = _check_records(doc.get("stances", []), doc_where)
        union.extend(records)
        _add(docs, str(doc.get("id", f"{fallback_id}-{number}")), records)
    return docs, union, own_id


def _load_jsonl(path: Path) -> _Source:
    docs: dict[str, list[dict]] = {}
    union: list[dict] = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise EvalError(f"{path}: not valid UTF-8") from None
    except OSError as exc:
        raise EvalError(f"{path}: cannot read ({exc.strerror or exc})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalError(f"{where}: not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict) or obj.get("id") is None:
            raise EvalError(f"{where}: expected an object with \"id\" and \"stances\"")
        records = _check_records(obj.get("stances", []), where)
        union.extend(records)
        _add(docs, str(obj["id"]), records)
    return _Source(path, "jsonl", docs, union)


def load_side(path: Path) -> _Source:
    """Load a gold or prediction path: a folder of NAME.json, a JSONL file or a JSON file."""
    if not path.exists():
        raise EvalError(f"{path}: no such file or folder")
    if path.is_dir():
        docs: dict[str, list[dict]] = {}
        union: list[dict] = []
        for file in sorted(path.glob("*.json")):
            _fdocs, records, _ = _load_object(_read_json(file), str(file), file.stem)
            docs[file.stem] = records
            union.extend(records)
        return _Source(path, "folder", docs, union)
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        return _load_jsonl(path)
    docs, union, own_id = _load_object(_read_json(path), str(path), path.stem)
    return _Source(path, "file", docs, union, name=own_id)


def pair_documents(gold_path: Path, pred_path: Path) -> list[tuple[str, list[dict],
                                                                  list[dict]]]:
    """(document id, gold records, predicted records) for every gold document."""
    gold = load_side(gold_path)
    pred = load_side(pred_path)
    if gold.kind == "file":
        if pred.kind == "folder":
            return [(gold_path.stem, gold.union, pred.docs.get(gold.name or "", []))]
        return [(gold_path.stem, gold.union, pred.union)]
    return [(doc_id, records, pred.docs.get(doc_id, [])) for doc_id, records in gold.docs.items()]


__all__ = ["Counts", "DocumentScore", "EvalResult", "evaluate", "gold_items", "pair_documents",
           "score_document", "score_pairs", "load_side"]
