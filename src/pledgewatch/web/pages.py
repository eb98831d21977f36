"""The dashboard: server-rendered pages over the same store and the same functions as the API.

Why server-side: every page is readable without JavaScript (the map is the only part drawn in
the browser) and each page computes its data by calling `board.resolve`, `board.history` and
`store.queries` directly, as the API does. Article text is attacker-controlled: templates
autoescape everything, evidence highlighting is built from offsets as (text, marked) pieces
that the template escapes one by one (never by pasting HTML), only http(s) URLs reach an
href, and the only scripts are our own files under /static (the app's CSP forbids anything
else, inline scripts and styles included).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from pledgewatch.board import Statement, history, resolve
from pledgewatch.errors import InputError
from pledgewatch.model import CONTRIBUTIONS, STANCES
from pledgewatch.store import queries

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.autoescape = True  # every template, whatever its file name

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
# One colour per stance, shared by the map (via the page's JSON block), the matrix and the
# legend (style.css carries the same values as classes: inline styles are refused by the CSP).
STANCE_COLOURS = {
    "leading": "#00582c", "committed": "#2e9e4f", "conditional": "#2a9d8f",
    "considering": "#f2c12e", "not_ruled_out": "#f9b878", "uncertain": "#9e9e9e",
    "reconsidering": "#e8672c", "ruled_out": "#c62828",
}
NO_DATA_COLOUR = "#e3e5e8"
# Legend order: from the strongest commitment to the refusal.
LEGEND_ORDER = ("leading", "committed", "conditional", "considering", "not_ruled_out",
                "uncertain", "reconsidering", "ruled_out")
assert set(LEGEND_ORDER) == set(STANCES) == set(STANCE_COLOURS)

UPLOAD_REFUSED = ("Upload refused: the token is missing or wrong, so nothing was read or "
                  "stored. Enter the operator's token in the Token field and try again.")


def _label(value: str | None) -> str:
    """"not_ruled_out" -> "not ruled out": stance and contribution names for people."""
    return (value or "").replace("_", " ")


def _safe_url(value: str | None) -> str:
    """Only http(s) links reach an href: a source URL comes from the article's side, and a
    `javascript:` URL must never become clickable."""
    from pledgewatch.ingest.sniff import is_url

    return value if value and is_url(value) else "#"


templates.env.filters["label"] = _label
templates.env.filters["safe_url"] = _safe_url
templates.env.globals.update(contributions=CONTRIBUTIONS, legend=LEGEND_ORDER)


def _countries() -> list[dict[str, Any]]:
    from pledgewatch.web.api import _countries as countries

    return countries()


def _names() -> dict[str, str]:
    return {c["code"]: c["name"] for c in _countries()}


def _numeric() -> dict[str, str]:
    """ISO numeric id (world-atlas's feature ids) -> our alpha-3 code."""
    return {c["numeric"]: c["code"] for c in _countries() if c["numeric"]}


def _render(request: Request, template: str, context: dict[str, Any], *,
            status_code: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(request, template, {"names": _names(), **context},
                                      status_code=status_code)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """The HTML page for 401/403/404 outside the API (app.py's error handler calls it)."""
    titles = {401: "Not authorised", 403: "Writes are disabled", 404: "Not found"}
    return _render(request, "error.html", {"status": status, "message": message,
                                           "heading": titles.get(status, "Error")},
                   status_code=status)


def _is_date(value: str) -> bool:
    from datetime import date

    if not re.fullmatch(ISO_DATE, value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _entry(e: Any) -> dict[str, Any]:
    """A board entry as the page's JSON block and the matrix use it."""
    return {"country": e.country, "contribution": e.contribution, "stance": e.stance,
            "date": e.date, "disputed": e.disputed, "document_id": e.document_id,
            "stance_id": e.stance_id, "evidence": e.evidence}


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, contribution: str = Query("troops"),
              as_of: Optional[str] = Query(None)):
    """The map of the chosen contribution, its legend, the date slider, and the country x
    contribution matrix (rows: every country ever stated about; cells: the board as of
    `as_of`, each linking to the statement behind it)."""
    if contribution not in CONTRIBUTIONS:
        contribution = "troops"
    if as_of is not None and not _is_date(as_of):
        as_of = None  # a mangled link shows today's board rather than an error
    store = request.app.state.store
    everything = list(store.stance_rows())
    dates = sorted({row["when"] for row in everything if row["when"]})
    rows = everything if as_of is None else list(store.stance_rows(as_of=as_of))
    entries = resolve(Statement.from_row(row) for row in rows)
    names = _names()
    countries = sorted({row["country"] for row in everything},
                       key=lambda code: names.get(code, code))
    matrix: dict[str, dict[str, Any]] = {code: {} for code in countries}
    for entry in entries:
        matrix[entry.country][entry.contribution] = entry
    counts = {s: 0 for s in LEGEND_ORDER}
    for entry in entries:
        if entry.contribution == contribution:
            counts[entry.stance] += 1
    map_data = {"contribution": contribution, "as_of": as_of,
                "board": {e.country: _entry(e) for e in entries
                          if e.contribution == contribution},
                "names": names, "numeric": _numeric(), "colours": STANCE_COLOURS,
                "no_data": NO_DATA_COLOUR, "dates": dates}
    return _render(request, "index.html", {
        "contribution": contribution, "as_of": as_of, "matrix": matrix, "dates": dates,
        "counts": counts, "map_data": map_data, "colours": STANCE_COLOURS,
        "documents": queries.documents(store, limit=10)})


@router.get("/country/{code}", response_class=HTMLResponse)
def country_page(request: Request, code: str):
    """A country's current positions, then per contribution its timeline of positions with
    the quotes behind them, speakers, dates, phases and sources."""
    code = code.upper()[:8]
    names = _names()
    if code not in names:
        raise HTTPException(404, f"No country or organisation has the code {code!r}.")
    store = request.app.state.store
    rows = list(store.stance_rows(country=code))
    order = {c: i for i, c in enumerate(CONTRIBUTIONS)}
    current = sorted(resolve(Statement.from_row(row) for row in rows),
                     key=lambda e: order.get(e.contribution, 99))
    timeline = history(Statement.from_row(row) for row in rows)
    timeline = dict(sorted(timeline.items(), key=lambda item: order.get(item[0], 99)))
    statements: dict[str, list[dict[str, Any]]] = {}
    for row in reversed(rows):  # newest first
        statements.setdefault(row["contribution"], []).append(row)
    return _render(request, "country.html", {
        "code": code, "country_name": names[code], "current": current,
        "timeline": timeline, "statements": statements})


def _pieces(text: str, start: int, end: int, spans: list[tuple[int, int, str]],
            seen: set[str]) -> list[dict[str, Any]]:
    """text[start:end] as pieces, each with the stance anchors whose evidence covers it; a
    piece where an anchor first appears carries that anchor's target id."""
    inner = [(max(s, start), min(e, end), a) for s, e, a in spans if s < end and e > start]
    cuts = sorted({start, end, *(p for s, e, _ in inner for p in (s, e))})
    pieces = []
    for left, right in zip(cuts, cuts[1:]):
        covering = [a for s, e, a in inner if s <= left and right <= e]
        fresh = [a for a in covering if a not in seen]
        seen.update(fresh)
        pieces.append({"text": text[left:right], "anchors": covering,
                       "ids": [f"{a}-text" for a in fresh]})
    return pieces


def _blocks(document: dict[str, Any], spans: list[tuple[int, int, str]]
            ) -> list[dict[str, Any]]:
    """The document text cut into its segments (article, teasers) and the text between
    them, each block a list of highlighted pieces."""
    text = document["text"]
    blocks, seen, position = [], set(), 0
    for segment in sorted(document["segments"], key=lambda g: g["start"]):
        if segment["start"] > position:
            blocks.append({"segment": None,
                           "pieces": _pieces(text, position, segment["start"], spans, seen)})
        blocks.append({"segment": segment, "pieces": _pieces(
            text, segment["start"], segment["end"], spans, seen)})
        position = max(position, segment["end"])
    if position < len(text) or not blocks:
        blocks.append({"segment": None, "pieces": _pieces(text, position, len(text), spans,
                                                          seen)})
    return [b for b in blocks if b["segment"] is not None or "".join(
        p["text"] for p in b["pieces"]).strip()]


@router.get("/document/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, document_id: str,
                  upload: Optional[str] = Query(None, max_length=16)):
    """The stored text, segment by segment, with every stance's evidence highlighted, and
    the list of records (each with an anchor: /document/ID#stance-N)."""
    document = queries.document(request.app.state.store, document_id[:64])
    if document is None:
        raise HTTPException(404, "No document with this id is stored.")
    starts = {s["index"]: s["start"] for s in document["segments"]}
    spans = []
    for stance in document["stances"]:
        base = starts.get(stance["segment"], 0)
        stance["anchor"] = f"stance-{stance['id']}"
        spans.append((base + stance["start"], base + stance["end"], stance["anchor"]))
    return _render(request, "document.html", {
        "document": document, "blocks": _blocks(document, spans),
        "upload_status": upload if upload in {"known", "skipped", "duplicate"} else None})


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = Query("")):
    """Full-text search over the stored documents, hits highlighted in escaped snippets."""
    q = q[:200]
    results, total = [], 0
    if q.strip():
        total, rows = queries.search(request.app.state.store, q, limit=50)
        results = [{**row, "pieces": queries.split_snippet(row["snippet"])} for row in rows]
    return _render(request, "search.html", {"q": q, "results": results, "total": total})


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request):
    """The upload box: paste a page (text or HTML) or give a URL; the token is required."""
    return _render(request, "upload.html", {"error": None, "form": {},
                                            "writable": bool(request.app.state.token)})


