"""Writing documents and their records, and reading them back: the Store.

Every document is written in one transaction (document, segments, stances, events, source), so
an interrupted ingest leaves each document either fully stored or absent, and a rerun picks up
where it stopped. Inserts of a document are "insert if absent": two processes that extract the
same text at once store it once, and the loser only adds its source.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Engine, and_, exists, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError

from pledgewatch.errors import StoreError
from pledgewatch.model import DocumentResult, Event, Segment, SourceDocument, Stance
from pledgewatch.store import schema
from pledgewatch.store.database import (
    create_store_engine, current_revision, migrate, resolve_url, short_error, writing)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def source_key(source: str, external_id: str) -> str:
    """A fixed-length key for (where, which item): URLs and paths can be long."""
    return hashlib.sha256(f"{source}\x00{external_id}".encode("utf-8", "surrogatepass")
                          ).hexdigest()


def first_source(column, document_id):
    """A scalar subquery: `column` (url, source...) of the first source seen of the
    document whose id is `document_id` (a column of the outer query)."""
    src = schema.sources
    return (select(column).where(src.c.document_id == document_id).order_by(src.c.id)
            .limit(1).scalar_subquery())


class Store:
    """The record: documents with their sources, segments, stances and events."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, db: str | None = None, *, create: bool = True) -> Store:
        """Open (and migrate to the current schema) the database `db` names; see
        `resolve_url` for the default."""
        engine = create_store_engine(resolve_url(db))
        if create:
            migrate(engine)
        elif current_revision(engine) is None:
            raise StoreError(f"{engine.url.render_as_string()}: no pledgewatch database here "
                             "(run `pledgewatch ingest` first)")
        return cls(engine)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writing

    def _insert_ignore(self, connection, table, row: dict) -> bool:
        """INSERT ... ON CONFLICT DO NOTHING in the dialect at hand; True if the row was new.
        (RETURNING says so reliably; a driver's rowcount may be -1.)"""
        dialect = connection.dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        key = list(table.primary_key.columns)[0]
        statement = insert(table).values(row).on_conflict_do_nothing().returning(key)
        return connection.execute(statement).first() is not None

    def known(self, fingerprint: str) -> bool:
        """Whether a document with this fingerprint is stored already."""
        with self.engine.connect() as connection:
            return connection.execute(
                select(exists().where(schema.documents.c.id == fingerprint))).scalar()

    def add_source(self, fingerprint: str, source: SourceDocument) -> bool:
        """Record that `source` holds the stored document `fingerprint` (True if new)."""
        with writing(self.engine.connect()) as connection, connection.begin():
            return self._source(connection, fingerprint, source)

    def _source(self, connection, fingerprint: str, source: SourceDocument) -> bool:
        row = {"document_id": fingerprint, "source": source.source,
               "source_key": source_key(source.source, source.id), "external_id": source.id,
               "url": source.url, "title": source.title, "published": _date(source.date),
               "seen_at": _now()}
        return self._insert_ignore(connection, schema.sources, row)

    def save(self, source: SourceDocument, result: DocumentResult, *,
             duplicate_of: str | None = None, similarity: float | None = None) -> bool:
        """Store one document with everything found in it, in one transaction.

        Returns True if the document is new, False if it was stored already (then only its
        source is added). `duplicate_of` marks a near-duplicate of a stored story: it is kept
        with its source, without records.
        """
        status = "duplicate" if duplicate_of else ("skipped" if result.skipped else "extracted")
        document = {
            "id": result.fingerprint, "title": result.title, "published": result.published,
            "author": result.author, "text": source.text, "status": status,
            "skip_reason": result.skipped, "duplicate_of": duplicate_of,
            "similarity": similarity, "ingested_at": _now()}
        try:
            with writing(self.engine.connect()) as connection, connection.begin():
                if not self._insert_ignore(connection, schema.documents, document):
                    self._source(connection, result.fingerprint, source)
                    return False
                if status == "extracted":
                    self._records(connection, result)
                self._source(connection, result.fingerprint, source)
                return True
        except IntegrityError as exc:
            raise StoreError(f"{result.id}: cannot be stored ({short_error(exc)})") from None
        except DBAPIError as exc:
            raise StoreError(f"cannot write to the database: {short_error(exc)}") from None

    def _records(self, connection, result: DocumentResult) -> None:
        fingerprint = result.fingerprint
        if result.segments:
            connection.execute(schema.segments.insert(), [
                {"document_id": fingerprint, **asdict(segment)} for segment in result.segments])
        if result.stances:
            connection.execute(schema.stances.insert(), [
                {"document_id": fingerprint, **_stance_row(s)} for s in result.stances])
        if result.events:
            connection.execute(schema.events.insert(), [
                {"document_id": fingerprint, **asdict(e)} for e in result.events])

    # ------------------------------------------------------------------ reading

    def stance_rows(self, *, country: str | None = None, contribution: str | None = None,
                    as_of: str | None = None) -> Iterator[dict[str, Any]]:
        """Stances with their document's date, title and number of sources, oldest first.

        `as_of` keeps statements dated on or before it, and undated ones (older than any
        dated statement)."""
        st, doc = schema.stances, schema.documents
        n_sources = (select(func.count()).select_from(schema.sources)
                     .where(schema.sources.c.document_id == st.c.document_id)
                     .scalar_subquery())
        copy = doc.alias("copy")  # near-duplicates of the stance's document: more sources
        n_copies = (select(func.count()).select_from(schema.sources.join(
            copy, schema.sources.c.document_id == copy.c.id))
            .where(copy.c.duplicate_of == st.c.document_id).scalar_subquery())
        url = first_source(schema.sources.c.url, st.c.document_id)
        origin = first_source(schema.sources.c.source, st.c.document_id)
        when = func.coalesce(st.c.date, doc.c.published)
        query = (select(st, doc.c.title, doc.c.published, when.label("when"),
                        (n_sources + n_copies).label("sources"), url.label("url"),
                        origin.label("source"))
                 .join(doc, doc.c.id == st.c.document_id))
        conditions = []
        if country:
            conditions.append(st.c.country == country)
        if contribution:
            conditions.append(st.c.contribution == contribution)
        if as_of:  # undated statements are older than any dated one: always known
            conditions.append(or_(when <= as_of, when.is_(None)))
        if conditions:
            query = query.where(and_(*conditions))
        query = query.order_by(when.is_(None).desc(), when, st.c.id)
        with self.engine.connect() as connection:
            for row in connection.execute(query).mappings():
                yield dict(row)

    def event_rows(self) -> Iterator[dict[str, Any]]:
        """Events with their document's date and first source."""
        ev, doc = schema.events, schema.documents
        url = first_source(schema.sources.c.url, ev.c.document_id)
        query = (select(ev, doc.c.title, doc.c.published, url.label("url"))
                 .join(doc, doc.c.id == ev.c.document_id).order_by(ev.c.id))
        with self.engine.connect() as connection:
            for row in connection.execute(query).mappings():
                yield dict(row)

    def counts(self) -> dict[str, int]:
        """Rows per table (for summaries and tests)."""
        with self.engine.connect() as connection:
            return {table.name: connection.execute(
                select(func.count()).select_from(table)).scalar_one()
                for table in (schema.documents, schema.sources, schema.segments,
                              schema.stances, schema.events)}


def _stance_row(stance: Stance) -> dict[str, Any]:
    row = asdict(stance)
    row.setdefault("phase", "unknown")
    return row


def _date(value: str | None) -> str | None:
    from pledgewatch.ingest.dates import normalise_date

    return normalise_date(value)


__all__ = ["Store", "source_key", "Segment", "Event"]
