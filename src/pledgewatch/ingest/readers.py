"""One entry point for every input `extract` accepts: files, folders, stdin, URLs, URL lists.

`Reader.read(inputs)` yields `SourceDocument`s one at a time (JSONL dumps and folders are
streamed) and per-item problems as `ReadProblem`s, so one bad line, file or page never stops a
batch. An input named on the command line that cannot be used at all (missing, empty, binary,
too large) raises `InputError`: the caller reports it and goes on with the next input.

Which reader runs is decided by content sniffing (`sniff.py`); the file extension or HTTP
media type is only a hint, and a claim the content contradicts is an error worth stating.
"""
from __future__ import annotations

import gzip
import io
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, BinaryIO

from pledgewatch.errors import InputError
from pledgewatch.ingest.decode import decode_bytes
from pledgewatch.ingest.feed import read_feed
from pledgewatch.ingest.folder import walk_folder
from pledgewatch.ingest.jsonl import GZIP_ERRORS, read_jsonl, read_jsonl_gz
from pledgewatch.ingest.sniff import SNIFF_BYTES, Sniffed, declared_charset, is_url, sniff
from pledgewatch.model import ReadProblem, SourceDocument
from pledgewatch.settings import MAX_DOCUMENT_CHARS, MAX_INPUT_BYTES

if TYPE_CHECKING:
    from pledgewatch.ingest.fetch import Fetcher, FetchOptions

__all__ = ["ReadOptions", "ReadProblem", "Reader", "documents_from_bytes", "read_inputs",
           "read_jsonl", "is_url"]

_KIND_NAMES = {"text": "plain text", "html": "an HTML page", "jsonl": "JSON lines",
               "urls": "a list of URLs", "gzip": "a gzip archive"}


@dataclass(slots=True)
class ReadOptions:
    """How inputs are read: folder globs, URL lists, and how pages are fetched."""

    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    url_lists: Sequence[str] = ()  # files of URLs, one per line ("-" is stdin)
    fetch: FetchOptions | None = None


def _mb(value: int) -> str:
    return f"{value / 1_048_576:.0f} MB"


def _read_capped(stream: BinaryIO, name: str) -> bytes:
    data = stream.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: larger than the {_mb(MAX_INPUT_BYTES)} limit for one page; "
                         "split it or use a JSONL file")
    return data


def _text_document(text: str, doc_id: str, source: str, url: str | None = None
                   ) -> SourceDocument:
    if len(text) > MAX_DOCUMENT_CHARS:
        raise InputError(f"{source}: {len(text)} characters is more than the "
                         f"{MAX_DOCUMENT_CHARS} allowed for one document")
    return SourceDocument(id=doc_id, text=text, source=source, url=url)


def _refuse_contradicted_claim(sniffed: Sniffed, name: str) -> None:
    if sniffed.kind == "unsupported":
        raise InputError(f"{name}: is {sniffed.detail}, not text, HTML, a feed or JSONL")
    if sniffed.claimed == "feed" and sniffed.kind not in {"feed", "gzip"}:
        raise InputError(f"{name}: not a valid RSS or Atom feed (the content is "
                         f"{_KIND_NAMES.get(sniffed.kind, sniffed.kind)})")


def documents_from_bytes(data: bytes, name: str, doc_id: str, *, url: str | None = None,
                         media_type: str | None = None, charset: str | None = None,
                         ) -> Iterator[SourceDocument | ReadProblem]:
    """The documents in one fully read input (a file, stdin or a fetched page).

    `media_type` and `charset` are what an HTTP server said; the content has the last word.
    """
    sniffed = sniff(data[:SNIFF_BYTES], name, media_type)
    _refuse_contradicted_claim(sniffed, name)
    if sniffed.kind == "gzip":
        inner = PurePosixPath(name).stem if name.lower().endswith(".gz") else name
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
                content = _read_capped(unzipped, name)  # type: ignore[arg-type]
        except GZIP_ERRORS as exc:
            raise InputError(f"{name}: damaged gzip archive ({exc})") from None
        yield from documents_from_bytes(content, inner, doc_id, url=url)
    elif sniffed.kind == "feed":
        yield from read_feed(data, name)
    elif sniffed.kind == "jsonl":
        yield from read_jsonl(io.BytesIO(data), name)
    elif sniffed.kind == "urls":
        raise InputError(f"{name}: is a list of URLs; pass it with --urls {name} to fetch them")
    elif sniffed.kind == "html":
        from pledgewatch.ingest.html import html_document

        declared = charset or declared_charset(data[:SNIFF_BYTES])
        yield html_document(decode_bytes(data, name, declared), name, doc_id=doc_id, url=url)
    else:
        yield _text_document(decode_bytes(data, name, charset), doc_id, name, url)


