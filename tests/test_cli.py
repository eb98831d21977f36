"""The `pledgewatch` command's contract: output shapes, exit codes, one-line errors.

These tests do not judge extraction accuracy (that is the extractor's tests' job): they only
check what a script calling `pledgewatch` relies on, so they hold while the rules change.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEED, documents, stderr_line

from pledgewatch.errors import LexiconError

SCORE_PY = Path(__file__).resolve().parents[2] / "shared/eval/score.py"
TOTALS = re.compile(r"^documents \d+ tp \d+ fp \d+ fn \d+ precision \d\.\d{3} "
                    r"recall \d\.\d{3} f1 \d\.\d{3}$")

ENGLISH_1 = ("Romania will not send troops to Ukraine, Defence Minister Radu Ionescu said on "
             "Tuesday, adding that Bucharest would keep supporting Kyiv in other ways.")
ENGLISH_2 = ("Britain and France will lead a reassurance force for Ukraine once a ceasefire is "
             "agreed, Prime Minister Keir Starmer told parliament on Thursday.")

STANCE_KEYS = {"country", "contribution", "stance", "quantity", "speaker", "date", "segment",
               "evidence", "start", "end", "confidence"}


def pw(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    """`python -m pledgewatch ARGS` in a fresh process (for main() and start-up checks)."""
    return subprocess.run([sys.executable, "-m", "pledgewatch", *args], input=input,
                          capture_output=True, text=True, timeout=120)


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- start-up

def test_cli_and_eval_do_not_import_spacy():
    code = ("import sys, pledgewatch.cli, pledgewatch.evaluate; "
            "assert 'spacy' not in sys.modules, 'spaCy imported at start-up'")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_help_lists_the_commands():
    out = pw("--help")
    assert out.returncode == 0
    for command in ("extract", "eval", "version"):
        assert command in out.stdout
    assert out.stderr == ""


def test_version_forms(run_cli):
    from pledgewatch import __version__

    for args in (["version"], ["--version"]):
        result = run_cli(*args)
        assert result.exit_code == 0
        assert result.stdout.startswith(f"pledgewatch {__version__}")


def test_usage_error_is_one_line_through_main():
    out = pw("extract", "--no-such-option", str(SEED))
    assert out.returncode == 2
    assert "No such option" in out.stderr
    assert out.stderr.count("\n") == 1 and out.stderr.startswith("pledgewatch: error: ")
    assert "Traceback" not in out.stderr


def test_bad_format_value_is_a_usage_error():
    out = pw("extract", "--format", "xml", str(SEED))
    assert out.returncode == 2
    assert out.stderr.startswith("pledgewatch: error: ") and out.stderr.count("\n") == 1


# --------------------------------------------------------------------------- extract

def test_extract_seed_page_json(run_cli):
    result = run_cli("extract", SEED)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ("pledgewatch: done: 1 item read: 1 extracted, 0 duplicates, "
                             "0 skipped, 0 failed\n")
    (doc,) = documents(result)
    assert doc["id"] == "coalition-page"
    assert doc["source"] == str(SEED)
    assert "skipped" not in doc
    for key in ("title", "published", "fingerprint", "segments", "stances", "events"):
        assert key in doc
    assert doc["segments"] and doc["segments"][0]["index"] == 0
    for stance in doc["stances"]:
        assert STANCE_KEYS <= set(stance)
        assert re.fullmatch(r"[A-Z]{2,4}", stance["country"])
        assert isinstance(stance["start"], int) and stance["start"] < stance["end"]


def test_extract_seed_page_table(run_cli):
    result = run_cli("extract", SEED, "--format", "table")
    assert result.exit_code == 0, result.stderr
    assert "ROU" in result.stdout
    assert "coalition-page" in result.stdout
    assert "evidence" in result.stdout


def test_extract_stdin(run_cli):
    result = run_cli("extract", "-", input=ENGLISH_1 + "\n")
    assert result.exit_code == 0, result.stderr
    (doc,) = documents(result)
    assert doc["id"] == "stdin" and doc["source"] == "stdin"


def test_extract_jsonl_documents_keyed_by_id(run_cli, tmp_path):
    path = write_jsonl(tmp_path / "news.jsonl", [
        {"id": "wire-1", "text": ENGLISH_1, "title": "Romania", "date": "2025-03-04"},
        {"id": "wire-2", "text": ENGLISH_2, "url": "https://example.org/2"},
    ])
    result = run_cli("extract", path)
    assert result.exit_code == 0, result.stderr
    docs = documents(result)
    assert [d["id"] for d in docs] == ["wire-1", "wire-2"]
    assert docs[0]["published"] == "2025-03-04" and docs[0]["title"] == "Romania"
    assert docs[1]["url"] == "https://example.org/2"
    assert all(d["source"] == str(path) for d in docs)


def test_extract_many_jsonl_documents_streams_valid_json(run_cli, tmp_path):
    rows = [{"id": f"d{n:03d}", "text": (ENGLISH_1, ENGLISH_2)[n % 2]} for n in range(25)]
    result = run_cli("extract", write_jsonl(tmp_path / "many.jsonl", rows))
    assert result.exit_code == 0, result.stderr
    assert [d["id"] for d in documents(result)] == [r["id"] for r in rows]
    assert result.stdout.startswith('{"documents": [')


def test_date_option_sets_published(run_cli, tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(ENGLISH_1, encoding="utf-8")
    result = run_cli("extract", path, "--date", "2025-04-28")
    assert result.exit_code == 0, result.stderr
    (doc,) = documents(result)
    assert doc["published"] == "2025-04-28"


def test_several_files_in_order(run_cli, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(ENGLISH_1, encoding="utf-8")
    b.write_text(ENGLISH_2, encoding="utf-8")
    result = run_cli("extract", b, a, "--parse-all")
    assert result.exit_code == 0, result.stderr
    assert [d["id"] for d in documents(result)] == ["b", "a"]


def test_internal_error_skips_one_document_and_exits_1(run_cli, tmp_path, monkeypatch):
    from pledgewatch.extract import document

    real = document.extract_documents

    def flaky(sources, **options):
        for source in sources:
            if source.id == "boom":
                raise RuntimeError("simulated failure\nwith two lines")
            yield from real([source], **options)

    monkeypatch.setattr(document, "extract_documents", flaky)
    path = write_jsonl(tmp_path / "mix.jsonl", [
        {"id": "first", "text": ENGLISH_1}, {"id": "boom", "text": ENGLISH_2},
        {"id": "last", "text": ENGLISH_2}])
    result = run_cli("extract", path)
    assert result.exit_code == 1
    line = stderr_line(result)
    assert "boom" in line and "internal error" in line
    docs = documents(result)
    assert [d["id"] for d in docs] == ["first", "boom", "last"]
    assert docs[1]["skipped"].startswith("internal error: RuntimeError: simulated failure")
    assert docs[1]["stances"] == []
    assert "skipped" not in docs[0] and "skipped" not in docs[2]


def test_pledgewatch_error_during_extraction_is_one_line(run_cli, monkeypatch):
    from pledgewatch.extract import document

    def broken(sources, **options):
        raise LexiconError("lexicons/stance_cues.yaml: bad entry 3")
        yield  # pragma: no cover

    monkeypatch.setattr(document, "extract_documents", broken)
    result = run_cli("extract", SEED)
    assert result.exit_code == LexiconError.exit_code
    assert stderr_line(result) == "pledgewatch: error: lexicons/stance_cues.yaml: bad entry 3"
    assert documents(result) == []  # stdout stays valid JSON


def test_keyboard_interrupt_exits_130_quietly(run_cli, monkeypatch):
    from pledgewatch.extract import document

    def interrupted(sources, **options):
        raise KeyboardInterrupt
        yield  # pragma: no cover

    monkeypatch.setattr(document, "extract_documents", interrupted)
    result = run_cli("extract", SEED)
    assert result.exit_code == 130
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- eval

def _eval_files(tmp_path: Path) -> tuple[Path, Path]:
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.json").write_text(json.dumps({"stances": [
        {"country": "ROU", "contribution": "troops", "stance": "ruled_out"},
        {"country": "GBR", "contribution": "peacekeeping", "stance": "leading"}]}))
    (gold / "b.json").write_text(json.dumps({"stances": [
        {"country": "DNK", "contribution": "funding", "stance": "conditional",
         "stance_alt": ["committed"]}]}))
    pred = tmp_path / "out.json"
    pred.write_text(json.dumps({"documents": [
        {"id": "a", "stances": [
            {"country": "ROU", "contribution": "troops", "stance": "ruled_out"},
            {"country": "FRA", "contribution": "troops", "stance": "committed"}]},
        {"id": "b", "stances": [
            {"country": "DNK", "contribution": "funding", "stance": "committed"}]}]}))
    return gold, pred


def test_eval_text_output(run_cli, tmp_path):
    gold, pred = _eval_files(tmp_path)
    result = run_cli("eval", gold, pred)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == ("documents 2 tp 2 fp 1 fn 1 precision 0.667 recall 0.667 f1 0.667")
    assert TOTALS.match(lines[-1])
    assert any(line.strip().startswith("troops") for line in lines)
    assert any(line.strip().startswith("ruled_out") for line in lines)


def test_eval_verbose_lists_missed_and_extra(run_cli, tmp_path):
    gold, pred = _eval_files(tmp_path)
    result = run_cli("eval", gold, pred, "--verbose")
    assert result.exit_code == 0
    assert ("a: missed [('GBR', 'peacekeeping', 'leading')] "
            "extra [('FRA', 'troops', 'committed')]") in result.stdout
    assert "b: missed [] extra []" in result.stdout


def test_eval_json_output(run_cli, tmp_path):
    gold, pred = _eval_files(tmp_path)
    result = run_cli("eval", gold, pred, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["documents"], data["tp"], data["fp"], data["fn"]) == (2, 2, 1, 1)
    assert data["by_contribution"]["troops"]["fp"] == 1
    assert data["by_stance"]["leading"]["fn"] == 1
    assert [d["id"] for d in data["per_document"]] == ["a", "b"]


@pytest.mark.skipif(not SCORE_PY.exists(), reason="shared/eval/score.py absent")
def test_eval_totals_equal_score_py_on_extract_output(run_cli, tmp_path):
    out = tmp_path / "seed.json"
    result = run_cli("extract", SEED)
    out.write_text(result.stdout, encoding="utf-8")
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"stances": [
        {"country": "ROU", "contribution": "troops", "stance": "ruled_out"},
        {"country": "BGR", "contribution": "troops", "stance": "uncertain"}]}))
    ours = run_cli("eval", gold, out).stdout.strip().splitlines()[-1]
    theirs = subprocess.run([sys.executable, str(SCORE_PY), str(gold), str(out)],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert ours == theirs


def test_eval_jsonl_gold_against_extract_output(run_cli, tmp_path):
    gold = write_jsonl(tmp_path / "gold.jsonl", [
        {"id": "wire-1", "text": ENGLISH_1, "stances": [
            {"country": "ROU", "contribution": "troops", "stance": "ruled_out"}]},
        {"id": "wire-2", "text": ENGLISH_2, "stances": [
            {"country": "GBR", "contribution": "troops", "stance": "leading"}]}])
    extracted = run_cli("extract", gold)
    pred = tmp_path / "pred.json"
    pred.write_text(extracted.stdout, encoding="utf-8")
    result = run_cli("eval", gold, pred)
    assert result.exit_code == 0
    last = result.stdout.strip().splitlines()[-1]
    assert TOTALS.match(last) and last.startswith("documents 2 ")


@pytest.mark.parametrize("which", ["gold", "pred"])
def test_eval_missing_file_is_one_line(run_cli, tmp_path, which):
    gold, pred = _eval_files(tmp_path)
    args = [tmp_path / "nope.json", pred] if which == "gold" else [gold, tmp_path / "nope"]
    result = run_cli("eval", *args)
    assert result.exit_code == 2
    assert "no such file" in stderr_line(result)


def test_eval_malformed_json_is_one_line(run_cli, tmp_path):
    gold, _ = _eval_files(tmp_path)
    pred = tmp_path / "broken.json"
    pred.write_text('{"documents": [', encoding="utf-8")
    result = run_cli("eval", gold, pred)
    assert result.exit_code == 2
    assert "not valid JSON" in stderr_line(result)
