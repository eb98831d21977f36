"""Alembic environment: migrations run on the connection the Store hands over (inside its
lock), or on `sqlalchemy.url` when run from the alembic command line."""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from pledgewatch.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")


def _run(conn) -> None:
    context.configure(connection=conn, target_metadata=metadata, render_as_batch=True,
                      transaction_per_migration=False)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:  # pragma: no cover - the alembic CLI
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)
