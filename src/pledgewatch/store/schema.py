"""The tables of the record, in SQLAlchemy Core (one definition; Alembic migrations follow it).

Why this shape:
- `documents` holds each distinct text once, keyed by its fingerprint (DESIGN.md: the document
  id is the SHA-256 of the normalised text), so ingesting the same page twice changes nothing.
- `sources` holds every place a text was seen (a file, a URL, a feed entry): one wire story
  from ten sites is one document with ten sources, and a near-duplicate (another site's copy
  with its own headline) is a document whose `duplicate_of` points at the first copy.
- `segments`, `stances` and `events` hang off the document; a stance keeps its evidence span
  as offsets into its segment's text, so the dashboard can highlight it in the stored text.
"""
from __future__ import annotations

from sqlalchemy import (
    Column, Float, ForeignKey, ForeignKeyConstraint, Index, Integer, MetaData, String, Table,
    Text, UniqueConstraint)

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

documents = Table(
    "documents", metadata,
    Column("id", String(64), primary_key=True),  # fingerprint: SHA-256 hex of the normal text
    Column("title", Text),
    Column("published", String(10)),  # YYYY-MM-DD
    Column("author", Text),
    Column("text", Text, nullable=False),
    Column("status", String(16), nullable=False),  # extracted | skipped | duplicate
    Column("skip_reason", Text),
    Column("duplicate_of", String(64), ForeignKey("documents.id")),
    Column("similarity", Float),  # estimated Jaccard with duplicate_of (1.0 for exact)
    Column("ingested_at", String(32), nullable=False),  # ISO timestamp, UTC
)
Index("ix_documents_published", documents.c.published)
Index("ix_documents_duplicate_of", documents.c.duplicate_of)

sources = Table(
    "sources", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(64), ForeignKey("documents.id"), nullable=False),
    Column("source", Text, nullable=False),  # path or URL as given
    Column("source_key", String(64), nullable=False),  # SHA-256 of source + external id
    Column("external_id", Text, nullable=False),  # the reader's id (file stem, JSONL id...)
    Column("url", Text),
    Column("title", Text),
    Column("published", String(10)),
    Column("seen_at", String(32), nullable=False),
    UniqueConstraint("document_id", "source_key", name="uq_sources_document_source"),
)
Index("ix_sources_document", sources.c.document_id)

segments = Table(
    "segments", metadata,
    Column("document_id", String(64), ForeignKey("documents.id"), primary_key=True),
    Column("index", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(16), nullable=False),
    Column("title", Text),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("date", String(10)),
)

stances = Table(
    "stances", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(64), nullable=False),
    Column("segment", Integer, nullable=False),
    Column("country", String(8), nullable=False),
    Column("contribution", String(32), nullable=False),
    Column("stance", String(16), nullable=False),
    Column("phase", String(16), nullable=False, server_default="unknown"),
    Column("quantity", Text),
    Column("quantity_value", Float),
    Column("quantity_unit", String(32)),
    Column("target", String(8), nullable=False),
    Column("speaker", Text),
    Column("speaker_role", Text),
    Column("date", String(10)),
    Column("evidence", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    ForeignKeyConstraint(["document_id", "segment"],
                         ["segments.document_id", "segments.index"]),
)
Index("ix_stances_country_contribution", stances.c.country, stances.c.contribution)
Index("ix_stances_document", stances.c.document_id)
Index("ix_stances_date", stances.c.date)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(64), nullable=False),
    Column("segment", Integer, nullable=False),
    Column("event_type", String(16), nullable=False),
    Column("mode", String(32)),
    Column("context", Text),
    Column("actor", String(8)),
    Column("recipient", String(8)),
    Column("date", String(10)),
    Column("location", Text),
    Column("evidence", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    ForeignKeyConstraint(["document_id", "segment"],
                         ["segments.document_id", "segments.index"]),
)
Index("ix_events_document", events.c.document_id)
Index("ix_events_type", events.c.event_type)
