"""Full-text search over documents: an FTS5 index on SQLite, a tsvector column with a GIN
index on PostgreSQL. Documents stored before are indexed by the migration.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""
from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE documents ADD COLUMN search tsvector GENERATED ALWAYS AS "
                   "(to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED")
        op.execute("CREATE INDEX ix_documents_search ON documents USING gin (search)")
        return
    # External-content FTS5 table over documents (by rowid), kept in step by triggers.
    op.execute("CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, "
               "content='documents', content_rowid='rowid', tokenize='porter unicode61')")
    op.execute("CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
               "INSERT INTO documents_fts(rowid, title, text) "
               "VALUES (new.rowid, new.title, new.text); END")
    op.execute("CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN "
               "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
               "VALUES ('delete', old.rowid, old.title, old.text); END")
    op.execute("CREATE TRIGGER documents_fts_update AFTER UPDATE ON documents BEGIN "
               "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
               "VALUES ('delete', old.rowid, old.title, old.text); "
               "INSERT INTO documents_fts(rowid, title, text) "
               "VALUES (new.rowid, new.title, new.text); END")
    op.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_documents_search")
        op.execute("ALTER TABLE documents DROP COLUMN IF EXISTS search")
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS documents_fts_{trigger}")
    op.execute("DROP TABLE IF EXISTS documents_fts")
