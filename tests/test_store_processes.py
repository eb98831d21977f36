"""Real processes against the store: `kill -9` halfway through a 1,000-document ingest then a
rerun, and two processes ingesting at once, each give the same database as one clean run."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from test_store import _snapshot

from pledgewatch.store import schema
from pledgewatch.store.records import Store

COUNTRIES = ["Romania", "Bulgaria", "Poland", "Germany", "France", "Italy", "Spain", "Norway",
             "Sweden", "Finland", "Denmark", "Estonia", "Latvia", "Lithuania", "Canada"]
VERBS = ["will send troops to", "will not send troops to", "is considering sending troops to",
         "will provide air defence systems to", "has pledged funding for"]


def _corpus(path: Path, n: int) -> Path:
    """`n` short dated wire items; every 25th repeats an earlier one (a duplicate)."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            j = i - 7 if i % 25 == 24 else i
            country, verb = COUNTRIES[j % len(COUNTRIES)], VERBS[(j // 3) % len(VERBS)]
            day = 1 + j % 28
            out.write(json.dumps({
                "id": f"item-{i}", "date": f"2025-03-{day:02d}",
                "url": f"https://wire.example/{i}",
                "text": f"{country} {verb} Ukraine, its defence minister said in briefing "
                        f"number {j}."}) + "\n")
    return path


def _ingest(db: str, corpus: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "pledgewatch", "ingest", str(corpus), "--db", db],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)


def _documents(db: str) -> int:
    try:
        store = Store.open(db, create=False)
    except Exception:
        return 0
    try:
        with store.engine.connect() as c:
            return c.execute(select(func.count()).select_from(schema.documents)).scalar_one()
    except Exception:
        return 0
    finally:
        store.close()


def _finish(process: subprocess.Popen, timeout: float = 600) -> str:
    _, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err
    return err


@pytest.fixture
def second_db(request, db_url, tmp_path):
    """Another empty database of the same kind as `db_url` (for the reference run)."""
    if db_url.startswith("postgresql"):
        from conftest import POSTGRES_ENV, _postgres_database

        generator = _postgres_database(os.environ[POSTGRES_ENV])
        url = next(generator)
        yield url
        generator.close()
    else:
        yield str(tmp_path / "reference.db")


def test_kill_9_halfway_then_rerun_equals_one_clean_run(db_url, second_db, tmp_path):
    corpus = _corpus(tmp_path / "wire.jsonl", 1000)
    _finish(_ingest(second_db, corpus))
    reference = _snapshot(second_db)
    assert len(reference["documents"]) == 960  # 40 exact repeats are sources, not documents

    process = _ingest(db_url, corpus)
    deadline = time.monotonic() + 600
    while _documents(db_url) < 300:
        assert process.poll() is None, "the ingest ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    process.wait()
    interrupted = _documents(db_url)
    assert 300 <= interrupted < 960
    summary = _finish(_ingest(db_url, corpus))
    assert f"{960 - interrupted} new," in summary  # nothing stored twice, nothing lost
    assert _snapshot(db_url) == reference


def test_two_processes_ingesting_at_once(db_url, second_db, tmp_path):
    corpus = _corpus(tmp_path / "wire.jsonl", 200)
    _finish(_ingest(second_db, corpus))
    reference = _snapshot(second_db)
    # the second process reads the same items in the opposite order, so they collide
    lines = corpus.read_text(encoding="utf-8").splitlines()
    reverse = tmp_path / "wire-reversed.jsonl"
    reverse.write_text("\n".join(reversed(lines)) + "\n", encoding="utf-8")
    first, second = _ingest(db_url, corpus), _ingest(db_url, reverse)
    _finish(first)
    _finish(second)
    snapshot = _snapshot(db_url)
    # same documents and records; each file's items are sources of their own
    assert snapshot["documents"] == reference["documents"]
    assert snapshot["stances"] == reference["stances"]
    assert snapshot["segments"] == reference["segments"]
    assert len(snapshot["sources"]) == 2 * len(reference["sources"])
