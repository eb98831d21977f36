"""Bad input never gives a traceback: a one-line error and a non-zero exit, or, for a JSONL
line or a non-English text, a skipped entry with its reason and a one-line warning.

Contract (see README "Errors and exit codes"): unreadable whole inputs (empty, binary, not
UTF-8, too large) exit 2 with `pledgewatch: error: ...`, and still get a skipped entry so
stdout stays valid JSON; paths that are not inputs at all (missing, folder) and a malformed
--date exit 2 before any output; skipped items only make the exit non-zero (1) when nothing
at all could be extracted.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import documents, stderr_line

from pledgewatch.settings import MAX_INPUT_BYTES

ENGLISH = ("Poland will not send troops to Ukraine, Prime Minister Donald Tusk said on "
           "Friday, but Warsaw will remain the main logistics hub for Western aid.")
GERMAN = ("Die Bundesregierung hat am Dienstag erklärt, dass Deutschland vorerst keine "
          "Soldaten in die Ukraine schicken wird. Der Verteidigungsminister sagte in Berlin, "
          "man prüfe jedoch weitere Hilfe für die Luftverteidigung des Landes. Eine "
          "Entscheidung über eine Beteiligung an einer Friedenstruppe sei noch nicht gefallen.")
FRENCH = ("Le président de la République a déclaré jeudi que la France était prête à "
          "envoyer des troupes en Ukraine après un cessez-le-feu. Le ministre des Armées a "
          "précisé que les détails seraient discutés avec les partenaires européens.")
PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"
             b"\x00\x00\x00\x1f\xf3\xffa\x00\x00\x00\x00IEND\xaeB`\x82")


def _only_skipped(result, reason_start: str) -> dict:
    (doc,) = documents(result)
    assert doc["skipped"].startswith(reason_start), doc["skipped"]
    assert doc["stances"] == []
    assert "id" in doc and "source" in doc
    return doc


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- whole inputs

@pytest.mark.parametrize("name,data,message", [
    ("empty.txt", b"", "empty input"),
    ("blank.txt", b"  \n\n\t \n", "empty input"),
    ("image.png", PNG_BYTES, "is a PNG image, not text"),
    ("nul.txt", b"Romania will\x00 not send troops\x00\x00", "binary file"),
    ("noise.txt", bytes((i * 37 + 11) % 255 + 1 for i in range(6000)),
     "cannot tell the text encoding"),
    ("empty.jsonl", b"\n\n", "empty input"),
], ids=["empty", "whitespace", "png", "nul-bytes", "noise", "empty-jsonl"])
def test_unreadable_file_is_one_error_line(run_cli, tmp_path, name, data, message):
    path = write_bytes(tmp_path / name, data)
    result = run_cli("extract", path)
    assert result.exit_code == 2
    line = stderr_line(result)
    assert line.startswith(f"pledgewatch: error: {path}: ")
    assert message in line
    _only_skipped(result, message)


def test_latin_1_file_is_decoded_not_refused(run_cli, tmp_path):
    path = write_bytes(tmp_path / "latin1.txt", "Le café de Bucarest: Romania will not send "
                       "troops to Ukraine, said the président.".encode("latin-1"))
    result = run_cli("extract", path)
    assert result.exit_code == 0
    (doc,) = documents(result)
    assert "café" in doc["stances"][0]["evidence"]
    assert (doc["stances"][0]["country"], doc["stances"][0]["stance"]) == ("ROU", "ruled_out")


def test_50_mb_file_is_refused(run_cli, tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:  # sparse: English text, then a hole up to 50 MB
        fh.write((ENGLISH + "\n").encode() * 100)
        fh.seek(50 * 1024 * 1024 - 1)
        fh.write(b"\n")
    assert path.stat().st_size > MAX_INPUT_BYTES
    result = run_cli("extract", path)
    assert result.exit_code == 2
    assert "MB" in stderr_line(result)
    _only_skipped(result, "")


def test_50_mb_stdin_is_refused(run_cli):
    result = run_cli("extract", "-", input=b"Romania will not send troops. " * 1_750_000)
    assert result.exit_code == 2
    assert "stdin" in stderr_line(result) and "MB" in stderr_line(result)


@pytest.mark.parametrize("data,message", [(b"", "empty input"), (PNG_BYTES, "is a PNG image")])
def test_bad_stdin_is_one_error_line(run_cli, data, message):
    result = run_cli("extract", "-", input=data)
    assert result.exit_code == 2
    assert message in stderr_line(result)


def test_one_bad_file_among_good_ones(run_cli, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ENGLISH, encoding="utf-8")
    bad = write_bytes(tmp_path / "bad.txt", b"")
    result = run_cli("extract", good, bad)
    assert result.exit_code == 2
    assert "bad.txt" in stderr_line(result)
    docs = documents(result)
    assert [d["id"] for d in docs] == ["good", "bad"]
    assert "skipped" not in docs[0] and docs[1]["skipped"] == "empty input"


# --------------------------------------------------------------------------- not inputs at all

def test_nonexistent_path(run_cli, tmp_path):
    result = run_cli("extract", tmp_path / "missing.txt")
    assert result.exit_code == 2
    assert "no such file" in stderr_line(result)
    assert result.stdout == ""


def test_empty_folder_says_nothing_was_found(run_cli, tmp_path):
    (tmp_path / ".hidden").write_text("skipped: hidden files are not read")
    result = run_cli("extract", tmp_path)
    assert result.exit_code == 1
    assert "no documents found" in stderr_line(result)
    assert documents(result) == []


@pytest.mark.parametrize("value", ["2025-13-01", "28/04/2025", "yesterday", "2025-02-30", ""])
def test_malformed_date(run_cli, tmp_path, value):
    path = tmp_path / "page.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    result = run_cli("extract", path, "--date", value)
    assert result.exit_code == 2
    assert "--date" in stderr_line(result) and "YYYY-MM-DD" in stderr_line(result)
    assert result.stdout == ""


# --------------------------------------------------------------------------- skipped items

def test_malformed_jsonl_line_among_good_ones(run_cli, tmp_path):
    lines = [json.dumps({"id": "good-1", "text": ENGLISH}), '{"id": "broken", "text": ',
             json.dumps({"id": "good-2", "text": ENGLISH})]
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("extract", path)
    assert result.exit_code == 1  # one item failed; the others were extracted
    line = stderr_line(result)
    assert line.startswith("pledgewatch: error: ") and "malformed JSON" in line
    docs = documents(result)
    assert [d["id"] for d in docs] == ["good-1", f"{path}:2", "good-2"]
    assert docs[1]["skipped"].startswith("malformed JSON") and docs[1]["stances"] == []
    assert "skipped" not in docs[0] and "skipped" not in docs[2]


@pytest.mark.parametrize("line,reason", [
    (b'{"id": "no-text", "title": "x"}', 'no "text" field'),
    (b'["a", "list"]', "line is not a JSON object"),
    (b'{"id": "latin", "text": "caf\xe9"}', "line is not valid UTF-8"),
])
def test_other_bad_jsonl_lines_are_skipped(run_cli, tmp_path, line, reason):
    good = json.dumps({"id": "good", "text": ENGLISH}).encode()
    path = write_bytes(tmp_path / "wire.jsonl", good + b"\n" + line + b"\n")
    result = run_cli("extract", path)
    assert result.exit_code == 1
    assert reason in stderr_line(result)
    docs = documents(result)
    assert len(docs) == 2 and docs[1]["skipped"] == reason


def test_50_mb_jsonl_line_is_skipped(run_cli, tmp_path):
    path = tmp_path / "big.jsonl"
    with path.open("wb") as fh:
        fh.write(b'{"id": "huge", "text": "' + b"a " * (25 * 1024 * 1024) + b'"}\n')
    result = run_cli("extract", path)
    assert result.exit_code == 1  # the only item failed
    assert "line too long" in stderr_line(result)
    _only_skipped(result, "line too long")


def test_non_english_text_file_is_skipped(run_cli, tmp_path):
    path = tmp_path / "german.txt"
    path.write_text(GERMAN, encoding="utf-8")
    result = run_cli("extract", path)
    assert result.exit_code == 1  # every input item failed
    line = stderr_line(result)
    assert line.startswith("pledgewatch: warning: ") and "not English" in line
    doc = _only_skipped(result, "not English")
    assert doc["id"] == "german"


def test_non_english_jsonl_line_is_skipped_others_extracted(run_cli, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(json.dumps({"id": "en", "text": ENGLISH}) + "\n"
                    + json.dumps({"id": "fr", "text": FRENCH}) + "\n", encoding="utf-8")
    result = run_cli("extract", path, "--format", "json")
    assert result.exit_code == 0
    assert "not English" in stderr_line(result)
    docs = documents(result)
    assert [d["id"] for d in docs] == ["en", "fr"]
    assert docs[1]["skipped"].startswith("not English") and docs[1]["stances"] == []


def test_table_format_shows_skipped_items(run_cli, tmp_path):
    path = tmp_path / "german.txt"
    path.write_text(GERMAN, encoding="utf-8")
    result = run_cli("extract", path, "--format", "table")
    assert result.exit_code == 1
    assert "not English" in stderr_line(result)
    assert "skipped" in result.stdout
