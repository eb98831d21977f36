"""Reads for the API and the dashboard: filtered, paginated stances; documents with their
segments, records and sources; full-text search (SQLite FTS5 / PostgreSQL tsvector).

All user input reaches SQL as bound parameters; a search string is turned into quoted terms
before it reaches FTS5's query language, so no query syntax can be injected.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select, text

from pledgewatch.store import schema
from pledgewatch.store.records import Store, first_source

MAX_PAGE = 500
# Marks around a search hit in a snippet (control characters cannot occur in stored text
# after decoding, so they cannot be forged by an article).
HIT_START, HIT_END = "\x02", "\x03"
_TERM = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
MAX_SEARCH_TERMS = 12


@dataclass(slots=True)
class StanceFilter:
    """The filters of GET /api/stances (every one optional)."""

    country: str | None = None
    contribution: str | None = None
    stance: str | None = None
    phase: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    source: str | None = None  # a substring of the source path or URL
    document: str | None = None


def stances(store: Store, where: StanceFilter, *, limit: int = 50, offset: int = 0
            ) -> tuple[int, list[dict[str, Any]]]:
    """(total matching, one page of stances with their document's title, date and URL)."""
    st, doc, src = schema.stances, schema.documents, schema.sources
    when = func.coalesce(st.c.date, doc.c.published)
    conditions = []
    for column, value in ((st.c.country, where.country), (st.c.contribution, where.contribution),
                          (st.c.stance, where.stance), (st.c.phase, where.phase),
                          (st.c.document_id, where.document)):
        if value:
            conditions.append(column == value)
    if where.date_from:
        conditions.append(when >= where.date_from)
    if where.date_to:
        conditions.append(when <= where.date_to)
    if where.source:
        pattern = "%" + where.source.replace("\\", "\\\\").replace("%", "\\%") \
            .replace("_", "\\_") + "%"
        conditions.append(st.c.document_id.in_(
            select(src.c.document_id).where(
                src.c.source.like(pattern, escape="\\") | src.c.url.like(pattern, escape="\\"))))
    url = first_source(src.c.url, st.c.document_id)
    base = select(st, doc.c.title, doc.c.published, when.label("when"), url.label("url")) \
        .join(doc, doc.c.id == st.c.document_id)
    if conditions:
        base = base.where(and_(*conditions))
    limit = max(1, min(limit, MAX_PAGE))
    with store.engine.connect() as connection:
        total = connection.execute(select(func.count()).select_from(base.subquery())
                                   ).scalar_one()
        rows = connection.execute(base.order_by(when.is_(None), when.desc(), st.c.id)
                                  .limit(limit).offset(max(0, offset))).mappings().all()
    return total, [dict(r) for r in rows]


def documents(store: Store, *, limit: int = 50, offset: int = 0
              ) -> tuple[int, list[dict[str, Any]]]:
    """Documents, newest first, with their number of stances and first source."""
    doc, src, st = schema.documents, schema.sources, schema.stances
    n = (select(func.count()).select_from(st).where(st.c.document_id == doc.c.id)
         .scalar_subquery())
    first = first_source(src.c.source, doc.c.id)
    url = first_source(src.c.url, doc.c.id)
    query = select(doc.c.id, doc.c.title, doc.c.published, doc.c.status, doc.c.duplicate_of,
                   doc.c.ingested_at, n.label("stances"), first.label("source"),
                   url.label("url"))
    limit = max(1, min(limit, MAX_PAGE))
    with store.engine.connect() as connection:
        total = connection.execute(select(func.count()).select_from(doc)).scalar_one()
        rows = connection.execute(query.order_by(doc.c.ingested_at.desc(), doc.c.id)
                                  .limit(limit).offset(max(0, offset))).mappings().all()
    return total, [dict(r) for r in rows]


def document(store: Store, document_id: str) -> dict[str, Any] | None:
    """One document with its text, segments, stances, events, sources and duplicates."""
    doc = schema.documents
    with store.engine.connect() as connection:
        row = connection.execute(select(doc).where(doc.c.id == document_id)).mappings().first()
        if row is None:
            return None
        out = dict(row)
        for name, table, order in (
                ("segments", schema.segments, schema.segments.c.index),
                ("stances", schema.stances, schema.stances.c.id),
                ("events", schema.events, schema.events.c.id),
                ("sources", schema.sources, schema.sources.c.id)):
            out[name] = [dict(r) for r in connection.execute(
                select(table).where(table.c.document_id == document_id).order_by(order)
            ).mappings()]
        out["copies"] = [dict(r) for r in connection.execute(
            select(doc.c.id, doc.c.title, doc.c.similarity).where(
                doc.c.duplicate_of == document_id).order_by(doc.c.id)).mappings()]
    out.pop("search", None)
    return out


def _fts_query(query: str) -> str | None:
    """Quoted FTS5 terms, all required ("romania" "troops"); None if there is no word."""
    terms = _TERM.findall(query)[:MAX_SEARCH_TERMS]
    if not terms:
        return None
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def search(store: Store, query: str, *, limit: int = 20, offset: int = 0
           ) -> tuple[int, list[dict[str, Any]]]:
    """Documents matching every word of `query`, best first, each with a snippet whose hits
    are between HIT_START and HIT_END."""
    limit = max(1, min(limit, MAX_PAGE))
    with store.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            words = " ".join(_TERM.findall(query)[:MAX_SEARCH_TERMS])
            if not words:
                return 0, []
            params = {"q": words, "limit": limit, "offset": max(0, offset)}
            where = "d.search @@ plainto_tsquery('english', :q)"
            total = connection.execute(text(
                f"SELECT count(*) FROM documents d WHERE {where}"), params).scalar_one()
            rows = connection.execute(text(
                "SELECT d.id, d.title, d.published, d.status, ts_headline('english', d.text, "
                "plainto_tsquery('english', :q), 'StartSel=\x02, StopSel=\x03, MaxWords=30, "
                "MinWords=10, MaxFragments=1') AS snippet FROM documents d "
                f"WHERE {where} ORDER BY ts_rank(d.search, plainto_tsquery('english', :q)) "
                "DESC, d.id LIMIT :limit OFFSET :offset"), params).mappings().all()
        else:
            match = _fts_query(query)
            if match is None:
                return 0, []
            params = {"q": match, "limit": limit, "offset": max(0, offset)}
            total = connection.execute(text(
                "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH :q"),
                params).scalar_one()
            rows = connection.execute(text(
                "SELECT d.id, d.title, d.published, d.status, snippet(documents_fts, 1, "
                "char(2), char(3), '…', 24) AS snippet FROM documents_fts "
                "JOIN documents d ON d.rowid = documents_fts.rowid "
                "WHERE documents_fts MATCH :q ORDER BY rank, d.id LIMIT :limit OFFSET :offset"),
                params).mappings().all()
    return total, [dict(r) for r in rows]


def split_snippet(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as (text, is_hit) pieces, for escaping and highlighting safely."""
    pieces: list[tuple[str, bool]] = []
    for part in re.split(f"({HIT_START}[^{HIT_END}]*{HIT_END})", snippet or ""):
        if not part:
            continue
        hit = part.startswith(HIT_START)
        pieces.append((part.strip(HIT_START + HIT_END), hit))
    return pieces
