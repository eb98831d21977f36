"""The dashboard's pages, rendered in-process (TestClient) on a store holding the seed page:
every page renders with the CSP, the seed board shows (Romania ruled out for troops), article
text is escaped everywhere, uploads need the token, and errors are HTML pages (SQLite and
PostgreSQL)."""
from __future__ import annotations

import re

import pytest
from conftest import SEED
from fastapi.testclient import TestClient

from pledgewatch.web.app import CSP, create_app

TOKEN = "page-test-token"
HOSTILE = ("Hostile page\n\nRomania will not send troops <img src=x onerror=\"window.__pwned=1\"> "
           "to Ukraine, the defence minister said. Greece has ruled out sending peacekeepers "
           "<a href=\"javascript:window.__pwned=1\">click</a> to Ukraine. Portugal will send "
           "troops to Ukraine </script><script>window.__pwned=1</script> said the prime "
           "minister.")
NORWAY = ("Norway will send two air defence systems to Ukraine, Prime Minister Jonas Gahr Store "
          "said.")


@pytest.fixture
def client(db_url, run_cli):
    assert run_cli("ingest", SEED, "--db", db_url).exit_code == 0
    with TestClient(create_app(db_url, TOKEN)) as test_client:
        yield test_client


def _document_id(client: TestClient) -> str:
    return client.get("/api/documents").json()["documents"][0]["id"]


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every element a browser would build from `html`: (tag, attributes)."""
    from html.parser import HTMLParser

    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found


def _main(html: str) -> str:
    """The page's main content, without the dashboard's JSON data block."""
    main = html[html.index("<main>"):html.index("</main>")]
    return re.sub(r'<script type="application/json" id="map-data">.*?</script>', "", main,
                  flags=re.S)


def test_every_page_renders_with_the_csp(client):
    doc = _document_id(client)
    for path in ("/", "/?contribution=peacekeeping", "/country/ROU", f"/document/{doc}",
                 "/search?q=peacekeeping", "/search", "/upload"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html"), path
        assert response.headers["content-security-policy"] == CSP, path
        html = response.text
        # Navigation on every page; no inline script, style or event handler anywhere.
        assert 'href="/upload"' in html and 'action="/search"' in html, path
        assert "<style" not in html and " style=" not in html, path
        assert not re.search(r"<script(?![^>]*\b(src=|type=\"application/json\"))", html), path
        assert not re.search(r"\son[a-z]+=", html), path


def test_dashboard_marks_romania_ruled_out_for_troops(client):
    html = client.get("/").text
    assert '<option value="troops" selected>' in html
    cell = re.search(r'<td class="cell stance-ruled_out[^"]*" data-country="ROU" '
                     r'data-contribution="troops" data-stance="ruled_out">(.*?)</td>', html, re.S)
    assert cell and "ruled out" in cell.group(1)
    assert re.search(r'href="/document/[0-9a-f]{64}#stance-\d+"', cell.group(1))
    # The map's data block carries the same board; the legend names every stance.
    assert '"ROU": {"contribution": "troops"' in html or '"ROU":' in html
    for stance in ("committed", "leading", "conditional", "considering", "not ruled out",
                   "uncertain", "reconsidering", "ruled out", "no statement"):
        assert f'<span class="legend-name">{stance}</span>' in html
    assert 'data-country="GBR" data-contribution="peacekeeping" data-stance="leading"' in html
    assert "/static/dashboard.js" in html and "/static/vendor/d3-geo.min.js" in html


def test_dashboard_contribution_and_bad_parameters(client):
    html = client.get("/", params={"contribution": "peacekeeping"}).text
    assert '<option value="peacekeeping" selected>' in html
    # A mangled link shows today's board rather than an error.
    for params in ({"contribution": "tanks"}, {"as_of": "March"}, {"as_of": "2025-02-30"}):
        response = client.get("/", params=params)
        assert response.status_code == 200
        assert 'data-country="ROU" data-contribution="troops" data-stance="ruled_out"' in \
            response.text


def test_dashboard_as_of_replays_the_board(client):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    assert client.post("/api/ingest", json={"text": NORWAY, "date": "2025-03-07"},
                       headers=headers).status_code == 201
    later = client.get("/").text
    assert 'data-country="NOR" data-contribution="air_defence"' in later
    assert 'id="date-slider"' in later and "2025-03-07" in later
    before = client.get("/", params={"as_of": "2025-03-01"}).text
    # Norway's row is still listed (it was stated about later) but the cell is empty then.
    assert re.search(r'<td class="cell empty[^"]*" data-country="NOR" '
                     r'data-contribution="air_defence" data-stance="none">', before)
    assert "as of 2025-03-01" in before


def test_country_page_shows_positions_and_quotes(client):
    html = client.get("/country/rou").text
    assert "<h1>Romania" in html
    assert 'id="troops" data-contribution="troops" data-stance="ruled_out"' in html
    assert "Cristian Diaconescu" in html
    assert "it will not send soldiers" in html
    assert 'id="timeline-troops"' in html
    assert client.get("/country/BGR").status_code == 200
    empty = client.get("/country/BRA")
    assert empty.status_code == 200 and "No statements about" in empty.text


def test_document_page_highlights_every_span(client):
    doc = _document_id(client)
    html = client.get(f"/document/{doc}").text
    document = client.get(f"/api/documents/{doc}").json()
    for stance in document["stances"]:
        assert f'id="stance-{stance["id"]}"' in html
    marks = re.findall(r"<mark[^>]*>(.*?)</mark>", html, re.S)
    assert marks and "Romania has joined the so-called" in "".join(marks).replace("&#34;", '"')
    # The teasers are shown as segments of their own.
    assert html.count('data-kind="teaser"') == 6 and 'data-kind="article"' in html
    assert "Putin Declares Temporary" in html
    assert "examples/coalition-page.txt" in html


def test_document_highlight_pieces_rebuild_the_text():
    from pledgewatch.web.pages import _blocks

    document = {"text": "A <b>1</b> and B. Tail", "segments": [
        {"index": 0, "kind": "article", "title": None, "start": 0, "end": 16}]}
    blocks = _blocks(document, [(2, 10, "s1"), (6, 16, "s2")])
    rebuilt = "".join(p["text"] for b in blocks for p in b["pieces"])
    assert rebuilt == document["text"]
    marked = [(p["text"], p["anchors"], p["ids"]) for b in blocks for p in b["pieces"]
              if p["anchors"]]
    assert marked == [("<b>1", ["s1"], ["s1-text"]), ("</b>", ["s1", "s2"], ["s2-text"]),
                      (" and B", ["s2"], [])]


def test_search_page_highlights_hits(client):
    html = client.get("/search", params={"q": "peacekeeping"}).text
    assert "1 document match" in html
    assert re.search(r"<mark>peacekeeping</mark>", html, re.I)
    nothing = client.get("/search", params={"q": "zzzzqqq"}).text
    assert "0 documents match" in nothing
    injected = client.get("/search", params={"q": '<script>alert(1)</script>'})
    assert injected.status_code == 200 and "<script>alert(1)" not in injected.text
    assert "&lt;script&gt;alert(1)" in injected.text
    assert client.get("/search", params={"q": "x" * 5000}).status_code == 200


def test_error_pages_are_html(client):
    for path in ("/nowhere", "/country/XXX", "/document/0123"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["content-security-policy"] == CSP
        assert "404" in response.text and 'role="alert"' in response.text
    assert client.get("/api/nowhere").headers["content-type"].startswith("application/json")


def test_upload_needs_the_token(client):
    for data in ({"text": NORWAY}, {"text": NORWAY, "token": "wrong"},
                 {"text": NORWAY, "token": ""}):
        response = client.post("/upload", data=data, files={"unused": ("x", b"")})
        assert response.status_code == 401
        assert "Upload refused: the token is missing or wrong" in response.text
        assert "nothing was read or stored" in response.text
    assert client.get("/api/documents").json()["total"] == 1


def test_upload_with_the_token_redirects_to_the_document(client):
    response = client.post("/upload", data={"text": NORWAY, "token": TOKEN, "title": "Norway",
                                            "date": "2025-03-07"},
                           files={"unused": ("x", b"")}, follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    assert re.fullmatch(r"/document/[0-9a-f]{64}", location)
    page = client.get(location).text
    assert "Norway" in page and "<mark" in page
    assert client.get("/api/documents").json()["total"] == 2
    again = client.post("/upload", data={"text": NORWAY, "token": TOKEN},
                        files={"unused": ("x", b"")}, follow_redirects=False)
    assert again.headers["location"] == location + "?upload=known"
    assert "already stored" in client.get(again.headers["location"]).text


def test_upload_bad_input_shows_the_form_again(client):
    response = client.post("/upload", data={"text": "", "token": TOKEN},
                           files={"unused": ("x", b"")})
    assert response.status_code == 422
    assert "give exactly one of text, html or url" in response.text
    bad_date = client.post("/upload", data={"text": NORWAY, "token": TOKEN,
                                            "date": "2025-02-30"}, files={"unused": ("x", b"")})
    assert bad_date.status_code == 422 and "not a valid date" in bad_date.text
    assert NORWAY in bad_date.text  # what was typed is kept


def test_read_only_server_says_so(db_url, run_cli):
    run_cli("ingest", SEED, "--db", db_url)
    with TestClient(create_app(db_url, None)) as client:
        assert "This server is read-only" in client.get("/upload").text
        response = client.post("/upload", data={"text": NORWAY, "token": "x"},
                               files={"unused": ("x", b"")})
        assert response.status_code == 403 and "writes are disabled" in response.text


def test_hostile_text_is_shown_as_text(client):
    response = client.post("/upload", data={"text": HOSTILE, "token": TOKEN,
                                            "date": "2025-03-10"},
                           files={"unused": ("x", b"")}, follow_redirects=False)
    assert response.status_code == 303
    pages = {"document": client.get(response.headers["location"]).text,
             "dashboard": client.get("/").text,
             "peacekeeping": client.get("/?contribution=peacekeeping").text,
             "country": client.get("/country/ROU").text,
             "search": client.get("/search", params={"q": "defence minister"}).text}
    for name, html in pages.items():
        tags = _tags(_main(html))
        assert not [t for t, _ in tags if t in {"img", "script", "iframe", "object"}], name
        for tag, attributes in tags:
            for key, value in attributes:
                assert not key.startswith("on"), (name, tag, key)
                if key in {"href", "src", "action"}:
                    assert not (value or "").strip().lower().startswith("javascript"), name
    assert "&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;" in pages["document"]
    assert "&lt;/script&gt;&lt;script&gt;" in pages["document"]
    assert "&lt;a href=&#34;javascript:window.__pwned=1&#34;&gt;" in pages["country"] or \
        "javascript" not in pages["country"]
    # The JSON block under the map cannot be closed by evidence text.
    block = re.search(r'<script type="application/json" id="map-data">(.*?)</script>',
                      pages["dashboard"], re.S).group(1)
    assert "<" not in block and ">" not in block
