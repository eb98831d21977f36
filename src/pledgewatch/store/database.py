"""Opening the store: where it is, how SQLite is tuned, and migrating it to the current schema.

SQLite is the embedded default (a file, no server): WAL mode so readers never wait for the
writer, a busy timeout so two ingesting processes queue instead of failing, foreign keys on,
and write transactions that take the write lock up front (BEGIN IMMEDIATE) so two writers can
never deadlock upgrading a read lock. PostgreSQL works by URL with the same code.
"""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from pledgewatch.errors import StoreError
from pledgewatch.settings import DEFAULT_DB_FILE, DB_ENV, SQLITE_BUSY_TIMEOUT_MS

MIGRATIONS = Path(__file__).parent / "migrations"
# Any fixed 64-bit number: the PostgreSQL advisory lock that serialises migrations.
_PG_MIGRATION_LOCK = 0x706C6564676577


def resolve_url(db: str | None = None) -> str:
    """The database URL from `--db`, else $PLEDGEWATCH_DB, else ./pledgewatch.db.

    A plain path means an SQLite file; anything with "://" is an SQLAlchemy URL
    (postgresql+psycopg://user@host/db).
    """
    value = db or os.environ.get(DB_ENV) or DEFAULT_DB_FILE
    if "://" in value:
        try:
            url = make_url(value)
        except ArgumentError:
            raise StoreError(f"{value!r} is not a database URL") from None
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    return f"sqlite:///{Path(value).expanduser()}"


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_store_engine(url: str) -> Engine:
    """An Engine for `url`, with SQLite's pragmas and locking set up."""
    try:
        if url.startswith("sqlite"):
            path = make_url(url).database
            if path and path != ":memory:":
                parent = Path(path).parent
                if not parent.is_dir():
                    raise StoreError(f"cannot create the database {path}: folder {parent} "
                                     "does not exist")
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
            _tune_sqlite(engine)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot open database {url}: {exc}") from None
    return engine


def writing(connection: Connection) -> Connection:
    """Mark a connection's next transaction as a write (SQLite: BEGIN IMMEDIATE)."""
    return connection.execution_options(write=True)


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` with Alembic, holding a lock so two processes opening a
    new database at once do not both create it. Data already stored is kept: every
    migration runs inside one transaction, and a failure rolls it all back."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with writing(engine.connect()) as connection:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                       {"key": _PG_MIGRATION_LOCK})
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
    except OperationalError as exc:
        raise StoreError(f"cannot open the database: {short_error(exc)}") from None


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def short_error(exc: Exception) -> str:
    """A database error in one line (the driver's message, not SQLAlchemy's wrapper)."""
    message = str(getattr(exc, "orig", None) or exc)
    return " ".join(message.split())[:200]
