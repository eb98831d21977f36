"""The record: ingest, idempotency, supersession, disagreement, migrations, exports; each test
on SQLite and on PostgreSQL (`db_url`)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import SEED, WIRE, stderr_line, summary_line
from sqlalchemy import insert, select, text

from pledgewatch.store import schema
from pledgewatch.store.database import create_store_engine, current_revision, migrate, resolve_url
from pledgewatch.store.records import Store


def _board(run_cli, db_url: str, *args: str) -> dict[tuple[str, str], dict]:
    result = run_cli("board", "--db", db_url, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return {(e["country"], e["contribution"]): e for e in json.loads(result.stdout)["board"]}


def _jsonl(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def _snapshot(db_url: str) -> dict[str, list]:
    """The database's content without ids and timestamps (what "the same database" means)."""
    store = Store.open(db_url, create=False)
    with store.engine.connect() as c:
        snap = {
            "documents": sorted(c.execute(select(
                schema.documents.c.id, schema.documents.c.status,
                schema.documents.c.duplicate_of, schema.documents.c.published)).all()),
            "sources": sorted(c.execute(select(
                schema.sources.c.document_id, schema.sources.c.source_key)).all()),
            "segments": sorted(c.execute(select(
                schema.segments.c.document_id, schema.segments.c.index,
                schema.segments.c.start, schema.segments.c.end)).all()),
            "stances": sorted(c.execute(select(
                schema.stances.c.document_id, schema.stances.c.segment,
                schema.stances.c.start, schema.stances.c.country,
                schema.stances.c.contribution, schema.stances.c.stance,
                schema.stances.c.date)).all()),
        }
    store.close()
    return snap


# --------------------------------------------------------------------------- the seed page

def test_seed_page_board(run_cli, db_url):
    result = run_cli("ingest", SEED, "--db", db_url)
    assert result.exit_code == 0, result.stderr
    assert "1 new, 0 already stored" in summary_line(result)
    board = _board(run_cli, db_url)
    assert board[("ROU", "troops")]["stance"] == "ruled_out"
    assert board[("BGR", "troops")]["stance"] == "uncertain"
    assert board[("GBR", "peacekeeping")]["stance"] == "leading"
    assert board[("FRA", "peacekeeping")]["stance"] == "leading"
    assert board[("GBR", "troops")]["stance"] == "reconsidering"
    rou = board[("ROU", "troops")]
    assert rou["speaker"] == "Cristian Diaconescu" and rou["sources"] == 1
    assert rou["source"] == str(SEED) and not rou["disputed"]


def test_ingest_is_idempotent(run_cli, db_url, tmp_path):
    assert run_cli("ingest", SEED, "--db", db_url).exit_code == 0
    before = _snapshot(db_url)
    again = run_cli("ingest", SEED, "--db", db_url)
    assert again.exit_code == 0
    assert "0 new, 1 already stored" in summary_line(again)
    assert "0 stances added" in summary_line(again)
    assert _snapshot(db_url) == before
    # the same text from another place: one document, one more source
    copy = tmp_path / "mirror.txt"
    copy.write_bytes(SEED.read_bytes())
    run_cli("ingest", copy, "--db", db_url)
    after = _snapshot(db_url)
    assert after["documents"] == before["documents"] and after["stances"] == before["stances"]
    assert len(after["sources"]) == len(before["sources"]) + 1
    board = _board(run_cli, db_url)
    assert board[("ROU", "troops")]["sources"] == 2


# --------------------------------------------------------------------------- resolution

GERMANY = [
    {"id": "feb", "date": "2025-02-17", "url": "https://a.example/feb",
     "text": "Germany is considering sending troops to Ukraine, Chancellor Friedrich Merz "
             "said."},
    {"id": "apr", "date": "2025-04-30", "url": "https://b.example/apr",
     "text": "Germany will send troops to Ukraine, Chancellor Friedrich Merz said."},
]


def test_a_later_statement_supersedes_and_history_keeps_both(run_cli, db_url, tmp_path):
    # ingested out of order: the board follows the dates, not the ingest order
    run_cli("ingest", _jsonl(tmp_path / "apr.jsonl", GERMANY[1:]), "--db", db_url)
    run_cli("ingest", _jsonl(tmp_path / "feb.jsonl", GERMANY[:1]), "--db", db_url)
    entry = _board(run_cli, db_url)[("DEU", "troops")]
    assert (entry["stance"], entry["date"]) == ("committed", "2025-04-30")
    assert entry["url"] == "https://b.example/apr" and not entry["disputed"]
    past = _board(run_cli, db_url, "--as-of", "2025-03-01")[("DEU", "troops")]
    assert (past["stance"], past["date"]) == ("considering", "2025-02-17")
    result = run_cli("history", "Germany", "--db", db_url, "--contribution", "troops")
    assert result.exit_code == 0
    assert "DEU troops: 2025-02-17 considering -> 2025-04-30 committed" in result.stdout
    data = json.loads(run_cli("history", "DEU", "--db", db_url, "--format", "json").stdout)
    steps = data["history"]["troops"]
    assert [(s["date"], s["previous"], s["stance"]) for s in steps] == [
        ("2025-02-17", None, "considering"), ("2025-04-30", "considering", "committed")]


