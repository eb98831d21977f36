"""The run shared by `extract`, `ingest` and (later) the API: read, de-duplicate, extract.

Every input item ends as one `Outcome`, in input order: extracted, skipped (not English),
failed (unreadable, internal error), duplicate (a story already seen in this run) or known
(already in the store). The run never stops for one item; `RunReport` counts the outcomes,
gives the closing summary and the exit status.
"""
from __future__ import annotations

import itertools
import os
import re
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pledgewatch.errors import InputError, PledgewatchError
from pledgewatch.model import DocumentResult, SourceDocument

DEBUG_ENV = "PLEDGEWATCH_DEBUG"
Say = Callable[[str, str], None]  # (kind, message): "error" / "warning" lines


@dataclass(slots=True)
class InputOptions:
    """What to read and how (the input options of `extract` and `ingest`)."""

    paths: Sequence[str] = ()
    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    url_lists: Sequence[str] = ()
    timeout: float = 10.0
    respect_robots: bool = False
    dedupe: bool = True

    def read_options(self):
        from pledgewatch.ingest.fetch import FetchOptions
        from pledgewatch.ingest.readers import ReadOptions

        return ReadOptions(include=self.include, exclude=self.exclude,
                           url_lists=self.url_lists,
                           fetch=FetchOptions(timeout=self.timeout,
                                              respect_robots=self.respect_robots))

    def many(self) -> bool:
        """Whether the inputs can hold more than one document (progress bar worth showing)."""
        return len(self.paths) > 1 or bool(self.url_lists) or any(
            _may_hold_many(raw) for raw in self.paths if raw != "-")

    def countable(self) -> int | None:
        """How many documents come, when that is known before reading (one per file)."""
        if self.url_lists or any(raw == "-" or _may_hold_many(raw) for raw in self.paths):
            return None
        return len(self.paths)


_MANY_SUFFIXES = (".jsonl", ".ndjson", ".gz", ".rss", ".atom", ".xml")


def _may_hold_many(raw: str) -> bool:
    """An input that can hold any number of documents: a dump, a feed, a folder, a URL."""
    return raw.lower().endswith(_MANY_SUFFIXES) or "://" in raw or Path(raw).is_dir()


@dataclass(slots=True)
class Outcome:
    """What became of one input item."""

    result: DocumentResult
    kind: str  # extracted | skipped | failed | duplicate | known
    source: SourceDocument | None = None
    reported: bool = False  # its message was already written
    similarity: float | None = None  # for duplicates


def skipped_result(doc_id: str, source: str, reason: str | None) -> DocumentResult:
    """A result with no records (a failed, skipped or duplicate item)."""
    return DocumentResult(id=doc_id, source=source, title=None, published=None,
                          fingerprint="", skipped=reason)


def label(result: DocumentResult) -> str:
    """How a document is named in messages: its source, plus its id when they differ."""
    if result.source == "stdin" or result.id.startswith(f"{result.source}:") \
            or result.id == result.source:
        return result.id  # "stdin", "docs.jsonl:3", a URL
    if Path(result.source).stem == result.id:
        return result.source
    return f"{result.source}: {result.id}"


def reason_kind(reason: str) -> str:
    """A reason without its particulars, to count failures by kind in the summary
    ("malformed JSON (Expecting value)" -> "malformed JSON")."""
    kind = reason.split(" (", 1)[0].split(": ", 1)[0]
    return re.sub(r"\d+(?:\.\d+)?", "N", kind).strip()[:60] or "unknown"


@dataclass(slots=True)
class RunReport:
    """Counts and exit status of one run.

    Exit status: 0 when every item was extracted, skipped as not English, a duplicate or
    already stored; 1 when any item failed or nothing at all could be used; 2 (or the
    error's own code) when an input named on the command line could not be used at all.
    """

    counts: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    skips: Counter[str] = field(default_factory=Counter)
    stances: int = 0
    exit_code: int = 0

    def fail(self, code: int) -> None:
        self.exit_code = max(self.exit_code, code)

    def count(self, outcome: Outcome) -> None:
        self.counts[outcome.kind] += 1
        if outcome.kind == "failed":
            self.failures[reason_kind(outcome.result.skipped or "")] += 1
        elif outcome.kind == "skipped":
            self.skips[reason_kind(outcome.result.skipped or "")] += 1
        elif outcome.kind == "extracted":
            self.stances += len(outcome.result.stances)

    @property
    def items(self) -> int:
        return sum(self.counts.values())

    def summary(self, *, stored: bool = False) -> str:
        """`9 items read: 2 extracted, 0 duplicates, ...` (with `stored`: new/known and
        stances added, for `ingest`)."""
        def detail(counter: Counter[str]) -> str:
            return " (" + ", ".join(f"{k}: {n}" for k, n in counter.most_common()) + ")" \
                if counter else ""

        c = self.counts
        parts = [f"{self.items} item{'s' if self.items != 1 else ''} read: "
                 + (f"{c['extracted']} new, {c['known']} already stored"
                    if stored else f"{c['extracted']} extracted"),
                 f"{c['duplicate']} duplicate{'s' if c['duplicate'] != 1 else ''}",
                 f"{c['skipped']} skipped{detail(self.skips)}",
                 f"{c['failed']} failed{detail(self.failures)}"]
        if stored:
            parts.append(f"{self.stances} stance{'s' if self.stances != 1 else ''} added")
        return ", ".join(parts)

    def final_code(self) -> int:
        code = self.exit_code
        if self.counts["failed"]:
            code = max(code, 1)
        usable = self.counts["extracted"] + self.counts["duplicate"] + self.counts["known"]
        if usable == 0:
            code = max(code, 1)  # nothing could be extracted (or nothing was found)
        return code


