"""Readers for the inputs `extract` accepts: text files, JSONL files and stdin.

Each reader yields `SourceDocument`s one at a time (a JSONL dump is streamed line by line) and
reports per-item problems as `ReadProblem`s so one bad line never stops a batch. Problems that
make a whole input unreadable raise `InputError`.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pledgewatch.errors import InputError
from pledgewatch.ingest.decode import decode_bytes
from pledgewatch.model import SourceDocument
from pledgewatch.settings import MAX_DOCUMENT_CHARS, MAX_INPUT_BYTES, MAX_JSONL_LINE_BYTES


@dataclass(slots=True)
class ReadProblem:
    """An item that could not be read, with where it was and why."""

    source: str
    id: str
    reason: str


def _read_capped(stream: BinaryIO, name: str) -> bytes:
    data = stream.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB; "
                         "split it or use a JSONL file")
    return data


def _looks_like_jsonl(path: Path, head: bytes) -> bool:
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        return True
    return head.lstrip().startswith(b"{") and path.suffix.lower() != ".txt"


def read_inputs(paths: list[str]) -> Iterator[SourceDocument | ReadProblem]:
    """Yield the documents of every path in order ("-" is stdin)."""
    for raw in paths:
        if raw == "-":
            data = _read_capped(sys.stdin.buffer, "stdin")
            yield _text_document(decode_bytes(data, "stdin"), "stdin", "stdin")
            continue
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{raw}: no such file")
        if path.is_dir():
            raise InputError(f"{raw}: is a folder; pass the files inside it")
        with path.open("rb") as stream:
            head = stream.read(512)
            stream.seek(0)
            if _looks_like_jsonl(path, head):
                yield from read_jsonl(stream, raw)
            else:
                size = path.stat().st_size
                if size > MAX_INPUT_BYTES:
                    raise InputError(f"{raw}: {size / 1_048_576:.0f} MB is larger than the "
                                     f"{MAX_INPUT_BYTES // 1_048_576} MB limit for one page")
                text = decode_bytes(_read_capped(stream, raw), raw)
                yield _text_document(text, path.stem, raw)


def _text_document(text: str, doc_id: str, source: str) -> SourceDocument:
    if len(text) > MAX_DOCUMENT_CHARS:
        raise InputError(f"{source}: {len(text)} characters is more than the "
                         f"{MAX_DOCUMENT_CHARS} allowed for one document")
    return SourceDocument(id=doc_id, text=text, source=source)


def read_jsonl(stream: BinaryIO, name: str) -> Iterator[SourceDocument | ReadProblem]:
    """Stream NGEC-shaped JSONL: one object per line with `id`, `text` and optional
    `title`, `date`, `url`. Bad lines become ReadProblems; the rest goes on."""
    seen_any = False
    number = 0
    while True:
        # readline with a cap: a multi-gigabyte line without a newline is never held whole
        line = stream.readline(MAX_JSONL_LINE_BYTES + 1)
        if not line:
            break
        number += 1
        too_long = len(line) > MAX_JSONL_LINE_BYTES and not line.endswith(b"\n")
        while too_long and not line.endswith(b"\n"):
            line = stream.readline(MAX_JSONL_LINE_BYTES + 1)  # skip the rest of the line
            if not line:
                break
        if not too_long and not line.strip():
            continue
        seen_any = True
        where = f"{name}:{number}"
        if too_long:
            yield ReadProblem(name, where, "line too long")
            continue
        try:
            obj = json.loads(line.decode("utf-8-sig"))
        except UnicodeDecodeError:
            yield ReadProblem(name, where, "line is not valid UTF-8")
            continue
        except json.JSONDecodeError as exc:
            yield ReadProblem(name, where, f"malformed JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict):
            yield ReadProblem(name, where, "line is not a JSON object")
            continue
        text = obj.get("text")
        if not isinstance(text, str) or not text.strip():
            yield ReadProblem(name, str(obj.get("id", where)), "no \"text\" field")
            continue
        if len(text) > MAX_DOCUMENT_CHARS:
            yield ReadProblem(name, str(obj.get("id", where)), "text too long")
            continue
        try:
            text = decode_bytes(text.encode("utf-8", "surrogatepass"), where)
        except (InputError, UnicodeEncodeError) as exc:
            yield ReadProblem(name, str(obj.get("id", where)), str(exc).split(": ", 1)[-1])
            continue
        yield SourceDocument(
            id=str(obj.get("id") or f"{Path(name).stem}-{number}"),
            text=text,
            source=name,
            title=obj.get("title") if isinstance(obj.get("title"), str) else None,
            date=obj.get("date") if isinstance(obj.get("date"), str) else None,
            url=obj.get("url") if isinstance(obj.get("url"), str) else None,
        )
    if not seen_any:
        raise InputError(f"{name}: empty input")
