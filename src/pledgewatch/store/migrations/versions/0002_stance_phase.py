"""Stances carry a phase (announced, pledged, delivered, withdrawn, unknown), as the Kiel
Ukraine Support Tracker separates pledges from deliveries. Rows stored before get "unknown".

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stances") as batch:
        batch.add_column(sa.Column("phase", sa.String(16), nullable=False,
                                   server_default="unknown"))


def downgrade() -> None:
    with op.batch_alter_table("stances") as batch:
        batch.drop_column("phase")