def test_sources_of_the_same_period_that_disagree_are_flagged(run_cli, db_url, tmp_path):
    docs = [{"id": "mon", "date": "2025-03-03",
             "text": "Italy will send troops to Ukraine, Defence Minister Guido Crosetto said."},
            {"id": "wed", "date": "2025-03-05",
             "text": "Italy will not send troops to Ukraine, Prime Minister Giorgia Meloni "
                     "said."}]
    run_cli("ingest", _jsonl(tmp_path / "it.jsonl", docs), "--db", db_url)
    entry = _board(run_cli, db_url)[("ITA", "troops")]
    assert entry["stance"] == "ruled_out" and entry["disputed"]
    assert entry["other_stances"] == ["committed"]


def test_board_filters_and_formats(run_cli, db_url):
    run_cli("ingest", SEED, "--db", db_url)
    only = _board(run_cli, db_url, "--contribution", "troops", "--country", "ROU")
    assert list(only) == [("ROU", "troops")]
    rows = list(csv.DictReader(io.StringIO(run_cli(
        "board", "--db", db_url, "--format", "csv", "--contribution", "peacekeeping").stdout)))
    assert {(r["country"], r["stance"]) for r in rows} >= {("GBR", "leading"),
                                                           ("FRA", "leading")}
    table = run_cli("board", "--db", db_url)
    assert "ruled_out" in table.stdout and "Diaconescu" in table.stdout


@pytest.mark.parametrize("args,message", [
    (("--contribution", "tanks"), "--contribution 'tanks' is not one of"),
    (("--country", "Atlantis"), "unknown country 'Atlantis'"),
    (("--as-of", "2025-02-30"), "--as-of '2025-02-30' is not a valid date"),
])
def test_board_bad_options_are_one_line(run_cli, db_url, args, message):
    run_cli("ingest", SEED, "--db", db_url)
    result = run_cli("board", "--db", db_url, *args)
    assert result.exit_code == 2 and message in stderr_line(result)


