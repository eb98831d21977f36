"""Ingest one page handed to the web app (pasted text or HTML, or a URL) into the store.

The same readers, extractor and store calls as `pledgewatch ingest`, for one item: a page
posted through the API or the dashboard's upload box is read, de-duplicated against the store
by fingerprint, extracted and saved in one transaction.
"""
from __future__ import annotations

import threading
from typing import Any

from pledgewatch.errors import InputError
from pledgewatch.ingest.dedupe import fingerprint
from pledgewatch.ingest.readers import Reader, documents_from_bytes
from pledgewatch.model import ReadProblem, SourceDocument
from pledgewatch.store.records import Store

# One extraction at a time per process: spaCy's pipeline is shared, and a burst of uploads
# should queue rather than multiply memory.
_EXTRACTION = threading.Lock()


def _documents(*, text: str | None, html: str | None, url: str | None, name: str,
               timeout: float) -> list[SourceDocument]:
    given = [value for value in (text, html, url) if value]
    if len(given) != 1:
        raise InputError("give exactly one of text, html or url")
    if url:
        from pledgewatch.ingest.fetch import FetchOptions
        from pledgewatch.ingest.readers import ReadOptions

        with Reader(ReadOptions(fetch=FetchOptions(timeout=timeout))) as reader:
            items = list(reader.read_url(url))
    else:
        body = (html or text or "").encode("utf-8", "surrogatepass")
        items = list(documents_from_bytes(body, name, name,
                                          media_type="text/html" if html else None))
    problems = [item for item in items if isinstance(item, ReadProblem)]
    documents = [item for item in items if isinstance(item, SourceDocument)]
    if not documents:
        raise InputError(problems[0].reason if problems else "no document found in the input")
    return documents


def ingest_payload(store: Store, *, text: str | None = None, html: str | None = None,
                   url: str | None = None, title: str | None = None, date: str | None = None,
                   name: str = "upload", timeout: float = 10.0) -> dict[str, Any]:
    """Read, extract and store one posted page; a feed URL gives its first entry's result
    and counts the others (`documents`).

    Returns {document_id, status (new | known | skipped), stances, title, reason, documents}.
    Raises InputError with a message for the user when the input cannot be read.
    """
    from pledgewatch.extract.document import extract_document
    from pledgewatch.ingest.dates import normalise_date

    if date is not None and normalise_date(date) is None:
        raise InputError(f"date {date!r} is not a valid date; expected YYYY-MM-DD")
    outcomes = []
    for document in _documents(text=text, html=html, url=url, name=name, timeout=timeout):
        if title and not document.title:
            document.title = title
        if date and not document.date:
            document.date = date
        digest = fingerprint(document.text)
        if store.known(digest):
            store.add_source(digest, document)
            outcomes.append({"document_id": digest, "status": "known", "stances": 0,
                             "title": document.title, "reason": None})
            continue
        with _EXTRACTION:
            result = extract_document(document)
        new = store.save(document, result)
        status = "skipped" if result.skipped else ("new" if new else "known")
        outcomes.append({"document_id": result.fingerprint, "status": status,
                         "stances": len(result.stances) if new else 0,
                         "title": result.title, "reason": result.skipped})
    first = dict(outcomes[0])
    first["documents"] = len(outcomes)
    return first