def _read_file(path: Path, name: str) -> Iterator[SourceDocument | ReadProblem]:
    """One file: JSONL (plain or gzip) is streamed; anything else is read whole, capped."""
    with path.open("rb") as stream:
        head = stream.read(SNIFF_BYTES)
        stream.seek(0)
        sniffed = sniff(head, name)
        if sniffed.kind == "jsonl" and sniffed.claimed in {None, "jsonl"}:
            yield from read_jsonl(stream, name)
            return
        if sniffed.kind == "gzip":
            with gzip.GzipFile(fileobj=stream) as unzipped:
                try:
                    inner_head = unzipped.peek(SNIFF_BYTES)[:SNIFF_BYTES]
                except GZIP_ERRORS as exc:
                    raise InputError(f"{name}: damaged gzip archive ({exc})") from None
            stream.seek(0)
            if sniff(inner_head, PurePosixPath(name).stem).kind == "jsonl":
                yield from read_jsonl_gz(stream, name)
                return
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(f"{name}: {_mb(size)} is larger than the {_mb(MAX_INPUT_BYTES)} "
                             "limit for one page; split it or use a JSONL file")
        data = _read_capped(stream, name)
    yield from documents_from_bytes(data, name, path.stem)


class Reader:
    """Reads inputs in order; holds the HTTP client (one connection pool, one robots.txt
    cache) for the whole run. Use as a context manager so the client is closed."""

    def __init__(self, options: ReadOptions | None = None) -> None:
        self.options = options or ReadOptions()
        self._fetcher: Fetcher | None = None

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None

    # ------------------------------------------------------------------ inputs

    def read(self, raw: str) -> Iterator[SourceDocument | ReadProblem]:
        """The documents of one input as named on the command line."""
        if raw == "-":
            data = _read_capped(sys.stdin.buffer, "stdin")
            yield from documents_from_bytes(data, "stdin", "stdin")
            return
        if is_url(raw):
            yield from self.read_url(raw)
            return
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{raw}: no such file")
        if path.is_dir():
            yield from self.read_folder(path, raw)
            return
        yield from _read_file(path, raw)

    def read_folder(self, root: Path, raw: str) -> Iterator[SourceDocument | ReadProblem]:
        """Every file under a folder; a file that cannot be read is a ReadProblem."""
        for path in walk_folder(root, self.options.include, self.options.exclude):
            name = str(path)
            try:
                yield from _read_file(path, name)
            except InputError as exc:
                yield ReadProblem(name, path.stem, reason_of(exc, name))
            except OSError as exc:
                yield ReadProblem(name, path.stem, f"cannot read ({exc.strerror or exc})")

    def read_url(self, url: str) -> Iterator[SourceDocument | ReadProblem]:
        """Fetch a page or feed and read it like a file (InputError if it cannot be had)."""
        page = self._fetch().fetch(url)
        yield from documents_from_bytes(page.data, url, url, url=page.final_url,
                                        media_type=page.content_type, charset=page.charset)

    def read_url_list(self, name: str) -> Iterator[SourceDocument | ReadProblem]:
        """Every URL of a URL-list file, fetched in turn; each failure is a ReadProblem."""
        from pledgewatch.ingest.fetch import read_url_list

        if name == "-":
            lines: Iterable[str] = io.TextIOWrapper(sys.stdin.buffer, "utf-8", "replace")
        else:
            path = Path(name)
            if not path.is_file():
                raise InputError(f"{name}: no such file (--urls)")
            lines = path.open("r", encoding="utf-8", errors="replace")
        try:
            for _number, entry in read_url_list(lines, name):
                if isinstance(entry, InputError):
                    message = str(entry)
                    where = message.split(": ", 1)[0]
                    yield ReadProblem(name, where, reason_of(entry, where))
                    continue
                try:
                    yield from self.read_url(entry)
                except InputError as exc:
                    yield ReadProblem(entry, entry, reason_of(exc, entry))
        finally:
            close = getattr(lines, "close", None)
            if close is not None and name != "-":
                close()

    def _fetch(self) -> Fetcher:
        if self._fetcher is None:
            from pledgewatch.ingest.fetch import Fetcher

            self._fetcher = Fetcher(self.options.fetch)
        return self._fetcher


def reason_of(exc: Exception, name: str) -> str:
    """An error's message without its leading "NAME: " (the item it is reported under)."""
    message = str(exc)
    return message[len(name) + 2:] if message.startswith(f"{name}: ") else message


def read_inputs(paths: list[str], options: ReadOptions | None = None
                ) -> Iterator[SourceDocument | ReadProblem]:
    """Yield the documents of every input in order ("-" is stdin), then of the URL lists."""
    with Reader(options) as reader:
        for raw in paths:
            yield from reader.read(raw)
        for name in reader.options.url_lists:
            yield from reader.read_url_list(name)