def test_board_without_a_database_says_so(run_cli, tmp_path):
    result = run_cli("board", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 4
    assert "no pledgewatch database here" in stderr_line(result)
    result = run_cli("ingest", SEED, "--db", str(tmp_path / "missing" / "x.db"))
    assert result.exit_code == 4 and "does not exist" in stderr_line(result)


# --------------------------------------------------------------------------- duplicates

def test_a_syndicated_copy_is_a_linked_document_and_another_source(run_cli, db_url, tmp_path):
    docs = [{"id": "ledger", "date": "2025-03-05", "url": "https://ledger.example/ro",
             "text": "Romania Rules Out Troops\n\n" + WIRE},
            {"id": "herald", "date": "2025-03-05", "url": "https://herald.example/ro",
             "text": "Romania Says No Soldiers\n\n" + WIRE + "\n\nHerald staff contributed."}]
    result = run_cli("ingest", _jsonl(tmp_path / "wire.jsonl", docs), "--db", db_url)
    assert "1 new, 0 already stored, 1 duplicate" in summary_line(result)
    store = Store.open(db_url, create=False)
    with store.engine.connect() as c:
        rows = c.execute(select(schema.documents.c.status, schema.documents.c.duplicate_of,
                                schema.documents.c.id).order_by(schema.documents.c.status)
                         ).all()
    store.close()
    (dup_status, original, _), (status, none, first) = rows
    assert (dup_status, status, none, original) == ("duplicate", "extracted", None, first)
    entry = _board(run_cli, db_url)[("ROU", "troops")]
    assert entry["sources"] == 2 and entry["date"] == "2025-03-05"


# --------------------------------------------------------------------------- migrations

def test_migration_keeps_the_data_of_an_older_schema(db_url):
    engine = create_store_engine(resolve_url(db_url))
    migrate(engine, "0001")
    assert current_revision(engine) == "0001"
    with engine.begin() as c:
        c.execute(text("INSERT INTO documents (id, text, status, ingested_at) "
                       "VALUES ('d1', 'Romania will not send troops.', 'extracted', 'now')"))
        c.execute(text('INSERT INTO segments (document_id, "index", kind, start, "end") '
                       "VALUES ('d1', 0, 'article', 0, 29)"))
        c.execute(text('INSERT INTO stances (document_id, segment, country, contribution, '
                       'stance, target, evidence, start, "end", confidence) VALUES '
                       "('d1', 0, 'ROU', 'troops', 'ruled_out', 'UKR', "
                       "'Romania will not send troops.', 0, 29, 0.8)"))
    migrate(engine)
    assert current_revision(engine) == "0003"
    with engine.connect() as c:
        row = c.execute(select(schema.stances)).mappings().one()
    assert (row["country"], row["stance"], row["phase"]) == ("ROU", "ruled_out", "unknown")
    # and the migrated store takes new data
    with engine.begin() as c:
        c.execute(insert(schema.stances).values(
            document_id="d1", segment=0, country="BGR", contribution="troops",
            stance="uncertain", phase="pledged", target="UKR", evidence="x", start=0, end=1,
            confidence=0.5))
    engine.dispose()


# --------------------------------------------------------------------------- exports

def test_exports_carry_provenance(run_cli, db_url, tmp_path):
    run_cli("ingest", _jsonl(tmp_path / "de.jsonl", GERMANY), "--db", db_url)
    lines = run_cli("export", "--db", db_url).stdout.splitlines()
    rows = [json.loads(line) for line in lines]
    assert {r["record"] for r in rows} == {"stance"}
    committed = next(r for r in rows if r["stance"] == "committed")
    assert committed["url"] == "https://b.example/apr" and committed["date"] == "2025-04-30"
    assert committed["evidence"].startswith("Germany will send troops")
    plover = [json.loads(line) for line in run_cli(
        "export", "--db", db_url, "--format", "plover").stdout.splitlines()]
    first = next(p for p in plover if p["mode"] == "committed")
    assert (first["actor"], first["event"], first["recipient"], first["context"]) == (
        "DEU", "AID", "UKR", "military")
    assert first["cite_info"]["url"] == "https://b.example/apr"
    assert first["text_info"]["start"] == 0 and first["event_text"] == committed["evidence"]
    assert len({p["id"] for p in plover}) == len(plover)
    out = tmp_path / "stances.parquet"
    assert run_cli("export", "--db", db_url, "--format", "parquet", "-o", out).exit_code == 0
    import pyarrow.parquet as pq

    table = pq.read_table(out)
    assert table.num_rows == len(rows) and "evidence" in table.column_names
    result = run_cli("export", "--db", db_url, "--format", "parquet")
    assert result.exit_code == 2 and "--output" in stderr_line(result)


def test_csv_export_defuses_formulas(run_cli, db_url, tmp_path):
    hostile = [{"id": "x", "date": "2025-03-03",
                "text": "=HYPERLINK(\"http://evil.example\") Poland will send troops to "
                        "Ukraine, Prime Minister Donald Tusk said."}]
    run_cli("ingest", _jsonl(tmp_path / "h.jsonl", hostile), "--db", db_url)
    rows = list(csv.DictReader(io.StringIO(run_cli(
        "export", "--db", db_url, "--format", "csv", "--records", "stances").stdout)))
    assert rows and all(not r["evidence"].startswith("=") for r in rows)


def test_events_are_stored_and_exported(db_url):
    """Events arrive with the PLOVER coder of a later issue; the plumbing is tested now."""
    from pledgewatch.model import DocumentResult, Event, Segment, SourceDocument

    text_ = "Putin declared a temporary truce."
    source = SourceDocument(id="t", text=text_, source="test")
    result = DocumentResult(
        id="t", source="test", title=None, published="2025-05-01", fingerprint="f" * 64,
        segments=[Segment(0, "article", None, 0, len(text_))],
        events=[Event("AGREE", "RUS", "UKR", text_, 0, len(text_), mode="ceasefire")])
    with Store.open(db_url) as store:
        assert store.save(source, result) and not store.save(source, result)
        (row,) = list(store.event_rows())
        assert (row["event_type"], row["actor"], row["mode"]) == ("AGREE", "RUS", "ceasefire")
        from pledgewatch.export import plover_record, records

        (record,) = [r for r in records(store) if r["record"] == "event"]
        assert plover_record(record)["event"] == "AGREE"
        assert record["date"] == "2025-05-01"


def test_board_shows_pledge_versus_delivery(run_cli, db_url, tmp_path):
    docs = [{"id": "n1", "date": "2025-03-03",
             "text": "Norway pledged two NASAMS air defence systems to Ukraine, Prime Minister "
                     "Jonas Gahr Store said."},
            {"id": "n2", "date": "2025-05-20",
             "text": "Norway has delivered two NASAMS air defence systems to Ukraine, Prime "
                     "Minister Jonas Gahr Store said."}]
    run_cli("ingest", _jsonl(tmp_path / "no.jsonl", docs), "--db", db_url)
    entry = _board(run_cli, db_url)[("NOR", "air_defence")]
    assert (entry["stance"], entry["phase"], entry["date"]) == ("committed", "delivered",
                                                                 "2025-05-20")
    past = _board(run_cli, db_url, "--as-of", "2025-04-01")[("NOR", "air_defence")]
    assert past["phase"] == "pledged"
