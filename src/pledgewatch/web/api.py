"""The JSON API: the board, stances, histories, documents, events, search, and ingest.

Reads are open and paginated; `POST /api/ingest` needs the operator's bearer token. Every
response model is declared, so `/api/openapi.json` documents the API exactly.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from pledgewatch.board import Statement, history, resolve
from pledgewatch.errors import InputError
from pledgewatch.model import CONTRIBUTIONS, PHASES, STANCES
from pledgewatch.store import queries
from pledgewatch.store.records import Store
from pledgewatch.web.app import check_token

router = APIRouter(prefix="/api", tags=["api"])

Contribution = Literal[CONTRIBUTIONS]  # type: ignore[valid-type]
StanceName = Literal[STANCES]  # type: ignore[valid-type]
PhaseName = Literal[PHASES]  # type: ignore[valid-type]
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
COUNTRY = r"^[A-Z]{3,4}$"


def _store(request: Request) -> Store:
    return request.app.state.store


# --------------------------------------------------------------------------- models

class BoardEntryOut(BaseModel):
    country: str
    contribution: str
    stance: str
    phase: str
    date: Optional[str]
    sources: int
    statements: int
    speaker: Optional[str]
    speaker_role: Optional[str]
    evidence: str
    quantity: Optional[str]
    url: Optional[str]
    source: Optional[str]
    document_id: str
    disputed: bool
    other_stances: list[str]
    stance_id: Optional[int] = Field(None, description="the stored stance shown")


class BoardOut(BaseModel):
    as_of: Optional[str]
    board: list[BoardEntryOut]


class StanceOut(BaseModel):
    id: int
    document_id: str
    segment: int
    country: str
    contribution: str
    stance: str
    phase: str
    quantity: Optional[str]
    quantity_value: Optional[float]
    quantity_unit: Optional[str]
    target: str
    speaker: Optional[str]
    speaker_role: Optional[str]
    date: Optional[str] = Field(description="the date the sentence implies, else the "
                                            "document's")
    evidence: str
    start: int = Field(description="offset of the evidence in its segment's text")
    end: int
    confidence: float
    title: Optional[str]
    published: Optional[str]
    url: Optional[str]


class Page(BaseModel):
    total: int
    limit: int
    offset: int


class StancePage(Page):
    stances: list[StanceOut]


class ChangeOut(BaseModel):
    contribution: str
    date: Optional[str]
    stance: str
    previous: Optional[str]
    phase: str
    speaker: Optional[str]
    evidence: str
    url: Optional[str]
    source: Optional[str]
    statements: int


class HistoryOut(BaseModel):
    country: str
    history: dict[str, list[ChangeOut]]


class DocumentSummary(BaseModel):
    id: str
    title: Optional[str]
    published: Optional[str]
    status: str
    duplicate_of: Optional[str]
    ingested_at: str
    stances: int
    source: Optional[str]
    url: Optional[str]


class DocumentPage(Page):
    documents: list[DocumentSummary]


class DocumentOut(BaseModel):
    id: str
    title: Optional[str]
    published: Optional[str]
    author: Optional[str]
    text: str
    status: str
    skip_reason: Optional[str]
    duplicate_of: Optional[str]
    similarity: Optional[float]
    ingested_at: str
    segments: list[dict[str, Any]]
    stances: list[dict[str, Any]] = Field(
        description="each with `span`: [start, end] of its evidence in the document text")
    events: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    copies: list[dict[str, Any]] = Field(description="near-duplicates of this document")


class EventPage(Page):
    events: list[dict[str, Any]]


class SearchHit(BaseModel):
    id: str
    title: Optional[str]
    published: Optional[str]
    status: str
    snippet: str
    highlights: list[list[int]] = Field(description="[start, end] of each hit in `snippet`")


class SearchPage(Page):
    query: str
    results: list[SearchHit]


class CountryOut(BaseModel):
    code: str
    numeric: Optional[str] = Field(description="ISO 3166 numeric (the map's ids)")
    name: str
    kind: str


class IngestIn(BaseModel):
    """One page to ingest: exactly one of text, html or url."""

    text: Optional[str] = Field(None, max_length=2_000_000)
    html: Optional[str] = Field(None, max_length=4_000_000)
    url: Optional[str] = Field(None, max_length=2048)
    title: Optional[str] = Field(None, max_length=500)
    date: Optional[str] = Field(None, pattern=ISO_DATE)
    name: str = Field("api", max_length=200, description="where it came from (for sources)")


class IngestOut(BaseModel):
    document_id: str
    status: Literal["new", "known", "skipped"]
    stances: int
    title: Optional[str]
    reason: Optional[str]
    documents: int


# --------------------------------------------------------------------------- routes

@router.get("/board", response_model=BoardOut, summary="Current stance per country and "
                                                       "contribution")
def get_board(store: Store = Depends(_store),
              contribution: Optional[Contribution] = None,
              country: Optional[str] = Query(None, pattern=COUNTRY),
              as_of: Optional[str] = Query(None, pattern=ISO_DATE,
                                           description="replay the board at this date")):
    """The most recent dated statement per (country, contribution), with its sources,
    speaker, evidence and a `disputed` flag (see docs/store.md)."""
    entries = resolve(Statement.from_row(row) for row in store.stance_rows(
        country=country, contribution=contribution, as_of=as_of))
    return {"as_of": as_of, "board": [e.to_dict() for e in entries]}


@router.get("/stances", response_model=StancePage, summary="Stance records, filtered")
def get_stances(store: Store = Depends(_store),
                country: Optional[str] = Query(None, pattern=COUNTRY),
                contribution: Optional[Contribution] = None,
                stance: Optional[StanceName] = None,
                phase: Optional[PhaseName] = None,
                date_from: Optional[str] = Query(None, pattern=ISO_DATE),
                date_to: Optional[str] = Query(None, pattern=ISO_DATE),
                source: Optional[str] = Query(None, max_length=500,
                                              description="part of a source path or URL"),
                document: Optional[str] = Query(None, max_length=64),
                limit: int = Query(50, ge=1, le=queries.MAX_PAGE),
                offset: int = Query(0, ge=0)):
    total, rows = queries.stances(store, queries.StanceFilter(
        country, contribution, stance, phase, date_from, date_to, source, document),
        limit=limit, offset=offset)
    for row in rows:
        row["date"] = row.pop("when")
    return {"total": total, "limit": limit, "offset": offset, "stances": rows}


@router.get("/countries", response_model=list[CountryOut], summary="Known countries")
def get_countries():
    """The gazetteer's states and organisations, with ISO numeric codes for the map."""
    return _countries()