@router.post("/upload", response_class=HTMLResponse)
async def upload(request: Request, token: str = Form(""), text: str = Form(""),
                 url: str = Form(""), kind: str = Form("auto"), title: str = Form(""),
                 date_value: str = Form("", alias="date")):
    """Check the token before anything is read, ingest the page, and show its document."""
    from pledgewatch.web.app import check_token
    from pledgewatch.web.ingesting import ingest_payload

    try:
        check_token(request, supplied=token)
    except HTTPException as exc:
        if exc.status_code == 401:
            return error_page(request, 401, UPLOAD_REFUSED)
        raise
    body = text if text.strip() else None
    form = {"url": url, "text": text, "kind": kind, "title": title, "date": date_value}
    try:
        outcome = await run_in_threadpool(
            ingest_payload, request.app.state.store, url=url.strip() or None,
            text=body if kind != "html" else None, html=body if kind == "html" else None,
            title=title.strip() or None, date=date_value.strip() or None, name="upload")
    except InputError as exc:
        return _render(request, "upload.html", {"error": str(exc), "form": form,
                                                "writable": True}, status_code=422)
    target = f"/document/{quote(outcome['document_id'], safe='')}"
    if outcome.get("status") and outcome["status"] != "new":
        target += f"?upload={quote(outcome['status'], safe='')}"
    return RedirectResponse(target, status_code=303)


__all__ = ["router", "error_page", "STANCE_COLOURS", "LEGEND_ORDER"]
