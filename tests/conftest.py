"""Shared fixtures for the CLI tests: one in-process runner, so the spaCy model loads once."""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "coalition-page.txt"
# A wire story (invented) that syndication and dating tests share.
WIRE = ("BUCHAREST, March 5 (Reuters) - Romania will not send troops to Ukraine, presidential "
        "adviser Cristian Diaconescu said on Wednesday, adding that Bucharest would keep "
        "supporting the coalition of the willing with logistics and its regional centre. "
        "Diaconescu told reporters that the decision had been taken after consultations with "
        "allies in Paris and London, and that it would not change after the presidential "
        "election. Britain and France have said they will lead a reassurance force of more "
        "than 10,000 soldiers if a ceasefire is agreed, while Bulgaria has not decided.")


@pytest.fixture(scope="session")
def cli_runner() -> CliRunner:
    """One CliRunner for the whole session (the model is cached per process anyway)."""
    return CliRunner()


@pytest.fixture
def run_cli(cli_runner: CliRunner) -> Callable[..., Result]:
    """Invoke `pledgewatch ARGS...` in-process and check that no exception escaped."""
    from pledgewatch.cli import app

    def run(*args: str, input: bytes | str | None = None) -> Result:
        result = cli_runner.invoke(app, [str(a) for a in args], input=input)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(
                f"exception escaped the command: {result.exception!r}") from result.exception
        assert "Traceback" not in result.stdout
        assert "Traceback" not in result.stderr
        return result

    return run


def stderr_line(result: Result) -> str:
    """The one message line the CLI wrote to stderr, not counting the closing summary
    (fails if there are more or none)."""
    lines = [line for line in result.stderr.strip().splitlines()
             if not line.startswith("pledgewatch: done: ")]  # the closing summary
    assert len(lines) == 1, f"expected one stderr line, got: {result.stderr!r}"
    assert lines[0].startswith("pledgewatch: "), lines[0]
    return lines[0]


def documents(result: Result) -> list[dict[str, Any]]:
    """The documents of `extract --format json` output (asserts the outer shape)."""
    data = json.loads(result.stdout)
    assert set(data) == {"documents"}
    assert isinstance(data["documents"], list)
    return data["documents"]


def summary_line(result: Result) -> str:
    """The closing `pledgewatch: done: ...` summary of an extract run."""
    lines = [line for line in result.stderr.strip().splitlines()
             if line.startswith("pledgewatch: done: ")]
    assert len(lines) == 1, f"expected one summary line, got: {result.stderr!r}"
    return lines[0]


# --------------------------------------------------------------------------- databases

POSTGRES_ENV = "PLEDGEWATCH_TEST_POSTGRES"  # a server URL; .ci/run starts one and sets it


def _postgres_database(admin_url: str):
    """A fresh, empty PostgreSQL database on the test server; dropped afterwards."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"pw_test_{uuid.uuid4().hex[:12]}"
    url = make_url(admin_url).set(drivername="postgresql+psycopg")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name})
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """The same test on an SQLite file and on a PostgreSQL database. Without a server
    ($PLEDGEWATCH_TEST_POSTGRES unset) the PostgreSQL run is skipped locally, but fails in
    CI, so the suite can never pass there without having run against both."""
    import os

    if request.param == "sqlite":
        yield str(tmp_path / "pledgewatch.db")
        return
    admin = os.environ.get(POSTGRES_ENV)
    if not admin:
        if os.environ.get("CI"):
            pytest.fail(f"${POSTGRES_ENV} is not set in CI: the PostgreSQL suite must run")
        pytest.skip(f"no PostgreSQL server (set ${POSTGRES_ENV})")
    yield from _postgres_database(admin)