@lru_cache(maxsize=1)
def _countries() -> list[dict[str, Any]]:
    import pycountry

    from pledgewatch.lexicons import countries

    out = []
    for entry in countries():
        iso = pycountry.countries.get(alpha_3=entry.code) if entry.kind == "state" else None
        out.append({"code": entry.code, "numeric": iso.numeric if iso else None,
                    "name": entry.name, "kind": entry.kind})
    return out


@router.get("/countries/{code}/history", response_model=HistoryOut,
            summary="A country's positions over time")
def get_history(code: str, store: Store = Depends(_store),
                contribution: Optional[Contribution] = None):
    code = code.upper()
    if not any(c["code"] == code for c in _countries()):
        raise HTTPException(404, f"unknown country {code!r}")
    timeline = history(Statement.from_row(row) for row in store.stance_rows(
        country=code, contribution=contribution))
    return {"country": code, "history": {k: [c.to_dict() for c in v]
                                         for k, v in timeline.items()}}


@router.get("/documents", response_model=DocumentPage, summary="Stored documents")
def get_documents(store: Store = Depends(_store), limit: int = Query(50, ge=1, le=500),
                  offset: int = Query(0, ge=0)):
    total, rows = queries.documents(store, limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "documents": rows}


@router.get("/documents/{document_id}", response_model=DocumentOut,
            summary="A document with its segments and evidence spans")
def get_document(document_id: str, store: Store = Depends(_store)):
    document = queries.document(store, document_id[:64])
    if document is None:
        raise HTTPException(404, f"no document {document_id[:64]!r}")
    starts = {s["index"]: s["start"] for s in document["segments"]}
    for stance in document["stances"]:
        base = starts.get(stance["segment"], 0)
        stance["span"] = [base + stance["start"], base + stance["end"]]
    return document


@router.get("/events", response_model=EventPage, summary="PLOVER events")
def get_events(store: Store = Depends(_store), limit: int = Query(50, ge=1, le=500),
               offset: int = Query(0, ge=0)):
    rows = list(store.event_rows())
    return {"total": len(rows), "limit": limit, "offset": offset,
            "events": rows[offset:offset + limit]}


@router.get("/search", response_model=SearchPage, summary="Full-text search over documents")
def get_search(q: str = Query(..., min_length=1, max_length=200),
               store: Store = Depends(_store), limit: int = Query(20, ge=1, le=100),
               offset: int = Query(0, ge=0)):
    total, rows = queries.search(store, q, limit=limit, offset=offset)
    results = []
    for row in rows:
        snippet, highlights = "", []
        for piece, hit in queries.split_snippet(row["snippet"]):
            if hit:
                highlights.append([len(snippet), len(snippet) + len(piece)])
            snippet += piece
        results.append({**row, "snippet": snippet, "highlights": highlights})
    return {"query": q, "total": total, "limit": limit, "offset": offset, "results": results}


@router.post("/ingest", response_model=IngestOut, status_code=201,
             summary="Ingest one page (bearer token required)",
             responses={401: {"description": "no or wrong token"},
                        403: {"description": "writes are disabled"},
                        413: {"description": "body too large"},
                        422: {"description": "the input cannot be read"}})
async def post_ingest(payload: IngestIn, request: Request):
    """Read, extract and store one page given as text, HTML or a URL to fetch."""
    check_token(request)
    store = request.app.state.store
    try:
        return await run_in_threadpool(
            _ingest, store, payload.text, payload.html, payload.url, payload.title,
            payload.date, payload.name)
    except InputError as exc:
        raise HTTPException(422, str(exc)) from None


def _ingest(store: Store, text, html, url, title, date, name) -> dict[str, Any]:
    from pledgewatch.web.ingesting import ingest_payload

    return ingest_payload(store, text=text, html=html, url=url, title=title, date=date,
                          name=name)
