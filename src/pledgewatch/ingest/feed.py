"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: each entry becomes one document.

feedparser does the parsing (it copes with the many ways feeds are broken, and tells us when a
feed is too broken: its `bozo` flag). An entry keeps its link, so every stance found in it can
be traced to the article page, and its date, so the stance gets the day it was published.
"""
from __future__ import annotations

import re
import time
from collections.abc import Iterator

from pledgewatch.errors import InputError
from pledgewatch.model import ReadProblem, SourceDocument
from pledgewatch.settings import MAX_DOCUMENT_CHARS, MAX_FEED_ENTRIES

# Elements that end a line of text when an entry's HTML is flattened.
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6",
                         "blockquote", "tr", "section", "article", "header", "footer", "pre"})
_DROP_TAGS = frozenset({"script", "style", "noscript", "iframe", "object", "embed", "template",
                        "svg", "math", "form", "button", "select", "textarea"})
_SPACES = re.compile(r"[ \t\u00a0]+")


def fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment (an entry's summary or content): one line per block,
    scripts and styles dropped, entities decoded. Plain text passes through unchanged."""
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip()
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]{0,2000}>", " ", fragment).strip()
    parts: list[str] = []

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.lower() in _DROP_TAGS:
            if element.tail:
                parts.append(element.tail)
            return
        block = tag.lower() in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if element.text and tag:
            parts.append(element.text)
        for child in element:
            walk(child)
        if block:
            parts.append("\n")
        if element.tail:
            parts.append(element.tail)

    root.text = root.text or ""
    walk(root)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _entry_date(entry) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return time.strftime("%Y-%m-%d", value)
    return None


def _entry_body(entry) -> str:
    """The fullest text the entry carries: its content if any, else its summary."""
    for content in entry.get("content") or []:
        value = content.get("value") if isinstance(content, dict) else None
        if value and value.strip():
            return fragment_text(value)
    return fragment_text(entry.get("summary") or entry.get("description") or "")


def read_feed(data: bytes, name: str) -> Iterator[SourceDocument | ReadProblem]:
    """The entries of the RSS/Atom feed in `data`, in feed order.

    Raises InputError when the bytes are not a feed at all (not XML, or XML with no feed
    root); a feed with a recoverable defect still gives the entries that parsed.
    """
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            problem = " ".join(str(parsed.get("bozo_exception") or "unreadable").split())
            raise InputError(f"{name}: not a valid RSS or Atom feed ({problem[:120]})")
        if not parsed.get("version"):
            raise InputError(f"{name}: not a valid RSS or Atom feed (no <rss>, <feed> or "
                             "<rdf:RDF> root element)")
        return  # a well-formed feed with nothing in it
    for number, entry in enumerate(entries[:MAX_FEED_ENTRIES], start=1):
        title = fragment_text(entry.get("title") or "") or None
        body = _entry_body(entry)
        if title and body.startswith(title):
            body = body[len(title):].lstrip()
        text = "\n\n".join(part for part in (title, body) if part)
        link = entry.get("link") or None
        doc_id = entry.get("id") or link or f"{name}#{number}"
        if not text.strip():
            yield ReadProblem(name, str(doc_id), "feed entry has no title or text")
            continue
        yield SourceDocument(id=str(doc_id), text=text[:MAX_DOCUMENT_CHARS], source=name,
                             title=title, date=_entry_date(entry), url=link,
                             author=entry.get("author") or None)
