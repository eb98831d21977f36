"""`extract` over real-shaped sources: folders, feeds, URLs and URL lists served from
127.0.0.1, duplicates, dates, and bad items that fail one by one while the batch goes on."""
from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from conftest import WIRE, documents, summary_line
from localserver import Route, local_server

DATA = Path(__file__).parent / "data" / "ingest"

@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                 "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def _keys(doc: dict) -> set[tuple[str, str, str]]:
    return {(s["country"], s["contribution"], s["stance"]) for s in doc["stances"]}


# --------------------------------------------------------------------------- folders

def test_folder_with_a_binary_file_goes_on_and_counts_the_failure(run_cli, tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "romania.txt").write_text(WIRE, encoding="utf-8")
    (tmp_path / "news" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8)
    shutil.copy(DATA / "feed-atom.xml", tmp_path / "news" / "nordic.xml")
    result = run_cli("extract", tmp_path / "news")
    assert result.exit_code == 1  # one item failed
    docs = documents(result)
    assert [Path(d["source"]).name for d in docs] == [
        "nordic.xml", "nordic.xml", "photo.jpg", "romania.txt"]
    assert docs[2]["skipped"].startswith("is a JPEG image")
    assert ("ROU", "troops", "ruled_out") in _keys(docs[3])
    assert ("NOR", "air_defence", "committed") in _keys(docs[0])
    summary = summary_line(result)
    assert "4 items read: 3 extracted, 0 duplicates, 0 skipped, 1 failed" in summary
    assert "is a JPEG image, not text, HTML, a feed or JSONL: 1" in summary


