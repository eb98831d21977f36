"""The first schema: documents, sources, segments, stances (without phase), events.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("author", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("skip_reason", sa.Text),
        sa.Column("duplicate_of", sa.String(64),
                  sa.ForeignKey("documents.id", name="fk_documents_duplicate_of_documents")),
        sa.Column("similarity", sa.Float),
        sa.Column("ingested_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
    )
    op.create_index("ix_documents_published", "documents", ["published"])
    op.create_index("ix_documents_duplicate_of", "documents", ["duplicate_of"])
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("document_id", sa.String(64),
                  sa.ForeignKey("documents.id", name="fk_sources_document_id_documents"),
                  nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("source_key", sa.String(64), nullable=False),
        sa.Column("external_id", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("seen_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sources"),
        sa.UniqueConstraint("document_id", "source_key", name="uq_sources_document_source"),
    )
    op.create_index("ix_sources_document", "sources", ["document_id"])
    op.create_table(
        "segments",
        sa.Column("document_id", sa.String(64),
                  sa.ForeignKey("documents.id", name="fk_segments_document_id_documents")),
        sa.Column("index", sa.Integer, autoincrement=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("date", sa.String(10)),
        sa.PrimaryKeyConstraint("document_id", "index", name="pk_segments"),
    )
    for table, extra in (("stances", [
            sa.Column("country", sa.String(8), nullable=False),
            sa.Column("contribution", sa.String(32), nullable=False),
            sa.Column("stance", sa.String(16), nullable=False),
            sa.Column("quantity", sa.Text),
            sa.Column("quantity_value", sa.Float),
            sa.Column("quantity_unit", sa.String(32)),
            sa.Column("target", sa.String(8), nullable=False),
            sa.Column("speaker", sa.Text),
            sa.Column("speaker_role", sa.Text)]), ("events", [
            sa.Column("event_type", sa.String(16), nullable=False),
            sa.Column("mode", sa.String(32)),
            sa.Column("context", sa.Text),
            sa.Column("actor", sa.String(8)),
            sa.Column("recipient", sa.String(8))])):
        op.create_table(
            table,
            sa.Column("id", sa.Integer, autoincrement=True),
            sa.Column("document_id", sa.String(64), nullable=False),
            sa.Column("segment", sa.Integer, nullable=False),
            *extra,
            sa.Column("date", sa.String(10)),
            *([sa.Column("location", sa.Text)] if table == "events" else []),
            sa.Column("evidence", sa.Text, nullable=False),
            sa.Column("start", sa.Integer, nullable=False),
            sa.Column("end", sa.Integer, nullable=False),
            sa.Column("confidence", sa.Float, nullable=False),
            sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
            sa.ForeignKeyConstraint(["document_id", "segment"],
                                    ["segments.document_id", "segments.index"],
                                    name=f"fk_{table}_document_id_segments"),
        )
        op.create_index(f"ix_{table}_document", table, ["document_id"])
    op.create_index("ix_stances_country_contribution", "stances", ["country", "contribution"])
    op.create_index("ix_stances_date", "stances", ["date"])
    op.create_index("ix_events_type", "events", ["event_type"])


def downgrade() -> None:
    for table in ("events", "stances", "segments", "sources", "documents"):
        op.drop_table(table)
