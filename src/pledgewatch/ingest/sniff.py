"""Tell what a byte stream is from its first bytes, with the name or media type only as a hint.

Analysts' folders hold files whose extensions lie: a PDF saved as `.html`, an RSS feed saved as
`.txt`, a page without an extension. The content decides which reader runs; the extension or
the HTTP `Content-Type` only breaks ties and tells what the sender *claimed* (a `.rss` file that
is not a feed is an error worth stating, not a text to extract).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

# Bytes read to decide; enough for an XML prolog, a doctype and a long <head> opening.
SNIFF_BYTES = 8192

# Magic numbers of formats we cannot read, with the name the error message gives them.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"OggS", "an audio file"),
    (b"ID3", "an MP3 file"),
)
_GZIP = b"\x1f\x8b"
_BOM = re.compile(rb"^(?:\xef\xbb\xbf|\xff\xfe|\xfe\xff)")

_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML_MARK = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|main|h[1-6]|"
    rb"span|a\s|table|ul|br|script|style|link)[\s/>]", re.IGNORECASE)
_XML_PROLOG = re.compile(rb"^\s*<\?xml", re.IGNORECASE)
_URL_LINE = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)

FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml", ".rdf"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml",
                        "application/xml", "text/xml"})
HTTP_SCHEMES = frozenset({"http", "https"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


@dataclass(slots=True, frozen=True)
class Sniffed:
    """What the bytes are.

    kind: "text", "html", "feed", "jsonl", "gzip", "urls" or "unsupported".
    claimed: what the name or media type said ("feed", "html", "jsonl" or None).
    detail: for "unsupported", what the bytes are ("a PDF document").
    """

    kind: str
    claimed: str | None = None
    detail: str | None = None


def claimed_kind(name: str = "", media_type: str | None = None) -> str | None:
    """What a file name or HTTP media type says the content is (a hint, not a verdict)."""
    if media_type:
        media_type = media_type.split(";")[0].strip().lower()
        if media_type in HTML_TYPES:
            return "html"
        if media_type in FEED_TYPES:
            return "feed"
        if media_type in {"application/x-ndjson", "application/jsonl"}:
            return "jsonl"
    suffixes = [s.lower() for s in PurePosixPath(name).suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    suffix = suffixes[-1] if suffixes else ""
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in FEED_SUFFIXES:
        return "feed"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    return None


def _is_url_list(head: bytes) -> bool:
    lines = [line.strip() for line in head.decode("utf-8", "replace").splitlines()]
    if len(head) >= SNIFF_BYTES and lines:
        lines = lines[:-1]  # the last line may be cut by the sample
    lines = [line for line in lines if line and not line.startswith("#")]
    return bool(lines) and all(_URL_LINE.match(line) for line in lines)


_META_CHARSET = re.compile(rb"<meta[^>]{0,300}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})",
                           re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9_.:-]{1,40})",
                           re.IGNORECASE)


def declared_charset(head: bytes) -> str | None:
    """The charset a page declares for itself (<meta charset>, http-equiv, or an XML prolog)."""
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head[:SNIFF_BYTES])
    return match.group(1).decode("ascii").lower() if match else None


def sniff(head: bytes, name: str = "", media_type: str | None = None) -> Sniffed:
    """Classify a stream from its first SNIFF_BYTES bytes."""
    claimed = claimed_kind(name, media_type)
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return Sniffed("unsupported", claimed, what)
    if head.startswith(_GZIP):
        return Sniffed("gzip", claimed)
    body = _BOM.sub(b"", head[:SNIFF_BYTES]).lstrip()
    if body.startswith(b"<"):
        if _FEED_ROOT.search(body):
            return Sniffed("feed", claimed)
        if _HTML_MARK.search(body[:4096]):
            return Sniffed("html", claimed)
        if _XML_PROLOG.match(body) or claimed == "feed":
            return Sniffed("feed", claimed)  # some XML: the feed reader says why it is not one
        return Sniffed("html", claimed)
    if body.startswith(b"{") or claimed == "jsonl":
        return Sniffed("jsonl", claimed)
    if _is_url_list(body):
        return Sniffed("urls", claimed)
    return Sniffed("text", claimed)


def is_url(text: str) -> bool:
    """True for an "http://" or "https://" URL with a host (and no whitespace)."""
    if not text or any(ch.isspace() for ch in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme.lower() in HTTP_SCHEMES and bool(parts.hostname)