def test_include_glob_limits_the_folder(run_cli, tmp_path):
    (tmp_path / "a.txt").write_text(WIRE, encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>" + WIRE + "</p>", encoding="utf-8")
    result = run_cli("extract", tmp_path, "--include", "*.txt")
    assert result.exit_code == 0
    assert [d["id"] for d in documents(result)] == ["a"]


# --------------------------------------------------------------------------- feeds and HTML

def test_rss_feed_entries_carry_their_link_and_date(run_cli):
    result = run_cli("extract", DATA / "feed-rss.xml")
    assert result.exit_code == 0
    docs = documents(result)
    assert len(docs) == 3
    romania = docs[0]
    assert romania["url"] == "https://wire.example.org/2025/05/romania-troops"
    assert romania["published"] == "2025-05-06" and romania["author"] == "Ana Popescu"
    troops = [s for s in romania["stances"] if s["contribution"] == "troops"]
    assert troops and troops[0]["country"] == "ROU" and troops[0]["stance"] == "ruled_out"
    # "said on Monday" in a Tuesday entry (the dateline says May 6): Monday May 5
    assert troops[0]["date"] == "2025-05-05"


def test_html_page_is_segmented_and_dated(run_cli):
    result = run_cli("extract", DATA / "page-coalition.html")
    assert result.exit_code == 0
    (doc,) = documents(result)
    assert doc["published"] == "2025-03-06"
    assert doc["url"].startswith("https://news.example.org/")
    kinds = [s["kind"] for s in doc["segments"]]
    assert kinds[0] == "article" and kinds.count("teaser") >= 3
    assert doc["stances"], "the article names committed and refusing countries"
    assert {s["date"] for s in doc["stances"]} <= {"2025-03-06", "2025-03-05", "2025-03-04"}


def test_curly_and_straight_quotes_find_the_same_records(run_cli, tmp_path):
    curly = ("Romania\u2019s president said: \u201cWe will not send troops to Ukraine.\u201d "
             "Britain\u2019s prime minister said the UK would lead the peacekeeping force "
             "\u2013 with France \u2013 and Poland\u2019s minister ruled out sending soldiers.")
    straight = curly.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"') \
        .replace("\u2013", "-")
    (tmp_path / "curly.txt").write_text(curly, encoding="utf-8")
    (tmp_path / "straight.txt").write_text(straight, encoding="utf-8")
    result = run_cli("extract", tmp_path / "curly.txt", tmp_path / "straight.txt",
                     "--keep-duplicates")
    docs = documents(result)
    assert docs[0]["fingerprint"] == docs[1]["fingerprint"]
    assert _keys(docs[0]) == _keys(docs[1]) and _keys(docs[0])
    assert [(s["start"], s["end"]) for s in docs[0]["stances"]] == \
        [(s["start"], s["end"]) for s in docs[1]["stances"]]


# --------------------------------------------------------------------------- duplicates

def _syndicated(site: str, headline: str) -> str:
    return (f"{headline}\n\n{WIRE}\n\n{site} contributed reporting. Read more on {site}.com")


def test_a_syndicated_story_is_one_story_with_several_sources(run_cli, tmp_path):
    copies = {"a-ledger.txt": _syndicated("Ledger", "Romania Rules Out Troops"),
              "b-herald.txt": _syndicated("Herald", "Romania Says No Soldiers for Ukraine"),
              "c-ledger-again.txt": _syndicated("Ledger", "Romania Rules Out Troops"),
              "d-other.txt": "Norway will send two air defence systems to Ukraine, Prime "
                             "Minister Jonas Gahr Store said on Thursday in Oslo."}
    for name, text in copies.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = run_cli("extract", tmp_path)
    assert result.exit_code == 0
    docs = documents(result)
    assert [d.get("duplicate_of") for d in docs] == [None, "a-ledger", "a-ledger", None]
    assert docs[1]["stances"] == [] and docs[1]["source"].endswith("b-herald.txt")
    assert "4 items read: 2 extracted, 2 duplicates" in summary_line(result)
    kept = documents(run_cli("extract", tmp_path, "--keep-duplicates"))
    assert all("duplicate_of" not in d for d in kept) and all(d["stances"] for d in kept)


# --------------------------------------------------------------------------- URLs

def _page(body: str) -> bytes:
    return (f"<!DOCTYPE html><html><head><title>Romania Rules Out Troops</title></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article>"
            f"<h1>Romania Rules Out Troops</h1><p>{body}</p></article>"
            f"<footer>Copyright 2025 The Ledger. All rights reserved.</footer></body></html>"
            ).encode("utf-8")


def test_url_is_fetched_and_extracted(run_cli):
    with local_server({"/story": (200, {"Content-Type": "text/html; charset=utf-8"},
                                  _page(WIRE)),
                       "/old": Route.redirect("/story")}) as server:
        result = run_cli("extract", server.url("/old"), "--date", "2025-03-06")
        agent = server.requests[-1].headers["User-Agent"]
    assert result.exit_code == 0, result.stderr
    (doc,) = documents(result)
    assert doc["url"] == server.url("/story")  # where the redirect led
    assert ("ROU", "troops", "ruled_out") in _keys(doc)
    assert "Copyright" not in json.dumps(doc["stances"])
    assert agent.startswith("pledgewatch/")


def test_bad_urls_fail_one_by_one_and_the_summary_says_why(run_cli, tmp_path):
    latin = _page("Le café: " + WIRE).decode("utf-8").encode("cp1252")
    routes = {
        "/good": (200, {"Content-Type": "text/html"}, _page(WIRE)),
        "/loop": Route.redirect("/loop"),
        "/silent": Route(body=b"never", delay=30.0),
        "/gone": (404, {"Content-Type": "text/html"}, b"<p>Not here</p>"),
        "/huge": Route.huge(50 * 1024 * 1024),
        "/lying-charset": (200, {"Content-Type": "text/html; charset=utf-8"}, latin),
        "/pdf": (200, {"Content-Type": "text/html"}, b"%PDF-1.4\n%%EOF\n"),
        "/feed": (200, {"Content-Type": "application/rss+xml"},
                  b"<html><body>Service unavailable</body></html>"),
    }
    with local_server(routes) as server:
        listing = tmp_path / "urls.txt"
        listing.write_text("# today's reading\n" + "\n".join(
            server.url(path) for path in routes) + "\nnot-a-url\n", encoding="utf-8")
        result = run_cli("extract", "--urls", listing, "--timeout", "1", "--keep-duplicates")
    assert result.exit_code == 1
    docs = documents(result)
    reasons = [d.get("skipped") for d in docs]
    assert reasons[0] is None and reasons[5] is None  # good page; lying charset decoded
    assert ("ROU", "troops", "ruled_out") in _keys(docs[5])
    assert reasons[1] == "too many redirects (more than 5)"
    assert reasons[2].startswith("timed out after 1")
    assert reasons[3] == "HTTP 404 Not Found"
    assert reasons[4].startswith("larger than 20 MB")
    assert reasons[6].startswith("is a PDF document")
    assert reasons[7].startswith("not a valid RSS or Atom feed")
    assert reasons[8] == "not an http(s) URL"
    summary = summary_line(result)
    assert "9 items read: 2 extracted, 0 duplicates, 0 skipped, 7 failed" in summary
    assert "too many redirects: 1" in summary and "HTTP N Not Found: 1" in summary


# --------------------------------------------------------------------------- other inputs

def test_gzip_jsonl_dump_with_a_malformed_line(run_cli, tmp_path):
    path = tmp_path / "dump.jsonl.gz"
    lines = [json.dumps({"id": "one", "text": WIRE, "date": "2025-03-06"}),
             '{"id": "two", "text": ',
             json.dumps({"id": "three", "text": WIRE.replace("Romania", "Moldova"),
                         "date": "2025-03-06"})]
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    result = run_cli("extract", path)
    assert result.exit_code == 1  # one line failed, the others were extracted
    docs = documents(result)
    assert [d["id"] for d in docs] == ["one", f"{path}:2", "three"]
    assert docs[1]["skipped"].startswith("malformed JSON")
    date = {s["date"] for s in docs[0]["stances"] if s["country"] == "ROU"}
    assert date == {"2025-03-05"}  # the dateline's March 5 (and "on Wednesday")


def test_pdf_renamed_html_is_one_error_line(run_cli, tmp_path):
    path = tmp_path / "report.html"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n")
    result = run_cli("extract", path)
    assert result.exit_code == 2
    assert f"pledgewatch: error: {path}: is a PDF document" in result.stderr
    assert documents(result)[0]["skipped"].startswith("is a PDF document")
