"""Readers chosen by content: sniffing, decoding, feeds, gzip JSONL, folders (no extraction)."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from pledgewatch.errors import InputError
from pledgewatch.ingest.decode import decode_bytes
from pledgewatch.ingest.feed import fragment_text, read_feed
from pledgewatch.ingest.folder import walk_folder
from pledgewatch.ingest.readers import ReadOptions, read_inputs
from pledgewatch.ingest.sniff import declared_charset, sniff
from pledgewatch.model import ReadProblem, SourceDocument

DATA = Path(__file__).parent / "data" / "ingest"
STORY = ("Romania will not send troops to Ukraine, presidential adviser Cristian Diaconescu "
         "said on Monday, adding that Bucharest would support the coalition in other ways.")


def _items(*paths: Path | str, **options) -> list[SourceDocument | ReadProblem]:
    return list(read_inputs([str(p) for p in paths], ReadOptions(**options)))


# --------------------------------------------------------------------------- sniffing

@pytest.mark.parametrize("head,name,kind", [
    (b"%PDF-1.7\n%\xe2\xe3", "report.html", "unsupported"),
    (b"\x89PNG\r\n\x1a\n....", "photo.txt", "unsupported"),
    (b"\x1f\x8b\x08\x00", "dump.jsonl.gz", "gzip"),
    (b'<?xml version="1.0"?>\n<rss version="2.0"><channel>', "feed.txt", "feed"),
    (b'<feed xmlns="http://www.w3.org/2005/Atom">', "", "feed"),
    (b"\xef\xbb\xbf<!DOCTYPE html><html><head>", "page.txt", "html"),
    (b"<p>A fragment saved from a page</p>", "", "html"),
    (b'{"id": "a", "text": "x"}\n', "dump.txt", "jsonl"),
    (b"https://a.example/x\n# comment\n\nhttp://b.example/y?z=1\n", "list.txt", "urls"),
    (b"Romania will not send troops.\n", "page.html", "text"),
])
def test_content_decides_not_the_extension(head, name, kind):
    assert sniff(head, name).kind == kind


def test_claims_are_kept_as_hints():
    assert sniff(b"not xml at all", "news.rss").claimed == "feed"
    assert sniff(b"<html>", "x", "text/html; charset=utf-8").claimed == "html"
    assert sniff(b"x", "dump.jsonl.gz").claimed == "jsonl"


def test_declared_charset_from_meta_and_prolog():
    assert declared_charset(b'<meta http-equiv="Content-Type" '
                            b'content="text/html; charset=ISO-8859-2">') == "iso-8859-2"
    assert declared_charset(b"<meta charset='windows-1252'>") == "windows-1252"
    assert declared_charset(b'<?xml version="1.0" encoding="KOI8-R"?><rss>') == "koi8-r"
    assert declared_charset(b"<p>no declaration</p>") is None


# --------------------------------------------------------------------------- decoding

@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16", "utf-8-sig"])
def test_other_encodings_are_detected(encoding):
    text = "Le café de Bucarest: " + STORY + " « Nous soutenons l’Ukraine », a-t-il dit."
    if encoding in {"cp1252", "latin-1"}:
        text = text.replace("«", '"').replace("»", '"').replace("’", "'")
    assert decode_bytes(text.encode(encoding), "x") == text


def test_a_wrong_declared_charset_loses_to_the_bytes():
    text = "Bucureşti and Kraków: " + STORY
    # declared latin-1 but actually UTF-8: UTF-8 validity wins
    assert decode_bytes(text.encode("utf-8"), "x", "iso-8859-1") == text
    # declared UTF-8 but actually cp1252: detection takes over, nothing is lost
    western = "Café in Paris: " + STORY
    assert decode_bytes(western.encode("cp1252"), "x", "utf-8") == western


def test_noise_bytes_are_refused_not_decoded():
    noise = bytes((i * 37 + 11) % 256 for i in range(6000)).replace(b"\x00", b"\x01")
    with pytest.raises(InputError, match="binary file|cannot tell the text encoding"):
        decode_bytes(noise, "noise.bin")


# --------------------------------------------------------------------------- feeds

def test_rss_entries_are_documents_with_link_date_and_author():
    docs = _items(DATA / "feed-rss.xml")
    assert [d.id for d in docs] == ["wire-2025-0506-01", "wire-2025-0505-07",
                                    "https://wire.example.org/2025/05/weather"]
    first = docs[0]
    assert first.url == "https://wire.example.org/2025/05/romania-troops"
    assert first.date == "2025-05-06" and first.author == "Ana Popescu"
    assert first.title == "Romania Rules Out Troops for Ukraine Mission"
    # content:encoded is preferred over the description; its HTML is flattened, scripts gone
    assert first.text.startswith("Romania Rules Out Troops for Ukraine Mission\n\n"
                                 "BUCHAREST, May 6 (BDW) - Romania will not send troops")
    assert "alert" not in first.text and "<p>" not in first.text
    # entities in an escaped description are decoded
    assert "Bulgaria\u2019s position" in docs[1].text


def test_atom_entries_use_published_then_updated():
    docs = _items(DATA / "feed-atom.xml")
    assert [d.date for d in docs] == ["2025-03-07", "2025-03-05"]
    assert docs[0].url == "https://notes.example.net/2025/03/norway-air-defence"
    assert docs[0].author == "Kari Nordmann"
    assert "Norway will send two NASAMS" in docs[0].text
    assert docs[1].text.endswith("its defence minister said.")


def test_a_feed_that_is_not_xml_is_one_clear_error(tmp_path):
    path = tmp_path / "news.rss"
    path.write_text("Service unavailable, try again later {{{", encoding="utf-8")
    with pytest.raises(InputError, match=r"not a valid RSS or Atom feed \(the content is "
                                         r"plain text\)"):
        _items(path)
    broken = tmp_path / "broken.xml"
    broken.write_text('<?xml version="1.0"?><rss><channel><title>x</ti', encoding="utf-8")
    with pytest.raises(InputError, match="not a valid RSS or Atom feed"):
        _items(broken)


def test_a_truncated_feed_keeps_the_entries_that_parsed():
    data = (DATA / "feed-rss.xml").read_bytes()
    cut = data[:data.index(b"<title>Weather")]
    docs = list(read_feed(cut, "cut.xml"))
    assert [d.id for d in docs][:2] == ["wire-2025-0506-01", "wire-2025-0505-07"]


def test_fragment_text_keeps_blocks_as_lines():
    assert fragment_text("<div><p>One <b>two</b></p><p>three</p><ul><li>four</li></ul>"
                         "<style>p{}</style></div>") == "One two\nthree\nfour"
    assert fragment_text("plain words") == "plain words"


# --------------------------------------------------------------------------- JSONL and gzip

def _jsonl_lines() -> list[bytes]:
    return [json.dumps({"id": "a", "text": STORY, "date": "2025-05-06",
                        "author": "Ana Popescu"}).encode(),
            b'{"id": "broken", "text": ',
            json.dumps({"id": "b", "text": STORY.replace("Romania", "Bulgaria")}).encode()]


def test_gzip_jsonl_streams_and_reports_the_malformed_line(tmp_path):
    path = tmp_path / "dump.jsonl.gz"
    path.write_bytes(gzip.compress(b"\n".join(_jsonl_lines()) + b"\n"))
    items = _items(path)
    assert [type(i).__name__ for i in items] == ["SourceDocument", "ReadProblem",
                                                 "SourceDocument"]
    assert items[0].author == "Ana Popescu" and items[0].date == "2025-05-06"
    assert items[1].id == f"{path}:2" and items[1].reason.startswith("malformed JSON")


def test_truncated_gzip_keeps_the_lines_before_the_damage(tmp_path):
    many = [json.dumps({"id": f"d{i}", "text": f"{STORY} ({i})"}).encode() for i in range(400)]
    data = gzip.compress(b"\n".join(many) + b"\n")
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[:len(data) // 2])
    items = _items(path)
    assert isinstance(items[-1], ReadProblem) and "gzip archive is truncated" in items[-1].reason
    assert len(items) > 10 and all(isinstance(i, SourceDocument) for i in items[:-1])


def test_a_gzipped_page_is_read_as_its_content(tmp_path):
    path = tmp_path / "page.txt.gz"
    path.write_bytes(gzip.compress(STORY.encode()))
    (doc,) = _items(path)
    assert doc.text == STORY


# --------------------------------------------------------------------------- folders

def _mixed_folder(root: Path) -> Path:
    (root / "2025" / "05").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / "a-story.txt").write_text(STORY, encoding="utf-8")
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (root / "2025" / "05" / "feed.xml").write_bytes((DATA / "feed-atom.xml").read_bytes())
    (root / "2025" / "notes.md").write_text("Italy said it would train Ukrainian pilots.",
                                            encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    return root


def test_folder_is_walked_in_a_stable_order_with_per_file_problems(tmp_path):
    items = _items(_mixed_folder(tmp_path))
    summary = [(Path(i.source).name, type(i).__name__) for i in items]
    assert summary == [
        ("a-story.txt", "SourceDocument"), ("empty.txt", "ReadProblem"),
        ("logo.png", "ReadProblem"), ("notes.md", "SourceDocument"),
        ("feed.xml", "SourceDocument"), ("feed.xml", "SourceDocument")]
    assert items[1].reason == "empty input"
    assert items[2].reason.startswith("is a PNG image")


def test_include_and_exclude_globs(tmp_path):
    root = _mixed_folder(tmp_path)
    names = [p.name for p in walk_folder(root, include=["*.txt", "*.xml"],
                                         exclude=["empty.*"])]
    assert names == ["a-story.txt", "feed.xml"]
    assert [p.name for p in walk_folder(root, exclude=["2025"])] == [
        "a-story.txt", "empty.txt", "logo.png"]
    assert [p.name for p in walk_folder(root, include=["2025/*/*.xml"])] == ["feed.xml"]


def test_a_pdf_renamed_html_is_refused_by_content(tmp_path):
    path = tmp_path / "report.html"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    with pytest.raises(InputError, match=r"report.html: is a PDF document, not text"):
        _items(path)


def test_a_url_list_given_as_a_file_says_to_use_urls(tmp_path):
    path = tmp_path / "urls.txt"
    path.write_text("https://a.example/one\nhttps://b.example/two\n", encoding="utf-8")
    with pytest.raises(InputError, match="--urls"):
        _items(path)
