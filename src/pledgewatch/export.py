"""Exports of the record with provenance: JSONL, CSV, Parquet and PLOVER JSONL.

Every row carries where it came from (document id, title, publication date, source, URL, and
the evidence with its offsets), so an exported figure can always be traced to its sentence.
Rows are streamed from the store; only Parquet, written in row groups, buffers a group.
"""
from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import IO, Any

from pledgewatch.store.records import Store

STANCE_FIELDS = ("record", "id", "document_id", "segment", "country", "contribution", "stance",
                 "phase", "quantity", "quantity_value", "quantity_unit", "target", "speaker",
                 "speaker_role", "date", "evidence", "start", "end", "confidence", "title",
                 "published", "source", "url")
EVENT_FIELDS = ("record", "id", "document_id", "segment", "event_type", "mode", "context",
                "actor", "recipient", "date", "location", "evidence", "start", "end",
                "confidence", "title", "published", "url")
ALL_FIELDS = tuple(dict.fromkeys(STANCE_FIELDS + EVENT_FIELDS))
PARQUET_ROW_GROUP = 10_000


def records(store: Store, which: str = "all") -> Iterator[dict[str, Any]]:
    """Stance rows, then event rows, each with a `record` field saying which."""
    if which in {"all", "stances"}:
        for row in store.stance_rows():
            yield {"record": "stance", **{k: row.get(k) for k in STANCE_FIELDS[1:]},
                   "date": row.get("when")}
    if which in {"all", "events"}:
        for row in store.event_rows():
            yield {"record": "event", **{k: row.get(k) for k in EVENT_FIELDS[1:]},
                   "date": row.get("date") or row.get("published")}


def fields_for(which: str) -> tuple[str, ...]:
    return {"stances": STANCE_FIELDS, "events": EVENT_FIELDS}.get(which, ALL_FIELDS)


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str], fields: tuple[str, ...]) -> int:
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: _csv_cell(row.get(k)) for k in fields})
        count += 1
    return count


def _csv_cell(value: Any) -> Any:
    """Cells starting with = + - @ are escaped: a spreadsheet would run them as formulas,
    and evidence text is attacker-controlled."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_parquet(rows: Iterable[dict[str, Any]], path: str, fields: tuple[str, ...]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    numeric = {"segment": pa.int64(), "start": pa.int64(), "end": pa.int64(),
               "id": pa.int64(), "quantity_value": pa.float64(), "confidence": pa.float64()}
    schema = pa.schema([(name, numeric.get(name, pa.string())) for name in fields])
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append({k: row.get(k) for k in fields})
            if len(batch) >= PARQUET_ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch or count == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


@lru_cache(maxsize=1)
def _plover_map() -> dict[str, dict[str, str]]:
    from pledgewatch.lexicons import _load

    data = _load("plover.yaml")
    return {key: dict(data[key]) for key in ("stance_events", "contribution_events",
                                              "contribution_contexts")}


def plover_record(row: dict[str, Any]) -> dict[str, Any]:
    """One PLOVER JSONL record (id, date, actor, event, mode, context, recipient, event_text,
    text_info, cite_info) for a stance or event row."""
    stable = f"{row['document_id']}:{row['segment']}:{row['start']}:{row['end']}"
    if row["record"] == "stance":
        mapping = _plover_map()
        event = mapping["stance_events"][row["stance"]]
        if event == "AID":
            event = mapping["contribution_events"].get(row["contribution"], event)
        stable += f":{row['country']}:{row['contribution']}:{row['stance']}"
        actor, recipient, mode = row["country"], row["target"], row["stance"]
        context = mapping["contribution_contexts"].get(row["contribution"], "other")
    else:
        event, actor, recipient = row["event_type"], row["actor"], row["recipient"]
        mode, context = row.get("mode"), row.get("context")
        stable += f":{row['event_type']}:{actor}:{recipient}"
    return {
        "id": "pw-" + hashlib.sha256(stable.encode("utf-8", "surrogatepass")).hexdigest()[:20],
        "date": row.get("date"), "actor": actor, "event": event, "mode": mode,
        "context": context, "recipient": recipient, "event_text": row["evidence"],
        "text_info": {"document_id": row["document_id"], "segment": row["segment"],
                      "start": row["start"], "end": row["end"], "title": row.get("title"),
                      "published": row.get("published")},
        "cite_info": {"url": row.get("url"), "source": row.get("source")},
        "pledgewatch": ({"contribution": row["contribution"], "phase": row["phase"],
                         "quantity": row["quantity"], "speaker": row["speaker"],
                         "confidence": row["confidence"]} if row["record"] == "stance"
                        else {"confidence": row["confidence"]}),
    }


def write_plover(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    return write_jsonl((plover_record(row) for row in rows), out)
