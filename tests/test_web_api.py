"""The HTTP API on a store holding the seed page: reads, filters, pagination, search, the
documented schema, the token on writes, size caps and JSON errors (SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest
from conftest import SEED
from fastapi.testclient import TestClient

from pledgewatch.web.app import CSP, create_app

TOKEN = "s3cret-token-for-tests"


@pytest.fixture
def client(db_url, run_cli):
    assert run_cli("ingest", SEED, "--db", db_url).exit_code == 0
    app = create_app(db_url, TOKEN)
    with TestClient(app) as test_client:
        yield test_client


def test_board_endpoint_gives_the_seed_board(client):
    response = client.get("/api/board")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == CSP
    board = {(e["country"], e["contribution"]): e for e in response.json()["board"]}
    assert board[("ROU", "troops")]["stance"] == "ruled_out"
    assert board[("GBR", "troops")]["stance"] == "reconsidering"
    only = client.get("/api/board", params={"contribution": "peacekeeping",
                                            "country": "FRA"}).json()["board"]
    assert [(e["country"], e["stance"]) for e in only] == [("FRA", "leading")]


def test_stances_filters_and_pagination(client):
    everything = client.get("/api/stances", params={"limit": 500}).json()
    assert everything["total"] == len(everything["stances"]) == 19
    page = client.get("/api/stances", params={"limit": 5, "offset": 5}).json()
    assert page["total"] == 19 and len(page["stances"]) == 5
    assert [s["id"] for s in page["stances"]] == [s["id"] for s in everything["stances"][5:10]]
    refusals = client.get("/api/stances", params={"stance": "ruled_out"}).json()["stances"]
    assert refusals and {s["country"] for s in refusals} == {"ROU"}
    by_source = client.get("/api/stances", params={"source": "coalition-page",
                                                   "country": "BGR"}).json()
    assert by_source["total"] == 2
    assert client.get("/api/stances", params={"source": "nowhere%"}).json()["total"] == 0
    assert client.get("/api/stances", params={"phase": "delivered"}).json()["total"] >= 1


@pytest.mark.parametrize("params", [{"contribution": "tanks"}, {"country": "romania"},
                                    {"date_from": "March 1"}, {"limit": 0}, {"limit": 10**6}])
def test_bad_parameters_are_json_errors(client, params):
    response = client.get("/api/stances", params=params)
    assert response.status_code == 422
    assert set(response.json()) == {"error"} and response.json()["error"]


def test_history_documents_and_spans(client):
    history = client.get("/api/countries/rou/history").json()
    assert history["country"] == "ROU" and history["history"]["troops"][0]["stance"] == \
        "ruled_out"
    assert client.get("/api/countries/XXX/history").status_code == 404
    documents = client.get("/api/documents").json()
    assert documents["total"] == 1
    doc_id = documents["documents"][0]["id"]
    document = client.get(f"/api/documents/{doc_id}").json()
    assert len(document["segments"]) == 7 and len(document["stances"]) == 19
    for stance in document["stances"]:
        start, end = stance["span"]
        assert document["text"][start:end] == stance["evidence"]
    missing = client.get("/api/documents/nope")
    assert missing.status_code == 404 and missing.json() == {"error": "no document 'nope'"}


def test_search(client):
    found = client.get("/api/search", params={"q": "peacekeeping"}).json()
    assert found["total"] == 1
    hit = found["results"][0]
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end].lower() == "peacekeeping"
    assert client.get("/api/search", params={"q": '"; DROP TABLE documents; --'}
                      ).json()["total"] == 0
    assert client.get("/api/search", params={"q": "NEAR(x y) OR *"}).status_code == 200
    assert client.get("/api/documents").json()["total"] == 1


def test_countries_carry_iso_numeric_codes(client):
    countries = {c["code"]: c for c in client.get("/api/countries").json()}
    assert countries["ROU"]["numeric"] == "642" and countries["NATO"]["numeric"] is None


def test_openapi_documents_every_route(client):
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/board", "/api/stances", "/api/countries/{code}/history", "/api/documents",
            "/api/documents/{document_id}", "/api/events", "/api/search",
            "/api/ingest"} <= paths
    assert "requestBody" in schema["paths"]["/api/ingest"]["post"]


PAGE = "Norway will send two air defence systems to Ukraine, Prime Minister Jonas Gahr Store said."


def test_ingest_needs_the_token(client):
    assert client.post("/api/ingest", json={"text": PAGE}).status_code == 401
    wrong = client.post("/api/ingest", json={"text": PAGE},
                        headers={"Authorization": "Bearer wrong"})
    assert wrong.status_code == 401 and wrong.json()["error"].startswith("a valid bearer")
    assert client.post("/api/ingest", json={"text": PAGE},
                       headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    assert client.get("/api/documents").json()["total"] == 1  # nothing was stored


def test_ingest_with_the_token(client):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    created = client.post("/api/ingest", json={"text": PAGE, "date": "2025-03-07",
                                               "title": "Norway"}, headers=headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "new" and body["stances"] >= 1
    board = {(e["country"], e["contribution"]): e
             for e in client.get("/api/board").json()["board"]}
    assert board[("NOR", "air_defence")]["date"] == "2025-03-07"
    again = client.post("/api/ingest", json={"text": PAGE}, headers=headers).json()
    assert again["status"] == "known" and again["document_id"] == body["document_id"]
    html = client.post("/api/ingest", headers=headers, json={
        "html": "<html><body><article><h1>Sweden Joins</h1><p>Sweden will send troops to "
                "Ukraine, Prime Minister Ulf Kristersson said.</p></article></body></html>"})
    assert html.status_code == 201 and html.json()["stances"] >= 1


@pytest.mark.parametrize("payload,message", [
    ({}, "give exactly one of text, html or url"),
    ({"text": "x", "url": "https://a.example/"}, "give exactly one"),
    ({"url": "ftp://a.example/x"}, "only http and https"),
    ({"text": "Romania will not send troops.", "date": "2025-02-30"}, "not a valid date"),
    ({"html": "%PDF-1.4"}, "is a PDF document"),
])
def test_ingest_bad_input_is_a_json_error(client, payload, message):
    response = client.post("/api/ingest", json=payload,
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 422
    assert message in response.json()["error"]


def test_request_bodies_are_capped(client):
    huge = "a" * (6 * 1024 * 1024)
    response = client.post("/api/ingest", content=huge,
                           headers={"Authorization": f"Bearer {TOKEN}",
                                    "Content-Type": "application/json"})
    assert response.status_code == 413 and "larger than 5 MB" in response.json()["error"]
    assert response.headers["content-security-policy"] == CSP

    def chunks():
        for _ in range(7):
            yield b"a" * (1024 * 1024)

    chunked = client.post("/api/ingest", content=chunks(),
                          headers={"Authorization": f"Bearer {TOKEN}",
                                   "Content-Type": "application/json"})
    assert chunked.status_code == 413


def test_read_only_server_refuses_writes(db_url, run_cli):
    run_cli("ingest", SEED, "--db", db_url)
    with TestClient(create_app(db_url, None)) as client:
        response = client.post("/api/ingest", json={"text": PAGE},
                               headers={"Authorization": "Bearer anything"})
    assert response.status_code == 403 and "writes are disabled" in response.json()["error"]
