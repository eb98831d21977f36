"""JSONL dumps (NGEC-shaped: one `{id, text, title?, date?, url?, author?}` per line), plain or
gzip-compressed, streamed line by line.

Dumps run to millions of lines, so nothing here holds more than one line: a malformed line is
a ReadProblem and the rest goes on; a line without a newline longer than the cap is skipped
without ever being held whole.
"""
from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from pledgewatch.errors import InputError
from pledgewatch.ingest.decode import decode_bytes
from pledgewatch.model import ReadProblem, SourceDocument
from pledgewatch.settings import MAX_DOCUMENT_CHARS, MAX_JSONL_LINE_BYTES

# What a damaged gzip stream raises while it is being read.
GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)


def _optional_str(obj: dict, key: str) -> str | None:
    value = obj.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _lines(stream: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    """(line, too_long) pairs, reading at most MAX_JSONL_LINE_BYTES + 1 bytes at a time."""
    while True:
        line = stream.readline(MAX_JSONL_LINE_BYTES + 1)
        if not line:
            return
        too_long = len(line) > MAX_JSONL_LINE_BYTES and not line.endswith(b"\n")
        while too_long and line and not line.endswith(b"\n"):
            line = stream.readline(MAX_JSONL_LINE_BYTES + 1)  # skip the rest of the line
        yield line, too_long


def _document(line: bytes, where: str, name: str, number: int) -> SourceDocument | ReadProblem:
    try:
        obj = json.loads(line.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return ReadProblem(name, where, "line is not valid UTF-8")
    except json.JSONDecodeError as exc:
        return ReadProblem(name, where, f"malformed JSON ({exc.msg})")
    if not isinstance(obj, dict):
        return ReadProblem(name, where, "line is not a JSON object")
    doc_id = str(obj.get("id") or where)
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return ReadProblem(name, doc_id, "no \"text\" field")
    if len(text) > MAX_DOCUMENT_CHARS:
        return ReadProblem(name, doc_id, "text too long")
    try:
        text = decode_bytes(text.encode("utf-8", "surrogatepass"), where)
    except (InputError, UnicodeEncodeError) as exc:
        return ReadProblem(name, doc_id, str(exc).split(": ", 1)[-1])
    return SourceDocument(
        id=str(obj.get("id") or f"{Path(name).stem}-{number}"), text=text, source=name,
        title=_optional_str(obj, "title"), date=_optional_str(obj, "date"),
        url=_optional_str(obj, "url"), author=_optional_str(obj, "author"))


def read_jsonl(stream: BinaryIO, name: str) -> Iterator[SourceDocument | ReadProblem]:
    """Stream the documents of a JSONL file (plain bytes; see `read_jsonl_gz` for .gz).

    Raises InputError if the file holds no line at all.
    """
    seen_any = False
    number = 0
    for line, too_long in _lines(stream):
        number += 1
        if not too_long and not line.strip():
            continue
        seen_any = True
        where = f"{name}:{number}"
        if too_long:
            yield ReadProblem(name, where, "line too long")
            continue
        yield _document(line, where, name, number)
    if not seen_any:
        raise InputError(f"{name}: empty input")


def read_jsonl_gz(stream: BinaryIO, name: str) -> Iterator[SourceDocument | ReadProblem]:
    """Stream a gzip-compressed JSONL dump. A truncated or corrupt archive ends the file with
    one ReadProblem after the lines that were intact (those are kept)."""
    with gzip.GzipFile(fileobj=stream, mode="rb") as unzipped:
        reader = read_jsonl(unzipped, name)  # type: ignore[arg-type]
        while True:
            try:
                item = next(reader)
            except StopIteration:
                return
            except GZIP_ERRORS as exc:
                what = "truncated" if isinstance(exc, EOFError) else "corrupt"
                yield ReadProblem(name, f"{name}:end", f"gzip archive is {what} "
                                  f"({' '.join(str(exc).split())[:100]}); the lines before "
                                  "it were read")
                return
            yield item