Known = Callable[[SourceDocument, str], bool]


def read_items(options: InputOptions, report: RunReport, say: Say, *,
               known: Known | None = None) -> Iterator[SourceDocument | Outcome]:
    """Every input item in order: SourceDocuments still to extract, or Outcomes for items
    that could not be read, repeat a story of this run, or (`known`) are stored already.

    `known(document, fingerprint)` returns True for a document already in the store (and may
    record the new source); such documents still enter the duplicate detector, so that a run
    resumed after an interruption marks the same near-duplicates as an uninterrupted one.
    """
    from pledgewatch.ingest.dedupe import Deduplicator, fingerprint
    from pledgewatch.ingest.readers import ReadProblem, Reader, reason_of

    dedupe = Deduplicator() if options.dedupe else None

    def whole_input_failed(raw: str, exc: PledgewatchError) -> Outcome:
        say("error", str(exc))
        report.fail(exc.exit_code)
        name = "stdin" if raw == "-" else raw
        reason = reason_of(exc, name)
        doc_id = "stdin" if raw == "-" else (raw if "://" in raw else Path(raw).stem or raw)
        return Outcome(skipped_result(doc_id, name, reason), "failed", reported=True)

    def items(reader: Reader) -> Iterator[SourceDocument | ReadProblem | Outcome]:
        for raw, read in itertools.chain(
                ((raw, reader.read) for raw in options.paths),
                ((name, reader.read_url_list) for name in options.url_lists)):
            try:
                yield from read(raw)
            except (InputError, OSError) as exc:
                if isinstance(exc, OSError):
                    exc = InputError(f"{raw}: cannot read ({exc.strerror or exc})")
                yield whole_input_failed(raw, exc)

    with Reader(options.read_options()) as reader:
        for item in items(reader):
            if isinstance(item, ReadProblem):
                yield Outcome(skipped_result(item.id, item.source, item.reason), "failed")
                continue
            if isinstance(item, Outcome):
                yield item
                continue
            digest = fingerprint(item.text) if known is not None else None
            if known is not None and known(item, digest):
                if dedupe is not None:
                    dedupe.check(digest, item.text)
                yield Outcome(_unextracted(item, digest), "known", item)
                continue
            key = digest if known is not None else item.id
            duplicate = dedupe.check(key, item.text) if dedupe is not None else None
            if duplicate is None:
                yield item
                continue
            result = _unextracted(item, digest or fingerprint(item.text))
            result.duplicate_of = duplicate.original
            yield Outcome(result, "duplicate", item, similarity=duplicate.similarity)


def _unextracted(item: SourceDocument, digest: str) -> DocumentResult:
    """The result of a document that is not extracted (a duplicate, or stored already)."""
    from pledgewatch.ingest.dates import normalise_date

    result = skipped_result(item.id, item.source, None)
    result.fingerprint, result.title, result.url = digest, item.title, item.url
    result.published, result.author = normalise_date(item.date), item.author
    return result


def extract_stream(items: Iterable[SourceDocument | Outcome], emit: Callable[[Outcome], None],
                   report: RunReport, say: Say, *, default_date: str | None,
                   parse_all: bool) -> None:
    """Feed `items` to `extract_documents` and emit one Outcome per item, in input order.

    An unexpected exception while a document is being extracted fails that document
    ("internal error: ...") and restarts the stream after it; PledgewatchErrors end the run.
    Written against the stream API, so it stays correct although extraction batches
    documents: a failure is blamed on the first document still in flight and the others are
    fed again. An exception raised by `emit` (a closed pipe, a database error) ends the run.
    """
    from pledgewatch.extract.document import extract_documents

    upstream: Iterator[SourceDocument | Outcome] = iter(items)
    pending: deque[SourceDocument | Outcome] = deque()  # in flight or ready, in order

    def send(outcome: Outcome) -> None:
        try:
            emit(outcome)
        except Exception as exc:
            raise _EmitFailed() from exc

    def flush_ready() -> None:
        while pending and isinstance(pending[0], Outcome):
            send(pending.popleft())  # type: ignore[arg-type]

    def feed() -> Iterator[SourceDocument]:
        for item in upstream:
            pending.append(item)
            if isinstance(item, Outcome):
                flush_ready()
            else:
                yield item

    try:
        while True:
            try:
                for result in extract_documents(feed(), default_date=default_date,
                                                parse_all=parse_all):
                    flush_ready()
                    source = pending.popleft()  # the document this result belongs to
                    send(Outcome(result, "skipped" if result.skipped else "extracted",
                                 source))  # type: ignore[arg-type]
                    flush_ready()
                flush_ready()
                return
            except (PledgewatchError, _EmitFailed):
                raise
            except Exception as exc:  # one document failed: report, skip it, go on
                if os.environ.get(DEBUG_ENV):
                    raise
                flush_ready()
                if not pending:
                    raise
                failed = pending.popleft()
                detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
                result = skipped_result(failed.id, failed.source, f"internal error: {detail}")
                say("error", f"{label(result)}: internal error: {detail}")
                report.fail(1)
                send(Outcome(result, "failed", failed, reported=True))  # type: ignore[arg-type]
                retry = list(pending)
                pending.clear()
                upstream = itertools.chain(retry, upstream)
    except _EmitFailed as exc:
        raise exc.__cause__ from None


class _EmitFailed(Exception):
    """Handling a finished item failed (not the document's fault, so not a skipped item)."""
